//! Every kind of message: a subject, a plain-text body and an HTML body (maud), in the
//! recipient's language, with links built from the public base URL.

pub mod accounts;
pub mod attendees;
pub mod journeys;
pub mod lifecycle;
pub mod people;
pub mod speakers;
pub mod venues;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A paragraph of an e-mail: text, or a button-like link.
pub enum Part {
    Text(String),
    Link {
        label: String,
        url: String,
    },
    /// Pre-rendered, sanitised HTML with its plain-text twin.
    Rich {
        html: String,
        text: String,
    },
    /// Label: value lines (a ticket, a venue).
    Facts(Vec<(String, String)>),
}

/// Builds the three forms of a message from the same parts.
pub fn compose(
    lang: Lang,
    subject: String,
    greeting: Option<String>,
    parts: Vec<Part>,
) -> Rendered {
    let mut text = String::new();
    if let Some(g) = &greeting {
        text.push_str(g);
        text.push_str("\n\n");
    }
    for part in &parts {
        match part {
            Part::Text(t) => text.push_str(t),
            Part::Link { label, url } => {
                text.push_str(&format!("{label}{}\n{url}", lang.colon().trim_end()))
            }
            Part::Rich { text: t, .. } => text.push_str(t),
            Part::Facts(lines) => {
                let joined: Vec<String> = lines
                    .iter()
                    .map(|(k, v)| format!("{k}{}{v}", lang.colon()))
                    .collect();
                text.push_str(&joined.join("\n"));
            }
        }
        text.push_str("\n\n");
    }
    text.push_str("-- \n");
    text.push_str(&lang.t("email.signature"));
    text.push('\n');

    let body: Markup = html! {
        @if let Some(g) = &greeting { p { (g) } }
        @for part in &parts {
            @match part {
                Part::Text(t) => p style="margin:0 0 16px" { @for (i, line) in t.lines().enumerate() { @if i > 0 { br; } (line) } },
                Part::Link { label, url } => p style="margin:0 0 16px" {
                    a href=(url) style="display:inline-block;padding:10px 18px;background:#c2410c;color:#ffffff;text-decoration:none;border-radius:6px" { (label) }
                    br; small style="color:#5b6475;word-break:break-all" { (url) }
                },
                Part::Rich { html: h, .. } => div style="margin:0 0 16px" { (PreEscaped(h)) },
                Part::Facts(lines) => table style="margin:0 0 16px;border-collapse:collapse" {
                    @for (k, v) in lines {
                        tr { th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top" { (k) } td style="padding:2px 0;white-space:pre-line" { (v) } }
                    }
                },
            }
        }
    };
    let html = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { meta charset="utf-8"; meta name="viewport" content="width=device-width"; title { (subject) } }
            body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1d2330;line-height:1.5" {
                div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px" {
                    (body)
                    p style="color:#5b6475;font-size:13px;border-top:1px solid #dde1e8;padding-top:12px;margin:24px 0 0" { (lang.t("email.signature")) }
                }
            }
        }
    };
    Rendered {
        subject,
        text,
        html: html.into_string(),
    }
}

/// How long a one-time link works, in words ("for 24 hours", "for 3 days").
pub fn link_expiry(lang: Lang, hours: i64) -> Part {
    Part::Text(lang.tf(
        "email.link_expiry",
        &[("duration", &crate::format::hours(lang, hours))],
    ))
}

/// The same for a link that ends at a known moment (a desk link, with its stop): how long,
/// and until when in the stop's zone.
pub fn link_expiry_until(lang: Lang, valid_for: chrono::Duration, until: &str) -> Part {
    Part::Text(lang.tf(
        "journeys.email.link_expiry_until",
        &[
            ("duration", &crate::format::duration(lang, valid_for)),
            ("until", until),
        ],
    ))
}

/// The sign-in page of whoever a one-time link is for (a speaker, a volunteer), on the
/// link's own site: e-mails with such a link say where to get a new one once it is used or
/// ran out. Organizers' links (`/manage/…`) get none: they sign in with their password.
pub fn sign_in_page(link: &str) -> Option<String> {
    const PAGES: [(&str, &str); 4] = [
        ("/speaker/enter/", "/speaker/login"),
        ("/speaker/proposals/confirm/", "/speaker/login"),
        ("/volunteer/enter/", "/volunteer/login"),
        ("/volunteer/accept/", "/volunteer/login"),
    ];
    PAGES
        .iter()
        .find_map(|(marker, page)| link.find(marker).map(|i| format!("{}{page}", &link[..i])))
}

/// "Link used or ran out? Get a new one: …", a quiet line under the link (see `sign_in_page`).
pub fn sign_in_again(lang: Lang, link: &str) -> Option<Part> {
    let page = sign_in_page(link)?;
    let lead = lang.t("journeys.email.sign_in_again");
    let label = lang.t("journeys.email.sign_in_again_link");
    // Chinese runs on without a space and takes a full-width colon.
    let (space, colon) = match lang {
        Lang::En => (" ", ": "),
        Lang::ZhCn => ("", "："),
    };
    Some(Part::Rich {
        html: html! {
            p style="margin:0 0 16px;color:#5b6475;font-size:13px" {
                (lead) (space) a href=(page) style="color:#5b6475" { (label) }
            }
        }
        .into_string(),
        text: format!("{lead}{space}{label}{colon}{page}"),
    })
}

/// `parts` with the "sign in again" line for `link` at the end (see `sign_in_again`).
fn and_sign_in_again(mut parts: Vec<Part>, lang: Lang, link: &str) -> Vec<Part> {
    parts.extend(sign_in_again(lang, link));
    parts
}

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

/// An organizer's own message to a segment of people; `body` is Markdown with its
/// placeholders already filled for this recipient.
pub fn bulk(lang: Lang, subject: &str, body_markdown: &str, name: &str, tour: &str) -> Rendered {
    let html = crate::format::markdown_html(body_markdown);
    compose(
        lang,
        subject.to_owned(),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Rich {
                html,
                text: body_markdown.to_owned(),
            },
            Part::Text(lang.tf("email.bulk.why", &[("tour", tour)])),
        ],
    )
}

/// What e-mails about a stop say about it.
pub struct StopMail {
    pub tour: String,
    pub city: String,
    /// The time range in the stop's zone, in the recipient's language.
    pub when: String,
    pub venue: String,
    pub address: String,
    pub directions: String,
    pub contact: Option<String>,
    pub id_check: bool,
}

impl StopMail {
    pub(crate) fn facts(&self, lang: Lang) -> Part {
        let mut lines = vec![
            (lang.t("stop.when").into_owned(), self.when.clone()),
            (
                lang.t("stop.where").into_owned(),
                format!("{}\n{}", self.venue, self.address),
            ),
        ];
        if !self.directions.is_empty() {
            lines.push((
                lang.t("stop.directions").into_owned(),
                self.directions.clone(),
            ));
        }
        if self.id_check {
            lines.push((
                lang.t("stop.id_check").into_owned(),
                lang.t("stop.id_check_note").into_owned(),
            ));
        }
        Part::Facts(lines)
    }

    pub(crate) fn title(&self) -> String {
        format!("{} · {}", self.tour, self.city)
    }

    fn contact(&self, lang: Lang) -> Option<Part> {
        self.contact
            .as_ref()
            .map(|c| Part::Text(lang.tf("email.contact", &[("email", c)])))
    }
}

fn ticket(lang: Lang, code: &str, qr_data: &str) -> Part {
    Part::Rich {
        html: format!(
            "<p style=\"margin:0 0 8px\">{}</p><p style=\"font-size:28px;letter-spacing:4px;font-weight:700;margin:0 0 8px;font-family:monospace\">{}</p>{}",
            maud::html! { (lang.t("email.ticket.code")) }.into_string(),
            maud::html! { (code) }.into_string(),
            crate::qr::mail_marker(qr_data)
        ),
        text: format!("{}{}{}", lang.t("email.ticket.code"), lang.colon(), code),
    }
}

pub(crate) fn with_contact(mut parts: Vec<Part>, s: &StopMail, lang: Lang) -> Vec<Part> {
    if let Some(c) = s.contact(lang) {
        parts.push(c);
    }
    parts
}

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

/// The organizers' decision on a proposal (`stops`: where it was accepted).
/// What the organizers decided about a proposal.
pub struct Decision<'a> {
    pub accepted: bool,
    /// Where it was accepted.
    pub stops: &'a [String],
    pub message: &'a str,
}

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

/// A volunteer took a task.
pub fn claim_confirmed(
    lang: Lang,
    name: &str,
    s: &StopMail,
    task: &str,
    when: &str,
    link: &str,
    hours: (i64, i64),
) -> Rendered {
    let (link_hours, release_hours) = hours;
    compose(
        lang,
        lang.tf(
            "email.claim.subject",
            &[("task", task), ("stop", &s.title())],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.claim.lead",
                        &[("task", task), ("stop", &s.title()), ("when", when)],
                    )),
                    s.facts(lang),
                    Part::Link {
                        label: lang.t("email.volunteer.action").into_owned(),
                        url: link.to_owned(),
                    },
                    link_expiry(lang, link_hours),
                    Part::Text(lang.tf(
                        "email.claim.release",
                        &[("duration", &crate::format::hours(lang, release_hours))],
                    )),
                ],
                lang,
                link,
            ),
            s,
            lang,
        ),
    )
}

/// The day before: what, when, where.
pub fn volunteer_reminder(
    lang: Lang,
    name: &str,
    s: &StopMail,
    tasks: &str,
    link: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.volunteer_reminder.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.volunteer_reminder.lead",
                        &[("stop", &s.title()), ("tasks", tasks)],
                    )),
                    s.facts(lang),
                    Part::Link {
                        label: lang.t("email.volunteer.action").into_owned(),
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

/// An attendee who would like to volunteer is invited to a task.
pub fn volunteer_invite(lang: Lang, name: &str, s: &StopMail, task: &str, link: &str) -> Rendered {
    compose(
        lang,
        lang.tf("email.volunteer_invite.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.volunteer_invite.lead",
                        &[("stop", &s.title()), ("task", task)],
                    )),
                    Part::Link {
                        label: lang.t("email.volunteer_invite.action").into_owned(),
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

/// A material is asked for after the stop (and again until it is received).
pub fn material_request(
    lang: Lang,
    name: &str,
    s: &StopMail,
    what: &str,
    reminder: bool,
    link: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf(
            if reminder {
                "email.material.subject_reminder"
            } else {
                "email.material.subject"
            },
            &[("what", what), ("stop", &s.title())],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.material.lead",
                        &[("what", what), ("stop", &s.title())],
                    )),
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

pub(crate) fn sample_stop(lang: Lang) -> StopMail {
    StopMail {
        tour: "OpenStack China Tour 2012".into(),
        city: "北京".into(),
        when: match lang {
            Lang::En => "Sun 16 Sep 2012, 13:30–17:30 (Asia/Shanghai)".into(),
            Lang::ZhCn => "2012年9月16日 周日 13:30–17:30（Asia/Shanghai）".into(),
        },
        venue: "盛大创新院 Shanda Innovations".into(),
        address: "北京市海淀区".into(),
        directions: "3F, take the lift on the left".into(),
        contact: Some("cosug@example.org".into()),
        id_check: true,
    }
}

/// Every template with sample data, for the organizers' preview.
pub fn samples(lang: Lang, base_url: &str) -> Vec<(&'static str, Rendered)> {
    let link = format!("{base_url}/example-link");
    vec![
        (
            "organizer_invite",
            organizer_invite(lang, "Hui Cheng", Some("OpenStack China Tour 2012"), &link),
        ),
        ("password_reset", password_reset(lang, &link, 24)),
        (
            "sign_in_link",
            sign_in_link(
                lang,
                "Rongze Zhu",
                &lang.t("email.sign_in.speaker_page"),
                &link,
                24,
            ),
        ),
        (
            "bulk",
            bulk(
                lang,
                "Slides from Beijing",
                "Thank you for coming, **Yejia**! The slides are online.",
                "Yejia Xu",
                "OpenStack China Tour 2012",
            ),
        ),
        (
            "registration_confirmed",
            registration_confirmed(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                "7KQ4MX",
                "https://roadshow.example/desk",
                &link,
            ),
        ),
        (
            "registration_waitlisted",
            registration_waitlisted(lang, "Yejia Xu", &sample_stop(lang), 3, &link),
        ),
        (
            "registration_promoted",
            registration_promoted(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                "7KQ4MX",
                "https://roadshow.example/desk",
                &link,
            ),
        ),
        (
            "registration_cancelled",
            registration_cancelled(lang, "Yejia Xu", &sample_stop(lang), &link),
        ),
        (
            "registration_again",
            registration_again(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                &lang.t("registration_status.confirmed"),
                &link,
            ),
        ),
        (
            "reminder",
            reminder(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                "7KQ4MX",
                "https://roadshow.example/desk",
                &link,
            ),
        ),
        (
            "still_coming",
            still_coming(lang, "Yejia Xu", &sample_stop(lang), &link, &link),
        ),
        (
            "venue_switch",
            venue_switch(
                lang,
                "Yejia Xu",
                &sample_stop(lang),
                "3W Coffee",
                "blackout in the building",
                Some(&link),
            ),
        ),
        (
            "desk_access",
            people::desk_link(
                lang,
                "Shake Chen",
                &sample_stop(lang),
                &link,
                (
                    chrono::Duration::hours(72),
                    match lang {
                        Lang::En => "Sun 16 Sep 2012, 17:30 (Asia/Shanghai)",
                        Lang::ZhCn => "2012年9月16日 周日 17:30（Asia/Shanghai）",
                    },
                ),
                &format!("{base_url}/desk/example/login"),
            ),
        ),
        (
            "registration_new_link",
            people::registration_new_link(lang, "Yejia Xu", &sample_stop(lang), &link),
        ),
        ("organizer_sign_in", accounts::sign_in_link(lang, &link, 30)),
        (
            "proposal_decided",
            proposal_decided(
                lang,
                "Rongze Zhu",
                "OpenStack China Tour 2012",
                "OpenStack Block Storage: Cinder",
                Decision {
                    accepted: true,
                    stops: &["北京".into(), "深圳".into()],
                    message: "See you there!",
                },
                &link,
            ),
        ),
        (
            "slot_changed",
            slot_changed(
                lang,
                "Rongze Zhu",
                &sample_stop(lang),
                "OpenStack Block Storage: Cinder",
                "moved",
                "Sun 16 Sep 2012, 14:30–15:10 (Asia/Shanghai)",
                &link,
            ),
        ),
        (
            "unconfirmed_slots",
            unconfirmed_slots(
                lang,
                &sample_stop(lang),
                &["14:30 (Asia/Shanghai) OpenStack Block Storage: Cinder (Rongze Zhu)".into()],
                &link,
            ),
        ),
        (
            "claim_confirmed",
            claim_confirmed(
                lang,
                "Shake Chen",
                &sample_stop(lang),
                &lang.t("task_kind.registration_desk"),
                "Sun 16 Sep 2012, 13:00–14:00 (Asia/Shanghai)",
                &link,
                (24, 24),
            ),
        ),
        (
            "volunteer_reminder",
            volunteer_reminder(
                lang,
                "Shake Chen",
                &sample_stop(lang),
                &lang.t("task_kind.photos"),
                &link,
            ),
        ),
        (
            "volunteer_invite",
            volunteer_invite(
                lang,
                "Shake Chen",
                &sample_stop(lang),
                &lang.t("task_kind.photos"),
                &link,
            ),
        ),
        (
            "material_request",
            material_request(
                lang,
                "Rongze Zhu",
                &sample_stop(lang),
                "OpenStack Block Storage: Cinder",
                false,
                &link,
            ),
        ),
    ]
    .into_iter()
    .chain(speakers::samples(lang, base_url))
    .chain(attendees::samples(lang, base_url))
    .chain(journeys::samples(lang, base_url))
    .chain(venues::samples(lang, base_url))
    .chain(lifecycle::samples(lang, base_url))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_in_both_languages_with_its_link() {
        for lang in Lang::ALL {
            for (kind, r) in samples(lang, "https://roadshow.example") {
                assert!(!r.subject.is_empty(), "{kind}");
                assert!(
                    !r.text.contains("??") && !r.html.contains("??") && !r.subject.contains("??"),
                    "{kind} {lang:?} misses a string"
                );
                if kind != "bulk" {
                    assert!(
                        r.text.contains("https://roadshow.example/example-link"),
                        "{kind}"
                    );
                    assert!(
                        r.html
                            .contains("href=\"https://roadshow.example/example-link\""),
                        "{kind}"
                    );
                }
            }
        }
    }

    #[test]
    fn bulk_markdown_cannot_inject_scripts() {
        let r = bulk(
            Lang::En,
            "Hi",
            "Hi <script>alert(1)</script> **ok**",
            "A",
            "T",
        );
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("<strong>ok</strong>"));
    }
}
