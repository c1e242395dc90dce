//! E-mail: a message (a `Mail`, one variant per kind) is rendered from its template and
//! written to the outbox in the caller's transaction; `crate::worker` sends it later through
//! a `transport::Mailer`.

mod mail;
pub mod samples;
mod templates;
pub mod transport;

use serde::{Deserialize, Serialize};

use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::models::outbox::{NewOutboxMessage, OutboxMessage, OutboxStatus};

pub use crate::models::outbox::MailKind;
pub use mail::{Mail, Ticket};
pub use templates::parts::{Rendered, StopMail};
pub use templates::speakers::Decision;
pub use templates::venues::AffectedStop;
pub use templates::volunteers::{TaskClaim, TasksTaken};

/// A file sent with a message (calendar entries).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
}

/// Where links in e-mails point, and the host part of Message-IDs.
#[derive(Clone, Debug)]
pub struct Links {
    base_url: String,
}

impl Links {
    pub fn new(base_url: &str) -> Self {
        Links {
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn base(&self) -> &str {
        &self.base_url
    }

    fn host(&self) -> String {
        url::Url::parse(&self.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "roadshow.local".into())
    }
}

/// One message to one person.
pub struct Email {
    pub kind: MailKind,
    pub to_email: String,
    pub to_name: String,
    pub reply_to: Option<String>,
    pub content: Rendered,
    pub attachments: Vec<Attachment>,
    pub tour_id: Option<String>,
    pub stop_id: Option<String>,
    pub batch_id: Option<String>,
}

impl Email {
    /// `mail` to one person, rendered now in their language (`lang`).
    pub fn new(mail: Mail, lang: Lang, to_email: &str, to_name: &str) -> Self {
        Email {
            kind: mail.kind(),
            to_email: to_email.to_owned(),
            to_name: to_name.to_owned(),
            reply_to: None,
            content: mail.render(lang),
            attachments: Vec::new(),
            tour_id: None,
            stop_id: None,
            batch_id: None,
        }
    }

    pub fn for_tour(mut self, tour_id: &str) -> Self {
        self.tour_id = Some(tour_id.to_owned());
        self
    }

    pub fn for_stop(mut self, tour_id: &str, stop_id: &str) -> Self {
        self.tour_id = Some(tour_id.to_owned());
        self.stop_id = Some(stop_id.to_owned());
        self
    }

    pub fn reply_to(mut self, address: Option<&str>) -> Self {
        self.reply_to = address.map(str::to_owned);
        self
    }

    pub fn attach(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }
}

/// Writes the message to the outbox, in the caller's transaction: if that rolls back, the
/// message was never sent; if it commits, the worker will send it. The Message-ID is fixed
/// now, so a resend after a crash is recognisable as the same message.
pub fn enqueue(
    conn: &mut DbConnection,
    links: &Links,
    email: Email,
) -> diesel::QueryResult<String> {
    let row = outbox_row(links, email, db::now());
    OutboxMessage::insert(conn, &row)?;
    Ok(row.id)
}

/// Queues several messages with one statement (a batch of registrations).
pub fn enqueue_many(
    conn: &mut DbConnection,
    links: &Links,
    emails: Vec<Email>,
) -> diesel::QueryResult<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let now = db::now();
    let rows: Vec<NewOutboxMessage> = emails
        .into_iter()
        .map(|e| outbox_row(links, e, now))
        .collect();
    OutboxMessage::insert_many(conn, &rows)
}

fn outbox_row(links: &Links, email: Email, now: chrono::NaiveDateTime) -> NewOutboxMessage {
    let id = db::new_id();
    NewOutboxMessage {
        message_id: format!("<{id}@{}>", links.host()),
        id,
        kind: email.kind.as_str().to_owned(),
        to_email: email.to_email,
        to_name: email.to_name,
        reply_to: email.reply_to,
        subject: email.content.subject,
        body_text: email.content.text,
        body_html: email.content.html,
        attachments: serde_json::to_string(&email.attachments).unwrap_or_else(|_| "[]".into()),
        tour_id: email.tour_id,
        stop_id: email.stop_id,
        batch_id: email.batch_id,
        status: OutboxStatus::Queued,
        next_attempt_at: now,
        created_at: now,
    }
}
