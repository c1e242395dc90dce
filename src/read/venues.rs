//! A venue's page: its details, where it is used, its history.

use crate::models::stop::Stop;
use crate::models::stop::VenueUse;
use crate::models::tour::Tour;
use crate::models::venue::Venue;

/// A venue as its page shows it to one organizer: who may change it, where it came from,
/// and the caller's own stops there.
pub struct VenuePage {
    pub venue: Venue,
    pub history: Vec<(Stop, Tour)>,
    pub can_edit: bool,
    pub is_creator: bool,
    pub copied_from: Option<Venue>,
    pub my_uses: Vec<VenueUse>,
    /// Its name and directions in other languages.
    pub texts: crate::models::translation::RecordTexts,
}
