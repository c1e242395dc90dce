//! Finding registrations: by id, address, manage link or ticket code, and their place in
//! the waitlist.

use diesel::prelude::*;

use crate::db::schema::registrations;
use crate::db::{self, DbConnection};
use crate::domain::attendance::RegistrationStatus;

use super::Registration;

impl Registration {
    pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Registration> {
        registrations::table
            .find(id)
            .select(Registration::as_select())
            .first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Registration>> {
        Self::get(conn, id).optional()
    }

    pub fn find_by_email(
        conn: &mut DbConnection,
        stop_id: &str,
        email: &str,
    ) -> QueryResult<Option<Registration>> {
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::email.eq(email))
            .select(Registration::as_select())
            .first(conn)
            .optional()
    }

    /// The stop's registrations of any of these addresses (one query for a batch).
    pub fn find_by_emails(
        conn: &mut DbConnection,
        stop_id: &str,
        emails: &[&str],
    ) -> QueryResult<Vec<Registration>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::email.eq_any(emails))
            .filter(db::planned_each_time())
            .select(Registration::as_select())
            .load(conn)
    }

    /// Which of these ticket codes the stop already uses.
    pub fn codes_taken(
        conn: &mut DbConnection,
        stop_id: &str,
        codes: &[String],
    ) -> QueryResult<Vec<String>> {
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::code.eq_any(codes))
            .filter(db::planned_each_time())
            .select(registrations::code)
            .load(conn)
    }

    pub fn find_by_token_hash(
        conn: &mut DbConnection,
        hash: &str,
    ) -> QueryResult<Option<Registration>> {
        registrations::table
            .filter(registrations::manage_token_hash.eq(hash))
            .select(Registration::as_select())
            .first(conn)
            .optional()
    }

    pub fn code_taken(conn: &mut DbConnection, stop_id: &str, code: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            registrations::table
                .filter(registrations::stop_id.eq(stop_id))
                .filter(registrations::code.eq(code)),
        ))
        .get_result(conn)
    }

    /// The oldest waitlisted registrations of a stop, first in line first.
    pub fn waitlist_head(
        conn: &mut DbConnection,
        stop_id: &str,
        n: i64,
    ) -> QueryResult<Vec<Registration>> {
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
            .order((registrations::created_at, registrations::id))
            .limit(n)
            .select(Registration::as_select())
            .load(conn)
    }

    /// 1 for the first in line.
    pub fn waitlist_position(&self, conn: &mut DbConnection) -> QueryResult<i64> {
        let ahead: i64 = registrations::table
            .filter(registrations::stop_id.eq(&self.stop_id))
            .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
            .filter(
                registrations::created_at
                    .lt(self.created_at)
                    .or(registrations::created_at
                        .eq(self.created_at)
                        .and(registrations::id.lt(&self.id))),
            )
            .count()
            .get_result(conn)?;
        Ok(ahead + 1)
    }
}
