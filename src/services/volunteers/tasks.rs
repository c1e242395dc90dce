//! The organizers' side: a stop's tasks, who holds them, who would like to help.

use chrono::NaiveDateTime;

use crate::db::{self, DbConnection};
use crate::domain::content::{Subject, TextChange};
use crate::domain::ids::{StopId, TaskId};
use crate::domain::stop::local_to_utc;
use crate::domain::task::{self as task_rules, STANDARD_SET, TaskKind};
use crate::domain::text;
use crate::error::{AppError, ErrorCode, FieldCode, FieldError, Validator};
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::models::registration::{Registration, RegistrationFilter};
use crate::models::stop::Stop;
use crate::models::task::{Claim, Task, TaskChanges};
use crate::models::tour::Tour;
use crate::models::translation::Translation;
use crate::read::volunteers::{ClaimView, TaskView};
use crate::services::access;
use crate::services::context::Context;

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

/// A task titled by its kind is titled in every language roadshow speaks, so each volunteer
/// reads it in theirs (the original stays in the organizer's).
fn title_in_every_language(conn: &mut DbConnection, task: &Task) -> Result<(), AppError> {
    let changes: Vec<TextChange> = Lang::ALL
        .iter()
        .map(|l| TextChange {
            lang: l.code().to_owned(),
            field: "title",
            text: Some(kind_title(task.kind, *l)),
        })
        .collect();
    Ok(Translation::apply(
        conn,
        Subject::Task,
        &task.id,
        &changes,
        None,
    )?)
}

/// A new task at a stop the organizer runs; its title defaults to its kind's name.
pub async fn create_task(
    ctx: &Context,
    organizer: &Organizer,
    lang: Lang,
    stop: &StopId,
    input: TaskInput,
) -> Result<Task, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| create_task_in(conn, &organizer, lang, &stop, input))
        .await
}

/// A task's times as the organizers' page takes them: typed in the stop's time zone, blank
/// for none.
pub struct LocalTimes {
    pub starts_at: String,
    pub ends_at: String,
}

/// A new task from the organizers' page, its times read in the stop's time zone.
pub async fn create_task_local(
    ctx: &Context,
    organizer: &Organizer,
    lang: Lang,
    stop: &StopId,
    input: TaskInput,
    times: LocalTimes,
) -> Result<Task, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let tz = access::stop_for(conn, &organizer, &stop)?.0.tz();
            let time = |v: &str| {
                if v.trim().is_empty() {
                    Ok(None)
                } else {
                    local_to_utc(v, tz).map(Some)
                }
            };
            let input = TaskInput {
                starts_at: Some(time(&times.starts_at)),
                ends_at: Some(time(&times.ends_at)),
                ..input
            };
            create_task_in(conn, &organizer, lang, &stop, input)
        })
        .await
}

fn create_task_in(
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
    let titled_by_kind = title.is_empty();
    let title = if titled_by_kind {
        kind_title(kind, lang)
    } else {
        title
    };
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let task = Task::insert(
            conn,
            &stop.id,
            kind.as_str(),
            &title,
            &description,
            starts_at,
            ends_at,
            slots.unwrap_or(1),
        )?;
        if titled_by_kind {
            title_in_every_language(conn, &task)?;
        }
        Ok(task)
    })
}

/// Adds the standard tasks the stop does not have yet.
pub async fn apply_standard_set(
    ctx: &Context,
    organizer: &Organizer,
    lang: Lang,
    stop: &StopId,
) -> Result<Vec<Task>, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| apply_standard_set_in(conn, &organizer, lang, &stop))
        .await
}

fn apply_standard_set_in(
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
                let task = Task::insert(
                    conn,
                    &stop.id,
                    kind.as_str(),
                    &kind_title(*kind, lang),
                    "",
                    None,
                    None,
                    *slots,
                )?;
                title_in_every_language(conn, &task)?;
            }
        }
        Ok(Task::for_stop(conn, &stop.id)?)
    })
}

/// The task with the organizer's changes; its slots never drop below its claims.
pub async fn update_task(
    ctx: &Context,
    organizer: &Organizer,
    task: &TaskId,
    input: TaskInput,
) -> Result<Task, AppError> {
    let (organizer, task) = (organizer.clone(), task.clone());
    ctx.db
        .run(move |conn| update_task_in(conn, &organizer, &task, input))
        .await
}

fn update_task_in(
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

/// Removes a task nobody holds.
pub async fn delete_task(
    ctx: &Context,
    organizer: &Organizer,
    task: &TaskId,
) -> Result<(), AppError> {
    let (organizer, task) = (organizer.clone(), task.clone());
    ctx.db
        .run(move |conn| delete_task_in(conn, &organizer, &task))
        .await
}

fn delete_task_in(
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

/// A stop's tasks with who holds them (the API's list).
pub async fn coverage(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<(Stop, Tour, Vec<TaskView>), AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| coverage_in(conn, &organizer, &stop))
        .await
}

/// What the organizers' tasks page shows.
pub struct Coverage {
    pub stop: Stop,
    pub tour: Tour,
    pub tasks: Vec<TaskView>,
    /// Attendees who would like to volunteer, to invite.
    pub candidates: Vec<Registration>,
}

/// The organizers' tasks page: the tasks, who holds them, and whom to invite.
pub async fn coverage_page(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<Coverage, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let (stop, tour, tasks) = coverage_in(conn, &organizer, &stop)?;
            let candidates = candidates(conn, &organizer, &stop.id)?;
            Ok(Coverage {
                stop,
                tour,
                tasks,
                candidates,
            })
        })
        .await
}

fn coverage_in(
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
    let now = db::now();
    let views = tasks
        .into_iter()
        .map(|task| {
            let desk = task.kind == TaskKind::RegistrationDesk;
            TaskView {
                flagged: task_rules::flag_unfilled(now, stop.starts_at, task.claimed, task.slots),
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

/// Attendees of the stop who ticked "I'd like to volunteer".
fn candidates(
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
