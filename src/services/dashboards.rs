//! The organizers' dashboards: every stop's figures in its tense for a tour's page, and what
//! needs the organizer today across the tours they may see (their home). The figures of any
//! number of stops come from a handful of grouped queries, never one per stop.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, DbConnection};
use crate::domain::attendance::{self, History, Signal};
use crate::domain::stop::{self as stop_rules, StopStatus, Tense};
use crate::error::AppError;
use crate::models::access::{stops_in_reach, tour_access};
use crate::models::counters::Counters;
use crate::models::material::{Material, MaterialStatus};
use crate::models::organizer::Organizer;
use crate::models::outbox::OutboxMessage;
use crate::models::stop::Stop;
use crate::models::task::Task;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::dashboards::{Home, OpenTask, StopFigures, TourTotals};
use crate::read::stop::Plan;
use crate::services::Env;
use crate::services::context::Context;

/// What "this week" means on the home: stops starting within this many days.
pub const THIS_WEEK_DAYS: i64 = 7;

/// Stops that ended longer ago than this are history: the home looks at the rest (their
/// materials are still being collected).
pub const RECENT_DAYS: i64 = 60;

/// The figures of `stops` (of `tours`) at `now`, in the stops' order, and their tasks.
fn load(
    conn: &mut DbConnection,
    env: &Env,
    tours: &[&Tour],
    stops: Vec<(Stop, Venue)>,
    now: NaiveDateTime,
) -> Result<(Vec<StopFigures>, Vec<Task>), AppError> {
    let ids: Vec<String> = stops.iter().map(|(s, _)| s.id.clone()).collect();
    let tour_ids: Vec<String> = tours.iter().map(|t| t.id.clone()).collect();
    let counters: HashMap<String, Counters> = Counters::of_stops(conn, &ids)?.into_iter().collect();
    let done = Counters::done_of_tours(conn, &tour_ids)?;
    let tasks = Task::for_stops(conn, &ids)?;
    let materials = Material::for_stops(conn, &ids)?;
    let mut open_slots: HashMap<&str, i64> = HashMap::new();
    for t in &tasks {
        *open_slots.entry(t.stop_id.as_str()).or_default() += i64::from(t.free().max(0));
    }
    let mut missing: HashMap<&str, (i64, i64)> = HashMap::new();
    for m in materials
        .iter()
        .filter(|m| m.status() == MaterialStatus::Requested)
    {
        let e = missing.entry(m.stop_id.as_str()).or_default();
        e.0 += 1;
        e.1 += i64::from(crate::read::materials::is_overdue(m, now));
    }
    let figures = stops
        .into_iter()
        .filter_map(|(stop, venue)| {
            let tour = tours.iter().find(|t| t.id == stop.tour_id)?;
            let history = if stop.show_rate_override.is_some() {
                History::default()
            } else {
                done.iter()
                    .filter(|(t, start, _)| *t == tour.id && *start < stop.starts_at)
                    .fold(History::default(), |h, (_, _, c)| History {
                        confirmed: h.confirmed + i64::from(c.confirmed),
                        attended: h.attended + i64::from(c.checked_in),
                    })
            };
            let capacity = stop.capacity_override.unwrap_or(venue.capacity);
            let show_rate = attendance::expected_show_rate(
                stop.show_rate_override,
                history,
                tour.prior_show_rate,
                env.prior_weight,
            );
            let plan = Plan {
                capacity,
                show_rate,
                target: attendance::registration_target(capacity, show_rate),
            };
            let c = counters.get(&stop.id).copied().unwrap_or_default();
            let confirmed = i64::from(c.confirmed);
            let tense = stop_rules::tense(stop.status(), stop.starts_at, stop.ends_at, now);
            let signal = if stop.status() == StopStatus::Cancelled {
                Signal::Cancelled
            } else {
                attendance::signal(
                    capacity,
                    show_rate,
                    confirmed,
                    plan.target,
                    now,
                    stop.starts_at,
                )
            };
            let (missing_materials, overdue_materials) =
                missing.get(stop.id.as_str()).copied().unwrap_or_default();
            Some(StopFigures {
                plan,
                counters: c,
                tense,
                signal,
                days_to_go: stop_rules::days_to_go(now, stop.starts_at),
                actual_show_rate: (tense == Tense::After)
                    .then(|| attendance::actual_show_rate(confirmed, i64::from(c.checked_in)))
                    .flatten(),
                open_slots: open_slots.get(stop.id.as_str()).copied().unwrap_or(0),
                missing_materials,
                overdue_materials,
                stop,
                venue,
            })
        })
        .collect();
    Ok((figures, tasks))
}

/// The figures of a tour's stops the caller may see (a local member's own only), soonest
/// first. The caller's reach is the service's that calls this.
pub(crate) fn tour_figures_in(
    conn: &mut DbConnection,
    env: &Env,
    tour: &Tour,
    access: &crate::domain::access::TourAccess,
) -> Result<Vec<StopFigures>, AppError> {
    let ids: Vec<String> = stops_in_reach(conn, &tour.id, access)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let stops = Stop::list_with_venues(conn, &ids)?;
    Ok(load(conn, env, &[tour], stops, db::now())?.0)
}

/// One stop's figures (its organizers' page).
pub(crate) fn stop_figures_in(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    tour: &Tour,
) -> Result<StopFigures, AppError> {
    let stops = Stop::list_with_venues(conn, std::slice::from_ref(&stop.id))?;
    load(conn, env, &[tour], stops, db::now())?
        .0
        .pop()
        .ok_or_else(|| AppError::not_found("stop"))
}

/// A tour's stops added up: cancelled stops count for nothing; the show rates are those of
/// the stops that are over, weighted by their confirmed registrations.
pub fn totals(figures: &[StopFigures]) -> TourTotals {
    let mut t = TourTotals::default();
    let (mut over_confirmed, mut over_checked_in, mut over_expected) = (0i64, 0i64, 0f64);
    for f in figures.iter().filter(|f| f.tense != Tense::Cancelled) {
        let confirmed = i64::from(f.counters.confirmed);
        t.confirmed += confirmed;
        t.target += f.plan.target;
        t.waitlisted += i64::from(f.counters.waitlisted);
        t.checked_in += i64::from(f.counters.checked_in);
        t.open_slots += f.open_slots;
        t.missing_materials += f.missing_materials;
        if f.tense == Tense::After {
            over_confirmed += confirmed;
            over_checked_in += i64::from(f.counters.checked_in);
            over_expected += f.plan.show_rate * confirmed as f64;
        }
    }
    t.actual_show_rate = attendance::actual_show_rate(over_confirmed, over_checked_in);
    t.forecast_show_rate = (over_confirmed > 0).then(|| over_expected / over_confirmed as f64);
    t
}

/// What needs the organizer today across the tours they may see.
pub async fn home(ctx: &Context, organizer: &Organizer) -> Result<Home, AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| home_in(conn, &env, &organizer, db::now()))
        .await
}

#[tracing::instrument(skip(conn, env), fields(organizer = %organizer.id))]
fn home_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    now: NaiveDateTime,
) -> Result<Home, AppError> {
    let tours = Tour::list_for_member(conn, &organizer.id, organizer.is_admin)?;
    let mut stop_ids = Vec::new();
    let mut editable = Vec::new();
    for (tour, _) in &tours {
        // The same reach as every other page: a local member sees their own stops only.
        let Some(access) = tour_access(conn, organizer, &tour.id)? else {
            continue;
        };
        if access.can_edit_tour() {
            editable.push(tour.id.clone());
        }
        stop_ids.extend(
            stops_in_reach(conn, &tour.id, &access)?
                .into_iter()
                .filter(|s| s.status() != StopStatus::Cancelled)
                .filter(|s| s.ends_at > now - Duration::days(RECENT_DAYS))
                .map(|s| s.id),
        );
    }
    let stops = Stop::list_with_venues(conn, &stop_ids)?;
    let tour_refs: Vec<&Tour> = tours.iter().map(|(t, _)| t).collect();
    let (figures, tasks) = load(conn, env, &tour_refs, stops, now)?;
    let tour_name = |id: &str| {
        tours
            .iter()
            .find(|(t, _)| t.id == id)
            .map(|(t, _)| t.name.clone())
            .unwrap_or_default()
    };
    let mut home = Home::default();
    for f in &figures {
        let name = tour_name(&f.stop.tour_id);
        let soon =
            f.tense == Tense::Before && f.stop.starts_at <= now + Duration::days(THIS_WEEK_DAYS);
        if f.tense == Tense::During || soon {
            home.this_week.push((f.clone(), name.clone()));
        }
        if f.signal_is_bad() && matches!(f.stop.status(), StopStatus::Open | StopStatus::Closed) {
            home.bad_signals.push((f.clone(), name.clone()));
        }
        if f.overdue_materials > 0 {
            home.overdue
                .push((f.stop.clone(), name.clone(), f.overdue_materials));
        }
    }
    home.this_week
        .sort_by_key(|(f, _)| (f.tense != Tense::During, f.stop.starts_at));
    for t in tasks.iter().filter(|t| t.free() > 0) {
        let Some(f) = figures
            .iter()
            .find(|f| f.stop.id == t.stop_id && matches!(f.tense, Tense::Before | Tense::During))
        else {
            continue;
        };
        home.open_tasks.push(OpenTask {
            stop: f.stop.clone(),
            tour: tour_name(&f.stop.tour_id),
            title: t.title.clone(),
            free: i64::from(t.free()),
            starts_at: t.starts_at,
        });
    }
    home.open_tasks
        .sort_by_key(|t| (t.stop.starts_at, t.starts_at));
    for (tour_id, n) in OutboxMessage::failed_per_tour(conn, &editable)? {
        if let Some((tour, _)) = tours.iter().find(|(t, _)| Some(&t.id) == tour_id.as_ref()) {
            home.failed_emails.push((tour.clone(), n));
        }
    }
    home.tours = tours;
    Ok(home)
}
