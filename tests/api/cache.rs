//! The page cache: public pages are served from memory and change as soon as the data
//! behind them changes, on this instance and on every other instance of the same database.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// The stop page as a visitor without a session sees it.
async fn stop_page(app: &TestApp, stop_id: &str) -> (reqwest::header::HeaderMap, String) {
    let res = app
        .api
        .get(app.url(&format!("/stops/{stop_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    (headers, res.text().await.unwrap())
}

/// Waits (up to five seconds) for the stop page of `app` to contain `text`.
async fn eventually_shows(app: &TestApp, stop_id: &str, text: &str) {
    for _ in 0..50 {
        if stop_page(app, stop_id).await.1.contains(text) {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the stop page never showed {text:?}");
}

both_backends! {
    async fn public_pages_come_from_the_cache_until_their_data_changes(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;

        let (headers, page) = stop_page(&app, &s.stop_id).await;
        assert!(page.contains("100 places left"), "{page}");
        let etag = headers.get("etag").expect("an ETag").to_str().unwrap().to_owned();
        let hits = app.state.pages.hits.load(std::sync::atomic::Ordering::Relaxed);
        let (again, _) = stop_page(&app, &s.stop_id).await;
        assert_eq!(again.get("etag").unwrap(), etag.as_str());
        assert!(app.state.pages.hits.load(std::sync::atomic::Ordering::Relaxed) > hits, "the second view is a cache hit");

        // Unchanged: 304 without a body; compressed for clients that take gzip.
        let res = app.api.get(app.url(&format!("/stops/{}", s.stop_id))).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(res.status(), 304);
        let res = app.api.get(app.url(&format!("/stops/{}", s.stop_id))).header("Accept-Encoding", "gzip").send().await.unwrap();
        assert_eq!(res.headers().get("content-encoding").unwrap(), "gzip");

        // A registration: one place fewer at once, and the old ETag no longer matches.
        let (_, r) = app.register(&s.stop_id, "Lin", "lin@example.org").await;
        let (_, page) = stop_page(&app, &s.stop_id).await;
        assert!(page.contains("99 places left"), "{page}");
        let res = app.api.get(app.url(&format!("/stops/{}", s.stop_id))).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(res.status(), 200);

        // A cancellation gives it back.
        let res = app.post(&hui, &format!("/api/v1/registrations/{}/cancel", r["id"].as_str().unwrap()), &json!({})).await;
        assert_eq!(res.status(), 200);
        assert!(stop_page(&app, &s.stop_id).await.1.contains("100 places left"));

        // An agenda edit, once the agenda is public.
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        app.post_ok(&hui, &format!("/api/v1/stops/{}/agenda", s.stop_id), &json!({"kind": "welcome", "title": "Welcome tea", "starts_at": stop["starts_at"], "duration_minutes": 15}), 201).await;
        assert!(!stop_page(&app, &s.stop_id).await.1.contains("Welcome tea"), "not public yet");
        let res = app.post(&hui, &format!("/api/v1/stops/{}/agenda/publish", s.stop_id), &json!({})).await;
        assert!(res.status().is_success());
        assert!(stop_page(&app, &s.stop_id).await.1.contains("Welcome tea"));

        // A venue switch.
        let backup = app.create_venue(&hui, "Backup Hall", "北京", 300).await;
        app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": [backup["id"]]})).await;
        let (status, moved) = json(app.post(&hui, &format!("/api/v1/stops/{}/switch-venue", s.stop_id), &json!({"reason": "blackout"})).await).await;
        assert_eq!(status, 200, "{moved}");
        assert!(stop_page(&app, &s.stop_id).await.1.contains("Backup Hall"));

        // A venue's details edited.
        app.patch(&hui, &format!("/api/v1/venues/{}", backup["id"].as_str().unwrap()), &json!({"directions": "Second door on the left"})).await;
        assert!(stop_page(&app, &s.stop_id).await.1.contains("Second door on the left"));

        // A material published.
        let video = app.post_ok(&hui, &format!("/api/v1/stops/{}/materials", s.stop_id), &json!({"kind": "video", "link_url": "https://video.example.org/beijing"}), 201).await;
        assert!(!stop_page(&app, &s.stop_id).await.1.contains("id=\"materials\""));
        let res = app.post(&hui, &format!("/api/v1/materials/{}/publish", video["id"].as_str().unwrap()), &json!({"published": true})).await;
        assert_eq!(res.status(), 200);
        assert!(stop_page(&app, &s.stop_id).await.1.contains("id=\"materials\""));

        // The tour renamed: its page and the home page follow.
        let tour_slug = {
            let (_, t) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
            t["slug"].as_str().unwrap().to_owned()
        };
        let tour_page = |app: &TestApp, path: String| {
            let req = app.api.get(app.url(&path));
            async move { req.send().await.unwrap().text().await.unwrap() }
        };
        assert!(tour_page(&app, "/".into()).await.contains("Tour"));
        app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({"name": "OpenStack China Tour"})).await;
        assert!(tour_page(&app, "/".into()).await.contains("OpenStack China Tour"));
        assert!(tour_page(&app, format!("/tours/{tour_slug}")).await.contains("OpenStack China Tour"));
        assert!(stop_page(&app, &s.stop_id).await.1.contains("OpenStack China Tour"));
    }

    async fn signed_in_visitors_get_their_own_page_not_the_cached_one(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        stop_page(&app, &s.stop_id).await;
        let b = app.signed_in_browser(&hui).await;
        let res = b.get(&format!("/stops/{}", s.stop_id)).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("etag").is_none(), "pages with a session are not shared");
        let page = res.text().await.unwrap();
        assert!(page.contains("/logout") || page.contains("/manage"), "the organizer's own navigation");
    }

    async fn a_change_on_one_instance_reaches_the_pages_of_the_other(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        let second = spawn_instance_sharing(&app, |_| {}).await;
        // Both instances have the page cached.
        assert!(stop_page(&app, &s.stop_id).await.1.contains("100 places left"));
        assert!(stop_page(&second, &s.stop_id).await.1.contains("100 places left"));
        assert!(stop_page(&second, &s.stop_id).await.1.contains("100 places left"));

        // Registered through the first: the second drops its page within a poll.
        app.register(&s.stop_id, "Lin", "lin@example.org").await;
        eventually_shows(&second, &s.stop_id, "99 places left").await;
        // And the other way round.
        second.register(&s.stop_id, "Wu", "wu@example.org").await;
        assert!(stop_page(&second, &s.stop_id).await.1.contains("98 places left"));
        eventually_shows(&app, &s.stop_id, "98 places left").await;

        // A venue edited on one instance.
        app.patch(&hui, &format!("/api/v1/venues/{}", s.venue_id), &json!({"directions": "Ring the bell twice"})).await;
        eventually_shows(&second, &s.stop_id, "Ring the bell twice").await;
    }
}
