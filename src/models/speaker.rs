//! Speakers: their profiles, shown wherever they speak once confirmed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::{outbox, speakers, talk_speakers};
use crate::db::{self, DbConnection};
use crate::models::outbox::MailKind;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = speakers)]
pub struct Speaker {
    pub id: String,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub bio: String,
    pub lang: String,
    pub feed_token_hash: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the address was confirmed (its owner followed a mailed link, or an organizer
    /// vouched for it). Before that the profile is nobody's to show: what a call-for-proposals
    /// form typed for an address may not be its owner's words.
    pub confirmed_at: Option<NaiveDateTime>,
}

impl Speaker {
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Speaker>> {
        speakers::table
            .find(id)
            .select(Speaker::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<Speaker>> {
        speakers::table
            .filter(speakers::email.eq(email))
            .select(Speaker::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Speaker>> {
        speakers::table
            .filter(speakers::id.eq_any(ids.to_vec()))
            .select(Speaker::as_select())
            .load(conn)
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_code(&self.lang).unwrap_or_default()
    }

    /// Written at `now`; `confirmed`: false for a profile typed into the public form, until
    /// its owner confirms it.
    #[expect(clippy::too_many_arguments, reason = "one column each")]
    pub fn insert(
        conn: &mut DbConnection,
        name: &str,
        email: &str,
        affiliation: &str,
        bio: &str,
        lang: crate::i18n::Lang,
        now: NaiveDateTime,
        confirmed: bool,
    ) -> QueryResult<Speaker> {
        let id = db::new_id();
        let confirmed_at = confirmed.then_some(now);
        diesel::insert_into(speakers::table)
            .values((
                speakers::id.eq(&id),
                speakers::name.eq(name),
                speakers::email.eq(email),
                speakers::affiliation.eq(affiliation),
                speakers::bio.eq(bio),
                speakers::lang.eq(lang.code()),
                speakers::created_at.eq(now),
                speakers::updated_at.eq(now),
                speakers::confirmed_at.eq(confirmed_at),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Speakers)?;
        speakers::table
            .find(&id)
            .select(Speaker::as_select())
            .first(conn)
    }

    pub fn update_profile(
        conn: &mut DbConnection,
        id: &str,
        name: &str,
        affiliation: &str,
        bio: &str,
    ) -> QueryResult<Speaker> {
        diesel::update(speakers::table.find(id))
            .set((
                speakers::name.eq(name),
                speakers::affiliation.eq(affiliation),
                speakers::bio.eq(bio),
                speakers::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Speakers)?;
        speakers::table
            .find(id)
            .select(Speaker::as_select())
            .first(conn)
    }

    /// Replaces what an unconfirmed profile says (a newer form for the address, or an
    /// organizer's data); a confirmed profile is never touched here.
    pub fn replace_unconfirmed(
        conn: &mut DbConnection,
        id: &str,
        name: &str,
        affiliation: &str,
        bio: &str,
        lang: crate::i18n::Lang,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let n = diesel::update(
            speakers::table
                .find(id)
                .filter(speakers::confirmed_at.is_null()),
        )
        .set((
            speakers::name.eq(name),
            speakers::affiliation.eq(affiliation),
            speakers::bio.eq(bio),
            speakers::lang.eq(lang.code()),
            speakers::updated_at.eq(now),
        ))
        .execute(conn)?;
        speakers_changed(conn, n)
    }

    /// Marks the profile confirmed (once).
    pub fn confirm(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
        let n = diesel::update(
            speakers::table
                .find(id)
                .filter(speakers::confirmed_at.is_null()),
        )
        .set(speakers::confirmed_at.eq(Some(now)))
        .execute(conn)?;
        speakers_changed(conn, n)
    }

    pub fn set_feed_token_hash(conn: &mut DbConnection, id: &str, hash: &str) -> QueryResult<()> {
        diesel::update(speakers::table.find(id))
            .set(speakers::feed_token_hash.eq(Some(hash)))
            .execute(conn)
            .map(drop)
    }

    pub fn find_by_feed_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<Speaker>> {
        speakers::table
            .filter(speakers::feed_token_hash.eq(hash))
            .select(Speaker::as_select())
            .first(conn)
            .optional()
    }

    /// Every talk the speaker is asked for, accepted or not.
    pub fn talk_ids(conn: &mut DbConnection, speaker_id: &str) -> QueryResult<Vec<String>> {
        talk_speakers::table
            .filter(talk_speakers::speaker_id.eq(speaker_id))
            .select(talk_speakers::talk_id)
            .load(conn)
    }

    /// The talks the speaker accepted.
    pub fn accepted_talk_ids(
        conn: &mut DbConnection,
        speaker_id: &str,
    ) -> QueryResult<Vec<String>> {
        talk_speakers::table
            .filter(talk_speakers::speaker_id.eq(speaker_id))
            .filter(talk_speakers::accepted_at.is_not_null())
            .select(talk_speakers::talk_id)
            .load(conn)
    }

    /// How many e-mails of `kind` went to `email` since `since` (the outbox is the log: an
    /// organizer cannot have one speaker mailed without end).
    pub fn mails_since(
        conn: &mut DbConnection,
        kind: MailKind,
        email: &str,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        outbox::table
            .filter(outbox::kind.eq(kind.as_str()))
            .filter(outbox::to_email.eq(email))
            .filter(outbox::created_at.gt(since))
            .count()
            .get_result(conn)
    }
}

/// Profiles and talks show wherever speakers do; only a write that changed a row counts
/// (confirming twice is no change).
pub(crate) fn speakers_changed(conn: &mut DbConnection, rows: usize) -> QueryResult<usize> {
    if rows > 0 {
        cache::record(conn, Change::Speakers)?;
    }
    Ok(rows)
}
