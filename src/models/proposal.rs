//! Proposals to a tour's call for proposals, and the stops each could be given at.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{proposal_stops, proposals};
use crate::db::{self, DbConnection};
use crate::domain::proposal::ProposalStatus;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = proposals)]
pub struct Proposal {
    pub id: String,
    pub tour_id: String,
    pub talk_id: String,
    pub submitted_by: Option<String>,
    pub status: ProposalStatus,
    pub decision_message: String,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    /// When its submitter confirmed their address; before that organizers do not see it.
    pub confirmed_at: Option<NaiveDateTime>,
}

impl Proposal {
    /// A proposal from the public form: unconfirmed until its submitter follows the link.
    pub fn insert(
        conn: &mut DbConnection,
        tour_id: &str,
        talk_id: &str,
        submitted_by: Option<&str>,
        stop_ids: &[String],
        now: NaiveDateTime,
    ) -> QueryResult<Proposal> {
        let id = db::new_id();
        diesel::insert_into(proposals::table)
            .values((
                proposals::id.eq(&id),
                proposals::tour_id.eq(tour_id),
                proposals::talk_id.eq(talk_id),
                proposals::submitted_by.eq(submitted_by),
                proposals::status.eq(ProposalStatus::Proposed),
                proposals::created_at.eq(now),
            ))
            .execute(conn)?;
        for stop_id in stop_ids {
            diesel::insert_into(proposal_stops::table)
                .values((
                    proposal_stops::proposal_id.eq(&id),
                    proposal_stops::stop_id.eq(stop_id),
                ))
                .execute(conn)?;
        }
        proposals::table
            .find(&id)
            .select(Proposal::as_select())
            .first(conn)
    }

    /// A confirmed proposal. Every query here but `find_unconfirmed` and
    /// `unconfirmed_by_since` leaves unconfirmed ones out: until its submitter confirmed the
    /// address, a proposal is not there for anyone.
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        proposals::table
            .find(id)
            .filter(proposals::confirmed_at.is_not_null())
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    /// A proposal waiting for its submitter's confirmation.
    pub fn find_unconfirmed(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        proposals::table
            .find(id)
            .filter(proposals::confirmed_at.is_null())
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    /// Confirms a proposal (once): true if this call did.
    pub fn confirm(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            proposals::table
                .find(id)
                .filter(proposals::confirmed_at.is_null()),
        )
        .set(proposals::confirmed_at.eq(Some(now)))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Unconfirmed proposals submitted in the name of `speaker_id` since `since`.
    pub fn unconfirmed_by_since(
        conn: &mut DbConnection,
        speaker_id: &str,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        proposals::table
            .filter(proposals::submitted_by.eq(speaker_id))
            .filter(proposals::confirmed_at.is_null())
            .filter(proposals::created_at.gt(since))
            .count()
            .get_result(conn)
    }

    /// The newest proposal submitted in the name of `speaker_id` since `since` that still
    /// waits for its confirmation.
    pub fn latest_unconfirmed_by(
        conn: &mut DbConnection,
        speaker_id: &str,
        since: NaiveDateTime,
    ) -> QueryResult<Option<Proposal>> {
        proposals::table
            .filter(proposals::submitted_by.eq(speaker_id))
            .filter(proposals::confirmed_at.is_null())
            .filter(proposals::created_at.gt(since))
            .order(proposals::created_at.desc())
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    pub fn list_for_tour(conn: &mut DbConnection, tour_id: &str) -> QueryResult<Vec<Proposal>> {
        proposals::table
            .filter(proposals::tour_id.eq(tour_id))
            .filter(proposals::confirmed_at.is_not_null())
            .order(proposals::created_at)
            .select(Proposal::as_select())
            .load(conn)
    }

    /// The proposals a speaker made or is in, across tours.
    pub fn for_talks(conn: &mut DbConnection, talk_ids: &[String]) -> QueryResult<Vec<Proposal>> {
        proposals::table
            .filter(proposals::talk_id.eq_any(talk_ids.to_vec()))
            .filter(proposals::confirmed_at.is_not_null())
            .order(proposals::created_at.desc())
            .select(Proposal::as_select())
            .load(conn)
    }

    pub fn stop_ids(conn: &mut DbConnection, proposal_id: &str) -> QueryResult<Vec<String>> {
        proposal_stops::table
            .filter(proposal_stops::proposal_id.eq(proposal_id))
            .select(proposal_stops::stop_id)
            .load(conn)
    }

    /// Takes the proposal's row lock (a no-op update: a row lock on PostgreSQL), so that its
    /// speakers' changes and the organizers' decision happen one after the other; the
    /// confirmed proposal, as `find` reads it.
    pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        diesel::update(proposals::table.find(id))
            .set(proposals::status.eq(proposals::status))
            .execute(conn)?;
        Self::find(conn, id)
    }

    /// Its speakers withdraw an undecided proposal; false when it was decided meanwhile.
    pub fn withdraw(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            proposals::table
                .find(id)
                .filter(proposals::status.eq(ProposalStatus::Proposed)),
        )
        .set((
            proposals::status.eq(ProposalStatus::Withdrawn),
            proposals::decided_at.eq(Some(now)),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn set_status(
        conn: &mut DbConnection,
        id: &str,
        status: ProposalStatus,
        message: &str,
    ) -> QueryResult<()> {
        diesel::update(proposals::table.find(id))
            .set((
                proposals::status.eq(status),
                proposals::decision_message.eq(message),
                proposals::decided_at.eq(Some(db::now())),
            ))
            .execute(conn)
            .map(drop)
    }
}
