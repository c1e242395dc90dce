//! A published tour with its public stops.

use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;

/// A tour with its public stops and their venues.
pub struct PublicTour {
    pub tour: Tour,
    pub stops: Vec<(Stop, Venue)>,
    /// Whether its call for proposals takes proposals now.
    pub cfp_open: bool,
}
