//! Jobs due at a time before each stop: reminders (default 2 days and 3 hours before) and the
//! "still coming?" question. Each job is claimed by inserting its (stop, job) key; the key is
//! unique, so whichever instance gets there first does it, once, in the same transaction as
//! the e-mails it queues.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{self, DbConnection};
use crate::domain::attendance::{self, RegistrationStatus};
use crate::email::{self, Email, Mail, Ticket};
use crate::error::AppError;
use crate::models::registration::Registration;
use crate::models::stop::Stop;
use crate::models::stop_job::StopJob;
use crate::services::Env;
use crate::services::stop_context::StopContext;

/// A stop moved in time: a job done already is due again at the new time when that is
/// still ahead and more than a day after it was done (a reminder sent for the old date is
/// stale; one sent an hour before a small shift is not sent twice). "Still coming?" is
/// asked once: the e-mail telling of the new time already says how to cancel.
pub fn reschedule(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    starts_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut due: Vec<(String, NaiveDateTime)> = env
        .reminder_hours
        .iter()
        .map(|h| (format!("reminder_{h}h"), starts_at - Duration::hours(*h)))
        .collect();
    due.push((
        "unconfirmed_slots".into(),
        starts_at - Duration::days(UNCONFIRMED_DAYS),
    ));
    due.push(("volunteer_reminder".into(), starts_at - Duration::hours(24)));
    let done = StopJob::done(conn, stop_id)?;
    let again: Vec<String> = done
        .into_iter()
        .filter(|(job, done_at)| {
            due.iter()
                .any(|(j, at)| j == job && now < *at && *done_at + Duration::hours(24) < *at)
        })
        .map(|(job, _)| job)
        .collect();
    if again.is_empty() {
        return Ok(0);
    }
    StopJob::forget(conn, stop_id, &again)
}

/// Runs every job that is due at `now`; returns how many e-mails were queued.
pub fn run_due(conn: &mut DbConnection, env: &Env, now: NaiveDateTime) -> Result<usize, AppError> {
    let horizon = env
        .reminder_hours
        .iter()
        .copied()
        .map(Duration::hours)
        .chain(std::iter::once(Duration::days(env.still_coming_days)))
        .chain(std::iter::once(Duration::days(UNCONFIRMED_DAYS)))
        .max()
        .unwrap_or_default();
    let upcoming = Stop::starting_between(conn, now, now + horizon)?;
    let mut queued = 0;
    for stop in upcoming {
        queued += reminders_for(conn, env, &stop, now)?;
        queued += still_coming_for(conn, env, &stop, now)?;
        queued += unconfirmed_slots_for(conn, env, &stop, now)?;
        queued += volunteers_for(conn, env, &stop, now)?;
    }
    Ok(queued)
}

/// The reminder whose time has come; when several have (a stop created late), only the
/// nearest is sent and the earlier ones are marked done.
fn reminders_for(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let due: Vec<i64> = env
        .reminder_hours
        .iter()
        .copied()
        .filter(|h| now >= stop.starts_at - Duration::hours(*h))
        .collect();
    let Some(nearest) = due.iter().copied().min() else {
        return Ok(0);
    };
    db::write_transaction(conn, |conn| {
        let mut claimed_nearest = false;
        for h in &due {
            let mine = StopJob::claim(conn, &stop.id, &format!("reminder_{h}h"), now)?;
            if *h == nearest {
                claimed_nearest = mine;
            }
        }
        if !claimed_nearest {
            return Ok(0);
        }
        let ctx = StopContext::load(conn, &stop.id)?;
        let mut n = 0;
        for r in Registration::with_status(conn, &stop.id, &[RegistrationStatus::Confirmed])? {
            if r.checked_in_at.is_some()
                || !attendance::send_reminder(
                    attendance::placed_at(r.created_at, r.confirmed_at),
                    now,
                )
            {
                continue;
            }
            let lang = r.lang();
            // The registration's one link, as in its earlier e-mails.
            let link = crate::services::registrations::manage_link(conn, env, &r)?;
            let (stop, qr_data) = (ctx.mail(lang), ctx.qr_data(env, &r.code));
            let mail = Mail::Reminder(Ticket {
                name: &r.name,
                stop: &stop,
                code: &r.code,
                qr_data: &qr_data,
                manage_url: &link.unwrap_or_default(),
            });
            email::enqueue(
                conn,
                &env.links,
                Email::new(mail, lang, &r.email, &r.name)
                    .for_stop(&ctx.tour.id, &ctx.stop.id)
                    .reply_to(ctx.tour.contact_email.as_deref())
                    .attach(ctx.ics(env)),
            )?;
            n += 1;
        }
        Ok(n)
    })
}

fn still_coming_for(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    if env.still_coming_days <= 0 || now < stop.starts_at - Duration::days(env.still_coming_days) {
        return Ok(0);
    }
    db::write_transaction(conn, |conn| {
        if !StopJob::claim(conn, &stop.id, "still_coming", now)? {
            return Ok(0);
        }
        let ctx = StopContext::load(conn, &stop.id)?;
        let mut n = 0;
        let due = stop.starts_at - Duration::days(env.still_coming_days);
        for r in Registration::with_status(conn, &stop.id, &[RegistrationStatus::Confirmed])? {
            if r.still_coming.is_some()
                || r.walk_in
                || !attendance::ask_still_coming(
                    attendance::placed_at(r.created_at, r.confirmed_at),
                    due,
                    now,
                )
            {
                continue;
            }
            let lang = r.lang();
            let Some(base) = crate::services::registrations::manage_link(conn, env, &r)? else {
                continue;
            };
            let mail = Mail::StillComing {
                name: &r.name,
                stop: &ctx.mail(lang),
                yes_url: &format!("{base}/coming/yes"),
                no_url: &format!("{base}/coming/no"),
            };
            email::enqueue(
                conn,
                &env.links,
                Email::new(mail, lang, &r.email, &r.name)
                    .for_stop(&ctx.tour.id, &ctx.stop.id)
                    .reply_to(ctx.tour.contact_email.as_deref()),
            )?;
            n += 1;
        }
        Ok(n)
    })
}

/// Slots nobody confirmed are flagged to the organizers this long before a stop.
pub const UNCONFIRMED_DAYS: i64 = 7;

/// A week before the stop: the tour's organizers get the list of unconfirmed talk slots.
fn unconfirmed_slots_for(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    if now < stop.starts_at - Duration::days(UNCONFIRMED_DAYS) {
        return Ok(0);
    }
    db::write_transaction(conn, |conn| {
        if !StopJob::claim(conn, &stop.id, "unconfirmed_slots", now)? {
            return Ok(0);
        }
        let entries = crate::services::agenda::entries(conn, &stop.id)?;
        let tz = stop.tz();
        let lines: Vec<String> = entries
            .iter()
            .filter(|e| e.talk.is_some() && e.item.confirmed_at.is_none())
            .map(|e| {
                let who = e
                    .talk
                    .as_ref()
                    .map(|t| t.all_speaker_names())
                    .unwrap_or_default();
                // The organizers' e-mail is in the default language (below).
                format!(
                    "{} {} ({who})",
                    crate::format::clock(crate::i18n::Lang::default(), e.item.starts_at, tz),
                    e.title()
                )
            })
            .collect();
        if lines.is_empty() {
            return Ok(0);
        }
        let ctx = StopContext::load(conn, &stop.id)?;
        let link = env.links.url(&format!("/manage/stops/{}/agenda", stop.id));
        let mut n = 0;
        for member in crate::models::team::TourMember::team(conn, &ctx.tour.id)? {
            if member.role == crate::domain::access::TeamRole::Local
                && !member.stop_ids.contains(&stop.id)
            {
                continue;
            }
            let lang = crate::i18n::Lang::default();
            let mail = Mail::UnconfirmedSlots {
                stop: &ctx.mail(lang),
                lines: &lines,
                link: &link,
            };
            email::enqueue(
                conn,
                &env.links,
                Email::new(mail, lang, &member.organizer.email, &member.organizer.name)
                    .for_stop(&ctx.tour.id, &stop.id),
            )?;
            n += 1;
        }
        Ok(n)
    })
}

/// The day before a stop, its volunteers get a reminder with the venue details.
fn volunteers_for(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    if now < stop.starts_at - Duration::hours(24) {
        return Ok(0);
    }
    db::write_transaction(conn, |conn| {
        if !StopJob::claim(conn, &stop.id, "volunteer_reminder", now)? {
            return Ok(0);
        }
        crate::services::volunteers::remind(conn, env, stop)
    })
}
