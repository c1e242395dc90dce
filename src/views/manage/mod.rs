//! The organizers' pages: tours (with the dashboard and the site's organizers) and stops.

pub mod figures;
pub mod stops;
pub mod tours;
pub mod venue_moves;
