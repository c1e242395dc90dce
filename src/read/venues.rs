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

/// A venue as it would suit one stop: what to know before holding the stop there.
pub struct VenueFit {
    pub venue: Venue,
    pub fits: Vec<crate::domain::venue::Fit>,
    /// In the stop's city.
    pub same_city: bool,
}

impl VenueFit {
    /// No warning (notes aside).
    pub fn fits_well(&self) -> bool {
        !self.fits.iter().any(crate::domain::venue::Fit::is_warning)
    }
}

/// A stop's venue, ranked backups and the venues it could move to, each with how it fits.
pub struct VenueMoves {
    /// The stop's own venue.
    pub current: Vec<crate::domain::venue::Fit>,
    /// In the order of preference.
    pub backups: Vec<VenueFit>,
    /// The rest of the library in the stop's city, fitting ones first.
    pub candidates: Vec<VenueFit>,
    /// The rest of the library in other cities, fitting ones first.
    pub elsewhere: Vec<VenueFit>,
    /// Not done nor cancelled: it may still move.
    pub can_switch: bool,
}

/// What a venue switch would do, shown before the organizer confirms it.
pub struct SwitchPreview {
    pub detail: crate::models::stop::StopDetail,
    pub tour: crate::models::tour::Tour,
    pub to: VenueFit,
    pub reason: String,
    /// The plan now and in the new room (the stop's own capacity, if set, stays).
    pub before: crate::read::stop::Plan,
    pub after: crate::read::stop::Plan,
    pub confirmed: i64,
    pub waitlisted: i64,
    /// Waitlisted people who move up (confirmed, e-mailed their ticket).
    pub promoted: i64,
    /// Confirmed people above the new target: they stay confirmed.
    pub over: i64,
    /// Who gets the e-mail about the new venue, group by group.
    pub told: crate::domain::stop::Affected,
    /// The e-mail in each language: the language, whose copy it is, and the e-mail.
    pub samples: Vec<(crate::i18n::Lang, String, crate::email::Rendered)>,
    /// What the organizer saw (venue and counts): a confirmation of other figures is shown
    /// the preview again.
    pub seen: String,
}
