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
        assert!(select_text(&help, "article.full h2").contains(&"Host".to_owned()), "a full task says so");
        assert!(attr(&help, &format!("#task-{host}"), "disabled").is_some(), "and cannot be picked");
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

/// Valid HTML where ids matter: no id twice on the page, and every label's `for` points at
/// an element that exists.
pub(crate) fn assert_valid_ids(page: &scraper::Html) {
    let sel = scraper::Selector::parse("[id]").unwrap();
    let mut seen = std::collections::HashSet::new();
    for e in page.select(&sel) {
        let id = e.value().attr("id").unwrap();
        assert!(seen.insert(id.to_owned()), "the id {id:?} repeats");
    }
    let labels = scraper::Selector::parse("label[for]").unwrap();
    for l in page.select(&labels) {
        let target = l.value().attr("for").unwrap();
        assert!(
            seen.contains(target),
            "a label points at {target:?}, which is not on the page"
        );
    }
}

/// Posts the help page's form as a browser on this site does.
async fn help_post(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    lang: &str,
) -> reqwest::Response {
    app.api
        .post(app.url(path))
        .header("origin", &app.address)
        .header("accept-language", lang)
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn claimed_of(app: &TestApp, who: &Organizer, stop_id: &str, task_id: &str) -> i64 {
    let (_, tasks) = json(
        app.get(who, &format!("/api/v1/stops/{stop_id}/tasks"))
            .await,
    )
    .await;
    tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == task_id)
        .unwrap()["claimed"]
        .as_i64()
        .unwrap()
}

both_backends! {
    async fn the_help_page_is_one_valid_form_that_takes_several_tasks_at_once(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let photos = task(&app, &hui, &s.stop_id, "photos", 2).await;
        let host = task(&app, &hui, &s.stop_id, "host", 1).await;
        let setup = task(&app, &hui, &s.stop_id, "setup", 1).await;
        let reminders = task(&app, &hui, &s.stop_id, "reminders", 1).await;
        assert_eq!(claim(&app, &host, "Early", "early@example.org").await.0, 201);
        let path = format!("/stops/{}/help", s.stop_id);
        let (status, page) = app.browser().page(&path).await;
        assert_eq!(status, 200);
        assert_valid_ids(&page);
        let count = |sel: &str| page.select(&scraper::Selector::parse(sel).unwrap()).count();
        assert_eq!(count("main form"), 1, "one form for every task");
        assert_eq!((count("input[name=name]"), count("input[name=email]")), (1, 1));
        assert_eq!(count("input[type=checkbox][name=task_ids]"), 4);
        assert_eq!(attr(&page, "main form", "action").as_deref(), Some(path.as_str()));
        // A full task says so instead of vanishing; it cannot be picked.
        assert!(attr(&page, &format!("#task-{host}"), "disabled").is_some());
        assert!(select_text(&page, &format!("#task-{host}-meta"))[0].contains("Full"));
        assert!(select_text(&page, &format!("#task-{reminders}-meta"))[0].starts_with("before the stop"));
        assert!(attr(&page, "main a[href=\"/volunteer/login\"]", "href").is_some(), "the way to one's volunteer page");
        let (_, tour_page) = app.browser().page(&format!("/tours/{}/help", "tour")).await;
        assert_valid_ids(&tour_page);

        // Nothing picked, no name: the fields say so, what was typed stays.
        let res = help_post(&app, &path, &[("name", ""), ("email", "shake@example.org")], "en").await;
        assert_eq!(res.status(), 422);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(attr(&html, "#f-name", "aria-invalid").as_deref(), Some("true"));
        assert_eq!(select_text(&html, "#tasks-error"), vec!["Pick at least one task."]);
        assert_eq!(attr(&html, "#f-email", "value").as_deref(), Some("shake@example.org"));

        // Two free tasks and a full one (a form older than the page): two taken, one refused.
        let fields = [("name", "Shake Chen"), ("email", "shake@example.org"), ("task_ids", photos.as_str()), ("task_ids", setup.as_str()), ("task_ids", host.as_str())];
        let res = help_post(&app, &path, &fields, "en").await;
        assert_eq!(res.status(), 200);
        let thanks = scraper::Html::parse_document(&res.text().await.unwrap());
        let text = select_text(&thanks, "main p").join(" ");
        assert!(text.contains("You took: Photos, Room setup.") && text.contains("Someone was quicker for: Host."), "{text}");
        assert!(attr(&thanks, &format!("main a[href=\"{path}\"]"), "href").is_some(), "the way back");
        assert!(attr(&thanks, &format!("main a[href=\"/stops/{}\"]", s.stop_id), "href").is_some());
        assert_eq!((claimed_of(&app, &hui, &s.stop_id, &photos).await, claimed_of(&app, &hui, &s.stop_id, &setup).await, claimed_of(&app, &hui, &s.stop_id, &host).await), (1, 1, 1));
        app.drain().await;
        let mails = app.mails_to("shake@example.org");
        assert_eq!(mails.len(), 1, "one e-mail for the tasks of one stop");
        let m = &mails[0];
        assert!(m.subject.starts_with("Thank you for helping at"), "{}", m.subject);
        assert!(m.text.contains("• Photos (") && m.text.contains("• Room setup ("), "{}", m.text);
        assert!(m.text.contains("The link works once, for 24 hours.") && m.text.contains("up to 24 hours before"), "{}", m.text);
        assert!(m.text.contains(&format!("Link used or expired? Get a new one: {}/volunteer/login", app.address)), "{}", m.text);
        // The same again: held already, nothing taken twice, no mail.
        let res = help_post(&app, &path, &fields[..4], "en").await;
        assert!(select_text(&scraper::Html::parse_document(&res.text().await.unwrap()), "main p").join(" ").contains("You already held: Photos, Room setup."));
        app.drain().await;
        assert_eq!(app.mails_to("shake@example.org").len(), 1);
        assert_eq!(claimed_of(&app, &hui, &s.stop_id, &photos).await, 1);
        // Only full tasks picked: the page again, saying so.
        let res = help_post(&app, &path, &[("name", "Late"), ("email", "late@example.org"), ("task_ids", host.as_str())], "en").await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("Someone was quicker"));
        // In Chinese, e-mail included.
        let res = help_post(&app, &path, &[("name", "梅"), ("email", "mei@example.org"), ("task_ids", reminders.as_str())], "zh-CN").await;
        assert_eq!(res.status(), 200);
        app.drain().await;
        let zh = app.mails_to("mei@example.org").pop().unwrap();
        assert!(zh.text.contains("该链接只能使用一次，24 小时内有效。") && zh.text.contains("获取新链接"), "{}", zh.text);
        // The old one-task form still works.
        let res = help_post(&app, &format!("/tasks/{photos}/claim"), &[("name", "Old Form"), ("email", "old@example.org")], "en").await;
        assert_eq!(res.status(), 200);
        assert_eq!(claimed_of(&app, &hui, &s.stop_id, &photos).await, 2);
    }

    async fn people_racing_with_the_help_form_never_overfill_a_task(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let a = task(&app, &hui, &s.stop_id, "photos", 2).await;
        let b = task(&app, &hui, &s.stop_id, "setup", 3).await;
        let path = format!("/stops/{}/help", s.stop_id);
        let posts = (0..12).map(|i| {
            let (client, url, origin, a, b) = (app.api.clone(), app.url(&path), app.address.clone(), a.clone(), b.clone());
            async move {
                let email = format!("v{i}@example.org");
                client.post(url).header("origin", origin).form(&[("name", "V"), ("email", email.as_str()), ("task_ids", a.as_str()), ("task_ids", b.as_str())]).send().await.unwrap().status().as_u16()
            }
        });
        let statuses = futures_util::future::join_all(posts).await;
        assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 3, "{statuses:?}");
        assert_eq!((claimed_of(&app, &hui, &s.stop_id, &a).await, claimed_of(&app, &hui, &s.stop_id, &b).await), (2, 3));
    }

    async fn the_volunteer_page_says_where_and_releasing_asks_first(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let t = task(&app, &hui, &s.stop_id, "photos", 2).await;
        let (_, c) = claim(&app, &t, "Shake Chen", "shake@example.org").await;
        let b = volunteer_browser(&app, "shake@example.org").await;
        let (_, page) = b.page("/volunteer").await;
        assert_valid_ids(&page);
        let card = select_text(&page, "article.task").join(" ");
        assert!(card.contains("1 Hall Road, 北京") && card.contains("Take the lift to the 3rd floor."), "{card}");
        let release = format!("/volunteer/claims/{}/release", c["id"].as_str().unwrap());
        assert!(attr(&page, &format!("article.task details.confirm form[action=\"{release}\"]"), "action").is_some(), "releasing asks first");
        assert!(select_text(&page, "article.task details.confirm p")[0].contains("offered to others"));
        assert!(select_text(&page, "main p.hint").iter().any(|h| h.contains("until 24 hours before")));
    }

    async fn used_or_expired_volunteer_invitation_and_desk_links_offer_a_fresh_one(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 10).await;
        let photos = task(&app, &hui, &s.stop_id, "photos", 2).await;
        claim(&app, &photos, "Shake Chen", "shake@example.org").await;
        app.drain().await;
        let enter = app.mails_to("shake@example.org").pop().unwrap().link("/volunteer/enter/");
        let enter = enter.trim_start_matches(&app.address).to_owned();
        let v = app.browser();
        assert_eq!(press_link(&app, &v, &enter).await.status(), 303);
        let b = app.browser();
        let csrf = crate::speakers::assert_spent(&b, &enter, "/volunteer/login").await;
        assert_eq!(b.post_form(&enter, &[("_csrf", &csrf)]).await.status(), 404, "the button too");
        for who in ["shake@example.org", "nobody@example.org"] {
            let res = b.post_form("/volunteer/login", &[("_csrf", &csrf), ("email", who)]).await;
            assert!(res.text().await.unwrap().contains("If this address belongs to a volunteer"), "{who}");
        }
        app.drain().await;
        assert!(app.mails_to("nobody@example.org").is_empty());
        let fresh = app.mails_to("shake@example.org").pop().unwrap().link("/volunteer/enter/");
        crate::speakers::expire_links(&app, "volunteer").await;
        crate::speakers::assert_spent(&app.browser(), fresh.trim_start_matches(&app.address), "/volunteer/login").await;

        // An invitation, used.
        let reg: serde_json::Value = app.api.post(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id))).json(&json!({"name": "Keen", "email": "keen@example.org", "volunteer": true})).send().await.unwrap().json().await.unwrap();
        let org = app.signed_in_browser(&hui).await;
        let csrf = org.csrf_of(&format!("/manage/stops/{}/tasks", s.stop_id)).await;
        org.post_form(&format!("/manage/stops/{}/tasks/invite", s.stop_id), &[("_csrf", &csrf), ("task_id", &photos), ("registration_id", reg["id"].as_str().unwrap())]).await;
        app.drain().await;
        let invite = app.mails_to("keen@example.org").into_iter().rev().find(|m| m.text.contains("/volunteer/accept/")).unwrap().link("/volunteer/accept/");
        assert_eq!(press_link(&app, &app.browser(), &invite).await.status(), 303);
        crate::speakers::assert_spent(&app.browser(), invite.trim_start_matches(&app.address), "/volunteer/login").await;

        // A desk link, in Chinese: how long and until when; used, then a fresh one.
        let stop_page = format!("/manage/stops/{}", s.stop_id);
        let csrf = org.csrf_of(&stop_page).await;
        org.client.post(app.url(&format!("{stop_page}/desk-helpers"))).header("accept-language", "zh-CN").form(&[("_csrf", csrf.as_str()), ("email", "helper@example.org"), ("name", "Helper")]).send().await.unwrap();
        app.drain().await;
        let mail = app.mails_to("helper@example.org").pop().unwrap();
        assert!(mail.text.contains("该链接只能使用一次，有效期 3 天，至 ") && mail.text.contains("（Asia/Shanghai）"), "{}", mail.text);
        let desk = mail.link("/desk/enter/");
        let desk = desk.trim_start_matches(&app.address).to_owned();
        assert_eq!(press_link(&app, &app.browser(), &desk).await.status(), 303);
        let b = app.browser();
        let csrf = crate::speakers::assert_spent(&b, &desk, "/desk/link").await;
        for who in ["helper@example.org", "stranger@example.org"] {
            let res = b.post_form("/desk/link", &[("_csrf", &csrf), ("email", who)]).await;
            assert_eq!(res.status(), 200);
            assert!(res.text().await.unwrap().contains("If this address belongs to a helper of a check-in desk"), "{who}");
        }
        app.drain().await;
        assert!(app.mails_to("stranger@example.org").is_empty());
        let helper_mails = app.mails_to("helper@example.org");
        assert_eq!(helper_mails.len(), 2);
        let fresh = helper_mails.last().unwrap().link("/desk/enter/");
        assert!(helper_mails.last().unwrap().text.contains("The link works once, for 3 days: until "), "in the language of the page that asked");
        assert_eq!(press_link(&app, &app.browser(), &fresh).await.status(), 303, "the fresh link works");
    }
}
