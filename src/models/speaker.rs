//! Speakers, talks and their speakers, and proposals to a tour's call for proposals.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{proposal_stops, proposals, speakers, talk_speakers, talks};
use crate::db::{self, DbConnection};

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
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = talks)]
pub struct Talk {
    pub id: String,
    pub title: String,
    #[diesel(column_name = abstract_)]
    pub summary: String,
    pub duration_minutes: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = proposals)]
pub struct Proposal {
    pub id: String,
    pub tour_id: String,
    pub talk_id: String,
    pub submitted_by: Option<String>,
    pub status: String,
    pub decision_message: String,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
}

/// A talk with its speakers, in order.
#[derive(Clone, Debug)]
pub struct TalkWithSpeakers {
    pub talk: Talk,
    pub speakers: Vec<Speaker>,
}

impl TalkWithSpeakers {
    pub fn speaker_names(&self) -> String {
        self.speakers
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
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

    pub fn insert(
        conn: &mut DbConnection,
        name: &str,
        email: &str,
        affiliation: &str,
        bio: &str,
        lang: crate::i18n::Lang,
    ) -> QueryResult<Speaker> {
        let id = db::new_id();
        let now = db::now();
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
            ))
            .execute(conn)?;
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
        speakers::table
            .find(id)
            .select(Speaker::as_select())
            .first(conn)
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

    /// Every talk the speaker gives.
    pub fn talk_ids(conn: &mut DbConnection, speaker_id: &str) -> QueryResult<Vec<String>> {
        talk_speakers::table
            .filter(talk_speakers::speaker_id.eq(speaker_id))
            .select(talk_speakers::talk_id)
            .load(conn)
    }
}

impl Talk {
    pub fn insert(
        conn: &mut DbConnection,
        title: &str,
        summary: &str,
        duration: i32,
        speaker_ids: &[String],
    ) -> QueryResult<Talk> {
        let id = db::new_id();
        let now = db::now();
        diesel::insert_into(talks::table)
            .values((
                talks::id.eq(&id),
                talks::title.eq(title),
                talks::abstract_.eq(summary),
                talks::duration_minutes.eq(duration),
                talks::created_at.eq(now),
                talks::updated_at.eq(now),
            ))
            .execute(conn)?;
        for (i, speaker_id) in speaker_ids.iter().enumerate() {
            diesel::insert_into(talk_speakers::table)
                .values((
                    talk_speakers::talk_id.eq(&id),
                    talk_speakers::speaker_id.eq(speaker_id),
                    talk_speakers::position.eq(i as i32),
                ))
                .execute(conn)?;
        }
        talks::table.find(&id).select(Talk::as_select()).first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Talk>> {
        talks::table
            .find(id)
            .select(Talk::as_select())
            .first(conn)
            .optional()
    }

    /// Talks with their speakers, for several talks at once.
    pub fn with_speakers(
        conn: &mut DbConnection,
        ids: &[String],
    ) -> QueryResult<Vec<TalkWithSpeakers>> {
        let list: Vec<Talk> = talks::table
            .filter(talks::id.eq_any(ids.to_vec()))
            .select(Talk::as_select())
            .load(conn)?;
        let links: Vec<(String, Speaker)> = talk_speakers::table
            .inner_join(speakers::table)
            .filter(talk_speakers::talk_id.eq_any(ids.to_vec()))
            .order(talk_speakers::position)
            .select((talk_speakers::talk_id, Speaker::as_select()))
            .load(conn)?;
        Ok(list
            .into_iter()
            .map(|talk| TalkWithSpeakers {
                speakers: links
                    .iter()
                    .filter(|(t, _)| *t == talk.id)
                    .map(|(_, s)| s.clone())
                    .collect(),
                talk,
            })
            .collect())
    }

    pub fn speaker_ids(conn: &mut DbConnection, talk_id: &str) -> QueryResult<Vec<String>> {
        talk_speakers::table
            .filter(talk_speakers::talk_id.eq(talk_id))
            .order(talk_speakers::position)
            .select(talk_speakers::speaker_id)
            .load(conn)
    }
}

impl Proposal {
    pub fn insert(
        conn: &mut DbConnection,
        tour_id: &str,
        talk_id: &str,
        submitted_by: Option<&str>,
        stop_ids: &[String],
    ) -> QueryResult<Proposal> {
        let id = db::new_id();
        diesel::insert_into(proposals::table)
            .values((
                proposals::id.eq(&id),
                proposals::tour_id.eq(tour_id),
                proposals::talk_id.eq(talk_id),
                proposals::submitted_by.eq(submitted_by),
                proposals::status.eq("proposed"),
                proposals::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        for stop_id in stop_ids {
            diesel::insert_into(proposal_stops::table)
                .values((
                    proposal_stops::proposal_id.eq(&id),
                    proposal_stops::stop_id.eq(stop_id),
                ))
                .execute(conn)?;
        }
        proposals::table
            .find(&id)
            .select(Proposal::as_select())
            .first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        proposals::table
            .find(id)
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    pub fn for_tour_talk(
        conn: &mut DbConnection,
        tour_id: &str,
        talk_id: &str,
    ) -> QueryResult<Option<Proposal>> {
        proposals::table
            .filter(proposals::tour_id.eq(tour_id))
            .filter(proposals::talk_id.eq(talk_id))
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    pub fn list_for_tour(conn: &mut DbConnection, tour_id: &str) -> QueryResult<Vec<Proposal>> {
        proposals::table
            .filter(proposals::tour_id.eq(tour_id))
            .order(proposals::created_at)
            .select(Proposal::as_select())
            .load(conn)
    }

    /// The proposals a speaker made or is in, across tours.
    pub fn for_talks(conn: &mut DbConnection, talk_ids: &[String]) -> QueryResult<Vec<Proposal>> {
        proposals::table
            .filter(proposals::talk_id.eq_any(talk_ids.to_vec()))
            .order(proposals::created_at.desc())
            .select(Proposal::as_select())
            .load(conn)
    }

    pub fn stop_ids(conn: &mut DbConnection, proposal_id: &str) -> QueryResult<Vec<String>> {
        proposal_stops::table
            .filter(proposal_stops::proposal_id.eq(proposal_id))
            .select(proposal_stops::stop_id)
            .load(conn)
    }

    pub fn set_status(
        conn: &mut DbConnection,
        id: &str,
        status: &str,
        message: &str,
    ) -> QueryResult<()> {
        diesel::update(proposals::table.find(id))
            .set((
                proposals::status.eq(status),
                proposals::decision_message.eq(message),
                proposals::decided_at.eq(Some(db::now())),
            ))
            .execute(conn)
            .map(drop)
    }
}
