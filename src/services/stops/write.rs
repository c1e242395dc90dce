//! Creating, changing and cloning a stop.

use chrono::NaiveDateTime;

use super::input::{StopInput, check, check_times, check_venues};
use crate::cache::Change;
use crate::db::{self, DbConnection};
use crate::domain::content::Subject;
use crate::domain::ids::{StopId, TourId};
use crate::domain::stop::{self as stop_rules, NoticeChange, StopStatus, local_to_utc};
use crate::domain::text;
use crate::error::{AppError, ErrorCode, FieldCode, FieldError, Validator};
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::stop::{NewStop, Stop, StopDetail};
use crate::models::translation::Translation;
use crate::services::access;
use crate::services::context::Context;
use crate::services::{Env, lifecycle, registrations};

/// A new stop of a tour the caller may edit.
pub async fn create_stop(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
    input: StopInput,
) -> Result<StopDetail, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| create_stop_in(conn, &organizer, &tour, input))
        .await
}

#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
pub(super) fn create_stop_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    input: StopInput,
) -> Result<StopDetail, AppError> {
    db::write_transaction(conn, |conn| {
        let (tour, _) = access::editable_tour(conn, organizer, tour_id)?;
        let mut v = Validator::new();
        let changes = check(&input, &mut v, true);
        let texts = crate::services::content::checked(&mut v, Subject::Stop, &input.translations);
        let backups = input.backup_venue_ids.clone().unwrap_or_default();
        check_venues(conn, &mut v, changes.venue_id.as_deref(), Some(&backups))?;
        if let (Some(s), Some(e)) = (changes.starts_at, changes.ends_at) {
            check_times(&mut v, s, e);
        }
        if changes
            .status
            .is_some_and(|s| s != StopStatus::Draft && s != StopStatus::Open)
        {
            v.add(
                "status",
                FieldCode::InvalidTransition,
                "a new stop is draft or open",
            );
        }
        v.finish()?;
        let now = db::now();
        let id = db::new_id();
        let (Some(city), Some(starts_at), Some(ends_at), Some(timezone), Some(venue_id)) = (
            changes.city,
            changes.starts_at,
            changes.ends_at,
            changes.timezone,
            changes.venue_id,
        ) else {
            return Err(AppError::unexpected_msg("checked stop input lost a field"));
        };
        Stop::insert(
            conn,
            &NewStop {
                id: id.clone(),
                tour_id: tour.id,
                city,
                starts_at,
                ends_at,
                timezone,
                venue_id,
                capacity_override: changes.capacity_override.flatten(),
                show_rate_override: changes.show_rate_override.flatten(),
                livestream_url: changes.livestream_url.flatten(),
                online_viewers: changes.online_viewers.flatten(),
                status: changes.status.unwrap_or(StopStatus::Draft),
                created_at: now,
                updated_at: now,
            },
        )?;
        Stop::set_backups(conn, &id, &backups)?;
        let change = Change::Stop { id: &id, tour_id };
        Translation::apply(conn, Subject::Stop, &id, &texts, Some(change))?;
        let stop = Stop::find(conn, &id)?.ok_or_else(|| AppError::not_found("stop"))?;
        Ok(Stop::detail(conn, stop)?)
    })
}

/// Changes a stop the caller runs. Once a stop is past draft, its venue moves only by a
/// venue switch (which is logged and tells everyone concerned).
fn update_stop_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    input: StopInput,
) -> Result<StopDetail, AppError> {
    Ok(update_stop_telling_in(conn, env, organizer, stop_id, input, "")?.detail)
}

/// A changed stop, and how many people were e-mailed about it.
pub struct Updated {
    pub detail: StopDetail,
    /// Told of a cancellation or of a new time (0 when neither happened).
    pub told: usize,
}

/// The same, with the organizer's `message` for the people told when the change cancels
/// the stop or moves an announced stop (open or closed) to another time: each of them
/// (see `services::lifecycle`) gets one e-mail in the same transaction.
#[tracing::instrument(skip(conn, env, input, message), fields(organizer = %organizer.id))]
fn update_stop_telling_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    input: StopInput,
    message: &str,
) -> Result<Updated, AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        // The registration lock first, as every writer of the stop's registrations takes
        // it: the waitlist may move up at the end of this change.
        Counters::lock(conn, &stop.id)?;
        let mut v = Validator::new();
        let mut changes = check(&input, &mut v, false);
        let texts = crate::services::content::checked(&mut v, Subject::Stop, &input.translations);
        let message = v
            .check("message", text::optional(message, lifecycle::MESSAGE_MAX))
            .unwrap_or_default();
        let venue_changes = changes
            .venue_id
            .as_deref()
            .is_some_and(|id| id != stop.venue_id);
        if venue_changes && stop.status() != StopStatus::Draft {
            return Err(AppError::conflict(
                ErrorCode::UseVenueSwitch,
                "this stop is announced: move it to another venue with a venue switch",
            ));
        }
        let venue_id = changes
            .venue_id
            .clone()
            .unwrap_or_else(|| stop.venue_id.clone());
        check_venues(
            conn,
            &mut v,
            changes.venue_id.as_deref(),
            input.backup_venue_ids.as_deref(),
        )?;
        if let Some(backups) = &input.backup_venue_ids
            && backups.contains(&venue_id)
        {
            v.add(
                "backup_venue_ids",
                FieldCode::Duplicate,
                "a backup must differ from the stop's venue",
            );
        }
        check_times(
            &mut v,
            changes.starts_at.unwrap_or(stop.starts_at),
            changes.ends_at.unwrap_or(stop.ends_at),
        );
        if let Some(next) = changes.status
            && !stop_rules::can_move(stop.status(), next)
        {
            v.add(
                "status",
                FieldCode::InvalidTransition,
                format!("a {} stop cannot become {}", stop.status(), next),
            );
        }
        v.finish()?;
        if venue_changes {
            // A draft stop moved to one of its backups: that venue is no longer a backup.
            let backups: Vec<String> = Stop::backups(conn, &stop.id)?
                .into_iter()
                .map(|b| b.id)
                .filter(|b| *b != venue_id)
                .collect();
            Stop::set_backups(conn, &stop.id, &backups)?;
        }
        if let Some(backups) = &input.backup_venue_ids {
            Stop::set_backups(conn, &stop.id, backups)?;
        }
        let next = changes.status.unwrap_or(stop.status());
        let old_times = (stop.starts_at, stop.ends_at);
        let new_times = (
            changes.starts_at.unwrap_or(stop.starts_at),
            changes.ends_at.unwrap_or(stop.ends_at),
        );
        let effects = stop_rules::change_effects(stop.status(), next, old_times, new_times);
        let (cancelling, moving) = (effects.cancelling, effects.moving);
        if effects.new_calendar_sequence {
            changes.calendar_sequence = Some(stop.calendar_sequence + 1);
        }
        // What the people are told stays on the stop's page and tickets; a later change
        // without a word, or a cancelled stop planned again, clears it.
        match effects.notice {
            NoticeChange::Set => {
                changes.notice = Some((!message.is_empty()).then(|| message.clone()));
            }
            NoticeChange::Clear => changes.notice = Some(None),
            NoticeChange::Keep => {}
        }
        changes.updated_at = Some(db::now());
        let was_done = stop.status() == StopStatus::Done;
        let stop = Stop::update(conn, &stop.id, &changes)?;
        let change = Change::Stop {
            id: &stop.id,
            tour_id: &stop.tour_id,
        };
        Translation::apply(conn, Subject::Stop, &stop.id, &texts, Some(change))?;
        let told = if cancelling {
            lifecycle::tell_cancelled(conn, env, &stop.id, &message)?
        } else if moving {
            crate::services::schedule::reschedule(conn, env, &stop.id, stop.starts_at, db::now())?;
            lifecycle::tell_moved(conn, env, &stop.id, old_times, &message)?
        } else {
            0
        };
        // Marked done: the material requests open now, not at the next scheduler run.
        if stop.status() == StopStatus::Done && !was_done {
            let now = db::now();
            use crate::models::stop_job::{self, StopJob};
            if StopJob::claim(conn, &stop.id, stop_job::MATERIALS, now)? {
                crate::services::collection::open_requests(conn, &stop, now)?;
            }
        }
        // A larger room, a lower show rate or a re-opened stop may free places for the
        // waitlist: in the same transaction, so nobody sees the change without its effect.
        registrations::rebalance_within(conn, env, &stop.id)?;
        let stop = Stop::find(conn, &stop.id)?.ok_or_else(|| AppError::not_found("stop"))?;
        Ok(Updated {
            detail: Stop::detail(conn, stop)?,
            told,
        })
    })
}

/// Changes a stop the caller runs (see `update_stop_in`).
pub async fn update_stop(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    input: StopInput,
) -> Result<StopDetail, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| update_stop_in(conn, &env, &organizer, &stop, input))
        .await
}

/// Changes a stop and tells the people concerned, with the organizer's `message`, when the
/// change cancels it or moves it (see `update_stop_telling_in`).
pub async fn update_stop_telling(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    input: StopInput,
    message: String,
) -> Result<Updated, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| update_stop_telling_in(conn, &env, &organizer, &stop, input, &message))
        .await
}

/// A new draft stop like `source` in everything but its date (times in UTC).
pub async fn clone_stop(
    ctx: &Context,
    organizer: &Organizer,
    source: &StopId,
    starts_at: Result<NaiveDateTime, FieldError>,
    ends_at: Result<NaiveDateTime, FieldError>,
) -> Result<StopDetail, AppError> {
    let (organizer, source) = (organizer.clone(), source.clone());
    ctx.db
        .run(move |conn| clone_stop_in(conn, &organizer, &source, starts_at, ends_at))
        .await
}

/// The same, with the new times as typed on the page: wall-clock times in the source
/// stop's zone.
pub async fn clone_stop_local(
    ctx: &Context,
    organizer: &Organizer,
    source: &StopId,
    starts_at: String,
    ends_at: String,
) -> Result<StopDetail, AppError> {
    let (organizer, source) = (organizer.clone(), source.clone());
    ctx.db
        .run(move |conn| {
            let tz = access::stop_for(conn, &organizer, &source)?.0.tz();
            clone_stop_in(
                conn,
                &organizer,
                &source,
                local_to_utc(&starts_at, tz),
                local_to_utc(&ends_at, tz),
            )
        })
        .await
}

/// A new draft stop like `source` in everything but its date.
#[tracing::instrument(skip(conn), fields(organizer = %organizer.id))]
fn clone_stop_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    source_id: &str,
    starts_at: Result<NaiveDateTime, FieldError>,
    ends_at: Result<NaiveDateTime, FieldError>,
) -> Result<StopDetail, AppError> {
    let source = {
        let (stop, tour, _) = access::stop_for(conn, organizer, source_id)?;
        access::editable_tour(conn, organizer, &tour.id)?;
        Stop::detail(conn, stop)?
    };
    let input = StopInput {
        city: Some(source.stop.city.clone()),
        starts_at: Some(starts_at),
        ends_at: Some(ends_at),
        timezone: Some(source.stop.timezone.clone()),
        venue_id: Some(source.stop.venue_id.clone()),
        backup_venue_ids: Some(source.backups.iter().map(|b| b.id.clone()).collect()),
        capacity: Some(Ok(source.stop.capacity_override.map(i64::from))),
        show_rate: Some(Ok(source.stop.show_rate_override)),
        livestream_url: Some(source.stop.livestream_url.clone()),
        online_viewers: None,
        status: None,
        translations: Default::default(),
    };
    let created = create_stop_in(conn, organizer, &source.stop.tour_id, input)?;
    let change = Change::Stop {
        id: &created.stop.id,
        tour_id: &created.stop.tour_id,
    };
    Translation::copy(
        conn,
        Subject::Stop,
        &source.stop.id,
        &created.stop.id,
        Some(change),
    )?;
    for supporter in &source.supporters {
        Stop::add_supporter(
            conn,
            &created.stop.id,
            &supporter.name,
            &supporter.contribution,
        )?;
    }
    Ok(Stop::detail(conn, created.stop)?)
}
