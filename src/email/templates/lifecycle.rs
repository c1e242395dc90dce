//! A stop that will not happen, or happens at another time or place: everyone concerned is
//! told.

use super::parts::{Part, Rendered, StopMail, compose, with_contact};
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

/// The stop moved to another venue.
pub fn venue_switch(
    lang: Lang,
    name: &str,
    s: &StopMail,
    old_venue: &str,
    reason: &str,
    manage_url: Option<&str>,
) -> Rendered {
    let mut parts = vec![
        Part::Text(lang.tf(
            "email.switch.lead",
            &[("stop", &s.title()), ("old", old_venue), ("new", &s.venue)],
        )),
        Part::Text(lang.tf("email.switch.reason", &[("reason", reason)])),
        s.facts(lang),
        Part::Text(lang.t("email.switch.calendar").into_owned()),
    ];
    if let Some(url) = manage_url {
        parts.push(Part::Link {
            label: lang.t("email.manage").into_owned(),
            url: url.to_owned(),
        });
    }
    compose(
        lang,
        lang.tf(
            "email.switch.subject",
            &[("stop", &s.title()), ("venue", &s.venue)],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(parts, s, lang),
    )
}
