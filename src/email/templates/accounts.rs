//! Signing in: an organizer's invitation, password reset and e-mailed sign-in link, and the
//! sign-in link a speaker or volunteer asks for.

use super::parts::{Part, Rendered, compose, link_expiry, sign_in_again};
use crate::i18n::Lang;

/// A co-organizer (or a new organizer) is invited to set a password.
pub fn organizer_invite(lang: Lang, inviter: &str, tour: Option<&str>, link: &str) -> Rendered {
    let lead = match tour {
        Some(t) => lang.tf(
            "email.invite.lead_tour",
            &[("inviter", inviter), ("tour", t)],
        ),
        None => lang.tf("email.invite.lead", &[("inviter", inviter)]),
    };
    compose(
        lang,
        lang.t("email.invite.subject").into_owned(),
        Some(lang.t("email.hello").into_owned()),
        vec![
            Part::Text(lead),
            Part::Link {
                label: lang.t("email.invite.action").into_owned(),
                url: link.to_owned(),
            },
            Part::Text(lang.t("email.invite.expiry").into_owned()),
        ],
    )
}

/// An organizer asked to reset their password.
pub fn password_reset(lang: Lang, link: &str, hours: i64) -> Rendered {
    compose(
        lang,
        lang.t("email.reset.subject").into_owned(),
        Some(lang.t("email.hello").into_owned()),
        vec![
            Part::Text(lang.t("email.reset.lead").into_owned()),
            Part::Link {
                label: lang.t("email.reset.action").into_owned(),
                url: link.to_owned(),
            },
            link_expiry(lang, hours),
            Part::Text(lang.t("email.reset.not_you").into_owned()),
        ],
    )
}

/// An organizer asked to sign in by e-mail (their password sign-in may be locked by someone
/// else's guesses).
pub fn organizer_sign_in(lang: Lang, link: &str, minutes: i64) -> Rendered {
    compose(
        lang,
        lang.t("email.organizer_sign_in.subject").into_owned(),
        Some(lang.t("email.hello").into_owned()),
        vec![
            Part::Text(lang.t("email.organizer_sign_in.lead").into_owned()),
            Part::Link {
                label: lang.t("email.organizer_sign_in.action").into_owned(),
                url: link.to_owned(),
            },
            Part::Text(lang.tf(
                "email.organizer_sign_in.expiry",
                &[("minutes", &minutes.to_string())],
            )),
            Part::Text(lang.t("email.reset.not_you").into_owned()),
        ],
    )
}

/// A speaker, volunteer or attendee asked for a sign-in link.
pub fn sign_in_link(lang: Lang, name: &str, what: &str, link: &str, hours: i64) -> Rendered {
    compose(
        lang,
        lang.tf("email.sign_in.subject", &[("what", what)]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Text(lang.tf("email.sign_in.lead", &[("what", what)])),
            Part::Link {
                label: lang.t("email.sign_in.action").into_owned(),
                url: link.to_owned(),
            },
            link_expiry(lang, hours),
            Part::Text(lang.t("email.sign_in.not_you").into_owned()),
        ]
        .into_iter()
        .chain(sign_in_again(lang, link))
        .collect(),
    )
}
