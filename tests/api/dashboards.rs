//! The organizers' dashboards: the tour page's figures per stop and in total, the stop's
//! dashboard in its tense (before, during, after), the organizer's home and its scoping, and
//! the team's preview of public pages that are not public yet.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// A stop of `tour_id` starting `hours` from now (negative: in the past), four hours long,
/// in a new venue of `capacity` seats, with this show rate and status.
async fn stop_at(
    app: &TestApp,
    who: &Organizer,
    tour_id: &str,
    capacity: i64,
    show_rate: Option<f64>,
    hours: i64,
    status: &str,
) -> String {
    let venue = app.create_venue(who, "Hall", "北京", capacity).await;
    let start = Utc::now() + Duration::hours(hours);
    let end = start + Duration::hours(4);
    let stop = app
        .post_ok(
            who,
            &format!("/api/v1/tours/{tour_id}/stops"),
            &json!({
                "city": format!("City {hours}"), "starts_at": start.to_rfc3339(), "ends_at": end.to_rfc3339(),
                "timezone": "Asia/Shanghai", "venue_id": venue["id"], "show_rate": show_rate, "status": status
            }),
            201,
        )
        .await;
    stop["id"].as_str().unwrap().to_owned()
}

/// A published tour (the public registers for its open stops).
async fn published_tour(app: &TestApp, who: &Organizer, name: &str) -> String {
    let tour = app.create_tour(who, name).await;
    let id = tour["id"].as_str().unwrap().to_owned();
    let (status, body) = json(
        app.patch(
            who,
            &format!("/api/v1/tours/{id}"),
            &json!({"status": "published"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn register_n(app: &TestApp, stop_id: &str, n: usize, tag: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..n {
        let (status, body) = app
            .register(
                stop_id,
                &format!("Person {tag}{i}"),
                &format!("{tag}{i}@example.org"),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        out.push(body);
    }
    out
}

async fn check_in(app: &TestApp, who: &Organizer, stop_id: &str, reg: &Value) {
    app.post_ok(
        who,
        &format!("/api/v1/stops/{stop_id}/checkins"),
        &json!({"code": reg["code"]}),
        200,
    )
    .await;
}

async fn set_status(app: &TestApp, who: &Organizer, stop_id: &str, status: &str) {
    let (code, body) = json(
        app.patch(
            who,
            &format!("/api/v1/stops/{stop_id}"),
            &json!({"status": status}),
        )
        .await,
    )
    .await;
    assert_eq!(code, 200, "{body}");
}

/// The text of the tour page's row of a stop.
fn row_of(page: &scraper::Html, stop_id: &str) -> String {
    let rows = scraper::Selector::parse("table.figures tbody tr").unwrap();
    let link = scraper::Selector::parse(&format!("a[href=\"/manage/stops/{stop_id}\"]")).unwrap();
    page.select(&rows)
        .find(|r| r.select(&link).next().is_some())
        .map(|r| r.text().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| panic!("a row for {stop_id}"))
}

fn cell(page: &scraper::Html, stop_id: &str, label: &str) -> String {
    let rows = scraper::Selector::parse("table.figures tbody tr").unwrap();
    let link = scraper::Selector::parse(&format!("a[href=\"/manage/stops/{stop_id}\"]")).unwrap();
    let td = scraper::Selector::parse(&format!("td[data-label=\"{label}\"]")).unwrap();
    let row = page
        .select(&rows)
        .find(|r| r.select(&link).next().is_some())
        .expect("the stop's row");
    row.select(&td)
        .next()
        .map(|c| {
            c.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| panic!("a {label} cell"))
}

fn total(page: &scraper::Html, label: &str) -> String {
    let td = scraper::Selector::parse(&format!("table.figures tfoot td[data-label=\"{label}\"]"))
        .unwrap();
    page.select(&td)
        .next()
        .expect("a total")
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

both_backends! {
    async fn the_tour_page_carries_each_stops_figures_and_the_tours_totals(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour_id = published_tour(&app, &hui, "Figures Tour").await;
        // A: 10 seats at 50%: target 20; 3 registered, 1 checked in.
        let a = stop_at(&app, &hui, &tour_id, 10, Some(0.5), 24 * 30, "open").await;
        let regs = register_n(&app, &a, 3, "a").await;
        check_in(&app, &hui, &a, &regs[0]).await;
        // B: 2 seats at 100%: target 2; 3 registered, the third waitlisted; a task of 3
        // slots with one claimed.
        let b = stop_at(&app, &hui, &tour_id, 2, Some(1.0), 24 * 40, "open").await;
        register_n(&app, &b, 3, "b").await;
        let task = app.post_ok(&hui, &format!("/api/v1/stops/{b}/tasks"), &json!({"kind": "setup", "slots": 3}), 201).await;
        let (status, _) = json(app.api.post(app.url(&format!("/api/v1/tasks/{}/claims", task["id"].as_str().unwrap()))).json(&json!({"name": "Vol", "email": "vol@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 201);
        // C: over and measured: 4 confirmed at 50% forecast, 3 came.
        let c = stop_at(&app, &hui, &tour_id, 4, Some(0.5), 24, "open").await;
        let regs = register_n(&app, &c, 4, "c").await;
        for r in &regs[..3] {
            check_in(&app, &hui, &c, r).await;
        }
        set_status(&app, &hui, &c, "done").await;
        let (_, mats) = json(app.get(&hui, &format!("/api/v1/stops/{c}/materials")).await).await;
        let missing = mats.as_array().unwrap().iter().filter(|m| m["status"] == "requested").count();
        // A cancelled stop counts for nothing in the totals.
        let d = stop_at(&app, &hui, &tour_id, 50, Some(0.5), 24 * 50, "open").await;
        register_n(&app, &d, 2, "d").await;
        set_status(&app, &hui, &d, "cancelled").await;

        let browser = app.signed_in_browser(&hui).await;
        let (status, page) = browser.page(&format!("/manage/tours/{tour_id}")).await;
        assert_eq!(status, 200);
        // Each row says what the stop's own figures say.
        for stop in [&a, &b, &c] {
            let stats = app.stats(&hui, stop).await;
            assert_eq!(cell(&page, stop, "Confirmed / target"), format!("{} / {}", stats["confirmed"], stats["registration_target"]), "{stop}");
            assert_eq!(cell(&page, stop, "Waitlisted"), stats["waitlisted"].to_string());
            assert_eq!(cell(&page, stop, "Checked in"), stats["checked_in"].to_string());
        }
        assert_eq!(cell(&page, &a, "Confirmed / target"), "3 / 20");
        assert_eq!(cell(&page, &a, "Checked in"), "1");
        assert_eq!(cell(&page, &b, "Confirmed / target"), "2 / 2");
        assert_eq!(cell(&page, &b, "Waitlisted"), "1");
        assert_eq!(cell(&page, &b, "Open task slots"), "2");
        assert!(row_of(&page, &b).contains("Full"), "{}", row_of(&page, &b));
        assert_eq!(cell(&page, &a, "Show rate"), "forecast 50%");
        assert_eq!(cell(&page, &c, "Show rate"), "75% (forecast 50%)");
        assert_eq!(cell(&page, &c, "Missing materials"), missing.to_string());
        assert!(row_of(&page, &c).contains("Done"));
        assert!(row_of(&page, &d).contains("Cancelled"));
        // The totals leave the cancelled stop out.
        assert_eq!(total(&page, "Confirmed / target"), "9 / 30");
        assert_eq!(total(&page, "Waitlisted"), "1");
        assert_eq!(total(&page, "Checked in"), "4");
        assert_eq!(total(&page, "Open task slots"), "2");
        assert_eq!(total(&page, "Missing materials"), missing.to_string());
        assert_eq!(total(&page, "Show rate"), "75% (forecast 50%)");

        // Published: back to draft is a secondary action, archive asks first and says
        // what it does (publish, the primary one, is the draft's: see the preview test).
        assert!(attr(&page, ".status-actions button.publish", "type").is_none());
        assert_eq!(select_text(&page, ".status-actions button.secondary"), vec!["Back to draft"]);
        let archive = select_text(&page, ".status-actions details.confirm").join(" ");
        assert!(archive.contains("Archiving ends the tour"), "{archive}");
        assert_eq!(attr(&page, ".status-actions details.confirm form", "action").as_deref(), Some(format!("/manage/tours/{tour_id}/status/archived").as_str()));

        // In Chinese too.
        browser.get(&format!("/lang/zh-CN?next=/manage/tours/{tour_id}")).await;
        let (_, zh) = browser.page(&format!("/manage/tours/{tour_id}")).await;
        assert!(select_text(&zh, "table.figures thead").join(" ").contains("已确认 / 目标"));
    }

    async fn a_stop_far_ahead_says_how_far_it_is_from_its_target_and_a_slow_one_is_behind(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour_id = published_tour(&app, &hui, "Far Tour").await;
        // 49 seats at 50%: target 98, 120 days ahead, nobody yet.
        let far = stop_at(&app, &hui, &tour_id, 49, Some(0.5), 24 * 120, "open").await;
        let b = app.signed_in_browser(&hui).await;
        let (_, page) = b.page(&format!("/manage/stops/{far}")).await;
        let signal = select_text(&page, ".signal").join(" ");
        assert!(signal.contains("0 of 98 · 120 days to go"), "{signal}");
        assert!(!signal.contains("On track"), "{signal}");
        // Three weeks ahead with nobody: behind, on the page and in the API.
        let slow = stop_at(&app, &hui, &tour_id, 100, Some(0.5), 24 * 21, "open").await;
        assert_eq!(app.stats(&hui, &slow).await["signal"], "behind");
        let (_, page) = b.page(&format!("/manage/stops/{slow}")).await;
        let signal = select_text(&page, ".signal.behind").join(" ");
        assert!(signal.contains("200 more registrations"), "{signal}");
        assert!(signal.contains("0 of 200 · 21 days to go"), "{signal}");
        // The tour page says it too.
        let (_, tour_page) = b.page(&format!("/manage/tours/{tour_id}")).await;
        assert!(cell(&tour_page, &slow, "State").contains("Behind"));
        assert!(cell(&tour_page, &far, "State").contains("120 days to go"));
    }

    async fn the_stop_dashboard_speaks_in_the_stops_tense(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour_id = published_tour(&app, &hui, "Tense Tour").await;
        let b = app.signed_in_browser(&hui).await;
        let buttons = |page: &scraper::Html| select_text(page, "button, a.button").join(" | ");

        // Before: registration, the signal, the target; no "done" offered months ahead.
        let before = stop_at(&app, &hui, &tour_id, 10, Some(0.5), 24 * 10, "open").await;
        register_n(&app, &before, 2, "x").await;
        let (_, page) = b.page(&format!("/manage/stops/{before}")).await;
        assert!(select_text(&page, ".signal").join(" ").contains("2 of 20"));
        assert!(buttons(&page).contains("Close registration"));
        assert!(!buttons(&page).contains("Mark as done"));

        // During (the desk opens two hours before the start): check-ins so far, the desk.
        let during = stop_at(&app, &hui, &tour_id, 10, Some(0.5), 1, "open").await;
        let regs = register_n(&app, &during, 3, "y").await;
        check_in(&app, &hui, &during, &regs[0]).await;
        let (_, page) = b.page(&format!("/manage/stops/{during}")).await;
        let signal = select_text(&page, ".signal.during").join(" ");
        assert!(signal.contains("1 of 3 confirmed checked in"), "{signal}");
        assert_eq!(attr(&page, ".stats + p.actions a.button", "href").as_deref(), Some(format!("/desk/{during}").as_str()));
        assert!(buttons(&page).contains("Mark as done"));

        // Ended but not marked done: asked to be, never "Close registration".
        let ended = stop_at(&app, &hui, &tour_id, 10, Some(0.5), -30, "open").await;
        let (_, page) = b.page(&format!("/manage/stops/{ended}")).await;
        let text = page.root_element().text().collect::<String>();
        assert!(text.contains("Mark it done"), "{text}");
        assert!(!buttons(&page).contains("Close registration"));
        assert!(buttons(&page).contains("Mark as done"));

        // After: the show rate measured against the forecast, materials, the report.
        set_status(&app, &hui, &during, "done").await;
        let (_, page) = b.page(&format!("/manage/stops/{during}")).await;
        let text = page.root_element().text().collect::<String>();
        for never in ["On track", "expected in the room", "Close registration", "Registrations are on pace"] {
            assert!(!text.contains(never), "a done stop says {never:?}");
        }
        let signal = select_text(&page, ".signal.after").join(" ");
        assert!(signal.contains("1 of 3 confirmed came, a show rate of 33% (forecast 50%)"), "{signal}");
        assert!(buttons(&page).contains("Not done after all"));
        assert!(buttons(&page).contains("Collect the materials"));
        assert!(attr(&page, &format!("a[href=\"/manage/tours/{tour_id}/report\"]"), "href").is_some());
        // Its materials page does not promise requests "when the stop ends".
        let (status, mats) = b.page(&format!("/manage/stops/{during}/materials")).await;
        assert_eq!(status, 200);
        assert!(!mats.root_element().text().collect::<String>().contains("when the stop ends"));
        let (_, ended_mats) = b.page(&format!("/manage/stops/{before}/materials")).await;
        assert!(ended_mats.root_element().text().collect::<String>().contains("when the stop ends"), "a stop to come still says when requests open");
    }

    async fn the_home_shows_what_needs_the_organizer_today_and_nothing_of_other_tours(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let ana = app.organizer("ana@example.org").await;
        let tour_id = published_tour(&app, &hui, "Busy Tour").await;
        // Three days ahead with nobody registered: this week, and an empty-room risk.
        let soon = stop_at(&app, &hui, &tour_id, 100, Some(0.5), 72, "open").await;
        app.post_ok(&hui, &format!("/api/v1/stops/{soon}/tasks"), &json!({"kind": "setup", "title": "Carry chairs", "slots": 2}), 201).await;
        // In progress.
        let now_on = stop_at(&app, &hui, &tour_id, 100, Some(0.5), 0, "open").await;
        // Over, with a material asked for days ago.
        let over = stop_at(&app, &hui, &tour_id, 10, Some(0.5), -48, "open").await;
        set_status(&app, &hui, &over, "done").await;
        let over_id = over.clone();
        app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::materials;
            diesel::update(materials::table.filter(materials::stop_id.eq(over_id)))
                .set(materials::created_at.eq(roadshow::db::now() - chrono::Duration::days(5)))
                .execute(conn)
                .unwrap();
        })
        .await;
        // An e-mail of the tour that failed for good.
        register_n(&app, &soon, 1, "m").await;
        let tid = tour_id.clone();
        app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::outbox;
            diesel::update(outbox::table.filter(outbox::tour_id.eq(tid)))
                .set(outbox::status.eq("failed"))
                .execute(conn)
                .unwrap();
        })
        .await;
        // Ana's own tour, with a stop this week.
        let ana_tour = published_tour(&app, &ana, "Ana Tour").await;
        let ana_stop = stop_at(&app, &ana, &ana_tour, 100, Some(0.5), 48, "open").await;

        let b = app.signed_in_browser(&hui).await;
        let (status, home) = b.page("/manage").await;
        assert_eq!(status, 200);
        let week = select_text(&home, "ul.this-week li");
        assert_eq!(week.len(), 2, "{week:?}");
        assert!(week[0].contains("In progress"), "the stop in progress first: {week:?}");
        assert_eq!(attr(&home, "ul.this-week li a", "href").as_deref(), Some(format!("/desk/{now_on}").as_str()));
        assert!(attr(&home, &format!("ul.this-week a[href=\"/manage/stops/{soon}\"]"), "href").is_some());
        assert!(attr(&home, &format!("ul.signals a[href=\"/manage/stops/{soon}\"]"), "href").is_some());
        assert!(select_text(&home, "ul.signals").join(" ").contains("Empty-room risk"));
        let tasks = select_text(&home, "ul.tasks li").join(" ");
        assert!(tasks.contains("Carry chairs") && tasks.contains("2 slots free"), "{tasks}");
        assert!(attr(&home, &format!("ul.tasks a[href=\"/manage/stops/{soon}/tasks\"]"), "href").is_some());
        assert!(attr(&home, &format!("ul.overdue a[href=\"/manage/stops/{over}/materials\"]"), "href").is_some());
        assert!(select_text(&home, "ul.failed li").join(" ").contains("failed"));
        assert!(attr(&home, &format!("ul.failed a[href=\"/manage/tours/{tour_id}/outbox?status=failed\"]"), "href").is_some());
        assert!(!home.root_element().html().contains(&ana_stop));

        // Ana sees her stop and nothing of Hui's tour.
        let b = app.signed_in_browser(&ana).await;
        let (_, home) = b.page("/manage").await;
        let html = home.root_element().html();
        assert!(html.contains(&ana_stop));
        for id in [&tour_id, &soon, &now_on, &over] {
            assert!(!html.contains(id.as_str()), "Ana's home shows {id}");
        }
        assert!(select_text(&home, "ul.failed").is_empty());
        assert!(select_text(&home, "ul.overdue").is_empty());
    }

    async fn the_team_previews_a_draft_tour_and_stop_that_nobody_else_sees(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let ana = app.organizer("ana@example.org").await;
        let tour = app.create_tour(&hui, "Draft Tour").await;
        let tour_id = tour["id"].as_str().unwrap().to_owned();
        let slug = tour["slug"].as_str().unwrap().to_owned();
        let stop = stop_at(&app, &hui, &tour_id, 40, Some(0.5), 24 * 20, "draft").await;

        let b = app.signed_in_browser(&hui).await;
        let (_, tour_page) = b.page(&format!("/manage/tours/{tour_id}")).await;
        assert!(attr(&tour_page, &format!("a[href=\"/manage/tours/{tour_id}/preview\"]"), "href").is_some());
        assert_eq!(select_text(&tour_page, ".status-actions button.publish"), vec!["Publish"]);
        assert!(select_text(&tour_page, ".status-actions button.secondary").is_empty(), "a draft is not sent back to draft");
        let (_, stop_page) = b.page(&format!("/manage/stops/{stop}")).await;
        assert!(attr(&stop_page, &format!("a[href=\"/manage/stops/{stop}/preview\"]"), "href").is_some());
        for (path, shows) in [(format!("/manage/tours/{tour_id}/preview"), "Draft Tour"), (format!("/manage/stops/{stop}/preview"), "City 480")] {
            let res = b.get(&path).await;
            assert_eq!(res.status(), 200, "{path}");
            let cache = res.headers().get("cache-control").unwrap().to_str().unwrap().to_owned();
            assert!(cache.contains("no-store"), "{cache}");
            assert_eq!(res.headers().get("x-robots-tag").unwrap(), "noindex, nofollow");
            let html = scraper::Html::parse_document(&res.text().await.unwrap());
            assert!(select_text(&html, ".preview-banner").join(" ").contains("Preview — not public yet"), "{path}");
            assert_eq!(attr(&html, "meta[name=robots]", "content").as_deref(), Some("noindex, nofollow"));
            assert!(html.root_element().text().collect::<String>().contains(shows), "{path}");
        }
        // The stop's preview shows the registration form as it will be once open.
        let (_, preview) = b.page(&format!("/manage/stops/{stop}/preview")).await;
        assert!(attr(&preview, &format!("form[action=\"/stops/{stop}/register\"]"), "action").is_some());

        // Not public, and nobody outside the team previews it.
        let anon = app.browser();
        assert_eq!(anon.get(&format!("/tours/{slug}")).await.status(), 404);
        assert_eq!(anon.get(&format!("/stops/{stop}")).await.status(), 404);
        assert_ne!(anon.get(&format!("/manage/tours/{tour_id}/preview")).await.status(), 200);
        let other = app.signed_in_browser(&ana).await;
        assert_eq!(other.get(&format!("/manage/tours/{tour_id}/preview")).await.status(), 404);
        assert_eq!(other.get(&format!("/manage/stops/{stop}/preview")).await.status(), 404);
    }
}
