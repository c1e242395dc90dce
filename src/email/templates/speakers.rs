//! Messages to speakers about consent: confirming a proposal sent in their name, and being
//! asked to give a talk (by an organizer, or as a co-speaker of a proposal).

use super::{Part, Rendered, compose};
use crate::i18n::Lang;

/// The only message a proposal from the public form sends before it is confirmed: to the
/// address it was sent for. Nothing is shown or sent to anyone else until they confirm.
pub fn proposal_confirm(
    lang: Lang,
    name: &str,
    tour: &str,
    title: &str,
    link: &str,
    hours: i64,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.proposal_confirm.subject", &[("tour", tour)]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf(
                "email.proposal_confirm.lead",
                &[("tour", tour), ("title", title)],
            )),
            Part::Link {
                label: lang.t("email.proposal_confirm.action").into_owned(),
                url: link.to_owned(),
            },
            super::link_expiry(lang, hours),
            Part::Text(lang.t("email.proposal_confirm.not_you").into_owned()),
        ]
        .into_iter()
        .chain(super::sign_in_again(lang, link))
        .collect(),
    )
}

/// A speaker is asked to give a talk: an organizer named them on it, or the submitter of a
/// proposal named them as co-speaker. They are shown on no agenda until they accept.
pub fn talk_invitation(
    lang: Lang,
    name: &str,
    by: &str,
    tour: Option<&str>,
    title: &str,
    link: &str,
    hours: i64,
) -> Rendered {
    let lead = match tour {
        Some(t) => lang.tf(
            "email.talk_invitation.lead_tour",
            &[("by", by), ("title", title), ("tour", t)],
        ),
        None => lang.tf(
            "email.talk_invitation.lead",
            &[("by", by), ("title", title)],
        ),
    };
    compose(
        lang,
        lang.tf("email.talk_invitation.subject", &[("title", title)]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lead),
            Part::Text(lang.t("email.talk_invitation.consent").into_owned()),
            Part::Link {
                label: lang.t("email.talk_invitation.action").into_owned(),
                url: link.to_owned(),
            },
            super::link_expiry(lang, hours),
        ]
        .into_iter()
        .chain(super::sign_in_again(lang, link))
        .collect(),
    )
}

/// Examples for the template preview (`/manage/emails`).
pub fn samples(lang: Lang, base_url: &str) -> Vec<(&'static str, Rendered)> {
    vec![
        (
            "proposal_confirm",
            proposal_confirm(
                lang,
                "Rongze Zhu",
                "OpenStack China Tour",
                "Cinder in production",
                &format!("{base_url}/example-link"),
                48,
            ),
        ),
        (
            "talk_invitation",
            talk_invitation(
                lang,
                "Rongze Zhu",
                "Hui Cheng",
                Some("OpenStack China Tour"),
                "Cinder in production",
                &format!("{base_url}/example-link"),
                24,
            ),
        ),
    ]
}
