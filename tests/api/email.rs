//! E-mail: the outbox, the worker, both transports, retries, and links that work once.

use std::time::Duration;

use roadshow::email::{self, Email, Mail, MailKind};
use roadshow::error::{AppError, ErrorCode};
use roadshow::i18n::Lang;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;
use crate::smtp::TestSmtp;

fn test_email(to: &str, subject: &str) -> Email {
    Email::new(
        Mail::Bulk {
            subject: subject.into(),
            body: "Body".into(),
            tour: "Test Tour",
            test: None,
        },
        Lang::En,
        to,
        "Test Person",
    )
}

/// Queues `n` messages, each in its own committed transaction.
async fn queue(app: &TestApp, n: usize) {
    let links = app.state.env.links.clone();
    app.db(move |conn| {
        for i in 0..n {
            email::enqueue(
                conn,
                &links,
                test_email(&format!("person{i}@example.org"), &format!("Message {i}")),
            )
            .unwrap();
        }
    })
    .await;
}

async fn outbox_rows(app: &TestApp) -> Vec<roadshow::models::outbox::OutboxMessage> {
    app.db(|conn| roadshow::models::outbox::OutboxMessage::list(conn, None, None, 10_000).unwrap())
        .await
}

both_backends! {
    async fn a_committed_message_is_delivered_and_a_rolled_back_one_is_not(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "OpenStack China Tour").await;
        let tour_id = tour["id"].as_str().unwrap();
        // A real change that sends mail: a new co-organizer is invited.
        app.post_ok(&hui, &format!("/api/v1/tours/{tour_id}/members"), &json!({"email": "new@example.org", "role": "organizer"}), 201).await;
        // A change that fails after queueing its message rolls the message back with it.
        let links = app.state.env.links.clone();
        let failed: Result<(), AppError> = app
            .db(move |conn| {
                roadshow::db::write_transaction(conn, |conn| {
                    email::enqueue(conn, &links, test_email("ghost@example.org", "never"))?;
                    Err(AppError::conflict(ErrorCode::Duplicate, "the change failed"))
                })
            })
            .await;
        assert!(failed.is_err());

        assert_eq!(app.drain().await, 1);
        let mails = app.mail_files();
        assert_eq!(mails.len(), 1);
        let invite = &app.mails_to("new@example.org")[0];
        assert_eq!(invite.subject, "You are invited to organize on roadshow");
        assert!(invite.link("/invite/").starts_with(&app.address));
        assert!(invite.raw.contains("Content-Type: multipart/alternative"));
        let rows = outbox_rows(&app).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].status.as_str(), "sent");
        assert_eq!(invite.message_id, rows[0].message_id, "the stable Message-ID is the one sent");
        assert!(app.mails_to("ghost@example.org").is_empty());
        // Draining again sends nothing twice.
        assert_eq!(app.drain().await, 0);
        assert_eq!(app.mail_files().len(), 1);

        // The organizers see it in the tour's outbox.
        let (status, list) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/outbox")).await).await;
        assert_eq!(status, 200);
        assert_eq!(list[0]["status"], "sent");
        assert_eq!(list[0]["to_email"], "new@example.org");
        let eve = app.organizer("eve@example.org").await;
        let (status, _) = json(app.get(&eve, &format!("/api/v1/tours/{tour_id}/outbox")).await).await;
        assert_eq!(status, 404);
    }

    async fn a_password_reset_link_works_once(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let b = app.browser();
        let csrf = b.csrf_of("/password/forgot").await;
        let res = b.post_form("/password/forgot", &[("_csrf", &csrf), ("email", "HUI@example.org")]).await;
        assert_eq!(res.status(), 200);
        // An unknown address gets the same answer and no mail.
        let res = b.post_form("/password/forgot", &[("_csrf", &csrf), ("email", "nobody@example.org")]).await;
        assert_eq!(res.status(), 200);
        app.drain().await;
        assert_eq!(app.mail_files().len(), 1);
        let link = app.mails_to("hui@example.org")[0].link("/password/reset/");
        let path = link.trim_start_matches(&app.address).to_owned();

        let csrf = b.csrf_of(&path).await;
        let res = b.post_form(&path, &[("_csrf", &csrf), ("password", "a brand new password")]).await;
        assert_eq!(res.status(), 303);
        let (status, _) = b.page("/manage").await;
        assert_eq!(status, 200, "signed in after the reset");
        // Used once: the link is dead now.
        let (status, _) = app.browser().page(&path).await;
        assert_eq!(status, 404);
        let csrf = b.csrf_of("/manage").await;
        let res = b.post_form(&path, &[("_csrf", &csrf), ("password", "yet another password")]).await;
        assert_eq!(res.status(), 404);
        // The new password works for the API too; the old one does not.
        let (status, _) = json(app.api.post(app.url("/api/v1/tokens")).json(&json!({"email": hui.email, "password": "a brand new password"})).send().await.unwrap()).await;
        assert_eq!(status, 201);
        let (status, _) = json(app.api.post(app.url("/api/v1/tokens")).json(&json!({"email": hui.email, "password": PASSWORD})).send().await.unwrap()).await;
        assert_eq!(status, 401);
    }
}

#[actix_web::test]
async fn an_expired_link_does_not_work() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rules.magic_link_hours = 0)
        .await
        .unwrap();
    app.organizer("hui@example.org").await;
    let b = app.browser();
    let csrf = b.csrf_of("/password/forgot").await;
    b.post_form(
        "/password/forgot",
        &[("_csrf", &csrf), ("email", "hui@example.org")],
    )
    .await;
    app.drain().await;
    let link = app.mails_to("hui@example.org")[0].link("/password/reset/");
    let (status, _) = b.page(link.trim_start_matches(&app.address)).await;
    assert_eq!(status, 404);
}

/// Runs an e-mail case on SQLite and on PostgreSQL with an SMTP server in front.
macro_rules! with_smtp {
    ($(async fn $name:ident($app:ident: TestApp, $smtp:ident: TestSmtp, refuse = $refuse:expr, max_attempts = $max:expr) $body:block)*) => {
        $(
            mod $name {
                use super::*;
                async fn case($app: TestApp, $smtp: TestSmtp) $body

                async fn start(backend: Backend) -> Option<(TestApp, TestSmtp)> {
                    let smtp = TestSmtp::start($refuse).await;
                    let url = smtp.url();
                    let app = spawn_app_with(backend, |s| {
                        s.mail.smtp_url = url.into();
                        s.mail.mail_retry_base_secs = 0;
                        s.mail.mail_max_attempts = $max;
                    })
                    .await?;
                    Some((app, smtp))
                }

                #[actix_web::test]
                async fn sqlite() {
                    let (app, smtp) = start(Backend::Sqlite).await.unwrap();
                    case(app, smtp).await
                }

                #[actix_web::test]
                async fn postgres() {
                    if let Some((app, smtp)) = start(Backend::Postgres).await {
                        case(app, smtp).await
                    }
                }
            }
        )*
    };
}

with_smtp! {
    async fn smtp_delivers_with_the_right_headers(app: TestApp, smtp: TestSmtp, refuse = 0, max_attempts = 5) {
        app.organizer("hui@example.org").await;
        let links = app.state.env.links.clone();
        app.db(move |conn| {
            let mail = Mail::PasswordReset { link: &links.url("/password/reset/abc"), hours: 24 };
            email::enqueue(conn, &links, Email::new(mail, Lang::ZhCn, "hui@example.org", "程辉").reply_to(Some("team@example.org"))).unwrap();
        })
        .await;
        assert_eq!(app.drain().await, 1);
        let got = smtp.messages();
        assert_eq!(got.len(), 1);
        let m = &got[0];
        assert_eq!(m.rcpt_to, vec!["<hui@example.org>"]);
        assert!(m.mail_from.starts_with("<roadshow@localhost>"), "{}", m.mail_from);
        let rows = outbox_rows(&app).await;
        assert_eq!(m.header("Message-ID").unwrap(), rows[0].message_id);
        assert!(m.header("To").unwrap().contains("hui@example.org"));
        assert!(m.header("From").unwrap().contains("roadshow@localhost"));
        assert!(m.header("Reply-To").unwrap().contains("team@example.org"));
        assert!(m.header("Date").is_some());
        assert!(m.header("Subject").unwrap().starts_with("=?utf-8?"), "a Chinese subject is encoded");
        assert!(m.data.contains("multipart/alternative"));
        assert!(m.data.contains("text/html"));
        assert_eq!(rows[0].status.as_str(), "sent");
    }

    async fn a_refused_message_is_delivered_on_a_later_retry_exactly_once(app: TestApp, smtp: TestSmtp, refuse = 2, max_attempts = 5) {
        queue(&app, 1).await;
        app.drain().await;
        let row = &outbox_rows(&app).await[0];
        assert_eq!(row.status.as_str(), "queued", "waiting for its retry");
        assert_eq!(row.attempts, 1);
        assert!(row.last_error.as_deref().unwrap().contains("451"), "{:?}", row.last_error);
        assert!(smtp.messages().is_empty());
        for _ in 0..2 {
            tokio::time::sleep(Duration::from_millis(1100)).await;
            app.drain().await;
        }
        assert_eq!(smtp.messages().len(), 1);
        let row = &outbox_rows(&app).await[0];
        assert_eq!(row.status.as_str(), "sent");
        assert_eq!(row.attempts, 3);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        app.drain().await;
        assert_eq!(smtp.messages().len(), 1, "never twice");
    }

    async fn a_message_that_keeps_failing_is_marked_failed_and_can_be_retried_by_hand(app: TestApp, smtp: TestSmtp, refuse = 1000, max_attempts = 2) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let tour_id = tour["id"].as_str().unwrap();
        app.post_ok(&hui, &format!("/api/v1/tours/{tour_id}/members"), &json!({"email": "new@example.org", "role": "organizer"}), 201).await;
        app.drain().await;
        tokio::time::sleep(Duration::from_millis(1100)).await;
        app.drain().await;
        let (_, failed) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/outbox?status=failed")).await).await;
        assert_eq!(failed.as_array().unwrap().len(), 1, "{failed}");
        assert_eq!(failed[0]["attempts"], 2);
        assert!(failed[0]["last_error"].as_str().unwrap().contains("451"));
        // The organizers' page shows it with the reason.
        let b = app.signed_in_browser(&hui).await;
        let (_, page) = b.page(&format!("/manage/tours/{tour_id}/outbox")).await;
        assert!(select_text(&page, "small.error").iter().any(|e| e.contains("451")));

        smtp.refuse_next(0);
        let id = failed[0]["id"].as_str().unwrap();
        let (status, again) = json(app.post(&hui, &format!("/api/v1/outbox/{id}/retry"), &json!({})).await).await;
        assert_eq!(status, 200);
        assert_eq!(again["status"], "queued");
        let (status, _) = json(app.post(&hui, &format!("/api/v1/outbox/{id}/retry"), &json!({})).await).await;
        assert_eq!(status, 409, "only failed messages");
        app.drain().await;
        assert_eq!(smtp.messages().len(), 1);
    }

    async fn two_workers_deliver_each_of_500_messages_exactly_once(app: TestApp, smtp: TestSmtp, refuse = 0, max_attempts = 5) {
        let url = smtp.url();
        let second = spawn_instance_sharing(&app, |s| {
            s.mail.smtp_url = url.into();
        })
        .await;
        queue(&app, 500).await;
        let (a, b) = futures_util::join!(app.drain(), second.drain());
        assert_eq!(a + b, 500, "every message claimed once: {a} + {b}");
        let got = smtp.messages();
        assert_eq!(got.len(), 500);
        let mut ids: Vec<String> = got.iter().map(|m| m.header("Message-ID").unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 500, "no message twice");
        assert!(outbox_rows(&app).await.iter().all(|r| r.status.as_str() == "sent"));
    }
}

#[actix_web::test]
async fn organizers_preview_every_template_in_both_languages() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let hui = app.organizer("hui@example.org").await;
    let b = app.signed_in_browser(&hui).await;
    let (status, page) = b.page("/manage/emails").await;
    assert_eq!(status, 200);
    let links: Vec<String> = {
        let sel = scraper::Selector::parse("main li a").unwrap();
        page.select(&sel)
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect()
    };
    // Each template in both languages (counted from the links, so that a new kind of e-mail
    // does not change this line).
    let mut per_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for l in &links {
        let kind = l
            .trim_start_matches("/manage/emails/")
            .split(['?', '/'])
            .next()
            .unwrap()
            .to_owned();
        *per_kind.entry(kind).or_default() += 1;
    }
    assert!(per_kind.len() >= 27, "{per_kind:?}");
    assert!(per_kind.values().all(|n| *n == 2), "{per_kind:?}");
    // Every kind of e-mail the code sends (`Email::new` takes a `Mail`, whose kind is a
    // `MailKind`) can be previewed.
    let sent_kinds: Vec<&str> = MailKind::ALL.iter().map(|k| k.as_str()).collect();
    assert!(sent_kinds.len() > 15, "{sent_kinds:?}");
    for kind in &sent_kinds {
        assert!(
            links
                .iter()
                .any(|l| l.contains(&format!("/manage/emails/{kind}"))),
            "{kind} is sent but cannot be previewed"
        );
    }
    for link in links {
        let (status, page) = b.page(&link).await;
        assert_eq!(status, 200, "{link}");
        assert!(!page.root_element().html().contains("??"), "{link}");
        let html_link = attr(&page, "main a[target=_blank]", "href").unwrap();
        let res = b.get(&html_link).await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("<html"));
    }
    // Not for anonymous visitors.
    assert_eq!(app.browser().get("/manage/emails").await.status(), 303);
}
