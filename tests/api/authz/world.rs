//! The world the matrix runs in: a tour with two stops and people at both, another
//! organizer's tour, and a signed-in caller of every role.

use std::cell::Cell;
use std::collections::HashMap;

use serde_json::{Value, json};

use super::checks::Caller;
use super::roles::{At, ROLES, Role};
use crate::helpers::*;

/// The ids and values routes refer to.
pub(super) struct World {
    pub(super) owner: Organizer,
    pub(super) admin: Organizer,
    pub(super) vars: HashMap<String, String>,
    counter: Cell<usize>,
    /// Agenda slots handed out, counted back from each stop's end.
    pub(super) slots: [Cell<usize>; 2],
}

impl World {
    pub(super) fn next(&self) -> usize {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        n
    }

    pub(super) fn var(&self, name: &str) -> &str {
        self.vars.get(name).unwrap_or_else(|| panic!("no {name}"))
    }

    /// The start of the `j`-th 5-minute slot before the stop's 22:00 end (local, RFC 3339).
    pub(super) fn slot(&self, at: At, j: usize) -> (String, String) {
        let day = self.var(&format!("day_{}", at.var())).to_owned();
        let minutes = 22 * 60 - 5 * (j as i64 + 1);
        let hm = format!("{:02}:{:02}", minutes / 60, minutes % 60);
        (format!("{day}T{hm}"), format!("{day}T{hm}:00+08:00"))
    }
}

/// Signs in with the link of the latest e-mail to `email` that holds `fragment`.
pub(super) async fn enter_with_link(app: &TestApp, email: &str, fragment: &str) -> Browser {
    let mail = app
        .mails_to(email)
        .into_iter()
        .rev()
        .find(|m| m.text.contains(fragment))
        .unwrap_or_else(|| panic!("no mail with {fragment} to {email}"));
    let link = mail.link(fragment);
    let path = link.trim_start_matches(&app.address).to_owned();
    let b = app.browser();
    // Opening the link shows its page; only its button uses the link.
    let res = b.get(&path).await;
    assert_eq!(
        res.status(),
        200,
        "{link} (to {email}, mail {:?}) shows its page",
        mail.subject
    );
    let page = scraper::Html::parse_document(&res.text().await.unwrap());
    let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
    let res = b.post_form(&path, &[("_csrf", &csrf)]).await;
    assert_eq!(res.status(), 303, "{link} signs in");
    b
}

async fn register_with(app: &TestApp, stop: &str, name: &str, email: &str) -> Value {
    let (status, r) = json(
        app.api
            .post(app.url(&format!("/api/v1/stops/{stop}/registrations")))
            .json(&json!({"name": name, "email": email, "volunteer": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    r
}

/// The tour under test: two open stops (A with a local co-organizer, B without), people
/// registered at both, volunteers, desk helpers, a speaker with a talk at A, a pending
/// proposal; and another organizer's tour.
pub(super) async fn build_world(app: &TestApp) -> (World, Vec<Caller>) {
    let owner = app.organizer("owner@example.org").await;
    let other = app.organizer("other@example.org").await;
    let local = app.organizer("local@example.org").await;
    let admin = app.organizer_with("admin@example.org", true).await;
    let admin_for_world = Organizer {
        id: admin.id.clone(),
        email: admin.email.clone(),
        token: admin.token.clone(),
    };
    let other_tour = app.create_tour(&other, "Another team's tour").await;

    let now = chrono::Utc::now();
    let day = |d: i64| (now + chrono::Duration::days(d)).date_naive().to_string();
    let mut vars: HashMap<String, String> = HashMap::new();
    for (k, v) in [
        ("day_A", day(20)),
        ("day_B", day(21)),
        ("day_c", day(22)),
        ("cfp_opens", day(-1)),
        ("cfp_closes", day(30)),
    ] {
        vars.insert(k.into(), v);
    }
    let tour = app.create_tour(&owner, "Matrix Tour").await;
    let t = tour["id"].as_str().unwrap().to_owned();
    vars.insert("T".into(), t.clone());
    vars.insert("T_slug".into(), tour["slug"].as_str().unwrap().to_owned());
    let res = app
        .patch(&owner, &format!("/api/v1/tours/{t}"), &json!({"cfp_opens_at": (now - chrono::Duration::days(1)).to_rfc3339(), "cfp_closes_at": (now + chrono::Duration::days(30)).to_rfc3339()}))
        .await;
    assert_eq!(res.status(), 200);
    let venue = |name: &'static str| {
        let owner = &owner;
        async move {
            app.create_venue(owner, name, "Beijing", 100).await["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (va, vb, vb1, vb2) = (
        venue("Alpha Hall").await,
        venue("Bravo Hall").await,
        venue("Backup One").await,
        venue("Backup Two").await,
    );
    for (k, v) in [("VA", &va), ("VB1", &vb1), ("VB2", &vb2)] {
        vars.insert(k.into(), v.clone());
    }
    // A shared resource: the other organizer's own tour holds a draft stop at the owner's
    // venue, with the owner's backups. Using a venue gives no right to change it.
    let d = &vars["day_c"];
    app.post_ok(&other, &format!("/api/v1/tours/{}/stops", other_tour["id"].as_str().unwrap()), &json!({
        "city": "Elsewhere", "starts_at": format!("{d}T08:00:00+08:00"), "ends_at": format!("{d}T22:00:00+08:00"),
        "timezone": "Asia/Shanghai", "venue_id": &va, "backup_venue_ids": [&vb1, &vb2]
    }), 201).await;
    for (at, city, v) in [("A", "Alphaville", &va), ("B", "Bravotown", &vb)] {
        let d = &vars[&format!("day_{at}")];
        let stop = app
            .post_ok(&owner, &format!("/api/v1/tours/{t}/stops"), &json!({
                "city": city, "starts_at": format!("{d}T08:00:00+08:00"), "ends_at": format!("{d}T22:00:00+08:00"),
                "timezone": "Asia/Shanghai", "venue_id": v, "backup_venue_ids": [&vb1, &vb2], "status": "open"
            }), 201)
            .await;
        vars.insert(at.into(), stop["id"].as_str().unwrap().to_owned());
    }
    let (a, b) = (vars["A"].clone(), vars["B"].clone());
    assert_eq!(
        app.patch(
            &owner,
            &format!("/api/v1/tours/{t}"),
            &json!({"status": "published"})
        )
        .await
        .status(),
        200
    );
    app.post_ok(
        &owner,
        &format!("/api/v1/tours/{t}/members"),
        &json!({"email": "local@example.org", "role": "local", "stop_ids": [&a]}),
        201,
    )
    .await;

    // People: registered, volunteering, at the desk.
    let alpha = register_with(app, &a, "Alpha Leakname", "alpha.leak@secret.example").await;
    let bravo = register_with(app, &b, "Bravo Leakname", "bravo.leak@secret.example").await;
    vars.insert("reg_A".into(), alpha["id"].as_str().unwrap().to_owned());
    vars.insert("reg_B".into(), bravo["id"].as_str().unwrap().to_owned());
    // Checked in: the "checked in" segment the message routes write to is theirs.
    for (stop, r) in [(&a, &alpha), (&b, &bravo)] {
        let path = format!("/api/v1/stops/{stop}/checkins");
        app.post_ok(&owner, &path, &json!({"code": r["code"]}), 200)
            .await;
    }
    let attendee =
        register_with(app, &a, "Attendee Rolename", "attendee.leak@secret.example").await;
    let manage_token = attendee["manage_token"].as_str().unwrap().to_owned();
    for (at, stop, name, email) in [
        ("A", &a, "Avol Leakname", "avol.leak@secret.example"),
        ("B", &b, "Bvol Leakname", "bvol.leak@secret.example"),
    ] {
        let task = app
            .post_ok(
                &owner,
                &format!("/api/v1/stops/{stop}/tasks"),
                &json!({"kind": "photos", "slots": 10}),
                201,
            )
            .await;
        let task_id = task["id"].as_str().unwrap().to_owned();
        let (status, _) = json(
            app.api
                .post(app.url(&format!("/api/v1/tasks/{task_id}/claims")))
                .json(&json!({"name": name, "email": email}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 201);
        vars.insert(format!("task_{at}"), task_id);
    }
    let desk_task = app
        .post_ok(
            &owner,
            &format!("/api/v1/stops/{a}/tasks"),
            &json!({"kind": "registration_desk", "slots": 2}),
            201,
        )
        .await;
    let (status, _) = json(
        app.api
            .post(app.url(&format!(
                "/api/v1/tasks/{}/claims",
                desk_task["id"].as_str().unwrap()
            )))
            .json(&json!({"name": "Desk Volunteer", "email": "deskvol@example.org"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201);
    let owner_browser = app.signed_in_browser(&owner).await;
    let csrf = owner_browser.csrf_of(&format!("/manage/stops/{a}")).await;
    for (stop, email, name) in [
        (&a, "helper@example.org", "Desk Helper"),
        (&b, "bhelper.leak@secret.example", "Bhelper Leakname"),
        (&a, "leaving@example.org", "Leaving Helper"),
        (&b, "leaving@example.org", "Leaving Helper"),
    ] {
        let res = owner_browser
            .post_form(
                &format!("/manage/stops/{stop}/desk-helpers"),
                &[("_csrf", &csrf), ("email", email), ("name", name)],
            )
            .await;
        assert_eq!(res.status(), 303);
    }

    // A speaker whose talk is on stop A's published agenda; a proposal still pending.
    let propose = |name: &'static str, email: &'static str, title: &'static str, stop: &str| {
        let (t, stop) = (t.clone(), stop.to_owned());
        async move {
            let (status, p) = json(app.api.post(app.url(&format!("/api/v1/tours/{t}/proposals"))).json(&json!({
                "speaker": {"name": name, "email": email, "affiliation": "Sina", "bio": "Storage"},
                "title": title, "duration_minutes": 30, "stop_ids": [stop]
            })).send().await.unwrap()).await;
            assert_eq!(status, 201, "{p}");
            app.drain().await;
            enter_with_link(app, email, "/speaker/proposals/confirm/").await;
            p["id"].as_str().unwrap().to_owned()
        }
    };
    propose(
        "Pending Proposername",
        "pending.leak@secret.example",
        "A pending idea",
        &a,
    )
    .await;
    for (at, stop, name, email) in [
        ("", &a, "Speaker Publicname", "speaker.leak@secret.example"),
        (
            "_B",
            &b,
            "Bspeaker Publicname",
            "bspeaker.leak@secret.example",
        ),
    ] {
        let proposal = propose(name, email, "Cinder in production", stop).await;
        let path = format!("/api/v1/proposals/{proposal}/accept");
        let accepted = app
            .post_ok(&owner, &path, &json!({"stop_ids": [stop]}), 200)
            .await;
        let talk = &accepted["talk"];
        vars.insert(format!("talk{at}"), talk["id"].as_str().unwrap().to_owned());
        let speaker = talk["speakers"][0]["id"].as_str().unwrap().to_owned();
        vars.insert(format!("speaker{at}"), speaker);
    }
    // Stop A's agenda is public (its speaker's slot with it), stop B's not yet.
    let published = app
        .post(
            &owner,
            &format!("/api/v1/stops/{a}/agenda/publish"),
            &json!({}),
        )
        .await;
    assert!(published.status().is_success());
    let item_b = app.post_ok(&owner, &format!("/api/v1/stops/{b}/agenda"), &json!({"kind": "welcome", "title": "Welcome", "starts_at": format!("{}T09:00:00+08:00", vars["day_B"]), "duration_minutes": 10}), 201).await;
    vars.insert("item_B".into(), item_b["id"].as_str().unwrap().to_owned());

    // Whole-tour organizers whose credentials ended: removed from the team, signed out,
    // password reset, expired. Each kept the cookie (and token) they had.
    let mut stale: Vec<(Role, Browser, String, String)> = Vec::new();
    for (role, email) in [
        (Role::RemovedOrganizer, "removed@example.org"),
        (Role::SignedOut, "signedout@example.org"),
        (Role::AfterReset, "reset@example.org"),
        (Role::Expired, "expired@example.org"),
    ] {
        let who = app.organizer(email).await;
        app.post_ok(
            &owner,
            &format!("/api/v1/tours/{t}/members"),
            &json!({"email": email, "role": "organizer"}),
            201,
        )
        .await;
        let cookie = app.session_cookie(&who).await;
        let browser = app.browser_with_cookie(&cookie);
        let csrf = browser.csrf_of("/manage/tours/new").await;
        // Proof that these are real members with the right before their credentials end.
        assert_eq!(
            browser.get(&format!("/manage/tours/{t}")).await.status(),
            200,
            "{email}"
        );
        match role {
            Role::RemovedOrganizer => {
                let res = app
                    .api
                    .delete(app.url(&format!("/api/v1/tours/{t}/members/{}", who.id)))
                    .bearer_auth(&owner.token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 204);
            }
            Role::SignedOut => {
                let res = browser.post_form("/logout", &[("_csrf", &csrf)]).await;
                assert_eq!(res.status(), 303);
                let (_, tokens) = json(app.get(&who, "/api/v1/tokens").await).await;
                let id = tokens[0]["id"].as_str().unwrap().to_owned();
                let res = app
                    .api
                    .delete(app.url(&format!("/api/v1/tokens/{id}")))
                    .bearer_auth(&who.token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 204);
            }
            Role::AfterReset => {
                let id = who.id.clone();
                app.db(move |conn| {
                    let token = roadshow::models::magic_link::MagicLink::create(
                        conn,
                        "password_reset",
                        "reset@example.org",
                        Some(&id),
                        chrono::Duration::hours(1),
                    )
                    .unwrap();
                    let hash =
                        roadshow::secrets::hash_password("a new password for reset").unwrap();
                    roadshow::services::accounts::reset_password_in(conn, &token, &hash).unwrap();
                })
                .await;
            }
            _ => {
                let id = who.id.clone();
                app.db(move |conn| {
                    use diesel::prelude::*;
                    use roadshow::db::schema::{api_tokens, sessions};
                    let past = roadshow::db::now() - chrono::Duration::seconds(1);
                    diesel::update(sessions::table.filter(sessions::organizer_id.eq(&id)))
                        .set(sessions::expires_at.eq(past))
                        .execute(conn)
                        .unwrap();
                    diesel::update(api_tokens::table.filter(api_tokens::organizer_id.eq(&id)))
                        .set(api_tokens::expires_at.eq(Some(past)))
                        .execute(conn)
                        .unwrap();
                    roadshow::cache::auth_changed(conn).unwrap();
                })
                .await;
            }
        }
        stale.push((role, browser, who.token.clone(), csrf));
    }

    // Everyone signs in their own way.
    app.drain().await;
    let helper = enter_with_link(app, "helper@example.org", "/desk/enter/").await;
    let desk_volunteer = enter_with_link(app, "deskvol@example.org", "/volunteer/enter/").await;
    let speaker = enter_with_link(app, "speaker.leak@secret.example", "/speaker/enter/").await;
    let attendee_browser = app.browser();
    let anonymous = app.browser();
    let mut callers = Vec::new();
    for (role, browser, token, csrf_page) in [
        (Role::Anonymous, anonymous, None, "/login".to_owned()),
        (
            Role::OtherOrganizer,
            app.signed_in_browser(&other).await,
            Some(other.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
        (
            Role::LocalOrganizer,
            app.signed_in_browser(&local).await,
            Some(local.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
        (Role::DeskHelper, helper, None, format!("/desk/{a}")),
        (
            Role::DeskVolunteer,
            desk_volunteer,
            None,
            "/volunteer".to_owned(),
        ),
        (Role::Speaker, speaker, None, "/speaker".to_owned()),
        (
            Role::Attendee,
            attendee_browser,
            None,
            format!("/r/{manage_token}"),
        ),
        (
            Role::Owner,
            owner_browser,
            Some(owner.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
        (
            Role::SiteAdmin,
            app.signed_in_browser(&admin).await,
            Some(admin.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
    ] {
        let csrf = browser.csrf_of(&csrf_page).await;
        callers.push(Caller {
            role,
            browser,
            token,
            csrf,
            manage_token: (role == Role::Attendee).then(|| manage_token.clone()),
        });
    }
    for (role, browser, token, csrf) in stale {
        callers.push(Caller {
            role,
            browser,
            token: Some(token),
            csrf,
            manage_token: None,
        });
    }
    assert_eq!(callers.iter().map(|c| c.role).collect::<Vec<_>>(), ROLES);
    let world = World {
        owner,
        admin: admin_for_world,
        vars,
        counter: Cell::new(0),
        slots: [Cell::new(0), Cell::new(0)],
    };
    (world, callers)
}
