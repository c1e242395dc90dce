//! Browser sessions as the server knows them. The cookie carries a secret; its SHA-256 is
//! the row's id, so a stolen database opens no session.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{organizers, sessions};
use crate::db::{self, DbConnection};
use crate::models::organizer::Organizer;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = sessions)]
pub struct BrowserSession {
    pub id: String,
    pub organizer_id: Option<String>,
    pub user_agent: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// How often a session's last use is written down (reads should not all turn into writes).
const TOUCH_EVERY_MINUTES: i64 = 10;

impl BrowserSession {
    pub fn insert(
        conn: &mut DbConnection,
        id_hash: &str,
        organizer_id: Option<&str>,
        user_agent: &str,
        lasts: Duration,
    ) -> QueryResult<()> {
        let now = db::now();
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(id_hash),
                sessions::organizer_id.eq(organizer_id),
                sessions::user_agent.eq(user_agent),
                sessions::created_at.eq(now),
                sessions::last_seen_at.eq(now),
                sessions::expires_at.eq(now + lasts),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// The session if it is still alive (not signed out, revoked or expired).
    pub fn find_live(
        conn: &mut DbConnection,
        id_hash: &str,
    ) -> QueryResult<Option<BrowserSession>> {
        let found = sessions::table
            .find(id_hash)
            .filter(sessions::expires_at.gt(db::now()))
            .select(BrowserSession::as_select())
            .first(conn)
            .optional()?;
        if let Some(s) = &found {
            Self::touch(conn, s)?;
        }
        Ok(found)
    }

    /// The organizer of a live session, if the session is theirs.
    pub fn organizer_of(
        conn: &mut DbConnection,
        id_hash: &str,
        organizer_id: &str,
    ) -> QueryResult<Option<Organizer>> {
        let found: Option<(BrowserSession, Organizer)> = sessions::table
            .inner_join(organizers::table)
            .filter(sessions::id.eq(id_hash))
            .filter(sessions::organizer_id.eq(organizer_id))
            .filter(sessions::expires_at.gt(db::now()))
            .select((BrowserSession::as_select(), Organizer::as_select()))
            .first(conn)
            .optional()?;
        let Some((session, organizer)) = found else {
            return Ok(None);
        };
        Self::touch(conn, &session)?;
        Ok(Some(organizer))
    }

    fn touch(conn: &mut DbConnection, s: &BrowserSession) -> QueryResult<()> {
        let now = db::now();
        if now - s.last_seen_at > Duration::minutes(TOUCH_EVERY_MINUTES) {
            diesel::update(sessions::table.find(&s.id))
                .set(sessions::last_seen_at.eq(now))
                .execute(conn)?;
        }
        Ok(())
    }

    /// An organizer's live sessions, the most recently used first.
    pub fn list_for(
        conn: &mut DbConnection,
        organizer_id: &str,
    ) -> QueryResult<Vec<BrowserSession>> {
        sessions::table
            .filter(sessions::organizer_id.eq(organizer_id))
            .filter(sessions::expires_at.gt(db::now()))
            .order(sessions::last_seen_at.desc())
            .select(BrowserSession::as_select())
            .load(conn)
    }

    pub fn delete(conn: &mut DbConnection, id_hash: &str) -> QueryResult<usize> {
        diesel::delete(sessions::table.find(id_hash)).execute(conn)
    }

    /// Ends one of an organizer's sessions (from the list of their devices).
    pub fn delete_of(
        conn: &mut DbConnection,
        organizer_id: &str,
        id_hash: &str,
    ) -> QueryResult<usize> {
        diesel::delete(
            sessions::table
                .filter(sessions::id.eq(id_hash))
                .filter(sessions::organizer_id.eq(organizer_id)),
        )
        .execute(conn)
    }

    /// Ends every session of an organizer (but `keep`, the one asking, if given).
    pub fn delete_all_of(
        conn: &mut DbConnection,
        organizer_id: &str,
        keep: Option<&str>,
    ) -> QueryResult<usize> {
        let rows = sessions::table.filter(sessions::organizer_id.eq(organizer_id));
        match keep {
            Some(k) => diesel::delete(rows.filter(sessions::id.ne(k))).execute(conn),
            None => diesel::delete(rows).execute(conn),
        }
    }

    /// Forgets sessions that ended on their own.
    pub fn delete_expired(conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::delete(sessions::table.filter(sessions::expires_at.le(db::now()))).execute(conn)
    }
}
