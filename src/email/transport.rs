//! Where messages go: files under the data folder (the default, nothing to set up), or an
//! SMTP relay over STARTTLS or TLS (rustls).

use std::path::PathBuf;

use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::email::Attachment;
use crate::error::StartupError;
use crate::models::outbox::OutboxMessage;

pub enum Mailer {
    /// One `<outbox id>.eml` file per message.
    File {
        dir: PathBuf,
        /// Told when a write fails for lack of space (`/readyz`).
        disk: std::sync::Arc<crate::disk::DiskWatch>,
    },
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://…:465` (TLS), or plain
    /// `smtp://host:25` on a trusted network; files when no URL is set.
    pub fn from_settings(
        settings: &Settings,
        disk: std::sync::Arc<crate::disk::DiskWatch>,
    ) -> Result<Mailer, StartupError> {
        let url = settings.mail.smtp_url.expose_secret().trim();
        if url.is_empty() {
            let dir = settings.data_dir.join("mail");
            std::fs::create_dir_all(&dir).map_err(|e| StartupError::folder(&dir, e))?;
            return Ok(Mailer::File { dir, disk });
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| StartupError::bad_setting("smtp_url", format!("cannot be used: {e}")))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Mailer::Smtp(transport))
    }

    pub fn describe(&self) -> String {
        match self {
            Mailer::File { dir, .. } => format!("files in {}", dir.display()),
            Mailer::Smtp(_) => "SMTP".into(),
        }
    }

    /// Sends one outbox message; the error text is what the organizers will see.
    pub async fn send(&self, from: &Mailbox, msg: &OutboxMessage) -> Result<(), String> {
        let message = build_message(from, msg)?;
        match self {
            Mailer::File { dir, disk } => {
                // Named by the outbox id and written through a rename: a resend after a
                // crash replaces the file instead of adding a second copy.
                let path = dir.join(format!("{}.eml", msg.id));
                let tmp = dir.join(format!(".{}.tmp", msg.id));
                let bytes = message.formatted();
                let written =
                    actix_web::rt::task::spawn_blocking(move || write_durably(&tmp, &path, &bytes))
                        .await
                        .map_err(|e| e.to_string())?;
                written.map_err(|e| {
                    if crate::error::io_is_out_of_space(&e) {
                        disk.record_full();
                    }
                    format!("writing the mail file: {e}")
                })
            }
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

/// Writes `bytes` to `tmp`, flushes it to the disk, renames it to `path` and flushes the
/// folder, so a crash leaves either the whole message or none. On failure (a full disk)
/// the partial `tmp` is removed rather than left behind.
fn write_durably(
    tmp: &std::path::Path,
    path: &std::path::Path,
    bytes: &[u8],
) -> std::io::Result<()> {
    use std::io::Write;
    let written = (|| {
        let mut file = std::fs::File::create(tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(tmp);
        return Err(e);
    }
    if let Some(folder) = path.parent() {
        // The rename is durable once the folder is; a failure here loses nothing written.
        let _ = std::fs::File::open(folder).and_then(|f| f.sync_all());
    }
    Ok(())
}

fn build_message(from: &Mailbox, msg: &OutboxMessage) -> Result<Message, String> {
    let to: Mailbox = if msg.to_name.is_empty() {
        msg.to_email.parse()
    } else {
        format!("{} <{}>", quote_name(&msg.to_name), msg.to_email).parse()
    }
    .map_err(|e| format!("bad recipient {}: {e}", msg.to_email))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&msg.subject)
        .message_id(Some(msg.message_id.clone()))
        .date_now();
    if let Some(reply) = msg
        .reply_to
        .as_deref()
        .and_then(|r| r.parse::<Mailbox>().ok())
    {
        builder = builder.reply_to(reply);
    }
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(msg.body_text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(crate::qr::expand_mail_markers(&msg.body_html).into_owned()),
        );
    let attachments: Vec<Attachment> = serde_json::from_str(&msg.attachments).unwrap_or_default();
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for a in attachments {
            let content_type =
                ContentType::parse(&a.content_type).map_err(|e| format!("attachment type: {e}"))?;
            mixed = mixed.singlepart(
                LettreAttachment::new(a.filename).body(a.content.into_bytes(), content_type),
            );
        }
        mixed
    };
    builder
        .multipart(body)
        .map_err(|e| format!("building the message: {e}"))
}

/// Display names with commas or quotes must be quoted to parse as one mailbox.
fn quote_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != '\\')
        .collect();
    format!("\"{clean}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_for_lack_of_space_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join(".m.tmp");
        let path = dir.path().join("m.eml");
        write_durably(&tmp, &path, b"hello").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        assert!(!tmp.exists());
        // /dev/full answers every write with ENOSPC.
        if std::path::Path::new("/dev/full").exists() {
            std::os::unix::fs::symlink("/dev/full", &tmp).unwrap();
            let e = write_durably(&tmp, &dir.path().join("n.eml"), b"hello").unwrap_err();
            assert!(crate::error::io_is_out_of_space(&e), "{e}");
            assert!(
                std::fs::symlink_metadata(&tmp).is_err(),
                "the temp file is gone"
            );
            assert!(!dir.path().join("n.eml").exists());
        }
    }
}
