use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::magic_links;
use crate::db::{self, DbConnection};
use crate::secrets;

/// What a link lets its holder do.
pub mod purpose {
    /// Create the first organizer (site admin) on an empty database.
    pub const SETUP: &str = "setup";
    /// Set the password of an organizer added to a team.
    pub const ORGANIZER_INVITE: &str = "organizer_invite";
    pub const PASSWORD_RESET: &str = "password_reset";
    /// Sign an organizer in without their password (while their sign-in is locked).
    pub const ORGANIZER_SIGN_IN: &str = "organizer_sign_in";
    /// Every link that sets an organizer's password or signs them in.
    pub const ORGANIZER_CREDENTIALS: [&str; 3] =
        [ORGANIZER_INVITE, PASSWORD_RESET, ORGANIZER_SIGN_IN];
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = magic_links)]
pub struct MagicLink {
    pub id: String,
    pub purpose: String,
    pub email: String,
    pub subject_id: Option<String>,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl MagicLink {
    /// Stores a link and returns its only plain-text token.
    pub fn create(
        conn: &mut DbConnection,
        purpose: &str,
        email: &str,
        subject_id: Option<&str>,
        valid_for: Duration,
    ) -> QueryResult<String> {
        let token = secrets::new_token();
        let now = db::now();
        diesel::insert_into(magic_links::table)
            .values((
                magic_links::id.eq(db::new_id()),
                magic_links::purpose.eq(purpose),
                magic_links::email.eq(email),
                magic_links::subject_id.eq(subject_id),
                magic_links::token_hash.eq(secrets::token_hash(&token)),
                magic_links::expires_at.eq(now + valid_for),
                magic_links::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(token)
    }

    /// A link that is still usable, without using it (to show the form it leads to).
    pub fn peek(
        conn: &mut DbConnection,
        purpose: &str,
        token: &str,
    ) -> QueryResult<Option<MagicLink>> {
        magic_links::table
            .filter(magic_links::token_hash.eq(secrets::token_hash(token)))
            .filter(magic_links::purpose.eq(purpose))
            .filter(magic_links::used_at.is_null())
            .filter(magic_links::expires_at.gt(db::now()))
            .select(MagicLink::as_select())
            .first(conn)
            .optional()
    }

    /// Uses a link: succeeds once, and only before it expires. The conditional update makes
    /// two simultaneous uses impossible.
    pub fn consume(
        conn: &mut DbConnection,
        purpose: &str,
        token: &str,
    ) -> QueryResult<Option<MagicLink>> {
        let hash = secrets::token_hash(token);
        let now = db::now();
        let used = diesel::update(
            magic_links::table
                .filter(magic_links::token_hash.eq(&hash))
                .filter(magic_links::purpose.eq(purpose))
                .filter(magic_links::used_at.is_null())
                .filter(magic_links::expires_at.gt(now)),
        )
        .set(magic_links::used_at.eq(Some(now)))
        .execute(conn)?;
        if used == 0 {
            return Ok(None);
        }
        magic_links::table
            .filter(magic_links::token_hash.eq(&hash))
            .select(MagicLink::as_select())
            .first(conn)
            .optional()
    }

    /// Makes every unused link of these purposes for one subject unusable (all of an
    /// organizer's reset links once one is used or the password changes).
    pub fn revoke_for_subject(
        conn: &mut DbConnection,
        purposes: &[&str],
        subject_id: &str,
    ) -> QueryResult<usize> {
        diesel::update(
            magic_links::table
                .filter(magic_links::purpose.eq_any(purposes))
                .filter(magic_links::subject_id.eq(subject_id))
                .filter(magic_links::used_at.is_null()),
        )
        .set(magic_links::used_at.eq(Some(db::now())))
        .execute(conn)
    }

    /// Makes every unused link of a purpose unusable (the setup link once an admin exists).
    pub fn revoke_all(conn: &mut DbConnection, purpose: &str) -> QueryResult<usize> {
        diesel::update(
            magic_links::table
                .filter(magic_links::purpose.eq(purpose))
                .filter(magic_links::used_at.is_null()),
        )
        .set(magic_links::used_at.eq(Some(db::now())))
        .execute(conn)
    }
}
