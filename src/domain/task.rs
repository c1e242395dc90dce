//! Tasks at a stop and the rules of claiming them.

use chrono::{Duration, NaiveDateTime};

use crate::domain::text_enum;

text_enum!(
    /// The jobs of a meetup (the 2012 organizers did them all themselves).
    TaskKind {
        RegistrationDesk => "registration_desk",
        Host => "host",
        SpeakerLiaison => "speaker_liaison",
        Reminders => "reminders",
        Photos => "photos",
        Streaming => "streaming",
        Materials => "materials",
        Report => "report",
        Setup => "setup",
        Other => "other",
    }
);

text_enum!(
    /// A volunteer's hold on a slot of a task: claimed until they (or the organizers) release
    /// it; a released claim stays, as the volunteer's history.
    ClaimStatus {
        Claimed => "claimed",
        Released => "released",
    }
);

/// The standard set applied to a stop in one step: kind and number of slots.
pub const STANDARD_SET: &[(TaskKind, i32)] = &[
    (TaskKind::RegistrationDesk, 2),
    (TaskKind::Host, 1),
    (TaskKind::SpeakerLiaison, 1),
    (TaskKind::Reminders, 1),
    (TaskKind::Photos, 1),
    (TaskKind::Streaming, 1),
    (TaskKind::Materials, 1),
    (TaskKind::Report, 1),
    (TaskKind::Setup, 2),
];

/// A volunteer may release a claim until `hours_before` the task starts (the stop's start
/// when the task has no time of its own); later, the organizers must be asked.
pub fn can_release(now: NaiveDateTime, task_start: NaiveDateTime, hours_before: i64) -> bool {
    now < task_start - Duration::hours(hours_before)
}

/// Unfilled tasks are flagged to organizers this long before the stop.
pub const UNFILLED_FLAG_DAYS: i64 = 2;

/// When a task begins: its own start, else its stop's.
pub fn task_start(own_start: Option<NaiveDateTime>, stop_start: NaiveDateTime) -> NaiveDateTime {
    own_start.unwrap_or(stop_start)
}

/// A task with free slots is flagged to the organizers once the stop is near.
pub fn flag_unfilled(
    now: NaiveDateTime,
    stop_start: NaiveDateTime,
    claimed: i32,
    slots: i32,
) -> bool {
    now >= stop_start - Duration::days(UNFILLED_FLAG_DAYS) && claimed < slots
}

/// An invitation to a task lasts this long at most.
pub const INVITE_DAYS: i64 = 7;

/// How long an invitation to a task stays good: until the stop, a week at most (taking the
/// task also signs the volunteer in, not for months), never shorter than a sign-in link.
pub fn invite_validity(now: NaiveDateTime, stop_start: NaiveDateTime, link_hours: i64) -> Duration {
    (stop_start - now)
        .min(Duration::days(INVITE_DAYS))
        .max(Duration::hours(link_hours))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_closes_a_day_before_by_default() {
        let start = NaiveDateTime::parse_from_str("2012-09-16 13:00", "%Y-%m-%d %H:%M").unwrap();
        assert!(can_release(start - Duration::hours(25), start, 24));
        assert!(!can_release(start - Duration::hours(23), start, 24));
        assert_eq!(STANDARD_SET.len(), 9);
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_task_without_a_time_starts_with_its_stop() {
        let stop = at("2012-09-16 13:00");
        assert_eq!(task_start(None, stop), stop);
        assert_eq!(
            task_start(Some(at("2012-09-16 12:00")), stop),
            at("2012-09-16 12:00")
        );
    }

    #[test]
    fn free_slots_are_flagged_only_once_the_stop_is_near() {
        let stop = at("2012-09-16 13:00");
        let far = stop - Duration::days(UNFILLED_FLAG_DAYS) - Duration::minutes(1);
        let near = stop - Duration::days(UNFILLED_FLAG_DAYS);
        assert!(!flag_unfilled(far, stop, 0, 2));
        assert!(flag_unfilled(near, stop, 1, 2));
        assert!(!flag_unfilled(near, stop, 2, 2));
    }

    #[test]
    fn an_invitation_lasts_until_the_stop_a_week_at_most_a_link_at_least() {
        let stop = at("2012-09-16 13:00");
        assert_eq!(
            invite_validity(stop - Duration::days(30), stop, 24),
            Duration::days(INVITE_DAYS)
        );
        assert_eq!(
            invite_validity(stop - Duration::days(3), stop, 24),
            Duration::days(3)
        );
        assert_eq!(
            invite_validity(stop - Duration::hours(2), stop, 24),
            Duration::hours(24)
        );
    }
}
