//! Registrations against attendance ratios (docs/design.md#attendance-ratio): the expected show rate, the
//! registration target, the decision for each new registration, and the dashboard signal.

use chrono::{Duration, NaiveDateTime};

use crate::domain::text_enum;

/// What the tour's done stops before this one tell: N registrations still confirmed when
/// they were marked done (walk-ins included) and A of them checked in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub confirmed: i64,
    pub attended: i64,
}

/// The smallest show rate an organizer may set: below it the registration target
/// (capacity / rate) stops meaning anything (1e-300 would allow i64::MAX registrations).
pub const MIN_SHOW_RATE: f64 = 0.05;

/// How much the tour's prior counts, in registrations (docs/design.md#expected-show-rate: w = 20).
pub const DEFAULT_PRIOR_WEIGHT: f64 = 20.0;

/// r(S): the stop's override if set, else the learned rate smoothed toward the prior p0:
/// r = (A + w·p0) / (N + w).
pub fn expected_show_rate(
    override_rate: Option<f64>,
    history: History,
    prior: f64,
    weight: f64,
) -> f64 {
    if let Some(r) = override_rate {
        return r;
    }
    let n = history.confirmed.max(0) as f64;
    let a = history.attended.clamp(0, history.confirmed.max(0)) as f64;
    let r = (a + weight * prior) / (n + weight);
    r.clamp(0.01, 1.0)
}

/// T = floor(C / r). The small tolerance keeps 50 / 0.5 at 100 despite binary fractions.
pub fn registration_target(capacity: i32, show_rate: f64) -> i64 {
    if show_rate <= 0.0 {
        return i64::from(capacity.max(0));
    }
    ((f64::from(capacity.max(0)) / show_rate) + 1e-9).floor() as i64
}

text_enum!(
    RegistrationStatus {
        Confirmed => "confirmed",
        Waitlisted => "waitlisted",
        Cancelled => "cancelled",
    }
);

text_enum!(
    /// A confirmed person's answer to "still coming?" (asked days before the stop; once).
    StillComing {
        Yes => "yes",
        No => "no",
    }
);

/// Confirmed while confirmed < T, then waitlisted.
pub fn decide(confirmed: i64, target: i64) -> RegistrationStatus {
    if confirmed < target {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waitlisted
    }
}

text_enum!(
    /// The first that applies is shown on the organizer's dashboard (`behind`: registrations
    /// lag the pace that reaches half the room a week before the start).
    Signal {
        CrowdingRisk => "crowding_risk",
        EmptyRisk => "empty_risk",
        Behind => "behind",
        GoalReached => "goal_reached",
        OnTrack => "on_track",
        Cancelled => "cancelled",
    }
);

pub fn signal(
    capacity: i32,
    show_rate: f64,
    confirmed: i64,
    target: i64,
    now: NaiveDateTime,
    starts_at: NaiveDateTime,
) -> Signal {
    let expected = show_rate * confirmed as f64;
    let capacity = f64::from(capacity);
    if expected > capacity {
        Signal::CrowdingRisk
    } else if expected < capacity / 2.0 && now >= starts_at - Duration::days(7) {
        Signal::EmptyRisk
    } else if confirmed < target && expected < capacity / 2.0 * pace(now, starts_at) {
        Signal::Behind
    } else if confirmed >= target {
        Signal::GoalReached
    } else {
        Signal::OnTrack
    }
}

/// From `PACE_FROM_DAYS` before the start, registrations are expected to climb steadily to
/// half the room (in expected attendance) a week before it, where `EmptyRisk` takes over.
/// Further ahead nothing is expected yet: a stop announced months ahead is not behind.
pub const PACE_FROM_DAYS: i64 = 28;

/// The share of half the room expected by `now`: 0 until `PACE_FROM_DAYS` before the
/// start, 1 from a week before it.
pub fn pace(now: NaiveDateTime, starts_at: NaiveDateTime) -> f64 {
    let lead = (starts_at - now).num_seconds() as f64;
    let (from, to) = (
        Duration::days(PACE_FROM_DAYS).num_seconds() as f64,
        Duration::days(7).num_seconds() as f64,
    );
    ((from - lead) / (from - to)).clamp(0.0, 1.0)
}

/// How far a stop is from its target: the registrations still needed (0 once reached).
pub fn to_target(confirmed: i64, target: i64) -> i64 {
    (target - confirmed).max(0)
}

/// The forecast attendance: those who answered "yes, I'm coming" count as coming, the other
/// confirmed ones at the expected show rate.
pub fn forecast_attendance(confirmed: i64, said_yes: i64, show_rate: f64) -> f64 {
    let yes = said_yes.clamp(0, confirmed) as f64;
    yes + show_rate * (confirmed as f64 - yes)
}

/// After a stop: checked in / confirmed.
pub fn actual_show_rate(confirmed: i64, checked_in: i64) -> Option<f64> {
    (confirmed > 0).then(|| checked_in as f64 / confirmed as f64)
}

/// Someone who got their place this recently is not asked "still coming?": they just said so.
pub const STILL_COMING_MIN_AGE_HOURS: i64 = 24;

/// A reminder this soon after getting a place would follow the confirmation, which has the
/// same details: it is left out.
pub const REMINDER_MIN_AGE_MINUTES: i64 = 60;

/// When a registration got its place: registered (or registered again), or moved up from
/// the waitlist, whichever came last (both e-mails carry the ticket and the details).
pub fn placed_at(created_at: NaiveDateTime, confirmed_at: Option<NaiveDateTime>) -> NaiveDateTime {
    confirmed_at.map_or(created_at, |c| c.max(created_at))
}

/// Whether to ask "still coming?" at `now`, the question being due at `due` (a few days
/// before the stop): not someone who got their place after it was due (they decided with
/// the date in sight), nor within a day of it.
pub fn ask_still_coming(placed_at: NaiveDateTime, due: NaiveDateTime, now: NaiveDateTime) -> bool {
    placed_at <= due && now - placed_at >= Duration::hours(STILL_COMING_MIN_AGE_HOURS)
}

/// Whether to send a reminder at `now`: not within an hour of getting the place, when the
/// confirmation has only just arrived.
pub fn send_reminder(placed_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now - placed_at >= Duration::minutes(REMINDER_MIN_AGE_MINUTES)
}

/// Places left below the target (negative when over it: confirmed people are never demoted).
pub fn places_left(target: i64, confirmed: i64) -> i64 {
    target - confirmed
}

/// How many confirmed people are above the target (0 when at or below it).
pub fn over_target(confirmed: i64, target: i64) -> i64 {
    (confirmed - target).max(0)
}

/// A no-show: still confirmed when the stop was done, and never checked in.
pub fn no_show(
    stop: crate::domain::stop::StopStatus,
    status: RegistrationStatus,
    checked_in: bool,
) -> bool {
    stop == crate::domain::stop::StopStatus::Done
        && status == RegistrationStatus::Confirmed
        && !checked_in
}

/// Normalises a typed ticket code: upper case, no spaces or dashes; the QR's URL works too.
pub fn normalize_code(typed: &str) -> String {
    let typed = typed.trim();
    let code = typed
        .rsplit_once("code=")
        .map(|(_, c)| c.split('&').next().unwrap_or(""))
        .unwrap_or(typed);
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Registrations over time, cumulated per day: for each day with registrations, (day, all
/// registered so far, of them confirmed now). `rows` come oldest first, each with its day
/// (in the stop's zone) and whether it is confirmed now.
pub fn cumulate_by_day<D: PartialEq + Copy>(
    rows: impl IntoIterator<Item = (D, bool)>,
) -> Vec<(D, i64, i64)> {
    let mut days: Vec<(D, i64, i64)> = Vec::new();
    let (mut total, mut confirmed) = (0i64, 0i64);
    for (day, is_confirmed) in rows {
        total += 1;
        if is_confirmed {
            confirmed += 1;
        }
        match days.last_mut() {
            Some(last) if last.0 == day => {
                last.1 = total;
                last.2 = confirmed;
            }
            _ => days.push((day, total, confirmed)),
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_left_and_over_target_are_both_sides_of_the_target() {
        assert_eq!(places_left(100, 60), 40);
        assert_eq!(places_left(100, 110), -10);
        assert_eq!(over_target(110, 100), 10);
        assert_eq!(over_target(60, 100), 0);
        assert_eq!(over_target(100, 100), 0);
    }

    #[test]
    fn a_no_show_stayed_confirmed_for_a_done_stop_and_never_came() {
        use crate::domain::stop::StopStatus;
        assert!(no_show(
            StopStatus::Done,
            RegistrationStatus::Confirmed,
            false
        ));
        assert!(!no_show(
            StopStatus::Done,
            RegistrationStatus::Confirmed,
            true
        ));
        assert!(!no_show(
            StopStatus::Done,
            RegistrationStatus::Waitlisted,
            false
        ));
        assert!(!no_show(
            StopStatus::Done,
            RegistrationStatus::Cancelled,
            false
        ));
        assert!(!no_show(
            StopStatus::Open,
            RegistrationStatus::Confirmed,
            false
        ));
    }

    #[test]
    fn a_typed_or_scanned_code_is_normalised() {
        assert_eq!(normalize_code(" ab-12 cd "), "AB12CD");
        assert_eq!(
            normalize_code("https://x.example/desk/s1?code=ab12cd&x=1"),
            "AB12CD"
        );
        assert_eq!(normalize_code("https://x.example/desk/s1?code="), "");
        assert_eq!(normalize_code("  -- "), "");
    }

    #[test]
    fn registrations_cumulate_per_day() {
        assert_eq!(cumulate_by_day(Vec::<(u32, bool)>::new()), vec![]);
        assert_eq!(
            cumulate_by_day([(1, true), (1, false), (2, true), (4, false)]),
            vec![(1, 2, 1), (2, 3, 2), (4, 4, 2)]
        );
    }

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn with_no_history_the_rate_is_the_prior_and_the_target_doubles_the_room() {
        let r = expected_show_rate(None, History::default(), 0.5, 20.0);
        assert_eq!(r, 0.5);
        assert_eq!(registration_target(100, r), 200);
    }

    #[test]
    fn the_learned_rate_is_smoothed_toward_the_prior() {
        // 2012: 1060 registered, 710 came. r = (710 + 10) / (1060 + 20) = 0.6667
        let r = expected_show_rate(
            None,
            History {
                confirmed: 1060,
                attended: 710,
            },
            0.5,
            20.0,
        );
        assert!((r - 720.0 / 1080.0).abs() < 1e-12);
        assert_eq!(registration_target(150, r), 225);
        // A small first stop moves the rate only a little: (30 + 10) / (40 + 20)
        let r = expected_show_rate(
            None,
            History {
                confirmed: 40,
                attended: 30,
            },
            0.5,
            20.0,
        );
        assert!((r - 40.0 / 60.0).abs() < 1e-12);
        assert_eq!(registration_target(80, r), 120);
    }

    #[test]
    fn an_override_wins() {
        assert_eq!(
            expected_show_rate(
                Some(0.8),
                History {
                    confirmed: 100,
                    attended: 10
                },
                0.5,
                20.0
            ),
            0.8
        );
        assert_eq!(registration_target(80, 0.8), 100);
        assert_eq!(registration_target(100, 0.67), 149);
    }

    #[test]
    fn registrations_are_confirmed_below_the_target_then_waitlisted() {
        assert_eq!(decide(9, 10), RegistrationStatus::Confirmed);
        assert_eq!(decide(10, 10), RegistrationStatus::Waitlisted);
    }

    #[test]
    fn signals_in_order() {
        let start = t("2012-09-16 05:30");
        let far = t("2012-08-01 00:00");
        let near = t("2012-09-12 00:00");
        // After a move to a smaller room: 0.5 × 120 > 50.
        assert_eq!(signal(50, 0.5, 120, 100, far, start), Signal::CrowdingRisk);
        // Within 7 days, 0.5 × 60 < 100 / 2.
        assert_eq!(signal(100, 0.5, 60, 200, near, start), Signal::EmptyRisk);
        // The same, a month before: not yet a risk.
        assert_eq!(signal(100, 0.5, 60, 200, far, start), Signal::OnTrack);
        assert_eq!(signal(100, 0.5, 200, 200, near, start), Signal::GoalReached);
    }

    #[test]
    fn a_stop_that_lags_the_pace_is_behind_but_not_months_ahead() {
        let start = t("2027-03-20 06:00");
        // 0 of 98, 120 days ahead: nothing is expected yet (the page says how far it is).
        assert_eq!(
            signal(49, 0.5, 0, 98, start - Duration::days(120), start),
            Signal::OnTrack
        );
        assert_eq!(
            signal(49, 0.5, 0, 98, start - Duration::days(28), start),
            Signal::OnTrack
        );
        // Three weeks ahead with nobody: behind; with a third of the way done: on track.
        let three_weeks = start - Duration::days(21);
        assert!((pace(three_weeks, start) - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(signal(100, 0.5, 0, 200, three_weeks, start), Signal::Behind);
        assert_eq!(
            signal(100, 0.5, 33, 200, three_weeks, start),
            Signal::Behind
        );
        assert_eq!(
            signal(100, 0.5, 34, 200, three_weeks, start),
            Signal::OnTrack
        );
        // Within the week the empty-room risk speaks instead.
        assert_eq!(
            signal(100, 0.5, 0, 200, start - Duration::days(6), start),
            Signal::EmptyRisk
        );
        // At the target nobody is behind, whatever the room.
        assert_eq!(
            signal(1000, 0.5, 20, 20, three_weeks, start),
            Signal::GoalReached
        );
        assert_eq!(pace(start - Duration::days(60), start), 0.0);
        assert_eq!(pace(start - Duration::days(3), start), 1.0);
        assert_eq!(to_target(0, 98), 98);
        assert_eq!(to_target(120, 98), 0);
    }

    #[test]
    fn people_who_just_registered_are_not_asked_whether_they_are_still_coming() {
        let start = t("2027-03-20 06:00");
        let due = start - Duration::days(3);
        // Registered a week before: asked when the question is due, or later.
        let early = start - Duration::days(7);
        assert!(ask_still_coming(early, due, due));
        assert!(ask_still_coming(early, due, due + Duration::hours(5)));
        // Registered two hours before it was due: not asked a day later yet…
        let late = due - Duration::hours(2);
        assert!(!ask_still_coming(late, due, due));
        assert!(!ask_still_coming(late, due, due + Duration::hours(21)));
        // …but asked once a day has passed (the job ran late).
        assert!(ask_still_coming(late, due, due + Duration::hours(22)));
        // Registered after the question was due: never asked.
        let after = due + Duration::minutes(1);
        assert!(!ask_still_coming(after, due, after + Duration::days(2)));
        // Moved up from the waitlist yesterday: as if registered then.
        let promoted = placed_at(early, Some(due - Duration::hours(10)));
        assert_eq!(promoted, due - Duration::hours(10));
        assert!(!ask_still_coming(promoted, due, due));
        assert_eq!(placed_at(early, None), early);
        assert_eq!(
            placed_at(early, Some(early - Duration::days(1))),
            early,
            "registered again later"
        );
    }

    #[test]
    fn no_reminder_follows_the_confirmation_within_the_hour() {
        let now = t("2027-03-18 06:00");
        assert!(!send_reminder(now - Duration::minutes(5), now));
        assert!(!send_reminder(now - Duration::minutes(59), now));
        assert!(send_reminder(now - Duration::minutes(60), now));
        assert!(send_reminder(now - Duration::days(10), now));
    }

    #[test]
    fn the_forecast_counts_yes_answers_as_coming() {
        assert_eq!(forecast_attendance(100, 40, 0.5), 40.0 + 30.0);
        assert_eq!(actual_show_rate(150, 100), Some(100.0 / 150.0));
        assert_eq!(actual_show_rate(0, 0), None);
    }
}
