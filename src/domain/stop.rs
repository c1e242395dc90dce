use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::text_enum;
use crate::domain::{FieldCode, FieldError};

text_enum!(
    /// `open` takes registrations; `closed` no longer does; `done` is over and measured.
    StopStatus {
        Draft => "draft",
        Open => "open",
        Closed => "closed",
        Done => "done",
        Cancelled => "cancelled",
    }
);

impl StopStatus {
    /// Whether the public may see the stop (drafts are the team's only).
    pub fn is_public(self) -> bool {
        self != StopStatus::Draft
    }
}

pub fn timezone(value: &str) -> Result<Tz, FieldError> {
    value.trim().parse::<Tz>().map_err(|_| FieldError {
        code: FieldCode::InvalidTimezone,
        message: "must be an IANA time zone such as Asia/Shanghai".into(),
    })
}

/// A wall-clock time in a zone, as typed into a form, to UTC. A time skipped by a
/// daylight-saving change is refused; a repeated one takes its first occurrence.
pub fn local_to_utc(local: &str, tz: Tz) -> Result<NaiveDateTime, FieldError> {
    let bad = || FieldError {
        code: FieldCode::InvalidDatetime,
        message: "must be a date and time such as 2012-09-16T13:30".into(),
    };
    let v = local.trim();
    let naive = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M"))
        .map_err(|_| bad())?;
    match tz.from_local_datetime(&naive).earliest() {
        Some(t) => in_range(t.with_timezone(&Utc).naive_utc()),
        None => Err(FieldError {
            code: FieldCode::NonexistentTime,
            message: "does not exist in that time zone (daylight-saving change)".into(),
        }),
    }
}

/// The times we store: from 1900 up to (not including) 9999, in UTC. Both backends, the
/// time-zone tables and the formats we write handle these in every zone, with room for
/// the hours and days added to them (a stop's end, reminders, link lifetimes); a UTC year
/// 10000 could not even be read back from SQLite.
pub fn in_range(utc: NaiveDateTime) -> Result<NaiveDateTime, FieldError> {
    use chrono::Datelike;
    if (1900..9999).contains(&utc.year()) {
        Ok(utc)
    } else {
        Err(FieldError {
            code: FieldCode::OutOfRange,
            message: "must be between the years 1900 and 9998".into(),
        })
    }
}

/// An RFC 3339 time from the API, to UTC at microsecond precision.
pub fn rfc3339_to_utc(value: &str) -> Result<NaiveDateTime, FieldError> {
    use chrono::SubsecRound;
    let utc = DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc).naive_utc().trunc_subsecs(6))
        .map_err(|_| FieldError {
            code: FieldCode::InvalidDatetime,
            message: "must be an RFC 3339 time such as 2012-09-16T13:30:00+08:00".into(),
        })?;
    in_range(utc)
}

/// A stored UTC time, in a stop's zone.
pub fn in_zone(utc: NaiveDateTime, tz: Tz) -> DateTime<Tz> {
    Utc.from_utc_datetime(&utc).with_timezone(&tz)
}

/// As RFC 3339 for the API (UTC, `Z`).
pub fn to_rfc3339(utc: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&utc)
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// The start and end must be in order, and a one-day meetup should not run for weeks.
pub fn check_times(starts_at: NaiveDateTime, ends_at: NaiveDateTime) -> Result<(), FieldError> {
    if ends_at <= starts_at {
        return Err(FieldError {
            code: FieldCode::EndsBeforeStart,
            message: "must be after the start".into(),
        });
    }
    if ends_at - starts_at > chrono::Duration::days(7) {
        return Err(FieldError {
            code: FieldCode::TooLong,
            message: "a stop may last at most 7 days".into(),
        });
    }
    Ok(())
}

/// The status changes an organizer may make.
pub fn can_move(from: StopStatus, to: StopStatus) -> bool {
    use StopStatus::*;
    from == to
        || matches!(
            (from, to),
            (Draft, Open | Cancelled)
                | (Open, Closed | Done | Cancelled)
                | (Closed, Open | Done | Cancelled)
                | (Done, Closed)
                | (Cancelled, Draft)
        )
}

/// How many people a cancellation or a new time concerns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Affected {
    pub confirmed: usize,
    pub waitlisted: usize,
    pub speakers: usize,
    pub volunteers: usize,
    /// Distinct addresses: each gets one e-mail.
    pub people: usize,
}

/// Whether a change of times is one people are told about: the stop is announced (open
/// or closed) and its start or end moves.
pub fn moves_people(
    status: StopStatus,
    old: (NaiveDateTime, NaiveDateTime),
    new: (NaiveDateTime, NaiveDateTime),
) -> bool {
    matches!(status, StopStatus::Open | StopStatus::Closed) && old != new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_announced_stop_that_changes_its_times_tells_people() {
        let t = |h| local_to_utc(&format!("2012-09-16T{h:02}:00"), chrono_tz::UTC).unwrap();
        let (old, later) = ((t(13), t(17)), (t(14), t(18)));
        assert!(moves_people(StopStatus::Open, old, later));
        assert!(moves_people(StopStatus::Closed, old, later));
        assert!(!moves_people(StopStatus::Open, old, old));
        for status in [StopStatus::Draft, StopStatus::Done, StopStatus::Cancelled] {
            assert!(!moves_people(status, old, later), "{status}");
        }
    }

    #[test]
    fn local_times_are_stored_in_utc() {
        let tz = timezone("Asia/Shanghai").unwrap();
        let utc = local_to_utc("2012-09-16T13:30", tz).unwrap();
        assert_eq!(to_rfc3339(utc), "2012-09-16T05:30:00Z");
        assert_eq!(in_zone(utc, tz).format("%H:%M").to_string(), "13:30");
    }

    #[test]
    fn skipped_daylight_saving_times_are_refused() {
        let tz = timezone("Europe/Berlin").unwrap();
        assert_eq!(
            local_to_utc("2026-03-29T02:30", tz).unwrap_err().code,
            FieldCode::NonexistentTime
        );
    }

    #[test]
    fn bad_zones_and_times_are_refused() {
        assert!(timezone("Mars/Olympus").is_err());
        assert!(rfc3339_to_utc("2012-09-16 13:30").is_err());
        assert!(rfc3339_to_utc("2012-09-16T13:30:00+08:00").is_ok());
    }

    #[test]
    fn times_outside_the_years_we_store_are_refused() {
        for bad in [
            "9999-12-31T23:59:59-12:00",
            "9999-06-01T00:00:00Z",
            "1899-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(
                rfc3339_to_utc(bad).unwrap_err().code,
                FieldCode::OutOfRange,
                "{bad}"
            );
        }
        assert!(rfc3339_to_utc("9998-12-31T23:59:59+14:00").is_ok());
        assert!(rfc3339_to_utc("1900-01-01T00:00:00Z").is_ok());
        let tz = timezone("Pacific/Kiritimati").unwrap();
        assert_eq!(
            local_to_utc("9999-01-02T10:00", tz).unwrap_err().code,
            FieldCode::OutOfRange
        );
    }
}
