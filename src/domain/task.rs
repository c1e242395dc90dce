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
}
