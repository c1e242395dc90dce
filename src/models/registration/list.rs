//! Lists and searches: the organizers' list of a stop, everyone concerned, a person's
//! history, no-shows, the registrations over time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{registrations, stops, tours};
use crate::domain::attendance::RegistrationStatus;
use crate::models::stop::Stop;
use crate::models::tour::Tour;

use super::{Registration, RegistrationFilter};

impl Registration {
    pub fn list(
        conn: &mut DbConnection,
        stop_id: &str,
        filter: &RegistrationFilter,
    ) -> QueryResult<Vec<Registration>> {
        let mut query = registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .order((registrations::created_at, registrations::id))
            .select(Registration::as_select())
            .into_boxed();
        if let Some(s) = filter.status {
            query = query.filter(registrations::status.eq(s.as_str()));
        }
        match filter.checked_in {
            Some(true) => query = query.filter(registrations::checked_in_at.is_not_null()),
            Some(false) => query = query.filter(registrations::checked_in_at.is_null()),
            None => {}
        }
        if filter.volunteers_only {
            query = query.filter(registrations::wants_to_volunteer.eq(true));
        }
        if let Some(term) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!(
                "%{}%",
                term.to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            query = query.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(name) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(email) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(affiliation) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(code) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern)
                    .sql(" ESCAPE '\\')"),
            );
        }
        query.load(conn)
    }

    /// Registrations of a stop in some statuses (e-mails to everyone concerned).
    pub fn with_status(
        conn: &mut DbConnection,
        stop_id: &str,
        statuses: &[RegistrationStatus],
    ) -> QueryResult<Vec<Registration>> {
        let statuses: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .filter(registrations::status.eq_any(statuses))
            .order(registrations::created_at)
            .select(Registration::as_select())
            .load(conn)
    }

    /// One person's registrations in some tours, newest stop first.
    pub fn history(
        conn: &mut DbConnection,
        email: &str,
        tour_ids: &[String],
    ) -> QueryResult<Vec<(Registration, Stop, Tour)>> {
        registrations::table
            .inner_join(stops::table.inner_join(tours::table))
            .filter(registrations::email.eq(email))
            .filter(stops::tour_id.eq_any(tour_ids.to_vec()))
            .order(stops::starts_at.desc())
            .select((
                Registration::as_select(),
                Stop::as_select(),
                Tour::as_select(),
            ))
            .load(conn)
    }

    /// For each address: how many times it stayed confirmed for a done stop and did not come.
    pub fn no_show_counts(
        conn: &mut DbConnection,
        emails: &[String],
        tour_ids: &[String],
    ) -> QueryResult<Vec<(String, i64)>> {
        registrations::table
            .inner_join(stops::table)
            .filter(registrations::email.eq_any(emails.to_vec()))
            .filter(stops::tour_id.eq_any(tour_ids.to_vec()))
            .filter(stops::status.eq(crate::domain::stop::StopStatus::Done))
            .filter(registrations::status.eq(RegistrationStatus::Confirmed))
            .filter(registrations::checked_in_at.is_null())
            .group_by(registrations::email)
            .select((registrations::email, diesel::dsl::count_star()))
            .load(conn)
    }

    /// Confirmed registrations per day of registration (for the chart), oldest first.
    pub fn created_times(
        conn: &mut DbConnection,
        stop_id: &str,
    ) -> QueryResult<Vec<(NaiveDateTime, RegistrationStatus)>> {
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .order(registrations::created_at)
            .select((registrations::created_at, registrations::status))
            .load(conn)
    }
}
