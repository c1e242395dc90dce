//! An agenda must fit inside its stop and have no overlaps.

use chrono::{Duration, NaiveDateTime};

use crate::domain::stop::StopStatus;
use crate::domain::text_enum;

text_enum!(
    /// Talks and the rest of a meetup's programme.
    ItemKind {
        Talk => "talk",
        Welcome => "welcome",
        Break => "break",
        Lunch => "lunch",
        Panel => "panel",
        Other => "other",
    }
);

/// An item as the rules see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    pub id: String,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub minutes: i32,
}

impl Slot {
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + Duration::minutes(i64::from(self.minutes))
    }

    fn overlaps(&self, other: &Slot) -> bool {
        self.starts_at < other.ends_at() && other.starts_at < self.ends_at()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Starts before the stop or ends after it.
    OutsideStop,
    /// Clashes with these items (their titles).
    Overlaps(Vec<String>),
}

/// Whether `candidate` may take its place among `others` (the rest of the agenda).
pub fn check(
    stop_start: NaiveDateTime,
    stop_end: NaiveDateTime,
    candidate: &Slot,
    others: &[Slot],
) -> Result<(), Problem> {
    if candidate.starts_at < stop_start || candidate.ends_at() > stop_end {
        return Err(Problem::OutsideStop);
    }
    let clashes: Vec<String> = others
        .iter()
        .filter(|o| o.id != candidate.id && o.overlaps(candidate))
        .map(|o| o.title.clone())
        .collect();
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(Problem::Overlaps(clashes))
    }
}

/// The earliest start at which `minutes` fit between the items (used when a talk is accepted
/// and placed for the organizers to adjust).
pub fn first_free_start(
    stop_start: NaiveDateTime,
    stop_end: NaiveDateTime,
    minutes: i32,
    others: &[Slot],
) -> Option<NaiveDateTime> {
    let mut sorted: Vec<&Slot> = others.iter().collect();
    sorted.sort_by_key(|s| s.starts_at);
    let mut cursor = stop_start;
    for s in sorted {
        if cursor + Duration::minutes(i64::from(minutes)) <= s.starts_at {
            break;
        }
        cursor = cursor.max(s.ends_at());
    }
    (cursor + Duration::minutes(i64::from(minutes)) <= stop_end).then_some(cursor)
}

/// Items that run past the stop's end (after the stop was shortened, say).
pub fn overruns(stop_end: NaiveDateTime, items: &[Slot]) -> Vec<&Slot> {
    items.iter().filter(|s| s.ends_at() > stop_end).collect()
}

/// Whether a stop's agenda may still be planned (a speaker asked for it): a draft, or a stop
/// still to come; not one held or cancelled.
pub fn may_be_planned(stop: StopStatus) -> bool {
    matches!(
        stop,
        StopStatus::Draft | StopStatus::Open | StopStatus::Closed
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(hm: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("2012-09-16 {hm}"), "%Y-%m-%d %H:%M").unwrap()
    }

    fn slot(id: &str, start: &str, minutes: i32) -> Slot {
        Slot {
            id: id.into(),
            title: format!("Talk {id}"),
            starts_at: t(start),
            minutes,
        }
    }

    #[test]
    fn items_must_fit_inside_the_stop() {
        let (s, e) = (t("13:00"), t("17:00"));
        assert_eq!(
            check(s, e, &slot("a", "12:30", 30), &[]),
            Err(Problem::OutsideStop)
        );
        assert_eq!(
            check(s, e, &slot("a", "16:40", 30), &[]),
            Err(Problem::OutsideStop)
        );
        assert_eq!(check(s, e, &slot("a", "16:30", 30), &[]), Ok(()));
    }

    #[test]
    fn overlaps_name_the_clashing_items() {
        let (s, e) = (t("13:00"), t("17:00"));
        let others = [slot("a", "13:00", 45), slot("b", "14:00", 45)];
        assert_eq!(
            check(s, e, &slot("c", "13:30", 45), &others),
            Err(Problem::Overlaps(vec!["Talk a".into(), "Talk b".into()]))
        );
        assert_eq!(
            check(s, e, &slot("c", "13:45", 15), &others),
            Ok(()),
            "back to back is fine"
        );
        assert_eq!(
            check(s, e, &slot("a", "13:10", 45), &others),
            Ok(()),
            "an item does not clash with itself"
        );
    }

    #[test]
    fn accepted_talks_go_to_the_first_free_slot() {
        let (s, e) = (t("13:00"), t("17:00"));
        let others = [slot("a", "13:00", 45), slot("b", "14:00", 45)];
        assert_eq!(first_free_start(s, e, 15, &others), Some(t("13:45")));
        assert_eq!(first_free_start(s, e, 30, &others), Some(t("14:45")));
        assert_eq!(first_free_start(s, e, 300, &others), None);
        assert_eq!(overruns(t("14:30"), &others).len(), 1);
    }

    #[test]
    fn speakers_are_asked_for_stops_still_to_come_only() {
        assert!(may_be_planned(StopStatus::Draft));
        assert!(may_be_planned(StopStatus::Open) && may_be_planned(StopStatus::Closed));
        assert!(!may_be_planned(StopStatus::Done) && !may_be_planned(StopStatus::Cancelled));
    }
}
