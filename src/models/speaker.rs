//! Speakers, talks and their speakers, and proposals to a tour's call for proposals.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::{
    agenda_items, outbox, proposal_stops, proposals, speakers, stops, talk_speakers, talks,
};
use crate::db::{self, DbConnection};
use crate::domain::proposal::ProposalStatus;
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
    pub status: ProposalStatus,
    pub decision_message: String,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    /// When its submitter confirmed their address; before that organizers do not see it.
    pub confirmed_at: Option<NaiveDateTime>,
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

impl Proposal {
    /// A proposal from the public form: unconfirmed until its submitter follows the link.
    pub fn insert(
        conn: &mut DbConnection,
        tour_id: &str,
        talk_id: &str,
        submitted_by: Option<&str>,
        stop_ids: &[String],
        now: NaiveDateTime,
    ) -> QueryResult<Proposal> {
        let id = db::new_id();
        diesel::insert_into(proposals::table)
            .values((
                proposals::id.eq(&id),
                proposals::tour_id.eq(tour_id),
                proposals::talk_id.eq(talk_id),
                proposals::submitted_by.eq(submitted_by),
                proposals::status.eq(ProposalStatus::Proposed),
                proposals::created_at.eq(now),
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

    /// A confirmed proposal. Every query here but `find_unconfirmed` and
    /// `unconfirmed_by_since` leaves unconfirmed ones out: until its submitter confirmed the
    /// address, a proposal is not there for anyone.
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        proposals::table
            .find(id)
            .filter(proposals::confirmed_at.is_not_null())
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    /// A proposal waiting for its submitter's confirmation.
    pub fn find_unconfirmed(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        proposals::table
            .find(id)
            .filter(proposals::confirmed_at.is_null())
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    /// Confirms a proposal (once): true if this call did.
    pub fn confirm(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            proposals::table
                .find(id)
                .filter(proposals::confirmed_at.is_null()),
        )
        .set(proposals::confirmed_at.eq(Some(now)))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Unconfirmed proposals submitted in the name of `speaker_id` since `since`.
    pub fn unconfirmed_by_since(
        conn: &mut DbConnection,
        speaker_id: &str,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        proposals::table
            .filter(proposals::submitted_by.eq(speaker_id))
            .filter(proposals::confirmed_at.is_null())
            .filter(proposals::created_at.gt(since))
            .count()
            .get_result(conn)
    }

    /// The newest proposal submitted in the name of `speaker_id` since `since` that still
    /// waits for its confirmation.
    pub fn latest_unconfirmed_by(
        conn: &mut DbConnection,
        speaker_id: &str,
        since: NaiveDateTime,
    ) -> QueryResult<Option<Proposal>> {
        proposals::table
            .filter(proposals::submitted_by.eq(speaker_id))
            .filter(proposals::confirmed_at.is_null())
            .filter(proposals::created_at.gt(since))
            .order(proposals::created_at.desc())
            .select(Proposal::as_select())
            .first(conn)
            .optional()
    }

    pub fn list_for_tour(conn: &mut DbConnection, tour_id: &str) -> QueryResult<Vec<Proposal>> {
        proposals::table
            .filter(proposals::tour_id.eq(tour_id))
            .filter(proposals::confirmed_at.is_not_null())
            .order(proposals::created_at)
            .select(Proposal::as_select())
            .load(conn)
    }

    /// The proposals a speaker made or is in, across tours.
    pub fn for_talks(conn: &mut DbConnection, talk_ids: &[String]) -> QueryResult<Vec<Proposal>> {
        proposals::table
            .filter(proposals::talk_id.eq_any(talk_ids.to_vec()))
            .filter(proposals::confirmed_at.is_not_null())
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

    /// Takes the proposal's row lock (a no-op update: a row lock on PostgreSQL), so that its
    /// speakers' changes and the organizers' decision happen one after the other; the
    /// confirmed proposal, as `find` reads it.
    pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Proposal>> {
        diesel::update(proposals::table.find(id))
            .set(proposals::status.eq(proposals::status))
            .execute(conn)?;
        Self::find(conn, id)
    }

    /// Its speakers withdraw an undecided proposal; false when it was decided meanwhile.
    pub fn withdraw(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            proposals::table
                .find(id)
                .filter(proposals::status.eq(ProposalStatus::Proposed)),
        )
        .set((
            proposals::status.eq(ProposalStatus::Withdrawn),
            proposals::decided_at.eq(Some(now)),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn set_status(
        conn: &mut DbConnection,
        id: &str,
        status: ProposalStatus,
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

/// Profiles and talks show wherever speakers do; only a write that changed a row counts
/// (confirming twice is no change).
fn speakers_changed(conn: &mut DbConnection, rows: usize) -> QueryResult<usize> {
    if rows > 0 {
        cache::record(conn, Change::Speakers)?;
    }
    Ok(rows)
}
