use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn venues_keep_every_field_and_their_history(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let body = json!({
            "name": "3W咖啡", "city": "深圳", "address": "南山区科技园", "directions": "二楼，进门右转",
            "capacity": 80, "kind": "cafe", "cost": "shared", "cost_note": "AA制，每人 30 元",
            "contact": "王先生", "weekday_only": false, "id_check_required": true, "caveats": "空间有限"
        });
        let venue = app.post_ok(&hui, "/api/v1/venues", &body, 201).await;
        for key in ["name", "city", "address", "directions", "capacity", "kind", "cost", "cost_note", "contact", "weekday_only", "id_check_required", "caveats"] {
            assert_eq!(venue[key], body[key], "{key}");
        }
        let id = venue["id"].as_str().unwrap();

        let tour = app.create_tour(&hui, "Tour").await;
        app.create_stop(&hui, tour["id"].as_str().unwrap(), id, &[]).await;
        let (status, got) = json(app.get(&hui, &format!("/api/v1/venues/{id}")).await).await;
        assert_eq!(status, 200);
        assert_eq!(got["name"], "3W咖啡");
        assert_eq!(got["history"].as_array().unwrap().len(), 1);
        assert_eq!(got["history"][0]["city"], "北京");

        // Another organizer sees the shared venue but not the draft tour's stop held there.
        let eve = app.organizer("eve@example.org").await;
        let (_, seen) = json(app.get(&eve, &format!("/api/v1/venues/{id}")).await).await;
        assert_eq!(seen["history"], json!([]));
        // …and may not change it.
        let (status, _) = json(app.patch(&eve, &format!("/api/v1/venues/{id}"), &json!({"address": "elsewhere"})).await).await;
        assert_eq!(status, 403);
        let (status, got) = json(app.patch(&hui, &format!("/api/v1/venues/{id}"), &json!({"capacity": 90})).await).await;
        assert_eq!(status, 200);
        assert_eq!(got["capacity"], 90);
        assert_eq!(got["name"], "3W咖啡", "untouched fields stay");

        let (_, found) = json(app.get(&hui, "/api/v1/venues?q=%E6%B7%B1%E5%9C%B3").await).await;
        assert_eq!(found.as_array().unwrap().len(), 1, "search by city 深圳");
        let (_, found) = json(app.get(&hui, "/api/v1/venues?q=nowhere").await).await;
        assert_eq!(found, json!([]));
    }

    async fn venue_input_is_checked(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (status, body) = json(app.post(&hui, "/api/v1/venues", &json!({"name": "", "city": "Beijing", "capacity": 0, "kind": "castle"})).await).await;
        assert_eq!(status, 422, "{body}");
        // An unknown kind is caught while reading the body; the rest after.
        assert!(body["error"]["fields"]["kind"].is_string(), "{body}");
        let (status, body) = json(app.post(&hui, "/api/v1/venues", &json!({"name": "", "city": "Beijing", "capacity": 0})).await).await;
        assert_eq!(status, 422);
        let fields = &body["error"]["fields"];
        assert!(fields["name"].is_string() && fields["capacity"].is_string(), "{body}");
        let (_, list) = json(app.get(&hui, "/api/v1/venues").await).await;
        assert_eq!(list, json!([]), "nothing half-saved");
    }
}

/// A stop of `tour` at `venue` (backups: `backups`), `days` from now, open.
async fn stop_at(
    app: &TestApp,
    who: &Organizer,
    tour: &str,
    venue: &str,
    backups: &[&str],
    days: i64,
) -> String {
    let start = chrono::Utc::now() + chrono::Duration::days(days);
    let end = start + chrono::Duration::hours(4);
    let stop = app.post_ok(who, &format!("/api/v1/tours/{tour}/stops"), &json!({
        "city": format!("City {days}"), "starts_at": start.to_rfc3339(), "ends_at": end.to_rfc3339(),
        "timezone": "Asia/Shanghai", "venue_id": venue, "backup_venue_ids": backups, "status": "open"
    }), 201).await;
    stop["id"].as_str().unwrap().to_owned()
}

/// Alice's venue with a stop of her tour there; Dave's tour with a stop there too.
struct SharedVenue {
    alice: Organizer,
    dave: Organizer,
    venue: String,
    alice_stop: String,
    dave_tour: String,
    dave_stop: String,
}

async fn shared_venue(app: &TestApp) -> SharedVenue {
    let alice = app.organizer("alice@example.org").await;
    let dave = app.organizer("dave@example.org").await;
    let venue = app.create_venue(&alice, "Alpha Hall", "Beijing", 20).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let alice_tour = app.create_tour(&alice, "Alice Tour").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let alice_stop = stop_at(app, &alice, &alice_tour, &venue, &[], 30).await;
    let dave_tour = app.create_tour(&dave, "dave draft").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dave_stop = stop_at(app, &dave, &dave_tour, &venue, &[], 40).await;
    SharedVenue {
        alice,
        dave,
        venue,
        alice_stop,
        dave_tour,
        dave_stop,
    }
}

both_backends! {
    async fn a_stranger_cannot_edit_a_venue_used_by_their_tour(app: TestApp) {
        let w = shared_venue(&app).await;
        let path = format!("/api/v1/venues/{}", w.venue);
        let evil = json!({"address": "EVIL ADDRESS, go to the dark alley", "directions": "bring cash", "capacity": 2, "id_check_required": true});
        let (status, body) = json(app.patch(&w.dave, &path, &evil).await).await;
        assert_eq!(status, 403, "a stop at the venue grants nothing: {body}");
        // Nor a backup list, a venue switch to it, or a clone of a stop held there.
        let other = app.create_venue(&w.dave, "Dave Hall", "Beijing", 50).await["id"].as_str().unwrap().to_owned();
        stop_at(&app, &w.dave, &w.dave_tour, &other, &[w.venue.as_str()], 50).await;
        let moved = stop_at(&app, &w.dave, &w.dave_tour, &other, &[], 60).await;
        let (status, _) = json(app.post(&w.dave, &format!("/api/v1/stops/{moved}/switch-venue"), &json!({"venue_id": w.venue, "reason": "bigger"})).await).await;
        assert_eq!(status, 200);
        app.post(&w.dave, &format!("/api/v1/stops/{}/clone", w.dave_stop), &json!({})).await;
        let (status, _) = json(app.patch(&w.dave, &path, &evil).await).await;
        assert_eq!(status, 403);
        let (_, venue) = json(app.get(&w.alice, &path).await).await;
        assert_eq!((venue["address"].as_str(), venue["capacity"].as_i64(), venue["id_check_required"].as_bool()), (Some("1 Alpha Hall Road, Beijing"), Some(20), Some(false)), "{venue}");
        assert_eq!(venue["editable"], true);
        let (_, seen) = json(app.get(&w.dave, &path).await).await;
        assert_eq!(seen["editable"], false);
        let stats = app.stats(&w.alice, &w.alice_stop).await;
        assert_eq!(stats["capacity"], 20);
    }

    async fn a_stranger_cannot_edit_a_venue_through_the_web_form(app: TestApp) {
        let w = shared_venue(&app).await;
        let b = app.signed_in_browser(&w.dave).await;
        let edit = format!("/manage/venues/{}/edit", w.venue);
        assert_eq!(b.get(&edit).await.status(), 403);
        let csrf = b.csrf_of("/manage/tours/new").await;
        let res = b.post_form(&edit, &[("_csrf", &csrf), ("name", "Alpha Hall"), ("city", "Beijing"), ("address", "EVIL"), ("capacity", "2"), ("kind", "other"), ("cost", "free")]).await;
        assert_eq!(res.status(), 403);
        let (_, venue) = json(app.get(&w.alice, &format!("/api/v1/venues/{}", w.venue)).await).await;
        assert_eq!(venue["address"], "1 Alpha Hall Road, Beijing");
        assert_eq!(venue["capacity"], 20);
        // The page says who may change it and offers the rest.
        let (status, page) = b.page(&format!("/manage/venues/{}", w.venue)).await;
        assert_eq!(status, 200);
        assert!(attr(&page, &format!("a[href='{edit}']"), "href").is_none());
        assert!(attr(&page, &format!("a[href='/manage/venues/{}/suggest']", w.venue), "href").is_some());
        assert!(attr(&page, &format!("a[href='/manage/venues/{}/copy']", w.venue), "href").is_some());
        assert!(select_text(&page, ".notice").iter().any(|t| t.contains("only its creator and site admins")));
        // Its creator still edits it on the form.
        let a = app.signed_in_browser(&w.alice).await;
        let (_, page) = a.page(&format!("/manage/venues/{}", w.venue)).await;
        assert!(attr(&page, &format!("a[href='{edit}']"), "href").is_some());
        let csrf = a.csrf_of(&edit).await;
        let res = a.post_form(&edit, &[("_csrf", &csrf), ("name", "Alpha Hall"), ("city", "Beijing"), ("address", "2 Alpha Road"), ("capacity", "30"), ("kind", "other"), ("cost", "free")]).await;
        assert_eq!(res.status(), 303);
    }

    async fn a_suggested_change_is_mailed_to_the_venues_creator(app: TestApp) {
        let w = shared_venue(&app).await;
        let path = format!("/api/v1/venues/{}/suggestions", w.venue);
        let (status, body) = json(app.post(&w.dave, &path, &json!({"address": "3 Beta Street", "capacity": 25, "message": "The hall moved across the street."})).await).await;
        assert_eq!((status, body["sent_to"].as_str()), (202, Some("creator")), "{body}");
        app.drain().await;
        let mails = app.mails_to("alice@example.org");
        let mail = mails.iter().find(|m| m.subject.contains("suggested change")).expect("a suggestion");
        assert!(mail.text.contains("1 Alpha Hall Road, Beijing → 3 Beta Street"), "{}", mail.text);
        assert!(mail.text.contains("20 → 25") && mail.text.contains("The hall moved across the street."), "{}", mail.text);
        assert!(mail.raw.to_ascii_lowercase().contains("reply-to: dave@example.org"), "replies go to the suggester");
        assert!(app.mails_to("dave@example.org").is_empty());
        let (_, venue) = json(app.get(&w.alice, &format!("/api/v1/venues/{}", w.venue)).await).await;
        assert_eq!(venue["address"], "1 Alpha Hall Road, Beijing", "nothing changes by a suggestion");
        // Nothing to suggest; one's own venue; too many.
        let (status, _) = json(app.post(&w.dave, &path, &json!({})).await).await;
        assert_eq!(status, 422);
        let (status, _) = json(app.post(&w.alice, &path, &json!({"message": "x"})).await).await;
        assert_eq!(status, 409);
        for _ in 1..10 {
            let (status, _) = json(app.post(&w.dave, &path, &json!({"message": "again"})).await).await;
            assert_eq!(status, 202);
        }
        let (status, _) = json(app.post(&w.dave, &path, &json!({"message": "again"})).await).await;
        assert_eq!(status, 429);
        // A venue nobody created: the site admins are asked.
        let admin = app.organizer_with("admin@example.org", true).await;
        let orphan = app.create_venue(&admin, "Demo Hall", "Beijing", 10).await["id"].as_str().unwrap().to_owned();
        let o = orphan.clone();
        app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::venues;
            diesel::update(venues::table.find(&o)).set(venues::created_by.eq(None::<String>)).execute(conn).unwrap();
        }).await;
        let eve = app.organizer("eve@example.org").await;
        let (status, body) = json(app.post(&eve, &format!("/api/v1/venues/{orphan}/suggestions"), &json!({"message": "Closed on Sundays."})).await).await;
        assert_eq!((status, body["sent_to"].as_str()), (202, Some("site_admins")), "{body}");
        app.drain().await;
        assert!(app.mails_to("admin@example.org").iter().any(|m| m.text.contains("Closed on Sundays.")));
        // The web form sends one too.
        let b = app.signed_in_browser(&eve).await;
        let form = format!("/manage/venues/{}/suggest", w.venue);
        let csrf = b.csrf_of(&form).await;
        let res = b.post_form(&form, &[("_csrf", &csrf), ("name", "Alpha Hall"), ("city", "Beijing"), ("address", "1 Alpha Hall Road, Beijing"), ("directions", "Take the lift to the 3rd floor."), ("capacity", "20"), ("kind", "company_office"), ("cost", "free"), ("contact", "Ms. Li, 138 0000 0000"), ("message", "The lift is broken.")]).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        assert!(app.mails_to("alice@example.org").iter().any(|m| m.text.contains("The lift is broken.") && !m.text.contains("→")), "a message alone, no field changed");
    }

    async fn a_copy_is_the_callers_own_and_takes_over_their_stops(app: TestApp) {
        let w = shared_venue(&app).await;
        let other = app.create_venue(&w.dave, "Dave Hall", "Beijing", 50).await["id"].as_str().unwrap().to_owned();
        let backed = stop_at(&app, &w.dave, &w.dave_tour, &other, &[w.venue.as_str()], 50).await;
        let path = format!("/api/v1/venues/{}/copy", w.venue);
        let (status, _) = json(app.post(&w.dave, &path, &json!({"stop_ids": [w.alice_stop]})).await).await;
        assert_eq!(status, 422, "not dave's stop");
        let (status, copy) = json(app.post(&w.dave, &path, &json!({"stop_ids": [w.dave_stop, backed]})).await).await;
        assert_eq!(status, 201, "{copy}");
        assert_eq!(copy["copied_from"], w.venue.as_str());
        assert_eq!(copy["moved_stops"], 2);
        assert_eq!((copy["address"].as_str(), copy["capacity"].as_i64()), (Some("1 Alpha Hall Road, Beijing"), Some(20)));
        let copy_id = copy["id"].as_str().unwrap().to_owned();
        let (_, s) = json(app.get(&w.dave, &format!("/api/v1/stops/{}", w.dave_stop)).await).await;
        assert_eq!(s["venue_id"], copy_id.as_str(), "{s}");
        let (_, s) = json(app.get(&w.dave, &format!("/api/v1/stops/{backed}")).await).await;
        assert!(s.to_string().contains(&copy_id) && !s.to_string().contains(&w.venue), "backup replaced: {s}");
        let (_, s) = json(app.get(&w.alice, &format!("/api/v1/stops/{}", w.alice_stop)).await).await;
        assert_eq!(s["venue_id"], w.venue.as_str(), "alice's stop stays");
        // The copy is dave's to change; the original is not.
        let (status, changed) = json(app.patch(&w.dave, &format!("/api/v1/venues/{copy_id}"), &json!({"directions": "Use the side door."})).await).await;
        assert_eq!((status, changed["directions"].as_str()), (200, Some("Use the side door.")));
        let (status, _) = json(app.patch(&w.alice, &format!("/api/v1/venues/{copy_id}"), &json!({"directions": "x"})).await).await;
        assert_eq!(status, 403);
        // The web page makes a copy too, and names the origin.
        let b = app.signed_in_browser(&w.dave).await;
        let form = format!("/manage/venues/{}/copy", w.venue);
        let csrf = b.csrf_of(&form).await;
        let res = b.post_form(&form, &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let (_, page) = b.page(&location).await;
        assert_eq!(attr(&page, "p.hint a", "href").unwrap(), format!("/manage/venues/{}", w.venue));
    }

    async fn the_creators_change_is_mailed_to_the_teams_of_tours_held_there(app: TestApp) {
        let w = shared_venue(&app).await;
        let dave_co = app.organizer("dave.co@example.org").await;
        app.post_ok(&w.dave, &format!("/api/v1/tours/{}/members", w.dave_tour), &json!({"email": dave_co.email, "role": "organizer"}), 201).await;
        let before = app.stats(&w.dave, &w.dave_stop).await;
        assert_eq!(before["registration_target"], 40);
        app.drain().await;
        let (status, _) = json(app.patch(&w.alice, &format!("/api/v1/venues/{}", w.venue), &json!({"address": "3 Beta Street", "capacity": 2, "id_check_required": true})).await).await;
        assert_eq!(status, 200);
        app.drain().await;
        for who in ["dave@example.org", "dave.co@example.org"] {
            let mails: Vec<Mail> = app.mails_to(who).into_iter().filter(|m| m.subject.starts_with("Venue changed")).collect();
            assert_eq!(mails.len(), 1, "{who}");
            let t = &mails[0].text;
            assert!(t.contains("1 Alpha Hall Road, Beijing → 3 Beta Street"), "{t}");
            assert!(t.contains("20 → 2") && t.contains("no → yes"), "{t}");
            assert!(t.contains("dave draft · City 40"), "{t}");
            assert!(t.contains("registration target moves from 40 to 4"), "{t}");
        }
        assert!(app.mails_to("alice@example.org").iter().all(|m| !m.subject.starts_with("Venue changed")), "not the editor");
        assert_eq!(app.stats(&w.dave, &w.dave_stop).await["registration_target"], 4);
        // No change, no mail.
        app.patch(&w.alice, &format!("/api/v1/venues/{}", w.venue), &json!({"capacity": 2})).await;
        app.drain().await;
        assert_eq!(app.mails_to("dave@example.org").iter().filter(|m| m.subject.starts_with("Venue changed")).count(), 1);
    }
}
