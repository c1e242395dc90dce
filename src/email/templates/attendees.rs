//! An attendee's e-mails: a registration confirmed, waitlisted, promoted or cancelled; the
//! registration they have, when they register again or ask for its link; the reminder and
//! "still coming?" before the stop.

use super::parts::{Part, Rendered, StopMail, compose, ticket, with_contact};
use crate::i18n::Lang;

/// Confirmed: the ticket, the place, the way to cancel.
pub fn registration_confirmed(
    lang: Lang,
    name: &str,
    s: &StopMail,
    code: &str,
    qr_data: &str,
    manage_url: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.confirmed.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf("email.confirmed.lead", &[("stop", &s.title())])),
                ticket(lang, code, qr_data),
                s.facts(lang),
                Part::Link {
                    label: lang.t("email.manage").into_owned(),
                    url: manage_url.to_owned(),
                },
                Part::Text(lang.t("email.confirmed.cant_come").into_owned()),
            ],
            s,
            lang,
        ),
    )
}

/// Waitlisted: the place in line.
pub fn registration_waitlisted(
    lang: Lang,
    name: &str,
    s: &StopMail,
    position: i64,
    manage_url: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.waitlisted.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf(
                    "email.waitlisted.lead",
                    &[("stop", &s.title()), ("position", &position.to_string())],
                )),
                s.facts(lang),
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

/// A place freed up: promoted from the waitlist.
pub fn registration_promoted(
    lang: Lang,
    name: &str,
    s: &StopMail,
    code: &str,
    qr_data: &str,
    manage_url: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.promoted.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf("email.promoted.lead", &[("stop", &s.title())])),
                ticket(lang, code, qr_data),
                s.facts(lang),
                Part::Link {
                    label: lang.t("email.manage").into_owned(),
                    url: manage_url.to_owned(),
                },
                Part::Text(lang.t("email.confirmed.cant_come").into_owned()),
            ],
            s,
            lang,
        ),
    )
}

/// Cancelled, with the way back: the stop's page, to register again while it is open.
pub fn registration_cancelled(lang: Lang, name: &str, s: &StopMail, stop_url: &str) -> Rendered {
    compose(
        lang,
        lang.tf("email.cancelled.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf("email.cancelled.lead", &[("stop", &s.title())])),
            Part::Link {
                label: lang.t("email.cancelled.again").into_owned(),
                url: stop_url.to_owned(),
            },
        ],
    )
}

/// Someone registered again with the same address: here is the registration they have.
pub fn registration_again(
    lang: Lang,
    name: &str,
    s: &StopMail,
    status: &str,
    manage_url: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.again.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf(
                "email.again.lead",
                &[("stop", &s.title()), ("status", status)],
            )),
            Part::Link {
                label: lang.t("email.manage").into_owned(),
                url: manage_url.to_owned(),
            },
        ],
    )
}

/// The link of a registration, asked for again on the stop's page.
pub fn registration_link(
    lang: Lang,
    name: &str,
    s: &StopMail,
    status: &str,
    manage_url: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.registration_link.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf(
                "email.registration_link.lead",
                &[("stop", &s.title()), ("status", status)],
            )),
            Part::Link {
                label: lang.t("email.manage").into_owned(),
                url: manage_url.to_owned(),
            },
            Part::Text(lang.t("email.registration_link.not_you").into_owned()),
        ],
    )
}

/// Before the stop: the place, and the ticket again.
pub fn reminder(
    lang: Lang,
    name: &str,
    s: &StopMail,
    code: &str,
    qr_data: &str,
    manage_url: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.reminder.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf("email.reminder.lead", &[("stop", &s.title())])),
                s.facts(lang),
                ticket(lang, code, qr_data),
                Part::Link {
                    label: lang.t("email.manage").into_owned(),
                    url: manage_url.to_owned(),
                },
                Part::Text(lang.t("email.confirmed.cant_come").into_owned()),
            ],
            s,
            lang,
        ),
    )
}

/// "Still coming?": one link each way.
pub fn still_coming(lang: Lang, name: &str, s: &StopMail, yes_url: &str, no_url: &str) -> Rendered {
    compose(
        lang,
        lang.tf("email.still_coming.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf("email.still_coming.lead", &[("stop", &s.title())])),
            s.facts(lang),
            Part::Link {
                label: lang.t("email.still_coming.yes").into_owned(),
                url: yes_url.to_owned(),
            },
            Part::Link {
                label: lang.t("email.still_coming.no").into_owned(),
                url: no_url.to_owned(),
            },
        ],
    )
}
