//! Volunteers claim the tasks of a stop: slots are never over-claimed, claims can be released
//! until a while before the task, organizers assign and invite, and see who showed up.
//!
//! One file per concern: the organizers' tasks (`tasks`), claiming and releasing (`claims`),
//! invitations (`invites`), the public help pages (`help`), the volunteer's own page, feed
//! and reminders (`portal`).

mod claims;
mod help;
mod invites;
mod portal;
mod tasks;

pub use claims::*;
pub use help::*;
pub use invites::*;
pub use portal::*;
pub use tasks::*;

use chrono::NaiveDateTime;

use crate::domain::task as task_rules;
use crate::i18n::Lang;
use crate::models::stop::Stop;
use crate::models::task::Task;

/// When a task begins: its own start, else its stop's.
fn task_start(task: &Task, stop: &Stop) -> NaiveDateTime {
    task_rules::task_start(task.starts_at, stop.starts_at)
}

fn when(task: &Task, stop: &Stop, lang: Lang) -> String {
    let start = task_start(task, stop);
    let end = task.ends_at.unwrap_or(stop.ends_at);
    crate::format::time_range(lang, start, end, stop.tz())
}
