//! Registrations against attendance ratios, with exact numbers.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn registrations_fill_the_target_then_the_waitlist_and_cancellations_promote(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 10 seats, no history: r = p0 = 0.5, so the target is 20.
        let s = app.open_stop(&hui, 10, None, 30).await;
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["capacity"].as_i64(), stats["show_rate"].as_f64(), stats["registration_target"].as_i64()), (Some(10), Some(0.5), Some(20)));
        assert_eq!(stats["signal"], "on_track");

        let mut first_token = String::new();
        for i in 0..20 {
            let (status, body) = app.register(&s.stop_id, &format!("Person {i}"), &format!("p{i}@example.org")).await;
            assert_eq!(status, 201, "{body}");
            assert_eq!(body["status"], "confirmed");
            assert_eq!(body["code"].as_str().unwrap().len(), 6);
            if i == 0 {
                first_token = body["manage_token"].as_str().unwrap().to_owned();
            }
        }
        let (_, w1) = app.register(&s.stop_id, "Wait One", "w1@example.org").await;
        let (_, w2) = app.register(&s.stop_id, "Wait Two", "w2@example.org").await;
        assert_eq!((w1["status"].as_str(), w1["waitlist_position"].as_i64()), (Some("waitlisted"), Some(1)));
        assert_eq!((w2["status"].as_str(), w2["waitlist_position"].as_i64()), (Some("waitlisted"), Some(2)));
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(20), Some(2)));
        assert_eq!(stats["signal"], "goal_reached");

        // The first confirmed person cancels: the oldest waitlisted one is promoted and told.
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?q=p0@", s.stop_id)).await).await;
        let first_id = list[0]["id"].as_str().unwrap().to_owned();
        let (status, body) = json(app.api.post(app.url(&format!("/api/v1/registrations/{first_id}/cancel"))).json(&json!({"manage_token": first_token})).send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "cancelled");
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64(), stats["cancelled"].as_i64()), (Some(20), Some(1), Some(1)));
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?q=w1@", s.stop_id)).await).await;
        assert_eq!(list[0]["status"], "confirmed");
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?q=w2@", s.stop_id)).await).await;
        assert_eq!(list[0]["status"], "waitlisted");

        app.drain().await;
        let promoted = app.mails_to("w1@example.org");
        assert!(promoted.iter().any(|m| m.subject.starts_with("A place freed up")), "{:?}", promoted.iter().map(|m| &m.subject).collect::<Vec<_>>());
        let confirmed = &app.mails_to("p1@example.org")[0];
        assert!(confirmed.subject.starts_with("You're in"));
        assert!(confirmed.ics.contains("BEGIN:VCALENDAR"), "an .ics is attached");
        assert!(confirmed.text.contains(list_code(&app, &hui, &s.stop_id, "p1@").await.as_str()));
        let waitlisted = &app.mails_to("w2@example.org")[0];
        assert!(waitlisted.text.contains("number 2"), "{}", waitlisted.text);

        // Raising the capacity moves the waitlist up at once; confirmed people stay.
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"capacity": 11})).await;
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["registration_target"].as_i64(), stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(22), Some(21), Some(0)));
        // Counters equal the rows.
        let stop_id = s.stop_id.clone();
        assert!(app.db(move |conn| roadshow::services::registrations::counters_match_rows(conn, &stop_id).unwrap()).await);
    }

    async fn the_show_rate_is_learned_from_done_stops(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // A first stop of the tour: 40 confirmed, 30 came, then marked done.
        let first = app.open_stop(&hui, 100, None, 10).await;
        for i in 0..40 {
            assert_eq!(app.register(&first.stop_id, "P", &format!("p{i}@example.org")).await.0, 201);
        }
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", first.stop_id)).await).await;
        for r in list.as_array().unwrap().iter().take(30) {
            let (status, body) = json(app.post(&hui, &format!("/api/v1/stops/{}/checkins", first.stop_id), &json!({"code": r["code"]})).await).await;
            assert_eq!(status, 200, "{body}");
        }
        app.patch(&hui, &format!("/api/v1/stops/{}", first.stop_id), &json!({"status": "done"})).await;
        let done = app.stats(&hui, &first.stop_id).await;
        assert_eq!(done["actual_show_rate"].as_f64(), Some(0.75));
        // The next stop: r = (30 + 20 × 0.5) / (40 + 20) = 2/3, so 10 seats → target 15.
        let next = app.open_stop_in(&hui, &first.tour_id, 10, None, 20).await;
        let stats = app.stats(&hui, &next.stop_id).await;
        assert!((stats["show_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9, "{stats}");
        assert_eq!(stats["registration_target"], 15);
        // An override wins: 10 / 0.8 = 12.
        app.patch(&hui, &format!("/api/v1/stops/{}", next.stop_id), &json!({"show_rate": 0.8})).await;
        assert_eq!(app.stats(&hui, &next.stop_id).await["registration_target"], 12);
        // A person who stayed away shows as a no-show in their history.
        let (_, history) = json(app.get(&hui, "/api/v1/attendance?email=p39@example.org").await).await;
        assert_eq!(history[0]["no_show"], true, "{history}");
        let (_, history) = json(app.get(&hui, "/api/v1/attendance?email=p0@example.org").await).await;
        assert_eq!(history[0]["checked_in"], true);
        // Organizers of other tours do not see it.
        let eve = app.organizer("eve@example.org").await;
        let (_, history) = json(app.get(&eve, "/api/v1/attendance?email=p39@example.org").await).await;
        assert_eq!(history, json!([]));
    }

    async fn signals_warn_of_crowding_and_empty_rooms(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // Within a week and nearly empty: 0.5 × 2 < 20 / 2.
        let s = app.open_stop(&hui, 20, None, 3).await;
        app.register(&s.stop_id, "A", "a@example.org").await;
        app.register(&s.stop_id, "B", "b@example.org").await;
        assert_eq!(app.stats(&hui, &s.stop_id).await["signal"], "empty_risk");
        // Fill it (target 40), then the room falls through and the backup is small.
        for i in 0..38 {
            app.register(&s.stop_id, "P", &format!("p{i}@example.org")).await;
        }
        let small = app.create_venue(&hui, "Small room", "北京", 12).await;
        app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": [small["id"]]})).await;
        let (status, moved) = json(app.post(&hui, &format!("/api/v1/stops/{}/switch-venue", s.stop_id), &json!({"reason": "blackout"})).await).await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["venue_id"], small["id"]);
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!(stats["signal"], "crowding_risk");
        assert_eq!((stats["confirmed"].as_i64(), stats["registration_target"].as_i64(), stats["over_target"].as_i64()), (Some(40), Some(24), Some(16)), "nobody confirmed was demoted");
        let (_, late) = app.register(&s.stop_id, "Late", "late@example.org").await;
        assert_eq!(late["status"], "waitlisted");
    }

    async fn two_hundred_people_racing_for_the_last_ten_places_get_exactly_ten(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 5 seats at a show rate of 0.5: target 10, all of them still free.
        let s = app.open_stop(&hui, 5, Some(0.5), 30).await;
        let url = app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id));
        let requests = (0..200).map(|i| {
            let client = app.api.clone();
            let url = url.clone();
            async move {
                let res = client.post(&url).json(&json!({"name": format!("Racer {i}"), "email": format!("racer{i}@example.org")})).send().await.unwrap();
                let status = res.status().as_u16();
                let body: serde_json::Value = res.json().await.unwrap();
                (status, body["status"].as_str().unwrap_or("").to_owned())
            }
        });
        let results = futures_util::future::join_all(requests).await;
        assert!(results.iter().all(|(s, _)| *s == 201), "{:?}", results.iter().filter(|(s, _)| *s != 201).take(3).collect::<Vec<_>>());
        let confirmed = results.iter().filter(|(_, st)| st == "confirmed").count();
        assert_eq!(confirmed, 10);
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(10), Some(190)));
        let stop_id = s.stop_id.clone();
        assert!(app.db(move |conn| roadshow::services::registrations::counters_match_rows(conn, &stop_id).unwrap()).await);
    }

    async fn registering_twice_returns_the_same_registration_without_personal_data(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let (status, first) = app.register(&s.stop_id, "Hui", "Hui@Example.org").await;
        assert_eq!(status, 201);
        let (status, again) = json(app.api.post(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id))).json(&json!({"name": "Someone else", "email": "hui@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["already_registered"], true);
        // Nothing about that registration: not its id, status or time (anyone may type
        // anyone's address).
        for field in ["id", "status", "created_at", "name", "waitlist_position"] {
            assert!(again.get(field).is_none(), "{field} in {again}");
        }
        assert!(first["id"].is_string());
        assert_eq!(again["code"], serde_json::Value::Null, "no ticket for whoever types the address");
        assert_eq!(again["manage_token"], serde_json::Value::Null);
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", s.stop_id)).await).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["name"], "Hui", "the first registration is untouched");
    }

    async fn cancelling_needs_the_right_token_or_the_stops_organizer(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let (_, r) = app.register(&s.stop_id, "A", "a@example.org").await;
        let id = r["id"].as_str().unwrap();
        let cancel = |body: serde_json::Value| app.api.post(app.url(&format!("/api/v1/registrations/{id}/cancel"))).json(&body).send();
        let (status, _) = json(cancel(json!({"manage_token": "x".repeat(43)})).await.unwrap()).await;
        assert_eq!(status, 403);
        let (status, _) = json(cancel(json!({})).await.unwrap()).await;
        assert_eq!(status, 401);
        let (status, _) = json(app.post(&eve, &format!("/api/v1/registrations/{id}/cancel"), &json!({})).await).await;
        assert_eq!(status, 404, "another tour's organizer");
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", s.stop_id)).await).await;
        assert_eq!(list[0]["status"], "confirmed", "still there");
        let (status, body) = json(app.post(&hui, &format!("/api/v1/registrations/{id}/cancel"), &json!({})).await).await;
        assert_eq!(status, 200);
        assert_eq!(body["status"], "cancelled");
    }

    async fn the_desk_checks_people_in_by_code(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let s = app.open_stop(&hui, 10, None, 1).await;
        let (_, r) = app.register(&s.stop_id, "Rongze", "rz@example.org").await;
        let code = r["code"].as_str().unwrap();
        let path = format!("/api/v1/stops/{}/checkins", s.stop_id);
        let (status, body) = json(app.post(&hui, &path, &json!({"code": code.to_lowercase()})).await).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["checked_in_at"].is_string());
        assert_eq!(body["already_checked_in"], false);
        let (_, again) = json(app.post(&hui, &path, &json!({"code": code})).await).await;
        assert_eq!(again["already_checked_in"], true);
        assert_eq!(again["checked_in_at"], body["checked_in_at"]);
        let (status, body) = json(app.post(&hui, &path, &json!({"code": "ZZZZZZ"})).await).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
        let (status, _) = json(app.post(&eve, &path, &json!({"code": code})).await).await;
        assert_eq!(status, 404, "not their stop");
        let (status, _) = json(app.api.post(app.url(&path)).json(&json!({"code": code})).send().await.unwrap()).await;
        assert_eq!(status, 401);
        // A walk-in is registered and checked in at once.
        let (status, w) = json(app.post(&hui, &format!("/api/v1/stops/{}/walk-ins", s.stop_id), &json!({"name": "Walker", "email": "walk@example.org"})).await).await;
        assert_eq!(status, 201, "{w}");
        assert_eq!(w["walk_in"], true);
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["checked_in"].as_i64()), (Some(2), Some(2)));
    }

    async fn a_venue_switch_emails_everyone_registered_with_an_updated_calendar_entry(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 1 seat at 0.5: target 2; the third person is waitlisted.
        let s = app.open_stop(&hui, 1, None, 30).await;
        let backup = app.create_venue(&hui, "Tsinghua Room 101", "北京", 200).await;
        app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": [backup["id"]]})).await;
        for who in ["a", "b", "c"] {
            app.register(&s.stop_id, who, &format!("{who}@example.org")).await;
        }
        let (_, gone) = app.register(&s.stop_id, "d", "d@example.org").await;
        app.post(&hui, &format!("/api/v1/registrations/{}/cancel", gone["id"].as_str().unwrap()), &json!({})).await;
        app.drain().await;
        let before = app.mail_files().len();

        let (status, stop) = json(app.post(&hui, &format!("/api/v1/stops/{}/switch-venue", s.stop_id), &json!({"reason": "no air-conditioning at weekends"})).await).await;
        assert_eq!(status, 200, "{stop}");
        assert_eq!(stop["venue_name"], "Tsinghua Room 101");
        assert_eq!(stop["backup_venue_ids"], json!([]));
        app.drain().await;
        for who in ["a", "b", "c"] {
            let mails = app.mails_to(&format!("{who}@example.org"));
            let switch = mails.iter().find(|m| m.subject.starts_with("New venue")).unwrap_or_else(|| panic!("{who} was not told"));
            assert!(switch.text.contains("Tsinghua Room 101") && switch.text.contains("3rd floor"), "{}", switch.text);
            assert!(switch.ics.contains("SEQUENCE:1"), "same UID, higher SEQUENCE");
            assert!(switch.ics.contains(&format!("UID:stop-{}@roadshow", s.stop_id)));
        }
        assert!(!app.mails_to("d@example.org").iter().any(|m| m.subject.starts_with("New venue")), "cancelled people are not told");
        // The bigger room moved the waitlisted person up (target 400).
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(3), Some(0)));
        assert!(app.mail_files().len() >= before + 4);
        // The public page shows the new venue.
        let (_, page) = app.browser().page(&format!("/stops/{}", s.stop_id)).await;
        assert!(select_text(&page, "dl.facts dd").join(" ").contains("Tsinghua Room 101"));
        // …and says it moved, and why, for those who saw the old venue.
        let notice = select_text(&page, ".notice.moved p").join(" ");
        assert!(notice.contains("now at Tsinghua Room 101"), "{notice}");
        assert!(notice.contains("no air-conditioning at weekends"), "{notice}");
    }

    async fn registration_input_is_checked(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let url = app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id));
        let post = |body: serde_json::Value| app.api.post(&url).json(&body).send();
        let (status, body) = json(post(json!({"name": "", "email": "not-an-address"})).await.unwrap()).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["name"].is_string() && body["error"]["fields"]["email"].is_string(), "{body}");
        let (status, _) = json(post(json!({"name": "x"})).await.unwrap()).await;
        assert_eq!(status, 422);
        let (status, _) = json(post(json!({"name": "x", "email": "x@example.org", "volunteer": "yes"})).await.unwrap()).await;
        assert_eq!(status, 422);
        let (status, _) = json(app.api.post(&url).header("content-type", "application/json").body("{").send().await.unwrap()).await;
        assert_eq!(status, 400);
        let (status, _) = json(app.api.post(app.url("/api/v1/stops/not-a-stop/registrations")).json(&json!({"name": "x", "email": "x@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 404);
        // A venue that checks IDs needs the legal name.
        app.api.patch(app.url(&format!("/api/v1/venues/{}", s.venue_id))).bearer_auth(&hui.token).json(&json!({"id_check_required": true})).send().await.unwrap();
        let (status, body) = json(post(json!({"name": "Hui", "email": "hui@example.org"})).await.unwrap()).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["legal_name"].is_string());
        let (status, _) = json(post(json!({"name": "Hui", "email": "hui@example.org", "legal_name": "程辉"})).await.unwrap()).await;
        assert_eq!(status, 201);
        // A closed stop takes no registrations; a draft one does not exist for the public.
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "closed"})).await;
        let (status, body) = json(post(json!({"name": "Late", "email": "late@example.org", "legal_name": "L"})).await.unwrap()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("registration_closed")));
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", s.stop_id)).await).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "nothing else was saved");
    }
}

async fn list_code(app: &TestApp, who: &Organizer, stop_id: &str, q: &str) -> String {
    let (_, list) = json(
        app.get(who, &format!("/api/v1/stops/{stop_id}/registrations?q={q}"))
            .await,
    )
    .await;
    list[0]["code"].as_str().unwrap().to_owned()
}

both_backends! {
    async fn a_batch_of_registrations_answers_each_person_in_order(app: TestApp) {
        use roadshow::i18n::Lang;
        use roadshow::services::registrations::{register_batch, RegistrationInput};
        let hui = app.organizer("hui@example.org").await;
        // One seat at a show rate of 1: the target is 1.
        let s = app.open_stop(&hui, 1, Some(1.0), 30).await;
        let person = |name: &str, email: &str| RegistrationInput {
            name: name.into(),
            email: email.into(),
            ..RegistrationInput::default()
        };
        let batch = vec![
            (Lang::En, person("Lin", "lin@example.org")),
            (Lang::En, person("No address", "not an address")),
            (Lang::ZhCn, person("Lin again", "LIN@example.org")),
            (Lang::En, person("Wu", "wu@example.org")),
            (Lang::En, person("Zhao", "zhao@example.org")),
        ];
        let (env, stop) = (app.state.env.clone(), s.stop_id.clone());
        let answers = app.db(move |conn| register_batch(conn, &env, &stop, &batch).unwrap()).await;
        assert_eq!(answers.len(), 5);
        let lin = answers[0].as_ref().unwrap();
        assert!(lin.created && lin.registration.status == roadshow::domain::attendance::RegistrationStatus::Confirmed);
        let bad = answers[1].as_ref().err().expect("a bad address is refused");
        assert!(bad.fields.contains_key("email"), "{bad:?}");
        let again = answers[2].as_ref().unwrap();
        assert!(!again.created, "the same address is the same registration");
        assert_eq!(again.registration.id, lin.registration.id);
        let wu = answers[3].as_ref().unwrap();
        assert_eq!((wu.registration.status.as_str(), wu.waitlist_position), ("waitlisted", Some(1)));
        let zhao = answers[4].as_ref().unwrap();
        assert_eq!(zhao.waitlist_position, Some(2));

        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(1), Some(2)));
        // The waitlist is in the order of the batch: a cancellation promotes Wu, not Zhao.
        let lin_id = lin.registration.id.clone();
        let res = app.post(&hui, &format!("/api/v1/registrations/{lin_id}/cancel"), &json!({})).await;
        assert_eq!(res.status(), 200);
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations", s.stop_id)).await).await;
        let status_of = |email: &str| list.as_array().unwrap().iter().find(|r| r["email"] == email).map(|r| r["status"].clone());
        assert_eq!(status_of("wu@example.org"), Some(json!("confirmed")), "{list}");
        assert_eq!(status_of("zhao@example.org"), Some(json!("waitlisted")), "{list}");
        app.drain().await;
        assert_eq!(app.mails_to("wu@example.org").len(), 2, "waitlisted, then confirmed");
        assert_eq!(app.mails_to("zhao@example.org").len(), 1);
    }
}

both_backends! {
    async fn a_rush_at_the_door_checks_everyone_in_once(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 10 seats at 0.5: target 20. Two more are waitlisted; one confirmed person cancels,
        // which moves the first of them up.
        let s = app.open_stop(&hui, 10, Some(0.5), 1).await;
        let mut people = Vec::new();
        for i in 0..22 {
            let (status, r) = app.register(&s.stop_id, &format!("Guest {i}"), &format!("guest{i}@example.org")).await;
            assert_eq!(status, 201, "{r}");
            people.push(r);
        }
        assert_eq!(people[21]["status"], "waitlisted");
        let cancelled = people[0]["id"].as_str().unwrap().to_owned();
        let res = app.post(&hui, &format!("/api/v1/registrations/{cancelled}/cancel"), &json!({})).await;
        assert_eq!(res.status(), 200);
        // Every code scanned four times at once, in lower case too.
        let url = app.url(&format!("/api/v1/stops/{}/checkins", s.stop_id));
        let requests = (0..4).flat_map(|round| people.iter().map(move |p| (round, p))).map(|(round, p)| {
            let client = app.api.clone();
            let url = url.clone();
            let token = hui.token.clone();
            let code = p["code"].as_str().unwrap().to_owned();
            let code = if round % 2 == 0 { code } else { code.to_lowercase() };
            let id = p["id"].as_str().unwrap().to_owned();
            async move {
                let res = client.post(&url).bearer_auth(token).json(&json!({"code": code})).send().await.unwrap();
                let status = res.status().as_u16();
                let body: serde_json::Value = res.json().await.unwrap();
                (id, status, body)
            }
        });
        let results = futures_util::future::join_all(requests).await;
        for p in &people {
            let id = p["id"].as_str().unwrap();
            let mine: Vec<_> = results.iter().filter(|(i, _, _)| i == id).collect();
            assert_eq!(mine.len(), 4);
            if id == cancelled {
                assert!(mine.iter().all(|(_, s, b)| *s == 409 && b["error"]["code"] == "registration_cancelled"), "{mine:?}");
                continue;
            }
            assert!(mine.iter().all(|(_, s, _)| *s == 200), "{mine:?}");
            let first = mine.iter().filter(|(_, _, b)| b["already_checked_in"] == false).count();
            assert_eq!(first, 1, "one first check-in per person: {mine:?}");
            let times: std::collections::HashSet<_> = mine.iter().map(|(_, _, b)| b["checked_in_at"].to_string()).collect();
            assert_eq!(times.len(), 1, "every answer shows the first check-in's time: {mine:?}");
        }
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!(
            (stats["confirmed"].as_i64(), stats["waitlisted"].as_i64(), stats["checked_in"].as_i64()),
            (Some(21), Some(0), Some(21)),
            "the one still waitlisted was let in at the door"
        );
        let stop_id = s.stop_id.clone();
        assert!(app.db(move |conn| roadshow::services::registrations::counters_match_rows(conn, &stop_id).unwrap()).await);
    }

    async fn a_batch_of_check_ins_answers_a_repeated_code_as_a_repeat(app: TestApp) {
        use roadshow::models::registration::Registration;
        use roadshow::services::registrations::check_in_batch;
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 1).await;
        let (_, a) = app.register(&s.stop_id, "A", "a@example.org").await;
        let (_, b) = app.register(&s.stop_id, "B", "b@example.org").await;
        let (stop, a_id, b_id) = (s.stop_id.clone(), a["id"].as_str().unwrap().to_owned(), b["id"].as_str().unwrap().to_owned());
        let answers = app
            .db(move |conn| {
                let a = Registration::find(conn, &a_id).unwrap().unwrap();
                let b = Registration::find(conn, &b_id).unwrap().unwrap();
                check_in_batch(conn, &stop, &[a.clone(), b, a]).unwrap()
            })
            .await;
        let already: Vec<_> = answers.iter().map(|r| r.as_ref().map(|c| c.already).unwrap()).collect();
        assert_eq!(already, vec![false, false, true]);
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!(stats["checked_in"].as_i64(), Some(2));
    }
}
