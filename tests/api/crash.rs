//! Crash safety: the real binary is killed (SIGKILL) in the middle of a storm of registrations
//! and task claims, then started again on the same database. Whatever was answered 201 is
//! there exactly once, counters equal rows, no stop or task is over its limit, and the queued
//! e-mails are sent, once each.

use std::collections::HashSet;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::binary::Server;
use crate::both_backends;
use crate::helpers::*;

enum Attempt {
    Registration(usize),
    Claim(usize, String),
}

/// What the storm was answered: the ids named by 201s.
#[derive(Default)]
struct Answered {
    registrations: Vec<String>,
    claims: Vec<String>,
}

const REGISTRATIONS: usize = 1_200;
const TARGET: i64 = 150;
const TASKS: usize = 4;
const SLOTS: i64 = 30;
const CLAIMS: usize = 400;
/// The kill comes once this many registrations were answered 201.
const KILL_AFTER: usize = 250;

both_backends! {
    async fn a_kill_mid_storm_loses_nothing_answered_and_sends_each_mail_once(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, TARGET, Some(1.0), 20).await;
        let mut tasks = vec![];
        for n in 0..TASKS {
            let t = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "photos", "title": format!("Task {n}"), "slots": SLOTS}), 201).await;
            tasks.push(t["id"].as_str().unwrap().to_owned());
        }
        let database_url = app.state.settings.database_url();
        let data = tempfile::tempdir().unwrap();
        let mut server = Server::start(&database_url, data.path()).await;

        let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
        let ok = Rc::new(AtomicUsize::new(0));
        // Claims interleaved with the registrations, evenly.
        let mut attempts = vec![];
        let mut claims = 0;
        for n in 0..REGISTRATIONS {
            attempts.push(Attempt::Registration(n));
            while claims * REGISTRATIONS < (n + 1) * CLAIMS {
                attempts.push(Attempt::Claim(claims, tasks[claims % TASKS].clone()));
                claims += 1;
            }
        }
        let base = server.base.clone();
        let storm = futures_util::stream::iter(attempts)
            .map(|attempt| {
                let (client, base, ok) = (client.clone(), base.clone(), ok.clone());
                let stop_id = s.stop_id.clone();
                async move {
                    let (url, body, is_registration) = match &attempt {
                        Attempt::Registration(n) => (
                            format!("{base}/api/v1/stops/{stop_id}/registrations"),
                            json!({"name": format!("Person {n}"), "email": format!("person{n}@example.org")}),
                            true,
                        ),
                        Attempt::Claim(n, task) => (
                            format!("{base}/api/v1/tasks/{task}/claims"),
                            json!({"name": format!("Volunteer {n}"), "email": format!("volunteer{n}@example.org")}),
                            false,
                        ),
                    };
                    let res = client.post(url).json(&body).send().await.ok()?;
                    if res.status() != 201 {
                        return None;
                    }
                    let body: Value = res.json().await.ok()?;
                    if is_registration {
                        ok.fetch_add(1, Ordering::SeqCst);
                    }
                    Some((is_registration, body["id"].as_str()?.to_owned()))
                }
            })
            .buffer_unordered(32)
            .collect::<Vec<_>>();
        let killer = async {
            while ok.load(Ordering::SeqCst) < KILL_AFTER {
                actix_web::rt::time::sleep(Duration::from_millis(1)).await;
            }
            server.kill();
        };
        let (results, ()) = futures_util::join!(storm, killer);
        let mut answered = Answered::default();
        for (is_registration, id) in results.into_iter().flatten() {
            if is_registration {
                answered.registrations.push(id);
            } else {
                answered.claims.push(id);
            }
        }
        let refused = REGISTRATIONS + CLAIMS - answered.registrations.len() - answered.claims.len();
        eprintln!(
            "crash test: {} registrations and {} claims answered 201 before the kill, {} attempts unanswered",
            answered.registrations.len(), answered.claims.len(), refused
        );
        assert!(answered.registrations.len() >= KILL_AFTER);
        assert!(refused > 0, "the kill came in the middle of the storm");
        assert!((answered.claims.len() as i64) < SLOTS * TASKS as i64, "…of the claims too");

        // Started again on the same database and data folder.
        let server = Server::start(&database_url, data.path()).await;
        let (status, late) = json(client.post(format!("{}/api/v1/stops/{}/registrations", server.base, s.stop_id)).json(&json!({"name": "Late", "email": "late@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 201, "{late}");

        let stop_id = s.stop_id.clone();
        let ids = answered.registrations.clone();
        let claim_ids = answered.claims.clone();
        let task_ids = tasks.clone();
        app.db(move |conn| {
            use roadshow::db::schema::{claims, registrations, stop_counters, tasks};
            let rows: Vec<(String, String)> = registrations::table.filter(registrations::stop_id.eq(&stop_id))
                .select((registrations::id, registrations::status)).load(conn).unwrap();
            let present: HashSet<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
            assert_eq!(present.len(), rows.len());
            for id in &ids {
                assert!(present.contains(id.as_str()), "registration {id} was answered 201 and is lost");
            }
            let count = |status: &str| rows.iter().filter(|(_, s)| s == status).count() as i32;
            let counters: (i32, i32, i32) = stop_counters::table.find(&stop_id)
                .select((stop_counters::confirmed, stop_counters::waitlisted, stop_counters::cancelled)).first(conn).unwrap();
            assert_eq!(counters, (count("confirmed"), count("waitlisted"), count("cancelled")), "counters equal the rows");
            assert!(i64::from(count("confirmed")) <= TARGET, "never over target");
            assert_eq!(i64::from(count("confirmed")), TARGET, "the storm filled the stop");

            let held: Vec<(String, String)> = claims::table.filter(claims::status.eq("claimed"))
                .select((claims::id, claims::task_id)).load(conn).unwrap();
            let held_ids: HashSet<&str> = held.iter().map(|(id, _)| id.as_str()).collect();
            for id in &claim_ids {
                assert!(held_ids.contains(id.as_str()), "claim {id} was answered 201 and is lost");
            }
            for task in &task_ids {
                let claimed: i32 = tasks::table.find(task).select(tasks::claimed).first(conn).unwrap();
                let rows = held.iter().filter(|(_, t)| t == task).count() as i32;
                assert_eq!(claimed, rows, "the task's counter equals its claims");
                assert!(i64::from(claimed) <= SLOTS, "never over the slots");
            }
        }).await;

        // The worker of the restarted instance sends everything that was queued. The file
        // transport names each file by the message's id, so a message whose sending the kill
        // interrupted is sent again under the same name and Message-ID, never as a second copy.
        let deadline = Instant::now() + Duration::from_secs(60);
        let (messages, unsent) = loop {
            let (messages, unsent) = app.db(|conn| {
                use roadshow::db::schema::outbox;
                let all: Vec<(String, String)> = outbox::table.select((outbox::id, outbox::status)).load(conn).unwrap();
                let unsent = all.iter().filter(|(_, s)| s != "sent").count();
                (all, unsent)
            }).await;
            if unsent == 0 || Instant::now() > deadline {
                break (messages, unsent);
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(unsent, 0, "every queued e-mail is sent after the restart");
        let files: HashSet<String> = std::fs::read_dir(data.path().join("mail")).unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".eml").to_owned())
            .collect();
        let ids: HashSet<String> = messages.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(files, ids, "one file per message");
        assert!(messages.len() > answered.registrations.len(), "every registration answered got its e-mail");
        drop(server);
    }
}
