//! What a stop has collected (slides, photos, videos, the report) and what is still due.

use crate::models::material::{Material, MaterialStatus};
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use chrono::{Duration, NaiveDateTime};

/// A request's state for the dashboards.
pub fn is_overdue(m: &Material, now: NaiveDateTime) -> bool {
    m.status() == MaterialStatus::Requested && now - m.created_at > Duration::days(3)
}

/// How complete a set of materials is: (requested, received, published, overdue).
pub fn completeness(list: &[Material], now: NaiveDateTime) -> (usize, usize, usize, usize) {
    list.iter()
        .fold((0, 0, 0, 0), |(r, rc, p, o), m| match m.status() {
            MaterialStatus::Requested => (r + 1, rc, p, o + usize::from(is_overdue(m, now))),
            MaterialStatus::Received => (r, rc + 1, p, o),
            MaterialStatus::Published => (r, rc, p + 1, o),
        })
}

/// A material as its stop's dashboard shows it.
pub struct MaterialRow {
    pub material: Material,
    /// For a slot's slides: its talk's current title.
    pub talk: Option<String>,
    /// Who it is asked of (or came from): a speaker, a volunteer; empty for the organizers.
    pub owner: String,
}

/// A stop, its tour, and its materials with their talks and owners.
pub type StopMaterials = (Stop, Tour, Vec<MaterialRow>);

/// A tour and, per stop, its materials.
pub type TourCollection = (Tour, Vec<(Stop, Vec<Material>)>);
