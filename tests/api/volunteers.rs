//! Volunteers claim tasks.

use serde_json::json;

use crate::both_backends;
use crate::door::press_link;
use crate::helpers::*;

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

async fn claim(app: &TestApp, task_id: &str, name: &str, email: &str) -> (u16, serde_json::Value) {
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

/// Signs a volunteer in with the link of their latest e-mail.
async fn volunteer_browser(app: &TestApp, email: &str) -> Browser {
    app.drain().await;
    let link = app
        .mails_to(email)
        .pop()
        .expect("a mail")
        .link("/volunteer/enter/");
    let b = app.browser();
    assert_eq!(press_link(app, &b, &link).await.status(), 303);
    b
}

both_backends! {
    async fn fifty_people_racing_for_three_slots_get_exactly_three(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let t = task(&app, &hui, &s.stop_id, "photos", 3).await;
        let url = app.url(&format!("/api/v1/tasks/{t}/claims"));
        let attempts = (0..50).map(|i| {
            let (client, url) = (app.api.clone(), url.clone());
            async move { client.post(&url).json(&json!({"name": format!("V{i}"), "email": format!("v{i}@example.org")})).send().await.unwrap().status().as_u16() }
        });
        let statuses = futures_util::future::join_all(attempts).await;
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 3);
        assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 47, "{statuses:?}");
        let (_, tasks) = json(app.get(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id)).await).await;
        assert_eq!((tasks[0]["claimed"].as_i64(), tasks[0]["free"].as_i64()), (Some(3), Some(0)));
        let (status, body) = claim(&app, &t, "Late", "late@example.org").await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("task_full")));
    }

    async fn volunteers_release_until_the_deadline_and_others_take_the_slot(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let t = task(&app, &hui, &s.stop_id, "host", 1).await;
        let (status, c) = claim(&app, &t, "Shake Chen", "shake@example.org").await;
        assert_eq!(status, 201, "{c}");
        let (status, again) = claim(&app, &t, "Shake Chen", "SHAKE@example.org").await;
        assert_eq!((status, again["already_claimed"].as_bool()), (200, Some(true)), "claiming twice changes nothing");
        assert_eq!(claim(&app, &t, "Other", "other@example.org").await.0, 409);

        let b = volunteer_browser(&app, "shake@example.org").await;
        let (status, page) = b.page("/volunteer").await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "article h3"), vec!["Host"]);
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let claim_id = c["id"].as_str().unwrap();
        assert_eq!(b.post_form(&format!("/volunteer/claims/{claim_id}/release"), &[("_csrf", &csrf)]).await.status(), 303);
        let (status, _) = claim(&app, &t, "Other", "other@example.org").await;
        assert_eq!(status, 201, "the released slot is free again");

        // A task in less than a day cannot be released by its volunteer any more.
        let soon = chrono::Utc::now() + chrono::Duration::hours(5);
        let close = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "setup", "slots": 2, "starts_at": soon.to_rfc3339()}), 201).await;
        let (_, c2) = claim(&app, close["id"].as_str().unwrap(), "Shake Chen", "shake@example.org").await;
        let res = b.post_form(&format!("/volunteer/claims/{}/release", c2["id"].as_str().unwrap()), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = b.page("/volunteer").await;
        assert!(select_text(&page, ".flash.error")[0].contains("less than 24 hours"));
        let (_, tasks) = json(app.get(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id)).await).await;
        assert!(tasks.as_array().unwrap().iter().any(|t| t["kind"] == "setup" && t["claimed"] == 1), "still held");
        // The organizers can release it.
        let res = app.post(&hui, &format!("/api/v1/claims/{}/release", c2["id"].as_str().unwrap()), &json!({})).await;
        assert_eq!(res.status(), 204);
        // A volunteer cannot release someone else's claim.
        let (_, c3) = claim(&app, close["id"].as_str().unwrap(), "Third", "third@example.org").await;
        assert_eq!(b.post_form(&format!("/volunteer/claims/{}/release", c3["id"].as_str().unwrap()), &[("_csrf", &csrf)]).await.status(), 404);
    }

    async fn a_desk_volunteer_checks_people_in_at_their_stop_only(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 1).await;
        let other = app.open_stop(&hui, 100, None, 1).await;
        let desk = task(&app, &hui, &s.stop_id, "registration_desk", 2).await;
        let photos = task(&app, &hui, &other.stop_id, "photos", 2).await;
        let (_, c) = claim(&app, &desk, "Desk Person", "desk@example.org").await;
        claim(&app, &photos, "Desk Person", "desk@example.org").await;
        let (_, r) = app.register(&s.stop_id, "Attendee", "att@example.org").await;
        let (_, r2) = app.register(&other.stop_id, "Other Attendee", "att2@example.org").await;
        // The claim alone opens no desk (see door::a_stranger_who_claims_the_desk_task_…);
        // the organizer gives desk access, and the volunteer uses the mailed desk link.
        let org = app.signed_in_browser(&hui).await;
        let tasks_page = format!("/manage/stops/{}/tasks", s.stop_id);
        let csrf = org.csrf_of(&tasks_page).await;
        let res = org.post_form(&format!("{tasks_page}/claims/{}/desk", c["id"].as_str().unwrap()), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        let link = app.mails_to("desk@example.org").into_iter().rev().find(|m| m.text.contains("/desk/enter/")).expect("the desk link").link("/desk/enter/");
        let b = app.browser();
        assert_eq!(press_link(&app, &b, &link).await.status(), 303);
        let path = format!("/desk/{}", s.stop_id);
        let csrf = b.csrf_of(&path).await;
        let res = b.post_form(&format!("{path}/checkin"), &[("_csrf", &csrf), ("code", r["code"].as_str().unwrap())]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.stats(&hui, &s.stop_id).await["checked_in"], 1);
        // Not the other stop's desk (they only take photos there).
        assert_eq!(b.page(&format!("/desk/{}", other.stop_id)).await.0, 404);
        let res = b.post_form(&format!("/desk/{}/checkin", other.stop_id), &[("_csrf", &csrf), ("code", r2["code"].as_str().unwrap())]).await;
        assert_eq!(res.status(), 404);
        assert_eq!(app.stats(&hui, &other.stop_id).await["checked_in"], 0);
        // Nothing else of the organizer pages: the list, the export, the dashboard.
        for p in [format!("/manage/stops/{}/registrations", s.stop_id), format!("/manage/stops/{}/registrations.csv", s.stop_id), format!("/manage/stops/{}", s.stop_id), "/manage".to_owned()] {
            assert_eq!(b.get(&p).await.status(), 303, "{p}");
        }
        let (status, _) = json(b.client.get(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id))).send().await.unwrap()).await;
        assert_eq!(status, 401);
    }

    async fn organizers_define_tasks_assign_invite_and_mark_who_came(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let (status, set) = json(app.post(&hui, &format!("/api/v1/stops/{}/tasks/standard", s.stop_id), &json!({})).await).await;
        assert_eq!(status, 200);
        assert_eq!(set.as_array().unwrap().len(), 9);
        let (_, again) = json(app.post(&hui, &format!("/api/v1/stops/{}/tasks/standard", s.stop_id), &json!({})).await).await;
        assert_eq!(again.as_array().unwrap().len(), 9, "applied once");
        let host = set.as_array().unwrap().iter().find(|t| t["kind"] == "host").unwrap()["id"].as_str().unwrap().to_owned();
        // Assign directly (an organizer's token makes it an assignment).
        let (status, c) = json(app.post(&hui, &format!("/api/v1/tasks/{host}/claims"), &json!({"name": "Yujie Du", "email": "yujie@example.org"})).await).await;
        assert_eq!(status, 201, "{c}");
        // Slots cannot go below the claims.
        let (status, _) = json(app.patch(&hui, &format!("/api/v1/tasks/{host}"), &json!({"slots": 0})).await).await;
        assert_eq!(status, 422);
        // Mark who came; a later assignment shows the no-show.
        let (status, _) = (app.post(&hui, &format!("/api/v1/claims/{}/attendance", c["id"].as_str().unwrap()), &json!({"showed_up": false})).await.status().as_u16(), ());
        assert_eq!(status, 204);
        let b = app.signed_in_browser(&hui).await;
        let (status, page) = b.page(&format!("/manage/stops/{}/tasks", s.stop_id)).await;
        assert_eq!(status, 200);
        assert!(select_text(&page, "article li .badge").iter().any(|t| t.contains("1 no-show")), "{:?}", select_text(&page, "article li"));
        // An attendee who would like to volunteer is invited in one click, and takes it in one.
        let reg = app.api.post(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id))).json(&json!({"name": "Keen Person", "email": "keen@example.org", "volunteer": true})).send().await.unwrap();
        let reg: serde_json::Value = reg.json().await.unwrap();
        let photos = set.as_array().unwrap().iter().find(|t| t["kind"] == "photos").unwrap()["id"].as_str().unwrap().to_owned();
        let csrf = b.csrf_of(&format!("/manage/stops/{}/tasks", s.stop_id)).await;
        let res = b.post_form(&format!("/manage/stops/{}/tasks/invite", s.stop_id), &[("_csrf", &csrf), ("task_id", &photos), ("registration_id", reg["id"].as_str().unwrap())]).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        let invite = app.mails_to("keen@example.org").into_iter().find(|m| m.subject.starts_with("Would you help")).unwrap();
        let keen = app.browser();
        assert_eq!(press_link(&app, &keen, &invite.link("/volunteer/accept/")).await.status(), 303);
        let (_, tasks) = json(app.get(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id)).await).await;
        assert!(tasks.as_array().unwrap().iter().any(|t| t["kind"] == "photos" && t["claimed"] == 1));
        // The public help page lists open tasks with the organizers' contact.
        let (_, help) = app.browser().page(&format!("/stops/{}/help", s.stop_id)).await;
        assert!(select_text(&help, "main p a").iter().any(|t| t == "team@example.org"));
        assert!(!select_text(&help, "article h3").contains(&"Host".to_owned()), "full tasks are not offered");
    }

    async fn task_input_is_checked(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let path = format!("/api/v1/stops/{}/tasks", s.stop_id);
        let (status, body) = json(app.post(&hui, &path, &json!({"kind": "juggling", "slots": 1})).await).await;
        assert_eq!(status, 422, "{body}");
        let (status, _) = json(app.post(&hui, &path, &json!({"kind": "photos", "slots": 0})).await).await;
        assert_eq!(status, 422);
        let (status, _) = json(app.post(&hui, &path, &json!({"kind": "photos", "slots": "two"})).await).await;
        assert_eq!(status, 422);
        let (status, _) = json(app.post(&eve, &path, &json!({"kind": "photos", "slots": 1})).await).await;
        assert_eq!(status, 404);
        let t = task(&app, &hui, &s.stop_id, "photos", 1).await;
        let (status, body) = claim(&app, &t, "", "not-an-address").await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["name"].is_string() && body["error"]["fields"]["email"].is_string());
        let (status, _) = json(app.api.post(app.url(&format!("/api/v1/tasks/{t}/claims"))).header("content-type", "application/json").body("{").send().await.unwrap()).await;
        assert_eq!(status, 400);
        assert_eq!(claim(&app, "00000000-0000-0000-0000-000000000000", "A", "a@example.org").await.0, 404);
        let (_, tasks) = json(app.get(&hui, &path).await).await;
        assert_eq!(tasks[0]["claimed"], 0, "nothing was taken");
    }
}
