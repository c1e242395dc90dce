//! The public "help us" pages: a tour's (or one stop's) open tasks, and their claim forms.

use crate::db::DbConnection;
use crate::domain::content::Subject;
use crate::domain::ids::{StopId, TaskId};
use crate::domain::stop::StopStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::stop::Stop;
use crate::models::task::Task;
use crate::models::tour::Tour;
use crate::models::translation::Texts;
use crate::read::volunteers::TasksOutcome;
use crate::services::context::Context;

use super::claims::claim_tasks_in;

/// Which help page: a tour's (by its slug), or one stop's.
#[derive(Clone, Debug)]
pub enum HelpOf {
    Tour(String),
    Stop(StopId),
}

/// The public "help us" page: the public tour and the tasks of its stops still to come, in
/// the reader's language.
pub async fn open_tasks(
    ctx: &Context,
    of: &HelpOf,
    lang: Lang,
) -> Result<(Tour, Vec<(Stop, Vec<Task>)>), AppError> {
    let of = of.clone();
    ctx.db
        .run(move |conn| {
            let (tour, stop_id) = match of {
                HelpOf::Tour(slug) => (
                    Tour::find_public_by_slug(conn, &slug)?
                        .ok_or_else(|| AppError::not_found("tour"))?,
                    None,
                ),
                HelpOf::Stop(id) => (public_tour_of(conn, &id)?, Some(id)),
            };
            let mut list = open_tasks_in(conn, &tour, stop_id.as_deref())?;
            let mut tour = tour;
            let texts = {
                let mut records = vec![(Subject::Tour, tour.id.as_str())];
                for (stop, tasks) in &list {
                    records.push((Subject::Stop, &stop.id));
                    records.extend(tasks.iter().map(|t| (Subject::Task, t.id.as_str())));
                }
                Texts::load(conn, &records)?
            };
            texts.localize(lang.code(), &mut tour);
            for (stop, tasks) in &mut list {
                texts.localize(lang.code(), stop);
                texts.localize_all(lang.code(), tasks.iter_mut());
            }
            Ok((tour, list))
        })
        .await
}

/// The public tour of a public stop, 404 "stop" otherwise (as `stops::public_stop` answers;
/// asked here, as `services::stops` leads to this module through `services::schedule`).
fn public_tour_of(conn: &mut DbConnection, stop_id: &str) -> Result<Tour, AppError> {
    let stop = Stop::find(conn, stop_id)?
        .filter(|s| s.status().is_public())
        .ok_or_else(|| AppError::not_found("stop"))?;
    Tour::find(conn, &stop.tour_id)?
        .filter(Tour::is_public)
        .ok_or_else(|| AppError::not_found("stop"))
}

/// The tasks of a tour's (or one stop's) public stops still to come, the full ones too (the
/// page says "full" rather than hide them).
fn open_tasks_in(
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

/// One task's claim form (the help page had one per task before it had one for all): like
/// the help page's form with that task ticked. Answers the task's stop, whose help page
/// shows the outcome (outer error: no such task), and what the claim did (inner result).
pub async fn claim_one(
    ctx: &Context,
    lang: Lang,
    task: &TaskId,
    name: String,
    email_address: String,
) -> Result<(StopId, Result<TasksOutcome, AppError>), AppError> {
    let (env, task) = (ctx.env.clone(), task.clone());
    ctx.db
        .run(move |conn| {
            let stop_id = Task::find(conn, &task)?
                .map(|t| t.stop_id)
                .ok_or_else(|| AppError::not_found("task"))?;
            let ids = [task.into_string()];
            let outcome = claim_tasks_in(conn, &env, lang, &ids, &name, &email_address);
            Ok((StopId::from(stop_id), outcome))
        })
        .await
}
