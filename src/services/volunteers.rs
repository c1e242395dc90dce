//! Volunteers claim the tasks of a stop: slots are never over-claimed, claims can be released
//! until a while before the task, organizers assign and invite, and see who showed up.

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, DbConnection};
use crate::domain::stop::StopStatus;
use crate::domain::task::{self as task_rules, ClaimStatus, STANDARD_SET, TaskKind};
use crate::domain::text;
use crate::email::{self, Email, Mail, TaskClaim, TasksTaken};
use crate::error::{AppError, ErrorCode, FieldCode, FieldError, Validator};
use crate::i18n::Lang;
use crate::models::magic_link::MagicLink;
use crate::models::organizer::Organizer;
use crate::models::registration::{Registration, RegistrationFilter};
use crate::models::stop::Stop;
use crate::models::task::{Claim, Task, TaskChanges, Volunteer};
use crate::models::tour::Tour;
use crate::read::volunteers::{ClaimView, OwnTask, TaskView, TasksOutcome, VolunteerTasks};
use crate::secrets;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access};

pub const INVITE_PURPOSE: &str = "volunteer_invite";
/// An invitation to a task lasts this long at most.
pub const INVITE_DAYS: i64 = 7;

/// What an organizer gives for a task.
#[derive(Clone, Debug, Default)]
pub struct TaskInput {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<Result<Option<NaiveDateTime>, FieldError>>,
    pub ends_at: Option<Result<Option<NaiveDateTime>, FieldError>>,
    pub slots: Option<Result<i64, FieldError>>,
}

fn kind_title(kind: TaskKind, lang: Lang) -> String {
    lang.t(&format!("task_kind.{}", kind.as_str())).into_owned()
}

pub fn create_task(
    conn: &mut DbConnection,
    organizer: &Organizer,
    lang: Lang,
    stop_id: &str,
    input: TaskInput,
) -> Result<Task, AppError> {
    let mut v = Validator::new();
    let kind = match input.kind.as_deref().map(str::trim) {
        Some(k) => TaskKind::parse(k).or_else(|| {
            v.add(
                "kind",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", TaskKind::choices()),
            );
            None
        }),
        None => {
            v.add("kind", FieldCode::Required, "is required");
            None
        }
    };
    let title = input
        .title
        .as_deref()
        .and_then(|t| v.check("title", text::optional_line(t, 200)))
        .unwrap_or_default();
    let description = input
        .description
        .as_deref()
        .and_then(|t| v.check("description", text::optional(t, 5000)))
        .unwrap_or_default();
    let starts_at = input
        .starts_at
        .clone()
        .and_then(|t| v.check("starts_at", t))
        .flatten();
    let ends_at = input
        .ends_at
        .clone()
        .and_then(|t| v.check("ends_at", t))
        .flatten();
    let slots = match input.slots.clone() {
        Some(s) => v.check("slots", s.and_then(|n| text::number_in(n, 1, 1000))),
        None => {
            v.add("slots", FieldCode::Required, "is required");
            None
        }
    };
    if let (Some(s), Some(e)) = (starts_at, ends_at)
        && e <= s
    {
        v.add(
            "ends_at",
            FieldCode::EndsBeforeStart,
            "must be after the start",
        );
    }
    v.finish()?;
    let kind = kind.unwrap_or(TaskKind::Other);
    let title = if title.is_empty() {
        kind_title(kind, lang)
    } else {
        title
    };
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Ok(Task::insert(
        conn,
        &stop.id,
        kind.as_str(),
        &title,
        &description,
        starts_at,
        ends_at,
        slots.unwrap_or(1),
    )?)
}

/// Adds the standard tasks the stop does not have yet.
pub fn apply_standard_set(
    conn: &mut DbConnection,
    organizer: &Organizer,
    lang: Lang,
    stop_id: &str,
) -> Result<Vec<Task>, AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let existing: Vec<TaskKind> = Task::for_stop(conn, &stop.id)?
            .into_iter()
            .map(|t| t.kind)
            .collect();
        for (kind, slots) in STANDARD_SET {
            if !existing.contains(kind) {
                Task::insert(
                    conn,
                    &stop.id,
                    kind.as_str(),
                    &kind_title(*kind, lang),
                    "",
                    None,
                    None,
                    *slots,
                )?;
            }
        }
        Ok(Task::for_stop(conn, &stop.id)?)
    })
}

pub fn update_task(
    conn: &mut DbConnection,
    organizer: &Organizer,
    task_id: &str,
    input: TaskInput,
) -> Result<Task, AppError> {
    let mut v = Validator::new();
    let mut changes = TaskChanges::default();
    if let Some(t) = &input.title {
        changes.title = v.check("title", text::required_line(t, 200));
    }
    if let Some(d) = &input.description {
        changes.description = v.check("description", text::optional(d, 5000));
    }
    if let Some(s) = input.starts_at.clone() {
        changes.starts_at = v.check("starts_at", s);
    }
    if let Some(e) = input.ends_at.clone() {
        changes.ends_at = v.check("ends_at", e);
    }
    if let Some(s) = input.slots.clone() {
        changes.slots = v.check("slots", s.and_then(|n| text::number_in(n, 1, 1000)));
    }
    v.finish()?;
    db::write_transaction(conn, |conn| {
        let task = Task::lock(conn, task_id)?.ok_or_else(|| AppError::not_found("task"))?;
        access::stop_for(conn, organizer, &task.stop_id)
            .map_err(|_| AppError::not_found("task"))?;
        if changes.slots.is_some_and(|s| s < task.claimed) {
            return Err(AppError::invalid(
                "slots",
                FieldCode::BelowClaims,
                format!("{} volunteers already hold this task", task.claimed),
            ));
        }
        changes.updated_at = Some(db::now());
        Ok(Task::update(conn, &task.id, &changes)?)
    })
}

pub fn delete_task(
    conn: &mut DbConnection,
    organizer: &Organizer,
    task_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let task = Task::lock(conn, task_id)?.ok_or_else(|| AppError::not_found("task"))?;
        access::stop_for(conn, organizer, &task.stop_id)
            .map_err(|_| AppError::not_found("task"))?;
        if task.claimed > 0 {
            return Err(AppError::conflict(
                ErrorCode::TaskClaimed,
                "volunteers hold this task: release their claims first",
            ));
        }
        Task::delete(conn, &task.id)?;
        Ok(())
    })
}

/// When a task begins: its own start, else its stop's.
fn task_start(task: &Task, stop: &Stop) -> NaiveDateTime {
    task.starts_at.unwrap_or(stop.starts_at)
}

fn when(task: &Task, stop: &Stop, lang: Lang) -> String {
    let start = task_start(task, stop);
    let end = task.ends_at.unwrap_or(stop.ends_at);
    crate::format::time_range(lang, start, end, stop.tz())
}

/// The outcome of a claim.
pub struct Claimed {
    pub claim: Claim,
    pub task: Task,
    pub volunteer: Volunteer,
    /// False when this person already held a slot of the task.
    pub created: bool,
}

/// Claims a slot of a task (by the volunteer, or `assigned_by` an organizer). Decided under
/// the task's row lock, so slots are never over-claimed however many claim at once.
#[tracing::instrument(skip(conn, env, name, email_address))]
pub fn claim(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    task_id: &str,
    name: &str,
    email_address: &str,
    assigned_by: Option<&Organizer>,
) -> Result<Claimed, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required_line(name, 200));
    let address = v.check("email", text::email(email_address));
    v.finish()?;
    let (name, address) = (name.unwrap_or_default(), address.unwrap_or_default());
    db::write_transaction(conn, |conn| {
        let task = Task::lock(conn, task_id)?.ok_or_else(|| AppError::not_found("task"))?;
        let ctx = StopContext::load(conn, &task.stop_id)?;
        match assigned_by {
            Some(o) => {
                access::stop_for(conn, o, &task.stop_id)
                    .map_err(|_| AppError::not_found("task"))?;
            }
            None => {
                if !ctx.tour.is_public() || !ctx.stop.status().is_public() {
                    return Err(AppError::not_found("task"));
                }
            }
        }
        if matches!(ctx.stop.status(), StopStatus::Done | StopStatus::Cancelled) {
            return Err(AppError::conflict(ErrorCode::StopOver, "this stop is over"));
        }
        let volunteer = Volunteer::get_or_create(conn, &name, &address, lang)?;
        if let Some(existing) = Claim::active(conn, &task.id, &volunteer.id)? {
            return Ok(Claimed {
                claim: existing,
                task,
                volunteer,
                created: false,
            });
        }
        if !Task::take_slot(conn, &task.id)? {
            return Err(AppError::conflict(
                ErrorCode::TaskFull,
                "every slot of this task is taken",
            ));
        }
        let claim = Claim::insert(
            conn,
            &task.id,
            &volunteer.id,
            assigned_by.map(|o| o.id.as_str()),
        )?;
        let task = Task::get(conn, &task.id)?;
        mail_claims(conn, env, &ctx, &volunteer, std::slice::from_ref(&task))?;
        Ok(Claimed {
            claim,
            task,
            volunteer,
            created: true,
        })
    })
}

/// Tells a volunteer of the tasks of one stop they just took: one e-mail, with a sign-in
/// link (the volunteer asks for a new one at /volunteer/login once it ran out).
fn mail_claims(
    conn: &mut DbConnection,
    env: &Env,
    ctx: &StopContext,
    volunteer: &Volunteer,
    tasks: &[Task],
) -> Result<(), AppError> {
    let link = crate::services::magic_links::volunteer(
        conn,
        env,
        volunteer,
        Duration::hours(env.magic_link_hours),
    )?;
    let lang = volunteer.lang();
    let is_desk = |t: &Task| t.kind == TaskKind::RegistrationDesk;
    let mail = match tasks {
        [] => return Ok(()),
        // The slot is theirs; the desk opens when an organizer gives them access.
        [task] => Email::new(
            Mail::ClaimConfirmed {
                name: &volunteer.name,
                stop: &ctx.mail(lang),
                claim: TaskClaim {
                    task: &task.title,
                    when: &when(task, &ctx.stop, lang),
                    link: &link,
                    link_hours: env.magic_link_hours,
                    release_hours: env.release_hours,
                },
                desk: is_desk(task),
            },
            lang,
            &volunteer.email,
            &volunteer.name,
        ),
        several => {
            let lines: Vec<(String, String)> = several
                .iter()
                .map(|t| (t.title.clone(), when(t, &ctx.stop, lang)))
                .collect();
            Email::new(
                Mail::TasksClaimed {
                    name: &volunteer.name,
                    stop: &ctx.mail(lang),
                    tasks: TasksTaken {
                        tasks: &lines,
                        desk: several.iter().any(is_desk),
                        link: &link,
                        link_hours: env.magic_link_hours,
                        release_hours: env.release_hours,
                    },
                },
                lang,
                &volunteer.email,
                &volunteer.name,
            )
        }
    };
    email::enqueue(
        conn,
        &env.links,
        mail.for_stop(&ctx.tour.id, &ctx.stop.id)
            .reply_to(ctx.tour.contact_email.as_deref())
            .attach(ctx.ics(env)),
    )?;
    Ok(())
}

/// The most tasks one form may pick.
pub const MAX_PICKED: usize = 30;

/// The help page's one form: claims a slot of every task picked, for one person. Decided in
/// one transaction that takes the tasks' locks in one order (so two such forms never wait on
/// each other), each task like `claim`: never over-claimed, a task already held is not taken
/// twice, a full one is reported. One e-mail per stop lists what was taken.
#[tracing::instrument(skip(conn, env, name, email_address))]
pub fn claim_tasks(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    task_ids: &[String],
    name: &str,
    email_address: &str,
) -> Result<TasksOutcome, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required_line(name, 200));
    let address = v.check("email", text::email(email_address));
    let mut ids = task_ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        v.add("task_ids", FieldCode::PickATask, "pick at least one task");
    } else if ids.len() > MAX_PICKED {
        v.add(
            "task_ids",
            FieldCode::TooMany,
            format!("at most {MAX_PICKED} tasks"),
        );
    }
    v.finish()?;
    let (name, address) = (name.unwrap_or_default(), address.unwrap_or_default());
    db::write_transaction(conn, |conn| {
        let mut tasks = Vec::with_capacity(ids.len());
        for id in &ids {
            let task = Task::lock(conn, id)?.ok_or_else(|| AppError::not_found("task"))?;
            let ctx = StopContext::load(conn, &task.stop_id)?;
            if !ctx.tour.is_public() || !ctx.stop.status().is_public() {
                return Err(AppError::not_found("task"));
            }
            if matches!(ctx.stop.status(), StopStatus::Done | StopStatus::Cancelled) {
                return Err(AppError::conflict(ErrorCode::StopOver, "this stop is over"));
            }
            tasks.push(task);
        }
        let volunteer = Volunteer::get_or_create(conn, &name, &address, lang)?;
        let mut out = TasksOutcome::default();
        for task in tasks {
            if Claim::active(conn, &task.id, &volunteer.id)?.is_some() {
                out.already.push(task);
            } else if Task::take_slot(conn, &task.id)? {
                Claim::insert(conn, &task.id, &volunteer.id, None)?;
                out.taken.push(Task::get(conn, &task.id)?);
            } else {
                out.full.push(task);
            }
        }
        // In the order the help page shows them, grouped by stop.
        out.taken.sort_by(|a, b| {
            (&a.stop_id, a.starts_at, a.created_at).cmp(&(&b.stop_id, b.starts_at, b.created_at))
        });
        let mut stops: Vec<String> = out.taken.iter().map(|t| t.stop_id.clone()).collect();
        stops.dedup();
        for stop_id in stops {
            let ctx = StopContext::load(conn, &stop_id)?;
            let mine: Vec<Task> = out
                .taken
                .iter()
                .filter(|t| t.stop_id == stop_id)
                .cloned()
                .collect();
            mail_claims(conn, env, &ctx, &volunteer, &mine)?;
        }
        Ok(out)
    })
}

/// Who releases a claim.
pub enum Releaser<'a> {
    /// The volunteer themselves: only until the release deadline.
    Volunteer(&'a str),
    Organizer(&'a Organizer),
}

pub fn release(
    conn: &mut DbConnection,
    env: &Env,
    claim_id: &str,
    who: Releaser,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let claim = Claim::find(conn, claim_id)?.ok_or_else(|| AppError::not_found("claim"))?;
        let task = Task::lock(conn, &claim.task_id)?.ok_or_else(|| AppError::not_found("claim"))?;
        let stop = Stop::find(conn, &task.stop_id)?.ok_or_else(|| AppError::not_found("claim"))?;
        match who {
            Releaser::Volunteer(volunteer_id) => {
                if claim.volunteer_id != volunteer_id {
                    return Err(AppError::not_found("claim"));
                }
                if !task_rules::can_release(db::now(), task_start(&task, &stop), env.release_hours)
                {
                    return Err(AppError::conflict(
                        ErrorCode::ReleaseClosed,
                        format!(
                            "tasks can be released until {} before; please write to the organizers",
                            crate::format::hours(Lang::En, env.release_hours)
                        ),
                    ));
                }
            }
            Releaser::Organizer(o) => {
                access::stop_for(conn, o, &stop.id).map_err(|_| AppError::not_found("claim"))?;
            }
        }
        if Claim::release(conn, &claim.id)? {
            Task::free_slot(conn, &task.id)?;
        }
        Ok(())
    })
}

/// Organizers mark, after the stop, who came.
pub fn mark_showed_up(
    conn: &mut DbConnection,
    organizer: &Organizer,
    claim_id: &str,
    showed_up: Option<bool>,
) -> Result<(), AppError> {
    let claim = Claim::find(conn, claim_id)?.ok_or_else(|| AppError::not_found("claim"))?;
    let task = Task::find(conn, &claim.task_id)?.ok_or_else(|| AppError::not_found("claim"))?;
    access::stop_for(conn, organizer, &task.stop_id).map_err(|_| AppError::not_found("claim"))?;
    Claim::set_showed_up(conn, &claim.id, showed_up)?;
    Ok(())
}

pub fn coverage(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<(Stop, Tour, Vec<TaskView>), AppError> {
    let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
    let tasks = Task::for_stop(conn, &stop.id)?;
    let ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
    let claims = Claim::for_tasks(conn, &ids)?;
    let volunteer_ids: Vec<String> = claims.iter().map(|(_, v)| v.id.clone()).collect();
    let no_shows = Claim::no_show_counts(conn, &volunteer_ids)?;
    let helpers: std::collections::HashSet<String> =
        crate::services::desk::helper_emails(conn, &stop.id)?
            .into_iter()
            .collect();
    let soon = db::now() >= stop.starts_at - Duration::days(task_rules::UNFILLED_FLAG_DAYS);
    let views = tasks
        .into_iter()
        .map(|task| {
            let desk = task.kind == TaskKind::RegistrationDesk;
            TaskView {
                flagged: soon && task.claimed < task.slots,
                claims: claims
                    .iter()
                    .filter(|(c, _)| c.task_id == task.id)
                    .map(|(c, v)| ClaimView {
                        claim: c.clone(),
                        volunteer: v.clone(),
                        no_shows: no_shows
                            .iter()
                            .find(|(id, _)| *id == v.id)
                            .map(|(_, n)| *n)
                            .unwrap_or(0),
                        desk_access: desk.then(|| helpers.contains(&v.email)),
                    })
                    .collect(),
                task,
            }
        })
        .collect();
    Ok((stop, tour, views))
}

/// An organizer lets the volunteer of a registration-desk claim in at the stop's desk: they
/// become a named desk helper (`desk::add_helper`) and are e-mailed the desk link. Taken
/// back with `desk::remove_helper`, like any helper.
pub fn give_desk_access(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    claim_id: &str,
) -> Result<(), AppError> {
    let (task, volunteer) = desk_claim(conn, organizer, claim_id)?;
    crate::services::desk::add_helper(
        conn,
        env,
        volunteer.lang(),
        organizer,
        &task.stop_id,
        &volunteer.email,
        &volunteer.name,
    )
}

/// Takes back the desk access of a registration-desk claim's volunteer (the slot stays).
pub fn remove_desk_access(
    conn: &mut DbConnection,
    organizer: &Organizer,
    claim_id: &str,
) -> Result<(), AppError> {
    let (task, volunteer) = desk_claim(conn, organizer, claim_id)?;
    crate::services::desk::remove_helper(conn, organizer, &task.stop_id, &volunteer.email)
}

/// An active claim of a registration-desk task at a stop the organizer runs.
fn desk_claim(
    conn: &mut DbConnection,
    organizer: &Organizer,
    claim_id: &str,
) -> Result<(Task, Volunteer), AppError> {
    let claim = Claim::find(conn, claim_id)?.ok_or_else(|| AppError::not_found("claim"))?;
    let task = Task::find(conn, &claim.task_id)?.ok_or_else(|| AppError::not_found("claim"))?;
    access::stop_for(conn, organizer, &task.stop_id).map_err(|_| AppError::not_found("claim"))?;
    if task.kind != TaskKind::RegistrationDesk || claim.status != ClaimStatus::Claimed {
        return Err(AppError::conflict(
            ErrorCode::NotDeskClaim,
            "only a volunteer holding a registration-desk slot can be given desk access here",
        ));
    }
    let volunteer =
        Volunteer::find(conn, &claim.volunteer_id)?.ok_or_else(|| AppError::not_found("claim"))?;
    Ok((task, volunteer))
}

/// Attendees of the stop who ticked "I'd like to volunteer".
pub fn candidates(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<Vec<Registration>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Ok(Registration::list(
        conn,
        &stop.id,
        &RegistrationFilter {
            volunteers_only: true,
            ..Default::default()
        },
    )?
    .into_iter()
    .filter(|r| r.status != crate::domain::attendance::RegistrationStatus::Cancelled)
    .collect())
}

/// Invites an attendee who would like to volunteer to a task, by e-mail, with a link that
/// takes the slot in one click.
pub fn invite(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    task_id: &str,
    registration_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let task = Task::find(conn, task_id)?.ok_or_else(|| AppError::not_found("task"))?;
        access::stop_for(conn, organizer, &task.stop_id)
            .map_err(|_| AppError::not_found("task"))?;
        let r = Registration::find(conn, registration_id)?
            .filter(|r| r.stop_id == task.stop_id)
            .ok_or_else(|| AppError::not_found("registration"))?;
        let ctx = StopContext::load(conn, &task.stop_id)?;
        // Taking the task also signs the volunteer in: a week at most (or until the stop),
        // not for months; the organizers can invite again.
        let valid = (ctx.stop.starts_at - db::now())
            .min(Duration::days(INVITE_DAYS))
            .max(Duration::hours(env.magic_link_hours));
        let token = MagicLink::create(conn, INVITE_PURPOSE, &r.email, Some(&task.id), valid)?;
        let lang = r.lang();
        let mail = Mail::VolunteerInvite {
            name: &r.name,
            stop: &ctx.mail(lang),
            task: &task.title,
            link: &env.links.url(&format!("/volunteer/accept/{token}")),
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &r.email, &r.name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref()),
        )?;
        Ok(())
    })
}

/// An invited attendee takes the slot with their link: the volunteer's id.
pub fn accept_invite(conn: &mut DbConnection, env: &Env, token: &str) -> Result<String, AppError> {
    let link = MagicLink::consume(conn, INVITE_PURPOSE, token)?
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let task_id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let task = Task::find(conn, &task_id)?.ok_or_else(|| AppError::not_found("task"))?;
    let name = Registration::find_by_email(conn, &task.stop_id, &link.email)?
        .map(|r| r.name)
        .unwrap_or_else(|| link.email.split('@').next().unwrap_or("").to_owned());
    let done = claim(
        conn,
        env,
        Lang::default(),
        &task_id,
        &name,
        &link.email,
        None,
    )?;
    Ok(done.volunteer.id)
}

pub fn request_link(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    email_address: &str,
) -> Result<(), AppError> {
    let Ok(address) = text::email(email_address) else {
        return Ok(());
    };
    db::write_transaction(conn, |conn| {
        let Some(v) = Volunteer::find_by_email(conn, &address)? else {
            return Ok(());
        };
        let link = crate::services::magic_links::volunteer(
            conn,
            env,
            &v,
            Duration::hours(env.magic_link_hours),
        )?;
        let mail = Mail::SignInLink {
            name: &v.name,
            what: &lang.t("email.sign_in.volunteer_page"),
            link: &link,
            hours: env.magic_link_hours,
        };
        email::enqueue(conn, &env.links, Email::new(mail, lang, &v.email, &v.name))?;
        Ok(())
    })
}

/// An invitation that is still good, without using it: the task and its stop.
pub fn peek_invite(conn: &mut DbConnection, token: &str) -> Result<(Task, StopContext), AppError> {
    let link = MagicLink::peek(conn, INVITE_PURPOSE, token)?
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let task_id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let task = Task::find(conn, &task_id)?.ok_or_else(|| AppError::not_found("invitation"))?;
    let ctx = StopContext::load(conn, &task.stop_id)?;
    Ok((task, ctx))
}

/// A volunteer's tasks across stops, for their page.
pub fn own_tasks(
    conn: &mut DbConnection,
    env: &Env,
    volunteer_id: &str,
) -> Result<(Volunteer, Vec<OwnTask>), AppError> {
    let v = Volunteer::find(conn, volunteer_id)?.ok_or_else(|| AppError::not_found("volunteer"))?;
    let now = db::now();
    let mut out = Vec::new();
    for (claim, task, stop, tour) in Claim::of_volunteer(conn, volunteer_id)? {
        let venue = crate::models::venue::Venue::get(conn, &stop.venue_id)?;
        let releasable = task_rules::can_release(now, task_start(&task, &stop), env.release_hours);
        out.push(OwnTask {
            claim,
            task,
            stop,
            tour,
            venue,
            releasable,
        });
    }
    Ok((v, out))
}

pub fn feed_url(
    conn: &mut DbConnection,
    env: &Env,
    volunteer_id: &str,
) -> Result<String, AppError> {
    let token = secrets::new_token();
    Volunteer::set_feed_token_hash(conn, volunteer_id, &secrets::token_hash(&token))?;
    Ok(env.links.url(&format!("/volunteer/feed/{token}.ics")))
}

pub fn tasks_by_feed(conn: &mut DbConnection, token: &str) -> Result<VolunteerTasks, AppError> {
    let v = Volunteer::find_by_feed_hash(conn, &secrets::token_hash(token))?
        .ok_or_else(|| AppError::not_found("feed"))?;
    let list = Claim::of_volunteer(conn, &v.id)?;
    Ok((v, list))
}

/// The public "help us" page: the tasks of a tour's (or one stop's) public stops still to
/// come, the full ones too (the page says "full" rather than hide them).
pub fn open_tasks(
    conn: &mut DbConnection,
    tour: &Tour,
    stop_id: Option<&str>,
) -> Result<Vec<(Stop, Vec<Task>)>, AppError> {
    let stops: Vec<Stop> = Stop::list_public(conn, &tour.id)?
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| matches!(s.status(), StopStatus::Open | StopStatus::Closed))
        .filter(|s| stop_id.is_none_or(|id| s.id == id))
        .collect();
    let ids: Vec<String> = stops.iter().map(|s| s.id.clone()).collect();
    let tasks = Task::for_stops(conn, &ids)?;
    Ok(stops
        .into_iter()
        .map(|s| {
            let mine: Vec<Task> = tasks
                .iter()
                .filter(|t| t.stop_id == s.id)
                .cloned()
                .collect();
            (s, mine)
        })
        .filter(|(_, t)| !t.is_empty())
        .collect())
}

/// The day-before reminder to every volunteer of a stop (run by the scheduler).
pub fn remind(conn: &mut DbConnection, env: &Env, stop: &Stop) -> Result<usize, AppError> {
    let ctx = StopContext::load(conn, &stop.id)?;
    let mut by_volunteer: Vec<(Volunteer, Vec<String>)> = Vec::new();
    for (_, task, v) in Claim::at_stop(conn, &stop.id)? {
        match by_volunteer.iter_mut().find(|(x, _)| x.id == v.id) {
            Some((_, titles)) => titles.push(task.title),
            None => by_volunteer.push((v, vec![task.title])),
        }
    }
    let n = by_volunteer.len();
    for (v, titles) in by_volunteer {
        let lang = v.lang();
        let link = crate::services::magic_links::volunteer(conn, env, &v, Duration::hours(48))?;
        let mail = Mail::VolunteerReminder {
            name: &v.name,
            stop: &ctx.mail(lang),
            tasks: &titles.join(", "),
            link: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &v.email, &v.name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref())
                .attach(ctx.ics(env)),
        )?;
    }
    Ok(n)
}
