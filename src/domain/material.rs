//! The rules of collecting a stop's materials after it: when owners are reminded, when the
//! requests are open, what photos and videos are published under.

use chrono::{Duration, NaiveDateTime};

/// The licence of photos and videos whose uploader named none.
pub const DEFAULT_LICENCE: &str = "CC BY 4.0";

/// The licence a photo or video is published under: the one given, else the default.
pub fn licence_or_default(given: String) -> String {
    if given.is_empty() {
        DEFAULT_LICENCE.into()
    } else {
        given
    }
}

/// When a request is reminded next, once `reminders_sent` reminders went out: the next of
/// `days` (counted from the request), none once they are all spent.
pub fn next_reminder(
    created_at: NaiveDateTime,
    reminders_sent: i32,
    days: &[i64],
) -> Option<NaiveDateTime> {
    usize::try_from(reminders_sent)
        .ok()
        .and_then(|n| days.get(n))
        .map(|d| created_at + Duration::days(*d))
}

/// A stop's requests are open once it ended (or its organizers marked it done): what a
/// speaker removes then is asked for again rather than forgotten.
pub fn requests_open(now: NaiveDateTime, stop_ends_at: NaiveDateTime, stop_done: bool) -> bool {
    stop_done || now >= stop_ends_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn photos_without_a_licence_get_the_default_one() {
        assert_eq!(licence_or_default(String::new()), DEFAULT_LICENCE);
        assert_eq!(licence_or_default("CC0".into()), "CC0");
    }

    #[test]
    fn reminders_follow_the_days_from_the_request_then_stop() {
        let made = at("2012-09-17 09:00");
        let days = [0, 3, 7];
        assert_eq!(next_reminder(made, 0, &days), Some(made));
        assert_eq!(next_reminder(made, 1, &days), Some(at("2012-09-20 09:00")));
        assert_eq!(next_reminder(made, 2, &days), Some(at("2012-09-24 09:00")));
        assert_eq!(next_reminder(made, 3, &days), None);
        assert_eq!(next_reminder(made, -1, &days), None);
    }

    #[test]
    fn requests_open_when_the_stop_ends_or_is_marked_done() {
        let ends = at("2012-09-16 18:00");
        assert!(!requests_open(ends - Duration::minutes(1), ends, false));
        assert!(requests_open(ends, ends, false));
        assert!(requests_open(ends - Duration::hours(5), ends, true));
    }
}
