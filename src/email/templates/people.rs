//! E-mails to the people at the door and their links: a desk helper's, an attendee's new one.

use super::parts::{Part, Rendered, StopMail, compose, link_expiry_until, with_contact};
use crate::i18n::Lang;

/// A helper's link to a stop's check-in desk: how long it works (until when, in the stop's
/// zone), and where to get a new one when it ran out.
pub fn desk_link(
    lang: Lang,
    name: &str,
    s: &StopMail,
    link: &str,
    valid: (chrono::Duration, &str),
    fresh_link_page: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.desk.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf("email.desk.lead", &[("stop", &s.title())])),
            Part::Link {
                label: lang.t("email.desk.action").into_owned(),
                url: link.to_owned(),
            },
            link_expiry_until(lang, valid.0, valid.1),
            Part::Link {
                label: lang.t("people.email.desk_fresh").into_owned(),
                url: fresh_link_page.to_owned(),
            },
        ],
    )
}

/// The attendee asked for a new manage link: the old one no longer works.
pub fn registration_new_link(lang: Lang, name: &str, s: &StopMail, manage_url: &str) -> Rendered {
    compose(
        lang,
        lang.tf("people.email.new_link_subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf("people.email.new_link_lead", &[("stop", &s.title())])),
                Part::Link {
                    label: lang.t("email.manage").into_owned(),
                    url: manage_url.to_owned(),
                },
            ],
            s,
            lang,
        ),
    )
}
