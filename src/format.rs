//! Words and text for people, knowing nothing of pages or e-mails (both use them): dates and
//! times in a zone ("Sun 16 Sep 2012, 13:30–17:30 (Asia/Shanghai)"), durations and deadlines
//! ("for 3 days", never "within 2629 hours"), counts in words, and organizers' Markdown made
//! safe HTML.

use chrono::{Datelike, Duration, NaiveDateTime};
use chrono_tz::Tz;

use crate::domain::stop::in_zone;
use crate::i18n::Lang;

/// A length of time, rounded down to the unit people would say: minutes under an hour, hours
/// under two days (90 minutes stays "90 minutes"), days beyond. Rounded down so that a link
/// never lasts less than it says; never less than one minute.
pub fn duration(lang: Lang, d: Duration) -> String {
    let minutes = d.num_minutes().max(1);
    let (n, unit) = if minutes < 60 {
        (minutes, "minutes")
    } else if minutes < 48 * 60 {
        if minutes % 60 != 0 && minutes < 3 * 60 {
            (minutes, "minutes")
        } else {
            (minutes / 60, "hours")
        }
    } else {
        (minutes / (24 * 60), "days")
    };
    let form = if n == 1 { "one" } else { "other" };
    lang.tf(
        &format!("journeys.duration.{unit}_{form}"),
        &[("n", &n.to_string())],
    )
}

/// The same for a number of hours (settings are kept in hours).
pub fn hours(lang: Lang, hours: i64) -> String {
    duration(lang, Duration::hours(hours))
}

fn weekday(lang: Lang, wd: chrono::Weekday) -> &'static str {
    let i = wd.num_days_from_monday() as usize;
    match lang {
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        Lang::ZhCn => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
    }
}

/// A moment in a zone, short, with the zone named: "Sat 20 Mar, 17:30 (Asia/Shanghai)",
/// "3月20日 周六 17:30（Asia/Shanghai）". The year only when it is not this one.
pub fn moment(lang: Lang, utc: NaiveDateTime, tz: Tz) -> String {
    let t = in_zone(utc, tz);
    let this_year = in_zone(crate::clock::now(), tz).year() == t.year();
    match lang {
        Lang::En => {
            let day = if this_year {
                t.format("%-d %b").to_string()
            } else {
                t.format("%-d %b %Y").to_string()
            };
            format!(
                "{} {day}, {} ({})",
                weekday(lang, t.weekday()),
                t.format("%H:%M"),
                tz.name()
            )
        }
        Lang::ZhCn => {
            let year = if this_year {
                String::new()
            } else {
                format!("{}年", t.year())
            };
            format!(
                "{year}{}月{}日 {} {}（{}）",
                t.month(),
                t.day(),
                weekday(lang, t.weekday()),
                t.format("%H:%M"),
                tz.name()
            )
        }
    }
}

/// Markdown written by organizers, rendered to HTML and then sanitised (no scripts, no
/// handlers): for pages and e-mails alike.
pub fn markdown_html(text: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(
        text,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    let mut html_out = String::new();
    pulldown_cmark::html::push_html(&mut html_out, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html_out)
        .to_string()
}

/// A date in a zone, as people of the language write it.
pub fn date(lang: Lang, utc: NaiveDateTime, tz: Tz) -> String {
    let t = in_zone(utc, tz);
    match lang {
        Lang::En => format!("{} {}", weekday(lang, t.weekday()), t.format("%-d %b %Y")),
        Lang::ZhCn => format!(
            "{}年{}月{}日 {}",
            t.year(),
            t.month(),
            t.day(),
            weekday(lang, t.weekday())
        ),
    }
}

/// The first and last day of something (a tour), one date when they are the same day.
pub fn date_span(
    lang: Lang,
    (first, first_tz): (NaiveDateTime, Tz),
    (last, last_tz): (NaiveDateTime, Tz),
) -> String {
    let (a, b) = (date(lang, first, first_tz), date(lang, last, last_tz));
    if a == b { a } else { format!("{a} – {b}") }
}

/// The zone, named after a time: " (Asia/Shanghai)", or "（Asia/Shanghai）" in Chinese.
fn zone_label(lang: Lang, tz: Tz) -> String {
    match lang {
        Lang::En => format!(" ({})", tz.name()),
        Lang::ZhCn => format!("（{}）", tz.name()),
    }
}

/// A time of day in a zone, with the zone named: "13:30 (Asia/Shanghai)". Every time shown
/// in a list or an e-mail carries its zone this way.
pub fn clock(lang: Lang, utc: NaiveDateTime, tz: Tz) -> String {
    format!(
        "{}{}",
        in_zone(utc, tz).format("%H:%M"),
        zone_label(lang, tz)
    )
}

/// A date and time with the zone named: "Sun 20 Mar 2027, 23:59 (UTC)".
pub fn date_time(lang: Lang, utc: NaiveDateTime, tz: Tz) -> String {
    let sep = match lang {
        Lang::En => ", ",
        Lang::ZhCn => " ",
    };
    format!("{}{sep}{}", date(lang, utc, tz), clock(lang, utc, tz))
}

/// "Sun 16 Sep 2012, 13:30–17:30 (Asia/Shanghai)" in the stop's zone, with the zone named
/// ("2012年9月16日 周日 13:30–17:30（Asia/Shanghai）" in Chinese).
pub fn time_range(lang: Lang, start: NaiveDateTime, end: NaiveDateTime, tz: Tz) -> String {
    let (s, e) = (in_zone(start, tz), in_zone(end, tz));
    let end_text = if s.date_naive() == e.date_naive() {
        e.format("%H:%M").to_string()
    } else {
        format!("{} {}", date(lang, end, tz), e.format("%H:%M"))
    };
    let sep = match lang {
        Lang::En => ", ",
        Lang::ZhCn => " ",
    };
    format!(
        "{}{sep}{}–{}{}",
        date(lang, start, tz),
        s.format("%H:%M"),
        end_text,
        zone_label(lang, tz)
    )
}

/// "31 distinct speakers in 47 speaking slots" (the agenda builder and the tour report).
pub fn speakers_in_slots(lang: Lang, speakers: usize, slots: usize) -> String {
    lang.tf(
        "report.speakers_vs_slots",
        &[
            (
                "speakers",
                &lang.tn("count.distinct_speakers", count(speakers), &[]),
            ),
            ("slots", &lang.tn("count.speaking_slots", count(slots), &[])),
        ],
    )
}

/// What the tour report's summary line counts.
pub struct SummaryCounts {
    pub stops: usize,
    pub registrations: i64,
    pub attendance: i64,
    /// The show rate, formatted ("67%", or "—").
    pub rate: String,
    pub speakers: usize,
    pub slots: usize,
}

/// The tour report's one-line summary, each count in words.
pub fn report_summary(lang: Lang, t: &SummaryCounts) -> String {
    lang.tf(
        "report.summary",
        &[
            ("stops", &lang.tn("count.stops", count(t.stops), &[])),
            (
                "registrations",
                &lang.tn("count.registrations", t.registrations, &[]),
            ),
            ("attendance", &lang.tn("count.people", t.attendance, &[])),
            ("rate", &t.rate),
            (
                "speakers",
                &lang.tn("count.speakers", count(t.speakers), &[]),
            ),
            (
                "slots",
                &lang.tn("count.speaking_slots", count(t.slots), &[]),
            ),
        ],
    )
}

/// "47 talks given, 30 different ones".
pub fn talks_given(lang: Lang, talks: usize, distinct: usize) -> String {
    lang.tf(
        "report.talks_given",
        &[
            ("talks", &lang.tn("count.talks", count(talks), &[])),
            (
                "distinct",
                &lang.tn("count.different_talks", count(distinct), &[]),
            ),
        ],
    )
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A `datetime-local` input value in the zone.
pub fn local_input(utc: NaiveDateTime, tz: Tz) -> String {
    in_zone(utc, tz).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        let en = |d| duration(Lang::En, d);
        assert_eq!(en(Duration::seconds(20)), "1 minute");
        assert_eq!(en(Duration::minutes(30)), "30 minutes");
        assert_eq!(en(Duration::minutes(60)), "1 hour");
        assert_eq!(en(Duration::minutes(90)), "90 minutes");
        assert_eq!(en(Duration::hours(24)), "24 hours");
        assert_eq!(en(Duration::minutes(24 * 60 + 59)), "24 hours");
        assert_eq!(en(Duration::hours(47)), "47 hours");
        assert_eq!(en(Duration::hours(48)), "2 days");
        assert_eq!(en(Duration::hours(72)), "3 days");
        assert_eq!(en(Duration::hours(2629)), "109 days");
        assert_eq!(en(Duration::days(1) * 7), "7 days");
        assert_eq!(duration(Lang::ZhCn, Duration::hours(72)), "3 天");
        assert_eq!(duration(Lang::ZhCn, Duration::hours(1)), "1 小时");
        assert_eq!(duration(Lang::ZhCn, Duration::minutes(30)), "30 分钟");
        assert_eq!(hours(Lang::En, 1), "1 hour");
    }

    #[test]
    fn a_moment_names_its_day_time_and_zone() {
        let utc = chrono::NaiveDate::from_ymd_opt(2012, 9, 16)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(
            moment(Lang::En, utc, tz),
            "Sun 16 Sep 2012, 17:30 (Asia/Shanghai)"
        );
        assert_eq!(
            moment(Lang::ZhCn, utc, tz),
            "2012年9月16日 周日 17:30（Asia/Shanghai）"
        );
    }

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn counts_in_sentences_take_their_own_plural() {
        assert_eq!(
            speakers_in_slots(Lang::En, 1, 1),
            "1 distinct speaker in 1 speaking slot"
        );
        assert_eq!(
            speakers_in_slots(Lang::En, 31, 47),
            "31 distinct speakers in 47 speaking slots"
        );
        assert_eq!(talks_given(Lang::En, 1, 1), "1 talk given, 1 different one");
        let counts = |stops, n| SummaryCounts {
            stops,
            registrations: n,
            attendance: n,
            rate: "100%".into(),
            speakers: stops,
            slots: stops,
        };
        assert_eq!(
            report_summary(Lang::En, &counts(1, 1)),
            "1 stop, 1 registration, 1 person in the room (100%), 1 speaker in 1 speaking slot."
        );
        assert_eq!(
            report_summary(Lang::ZhCn, &counts(8, 1060)),
            "共 8 站，报名 1060 人，现场 1060 人（100%），8 位讲师，8 个分享时段。"
        );
    }

    #[test]
    fn a_one_day_span_is_one_date_and_times_name_their_zone() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let a = utc("2027-03-20 01:00");
        assert_eq!(date_span(Lang::En, (a, tz), (a, tz)), "Sat 20 Mar 2027");
        assert_eq!(
            date_span(Lang::En, (a, tz), (utc("2027-04-20 01:00"), tz)),
            "Sat 20 Mar 2027 – Tue 20 Apr 2027"
        );
        assert_eq!(
            clock(Lang::En, utc("2027-03-20 05:30"), tz),
            "13:30 (Asia/Shanghai)"
        );
        assert_eq!(
            date_time(Lang::ZhCn, utc("2027-03-20 05:30"), tz),
            "2027年3月20日 周六 13:30（Asia/Shanghai）"
        );
        assert_eq!(
            time_range(
                Lang::ZhCn,
                utc("2027-03-20 05:30"),
                utc("2027-03-20 09:30"),
                tz
            ),
            "2027年3月20日 周六 13:30–17:30（Asia/Shanghai）"
        );
        assert_eq!(
            time_range(
                Lang::En,
                utc("2027-03-20 05:30"),
                utc("2027-03-20 09:30"),
                tz
            ),
            "Sat 20 Mar 2027, 13:30–17:30 (Asia/Shanghai)"
        );
    }
}
