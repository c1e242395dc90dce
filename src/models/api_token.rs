use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

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
}

impl ApiToken {
    /// Stores a new token for the organizer and returns its only plain-text copy.
    pub fn create(conn: &mut DbConnection, organizer_id: &str, label: &str) -> QueryResult<String> {
        let token = secrets::new_token();
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(db::new_id()),
                api_tokens::organizer_id.eq(organizer_id),
                api_tokens::token_hash.eq(secrets::token_hash(&token)),
                api_tokens::label.eq(label),
                api_tokens::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        Ok(token)
    }

    /// The organizer a bearer token belongs to, if it is one of ours.
    pub fn organizer_for(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Organizer>> {
        let found: Option<(ApiToken, Organizer)> = api_tokens::table
            .inner_join(organizers::table)
            .filter(api_tokens::token_hash.eq(secrets::token_hash(token)))
            .select((ApiToken::as_select(), Organizer::as_select()))
            .first(conn)
            .optional()?;
        let Some((api_token, organizer)) = found else {
            return Ok(None);
        };
        // Record use at most hourly, so reads do not turn into writes.
        let now = db::now();
        if api_token
            .last_used_at
            .is_none_or(|t| now - t > Duration::hours(1))
        {
            diesel::update(api_tokens::table.find(&api_token.id))
                .set(api_tokens::last_used_at.eq(Some(now)))
                .execute(conn)?;
        }
        Ok(Some(organizer))
    }
}
