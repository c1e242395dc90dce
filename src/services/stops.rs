use chrono::NaiveDateTime;

use crate::db::{self, DbConnection};
use crate::domain::stop::{self as stop_rules, StopStatus};
use crate::domain::text;
use crate::domain::venue::MAX_CAPACITY;
use crate::error::{AppError, ErrorCode, FieldCode, FieldError, Validator};
use crate::models::access::stops_in_reach;
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::stop::{NewStop, Stop, StopChanges, StopDetail, Supporter};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::services::access;
use crate::services::{Env, lifecycle, registrations};

/// A stop as an organizer describes it. Times are already in UTC (the API gives RFC 3339, the
/// pages wall-clock times in the stop's zone); a time that could not be read arrives as its
/// error so that every bad field is reported at once.
#[derive(Default, Debug, Clone)]
pub struct StopInput {
    pub city: Option<String>,
    pub starts_at: Option<Result<NaiveDateTime, FieldError>>,
    pub ends_at: Option<Result<NaiveDateTime, FieldError>>,
    pub timezone: Option<String>,
    pub venue_id: Option<String>,
    pub backup_venue_ids: Option<Vec<String>>,
    pub capacity: Option<Result<Option<i64>, FieldError>>,
    pub show_rate: Option<Result<Option<f64>, FieldError>>,
    pub livestream_url: Option<Option<String>>,
    pub online_viewers: Option<Result<Option<i64>, FieldError>>,
    pub status: Option<String>,
}

/// Checks what does not need the database; fills `changes` with the given fields.
fn check(input: &StopInput, v: &mut Validator, creating: bool) -> StopChanges {
    let mut changes = StopChanges::default();
    let required = |v: &mut Validator, field: &str, given: bool| {
        if creating && !given {
            v.add(field, FieldCode::Required, "is required");
        }
    };
    required(v, "city", input.city.is_some());
    required(v, "starts_at", input.starts_at.is_some());
    required(v, "ends_at", input.ends_at.is_some());
    required(v, "timezone", input.timezone.is_some());
    required(
        v,
        "venue_id",
        input
            .venue_id
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty()),
    );
    if let Some(city) = &input.city {
        changes.city = v.check("city", text::required_line(city, 100));
    }
    if let Some(t) = &input.starts_at {
        changes.starts_at = v.check("starts_at", t.clone());
    }
    if let Some(t) = &input.ends_at {
        changes.ends_at = v.check("ends_at", t.clone());
    }
    if let Some(tz) = &input.timezone {
        changes.timezone = v
            .check("timezone", stop_rules::timezone(tz))
            .map(|tz| tz.name().to_owned());
    }
    if let Some(venue_id) = input.venue_id.as_deref().filter(|s| !s.trim().is_empty()) {
        changes.venue_id = Some(venue_id.trim().to_owned());
    }
    if let Some(capacity) = &input.capacity {
        changes.capacity_override = match v.check("capacity", capacity.clone()) {
            Some(None) => Some(None),
            Some(Some(c)) => v
                .check("capacity", text::number_in(c, 1, MAX_CAPACITY))
                .map(Some),
            None => None,
        };
    }
    if let Some(rate) = &input.show_rate {
        changes.show_rate_override = match v.check("show_rate", rate.clone()) {
            Some(None) => Some(None),
            Some(Some(r)) => v.check("show_rate", text::show_rate(r)).map(Some),
            None => None,
        };
    }
    if let Some(url) = &input.livestream_url {
        changes.livestream_url = match url.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(u) => v.check("livestream_url", text::web_url(u)).map(Some),
        };
    }
    if let Some(viewers) = &input.online_viewers {
        changes.online_viewers = match v.check("online_viewers", viewers.clone()) {
            Some(None) => Some(None),
            Some(Some(n)) => v
                .check("online_viewers", text::number_in(n, 0, 100_000_000))
                .map(Some),
            None => None,
        };
    }
    if let Some(status) = &input.status {
        match StopStatus::parse(status.trim()) {
            Some(s) => changes.status = Some(s),
            None => v.add(
                "status",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", StopStatus::choices()),
            ),
        }
    }
    changes
}

/// The venue and backups must exist; backups are distinct and not the venue itself.
fn check_venues(
    conn: &mut DbConnection,
    v: &mut Validator,
    venue_id: Option<&str>,
    backups: Option<&[String]>,
) -> Result<(), AppError> {
    if let Some(id) = venue_id
        && Venue::find(conn, id)?.is_none()
    {
        v.add("venue_id", FieldCode::UnknownVenue, "no venue has this id");
    }
    if let Some(backups) = backups {
        let mut seen = std::collections::HashSet::new();
        if backups.len() > 20 {
            v.add("backup_venue_ids", FieldCode::TooMany, "at most 20 backups");
        } else if backups
            .iter()
            .any(|b| !seen.insert(b.as_str()) || Some(b.as_str()) == venue_id)
        {
            v.add(
                "backup_venue_ids",
                FieldCode::Duplicate,
                "each backup must be listed once and differ from the stop's venue",
            );
        } else if Venue::find_many(conn, backups)?.len() != backups.len() {
            v.add(
                "backup_venue_ids",
                FieldCode::UnknownVenue,
                "one of these ids is not a venue",
            );
        }
    }
    Ok(())
}

fn check_times(v: &mut Validator, starts_at: NaiveDateTime, ends_at: NaiveDateTime) {
    if let Err(e) = stop_rules::check_times(starts_at, ends_at) {
        v.check::<()>("ends_at", Err(e));
    }
}

#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
pub fn create_stop(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    input: StopInput,
) -> Result<StopDetail, AppError> {
    db::write_transaction(conn, |conn| {
        let (tour, _) = access::editable_tour(conn, organizer, tour_id)?;
        let mut v = Validator::new();
        let changes = check(&input, &mut v, true);
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
        let stop = Stop::find(conn, &id)?.ok_or_else(|| AppError::not_found("stop"))?;
        Ok(Stop::detail(conn, stop)?)
    })
}

/// Changes a stop the caller runs. Once a stop is past draft, its venue moves only by a
/// venue switch (which is logged and tells everyone concerned).
pub fn update_stop(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    input: StopInput,
) -> Result<StopDetail, AppError> {
    Ok(update_stop_telling(conn, env, organizer, stop_id, input, "")?.detail)
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
pub fn update_stop_telling(
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
        let cancelling = next == StopStatus::Cancelled && stop.status() != StopStatus::Cancelled;
        let old_times = (stop.starts_at, stop.ends_at);
        let new_times = (
            changes.starts_at.unwrap_or(stop.starts_at),
            changes.ends_at.unwrap_or(stop.ends_at),
        );
        let moving = !cancelling
            && lifecycle::moves_people(stop.status(), old_times, new_times)
            && matches!(next, StopStatus::Open | StopStatus::Closed);
        // Calendars should update when the time moves, and drop the entry when cancelled.
        if old_times != new_times || cancelling {
            changes.calendar_sequence = Some(stop.calendar_sequence + 1);
        }
        // What the people are told stays on the stop's page and tickets; a later change
        // without a word, or a cancelled stop planned again, clears it.
        if cancelling || moving {
            changes.notice = Some((!message.is_empty()).then(|| message.clone()));
        } else if stop.status() == StopStatus::Cancelled && next != StopStatus::Cancelled {
            changes.notice = Some(None);
        }
        changes.updated_at = Some(db::now());
        let was_done = stop.status() == StopStatus::Done;
        let stop = Stop::update(conn, &stop.id, &changes)?;
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

/// A stop the caller runs, with its venue, backups and supporters.
pub fn stop_detail(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<(StopDetail, Tour, crate::domain::access::TourAccess), AppError> {
    let (stop, tour, access) = access::stop_for(conn, organizer, stop_id)?;
    Ok((Stop::detail(conn, stop)?, tour, access))
}

/// The stops of a tour the caller may see (a local member sees their own only).
pub fn list_stops(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<Vec<StopDetail>, AppError> {
    let (tour, access) = access::tour_for(conn, organizer, tour_id)?;
    let stops = stops_in_reach(conn, &tour.id, &access)?;
    stops
        .into_iter()
        .map(|s| Stop::detail(conn, s).map_err(AppError::from))
        .collect()
}

/// A new draft stop like `source` in everything but its date.
#[tracing::instrument(skip(conn), fields(organizer = %organizer.id))]
pub fn clone_stop(
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
    };
    let created = create_stop(conn, organizer, &source.stop.tour_id, input)?;
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

/// Moves a backup up or down the ranking (`delta` -1 is up).
pub fn move_backup(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    venue_id: &str,
    delta: i32,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let mut ids: Vec<String> = Stop::backups(conn, &stop.id)?
            .into_iter()
            .map(|v| v.id)
            .collect();
        let Some(pos) = ids.iter().position(|id| id == venue_id) else {
            return Err(AppError::not_found("backup"));
        };
        let target = pos as i64 + i64::from(delta);
        if target >= 0 && (target as usize) < ids.len() {
            ids.swap(pos, target as usize);
            Stop::set_backups(conn, &stop.id, &ids)?;
        }
        Ok(())
    })
}

pub fn add_backup(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    venue_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let mut ids: Vec<String> = Stop::backups(conn, &stop.id)?
            .into_iter()
            .map(|v| v.id)
            .collect();
        ids.push(venue_id.to_owned());
        let mut v = Validator::new();
        check_venues(conn, &mut v, Some(&stop.venue_id), Some(&ids))?;
        v.finish()?;
        Stop::set_backups(conn, &stop.id, &ids)?;
        Ok(())
    })
}

pub fn remove_backup(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    venue_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let ids: Vec<String> = Stop::backups(conn, &stop.id)?
            .into_iter()
            .map(|v| v.id)
            .filter(|id| id != venue_id)
            .collect();
        Stop::set_backups(conn, &stop.id, &ids)?;
        Ok(())
    })
}

pub fn add_supporter(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    name: &str,
    contribution: &str,
) -> Result<Supporter, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required_line(name, 200));
    let contribution = v.check("contribution", text::optional(contribution, 500));
    v.finish()?;
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let supporter = Stop::add_supporter(
        conn,
        &stop.id,
        &name.unwrap_or_default(),
        &contribution.unwrap_or_default(),
    )?;
    Ok(supporter)
}

pub fn remove_supporter(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    supporter_id: &str,
) -> Result<(), AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    if Stop::remove_supporter(conn, &stop.id, supporter_id)? == 0 {
        return Err(AppError::not_found("supporter"));
    }
    Ok(())
}

/// A public stop of a public tour, for the stop page.
pub fn public_stop(conn: &mut DbConnection, stop_id: &str) -> Result<(StopDetail, Tour), AppError> {
    let stop = Stop::find(conn, stop_id)?
        .filter(|s| s.status().is_public())
        .ok_or_else(|| AppError::not_found("stop"))?;
    let tour = Tour::find(conn, &stop.tour_id)?
        .filter(Tour::is_public)
        .ok_or_else(|| AppError::not_found("stop"))?;
    Ok((Stop::detail(conn, stop)?, tour))
}
