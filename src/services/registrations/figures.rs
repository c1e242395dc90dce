//! A stop's figures, its registrations as organizers list them, a person's history.

use crate::db::{self, DbConnection};
use crate::domain::attendance::{self, RegistrationStatus};
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::error::AppError;
use crate::models::access::{sees_stop_tour, tour_access, visible_tour_ids};
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::registration::{Registration, RegistrationFilter};
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::services::Env;
use crate::services::access;
use crate::services::context::Context;

use crate::read::registrations::StopStats;
use crate::services::stop_context::{StopContext, plan};

pub fn stats_for(
    conn: &mut DbConnection,
    env: &Env,
    ctx: &StopContext,
) -> Result<StopStats, AppError> {
    let plan = plan(conn, env, &ctx.stop, &ctx.venue, &ctx.tour)?;
    let counters = Counters::get(conn, &ctx.stop.id)?;
    let confirmed = i64::from(counters.confirmed);
    Ok(StopStats {
        signal: if ctx.stop.status() == StopStatus::Cancelled {
            attendance::Signal::Cancelled
        } else {
            attendance::signal(
                plan.capacity,
                plan.show_rate,
                confirmed,
                plan.target,
                db::now(),
                ctx.stop.starts_at,
            )
        },
        forecast_attendance: attendance::forecast_attendance(
            confirmed,
            i64::from(counters.still_coming_yes),
            plan.show_rate,
        ),
        over_target: attendance::over_target(confirmed, plan.target),
        actual_show_rate: (ctx.stop.status() == StopStatus::Done)
            .then(|| attendance::actual_show_rate(confirmed, i64::from(counters.checked_in)))
            .flatten(),
        plan,
        counters,
    })
}

/// The figures of a stop the organizer runs.
pub async fn stats(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<StopStats, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| stats_in(conn, &env, &organizer, &stop))
        .await
}

fn stats_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<StopStats, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let ctx = StopContext::load(conn, &stop.id)?;
    stats_for(conn, env, &ctx)
}

/// A stop's registrations as its organizers list them, with the stop and its tour.
pub struct StopRegistrations {
    pub stop: Stop,
    pub tour: Tour,
    /// Each registration with the person's no-shows.
    pub rows: Vec<(Registration, i64)>,
}

/// A stop's registrations for its organizers, with each person's no-shows in the tours the
/// organizer may see (to spot habitual no-shows).
pub async fn list(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    filter: RegistrationFilter,
) -> Result<StopRegistrations, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| list_in(conn, &organizer, &stop, &filter))
        .await
}

fn list_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    filter: &RegistrationFilter,
) -> Result<StopRegistrations, AppError> {
    let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
    let list = Registration::list(conn, &stop.id, filter)?;
    let tour_ids = visible_tour_ids(conn, organizer)?;
    let emails: Vec<String> = list.iter().map(|r| r.email.clone()).collect();
    let mut no_shows = std::collections::HashMap::new();
    for chunk in emails.chunks(500) {
        no_shows.extend(Registration::no_show_counts(conn, chunk, &tour_ids)?);
    }
    let rows = list
        .into_iter()
        .map(|r| {
            let n = no_shows.get(&r.email).copied().unwrap_or(0);
            (r, n)
        })
        .collect();
    Ok(StopRegistrations { stop, tour, rows })
}

/// One person's registrations across the tours the organizer may see.
pub async fn person_history(
    ctx: &Context,
    organizer: &Organizer,
    email: &str,
) -> Result<Vec<(Registration, Stop, Tour)>, AppError> {
    let (organizer, email) = (organizer.clone(), email.to_owned());
    ctx.db
        .run(move |conn| person_history_in(conn, &organizer, &email))
        .await
}

fn person_history_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    email: &str,
) -> Result<Vec<(Registration, Stop, Tour)>, AppError> {
    let email = text::email(email).map_err(|e| AppError::invalid("email", e.code, e.message))?;
    let tour_ids = visible_tour_ids(conn, organizer)?;
    let mut rows = Registration::history(conn, &email, &tour_ids)?;
    // Local co-organizers see only their own stops' rows.
    let mut keep = Vec::with_capacity(rows.len());
    for (r, s, t) in rows.drain(..) {
        let reach = tour_access(conn, organizer, &t.id)?;
        if sees_stop_tour(reach.as_ref(), &s) {
            keep.push((r, s, t));
        }
    }
    Ok(keep)
}

/// Registrations over time, cumulated per day in the stop's zone: (day, registered, confirmed now).
pub fn timeline(
    conn: &mut DbConnection,
    stop: &Stop,
) -> Result<Vec<(chrono::NaiveDate, i64, i64)>, AppError> {
    let rows = Registration::created_times(conn, &stop.id)?;
    let tz = stop.tz();
    Ok(attendance::cumulate_by_day(rows.into_iter().map(
        |(at, status)| {
            (
                crate::domain::stop::in_zone(at, tz).date_naive(),
                status == RegistrationStatus::Confirmed,
            )
        },
    )))
}

/// Used by reminders and venue switches: everyone still concerned by a stop.
pub fn concerned(conn: &mut DbConnection, stop_id: &str) -> Result<Vec<Registration>, AppError> {
    Ok(Registration::with_status(
        conn,
        stop_id,
        &[
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waitlisted,
        ],
    )?)
}

/// For tests and the crash check: the running counters equal the rows.
pub fn counters_match_rows(conn: &mut DbConnection, stop_id: &str) -> Result<bool, AppError> {
    let running = Counters::get(conn, stop_id)?;
    let counted = Counters::recount(conn, stop_id)?;
    Ok(running.confirmed == counted.confirmed
        && running.waitlisted == counted.waitlisted
        && running.cancelled == counted.cancelled
        && running.checked_in == counted.checked_in
        && running.still_coming_yes == counted.still_coming_yes)
}
