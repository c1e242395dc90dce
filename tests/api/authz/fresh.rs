//! Objects made anew for a route that uses or consumes one (a member to remove, a proposal
//! to accept, a token to revoke, …), so that every caller meets the object in the same state.

use serde_json::{Value, json};

use super::roles::At;
use super::world::{World, enter_with_link};
use crate::helpers::*;

/// An object made anew (by the owner) for a route that uses or consumes it: one for all the
/// callers refused, one for each caller with the right.
#[derive(Clone, Copy, Debug)]
pub(super) enum Fresh {
    /// A team member (organizer role): `<fresh>` is their organizer id.
    Member,
    Venue,
    Supporter(At),
    Task(At),
    /// A volunteer's claim of a new task.
    Claim(At),
    /// An agenda item (`<fresh>`), and a free 5-minute slot after it (`<fresh_local>`, `<fresh_rfc>`).
    Agenda(At),
    /// A registration (`<fresh>`, `<fresh_code>`).
    Registration(At),
    /// A received material (a link).
    Material(At),
    /// A proposal of the tour, not decided yet.
    Proposal,
    /// A failed e-mail of the tour.
    FailedMessage,
    /// Another signed-in browser of the owner: `<fresh>` is its session's id.
    OwnerSession,
    /// Another API token of the owner: `<fresh>` is its id.
    OwnerToken,
    /// A claim of a new registration-desk task at stop A, without desk access.
    DeskClaim,
    /// A venue created by the site admin, which the tour's team may only suggest changes
    /// to or copy.
    AdminVenue,
}

async fn owner_post(app: &TestApp, w: &World, path: &str, body: Value) -> Value {
    app.post_ok(&w.owner, path, &body, 201).await
}

/// Makes a fresh object as the owner; returns the placeholders it fills.
pub(super) async fn make_fresh(app: &TestApp, w: &World, f: Fresh) -> Vec<(String, String)> {
    let n = w.next();
    let stop = |at: At| w.var(at.var()).to_owned();
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let mut out = Vec::new();
    match f {
        Fresh::Member => {
            let added = owner_post(
                app,
                w,
                &format!("/api/v1/tours/{}/members", w.var("T")),
                json!({"email": format!("member{n}@example.org"), "role": "organizer"}),
            )
            .await;
            out.push((
                "fresh".into(),
                added["member"]["organizer_id"].as_str().unwrap().to_owned(),
            ));
        }
        Fresh::Venue => {
            let v = app
                .create_venue(&w.owner, &format!("Fresh Hall {n}"), "Beijing", 100)
                .await;
            out.push(("fresh".into(), id(&v)));
        }
        Fresh::Supporter(at) => {
            let s = owner_post(
                app,
                w,
                &format!("/api/v1/stops/{}/supporters", stop(at)),
                json!({"name": format!("Fresh Supporter {n}")}),
            )
            .await;
            out.push(("fresh".into(), id(&s)));
        }
        Fresh::Task(at) => {
            let t = owner_post(
                app,
                w,
                &format!("/api/v1/stops/{}/tasks", stop(at)),
                json!({"kind": "other", "title": format!("Fresh task {n}"), "slots": 1}),
            )
            .await;
            out.push(("fresh".into(), id(&t)));
        }
        Fresh::Claim(at) => {
            let t = owner_post(
                app,
                w,
                &format!("/api/v1/stops/{}/tasks", stop(at)),
                json!({"kind": "other", "title": format!("Fresh task {n}"), "slots": 1}),
            )
            .await;
            let c = owner_post(app, w, &format!("/api/v1/tasks/{}/claims", id(&t)), json!({"name": format!("Fresh Volunteer {n}"), "email": format!("freshvol{n}@example.org")})).await;
            out.push(("fresh".into(), id(&c)));
        }
        Fresh::Agenda(at) => {
            let i = at as usize;
            let j = w.slots[i].get();
            w.slots[i].set(j + 2);
            let (_, start) = w.slot(at, j);
            let item = owner_post(app, w, &format!("/api/v1/stops/{}/agenda", stop(at)), json!({"kind": "break", "title": format!("Fresh break {n}"), "starts_at": start, "duration_minutes": 5})).await;
            let (local, rfc) = w.slot(at, j + 1);
            out.push(("fresh".into(), id(&item)));
            out.push(("fresh_local".into(), local));
            out.push(("fresh_rfc".into(), rfc));
        }
        Fresh::Registration(at) => {
            let (status, r) = app
                .register(
                    &stop(at),
                    &format!("Fresh Person {n}"),
                    &format!("fresh{n}@example.org"),
                )
                .await;
            assert_eq!(status, 201, "{r}");
            out.push(("fresh".into(), id(&r)));
            out.push(("fresh_code".into(), r["code"].as_str().unwrap().to_owned()));
        }
        Fresh::Material(at) => {
            let m = owner_post(app, w, &format!("/api/v1/stops/{}/materials", stop(at)), json!({"kind": "other", "title": format!("Fresh material {n}"), "link_url": format!("https://example.org/m{n}")})).await;
            out.push(("fresh".into(), id(&m)));
        }
        Fresh::Proposal => {
            let (status, p) = json(
                app.api
                    .post(app.url(&format!("/api/v1/tours/{}/proposals", w.var("T"))))
                    .json(&json!({
                        "speaker": {"name": format!("Fresh Speaker {n}"), "email": format!("freshspeaker{n}@example.org")},
                        "title": format!("Fresh talk {n}"), "duration_minutes": 5, "stop_ids": [w.var("A")]
                    }))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, 201, "{p}");
            app.drain().await;
            enter_with_link(
                app,
                &format!("freshspeaker{n}@example.org"),
                "/speaker/proposals/confirm/",
            )
            .await;
            out.push(("fresh".into(), id(&p)));
        }
        Fresh::DeskClaim => {
            let t = owner_post(app, w, &format!("/api/v1/stops/{}/tasks", stop(At::A)), json!({"kind": "registration_desk", "title": format!("Fresh desk {n}"), "slots": 1})).await;
            let c = owner_post(app, w, &format!("/api/v1/tasks/{}/claims", id(&t)), json!({"name": format!("Fresh Desk {n}"), "email": format!("freshdesk{n}@example.org")})).await;
            out.push(("fresh".into(), id(&c)));
        }
        Fresh::AdminVenue => {
            let v = app.post_ok(&w.admin, "/api/v1/venues", &json!({"name": format!("Admin Hall {n}"), "city": "Beijing", "capacity": 80, "kind": "other", "cost": "free"}), 201).await;
            out.push(("fresh".into(), id(&v)));
        }
        Fresh::OwnerSession => {
            let cookie = app.session_cookie(&w.owner).await;
            let owner_id = w.owner.id.clone();
            let newest = app
                .db(move |conn| {
                    roadshow::models::session::BrowserSession::list_for(conn, &owner_id)
                        .unwrap()
                        .into_iter()
                        .max_by_key(|s| s.created_at)
                        .unwrap()
                        .id
                })
                .await;
            drop(cookie);
            out.push(("fresh".into(), newest));
        }
        Fresh::OwnerToken => {
            let made = app
                .post_ok(&w.owner, "/api/v1/tokens", &json!({"email": w.owner.email, "password": PASSWORD, "label": format!("fresh {n}")}), 201)
                .await;
            out.push(("fresh".into(), made["id"].as_str().unwrap().to_owned()));
        }
        Fresh::FailedMessage => {
            let email = format!("failing{n}@example.org");
            let (status, r) = app.register(&stop(At::A), "Failing Mail", &email).await;
            assert_eq!(status, 201, "{r}");
            let message_id = app
                .db(move |conn| {
                    use diesel::prelude::*;
                    use roadshow::db::schema::outbox;
                    let id: String = outbox::table
                        .filter(outbox::to_email.eq(&email))
                        .select(outbox::id)
                        .first(conn)
                        .expect("the confirmation is in the outbox");
                    diesel::update(outbox::table.find(&id))
                        .set((
                            outbox::status.eq("failed"),
                            outbox::attempts.eq(5),
                            outbox::last_error.eq(Some("mailbox full")),
                        ))
                        .execute(conn)
                        .unwrap();
                    id
                })
                .await;
            out.push(("fresh".into(), message_id));
        }
    }
    out
}
