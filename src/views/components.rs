//! Small pieces shared by pages: form fields with their errors, dates, Markdown, badges.

use chrono::{Datelike, NaiveDateTime};
use chrono_tz::Tz;
use maud::{Markup, PreEscaped, html};

use crate::domain::stop::in_zone;
use crate::error::FieldErrors;
use crate::i18n::Lang;
use crate::views::Ctx;

pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="_csrf" value=(ctx.csrf); }
}

/// A form that posts to `action` with the CSRF token.
pub fn post_form(ctx: &Ctx, action: &str, class: &str, inner: Markup) -> Markup {
    html! {
        form method="post" action=(action) class=(class) {
            (csrf_field(ctx))
            (inner)
        }
    }
}

/// A one-button form (publish, remove, move up…).
pub fn button_form(ctx: &Ctx, action: &str, label: &str, class: &str) -> Markup {
    post_form(
        ctx,
        action,
        "inline",
        html! { button type="submit" class=(class) { (label) } },
    )
}

/// The translated message of a field's error, if it has one. A refusal that names its range
/// says it in the reader's language ("Out of range: 1 to 100,000.").
pub fn field_error(ctx: &Ctx, errors: &FieldErrors, name: &str) -> Option<String> {
    errors.get(name).map(|e| {
        if let Some((min, max)) = crate::domain::text::range_of(e) {
            return ctx.tf(
                "field_error.out_of_range_between",
                &[("min", min), ("max", max)],
            );
        }
        let key = format!("field_error.{}", e.code);
        let text = ctx.t(&key);
        if text.starts_with("??") {
            e.message.clone()
        } else {
            text.into_owned()
        }
    })
}

pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    pub kind: &'a str,
    pub required: bool,
    pub hint: Option<&'a str>,
    pub attrs: &'a [(&'a str, &'a str)],
    /// For whole numbers: the range the server takes, so a browser can say it first.
    pub range: Option<(i64, i64)>,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Field {
            name,
            label,
            value,
            kind: "text",
            required: false,
            hint: None,
            attrs: &[],
            range: None,
        }
    }
    /// A whole number from `min` to `max`.
    pub fn whole_number(mut self, min: i64, max: i64) -> Self {
        self.kind = "number";
        self.range = Some((min, max));
        self
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
}

/// A labelled input with its hint and error, wired for screen readers.
pub fn input(ctx: &Ctx, errors: &FieldErrors, f: Field) -> Markup {
    let error = field_error(ctx, errors, f.name);
    let id = format!("f-{}", f.name);
    let described = format!("{id}-help");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (f.label) @if f.required { " *" } }
            @if f.kind == "textarea" {
                textarea id=(id) name=(f.name) rows="5" required[f.required] aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=(described) { (f.value) }
            } @else {
                input id=(id) type=(f.kind) name=(f.name) value=(f.value) required[f.required]
                    aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=(described)
                    min=[f.range.map(|r| r.0)] max=[f.range.map(|r| r.1)]
                    step=[(f.kind == "number").then_some(if f.range.is_some() { "1" } else { "any" })];
            }
            @if let Some(e) = &error { p.error id=(described) { (e) } }
            @else if let Some(h) = f.hint { p.hint id=(described) { (h) } }
        }
    }
}

/// A select from `(value, label)` choices.
pub fn select(
    ctx: &Ctx,
    errors: &FieldErrors,
    name: &str,
    label: &str,
    value: &str,
    choices: &[(String, String)],
) -> Markup {
    let error = field_error(ctx, errors, name);
    let id = format!("f-{name}");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @for (v, l) in choices {
                    option value=(v) selected[v == value] { (l) }
                }
            }
            @if let Some(e) = &error { p.error { (e) } }
        }
    }
}

pub fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.field.check {
            label { input type="checkbox" name=(name) value="on" checked[checked]; " " (label) }
        }
    }
}

/// A summary of the errors at the top of a form.
pub fn error_summary(ctx: &Ctx, errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.flash.error role="alert" { (ctx.t("form.has_errors")) }
        }
    }
}

/// Markdown written by organizers, rendered and then sanitised (no scripts, no handlers).
pub fn markdown(text: &str) -> PreEscaped<String> {
    let parser = pulldown_cmark::Parser::new_ext(
        text,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    let mut html_out = String::new();
    pulldown_cmark::html::push_html(&mut html_out, parser);
    PreEscaped(
        ammonia::Builder::default()
            .link_rel(Some("noopener noreferrer nofollow"))
            .clean(&html_out)
            .to_string(),
    )
}

fn weekday(lang: Lang, wd: chrono::Weekday) -> &'static str {
    let i = wd.num_days_from_monday() as usize;
    match lang {
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        Lang::ZhCn => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
    }
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

pub fn status_badge(ctx: &Ctx, kind: &str, status: &str) -> Markup {
    html! { span class={ "badge " (status) } { (ctx.t(&format!("{kind}.{status}"))) } }
}

/// The time zones offered in forms: the common ones first, then all.
pub fn timezone_choices() -> Vec<(String, String)> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| (tz.name().to_owned(), tz.name().to_owned()))
        .collect()
}

/// The organizers' word about a cancelled or moved stop, where its people look.
pub fn organizers_notice(ctx: &Ctx, notice: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = notice.filter(|t| !t.trim().is_empty()) {
            blockquote.organizers-notice {
                // The colon carries its own space in English and none in Chinese.
                strong { (ctx.t("lifecycle.notice")) } (ctx.lang.colon()) (text)
            }
        }
    }
}

/// A destructive action that asks first: the button opens an explanation of what will
/// happen, with the button that does it (no script needed, works on a phone).
pub fn confirm_form(
    ctx: &Ctx,
    action: &str,
    opener: &str,
    explanation: &str,
    button: &str,
) -> Markup {
    html! {
        details.confirm {
            summary { (opener) }
            p { (explanation) }
            (post_form(ctx, action, "inline", html! {
                button.danger type="submit" { (button) }
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
