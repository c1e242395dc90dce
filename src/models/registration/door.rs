//! The door's queries: a ticket code's registration (with its stop and tour, once per scan)
//! and the check-in marks, one by one or for a batch.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{registrations, stops, tours};
use crate::domain::attendance::RegistrationStatus;
use crate::models::stop::Stop;
use crate::models::tour::Tour;

use super::Registration;

impl Registration {
    pub fn find_by_code(
        conn: &mut DbConnection,
        stop_id: &str,
        code: &str,
    ) -> QueryResult<Option<Registration>> {
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::code.eq(code))
            .select(Registration::as_select())
            .first(conn)
            .optional()
    }

    /// The registration with this code at the stop, with the stop and its tour (one query,
    /// for the door, where it runs once per scan).
    pub fn find_by_code_with_stop(
        conn: &mut DbConnection,
        stop_id: &str,
        code: &str,
    ) -> QueryResult<Option<(Registration, Stop, Tour)>> {
        registrations::table
            .inner_join(stops::table.inner_join(tours::table))
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::code.eq(code))
            .select((
                Registration::as_select(),
                Stop::as_select(),
                Tour::as_select(),
            ))
            .first(conn)
            .optional()
    }

    /// Marks the check-in; false if it was already done.
    /// Checks in a confirmed registration not yet checked in; false when it is not that
    /// (any more): already checked in, or its status changed meanwhile.
    pub fn check_in_confirmed(
        conn: &mut DbConnection,
        id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            registrations::table
                .find(id)
                .filter(registrations::checked_in_at.is_null())
                .filter(registrations::status.eq(RegistrationStatus::Confirmed)),
        )
        .set((
            registrations::checked_in_at.eq(Some(now)),
            registrations::updated_at.eq(now),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Checks in those of `ids` who are confirmed and not checked in yet; answers the ids it
    /// checked in. (Filtered by id alone: with the stop's id too, SQLite searched the stop's
    /// registrations by status instead of the ids' primary key.)
    pub fn check_in_confirmed_many(
        conn: &mut DbConnection,
        ids: &[&str],
        now: NaiveDateTime,
    ) -> QueryResult<Vec<String>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(
            registrations::table
                .filter(registrations::id.eq_any(ids))
                .filter(registrations::checked_in_at.is_null())
                .filter(registrations::status.eq(RegistrationStatus::Confirmed)),
        )
        .set((
            registrations::checked_in_at.eq(Some(now)),
            registrations::updated_at.eq(now),
        ))
        .returning(registrations::id)
        .get_results(conn)
    }
}
