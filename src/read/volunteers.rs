//! Tasks and claims as organizers and volunteers see them.

use crate::models::stop::Stop;
use crate::models::task::{Claim, Task, Volunteer};
use crate::models::tour::Tour;

/// What became of the tasks picked on the help page.
#[derive(Default)]
pub struct TasksOutcome {
    /// Taken now.
    pub taken: Vec<Task>,
    /// This person held them already.
    pub already: Vec<Task>,
    /// No place was left.
    pub full: Vec<Task>,
}

/// A task with who holds it.
pub struct TaskView {
    pub task: Task,
    pub claims: Vec<ClaimView>,
    /// Unfilled close to the stop.
    pub flagged: bool,
}

/// One claim of a task, for its organizers.
pub struct ClaimView {
    pub claim: Claim,
    pub volunteer: Volunteer,
    /// Earlier no-shows of the volunteer.
    pub no_shows: i64,
    /// For a registration-desk task: whether an organizer gave this volunteer access to the
    /// stop's desk (a claim alone never does).
    pub desk_access: Option<bool>,
}

/// A volunteer and their active claims, with task, stop and tour.
pub type VolunteerTasks = (Volunteer, Vec<(Claim, Task, Stop, Tour)>);

/// One task on its volunteer's page: where it happens (the venue's address and
/// directions), and whether they may still release it themselves.
pub struct OwnTask {
    pub claim: Claim,
    pub task: Task,
    pub stop: Stop,
    pub tour: Tour,
    pub venue: crate::models::venue::Venue,
    pub releasable: bool,
}
