//! A stop that will not happen, or happens at another time: everyone concerned is told.

use super::{Part, Rendered, StopMail, compose, sample_stop, with_contact};
use crate::i18n::Lang;

/// The organizer's own words, when they wrote any.
fn message_part(lang: Lang, message: &str) -> Option<Part> {
    let message = message.trim();
    (!message.is_empty())
        .then(|| Part::Text(lang.tf("lifecycle.email.message", &[("message", message)])))
}

fn links(lang: Lang, stop_url: &str, manage_url: Option<&str>) -> Vec<Part> {
    let mut parts = vec![Part::Link {
        label: lang.t("lifecycle.email.stop_page").into_owned(),
        url: stop_url.to_owned(),
    }];
    if let Some(url) = manage_url {
        parts.push(Part::Link {
            label: lang.t("email.manage").into_owned(),
            url: url.to_owned(),
        });
    }
    parts
}

/// The stop is cancelled. `manage_url`: the attendee's own page (others have none).
pub fn stop_cancelled(
    lang: Lang,
    name: &str,
    s: &StopMail,
    message: &str,
    stop_url: &str,
    manage_url: Option<&str>,
) -> Rendered {
    let mut parts = vec![Part::Text(lang.tf(
        "lifecycle.email.cancelled.lead",
        &[("stop", &s.title()), ("when", &s.when)],
    ))];
    parts.extend(message_part(lang, message));
    parts.push(Part::Text(
        lang.t("lifecycle.email.cancelled.calendar").into_owned(),
    ));
    parts.extend(links(lang, stop_url, manage_url));
    compose(
        lang,
        lang.tf("lifecycle.email.cancelled.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(parts, s, lang),
    )
}

/// The stop moved in time: `old_when` was the time range, `s.when` is the new one.
pub fn stop_moved(
    lang: Lang,
    name: &str,
    s: &StopMail,
    old_when: &str,
    message: &str,
    stop_url: &str,
    manage_url: Option<&str>,
) -> Rendered {
    let mut parts = vec![
        Part::Text(lang.tf("lifecycle.email.moved.lead", &[("stop", &s.title())])),
        Part::Facts(vec![
            (
                lang.t("lifecycle.email.moved.was").into_owned(),
                old_when.to_owned(),
            ),
            (
                lang.t("lifecycle.email.moved.now").into_owned(),
                s.when.clone(),
            ),
        ]),
    ];
    parts.extend(message_part(lang, message));
    parts.push(s.facts(lang));
    parts.push(Part::Text(
        lang.t("lifecycle.email.moved.calendar").into_owned(),
    ));
    parts.extend(links(lang, stop_url, manage_url));
    compose(
        lang,
        lang.tf(
            "lifecycle.email.moved.subject",
            &[("stop", &s.title()), ("when", &s.when)],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(parts, s, lang),
    )
}

/// Examples for the template preview (`/manage/emails`).
pub fn samples(lang: Lang, base_url: &str) -> Vec<(&'static str, Rendered)> {
    let link = format!("{base_url}/example-link");
    let message = match lang {
        Lang::En => "The building is closed for repairs that weekend. We are sorry.",
        Lang::ZhCn => "那个周末大楼停电检修，非常抱歉。",
    };
    let old_when = match lang {
        Lang::En => "Sat 15 Sep 2012, 13:30–17:30 (Asia/Shanghai)",
        Lang::ZhCn => "2012年9月15日 周六 13:30–17:30（Asia/Shanghai）",
    };
    vec![
        (
            "stop_cancelled",
            stop_cancelled(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                message,
                &link,
                Some(&link),
            ),
        ),
        (
            "stop_moved",
            stop_moved(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                old_when,
                message,
                &link,
                Some(&link),
            ),
        ),
    ]
}
