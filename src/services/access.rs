//! The one place where an organizer's reach is decided. Every organizer-facing read of a
//! tour or a stop goes through `tour_for` / `stop_for`, which answer "not found" for
//! anything outside the caller's team, so other teams' data cannot leak by omission. The
//! queries behind them are `models::access`'.

use crate::db::DbConnection;
use crate::domain::access::TourAccess;
use crate::error::AppError;
use crate::models::access::tour_access;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::models::tour::Tour;

/// A tour the caller's team role covers, with that role; 404 otherwise.
pub fn tour_for(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<(Tour, TourAccess), AppError> {
    let tour = Tour::find(conn, tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
    let access =
        tour_access(conn, organizer, tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
    Ok((tour, access))
}

/// A tour the caller may edit; 404 if not theirs, 403 if theirs but read-only for them.
pub fn editable_tour(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<(Tour, TourAccess), AppError> {
    let (tour, access) = tour_for(conn, organizer, tour_id)?;
    if !access.can_edit_tour() {
        return Err(AppError::forbidden(
            "only the tour's owners and organizers may change it",
        ));
    }
    Ok((tour, access))
}

/// A stop the caller's role covers (the whole tour, or their local stops); 404 otherwise.
pub fn stop_for(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<(Stop, Tour, TourAccess), AppError> {
    let (stop, tour) =
        Stop::find_with_tour(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
    let access =
        tour_access(conn, organizer, &tour.id)?.ok_or_else(|| AppError::not_found("stop"))?;
    if !access.covers_stop(&stop.id) {
        return Err(AppError::not_found("stop"));
    }
    Ok((stop, tour, access))
}
