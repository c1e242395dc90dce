//! Writing registrations: inserts, status moves, "still coming?", manage links, taking one
//! up again, erasing a person's data.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::registrations;
use crate::domain::attendance::{RegistrationStatus, StillComing};

use super::{NewRegistration, Person, Registration};

impl Registration {
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
}
