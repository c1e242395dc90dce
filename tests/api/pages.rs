//! The HTML pages, checked by selecting elements.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// A published tour with one open stop at a venue with a backup.
async fn published_tour(
    app: &TestApp,
    who: &Organizer,
    name: &str,
) -> (serde_json::Value, serde_json::Value) {
    let tour = app.create_tour(who, name).await;
    let tour_id = tour["id"].as_str().unwrap();
    let venue = app.create_venue(who, "盛大创新院", "北京", 150).await;
    let backup = app
        .create_venue(who, "Secret Backup Hall", "北京", 200)
        .await;
    let stop = app
        .create_stop(
            who,
            tour_id,
            venue["id"].as_str().unwrap(),
            &[backup["id"].as_str().unwrap()],
        )
        .await;
    app.patch(
        who,
        &format!("/api/v1/stops/{}", stop["id"].as_str().unwrap()),
        &json!({"status": "open"}),
    )
    .await;
    app.patch(
        who,
        &format!("/api/v1/tours/{tour_id}"),
        &json!({"status": "published"}),
    )
    .await;
    (tour, stop)
}

both_backends! {
    async fn the_public_sees_published_tours_and_their_stops_in_local_time(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour, stop) = published_tour(&app, &hui, "OpenStack China Tour").await;
        app.create_tour(&hui, "Secret draft tour").await;
        let visitor = app.browser();

        let (status, home) = visitor.page("/").await;
        assert_eq!(status, 200);
        let titles = select_text(&home, ".card h2");
        assert_eq!(titles, vec!["OpenStack China Tour"]);

        let slug = tour["slug"].as_str().unwrap();
        let (status, page) = visitor.page(&format!("/tours/{slug}")).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, ".timeline h3"), vec!["北京"]);
        assert_eq!(select_text(&page, ".prose em"), vec!["tour"], "Markdown is rendered");

        let (status, page) = visitor.page(&format!("/stops/{}", stop["id"].as_str().unwrap())).await;
        assert_eq!(status, 200);
        let facts = select_text(&page, "dl.facts dd").join(" | ");
        assert!(facts.contains("13:30–17:30 (Asia/Shanghai)"), "{facts}");
        assert!(facts.contains("盛大创新院") && facts.contains("3rd floor"), "{facts}");
        let whole = page.root_element().html();
        assert!(!whole.contains("Secret Backup Hall"), "backups are not public");
        assert!(!whole.contains("138 0000"), "the venue contact is not public");
        assert!(!whole.contains("??"), "every string is translated");

        // Draft tours and stops do not exist for the public.
        let (status, _) = visitor.page("/tours/secret-draft-tour").await;
        assert_eq!(status, 404);
        let draft_stop = app.create_stop(&hui, tour["id"].as_str().unwrap(), stop["venue_id"].as_str().unwrap(), &[]).await;
        let (status, page) = visitor.page(&format!("/stops/{}", draft_stop["id"].as_str().unwrap())).await;
        assert_eq!(status, 404);
        assert!(!select_text(&page, "h1").is_empty(), "a friendly error page");

        // The calendar feed has one event per public stop, with the address.
        let ics = visitor.get(&format!("/tours/{slug}/calendar.ics")).await.text().await.unwrap();
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(ics.contains("DTSTART:20120916T053000Z"), "{ics}");
        assert!(ics.contains("LOCATION:盛大创新院"), "{ics}");
    }

    async fn names_with_html_are_escaped_on_pages(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let xss = "<script>alert(1)</script>";
        let tour = app.post_ok(&hui, "/api/v1/tours", &json!({"name": format!("Tour {xss}"), "description": format!("Hi {xss} [x](javascript:alert(2)) <img src=x onerror=alert(3)>")}), 201).await;
        let venue = app.create_venue(&hui, &format!("Venue {xss}"), "北京", 10).await;
        let stop = app.create_stop(&hui, tour["id"].as_str().unwrap(), venue["id"].as_str().unwrap(), &[]).await;
        app.patch(&hui, &format!("/api/v1/stops/{}", stop["id"].as_str().unwrap()), &json!({"status": "open"})).await;
        app.patch(&hui, &format!("/api/v1/tours/{}", tour["id"].as_str().unwrap()), &json!({"status": "published"})).await;
        let visitor = app.browser();
        for path in ["/".to_owned(), format!("/tours/{}", tour["slug"].as_str().unwrap()), format!("/stops/{}", stop["id"].as_str().unwrap())] {
            let body = visitor.get(&path).await.text().await.unwrap();
            assert!(!body.contains("<script>alert"), "{path} has a raw script");
            assert!(!body.contains("onerror"), "{path} keeps an event handler");
            assert!(!body.contains("javascript:"), "{path} keeps a javascript: link");
        }
        let signed_in = app.signed_in_browser(&hui).await;
        let body = signed_in.get(&format!("/manage/tours/{}", tour["id"].as_str().unwrap())).await.text().await.unwrap();
        assert!(!body.contains("<script>alert") && body.contains("&lt;script&gt;"));
    }

    async fn pages_speak_chinese_when_asked(app: TestApp) {
        let visitor = app.browser();
        let res = visitor.client.get(app.url("/")).header("accept-language", "zh-CN,zh;q=0.9").send().await.unwrap();
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(attr(&html, "html", "lang").unwrap(), "zh-CN");
        assert_eq!(select_text(&html, "h1"), vec!["社区技术巡回活动"]);
        // The switcher wins over the browser's preference, and comes back to the page.
        let res = visitor.get("/lang/en?next=/login").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login");
        let res = visitor.client.get(app.url("/login")).header("accept-language", "zh-CN").send().await.unwrap();
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(select_text(&html, "h1"), vec!["Organizer sign-in"]);
        // Open redirects are refused.
        let res = visitor.get("/lang/zh-CN?next=//evil.example").await;
        assert_eq!(res.headers()["location"], "/");
    }

    async fn organizers_sign_in_and_out_and_forms_need_their_csrf_token(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let browser = app.browser();
        // Organizer pages send visitors to sign in.
        let res = browser.get("/manage").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login?next=%2Fmanage");
        // A form post without the token is refused, even with the right password.
        let res = browser.post_form("/login", &[("email", "hui@example.org"), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), 403);
        // A wrong password.
        let csrf = browser.csrf_of("/login").await;
        let res = browser.post_form("/login", &[("_csrf", &csrf), ("email", "hui@example.org"), ("password", "not the password")]).await;
        assert_eq!(res.status(), 401);

        let signed_in = app.signed_in_browser(&hui).await;
        let (status, page) = signed_in.page("/manage").await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "h1"), vec!["Your tours"]);
        let cookie = signed_in.get("/manage").await;
        assert_eq!(cookie.status(), 200);

        // A form posted from elsewhere (no token, or another session's token) changes nothing.
        let res = signed_in.post_form("/manage/tours/new", &[("name", "Forged")]).await;
        assert_eq!(res.status(), 403);
        let res = signed_in.post_form("/manage/tours/new", &[("_csrf", &csrf), ("name", "Forged")]).await;
        assert_eq!(res.status(), 403);
        let (_, list) = json(app.get(&hui, "/api/v1/tours").await).await;
        assert_eq!(list, json!([]));

        // Sign out.
        let token = signed_in.csrf_of("/manage").await;
        let res = signed_in.post_form("/logout", &[("_csrf", &token)]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(signed_in.get("/manage").await.status(), 303);
    }

    async fn organizers_plan_a_tour_in_the_browser(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let b = app.signed_in_browser(&hui).await;

        let csrf = b.csrf_of("/manage/venues/new").await;
        let res = b.post_form("/manage/venues/new", &[("_csrf", &csrf), ("name", "3W咖啡"), ("city", "深圳"), ("capacity", "80"), ("kind", "cafe"), ("cost", "shared"), ("directions", "二楼")]).await;
        assert_eq!(res.status(), 303);
        let venue_page = res.headers()["location"].to_str().unwrap().to_owned();
        let venue_id = venue_page.rsplit('/').next().unwrap().to_owned();
        let res = b.post_form("/manage/venues/new", &[("_csrf", &csrf), ("name", "Backup"), ("city", "深圳"), ("capacity", "60"), ("kind", "university"), ("cost", "free")]).await;
        let backup_id = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();

        // A form with mistakes comes back with the errors and the typed values.
        let res = b.post_form("/manage/tours/new", &[("_csrf", &csrf), ("name", ""), ("prior_show_rate", "lots")]).await;
        assert_eq!(res.status(), 422);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(select_text(&html, ".field.invalid label").len(), 2);

        let res = b.post_form("/manage/tours/new", &[("_csrf", &csrf), ("name", "OpenStack 中国行"), ("slug", "osct-2012"), ("prior_show_rate", "50%")]).await;
        assert_eq!(res.status(), 303);
        let tour_page = res.headers()["location"].to_str().unwrap().to_owned();
        let tour_id = tour_page.rsplit('/').next().unwrap().to_owned();

        let res = b.post_form(&format!("/manage/tours/{tour_id}/stops/new"), &[
            ("_csrf", &csrf), ("city", "深圳"), ("timezone", "Asia/Shanghai"), ("starts_at", "2012-09-22T13:30"),
            ("ends_at", "2012-09-22T17:30"), ("venue_id", &venue_id), ("backup_1", &backup_id),
        ]).await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
        let stop_page = res.headers()["location"].to_str().unwrap().to_owned();
        let (status, page) = b.page(&stop_page).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "ol.backups li a"), vec!["Backup"]);
        let stop_id = stop_page.rsplit('/').next().unwrap().to_owned();

        // Open registration, publish the tour: the public sees it.
        let res = b.post_form(&format!("/manage/stops/{stop_id}/status/open"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let res = b.post_form(&format!("/manage/tours/{tour_id}/status/published"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let (status, page) = app.browser().page("/tours/osct-2012").await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, ".timeline h3"), vec!["深圳"]);

        // Clone the stop for another date.
        let (status, _) = b.page(&format!("/manage/tours/{tour_id}/stops/new?from={stop_id}")).await;
        assert_eq!(status, 200);
        let res = b.post_form(&format!("/manage/tours/{tour_id}/stops/new"), &[("_csrf", &csrf), ("from", &stop_id), ("starts_at", "2013-03-16T13:30"), ("ends_at", "2013-03-16T17:30")]).await;
        assert_eq!(res.status(), 303);
        let (_, stops) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/stops")).await).await;
        assert_eq!(stops.as_array().unwrap().len(), 2);
        assert_eq!(stops[1]["starts_at_local"], "2013-03-16T13:30:00+08:00");
        assert_eq!(stops[1]["backup_venue_ids"], json!([backup_id]));

        // The venue page shows its history.
        let (_, page) = b.page(&venue_page).await;
        assert_eq!(select_text(&page, "table.list tbody tr").len(), 2);
    }

    async fn organizers_cannot_open_another_teams_pages(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let (tour, stop) = published_tour(&app, &hui, "Tour").await;
        let b = app.signed_in_browser(&eve).await;
        let tour_id = tour["id"].as_str().unwrap();
        let stop_id = stop["id"].as_str().unwrap();
        for path in [format!("/manage/tours/{tour_id}"), format!("/manage/tours/{tour_id}/edit"), format!("/manage/stops/{stop_id}"), format!("/manage/stops/{stop_id}/edit")] {
            let (status, _) = b.page(&path).await;
            assert_eq!(status, 404, "{path}");
        }
        let csrf = b.csrf_of("/manage").await;
        let res = b.post_form(&format!("/manage/tours/{tour_id}/status/archived"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 404);
        let res = b.post_form(&format!("/manage/tours/{tour_id}/team"), &[("_csrf", &csrf), ("email", "eve@example.org"), ("role", "owner")]).await;
        assert_eq!(res.status(), 404);
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}")).await).await;
        assert_eq!(got["status"], "published");
        let (_, team) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/members")).await).await;
        assert_eq!(team.as_array().unwrap().len(), 1);
        // The organizer list is for site admins.
        let (status, _) = b.page("/manage/organizers").await;
        assert_eq!(status, 403);
    }
}
