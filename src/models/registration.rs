//! Registrations of people for stops (their running counts per stop: `models::counters`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{registrations, stops, tours};
use crate::db::{self, DbConnection};
use crate::domain::attendance::{RegistrationStatus, StillComing};
use crate::models::stop::Stop;
use crate::models::tour::Tour;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = registrations)]
pub struct Registration {
    pub id: String,
    pub stop_id: String,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub legal_name: String,
    pub wants_to_volunteer: bool,
    pub status: RegistrationStatus,
    pub code: String,
    pub manage_token_hash: String,
    pub lang: String,
    pub walk_in: bool,
    pub checked_in_at: Option<NaiveDateTime>,
    pub still_coming: Option<StillComing>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Which derived manage link is the registration's (0: a random one from before).
    pub manage_link_version: i32,
}

#[derive(Insertable)]
#[diesel(table_name = registrations)]
// None is NULL (the columns' default anyway): lets SQLite take rows in batches.
#[diesel(treat_none_as_default_value = false)]
pub struct NewRegistration {
    pub id: String,
    pub stop_id: String,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub legal_name: String,
    pub wants_to_volunteer: bool,
    pub status: RegistrationStatus,
    pub code: String,
    pub manage_token_hash: String,
    pub lang: String,
    pub walk_in: bool,
    pub checked_in_at: Option<NaiveDateTime>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub manage_link_version: i32,
}

impl NewRegistration {
    /// The row as it will read once inserted.
    pub fn to_row(&self) -> Registration {
        Registration {
            id: self.id.clone(),
            stop_id: self.stop_id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            affiliation: self.affiliation.clone(),
            legal_name: self.legal_name.clone(),
            wants_to_volunteer: self.wants_to_volunteer,
            status: self.status,
            code: self.code.clone(),
            manage_token_hash: self.manage_token_hash.clone(),
            lang: self.lang.clone(),
            walk_in: self.walk_in,
            checked_in_at: self.checked_in_at,
            still_coming: None,
            confirmed_at: self.confirmed_at,
            cancelled_at: None,
            created_at: self.created_at,
            updated_at: self.updated_at,
            manage_link_version: self.manage_link_version,
        }
    }
}

/// What a person tells about themselves when registering.
pub struct Person<'a> {
    pub name: &'a str,
    pub affiliation: &'a str,
    pub legal_name: &'a str,
    pub wants_to_volunteer: bool,
}

/// Filters of the organizers' registration list.
#[derive(Default, Clone, Debug)]
pub struct RegistrationFilter {
    pub status: Option<RegistrationStatus>,
    pub checked_in: Option<bool>,
    pub volunteers_only: bool,
    /// Part of a name, e-mail, affiliation or code.
    pub search: Option<String>,
}

impl Registration {
    pub fn status(&self) -> RegistrationStatus {
        self.status
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_code(&self.lang).unwrap_or_default()
    }

    /// Many rows at once (the generated tour).
    pub fn insert_many(conn: &mut DbConnection, rows: &[NewRegistration]) -> QueryResult<()> {
        // Batches of rows are backend-specific in diesel: one statement per backend.
        for chunk in rows.chunks(500) {
            let insert = diesel::insert_into(registrations::table).values(chunk);
            match conn {
                DbConnection::Sqlite(c) => insert.execute(c)?,
                DbConnection::Postgresql(c) => insert.execute(c)?,
            };
        }
        Ok(())
    }

    pub fn insert(conn: &mut DbConnection, new: &NewRegistration) -> QueryResult<Registration> {
        diesel::insert_into(registrations::table)
            .values(new)
            .execute(conn)?;
        Self::get(conn, &new.id)
    }

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
            .filter(registrations::status.eq(RegistrationStatus::Waitlisted.as_str()))
            .order((registrations::created_at, registrations::id))
            .limit(n)
            .select(Registration::as_select())
            .load(conn)
    }

    /// 1 for the first in line.
    pub fn waitlist_position(&self, conn: &mut DbConnection) -> QueryResult<i64> {
        let ahead: i64 = registrations::table
            .filter(registrations::stop_id.eq(&self.stop_id))
            .filter(registrations::status.eq(RegistrationStatus::Waitlisted.as_str()))
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

    /// Moves a registration from one status to another; false if it was not in `from`.
    pub fn move_status(
        conn: &mut DbConnection,
        id: &str,
        from: RegistrationStatus,
        to: RegistrationStatus,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let target = registrations::table
            .find(id)
            .filter(registrations::status.eq(from.as_str()));
        let n = match to {
            RegistrationStatus::Confirmed => diesel::update(target)
                .set((
                    registrations::status.eq(to.as_str()),
                    registrations::confirmed_at.eq(Some(now)),
                    registrations::updated_at.eq(now),
                ))
                .execute(conn)?,
            // A checked-in registration is never cancelled: the person was in the room.
            RegistrationStatus::Cancelled => {
                diesel::update(target.filter(registrations::checked_in_at.is_null()))
                    .set((
                        registrations::status.eq(to.as_str()),
                        registrations::cancelled_at.eq(Some(now)),
                        registrations::updated_at.eq(now),
                    ))
                    .execute(conn)?
            }
            RegistrationStatus::Waitlisted => diesel::update(target)
                .set((
                    registrations::status.eq(to.as_str()),
                    registrations::updated_at.eq(now),
                ))
                .execute(conn)?,
        };
        Ok(n == 1)
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
                .filter(registrations::status.eq(RegistrationStatus::Confirmed.as_str())),
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
                .filter(registrations::status.eq(RegistrationStatus::Confirmed.as_str())),
        )
        .set((
            registrations::checked_in_at.eq(Some(now)),
            registrations::updated_at.eq(now),
        ))
        .returning(registrations::id)
        .get_results(conn)
    }

    pub fn set_still_coming(
        conn: &mut DbConnection,
        id: &str,
        answer: StillComing,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            registrations::table
                .find(id)
                .filter(registrations::still_coming.is_null()),
        )
        .set((
            registrations::still_coming.eq(Some(answer)),
            registrations::updated_at.eq(now),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Makes a derived manage link the registration's one link (only its hash is kept).
    pub fn set_manage_link(
        conn: &mut DbConnection,
        id: &str,
        version: i32,
        hash: &str,
    ) -> QueryResult<()> {
        diesel::update(registrations::table.find(id))
            .set((
                registrations::manage_link_version.eq(version),
                registrations::manage_token_hash.eq(hash),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Takes a cancelled registration back into line with fresh details.
    pub fn reopen(
        conn: &mut DbConnection,
        id: &str,
        status: RegistrationStatus,
        person: &Person,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(registrations::table.find(id))
            .set((
                registrations::status.eq(status.as_str()),
                registrations::name.eq(person.name),
                registrations::affiliation.eq(person.affiliation),
                registrations::legal_name.eq(person.legal_name),
                registrations::wants_to_volunteer.eq(person.wants_to_volunteer),
                registrations::confirmed_at
                    .eq((status == RegistrationStatus::Confirmed).then_some(now)),
                registrations::cancelled_at.eq(None::<NaiveDateTime>),
                registrations::still_coming.eq(None::<String>),
                // A cancelled registration was never in the room (cancelling is refused
                // once checked in); a stale mark must not count it as there.
                registrations::checked_in_at.eq(None::<NaiveDateTime>),
                // Back of the line, like any new registration.
                registrations::created_at.eq(now),
                registrations::updated_at.eq(now),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Replaces what identifies a person; the row stays so the stop's figures stay true.
    pub fn erase_personal_data(
        conn: &mut DbConnection,
        id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(registrations::table.find(id))
            .set((
                registrations::name.eq(""),
                registrations::email.eq(format!("erased-{id}@invalid")),
                registrations::affiliation.eq(""),
                registrations::legal_name.eq(""),
                registrations::wants_to_volunteer.eq(false),
                registrations::updated_at.eq(now),
            ))
            .execute(conn)
            .map(drop)
    }

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
            .filter(registrations::status.eq(RegistrationStatus::Confirmed.as_str()))
            .filter(registrations::checked_in_at.is_null())
            .group_by(registrations::email)
            .select((registrations::email, diesel::dsl::count_star()))
            .load(conn)
    }

    /// Confirmed registrations per day of registration (for the chart), oldest first.
    pub fn created_times(
        conn: &mut DbConnection,
        stop_id: &str,
    ) -> QueryResult<Vec<(NaiveDateTime, String)>> {
        registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .order(registrations::created_at)
            .select((registrations::created_at, registrations::status))
            .load(conn)
    }
}
