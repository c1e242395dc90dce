//! Two instances of the real binary against one PostgreSQL, requests alternating between them
//! as a plain round-robin balancer would send them.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use diesel::prelude::*;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::binary::Server;
use crate::helpers::*;

const TARGET: i64 = 100;
const ATTEMPTS: usize = 400;

fn mail_ids(dir: &Path) -> HashSet<String> {
    std::fs::read_dir(dir.join("mail"))
        .map(|d| {
            d.map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".eml")
                    .to_owned()
            })
            .collect()
        })
        .unwrap_or_default()
}

async fn csrf_of(client: &reqwest::Client, url: &str) -> String {
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200, "GET {url}");
    let html = scraper::Html::parse_document(&res.text().await.unwrap());
    attr(&html, "input[name=_csrf]", "value").expect("a CSRF field")
}

#[actix_web::test]
async fn two_instances_share_the_target_the_outbox_and_sessions() {
    let Some(app) = spawn_app(Backend::Postgres).await else {
        eprintln!("PostgreSQL unreachable: two-instance test skipped");
        return;
    };
    let hui = app.organizer("hui@example.org").await;
    let s = app.open_stop(&hui, TARGET, Some(1.0), 20).await;
    let url = app.state.settings.database_url();
    // Both sign sessions with one key, and build links from one public address.
    let key = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
    let env = [
        ("ROADSHOW_SECRET_KEY", key.as_str()),
        ("ROADSHOW_MAIL_LEASE_SECS", "120"),
    ];
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Server::start_with(&url, dir_a.path(), None, &env).await;
    let b = Server::start_with(&url, dir_b.path(), Some(&a.base), &env).await;
    let instances = [a.base.clone(), b.base.clone()];

    // A storm of registrations, alternating.
    let client = reqwest::Client::new();
    let answers: Vec<(u16, Value)> = futures_util::stream::iter(0..ATTEMPTS)
        .map(|n| {
            let (client, base, stop) = (client.clone(), instances[n % 2].clone(), s.stop_id.clone());
            async move {
                json(
                    client
                        .post(format!("{base}/api/v1/stops/{stop}/registrations"))
                        .json(&json!({"name": format!("Person {n}"), "email": format!("p{n}@example.org")}))
                        .send()
                        .await
                        .unwrap(),
                )
                .await
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert!(
        answers.iter().all(|(status, _)| *status == 201),
        "every attempt answered"
    );
    let confirmed = answers
        .iter()
        .filter(|(_, r)| r["status"] == "confirmed")
        .count() as i64;
    assert_eq!(
        confirmed, TARGET,
        "exactly the target confirmed across both instances"
    );
    let stop_id = s.stop_id.clone();
    app.db(move |conn| {
        use roadshow::db::schema::{registrations, stop_counters};
        let rows: Vec<String> = registrations::table
            .filter(registrations::stop_id.eq(&stop_id))
            .select(registrations::status)
            .load(conn)
            .unwrap();
        let count = |status: &str| rows.iter().filter(|s| *s == status).count() as i32;
        let counters: (i32, i32) = stop_counters::table
            .find(&stop_id)
            .select((stop_counters::confirmed, stop_counters::waitlisted))
            .first(conn)
            .unwrap();
        assert_eq!(counters, (count("confirmed"), count("waitlisted")));
        assert_eq!(i64::from(count("confirmed")), TARGET);
    })
    .await;

    // Both workers send; each message is sent by one of them only.
    let deadline = Instant::now() + Duration::from_secs(60);
    let ids: HashSet<String> = loop {
        let (ids, unsent) = app
            .db(|conn| {
                use roadshow::db::schema::outbox;
                let rows: Vec<(String, String)> = outbox::table
                    .select((outbox::id, outbox::status))
                    .load(conn)
                    .unwrap();
                let unsent = rows.iter().filter(|(_, s)| s != "sent").count();
                (
                    rows.into_iter().map(|(id, _)| id).collect::<HashSet<_>>(),
                    unsent,
                )
            })
            .await;
        if unsent == 0 {
            break ids;
        }
        assert!(Instant::now() < deadline, "{unsent} messages still unsent");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };
    let (sent_a, sent_b) = (mail_ids(dir_a.path()), mail_ids(dir_b.path()));
    assert!(
        sent_a.is_disjoint(&sent_b),
        "no message sent by both instances"
    );
    assert_eq!(&sent_a | &sent_b, ids, "every message sent");
    assert!(ids.len() >= ATTEMPTS);
    eprintln!(
        "two instances: {ATTEMPTS} registrations, {confirmed} confirmed; {} e-mails sent by A, {} by B",
        sent_a.len(),
        sent_b.len()
    );

    // A session started on one instance works on the other, and so do its CSRF tokens.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let csrf = csrf_of(&browser, &format!("{}/login", instances[0])).await;
    let res = browser
        .post(format!("{}/login", instances[1]))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("email", "hui@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "signed in on B with a form served by A");
    for base in &instances {
        let res = browser.get(format!("{base}/manage")).send().await.unwrap();
        assert_eq!(res.status(), 200, "signed in on {base}");
    }
    let csrf = csrf_of(&browser, &format!("{}/manage/tours/new", instances[1])).await;
    let res = browser
        .post(format!("{}/manage/tours/new", instances[0]))
        .form(&[("_csrf", csrf.as_str()), ("name", "Made across instances")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "a form from B accepted by A");
    let (_, tours) = json(app.get(&hui, "/api/v1/tours").await).await;
    assert!(
        tours
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Made across instances")
    );
}
