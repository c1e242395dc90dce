//! Checking what an organizer types for a stop: the fields alone, then the venues against
//! the library.

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::domain::stop::{self as stop_rules, StopStatus};
use crate::domain::text;
use crate::domain::venue::MAX_CAPACITY;
use crate::error::{AppError, FieldCode, FieldError, Validator};
use crate::models::stop::StopChanges;
use crate::models::venue::Venue;

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
    /// The city (the stop's name) in other languages.
    pub translations: crate::domain::content::Translations,
}

/// Checks what does not need the database; fills `changes` with the given fields.
pub(super) fn check(input: &StopInput, v: &mut Validator, creating: bool) -> StopChanges {
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
pub(super) fn check_venues(
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

pub(super) fn check_times(v: &mut Validator, starts_at: NaiveDateTime, ends_at: NaiveDateTime) {
    if let Err(e) = stop_rules::check_times(starts_at, ends_at) {
        v.check::<()>("ends_at", Err(e));
    }
}
