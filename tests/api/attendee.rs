//! The attendee's and the desk's pages, and the jobs before a stop.

use serde_json::json;

use crate::both_backends;
use crate::door::press_link;
use crate::helpers::*;

/// Moves the stop's registrations (and their confirmations) back in time, as if made that
/// many hours ago: the jobs before a stop leave people who just registered alone.
pub async fn backdate_registrations(app: &TestApp, stop_id: &str, hours: i64) {
    use diesel::prelude::*;
    use roadshow::db::schema::registrations as r;
    let stop_id = stop_id.to_owned();
    app.db(move |conn| {
        let rows: Vec<(String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> = r::table
            .filter(r::stop_id.eq(&stop_id))
            .select((r::id, r::created_at, r::confirmed_at))
            .load(conn)
            .unwrap();
        let back = chrono::Duration::hours(hours);
        for (id, created, confirmed) in rows {
            diesel::update(r::table.find(&id))
                .set((
                    r::created_at.eq(created - back),
                    r::confirmed_at.eq(confirmed.map(|c| c - back)),
                ))
                .execute(conn)
                .unwrap();
        }
    })
    .await;
}

both_backends! {
    async fn an_attendee_registers_on_the_stop_page_sees_the_ticket_and_cancels(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 1, None, 30).await;
        let b = app.browser();
        let (status, page) = b.page(&format!("/stops/{}", s.stop_id)).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "#register > p.hint"), vec!["2 places left to register. After that, registrations go to the waitlist."]);
        // A post from another site is refused.
        let res = b.client.post(app.url(&format!("/stops/{}/register", s.stop_id))).header("origin", "https://evil.example").form(&[("name", "X"), ("email", "x@example.org")]).send().await.unwrap();
        assert_eq!(res.status(), 403);
        // Mistakes come back with the typed values.
        let res = b.client.post(app.url(&format!("/stops/{}/register", s.stop_id))).header("origin", &app.address).form(&[("name", "Yejia Xu"), ("email", "nope")]).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(attr(&html, "input[name=name]", "value").as_deref(), Some("Yejia Xu"));

        let res = b.client.post(app.url(&format!("/stops/{}/register", s.stop_id))).header("origin", &app.address).form(&[("name", "Yejia Xu"), ("email", "yejia@example.org"), ("affiliation", "Sina"), ("volunteer", "on")]).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let manage = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(manage.starts_with("/r/"));
        let (status, page) = b.page(&manage).await;
        assert_eq!(status, 200);
        let code = select_text(&page, ".ticket .code")[0].clone();
        assert_eq!(code.len(), 6);
        assert!(page.root_element().html().contains("<svg"), "a QR code");

        // Someone else takes the last place, a third one waits.
        app.register(&s.stop_id, "Second", "second@example.org").await;
        app.register(&s.stop_id, "Third", "third@example.org").await;
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&format!("{manage}/cancel"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = b.page(&manage).await;
        assert!(select_text(&page, ".badge").iter().any(|t| t == "Cancelled"));
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?q=third", s.stop_id)).await).await;
        assert_eq!(list[0]["status"], "confirmed", "the waitlisted person moved up");

        // Deleting one's data leaves the figures and no name.
        let res = b.post_form(&format!("{manage}/erase"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 200);
        let (_, list) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?status=cancelled", s.stop_id)).await).await;
        assert_eq!(list[0]["name"], "");
        assert!(list[0]["email"].as_str().unwrap().ends_with("@invalid"));
        assert_eq!(b.page(&manage).await.0, 404, "the link died with the data");
        assert_eq!(app.stats(&hui, &s.stop_id).await["cancelled"], 1);
    }

    async fn still_coming_answers_count_and_a_no_frees_the_seat(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // Two days ahead: the "still coming?" question is due (3 days before), the 48 h reminder not yet.
        let s = app.open_stop(&hui, 1, None, 2).await;
        let start = chrono::Utc::now() + chrono::Duration::hours(60);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        for who in ["a", "b", "c"] {
            app.register(&s.stop_id, who, &format!("{who}@example.org")).await;
        }
        // Registered a week ago, before the question was due.
        backdate_registrations(&app, &s.stop_id, 24 * 7).await;
        app.drain().await;
        let queued = roadshow::worker::run_scheduled(&app.state).await.unwrap();
        assert_eq!(queued, 2, "the two confirmed are asked");
        assert_eq!(roadshow::worker::run_scheduled(&app.state).await.unwrap(), 0, "once");
        app.drain().await;
        let ask_a = app.mails_to("a@example.org").into_iter().find(|m| m.subject.starts_with("Still coming")).unwrap();
        let ask_b = app.mails_to("b@example.org").into_iter().find(|m| m.subject.starts_with("Still coming")).unwrap();
        let b = app.browser();
        let yes = ask_a.link("/coming/yes");
        let yes = yes.trim_start_matches(&app.address);
        // Opening the link (a mail scanner does) answers nothing; its button does.
        let (status, page) = b.page(yes).await;
        assert_eq!(status, 200);
        b.get(yes).await;
        assert_eq!(app.stats(&hui, &s.stop_id).await["still_coming_yes"], 0);
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(yes, &[("_csrf", &csrf)]).await.status(), 303);
        b.post_form(yes, &[("_csrf", &csrf)]).await;
        let no = ask_b.link("/coming/no");
        let (status, page) = b.page(no.trim_start_matches(&app.address)).await;
        assert_eq!(status, 200, "opening the link asks first");
        assert_eq!(app.stats(&hui, &s.stop_id).await["confirmed"], 2);
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(no.trim_start_matches(&app.address), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let stats = app.stats(&hui, &s.stop_id).await;
        assert_eq!((stats["still_coming_yes"].as_i64(), stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(1), Some(2), Some(0)));
        // The forecast counts the yes: 1 + 0.5 × 1.
        assert_eq!(stats["forecast_attendance"].as_f64(), Some(1.5));
    }

    async fn reminders_go_once_with_the_address_and_directions(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 0).await;
        // Starting in ~0 days: move it 2 hours ahead, within the 3-hour reminder.
        let start = chrono::Utc::now() + chrono::Duration::hours(2);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        app.register(&s.stop_id, "A", "a@example.org").await;
        app.register(&s.stop_id, "B", "b@example.org").await;
        backdate_registrations(&app, &s.stop_id, 24 * 7).await;
        app.drain().await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        for who in ["a", "b"] {
            let reminders: Vec<_> = app.mails_to(&format!("{who}@example.org")).into_iter().filter(|m| m.subject.starts_with("Reminder")).collect();
            assert_eq!(reminders.len(), 1, "only the nearest reminder, once");
            assert!(reminders[0].text.contains("3rd floor") && reminders[0].text.contains("Hall"), "{}", reminders[0].text);
        }
    }

    async fn the_desk_page_works_for_organizers_and_named_helpers_only(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 1).await;
        let other = app.open_stop(&hui, 10, None, 1).await;
        let (_, r) = app.register(&s.stop_id, "Rongze Zhu", "rz@example.org").await;
        let code = r["code"].as_str().unwrap().to_owned();

        // An organizer at the desk, on a phone.
        let org = app.signed_in_browser(&hui).await;
        let desk = format!("/desk/{}", s.stop_id);
        let csrf = org.csrf_of(&desk).await;
        let res = org.post_form(&format!("{desk}/checkin"), &[("_csrf", &csrf), ("code", &code.to_lowercase())]).await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&html, ".result")[0].contains("Rongze Zhu"));
        let res = org.post_form(&format!("{desk}/checkin"), &[("_csrf", &csrf), ("code", "NOPE22")]).await;
        assert_eq!(res.status(), 422);
        // Find by name, walk-in.
        let (_, found) = org.page(&format!("{desk}?q=rongze")).await;
        assert_eq!(select_text(&found, "li strong"), vec!["Rongze Zhu"]);
        let res = org.post_form(&format!("{desk}/walk-in"), &[("_csrf", &csrf), ("name", "Walker"), ("email", "walker@example.org")]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.stats(&hui, &s.stop_id).await["checked_in"], 2);

        // A helper named by the organizer signs in with the mailed link.
        let stop_page = format!("/manage/stops/{}", s.stop_id);
        let csrf = org.csrf_of(&stop_page).await;
        let res = org.post_form(&format!("{stop_page}/desk-helpers"), &[("_csrf", &csrf), ("email", "helper@example.org"), ("name", "Shake")]).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        let link = app.mails_to("helper@example.org")[0].link("/desk/enter/");
        let helper = app.browser();
        let res = press_link(&app, &helper, &link).await;
        assert_eq!(res.status(), 303);
        let csrf = helper.csrf_of(&desk).await;
        let (_, walker) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?q=walker", s.stop_id)).await).await;
        let res = helper.post_form(&format!("{desk}/checkin"), &[("_csrf", &csrf), ("code", walker[0]["code"].as_str().unwrap())]).await;
        assert_eq!(res.status(), 200);
        // …but not another stop's desk, and no organizer page.
        assert_eq!(helper.page(&format!("/desk/{}", other.stop_id)).await.0, 404);
        assert_eq!(helper.get(&format!("/manage/stops/{}/registrations", s.stop_id)).await.status(), 303);
        assert_eq!(helper.get(&format!("/manage/stops/{}/registrations.csv", s.stop_id)).await.status(), 303);
        // Anonymous visitors are sent to sign in; the link works once.
        assert_eq!(app.browser().get(&desk).await.status(), 303);
        assert_eq!(app.browser().get(link.trim_start_matches(&app.address)).await.status(), 404);
    }

    async fn organizers_filter_and_export_the_registrations(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        app.register(&s.stop_id, "=HYPERLINK(\"x\")", "formula@example.org").await;
        app.register(&s.stop_id, "程辉", "hui.cheng@example.org").await;
        let b = app.signed_in_browser(&hui).await;
        let (status, page) = b.page(&format!("/manage/stops/{}/registrations?q=%E7%A8%8B", s.stop_id)).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "tbody tr").len(), 1);
        let res = b.get(&format!("/manage/stops/{}/registrations.csv", s.stop_id)).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        assert_eq!(csv.lines().count(), 3);
        assert!(csv.contains("程辉"));
        assert!(csv.contains("'=HYPERLINK"), "formulas are neutralised: {csv}");
        let (_, api_csv) = (200, app.get(&hui, &format!("/api/v1/stops/{}/registrations?format=csv", s.stop_id)).await.text().await.unwrap());
        assert_eq!(api_csv.lines().count(), 3);
        // The dashboard shows the figures and the chart.
        let (_, dash) = b.page(&format!("/manage/stops/{}", s.stop_id)).await;
        assert!(!select_text(&dash, ".signal").is_empty());
        assert!(dash.root_element().html().contains("<svg"));
        assert!(!dash.root_element().html().contains("??"));
    }
}
