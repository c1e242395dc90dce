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

/// Posts a public form as a browser on this site does.
async fn post_public(
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

fn page_of(text: &str) -> scraper::Html {
    scraper::Html::parse_document(text)
}

both_backends! {
    async fn a_lost_link_is_mailed_to_its_own_address_with_the_same_answer_for_anyone(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let lost = format!("/stops/{}/lost-link", s.stop_id);
        let b = app.browser();
        // Linked from the stop page (the registration form).
        let (_, stop_page) = b.page(&format!("/stops/{}", s.stop_id)).await;
        assert_eq!(attr(&stop_page, "#register a[href$='/lost-link']", "href").as_deref(), Some(lost.as_str()));
        let (_, reg) = app.register(&s.stop_id, "Yejia Xu", "yejia@example.org").await;
        let first_link = format!("/r/{}", reg["manage_token"].as_str().unwrap());
        app.drain().await;
        let before = app.mail_files().len();

        let (status, page) = b.page(&lost).await;
        assert_eq!(status, 200);
        assert!(select_text(&page, "h1")[0].contains("link"));
        // A registered address and an unknown one get the same answer.
        let known = post_public(&app, &lost, &[("email", " Yejia@Example.org ")], "en").await;
        assert_eq!(known.status(), 200);
        let known = page_of(&known.text().await.unwrap());
        let unknown = post_public(&app, &lost, &[("email", "nobody@example.org")], "en").await;
        assert_eq!(unknown.status(), 200);
        let unknown = page_of(&unknown.text().await.unwrap());
        assert_eq!(select_text(&known, "main"), select_text(&unknown, "main"));
        assert!(select_text(&known, ".flash.success")[0].contains("If this address is registered"));
        app.drain().await;
        assert_eq!(app.mail_files().len(), before + 1, "one e-mail, to the registered address only");
        assert!(app.mails_to("nobody@example.org").is_empty());
        let mail = app.mails_to("yejia@example.org").into_iter().last().unwrap();
        assert!(mail.subject.starts_with("The link to your registration"), "{}", mail.subject);
        assert_eq!(mail.link("/r/").trim_start_matches(&app.address), first_link, "the same link as the confirmation's");
        assert_eq!(b.get(&first_link).await.status(), 200, "which still works");

        // At most one such e-mail per address every ten minutes (registering again counts too).
        post_public(&app, &lost, &[("email", "yejia@example.org")], "en").await;
        app.register(&s.stop_id, "Someone", "yejia@example.org").await;
        app.drain().await;
        assert_eq!(app.mail_files().len(), before + 1);
        // Another address registered again: its "registered again" e-mail holds off the page.
        app.register(&s.stop_id, "Bo", "bo@example.org").await;
        app.register(&s.stop_id, "Bo", "bo@example.org").await;
        app.drain().await;
        let n = app.mails_to("bo@example.org").len();
        post_public(&app, &lost, &[("email", "bo@example.org")], "en").await;
        app.drain().await;
        assert_eq!(app.mails_to("bo@example.org").len(), n);

        // The "already registered" answer links here too.
        let res = post_public(&app, &format!("/stops/{}/register", s.stop_id), &[("name", "X"), ("email", "yejia@example.org")], "en").await;
        assert_eq!(res.status(), 200);
        let already = page_of(&res.text().await.unwrap());
        assert_eq!(attr(&already, "main a[href$='/lost-link']", "href").as_deref(), Some(lost.as_str()));

        // In Chinese; a bad address marks the field; a closed stop keeps the link.
        let res = post_public(&app, &lost, &[("email", "nope")], "zh-CN").await;
        assert_eq!(res.status(), 422);
        let html = page_of(&res.text().await.unwrap());
        assert_eq!(select_text(&html, ".field.invalid .error"), vec!["这不是有效的电子邮箱地址。"]);
        assert_eq!(attr(&html, "input[name=email]", "value").as_deref(), Some("nope"));
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "closed"})).await;
        let (_, closed) = b.page(&format!("/stops/{}", s.stop_id)).await;
        assert!(select_text(&closed, "#register").is_empty());
        assert_eq!(attr(&closed, "a[href$='/lost-link']", "href").as_deref(), Some(lost.as_str()));
        // A draft stop (or one of a draft tour) has no such page.
        let draft = app.create_stop(&hui, &s.tour_id, &s.venue_id, &[]).await;
        assert_eq!(b.page(&format!("/stops/{}/lost-link", draft["id"].as_str().unwrap())).await.0, 404);
        assert_eq!(post_public(&app, &format!("/stops/{}/lost-link", draft["id"].as_str().unwrap()), &[("email", "yejia@example.org")], "en").await.status(), 404);
    }

    async fn cancelling_deleting_and_a_new_link_ask_first_and_cancelling_offers_to_register_again(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // One place at a show rate of 1: the second person waits.
        let s = app.open_stop(&hui, 1, Some(1.0), 30).await;
        let (_, a) = app.register(&s.stop_id, "Ann", "ann@example.org").await;
        let (_, w) = app.register(&s.stop_id, "Wai", "wai@example.org").await;
        let b = app.browser();
        let manage = format!("/r/{}", a["manage_token"].as_str().unwrap());
        let (_, page) = b.page(&manage).await;
        for (action, says) in [
            ("cancel", "Your place goes to the next person on the waitlist."),
            ("erase", "Your registration is cancelled and your name and address are erased; this cannot be undone."),
            ("new-link", "The link to this page stops working at once"),
        ] {
            let sel = format!("details.confirm:has(form[action='{manage}/{action}'])");
            let text = select_text(&page, &sel);
            assert_eq!(text.len(), 1, "{action} asks first");
            assert!(text[0].contains(says), "{action}: {}", text[0]);
            assert!(!select_text(&page, &format!("{sel} > summary")).is_empty());
        }
        // The waitlisted person is told what leaving means, and thanked for nothing else.
        let wait = format!("/r/{}", w["manage_token"].as_str().unwrap());
        let (_, wpage) = b.page(&wait).await;
        assert!(select_text(&wpage, &format!("details.confirm:has(form[action='{wait}/cancel'])"))[0].contains("You leave the waitlist"));
        let wb = app.browser();
        let csrf = wb.csrf_of(&wait).await;
        assert_eq!(wb.post_form(&format!("{wait}/cancel"), &[("_csrf", &csrf)]).await.status(), 303);
        let (_, wpage) = wb.page(&wait).await;
        assert_eq!(select_text(&wpage, ".flash.success"), vec!["You left the waitlist."]);

        // Ann cancels: the page offers to register again, the e-mail links to the stop.
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(&format!("{manage}/cancel"), &[("_csrf", &csrf)]).await.status(), 303);
        let (_, page) = b.page(&manage).await;
        assert_eq!(select_text(&page, ".flash.success"), vec!["Your registration is cancelled. Thank you for freeing your seat."]);
        assert_eq!(attr(&page, ".actions a[href$='#register']", "href"), Some(format!("/stops/{}#register", s.stop_id)));
        app.drain().await;
        let mail = app.mails_to("ann@example.org").into_iter().find(|m| m.subject.contains("cancelled") || m.text.contains("is cancelled")).unwrap();
        assert_eq!(mail.link("/stops/"), app.url(&format!("/stops/{}", s.stop_id)));
        // Once the stop no longer takes registrations, no such offer.
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "closed"})).await;
        let (_, page) = b.page(&manage).await;
        assert!(attr(&page, "a[href$='#register']", "href").is_none());
    }

    async fn the_stop_page_says_places_are_to_register_and_then_the_button_joins_the_waitlist(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 1 seat at a show rate of 0.5: two places to register.
        let s = app.open_stop(&hui, 1, Some(0.5), 30).await;
        let path = format!("/stops/{}", s.stop_id);
        let b = app.browser();
        app.register(&s.stop_id, "A", "a@example.org").await;
        let (_, page) = b.page(&path).await;
        assert_eq!(select_text(&page, "#register > p.hint"), vec!["1 place left to register. After that, registrations go to the waitlist."]);
        assert_eq!(select_text(&page, "#register button[type=submit]"), vec!["Register"]);
        app.register(&s.stop_id, "B", "b@example.org").await;
        let (_, page) = b.page(&path).await;
        assert!(select_text(&page, "#register > p.notice")[0].starts_with("Every place to register is taken: registrations now go to the waitlist"));
        assert_eq!(select_text(&page, "#register button[type=submit]"), vec!["Join the waitlist"]);
        let res = app.api.get(app.url(&path)).header("accept-language", "zh-CN").send().await.unwrap();
        let zh = page_of(&res.text().await.unwrap());
        assert_eq!(select_text(&zh, "#register button[type=submit]"), vec!["加入候补名单"]);
        assert!(select_text(&zh, "#register > p.notice")[0].contains("候补名单"));
    }

    async fn people_who_just_registered_get_no_still_coming_question_and_no_reminder_on_its_heels(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // Sixty hours ahead: "still coming?" is due (3 days before).
        let s = app.open_stop(&hui, 10, None, 2).await;
        let start = chrono::Utc::now() + chrono::Duration::hours(60);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        app.register(&s.stop_id, "Early", "early@example.org").await;
        backdate_registrations(&app, &s.stop_id, 24 * 7).await;
        app.register(&s.stop_id, "Today", "today@example.org").await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let asked = |who: &str| app.mails_to(who).into_iter().filter(|m| m.subject.starts_with("Still coming")).count();
        assert_eq!(asked("early@example.org"), 1);
        assert_eq!(asked("today@example.org"), 0, "registered minutes ago");

        // Two hours before the start: the reminder, but not to someone who registered just now.
        let start = chrono::Utc::now() + chrono::Duration::hours(2);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        backdate_registrations(&app, &s.stop_id, 2).await;
        app.register(&s.stop_id, "Late", "late@example.org").await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let reminded = |who: &str| app.mails_to(who).into_iter().filter(|m| m.subject.starts_with("Reminder")).count();
        assert_eq!(reminded("early@example.org"), 1);
        assert_eq!(reminded("today@example.org"), 1, "registered two hours ago by now");
        assert_eq!(reminded("late@example.org"), 0, "the confirmation has just told them");
        assert!(app.mails_to("late@example.org").iter().any(|m| m.subject.starts_with("You're in")));
    }

    async fn counts_dates_and_times_read_as_people_write_them(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let (_, tour) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        let b = app.browser();
        // A one-day tour of one stop: one date, "1 stop".
        let (_, home) = b.page("/").await;
        let meta = select_text(&home, ".card .meta")[0].clone();
        assert!(!meta.contains(" – "), "{meta}");
        assert!(meta.ends_with("· 1 stop"), "{meta}");
        let res = app.api.get(app.url("/")).header("accept-language", "zh-CN").send().await.unwrap();
        let zh = page_of(&res.text().await.unwrap());
        assert!(select_text(&zh, ".card .meta")[0].ends_with("· 1 站"));
        // The tour page's stops carry their time and zone.
        let (_, tour_page) = b.page(&format!("/tours/{}", tour["slug"].as_str().unwrap())).await;
        let when = select_text(&tour_page, ".timeline time")[0].clone();
        assert!(when.ends_with(" (Asia/Shanghai)") && when.contains(", "), "{when}");
        let res = app.api.get(app.url(&format!("/stops/{}", s.stop_id))).header("accept-language", "zh-CN").send().await.unwrap();
        let zh = page_of(&res.text().await.unwrap());
        let when = select_text(&zh, "dl.facts time")[0].clone();
        assert!(when.ends_with("（Asia/Shanghai）") && !when.contains(','), "{when}");
        // A second stop on another day: a span.
        app.open_stop_in(&hui, &s.tour_id, 10, None, 40).await;
        let (_, home) = b.page("/").await;
        let meta = select_text(&home, ".card .meta")[0].clone();
        assert!(meta.contains(" – ") && meta.ends_with("· 2 stops"), "{meta}");

        // Check-in times in the stop's zone, named; one no-show, not "1 no-shows".
        let (_, r) = app.register(&s.stop_id, "Rongze", "rz@example.org").await;
        let (status, _) = json(app.post(&hui, &format!("/api/v1/stops/{}/checkins", s.stop_id), &json!({"code": r["code"]})).await).await;
        assert_eq!(status, 200);
        let org = app.signed_in_browser(&hui).await;
        let (_, list) = org.page(&format!("/manage/stops/{}/registrations", s.stop_id)).await;
        let cells = select_text(&list, "tbody td");
        assert!(cells.iter().any(|c| c.ends_with(" (Asia/Shanghai)") && c.len() == "00:00 (Asia/Shanghai)".len()), "{cells:?}");
        let (_, ticket) = app.browser().page(&format!("/r/{}", r["manage_token"].as_str().unwrap())).await;
        assert!(select_text(&ticket, ".ticket p")[2].ends_with("(Asia/Shanghai)"), "{:?}", select_text(&ticket, ".ticket p"));

        // A Chinese e-mail: full-width colons and brackets, the date without an ASCII comma.
        let res = post_public(&app, &format!("/stops/{}/register", s.stop_id), &[("name", "程辉"), ("email", "hui.cheng@example.org")], "zh-CN").await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        let mail = app.mails_to("hui.cheng@example.org").into_iter().next().unwrap();
        let text = mail.text.split("BEGIN:VCALENDAR").next().unwrap().to_owned();
        assert!(text.contains("你的签到码："), "{text}");
        let when = text.lines().find(|l| l.starts_with("时间")).unwrap();
        assert!(when.starts_with("时间：") && when.ends_with("（Asia/Shanghai）") && !when.contains(','), "{when}");
        assert!(!text.contains("码:") && !text.contains("间:"), "{text}");
    }
}

#[actix_web::test]
async fn the_lost_link_page_is_limited_per_client() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.abuse.rate_limits = "on".into();
        s.abuse.rate_limit_sign_in_links = 2;
    })
    .await
    .unwrap();
    let hui = app.organizer("hui@example.org").await;
    let s = app.open_stop(&hui, 10, None, 30).await;
    let lost = format!("/stops/{}/lost-link", s.stop_id);
    let mut statuses = Vec::new();
    for i in 0..4 {
        let res = post_public(
            &app,
            &lost,
            &[("email", &format!("p{i}@example.org"))],
            "en",
        )
        .await;
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 429, 429]);
}
