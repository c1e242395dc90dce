//! Messages about organizer accounts that are not in `mod.rs`: the e-mailed sign-in link.

use super::{Part, Rendered, compose};
use crate::i18n::Lang;

/// An organizer asked to sign in by e-mail (their password sign-in may be locked by someone
/// else's guesses).
pub fn sign_in_link(lang: Lang, link: &str, minutes: i64) -> Rendered {
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
