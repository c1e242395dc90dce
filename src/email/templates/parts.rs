//! The building blocks every template shares: a message as paragraphs (`Part`), composed
//! into its subject, text and HTML (`compose`); the lines about a one-time link; what a
//! message about a stop says about it (`StopMail`), and a ticket.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::i18n::Lang;

/// A message as sent: its subject, a plain-text body and an HTML body (maud).
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
pub fn and_sign_in_again(mut parts: Vec<Part>, lang: Lang, link: &str) -> Vec<Part> {
    parts.extend(sign_in_again(lang, link));
    parts
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

/// The ticket's code in large type and, in HTML, its QR code (drawn when the message is
/// sent: `qr::mail_marker`).
pub fn ticket(lang: Lang, code: &str, qr_data: &str) -> Part {
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

/// `parts` with the stop's contact address at the end, when it has one.
pub fn with_contact(mut parts: Vec<Part>, s: &StopMail, lang: Lang) -> Vec<Part> {
    if let Some(c) = s.contact(lang) {
        parts.push(c);
    }
    parts
}
