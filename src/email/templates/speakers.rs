//! Messages about talks: confirming a proposal sent in a speaker's name, being asked to give
//! a talk (by an organizer, or as a co-speaker of a proposal), the organizers' decision, a
//! slot that changed, the slots nobody confirmed (to the organizers), and the materials
//! asked for after the stop (a speaker's slides, the team's video, photos or report).

use super::parts::{
    Part, Rendered, StopMail, and_sign_in_again, compose, link_expiry, sign_in_again, with_contact,
};
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
            link_expiry(lang, hours),
            Part::Text(lang.t("email.proposal_confirm.not_you").into_owned()),
        ]
        .into_iter()
        .chain(sign_in_again(lang, link))
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
            link_expiry(lang, hours),
        ]
        .into_iter()
        .chain(sign_in_again(lang, link))
        .collect(),
    )
}

/// What the organizers decided about a proposal.
#[derive(Clone, Copy)]
pub struct Decision<'a> {
    pub accepted: bool,
    /// Where it was accepted.
    pub stops: &'a [String],
    pub message: &'a str,
}

/// The organizers' decision on a proposal, to each speaker who accepted the talk.
pub fn proposal_decided(
    lang: Lang,
    name: &str,
    tour: &str,
    title: &str,
    decision: Decision,
    link: &str,
) -> Rendered {
    let Decision {
        accepted,
        stops,
        message,
    } = decision;
    let mut parts = vec![if accepted {
        Part::Text(lang.tf(
            "email.decision.accepted",
            &[
                ("title", title),
                ("tour", tour),
                ("stops", &stops.join(lang.list_separator())),
            ],
        ))
    } else {
        Part::Text(lang.tf(
            "email.decision.rejected",
            &[("title", title), ("tour", tour)],
        ))
    }];
    if !message.trim().is_empty() {
        parts.push(Part::Text(
            lang.tf("email.decision.message", &[("message", message)]),
        ));
    }
    if accepted {
        parts.push(Part::Text(lang.t("email.decision.confirm").into_owned()));
    }
    parts.push(Part::Link {
        label: lang.t("email.sign_in.action").into_owned(),
        url: link.to_owned(),
    });
    parts.extend(sign_in_again(lang, link));
    compose(
        lang,
        lang.tf(
            if accepted {
                "email.decision.subject_accepted"
            } else {
                "email.decision.subject_rejected"
            },
            &[("title", title)],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        parts,
    )
}

/// A speaker's slot was added, moved or removed in a published agenda.
pub fn slot_changed(
    lang: Lang,
    name: &str,
    s: &StopMail,
    title: &str,
    change: &str,
    when: &str,
    link: &str,
) -> Rendered {
    let key = match change {
        "added" => "email.slot.added",
        "removed" => "email.slot.removed",
        _ => "email.slot.moved",
    };
    compose(
        lang,
        lang.tf(
            "email.slot.subject",
            &[("stop", &s.title()), ("title", title)],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        key,
                        &[("title", title), ("stop", &s.title()), ("when", when)],
                    )),
                    s.facts(lang),
                    Part::Link {
                        label: lang.t("email.sign_in.action").into_owned(),
                        url: link.to_owned(),
                    },
                ],
                lang,
                link,
            ),
            s,
            lang,
        ),
    )
}

/// To organizers: slots nobody confirmed, a week before the stop.
pub fn unconfirmed_slots(lang: Lang, s: &StopMail, lines: &[String], link: &str) -> Rendered {
    compose(
        lang,
        lang.tn(
            "email.unconfirmed.subject",
            i64::try_from(lines.len()).unwrap_or(i64::MAX),
            &[("stop", &s.title())],
        ),
        Some(lang.t("email.hello").into_owned()),
        vec![
            Part::Text(lang.tf("email.unconfirmed.lead", &[("stop", &s.title())])),
            Part::Text(lines.join("\n")),
            Part::Link {
                label: lang.t("email.unconfirmed.action").into_owned(),
                url: link.to_owned(),
            },
        ],
    )
}

/// A material is asked for after the stop (and again until it is received).
pub fn material_request(
    lang: Lang,
    name: &str,
    s: &StopMail,
    what: &[String],
    reminder: bool,
    link: &str,
) -> Rendered {
    // One thing: named in the subject; several: one message that lists them all.
    let (subject, lead) = match what {
        [one] => (
            lang.tf(
                if reminder {
                    "email.material.subject_reminder"
                } else {
                    "email.material.subject"
                },
                &[("what", one), ("stop", &s.title())],
            ),
            Part::Text(lang.tf(
                "email.material.lead",
                &[("what", one), ("stop", &s.title())],
            )),
        ),
        many => {
            let n = i64::try_from(many.len()).unwrap_or(i64::MAX);
            let list: Vec<String> = many.iter().map(|w| format!("• {w}")).collect();
            (
                lang.tn(
                    if reminder {
                        "materials_request.subject_reminder_n"
                    } else {
                        "materials_request.subject_n"
                    },
                    n,
                    &[("stop", &s.title())],
                ),
                Part::Text(format!(
                    "{}\n{}",
                    lang.tn("materials_request.lead_n", n, &[("stop", &s.title())]),
                    list.join("\n")
                )),
            )
        }
    };
    compose(
        lang,
        subject,
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    lead,
                    Part::Link {
                        label: lang.t("email.material.action").into_owned(),
                        url: link.to_owned(),
                    },
                    Part::Text(lang.t("email.material.why").into_owned()),
                ],
                lang,
                link,
            ),
            s,
            lang,
        ),
    )
}
