//! A published tour with its public stops, and a public stop's page.

use crate::models::agenda::AgendaChange;
use crate::models::material::Material;
use crate::models::stop::{Stop, StopDetail, VenueSwitch};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::agenda::Entry;

/// A tour with its public stops and their venues.
pub struct PublicTour {
    pub tour: Tour,
    pub stops: Vec<(Stop, Venue)>,
    /// Whether its call for proposals takes proposals now.
    pub cfp_open: bool,
}

/// What the public page of a stop shows.
pub struct PublicStop {
    pub detail: StopDetail,
    pub tour: Tour,
    /// Places left while it takes registrations (None: closed, or over).
    pub places_left: Option<i64>,
    /// The published agenda and what changed in it since (both empty before it is out).
    pub agenda: Vec<Entry>,
    pub changes: Vec<AgendaChange>,
    /// Published materials, and the whole agenda they are of.
    pub published: Vec<Material>,
    pub entries_all: Vec<Entry>,
    /// The latest move to another venue (with the old and new venues' names), so people
    /// who saw the old one are told.
    pub moved: Option<(VenueSwitch, String, String)>,
}
