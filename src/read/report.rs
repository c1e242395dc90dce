//! The tour report as it is shown and exported: a row per stop and the tour's totals.

use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;

#[derive(Clone, Debug)]
pub struct StopRow {
    pub stop: Stop,
    pub venue: Venue,
    pub registrations: i64,
    pub confirmed: i64,
    pub checked_in: i64,
    pub forecast_show_rate: f64,
    pub actual_show_rate: Option<f64>,
    pub online_viewers: Option<i32>,
    pub talks: usize,
    pub speakers: usize,
    pub speaking_slots: usize,
    pub volunteers: usize,
    /// (requested, received, published, overdue)
    pub materials: (usize, usize, usize, usize),
}

impl StopRow {
    pub fn material_completeness(&self) -> Option<f64> {
        let (r, rc, p, _) = self.materials;
        let total = r + rc + p;
        (total > 0).then(|| (rc + p) as f64 / total as f64)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub stops: usize,
    pub registrations: i64,
    pub confirmed: i64,
    pub attendance: i64,
    pub show_rate: Option<f64>,
    pub online_viewers: i64,
    pub talks: usize,
    pub distinct_talks: usize,
    pub distinct_speakers: usize,
    pub speaking_slots: usize,
    /// Speakers at several stops: (name, stops), most first.
    pub repeat_speakers: Vec<(String, usize)>,
    /// Talks given in several cities: (title, cities), most first.
    pub repeat_talks: Vec<(String, Vec<String>)>,
    pub venues_free: usize,
    pub venues_paid: usize,
    pub venues_shared: usize,
    pub volunteers: usize,
    pub material_completeness: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub tour: Tour,
    pub rows: Vec<StopRow>,
    pub totals: Totals,
}
