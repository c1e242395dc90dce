//! The outbox table: queued e-mails, claimed by workers, marked sent or failed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamp};

use crate::db::schema::outbox;
use crate::db::{self, Backend, DbConnection};
use crate::domain::text_enum;

text_enum!(
    OutboxStatus {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
    }
);

crate::db::types::text_columns!(OutboxStatus);

text_enum!(
    /// What a message is (the outbox's `kind`): each is an `email::Mail` variant, which says
    /// its own. The column stays text, read as it is: rows queued by an older version may
    /// hold a kind no longer sent (`proposal_received`), and the outbox still lists them.
    MailKind {
        MaterialRequest => "material_request",
        ClaimConfirmed => "claim_confirmed",
        TasksClaimed => "tasks_claimed",
        VolunteerReminder => "volunteer_reminder",
        VolunteerInvite => "volunteer_invite",
        ProposalConfirm => "proposal_confirm",
        ProposalDecided => "proposal_decided",
        TalkInvitation => "talk_invitation",
        SlotChanged => "slot_changed",
        UnconfirmedSlots => "unconfirmed_slots",
        OrganizerInvite => "organizer_invite",
        OrganizerSignIn => "organizer_sign_in",
        PasswordReset => "password_reset",
        SignInLink => "sign_in_link",
        Bulk => "bulk",
        RegistrationConfirmed => "registration_confirmed",
        RegistrationWaitlisted => "registration_waitlisted",
        RegistrationPromoted => "registration_promoted",
        RegistrationCancelled => "registration_cancelled",
        RegistrationAgain => "registration_again",
        RegistrationNewLink => "registration_new_link",
        RegistrationLink => "registration_link",
        Reminder => "reminder",
        StillComing => "still_coming",
        VenueSwitch => "venue_switch",
        StopCancelled => "stop_cancelled",
        StopMoved => "stop_moved",
        VenueChanged => "venue_changed",
        VenueSuggestion => "venue_suggestion",
        DeskAccess => "desk_access",
    }
);

#[derive(Queryable, QueryableByName, Selectable, Clone, Debug)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: String,
    pub kind: String,
    pub to_email: String,
    pub to_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attachments: String,
    pub message_id: String,
    pub tour_id: Option<String>,
    pub stop_id: Option<String>,
    pub batch_id: Option<String>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Insertable, Clone, Debug)]
#[diesel(table_name = outbox)]
// None is NULL (the columns' default anyway): lets SQLite take rows in batches.
#[diesel(treat_none_as_default_value = false)]
pub struct NewOutboxMessage {
    pub id: String,
    pub kind: String,
    pub to_email: String,
    pub to_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attachments: String,
    pub message_id: String,
    pub tour_id: Option<String>,
    pub stop_id: Option<String>,
    pub batch_id: Option<String>,
    pub status: OutboxStatus,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// How many messages of a tour are in each state.
#[derive(Default, Debug, Clone, Copy)]
pub struct OutboxCounts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

const COLUMNS: &str = "id, kind, to_email, to_name, reply_to, subject, body_text, body_html, attachments, \
     message_id, tour_id, stop_id, batch_id, status, attempts, next_attempt_at, locked_until, last_error, \
     created_at, sent_at";

impl OutboxMessage {
    pub fn status(&self) -> OutboxStatus {
        self.status
    }

    pub fn insert(conn: &mut DbConnection, new: &NewOutboxMessage) -> QueryResult<()> {
        diesel::insert_into(outbox::table)
            .values(new)
            .execute(conn)
            .map(drop)
    }

    pub fn insert_many(conn: &mut DbConnection, rows: &[NewOutboxMessage]) -> QueryResult<()> {
        // Batches of rows are backend-specific in diesel: one statement per backend.
        for chunk in rows.chunks(200) {
            let insert = diesel::insert_into(outbox::table).values(chunk);
            match conn {
                DbConnection::Sqlite(c) => insert.execute(c)?,
                DbConnection::Postgresql(c) => insert.execute(c)?,
            };
        }
        Ok(())
    }

    /// Claims up to `limit` due messages for one worker until `lease_until`: queued ones whose
    /// time has come, and ones whose sender's lease ran out (it died mid-send). On PostgreSQL
    /// `SKIP LOCKED` lets several instances claim side by side, each message once; SQLite
    /// serialises writers, so the same statement without it is enough.
    pub fn claim_due(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        lease_until: NaiveDateTime,
        limit: i32,
    ) -> QueryResult<Vec<OutboxMessage>> {
        let lock = match db::backend_of(conn) {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET status = 'sending', locked_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
                 WHERE (status = 'queued' AND next_attempt_at <= $2) OR (status = 'sending' AND locked_until < $2) \
                 ORDER BY next_attempt_at LIMIT $3 {lock}) \
             RETURNING {COLUMNS}"
        );
        diesel::sql_query(sql)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<Integer, _>(limit)
            .load(conn)
    }

    /// Marks a claimed message sent (only if this worker still holds it).
    pub fn mark_sent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(
            outbox::table
                .find(id)
                .filter(outbox::status.eq(OutboxStatus::Sending)),
        )
        .set((
            outbox::status.eq(OutboxStatus::Sent),
            outbox::sent_at.eq(Some(now)),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
    }

    /// Records a failed attempt: queued again at `retry_at`, or failed for good when `None`.
    pub fn mark_attempt_failed(
        conn: &mut DbConnection,
        id: &str,
        error: &str,
        retry_at: Option<NaiveDateTime>,
    ) -> QueryResult<usize> {
        let status = if retry_at.is_some() {
            OutboxStatus::Queued
        } else {
            OutboxStatus::Failed
        };
        diesel::update(
            outbox::table
                .find(id)
                .filter(outbox::status.eq(OutboxStatus::Sending)),
        )
        .set((
            outbox::status.eq(status.as_str()),
            outbox::next_attempt_at.eq(retry_at.unwrap_or_else(db::now)),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(Some(error.chars().take(1000).collect::<String>())),
        ))
        .execute(conn)
    }

    /// A failed message, queued again by hand with a fresh set of attempts.
    pub fn retry(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
        diesel::update(
            outbox::table
                .find(id)
                .filter(outbox::status.eq(OutboxStatus::Failed)),
        )
        .set((
            outbox::status.eq(OutboxStatus::Queued),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(db::now()),
        ))
        .execute(conn)
    }

    /// Whether a message of this kind about this stop was queued to this address since then
    /// (to limit how often a public form can make roadshow write to someone). The tour
    /// narrows the search to its recent messages (index `outbox_tour`).
    pub fn sent_lately(
        conn: &mut DbConnection,
        kind: MailKind,
        to_email: &str,
        (tour_id, stop_id): (&str, &str),
        since: NaiveDateTime,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            outbox::table
                .filter(outbox::tour_id.eq(tour_id))
                .filter(outbox::kind.eq(kind.as_str()))
                .filter(outbox::to_email.eq(to_email))
                .filter(outbox::stop_id.eq(stop_id))
                .filter(outbox::created_at.gt(since)),
        ))
        .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OutboxMessage>> {
        outbox::table
            .find(id)
            .select(OutboxMessage::as_select())
            .first(conn)
            .optional()
    }

    /// The messages of some tours (`None`: of no tour, for site admins), newest first.
    pub fn list(
        conn: &mut DbConnection,
        tour_ids: Option<&[String]>,
        status: Option<OutboxStatus>,
        limit: i64,
    ) -> QueryResult<Vec<OutboxMessage>> {
        let mut query = outbox::table
            .order(outbox::created_at.desc())
            .limit(limit)
            .select(OutboxMessage::as_select())
            .into_boxed();
        if let Some(ids) = tour_ids {
            query = query.filter(outbox::tour_id.eq_any(ids.to_vec()));
        }
        if let Some(s) = status {
            query = query.filter(outbox::status.eq(s.as_str()));
        }
        query.load(conn)
    }

    pub fn counts(
        conn: &mut DbConnection,
        tour_ids: Option<&[String]>,
    ) -> QueryResult<OutboxCounts> {
        let mut query = outbox::table
            .group_by(outbox::status)
            .select((outbox::status, diesel::dsl::count_star()))
            .into_boxed();
        if let Some(ids) = tour_ids {
            query = query.filter(outbox::tour_id.eq_any(ids.to_vec()));
        }
        let rows: Vec<(OutboxStatus, i64)> = query.load(conn)?;
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            match status {
                OutboxStatus::Queued | OutboxStatus::Sending => counts.queued += n,
                OutboxStatus::Sent => counts.sent += n,
                OutboxStatus::Failed => counts.failed += n,
            }
        }
        Ok(counts)
    }

    /// How many messages of each of some tours failed for good (the organizer's home).
    pub fn failed_per_tour(
        conn: &mut DbConnection,
        tour_ids: &[String],
    ) -> QueryResult<Vec<(Option<String>, i64)>> {
        outbox::table
            .filter(outbox::tour_id.eq_any(tour_ids.to_vec()))
            .filter(outbox::status.eq(OutboxStatus::Failed.as_str()))
            .group_by(outbox::tour_id)
            .select((outbox::tour_id, diesel::dsl::count_star()))
            .load(conn)
    }

    /// Messages still to send, all tours (for metrics and tests).
    pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
        outbox::table
            .filter(outbox::status.eq_any([
                OutboxStatus::Queued.as_str(),
                OutboxStatus::Sending.as_str(),
            ]))
            .count()
            .get_result(conn)
    }
}
