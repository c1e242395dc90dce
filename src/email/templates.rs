//! Every kind of message: a subject, a plain-text body and an HTML body (maud), in the
//! recipient's language, with links built from the public base URL.

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
            Part::Link { label, url } => text.push_str(&format!("{label}:\n{url}")),
            Part::Rich { text: t, .. } => text.push_str(t),
            Part::Facts(lines) => {
                let joined: Vec<String> = lines.iter().map(|(k, v)| format!("{k}: {v}")).collect();
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
            Part::Text(lang.tf("email.link_expiry", &[("hours", &hours.to_string())])),
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
            Part::Text(lang.tf("email.link_expiry", &[("hours", &hours.to_string())])),
            Part::Text(lang.t("email.sign_in.not_you").into_owned()),
        ],
    )
}

/// An organizer's own message to a segment of people; `body` is Markdown with its
/// placeholders already filled for this recipient.
pub fn bulk(lang: Lang, subject: &str, body_markdown: &str, name: &str, tour: &str) -> Rendered {
    let html = crate::views::components::markdown(body_markdown).into_string();
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
    ]
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
