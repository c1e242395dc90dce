//! What the public sees: published tours and their non-draft stops. Nothing here reads
//! people's data.

use crate::db::DbConnection;
use crate::error::AppError;
use crate::models::stop::{Stop, StopDetail};
use crate::models::tour::Tour;
use crate::models::venue::Venue;

/// A tour with its public stops and their venues.
pub struct PublicTour {
    pub tour: Tour,
    pub stops: Vec<(Stop, Venue)>,
}

pub fn home(conn: &mut DbConnection) -> Result<Vec<PublicTour>, AppError> {
    Tour::list_published(conn)?
        .into_iter()
        .map(|tour| {
            let stops = Stop::list_public(conn, &tour.id)?;
            Ok(PublicTour { tour, stops })
        })
        .collect()
}

pub fn tour(conn: &mut DbConnection, slug: &str) -> Result<PublicTour, AppError> {
    let tour = Tour::find_public_by_slug(conn, slug)?.ok_or_else(|| AppError::not_found("tour"))?;
    let stops = Stop::list_public(conn, &tour.id)?;
    Ok(PublicTour { tour, stops })
}

pub fn stop(conn: &mut DbConnection, stop_id: &str) -> Result<(StopDetail, Tour), AppError> {
    crate::services::stops::public_stop(conn, stop_id)
}
