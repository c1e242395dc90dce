//! A stop's figures: registrations against the target, check-ins, the signal.

use crate::domain::attendance::Signal;
use crate::models::counters::Counters;
use crate::read::stop::Plan;

/// A stop's figures for its dashboard and the API.
#[derive(Clone, Debug)]
pub struct StopStats {
    pub plan: Plan,
    pub counters: Counters,
    pub signal: Signal,
    pub forecast_attendance: f64,
    /// Confirmed beyond the target (after a move to a smaller room, or walk-ins).
    pub over_target: i64,
    /// Checked in / confirmed, once the stop is done.
    pub actual_show_rate: Option<f64>,
}
