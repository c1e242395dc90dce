use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::sign_in_failures;

/// The client key that counts an address's failures from every client together.
pub const ANY_CLIENT: &str = "*";

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = sign_in_failures)]
pub struct SignInFailure {
    pub email: String,
    pub client: String,
    pub failures: i32,
    pub last_failure_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct Failures {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

impl SignInFailure {
    pub fn find(
        conn: &mut DbConnection,
        email: &str,
        client: &str,
    ) -> QueryResult<Option<SignInFailure>> {
        sign_in_failures::table
            .find((email, client))
            .select(SignInFailure::as_select())
            .first(conn)
            .optional()
    }

    /// Counts one more failure (starting again from one when the last was before
    /// `forget_before`) in a single statement, so racing guesses are all counted.
    pub fn record(
        conn: &mut DbConnection,
        email: &str,
        client: &str,
        now: NaiveDateTime,
        forget_before: NaiveDateTime,
    ) -> QueryResult<i32> {
        let row: Failures = diesel::sql_query(
            "INSERT INTO sign_in_failures (email, client, failures, last_failure_at) \
             VALUES ($1, $2, 1, $3) \
             ON CONFLICT (email, client) DO UPDATE SET \
             failures = CASE WHEN sign_in_failures.last_failure_at < $4 THEN 1 \
             ELSE sign_in_failures.failures + 1 END, last_failure_at = $3 \
             RETURNING failures",
        )
        .bind::<Text, _>(email)
        .bind::<Text, _>(client)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(forget_before)
        .get_result(conn)?;
        Ok(row.failures)
    }

    pub fn lock(
        conn: &mut DbConnection,
        email: &str,
        client: &str,
        until: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(sign_in_failures::table.find((email, client)))
            .set(sign_in_failures::locked_until.eq(Some(until)))
            .execute(conn)
            .map(|_| ())
    }

    /// Forgets the failures of an address from one client.
    pub fn clear(conn: &mut DbConnection, email: &str, client: &str) -> QueryResult<()> {
        diesel::delete(sign_in_failures::table.find((email, client)))
            .execute(conn)
            .map(|_| ())
    }

    /// Forgets every failure of an address (its owner proved who they are).
    pub fn clear_all(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
        diesel::delete(sign_in_failures::table.filter(sign_in_failures::email.eq(email)))
            .execute(conn)
            .map(|_| ())
    }
}
