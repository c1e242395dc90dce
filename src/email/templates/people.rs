//! E-mails to the people at the door: desk helpers, desk volunteers, attendees' links.

use super::{Part, Rendered, StopMail, compose, with_contact};
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
            super::link_expiry_until(lang, valid.0, valid.1),
            Part::Link {
                label: lang.t("people.email.desk_fresh").into_owned(),
                url: fresh_link_page.to_owned(),
            },
        ],
    )
}

/// What the e-mail to a volunteer who took a task says about it.
pub struct TaskClaim<'a> {
    pub task: &'a str,
    /// When, in the stop's zone and the volunteer's language.
    pub when: &'a str,
    /// Their sign-in link, and how long it works.
    pub link: &'a str,
    pub link_hours: i64,
    /// They may release the task until this many hours before it.
    pub release_hours: i64,
}

/// A volunteer took the registration desk: the slot is theirs, the desk opens once an
/// organizer of the stop gives them access (it shows people's data).
pub fn desk_task_claimed(lang: Lang, name: &str, s: &StopMail, c: &TaskClaim) -> Rendered {
    compose(
        lang,
        lang.tf(
            "email.claim.subject",
            &[("task", c.task), ("stop", &s.title())],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf(
                    "email.claim.lead",
                    &[("task", c.task), ("stop", &s.title()), ("when", c.when)],
                )),
                Part::Text(lang.t("people.email.desk_pending").into_owned()),
                s.facts(lang),
                Part::Link {
                    label: lang.t("email.volunteer.action").into_owned(),
                    url: c.link.to_owned(),
                },
                super::link_expiry(lang, c.link_hours),
                Part::Text(lang.tf(
                    "email.claim.release",
                    &[("duration", &crate::format::hours(lang, c.release_hours))],
                )),
            ]
            .into_iter()
            .chain(super::sign_in_again(lang, c.link))
            .collect(),
            s,
            lang,
        ),
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
