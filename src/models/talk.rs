//! Talks and their speakers, in order.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::{agenda_items, proposals, speakers, stops, talk_speakers, talks};
use crate::db::{self, DbConnection};
use crate::models::speaker::{Speaker, speakers_changed};

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

/// A talk with its speakers, in order.
#[derive(Clone, Debug)]
pub struct TalkWithSpeakers {
    pub talk: Talk,
    /// The speakers who accepted the talk, with confirmed profiles: the only ones any page,
    /// feed, report or e-mail about the talk names (a speaker appears on an agenda only after
    /// accepting).
    pub speakers: Vec<Speaker>,
    /// Speakers asked, who have not accepted yet (or whose profile is not confirmed): for
    /// the organizers' own pages only, as "to be confirmed".
    pub pending: Vec<Speaker>,
}

impl TalkWithSpeakers {
    pub fn speaker_names(&self) -> String {
        self.speakers
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every speaker asked, the ones who accepted first, with whether they did.
    pub fn everyone(&self) -> impl Iterator<Item = (&Speaker, bool)> {
        self.speakers
            .iter()
            .map(|s| (s, true))
            .chain(self.pending.iter().map(|s| (s, false)))
    }

    /// Names of everyone asked (organizers' pages and e-mails).
    pub fn all_speaker_names(&self) -> String {
        self.everyone()
            .map(|(s, _)| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Talk {
    /// `accepted_at`: when the speakers accepted it (None: they are asked, and shown only
    /// once each accepts).
    pub fn insert(
        conn: &mut DbConnection,
        title: &str,
        summary: &str,
        duration: i32,
        speaker_ids: &[String],
        accepted_at: Option<NaiveDateTime>,
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
                    talk_speakers::accepted_at.eq(accepted_at),
                ))
                .execute(conn)?;
        }
        cache::record(conn, Change::Speakers)?;
        talks::table.find(&id).select(Talk::as_select()).first(conn)
    }

    /// What the speakers may change while their proposal is undecided.
    pub fn update_details(
        conn: &mut DbConnection,
        id: &str,
        title: &str,
        summary: &str,
        duration: i32,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let n = diesel::update(talks::table.find(id))
            .set((
                talks::title.eq(title),
                talks::abstract_.eq(summary),
                talks::duration_minutes.eq(duration),
                talks::updated_at.eq(now),
            ))
            .execute(conn)?;
        speakers_changed(conn, n)
    }

    /// Whether the talk is on any stop's agenda.
    pub fn is_scheduled(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            agenda_items::table.filter(agenda_items::talk_id.eq(id)),
        ))
        .get_result(conn)
    }

    /// The speaker accepts the talk (once).
    pub fn accept(
        conn: &mut DbConnection,
        talk_id: &str,
        speaker_id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let n = diesel::update(
            talk_speakers::table
                .find((talk_id, speaker_id))
                .filter(talk_speakers::accepted_at.is_null()),
        )
        .set(talk_speakers::accepted_at.eq(Some(now)))
        .execute(conn)?;
        speakers_changed(conn, n)
    }

    /// Takes a speaker off a talk they have not accepted (they declined).
    pub fn remove_pending_speaker(
        conn: &mut DbConnection,
        talk_id: &str,
        speaker_id: &str,
    ) -> QueryResult<usize> {
        let n = diesel::delete(
            talk_speakers::table
                .find((talk_id, speaker_id))
                .filter(talk_speakers::accepted_at.is_null()),
        )
        .execute(conn)?;
        speakers_changed(conn, n)
    }

    /// Whether the speaker is on the talk, and since when they accepted it.
    pub fn acceptance(
        conn: &mut DbConnection,
        talk_id: &str,
        speaker_id: &str,
    ) -> QueryResult<Option<Option<NaiveDateTime>>> {
        talk_speakers::table
            .find((talk_id, speaker_id))
            .select(talk_speakers::accepted_at)
            .first(conn)
            .optional()
    }

    /// The tours the talk belongs to: where it is on an agenda, or proposed (confirmed).
    pub fn tour_ids(conn: &mut DbConnection, talk_id: &str) -> QueryResult<Vec<String>> {
        let mut ids: Vec<String> = agenda_items::table
            .inner_join(stops::table)
            .filter(agenda_items::talk_id.eq(talk_id))
            .select(stops::tour_id)
            .load(conn)?;
        ids.extend(
            proposals::table
                .filter(proposals::talk_id.eq(talk_id))
                .filter(proposals::confirmed_at.is_not_null())
                .select(proposals::tour_id)
                .load::<String>(conn)?,
        );
        ids.sort();
        ids.dedup();
        Ok(ids)
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
        type Link = (String, Option<NaiveDateTime>, Speaker);
        let links: Vec<Link> = talk_speakers::table
            .inner_join(speakers::table)
            .filter(talk_speakers::talk_id.eq_any(ids.to_vec()))
            .order(talk_speakers::position)
            .select((
                talk_speakers::talk_id,
                talk_speakers::accepted_at,
                Speaker::as_select(),
            ))
            .load(conn)?;
        let shown = |accepted: &Option<NaiveDateTime>, s: &Speaker| {
            accepted.is_some() && s.confirmed_at.is_some()
        };
        Ok(list
            .into_iter()
            .map(|talk| {
                let mine = links.iter().filter(|(t, _, _)| *t == talk.id);
                TalkWithSpeakers {
                    speakers: mine
                        .clone()
                        .filter(|(_, a, s)| shown(a, s))
                        .map(|(_, _, s)| s.clone())
                        .collect(),
                    pending: mine
                        .filter(|(_, a, s)| !shown(a, s))
                        .map(|(_, _, s)| s.clone())
                        .collect(),
                    talk,
                }
            })
            .collect())
    }

    /// Every speaker asked for the talk, in order.
    pub fn speaker_ids(conn: &mut DbConnection, talk_id: &str) -> QueryResult<Vec<String>> {
        talk_speakers::table
            .filter(talk_speakers::talk_id.eq(talk_id))
            .order(talk_speakers::position)
            .select(talk_speakers::speaker_id)
            .load(conn)
    }

    /// The speakers who accepted the talk, in order.
    pub fn accepted_speaker_ids(
        conn: &mut DbConnection,
        talk_id: &str,
    ) -> QueryResult<Vec<String>> {
        talk_speakers::table
            .filter(talk_speakers::talk_id.eq(talk_id))
            .filter(talk_speakers::accepted_at.is_not_null())
            .order(talk_speakers::position)
            .select(talk_speakers::speaker_id)
            .load(conn)
    }
}
