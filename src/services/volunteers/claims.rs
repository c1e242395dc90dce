//! Claiming slots (one task, or the help page's several at once), releasing them, and what
//! organizers do with a claim: mark who came, open the desk to a desk volunteer.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::ids::{ClaimId, TaskId};
use crate::domain::stop::StopStatus;
use crate::domain::task::{self as task_rules, ClaimStatus, TaskKind};
use crate::domain::text;
use crate::email::{self, Email, Mail, TaskClaim, TasksTaken};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::models::task::{Claim, Task, Volunteer};
use crate::read::volunteers::TasksOutcome;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access};

use super::{task_start, when};

/// The outcome of a claim.
pub struct Claimed {
    pub claim: Claim,
    pub task: Task,
    pub volunteer: Volunteer,
    /// False when this person already held a slot of the task.
    pub created: bool,
}

/// Claims a slot of a task for `name` at `email_address` (by the volunteer, or `assigned_by`
/// an organizer).
pub async fn claim(
    ctx: &Context,
    lang: Lang,
    task: &TaskId,
    name: String,
    email_address: String,
    assigned_by: Option<&Organizer>,
) -> Result<Claimed, AppError> {
    let (env, task, assigned_by) = (ctx.env.clone(), task.clone(), assigned_by.cloned());
    ctx.db
        .run(move |conn| {
            claim_in(
                conn,
                &env,
                lang,
                &task,
                &name,
                &email_address,
                assigned_by.as_ref(),
            )
        })
        .await
}

/// Claims a slot of a task (by the volunteer, or `assigned_by` an organizer). Decided under
/// the task's row lock, so slots are never over-claimed however many claim at once.
#[tracing::instrument(skip(conn, env, name, email_address))]
pub(super) fn claim_in(
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

/// The help page's one form: a slot of every task picked, for `name` at `email_address`.
pub async fn claim_tasks(
    ctx: &Context,
    lang: Lang,
    tasks: &[TaskId],
    name: String,
    email_address: String,
) -> Result<TasksOutcome, AppError> {
    let env = ctx.env.clone();
    let ids: Vec<String> = tasks.iter().map(|t| t.to_string()).collect();
    ctx.db
        .run(move |conn| claim_tasks_in(conn, &env, lang, &ids, &name, &email_address))
        .await
}

/// The help page's one form: claims a slot of every task picked, for one person. Decided in
/// one transaction that takes the tasks' locks in one order (so two such forms never wait on
/// each other), each task like `claim`: never over-claimed, a task already held is not taken
/// twice, a full one is reported. One e-mail per stop lists what was taken.
#[tracing::instrument(skip(conn, env, name, email_address))]
pub(super) fn claim_tasks_in(
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

/// Releases a claim: its slot is free again.
pub async fn release(ctx: &Context, claim: &ClaimId, who: Releaser<'_>) -> Result<(), AppError> {
    /// `Releaser`, owned, to cross into the blocking pool.
    enum Who {
        Volunteer(String),
        Organizer(Organizer),
    }
    let who = match who {
        Releaser::Volunteer(id) => Who::Volunteer(id.to_owned()),
        Releaser::Organizer(o) => Who::Organizer(o.clone()),
    };
    let (env, claim) = (ctx.env.clone(), claim.clone());
    ctx.db
        .run(move |conn| {
            let who = match &who {
                Who::Volunteer(id) => Releaser::Volunteer(id),
                Who::Organizer(o) => Releaser::Organizer(o),
            };
            release_in(conn, &env, &claim, who)
        })
        .await
}

fn release_in(
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
pub async fn mark_showed_up(
    ctx: &Context,
    organizer: &Organizer,
    claim: &ClaimId,
    showed_up: Option<bool>,
) -> Result<(), AppError> {
    let (organizer, claim) = (organizer.clone(), claim.clone());
    ctx.db
        .run(move |conn| mark_showed_up_in(conn, &organizer, &claim, showed_up))
        .await
}

fn mark_showed_up_in(
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

/// What an organizer does with a claim from the tasks page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimAction {
    Came,
    Absent,
    Release,
    GiveDesk,
    RemoveDesk,
}

impl ClaimAction {
    /// The action as the page's buttons name it (`came`, `absent`, `release`, `desk`,
    /// `undesk`).
    pub fn parse(action: &str) -> Option<Self> {
        Some(match action {
            "came" => ClaimAction::Came,
            "absent" => ClaimAction::Absent,
            "release" => ClaimAction::Release,
            "desk" => ClaimAction::GiveDesk,
            "undesk" => ClaimAction::RemoveDesk,
            _ => return None,
        })
    }
}

/// One of the tasks page's buttons on a claim, done by the organizer.
pub async fn act_on_claim(
    ctx: &Context,
    organizer: &Organizer,
    claim: &ClaimId,
    action: ClaimAction,
) -> Result<(), AppError> {
    let (env, organizer, claim) = (ctx.env.clone(), organizer.clone(), claim.clone());
    ctx.db
        .run(move |conn| match action {
            ClaimAction::Came => mark_showed_up_in(conn, &organizer, &claim, Some(true)),
            ClaimAction::Absent => mark_showed_up_in(conn, &organizer, &claim, Some(false)),
            ClaimAction::Release => release_in(conn, &env, &claim, Releaser::Organizer(&organizer)),
            ClaimAction::GiveDesk => give_desk_access_in(conn, &env, &organizer, &claim),
            ClaimAction::RemoveDesk => remove_desk_access_in(conn, &organizer, &claim),
        })
        .await
}

/// An organizer lets the volunteer of a registration-desk claim in at the stop's desk.
pub async fn give_desk_access(
    ctx: &Context,
    organizer: &Organizer,
    claim: &ClaimId,
) -> Result<(), AppError> {
    let (env, organizer, claim) = (ctx.env.clone(), organizer.clone(), claim.clone());
    ctx.db
        .run(move |conn| give_desk_access_in(conn, &env, &organizer, &claim))
        .await
}

/// An organizer lets the volunteer of a registration-desk claim in at the stop's desk: they
/// become a named desk helper (`desk::add_helper_in`) and are e-mailed the desk link. Taken
/// back with `desk::remove_helper_in`, like any helper.
fn give_desk_access_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    claim_id: &str,
) -> Result<(), AppError> {
    let (task, volunteer) = desk_claim(conn, organizer, claim_id)?;
    crate::services::desk::add_helper_in(
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
pub async fn remove_desk_access(
    ctx: &Context,
    organizer: &Organizer,
    claim: &ClaimId,
) -> Result<(), AppError> {
    let (organizer, claim) = (organizer.clone(), claim.clone());
    ctx.db
        .run(move |conn| remove_desk_access_in(conn, &organizer, &claim))
        .await
}

fn remove_desk_access_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    claim_id: &str,
) -> Result<(), AppError> {
    let (task, volunteer) = desk_claim(conn, organizer, claim_id)?;
    crate::services::desk::remove_helper_in(conn, organizer, &task.stop_id, &volunteer.email)
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
