//! Venue moves with foresight: how a venue fits a stop (weekdays only on a Saturday where
//! the stop is held, another city, too few seats, an ID check), backups offered by city and
//! fit and ranked with up/down, and a switch that says what it will do before it is done.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// A venue with its constraints (`weekday_only`, `id_check_required`).
async fn venue(
    app: &TestApp,
    who: &Organizer,
    name: &str,
    city: &str,
    capacity: i64,
    weekday_only: bool,
    id_check: bool,
) -> String {
    id(&app
        .post_ok(
            who,
            "/api/v1/venues",
            &json!({
                "name": name, "city": city, "address": format!("1 {name} Road"), "directions": "Third floor.",
                "capacity": capacity, "kind": "company_office", "cost": "free",
                "weekday_only": weekday_only, "id_check_required": id_check
            }),
            201,
        )
        .await)
}

fn warnings(page: &scraper::Html, selector: &str) -> String {
    select_text(page, &format!("{selector} li.warning")).join(" | ")
}

both_backends! {
    async fn a_stop_at_a_venue_that_does_not_fit_is_created_and_says_what_is_wrong(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = id(&app.create_tour(&hui, "Tour").await);
        let garage = venue(&app, &hui, "Garage Café", "上海", 60, true, true).await;
        let b = app.signed_in_browser(&hui).await;
        let form = format!("/manage/tours/{tour}/stops/new");
        let (_, page) = b.page(&form).await;
        // The venue is chosen, not defaulted to the first of the library.
        assert_eq!(attr(&page, "select[name=venue_id] option", "value").as_deref(), Some(""));
        let label = select_text(&page, "select[name=venue_id] option").join(" | ");
        assert!(label.contains("weekdays only") && label.contains("ID check"), "{label}");
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        // No venue: the field says so.
        let res = b.post_form(&form, &[("_csrf", &csrf), ("city", "Beijing"), ("timezone", "Asia/Shanghai"), ("starts_at", "2027-03-13T01:00"), ("ends_at", "2027-03-13T05:00"), ("venue_id", "")]).await;
        assert_eq!(res.status(), 422);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(!select_text(&page, ".field.invalid").is_empty());
        // Saturday 01:00 in Beijing (Friday in UTC), in Shanghai, 100 seats counted in 60.
        let res = b.post_form(&form, &[("_csrf", &csrf), ("city", "Beijing"), ("timezone", "Asia/Shanghai"), ("starts_at", "2027-03-13T01:00"), ("ends_at", "2027-03-13T05:00"), ("venue_id", &garage), ("capacity", "100")]).await;
        assert_eq!(res.status(), 303, "allowed, with warnings");
        let stop = res.headers()["location"].to_str().unwrap().to_owned();
        let (_, page) = b.page(&stop).await;
        let said = warnings(&page, "div.notice.warning");
        assert!(said.contains("weekdays only") && said.contains("Sat 13 Mar 2027"), "{said}");
        assert!(said.contains("In 上海, not in Beijing"), "{said}");
        assert!(said.contains("counts on 100 seats") && said.contains("has 60"), "{said}");
        assert!(said.contains("legal name"), "{said}");
        // On a Friday evening where the stop is, the weekday rule has nothing to say.
        let edit = format!("{stop}/edit");
        let csrf = b.csrf_of(&edit).await;
        let res = b.post_form(&edit, &[("_csrf", &csrf), ("city", "上海"), ("timezone", "Asia/Shanghai"), ("starts_at", "2027-03-12T19:00"), ("ends_at", "2027-03-12T22:00"), ("venue_id", &garage), ("capacity", "")]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = b.page(&stop).await;
        let said = warnings(&page, "div.notice");
        assert!(!said.contains("weekdays only") && !said.contains("not in") && !said.contains("seats"), "{said}");
        assert!(said.contains("legal name"), "the ID check stays: {said}");
    }
}

both_backends! {
    async fn backup_candidates_come_from_the_stop_s_city_first_with_their_warnings(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(0.5), 30).await;
        let small = venue(&app, &hui, "Small Room", "Beijing", 20, false, false).await;
        let big = venue(&app, &hui, "Big Hall", "北京市", 300, false, false).await;
        let weekdays = venue(&app, &hui, "Office Weekdays", "北京", 200, true, false).await;
        let chengdu = venue(&app, &hui, "Chengdu Café", "成都", 500, false, false).await;
        let b = app.signed_in_browser(&hui).await;
        let (_, page) = b.page(&format!("/manage/stops/{}", s.stop_id)).await;
        let near = select_text(&page, "ul.candidates > li > a");
        // The stop's own city (in either script) first; fitting first; bigger first. The
        // weekday rule depends on the day, so the weekday office fits or not by the date.
        assert!(near.len() >= 3, "{near:?}");
        let pos = |name: &str| near.iter().position(|n| n == name);
        assert!(pos("Big Hall") < pos("Small Room"), "{near:?}");
        assert!(pos("Chengdu Café").is_none() || pos("Chengdu Café") > pos("Small Room"));
        let elsewhere = select_text(&page, "details.elsewhere ul.candidates > li > a");
        assert_eq!(elsewhere, vec!["Chengdu Café"], "other cities are folded away");
        let far = warnings(&page, "details.elsewhere");
        assert!(far.contains("In 成都, not in 北京"), "{far}");
        // The smaller room is noted (not warned) before it is chosen.
        let notes = select_text(&page, "ul.candidates li.note").join(" | ");
        assert!(notes.contains("20 seats instead of 100"), "{notes}");
        let _ = (weekdays, big);
        // Adding one from the list puts it last, with its warnings shown next to it.
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&format!("/manage/stops/{}/backups", s.stop_id), &[("_csrf", &csrf), ("venue_id", &chengdu)]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = b.page(&format!("/manage/stops/{}", s.stop_id)).await;
        assert!(warnings(&page, "ol.backups").contains("In 成都"), "{}", warnings(&page, "ol.backups"));
        let _ = small;
    }
}

both_backends! {
    async fn backups_move_up_and_down_for_the_team_only_and_the_order_stays(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let other = app.organizer("other@example.org").await;
        let s = app.open_stop(&hui, 100, Some(0.5), 30).await;
        let one = venue(&app, &hui, "One", "北京", 80, false, false).await;
        let two = venue(&app, &hui, "Two", "北京", 80, false, false).await;
        let three = venue(&app, &hui, "Three", "北京", 80, false, false).await;
        app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": [one, two, three]})).await;
        let order = || async {
            let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
            stop["backup_venue_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect::<Vec<_>>()
        };
        let b = app.signed_in_browser(&hui).await;
        let page_path = format!("/manage/stops/{}", s.stop_id);
        let (_, page) = b.page(&page_path).await;
        // The first has no "up", the last no "down".
        let actions: Vec<String> = scraper::Selector::parse("ol.backups form").map(|sel| page.select(&sel).filter_map(|f| f.value().attr("action").map(str::to_owned)).collect()).unwrap();
        assert!(!actions.iter().any(|a| a.ends_with(&format!("{one}/up"))), "{actions:?}");
        assert!(!actions.iter().any(|a| a.ends_with(&format!("{three}/down"))), "{actions:?}");
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&format!("{page_path}/backups/{three}/up"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(order().await, vec![one.clone(), three.clone(), two.clone()]);
        let res = b.post_form(&format!("{page_path}/backups/{one}/down"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(order().await, vec![three.clone(), one.clone(), two.clone()]);
        // The page shows that order, and keeps it.
        let (_, page) = b.page(&page_path).await;
        assert_eq!(select_text(&page, "ol.backups > li > a"), vec!["Three", "One", "Two"]);
        // Someone outside the team: not found, nothing moves.
        let ob = app.signed_in_browser(&other).await;
        let ocsrf = ob.csrf_of("/manage/account").await;
        let res = ob.post_form(&format!("{page_path}/backups/{two}/up"), &[("_csrf", &ocsrf)]).await;
        assert_eq!(res.status(), 404);
        assert_eq!(order().await, vec![three, one, two]);
    }
}

both_backends! {
    async fn a_switch_says_what_it_will_do_and_mails_only_once_confirmed(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 20 seats at a 50% show rate: a target of 40.
        let s = app.open_stop(&hui, 20, Some(0.5), 30).await;
        for i in 0..33 {
            let (status, _) = app.register(&s.stop_id, &format!("Attendee {i}"), &format!("a{i}@example.org")).await;
            assert_eq!(status, 201);
        }
        // 10 seats: a target of 20, 13 over it.
        let small = venue(&app, &hui, "Small Café", "北京", 10, false, true).await;
        app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": [small]})).await;
        app.drain().await;
        let mails_before = app.mail_files().len();

        let b = app.signed_in_browser(&hui).await;
        let stop_page = format!("/manage/stops/{}", s.stop_id);
        let (_, page) = b.page(&stop_page).await;
        // The switch form leads to the preview (a GET: it changes nothing).
        assert_eq!(attr(&page, "form.switch", "method").as_deref(), Some("get"));
        let option = select_text(&page, "form.switch option").join(" | ");
        assert!(option.contains("1. Small Café") && option.contains("too small") && option.contains("ID check"), "{option}");
        let preview = format!("{stop_page}/switch-venue?venue_id={small}&reason=Blackout");
        let (status, page) = b.page(&preview).await;
        assert_eq!(status, 200);
        let dd = |sel: &str| select_text(&page, &format!("dl.switch-figures dd.{sel}")).join("");
        assert_eq!(dd("seats"), "20 → 10");
        assert_eq!(dd("target"), "40 → 20");
        assert_eq!(dd("confirmed"), "33 → 33", "nobody is demoted");
        assert_eq!(dd("waitlisted"), "0 → 0");
        let loud = select_text(&page, "div.crowded").join(" ");
        assert!(loud.contains("33 confirmed people for 10 seats") && loud.contains("13 above the new target of 20"), "{loud}");
        assert!(select_text(&page, "ul.fits li.warning").join(" ").contains("legal name"));
        let told = select_text(&page, "div.told").join(" ");
        assert!(told.contains("33 people will be e-mailed"), "{told}");
        assert!(told.contains("Confirmed: 33") && told.contains("volunteers: 0"), "{told}");
        // The e-mail itself, in each language.
        let en = select_text(&page, "section.sample[lang=en] pre.mail").join("");
        assert!(en.contains("Small Café") && en.contains("Blackout") && en.contains("1 Small Café Road"), "{en}");
        let zh = select_text(&page, "section.sample[lang=zh-CN] dd.subject").join("");
        assert!(zh.contains("Small Café") && zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        assert_eq!(select_text(&page, "button[value=confirm]"), vec!["Switch and e-mail 33 people"]);
        // Nothing happened yet.
        app.drain().await;
        assert_eq!(app.mail_files().len(), mails_before, "no e-mail before the confirmation");
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        assert_eq!(stop["venue_id"], json!(s.venue_id));

        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let seen = attr(&page, "input[name=seen]", "value").unwrap();
        let post = format!("{stop_page}/switch-venue");
        // Sent without the confirmation: the preview again, nothing done.
        let res = b.post_form(&post, &[("_csrf", &csrf), ("venue_id", &small), ("reason", "Blackout")]).await;
        assert_eq!(res.status(), 200);
        // Confirmed without a reason: the field says so.
        let res = b.post_form(&post, &[("_csrf", &csrf), ("venue_id", &small), ("reason", " "), ("seen", &seen), ("action", "confirm")]).await;
        assert_eq!(res.status(), 422);
        let body = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(!select_text(&body, ".field.invalid #f-reason").is_empty() || !select_text(&body, ".field.invalid").is_empty());
        // Someone registered meanwhile: the figures the organizer saw no longer hold.
        app.register(&s.stop_id, "Late", "late@example.org").await;
        app.drain().await;
        let mails_before = app.mail_files().len();
        let res = b.post_form(&post, &[("_csrf", &csrf), ("venue_id", &small), ("reason", "Blackout"), ("seen", &seen), ("action", "confirm")]).await;
        assert_eq!(res.status(), 200);
        let body = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&body, ".flash.error").join("").contains("figures changed"));
        assert_eq!(select_text(&body, "dl.switch-figures dd.confirmed").join(""), "34 → 34");
        app.drain().await;
        assert_eq!(app.mail_files().len(), mails_before);
        // Confirmed with what is now shown: done, everyone is told.
        let seen = attr(&body, "input[name=seen]", "value").unwrap();
        let res = b.post_form(&post, &[("_csrf", &csrf), ("venue_id", &small), ("reason", "Blackout"), ("seen", &seen), ("action", "confirm")]).await;
        assert_eq!(res.status(), 303);
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        assert_eq!(stop["venue_id"], json!(small));
        app.drain().await;
        let switched = app.mail_files().len() - mails_before;
        assert_eq!(switched, 34, "one e-mail per person");
        assert!(app.mails_to("a0@example.org").iter().any(|m| m.text.contains("Blackout")));
    }
}

both_backends! {
    async fn a_switch_to_a_bigger_room_says_who_moves_up_from_the_waitlist(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 2 seats at 50%: a target of 4; two more wait.
        let s = app.open_stop(&hui, 2, Some(0.5), 30).await;
        for i in 0..6 {
            app.register(&s.stop_id, &format!("P{i}"), &format!("p{i}@example.org")).await;
        }
        let big = venue(&app, &hui, "Big Hall", "北京", 50, false, false).await;
        let b = app.signed_in_browser(&hui).await;
        let (status, page) = b.page(&format!("/manage/stops/{}/switch-venue?venue_id={big}&reason=More+room", s.stop_id)).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "dl.switch-figures dd.waitlisted").join(""), "2 → 0");
        assert_eq!(select_text(&page, "dl.switch-figures dd.confirmed").join(""), "4 → 6");
        assert!(select_text(&page, "li.promoted").join("").contains("2 waitlisted people move up"));
        assert!(select_text(&page, "div.crowded").is_empty());
        // A venue the stop is at already, or none: said on the stop's page.
        let (status, page) = b.page(&format!("/manage/stops/{}/switch-venue?venue_id={}&reason=x", s.stop_id, s.venue_id)).await;
        assert_eq!(status, 422);
        assert!(!select_text(&page, "form.switch .field.invalid").is_empty());
    }
}
