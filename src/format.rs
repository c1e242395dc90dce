//! Durations and deadlines in the words people use: "for 3 days", "until Sat 20 Mar, 17:30",
//! never "within 2629 hours". Used by e-mails and pages alike (it knows nothing of either).

use chrono::{Datelike, Duration, NaiveDateTime};
use chrono_tz::Tz;

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
    let t = crate::domain::stop::in_zone(utc, tz);
    let this_year = crate::domain::stop::in_zone(crate::db::now(), tz).year() == t.year();
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
}
