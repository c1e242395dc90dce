//! The queries of an organizer's reach: their role on a tour, the tours they see, the stops a
//! role covers. What a missing or foreign tour answers is `services::access`'.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{stops, tour_member_stops, tour_members, tours};
use crate::domain::access::{TeamRole, TourAccess};
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;

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
