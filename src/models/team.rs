//! Tour teams: who organizes a tour, and which stops a local member runs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{organizers, tour_member_stops, tour_members};
use crate::db::{self, DbConnection};
use crate::domain::access::TeamRole;
use crate::models::organizer::Organizer;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = tour_members)]
pub struct TourMember {
    pub tour_id: String,
    pub organizer_id: String,
    pub role: TeamRole,
    pub created_at: NaiveDateTime,
}

/// A team member as the team page shows them.
#[derive(Clone, Debug)]
pub struct TeamMemberView {
    pub organizer: Organizer,
    pub role: TeamRole,
    pub stop_ids: Vec<String>,
}

impl TourMember {
    pub fn role(&self) -> TeamRole {
        self.role
    }

    /// Adds or changes a member; a local member's stops are replaced by `stop_ids`.
    pub fn put(
        conn: &mut DbConnection,
        tour_id: &str,
        organizer_id: &str,
        role: TeamRole,
        stop_ids: &[String],
    ) -> QueryResult<()> {
        let existing = diesel::update(
            tour_members::table
                .filter(tour_members::tour_id.eq(tour_id))
                .filter(tour_members::organizer_id.eq(organizer_id)),
        )
        .set(tour_members::role.eq(role.as_str()))
        .execute(conn)?;
        if existing == 0 {
            diesel::insert_into(tour_members::table)
                .values((
                    tour_members::tour_id.eq(tour_id),
                    tour_members::organizer_id.eq(organizer_id),
                    tour_members::role.eq(role.as_str()),
                    tour_members::created_at.eq(db::now()),
                ))
                .execute(conn)?;
        }
        diesel::delete(
            tour_member_stops::table
                .filter(tour_member_stops::tour_id.eq(tour_id))
                .filter(tour_member_stops::organizer_id.eq(organizer_id)),
        )
        .execute(conn)?;
        if role == TeamRole::Local {
            for stop_id in stop_ids {
                diesel::insert_into(tour_member_stops::table)
                    .values((
                        tour_member_stops::tour_id.eq(tour_id),
                        tour_member_stops::organizer_id.eq(organizer_id),
                        tour_member_stops::stop_id.eq(stop_id),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    }

    pub fn remove(
        conn: &mut DbConnection,
        tour_id: &str,
        organizer_id: &str,
    ) -> QueryResult<usize> {
        diesel::delete(
            tour_member_stops::table
                .filter(tour_member_stops::tour_id.eq(tour_id))
                .filter(tour_member_stops::organizer_id.eq(organizer_id)),
        )
        .execute(conn)?;
        diesel::delete(
            tour_members::table
                .filter(tour_members::tour_id.eq(tour_id))
                .filter(tour_members::organizer_id.eq(organizer_id)),
        )
        .execute(conn)
    }

    pub fn count_owners(conn: &mut DbConnection, tour_id: &str) -> QueryResult<i64> {
        tour_members::table
            .filter(tour_members::tour_id.eq(tour_id))
            .filter(tour_members::role.eq(TeamRole::Owner))
            .count()
            .get_result(conn)
    }

    pub fn find(
        conn: &mut DbConnection,
        tour_id: &str,
        organizer_id: &str,
    ) -> QueryResult<Option<TourMember>> {
        tour_members::table
            .filter(tour_members::tour_id.eq(tour_id))
            .filter(tour_members::organizer_id.eq(organizer_id))
            .select(TourMember::as_select())
            .first(conn)
            .optional()
    }

    /// The team of a tour, owners first.
    pub fn team(conn: &mut DbConnection, tour_id: &str) -> QueryResult<Vec<TeamMemberView>> {
        let rows: Vec<(TourMember, Organizer)> = tour_members::table
            .inner_join(organizers::table)
            .filter(tour_members::tour_id.eq(tour_id))
            .order((tour_members::created_at, organizers::email))
            .select((TourMember::as_select(), Organizer::as_select()))
            .load(conn)?;
        let stops: Vec<(String, String)> = tour_member_stops::table
            .filter(tour_member_stops::tour_id.eq(tour_id))
            .select((tour_member_stops::organizer_id, tour_member_stops::stop_id))
            .load(conn)?;
        let mut team: Vec<TeamMemberView> = rows
            .into_iter()
            .map(|(member, organizer)| TeamMemberView {
                role: member.role(),
                stop_ids: stops
                    .iter()
                    .filter(|(o, _)| *o == organizer.id)
                    .map(|(_, s)| s.clone())
                    .collect(),
                organizer,
            })
            .collect();
        team.sort_by_key(|m| m.role != TeamRole::Owner);
        Ok(team)
    }
}
