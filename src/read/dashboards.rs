//! What the organizers' dashboards show: each stop's figures in its tense (the tour page),
//! the tour's totals, and what needs the organizer today across their tours (their home).

use crate::domain::attendance::Signal;
use crate::domain::stop::Tense;
use crate::models::counters::Counters;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::stop::Plan;

/// One stop's figures, as the tour page and the home show them.
#[derive(Clone, Debug)]
pub struct StopFigures {
    pub stop: Stop,
    pub venue: Venue,
    pub plan: Plan,
    pub counters: Counters,
    pub tense: Tense,
    pub signal: Signal,
    /// Whole days until the start (0 once started).
    pub days_to_go: i64,
    /// Checked in / confirmed, once the stop is over (set beside the forecast `plan.show_rate`).
    pub actual_show_rate: Option<f64>,
    /// Task slots nobody has claimed yet.
    pub open_slots: i64,
    /// Materials asked for and not handed in yet; of them, overdue.
    pub missing_materials: i64,
    pub overdue_materials: i64,
}

impl StopFigures {
    /// Whether the signal asks the organizer to act (promote, or mind the room).
    pub fn signal_is_bad(&self) -> bool {
        self.tense == Tense::Before
            && matches!(
                self.signal,
                Signal::Behind | Signal::EmptyRisk | Signal::CrowdingRisk
            )
    }
}

/// A tour's stops added up (cancelled ones left out).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TourTotals {
    pub confirmed: i64,
    pub target: i64,
    pub waitlisted: i64,
    pub checked_in: i64,
    /// Checked in / confirmed over the stops that are over; the forecast over the same.
    pub actual_show_rate: Option<f64>,
    pub forecast_show_rate: Option<f64>,
    pub open_slots: i64,
    pub missing_materials: i64,
}

/// A task with free slots at a stop that is still to come.
#[derive(Clone, Debug)]
pub struct OpenTask {
    pub stop: Stop,
    pub tour: String,
    pub title: String,
    pub free: i64,
    pub starts_at: Option<chrono::NaiveDateTime>,
}

/// What needs the organizer today, across the tours they may see.
#[derive(Clone, Debug, Default)]
pub struct Home {
    /// Every tour they see, with their role (none: a site admin's), newest first.
    pub tours: Vec<(Tour, Option<crate::domain::access::TeamRole>)>,
    /// Stops in progress, then those starting within a week, soonest first; each with its
    /// tour's name.
    pub this_week: Vec<(StopFigures, String)>,
    /// Stops to come whose signal asks for action.
    pub bad_signals: Vec<(StopFigures, String)>,
    /// Unclaimed task slots of stops to come, soonest first.
    pub open_tasks: Vec<OpenTask>,
    /// Stops with overdue materials: (stop, tour name, how many).
    pub overdue: Vec<(Stop, String, i64)>,
    /// Tours whose e-mails failed for good: (tour, how many).
    pub failed_emails: Vec<(Tour, i64)>,
}

impl Home {
    pub fn nothing_to_do(&self) -> bool {
        self.this_week.is_empty()
            && self.bad_signals.is_empty()
            && self.open_tasks.is_empty()
            && self.overdue.is_empty()
            && self.failed_emails.is_empty()
    }
}
