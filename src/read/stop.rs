//! A stop with its venue and tour, as use cases load it and pages show it, and its plan.

use crate::db::DbConnection;
use crate::domain::content::Subject;
use crate::error::AppError;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::translation::Texts;
use crate::models::venue::Venue;

/// The capacity, expected show rate and registration target of a stop, right now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub capacity: i32,
    pub show_rate: f64,
    pub target: i64,
}

/// The stop with what its registration e-mails need.
pub struct StopContext {
    pub stop: Stop,
    pub venue: Venue,
    pub tour: Tour,
    /// Their texts in other languages: e-mails show each recipient theirs.
    pub texts: Texts,
}

impl StopContext {
    pub fn load(conn: &mut DbConnection, stop_id: &str) -> Result<StopContext, AppError> {
        let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
        let venue = Venue::get(conn, &stop.venue_id)?;
        let tour = Tour::find(conn, &stop.tour_id)?.ok_or_else(|| AppError::not_found("stop"))?;
        let texts = Texts::load(
            conn,
            &[
                (Subject::Tour, &tour.id),
                (Subject::Stop, &stop.id),
                (Subject::Venue, &venue.id),
            ],
        )?;
        Ok(StopContext {
            stop,
            venue,
            tour,
            texts,
        })
    }
}
