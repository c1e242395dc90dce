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

/// What a saved change of a stop tells people, decided from its status before and after
/// and its times before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StopChangeEffects {
    /// The change cancels the stop: everyone concerned is told.
    pub cancelling: bool,
    /// The change moves an announced stop (open or closed, and staying so) to another
    /// time: everyone concerned is told the new time.
    pub moving: bool,
    /// Calendars update when the time moves, and drop the entry when cancelled.
    pub new_calendar_sequence: bool,
    /// What people are told stays on the stop's page and tickets: set with a cancellation
    /// or a move, cleared when a cancelled stop is planned again, else left.
    pub notice: NoticeChange,
}

/// What becomes of a stop's notice (the organizers' words with the last cancellation or
/// new time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeChange {
    Keep,
    /// The message sent with this change (none when the organizer wrote none).
    Set,
    Clear,
}

pub fn change_effects(
    from: StopStatus,
    to: StopStatus,
    old_times: (NaiveDateTime, NaiveDateTime),
    new_times: (NaiveDateTime, NaiveDateTime),
) -> StopChangeEffects {
    let cancelling = to == StopStatus::Cancelled && from != StopStatus::Cancelled;
    let moving = !cancelling
        && moves_people(from, old_times, new_times)
        && matches!(to, StopStatus::Open | StopStatus::Closed);
    let notice = if cancelling || moving {
        NoticeChange::Set
    } else if from == StopStatus::Cancelled && to != StopStatus::Cancelled {
        NoticeChange::Clear
    } else {
        NoticeChange::Keep
    };
    StopChangeEffects {
        cancelling,
        moving,
        new_calendar_sequence: old_times != new_times || cancelling,
        notice,
    }
}

/// Moves the entry at `pos` of a ranking one place (`delta` -1 up, 1 down); false when it
/// is already first or last (the ranking stays as it is).
pub fn move_in_ranking<T>(ranking: &mut [T], pos: usize, delta: i32) -> bool {
    let target = pos as i64 + i64::from(delta);
    if target >= 0 && (target as usize) < ranking.len() {
        ranking.swap(pos, target as usize);
        true
    } else {
        false
    }
}

/// Where a stop is in its life, as its organizers' pages speak of it: before it (taking
/// registrations, promoting), during it (the desk: from `DESK_OPENS_BEFORE_MINUTES` before
/// the start until the end), after it (the show rate measured, materials collected, the
/// report), or cancelled. A stop marked done is over whatever the clock says; one that ended
/// but was not marked done is over too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tense {
    Before,
    During,
    After,
    Cancelled,
}

/// People arrive before the start: the desk is the page that matters from then on.
pub const DESK_OPENS_BEFORE_MINUTES: i64 = 120;

impl Tense {
    pub fn as_str(self) -> &'static str {
        match self {
            Tense::Before => "before",
            Tense::During => "during",
            Tense::After => "after",
            Tense::Cancelled => "cancelled",
        }
    }
}

/// The stop's tense at `now`.
pub fn tense(
    status: StopStatus,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Tense {
    match status {
        StopStatus::Cancelled => Tense::Cancelled,
        StopStatus::Done => Tense::After,
        _ if now >= ends_at => Tense::After,
        _ if now >= starts_at - chrono::Duration::minutes(DESK_OPENS_BEFORE_MINUTES) => {
            Tense::During
        }
        _ => Tense::Before,
    }
}

/// Whole days from `now` until `starts_at` (rounded up: a stop tomorrow morning is one day
/// away); 0 once it has started.
pub fn days_to_go(now: NaiveDateTime, starts_at: NaiveDateTime) -> i64 {
    let secs = (starts_at - now).num_seconds();
    if secs <= 0 {
        0
    } else {
        (secs + 86_399) / 86_400
    }
}

/// The status changes a stop's page offers in its tense: registration is opened and closed
/// before and during the stop, never once it is over; "done" is offered from the day itself
/// on (marking a stop done months ahead would measure nothing), and an ended stop that was
/// not marked done is asked to be. A done stop offers only to undo that (back to closed).
pub fn offered_moves(status: StopStatus, tense: Tense) -> Vec<StopStatus> {
    use StopStatus::*;
    StopStatus::ALL
        .iter()
        .copied()
        .filter(|to| *to != status && can_move(status, *to))
        .filter(|to| match (status, to) {
            (Open, Closed) | (Closed, Open) => matches!(tense, Tense::Before | Tense::During),
            (Open | Closed, Done) => matches!(tense, Tense::During | Tense::After),
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_stop_offers_the_moves_of_its_tense() {
        use StopStatus::*;
        assert_eq!(offered_moves(Draft, Tense::Before), vec![Open, Cancelled]);
        assert_eq!(offered_moves(Open, Tense::Before), vec![Closed, Cancelled]);
        assert_eq!(
            offered_moves(Open, Tense::During),
            vec![Closed, Done, Cancelled]
        );
        assert_eq!(
            offered_moves(Closed, Tense::During),
            vec![Open, Done, Cancelled]
        );
        // Over but not marked done: no more "Close registration", only "done".
        assert_eq!(offered_moves(Open, Tense::After), vec![Done, Cancelled]);
        assert_eq!(offered_moves(Closed, Tense::After), vec![Done, Cancelled]);
        // Done: only back to closed (labelled as undoing "done" on the page).
        assert_eq!(offered_moves(Done, Tense::After), vec![Closed]);
        assert_eq!(offered_moves(Cancelled, Tense::Cancelled), vec![Draft]);
    }

    #[test]
    fn a_stop_speaks_in_its_tense() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let (start, end) = (t("2027-03-20 06:00"), t("2027-03-20 10:00"));
        use StopStatus::*;
        assert_eq!(
            tense(Open, start, end, t("2027-01-01 00:00")),
            Tense::Before
        );
        assert_eq!(
            tense(Draft, start, end, t("2027-03-20 03:59")),
            Tense::Before
        );
        // The desk opens two hours before the start.
        assert_eq!(
            tense(Open, start, end, t("2027-03-20 04:00")),
            Tense::During
        );
        assert_eq!(
            tense(Closed, start, end, t("2027-03-20 09:59")),
            Tense::During
        );
        // Ended but not marked done: over all the same.
        assert_eq!(tense(Open, start, end, t("2027-03-20 10:00")), Tense::After);
        // Marked done early (or with a wrong clock): over.
        assert_eq!(tense(Done, start, end, t("2027-01-01 00:00")), Tense::After);
        assert_eq!(
            tense(Cancelled, start, end, t("2027-03-20 07:00")),
            Tense::Cancelled
        );
        assert_eq!(
            tense(Cancelled, start, end, t("2028-01-01 00:00")),
            Tense::Cancelled
        );
    }

    #[test]
    fn days_to_go_round_up_and_stop_at_the_start() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let start = t("2027-03-20 06:00");
        assert_eq!(days_to_go(t("2026-11-20 06:00"), start), 120);
        assert_eq!(days_to_go(t("2027-03-19 20:00"), start), 1);
        assert_eq!(days_to_go(t("2027-03-20 06:00"), start), 0);
        assert_eq!(days_to_go(t("2027-03-21 06:00"), start), 0);
    }
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

    #[test]
    fn a_cancellation_tells_people_and_a_new_time_tells_them_only_while_announced() {
        use StopStatus::*;
        let t = |h| local_to_utc(&format!("2012-09-16T{h:02}:00"), chrono_tz::UTC).unwrap();
        let (old, later) = ((t(13), t(17)), (t(14), t(18)));

        let cancelled = change_effects(Open, Cancelled, old, later);
        assert!(cancelled.cancelling && !cancelled.moving);
        assert!(cancelled.new_calendar_sequence);
        assert_eq!(cancelled.notice, NoticeChange::Set);

        let moved = change_effects(Closed, Closed, old, later);
        assert!(moved.moving && !moved.cancelling);
        assert_eq!(moved.notice, NoticeChange::Set);

        // A draft's new time, or an announced stop marked done as it moves, tells nobody,
        // but calendars still follow the time.
        for (from, to) in [(Draft, Draft), (Open, Done), (Draft, Open)] {
            let e = change_effects(from, to, old, later);
            assert!(!e.moving && !e.cancelling, "{from} -> {to}");
            assert!(e.new_calendar_sequence);
            assert_eq!(e.notice, NoticeChange::Keep);
        }

        let same = change_effects(Open, Open, old, old);
        assert!(!same.moving && !same.new_calendar_sequence);

        let again = change_effects(Cancelled, Cancelled, old, old);
        assert!(!again.cancelling && !again.new_calendar_sequence);

        let replanned = change_effects(Cancelled, Draft, old, old);
        assert_eq!(replanned.notice, NoticeChange::Clear);
    }

    #[test]
    fn a_backup_moves_one_place_and_not_past_either_end() {
        let mut ranking = vec!["a", "b", "c"];
        assert!(move_in_ranking(&mut ranking, 1, -1));
        assert_eq!(ranking, ["b", "a", "c"]);
        assert!(move_in_ranking(&mut ranking, 1, 1));
        assert_eq!(ranking, ["b", "c", "a"]);
        assert!(!move_in_ranking(&mut ranking, 0, -1));
        assert!(!move_in_ranking(&mut ranking, 2, 1));
        assert_eq!(ranking, ["b", "c", "a"]);
    }
}
