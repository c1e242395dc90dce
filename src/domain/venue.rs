use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use chrono_tz::Tz;

use crate::domain::attendance::registration_target;
use crate::domain::text_enum;

text_enum!(
    /// What kind of place it is: each has its typical caveats (see the 2012 report).
    VenueKind {
        CompanyOffice => "company_office",
        Cafe => "cafe",
        University => "university",
        SoftwarePark => "software_park",
        Coworking => "coworking",
        Other => "other",
    }
);

text_enum!(
    /// Who pays: `shared` is the split-the-bill scheme (the 2012 Shenzhen café).
    CostKind {
        Free => "free",
        Paid => "paid",
        Shared => "shared",
    }
);

/// The largest room we accept; more is a typo.
pub const MAX_CAPACITY: i64 = 100_000;

/// Who may change a venue of the shared library: its creator and site admins (a venue
/// nobody created, such as demo data, only site admins). Holding a stop there, keeping it as
/// a backup, cloning such a stop or switching to it grants nothing: any organizer can do
/// those with any venue, and an address changed by a stranger misleads other tours'
/// attendees. The others suggest a change to the creator, or make their own copy.
pub fn may_edit(is_admin: bool, created_by: Option<&str>, organizer_id: &str) -> bool {
    is_admin || created_by.is_some_and(|c| c == organizer_id)
}

/// One field of a venue as it was and as it is (values as text, for e-mails).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// The fields whose value differs between `old` and `new` (same fields, same order).
pub fn changes(old: &[(&'static str, String)], new: &[(&'static str, String)]) -> Vec<FieldChange> {
    old.iter()
        .zip(new)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldChange {
            field,
            old: a.clone(),
            new: b.clone(),
        })
        .collect()
}

/// Whether a change of a venue can move the registration target of a stop that uses it:
/// only a new capacity, for a stop held there (not a backup) that has no capacity of its own.
pub fn moves_target(capacity_changes: bool, as_backup: bool, own_capacity: bool) -> bool {
    capacity_changes && !as_backup && !own_capacity
}

/// What a stop asks of a room, to judge how a venue fits it.
#[derive(Clone, Copy, Debug)]
pub struct StopNeeds<'a> {
    pub city: &'a str,
    /// In UTC, as stored.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// The stop's zone: a Saturday is a Saturday where the stop is held.
    pub tz: Tz,
    pub confirmed: i64,
    pub show_rate: f64,
    /// The stop's own capacity, which stays whatever the room.
    pub capacity_override: Option<i32>,
    /// The seats of the stop's venue now, when judging another venue (a backup, a switch).
    pub current_seats: Option<i32>,
}

/// The facts of a venue that decide whether it suits a stop.
#[derive(Clone, Copy, Debug)]
pub struct Room<'a> {
    pub city: &'a str,
    pub capacity: i32,
    pub weekday_only: bool,
    pub id_check_required: bool,
    pub directions: &'a str,
    pub caveats: &'a str,
    pub cost: CostKind,
    pub cost_note: &'a str,
}

/// One thing an organizer should know before holding a stop at a venue. The first five are
/// warnings (the venue does not fit as it is); the others are notes.
#[derive(Clone, Debug, PartialEq)]
pub enum Fit {
    /// The venue is open on weekdays only and the stop falls on this Saturday or Sunday
    /// (in the stop's time zone).
    Weekend { day: NaiveDate },
    /// The venue is in another city than the stop.
    OtherCity { venue: String, stop: String },
    /// More people are confirmed than the room's target: more are expected than it seats.
    /// They all stay confirmed; new registrations go to the waitlist.
    Crowded {
        confirmed: i64,
        seats: i32,
        target: i64,
        expected: i64,
    },
    /// The stop counts on more seats (its own capacity) than the room has.
    FewerSeats { seats: i32, planned: i32 },
    /// Attendees must give their legal name and show an ID at the door.
    IdCheck,
    /// Fewer seats than the stop's venue now: the target falls.
    Smaller { seats: i32, current: i32 },
    /// What the venue's record says to watch out for.
    Caveats(String),
    /// Someone pays: who and how (a note of the record).
    Cost { cost: CostKind, note: String },
    /// No directions: the e-mails carry the address alone.
    NoDirections,
}

impl Fit {
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Fit::Weekend { .. }
                | Fit::OtherCity { .. }
                | Fit::Crowded { .. }
                | Fit::FewerSeats { .. }
                | Fit::IdCheck
        )
    }
}

/// Everything to know about holding the stop in the room, warnings first.
pub fn fit(stop: &StopNeeds, room: &Room) -> Vec<Fit> {
    let mut out = Vec::new();
    if room.weekday_only {
        out.extend(
            weekend_days(stop.starts_at, stop.ends_at, stop.tz)
                .into_iter()
                .map(|day| Fit::Weekend { day }),
        );
    }
    if !same_city(stop.city, room.city) {
        out.push(Fit::OtherCity {
            venue: room.city.trim().to_owned(),
            stop: stop.city.trim().to_owned(),
        });
    }
    let seats = stop.capacity_override.unwrap_or(room.capacity);
    let target = registration_target(seats, stop.show_rate);
    if stop.confirmed > target {
        out.push(Fit::Crowded {
            confirmed: stop.confirmed,
            seats,
            target,
            expected: (stop.confirmed as f64 * stop.show_rate).round() as i64,
        });
    }
    if let Some(planned) = stop.capacity_override
        && planned > room.capacity
    {
        out.push(Fit::FewerSeats {
            seats: room.capacity,
            planned,
        });
    }
    if room.id_check_required {
        out.push(Fit::IdCheck);
    }
    if let Some(current) = stop.current_seats
        && room.capacity < current
        && stop.capacity_override.is_none()
        && !out.iter().any(|f| matches!(f, Fit::Crowded { .. }))
    {
        out.push(Fit::Smaller {
            seats: room.capacity,
            current,
        });
    }
    if !room.caveats.trim().is_empty() {
        out.push(Fit::Caveats(room.caveats.trim().to_owned()));
    }
    if room.cost != CostKind::Free {
        out.push(Fit::Cost {
            cost: room.cost,
            note: room.cost_note.trim().to_owned(),
        });
    }
    if room.directions.trim().is_empty() {
        out.push(Fit::NoDirections);
    }
    out
}

/// The Saturdays and Sundays the stop touches, as dates where it is held.
pub fn weekend_days(starts_at: NaiveDateTime, ends_at: NaiveDateTime, tz: Tz) -> Vec<NaiveDate> {
    let local = |t: NaiveDateTime| t.and_utc().with_timezone(&tz).date_naive();
    let (first, last) = (local(starts_at), local(ends_at.max(starts_at)));
    first
        .iter_days()
        .take_while(|d| *d <= last)
        // A stop longer than a week has its weekends named once each.
        .take(14)
        .filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

/// The usual names of the cities of China in both scripts, so that "Beijing" and "北京" are
/// one city. Other cities compare by their words.
const CITY_NAMES: &[(&str, &str)] = &[
    ("beijing", "北京"),
    ("shanghai", "上海"),
    ("guangzhou", "广州"),
    ("shenzhen", "深圳"),
    ("hangzhou", "杭州"),
    ("chengdu", "成都"),
    ("wuhan", "武汉"),
    ("nanjing", "南京"),
    ("tianjin", "天津"),
    ("xian", "西安"),
    ("chongqing", "重庆"),
    ("suzhou", "苏州"),
    ("changsha", "长沙"),
    ("xiamen", "厦门"),
    ("qingdao", "青岛"),
    ("dalian", "大连"),
    ("shenyang", "沈阳"),
    ("harbin", "哈尔滨"),
    ("jinan", "济南"),
    ("zhengzhou", "郑州"),
    ("hefei", "合肥"),
    ("kunming", "昆明"),
    ("fuzhou", "福州"),
    ("ningbo", "宁波"),
    ("hongkong", "香港"),
    ("macau", "澳门"),
    ("taipei", "台北"),
];

/// The words a city's name is known by: lower case, "Xi'an" as "xian", "北京市" as "北京",
/// and a Chinese name with its pinyin (and back).
fn city_words(city: &str) -> Vec<String> {
    let lower = city.to_lowercase().replace(['\'', '’', '.'], "");
    let mut words: Vec<String> = lower
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '，' | '/' | '(' | ')' | '（' | '）' | '·' | '-')
        })
        .map(|w| w.trim_end_matches('市').to_owned())
        .filter(|w| !w.is_empty() && w != "city")
        .collect();
    // "Hong Kong" is one city in two words.
    words.push(lower.split_whitespace().collect::<String>());
    let known: Vec<String> = words
        .iter()
        .filter_map(|w| {
            CITY_NAMES.iter().find_map(|(pinyin, han)| {
                if w == pinyin {
                    Some((*han).to_owned())
                } else if w == han {
                    Some((*pinyin).to_owned())
                } else {
                    None
                }
            })
        })
        .collect();
    words.extend(known);
    words
}

/// Whether two names (as organizers type them) name one city. A name left empty says
/// nothing against it.
pub fn same_city(a: &str, b: &str) -> bool {
    if a.trim().is_empty() || b.trim().is_empty() {
        return true;
    }
    let b = city_words(b);
    city_words(a).iter().any(|w| b.contains(w))
}

/// What a switch does to the registrations: how many waitlisted people move up, and how
/// many confirmed people end above the new target (they stay confirmed). A stop that is not
/// open or closed moves nobody.
pub fn switch_effect(
    confirmed: i64,
    waitlisted: i64,
    new_target: i64,
    moves_waitlist: bool,
) -> (i64, i64) {
    let promoted = if moves_waitlist {
        (new_target - confirmed).clamp(0, waitlisted.max(0))
    } else {
        0
    };
    let over = (confirmed + promoted - new_target).max(0);
    (promoted, over)
}

/// The order backup candidates are offered in: the stop's city first, then those that fit
/// (fewest warnings first), then the bigger rooms, then by name.
pub fn candidate_order(
    a: (bool, usize, i32, &str),
    b: (bool, usize, i32, &str),
) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then(a.1.cmp(&b.1))
        .then(b.2.cmp(&a.2))
        .then(a.3.to_lowercase().cmp(&b.3.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room() -> Room<'static> {
        Room {
            city: "北京",
            capacity: 60,
            weekday_only: false,
            id_check_required: false,
            directions: "Lift to the 3rd floor",
            caveats: "",
            cost: CostKind::Free,
            cost_note: "",
        }
    }

    fn stop(local_start: &str) -> StopNeeds<'static> {
        use chrono::TimeZone;
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let start = NaiveDateTime::parse_from_str(local_start, "%Y-%m-%dT%H:%M").unwrap();
        let utc = tz.from_local_datetime(&start).unwrap().naive_utc();
        StopNeeds {
            city: "Beijing",
            starts_at: utc,
            ends_at: utc + chrono::Duration::hours(4),
            tz,
            confirmed: 0,
            show_rate: 0.5,
            capacity_override: None,
            current_seats: None,
        }
    }

    #[test]
    fn a_fitting_room_says_nothing() {
        assert_eq!(fit(&stop("2027-03-10T19:00"), &room()), vec![]);
    }

    #[test]
    fn a_weekdays_only_room_on_a_saturday_where_the_stop_is_held() {
        let weekday_only = Room {
            weekday_only: true,
            ..room()
        };
        // Saturday 01:00 in Beijing is still Friday in UTC.
        let saturday = stop("2027-03-13T01:00");
        assert_eq!(saturday.starts_at.weekday(), Weekday::Fri);
        assert_eq!(
            fit(&saturday, &weekday_only),
            vec![Fit::Weekend {
                day: NaiveDate::from_ymd_opt(2027, 3, 13).unwrap()
            }]
        );
        assert!(fit(&saturday, &weekday_only)[0].is_warning());
        // Friday evening in Beijing is a weekday, whatever UTC says.
        assert_eq!(fit(&stop("2027-03-12T19:00"), &weekday_only), vec![]);
        // A room open every day minds no Saturday.
        assert_eq!(fit(&saturday, &room()), vec![]);
    }

    #[test]
    fn another_city_is_named_in_either_script() {
        assert!(same_city("Beijing", "北京"));
        assert!(same_city("北京市", "Beijing 北京"));
        assert!(same_city("Xi'an", "西安"));
        assert!(same_city("Hong Kong", "香港"));
        assert!(!same_city("Shanghai", "北京"));
        assert!(!same_city("Chengdu 成都", "Beijing"));
        let chengdu = Room {
            city: "成都",
            ..room()
        };
        assert_eq!(
            fit(&stop("2027-03-10T19:00"), &chengdu),
            vec![Fit::OtherCity {
                venue: "成都".into(),
                stop: "Beijing".into()
            }]
        );
    }

    #[test]
    fn a_room_too_small_for_the_confirmed_people_is_crowded() {
        let mut s = stop("2027-03-10T19:00");
        s.confirmed = 130;
        s.current_seats = Some(130);
        assert_eq!(
            fit(&s, &room()),
            vec![Fit::Crowded {
                confirmed: 130,
                seats: 60,
                target: 120,
                expected: 65
            }]
        );
        // Below the target: only smaller.
        s.confirmed = 100;
        assert_eq!(
            fit(&s, &room()),
            vec![Fit::Smaller {
                seats: 60,
                current: 130
            }]
        );
        assert!(!fit(&s, &room())[0].is_warning());
        // The stop's own capacity stays: the room must hold it.
        s.capacity_override = Some(100);
        assert_eq!(
            fit(&s, &room()),
            vec![Fit::FewerSeats {
                seats: 60,
                planned: 100
            }]
        );
    }

    #[test]
    fn the_record_adds_id_checks_caveats_costs_and_missing_directions() {
        let r = Room {
            id_check_required: true,
            caveats: "No air-conditioning at weekends",
            cost: CostKind::Shared,
            cost_note: "split the bill",
            directions: " ",
            ..room()
        };
        let got = fit(&stop("2027-03-10T19:00"), &r);
        assert_eq!(
            got,
            vec![
                Fit::IdCheck,
                Fit::Caveats("No air-conditioning at weekends".into()),
                Fit::Cost {
                    cost: CostKind::Shared,
                    note: "split the bill".into()
                },
                Fit::NoDirections,
            ]
        );
        assert_eq!(
            got.iter().filter(|f| f.is_warning()).count(),
            1,
            "only the ID check is a warning"
        );
    }

    #[test]
    fn a_switch_moves_the_waitlist_up_to_the_new_target_and_never_demotes() {
        assert_eq!(switch_effect(50, 30, 200, true), (30, 0));
        assert_eq!(switch_effect(50, 30, 60, true), (10, 0));
        assert_eq!(switch_effect(130, 5, 120, true), (0, 10));
        assert_eq!(
            switch_effect(50, 30, 200, false),
            (0, 0),
            "a draft moves nobody"
        );
    }

    #[test]
    fn candidates_come_in_the_stop_s_city_then_by_fit() {
        let mut v = [
            (false, 0, 100, "Far"),
            (true, 2, 100, "Near but weekdays"),
            (true, 0, 50, "Near small"),
            (true, 0, 80, "Near big"),
        ];
        v.sort_by(|a, b| candidate_order(*a, *b));
        let names: Vec<_> = v.iter().map(|c| c.3).collect();
        assert_eq!(
            names,
            ["Near big", "Near small", "Near but weekdays", "Far"]
        );
    }

    #[test]
    fn only_the_creator_and_site_admins_edit_a_venue() {
        assert!(may_edit(false, Some("a"), "a"));
        assert!(!may_edit(false, Some("a"), "d"));
        assert!(!may_edit(false, None, "d"), "nobody's venue: admins only");
        assert!(may_edit(true, None, "x"));
        assert!(may_edit(true, Some("a"), "x"));
    }

    #[test]
    fn changes_lists_what_differs_in_order() {
        let old = [
            ("address", "1 Road".to_owned()),
            ("capacity", "20".to_owned()),
        ];
        let new = [
            ("address", "1 Road".to_owned()),
            ("capacity", "2".to_owned()),
        ];
        assert_eq!(
            changes(&old, &new),
            vec![FieldChange {
                field: "capacity",
                old: "20".into(),
                new: "2".into()
            }]
        );
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn only_a_new_capacity_of_the_room_itself_moves_a_target() {
        assert!(moves_target(true, false, false));
        assert!(!moves_target(false, false, false), "no new capacity");
        assert!(
            !moves_target(true, true, false),
            "a backup holds nobody yet"
        );
        assert!(
            !moves_target(true, false, true),
            "the stop's own capacity wins"
        );
    }
}
