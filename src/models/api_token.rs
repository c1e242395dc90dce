use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::{api_tokens, organizers};
use crate::db::{self, DbConnection};
use crate::models::organizer::Organizer;
use crate::secrets;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub organizer_id: String,
    pub token_hash: String,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
}

impl ApiToken {
    /// Stores a new token for the organizer and returns its only plain-text copy with the
    /// row. `expires_at` None: until revoked or the password is reset.
    pub fn create(
        conn: &mut DbConnection,
        organizer_id: &str,
        label: &str,
        expires_at: Option<NaiveDateTime>,
    ) -> QueryResult<(String, ApiToken)> {
        let token = secrets::new_token();
        let id = db::new_id();
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(&id),
                api_tokens::organizer_id.eq(organizer_id),
                api_tokens::token_hash.eq(secrets::token_hash(&token)),
                api_tokens::label.eq(label),
                api_tokens::created_at.eq(db::now()),
                api_tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Auth)?;
        let row = api_tokens::table
            .find(&id)
            .select(ApiToken::as_select())
            .first(conn)?;
        Ok((token, row))
    }

    /// The organizer a bearer token belongs to, if it is one of ours and has not expired,
    /// with the token's expiry.
    pub fn organizer_for(
        conn: &mut DbConnection,
        token: &str,
    ) -> QueryResult<Option<(Organizer, Option<NaiveDateTime>)>> {
        let now = db::now();
        let found: Option<(ApiToken, Organizer)> = api_tokens::table
            .inner_join(organizers::table)
            .filter(api_tokens::token_hash.eq(secrets::token_hash(token)))
            .filter(
                api_tokens::expires_at
                    .is_null()
                    .or(api_tokens::expires_at.gt(now)),
            )
            .select((ApiToken::as_select(), Organizer::as_select()))
            .first(conn)
            .optional()?;
        let Some((api_token, organizer)) = found else {
            return Ok(None);
        };
        // Record use at most hourly, so reads do not turn into writes.
        if api_token
            .last_used_at
            .is_none_or(|t| now - t > Duration::hours(1))
        {
            diesel::update(api_tokens::table.find(&api_token.id))
                .set(api_tokens::last_used_at.eq(Some(now)))
                .execute(conn)?;
        }
        Ok(Some((organizer, api_token.expires_at)))
    }

    /// An organizer's tokens that still work, newest first.
    pub fn list_for(conn: &mut DbConnection, organizer_id: &str) -> QueryResult<Vec<ApiToken>> {
        api_tokens::table
            .filter(api_tokens::organizer_id.eq(organizer_id))
            .filter(
                api_tokens::expires_at
                    .is_null()
                    .or(api_tokens::expires_at.gt(db::now())),
            )
            .order(api_tokens::created_at.desc())
            .select(ApiToken::as_select())
            .load(conn)
    }

    /// Revokes one of an organizer's tokens; 0 when it is not theirs.
    pub fn delete_of(conn: &mut DbConnection, organizer_id: &str, id: &str) -> QueryResult<usize> {
        let n = diesel::delete(
            api_tokens::table
                .filter(api_tokens::id.eq(id))
                .filter(api_tokens::organizer_id.eq(organizer_id)),
        )
        .execute(conn)?;
        auth_changed(conn, n)
    }

    /// Revokes every token of an organizer (their password was reset).
    pub fn delete_all_of(conn: &mut DbConnection, organizer_id: &str) -> QueryResult<usize> {
        let n = diesel::delete(api_tokens::table.filter(api_tokens::organizer_id.eq(organizer_id)))
            .execute(conn)?;
        auth_changed(conn, n)
    }
}

/// Instances that remember a token's caller look it up again (only when a row went).
fn auth_changed(conn: &mut DbConnection, rows: usize) -> QueryResult<usize> {
    if rows > 0 {
        cache::record(conn, Change::Auth)?;
    }
    Ok(rows)
}
