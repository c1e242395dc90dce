//! The one place where an organizer's reach is looked up. Every organizer-facing read of a
//! tour or a stop goes through `tour_for` / `stop_for`, which answer "not found" for
//! anything outside the caller's team, so other teams' data cannot leak by omission.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{stops, tour_member_stops, tour_members, tours};
use crate::domain::access::{TeamRole, TourAccess};
use crate::error::AppError;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::models::tour::Tour;

/// The caller's access to a tour, or `None` if it is not theirs to see.
pub fn tour_access(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> QueryResult<Option<TourAccess>> {
    if organizer.is_admin {
        return Ok(Some(TourAccess::admin()));
    }
    let role: Option<String> = tour_members::table
        .filter(tour_members::tour_id.eq(tour_id))
        .filter(tour_members::organizer_id.eq(&organizer.id))
        .select(tour_members::role)
        .first(conn)
        .optional()?;
    let Some(role) = role.as_deref().and_then(TeamRole::parse) else {
        return Ok(None);
    };
    let local_stop_ids = if role == TeamRole::Local {
        tour_member_stops::table
            .filter(tour_member_stops::tour_id.eq(tour_id))
            .filter(tour_member_stops::organizer_id.eq(&organizer.id))
            .select(tour_member_stops::stop_id)
            .load(conn)?
    } else {
        Vec::new()
    };
    Ok(Some(TourAccess {
        admin: false,
        role: Some(role),
        local_stop_ids,
    }))
}

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

/// Ids of the tours the organizer is a member of (all tours for a site admin).
pub fn visible_tour_ids(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> QueryResult<Vec<String>> {
    if organizer.is_admin {
        tours::table.select(tours::id).load(conn)
    } else {
        tour_members::table
            .filter(tour_members::organizer_id.eq(&organizer.id))
            .select(tour_members::tour_id)
            .load(conn)
    }
}

/// Whether the organizer sees at least the stop's tour (used for venue histories).
pub fn sees_stop_tour(access: Option<&TourAccess>, stop: &Stop) -> bool {
    access.is_some_and(|a| a.covers_stop(&stop.id))
}

/// Stops of a tour, restricted to the local member's own when the role is limited.
pub fn stops_in_reach(
    conn: &mut DbConnection,
    tour_id: &str,
    access: &TourAccess,
) -> QueryResult<Vec<Stop>> {
    let mut query = stops::table
        .filter(stops::tour_id.eq(tour_id))
        .order((stops::starts_at, stops::city))
        .select(Stop::as_select())
        .into_boxed();
    if access.is_stop_limited() {
        query = query.filter(stops::id.eq_any(access.local_stop_ids.clone()));
    }
    query.load(conn)
}
