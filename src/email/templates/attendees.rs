//! The attendee's e-mails added with the "lost your link?" page.

use super::{Part, Rendered, StopMail, compose};
use crate::i18n::Lang;

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

/// Samples for the organizers' preview.
pub fn samples(lang: Lang, base_url: &str) -> Vec<(&'static str, Rendered)> {
    let link = format!("{base_url}/example-link");
    vec![(
        "registration_link",
        registration_link(
            lang,
            "Yejia Xu",
            &super::sample_stop(lang),
            &lang.t("registration_status.confirmed"),
            &link,
        ),
    )]
}
