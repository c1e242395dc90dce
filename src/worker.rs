//! The background worker of each instance: sends due outbox messages, with retries.

use std::time::Duration;

use chrono::Duration as ChronoDuration;
use futures_util::future::join_all;
use lettre::message::Mailbox;

use crate::db;
use crate::error::AppError;
use crate::models::outbox::OutboxMessage;
use crate::state::AppState;

/// Messages claimed at once; they are sent concurrently.
const BATCH: i32 = 32;

/// The delay before attempt `attempts + 1`: doubling from `base`, capped.
pub fn backoff(attempts: i32, base_secs: i64, cap_secs: i64) -> ChronoDuration {
    let exp = attempts.saturating_sub(1).clamp(0, 30) as u32;
    let secs = base_secs.saturating_mul(1i64 << exp).min(cap_secs);
    ChronoDuration::seconds(secs.max(1))
}

/// Sends every message that is due now; returns how many were attempted. Tests call this to
/// drain the outbox instead of waiting for the background loop.
pub async fn run_pending(state: &AppState) -> Result<usize, AppError> {
    let from: Mailbox = state
        .settings
        .mail
        .mail_from
        .parse()
        .map_err(|e| AppError::unexpected_msg(format!("mail_from: {e}")))?;
    let (max_attempts, base, cap) = (
        state.settings.mail.mail_max_attempts,
        state.settings.mail.mail_retry_base_secs,
        state.settings.mail.mail_retry_cap_secs,
    );
    let lease = ChronoDuration::seconds(state.settings.mail.mail_lease_secs.max(1));
    let mut total = 0;
    loop {
        let claimed = state
            .db
            .run(move |conn| {
                let now = db::now();
                Ok(OutboxMessage::claim_due(conn, now, now + lease, BATCH)?)
            })
            .await?;
        if claimed.is_empty() {
            return Ok(total);
        }
        total += claimed.len();
        let results = join_all(claimed.iter().map(|m| state.mailer.send(&from, m))).await;
        let outcomes: Vec<(String, i32, Result<(), String>)> = claimed
            .into_iter()
            .zip(results)
            .map(|(m, r)| (m.id, m.attempts, r))
            .collect();
        state
            .db
            .run(move |conn| {
                let now = db::now();
                for (id, attempts, result) in outcomes {
                    match result {
                        Ok(()) => {
                            OutboxMessage::mark_sent(conn, &id, now)?;
                        }
                        Err(error) => {
                            let retry_at = (attempts < max_attempts).then(|| now + backoff(attempts, base, cap));
                            tracing::warn!(message = %id, attempts, %error, gives_up = retry_at.is_none(), "sending an e-mail failed");
                            OutboxMessage::mark_attempt_failed(conn, &id, &error, retry_at)?;
                        }
                    }
                }
                Ok(())
            })
            .await?;
    }
}

/// Queues the reminders and questions that are due before upcoming stops.
pub async fn run_scheduled(state: &AppState) -> Result<usize, AppError> {
    let env = state.env.clone();
    state
        .db
        .run(move |conn| {
            let now = db::now();
            let mut n = crate::services::schedule::run_due(conn, &env, now)?;
            crate::services::collection::open_for_ended_stops(conn, now)?;
            n += crate::services::collection::send_reminders(conn, &env, now)?;
            // Sessions that ended on their own (the rows only keep them checkable).
            crate::models::session::BrowserSession::delete_expired(conn)?;
            Ok(n)
        })
        .await
}

/// Runs `run_pending` every `mail_poll_ms`, and the scheduled jobs every `schedule_every_ms`
/// (half a minute), until the server stops.
pub fn spawn(state: AppState) {
    let pause = Duration::from_millis(state.settings.mail.mail_poll_ms.max(10));
    let schedule_every = Duration::from_millis(state.settings.schedule.schedule_every_ms.max(10));
    actix_web::rt::spawn(async move {
        let mut last_schedule: Option<std::time::Instant> = None;
        loop {
            if last_schedule.is_none_or(|t| t.elapsed() >= schedule_every) {
                last_schedule = Some(std::time::Instant::now());
                if let Err(e) = run_scheduled(&state).await {
                    tracing::error!(error = ?e, "scheduled jobs");
                }
            }
            if let Err(e) = run_pending(&state).await {
                tracing::error!(error = ?e, "outbox worker");
            }
            actix_web::rt::time::sleep(pause).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        assert_eq!(backoff(1, 30, 3600).num_seconds(), 30);
        assert_eq!(backoff(2, 30, 3600).num_seconds(), 60);
        assert_eq!(backoff(4, 30, 3600).num_seconds(), 240);
        assert_eq!(backoff(20, 30, 3600).num_seconds(), 3600);
    }
}
