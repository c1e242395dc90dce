//! Health, the OpenAPI document, and checks on the repository itself.

use crate::helpers::*;

#[actix_web::test]
async fn health_and_readiness_answer() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let res = app.api.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    let res = app.api.head(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.api.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn the_openapi_document_lists_the_api() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc: serde_json::Value = app
        .api
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/tokens",
        "/api/v1/tours",
        "/api/v1/tours/{id}",
        "/api/v1/tours/{id}/stops",
        "/api/v1/stops/{id}",
        "/api/v1/venues",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is missing");
    }
    // Every operation documents the errors any route may answer.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for status in ["400", "401", "404", "413", "415", "422", "429"] {
                assert!(
                    op["responses"][status].is_object(),
                    "{method} {path} lacks {status}"
                );
            }
        }
    }
    // A route asked with a method it does not answer: 405 with Allow; no route: 404.
    let res = app
        .api
        .request(reqwest::Method::TRACE, app.url("/api/v1/venues"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, POST");
    let res = app
        .api
        .delete(app.url("/api/v1/tours"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    let res = app
        .api
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |backend: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("migrations/{backend}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    assert!(!names("sqlite").is_empty());
    // The same text too, file by file, unless both files say why they differ: a change
    // written for one backend and forgotten in the other fails here, not in production.
    const MARK: &str = "-- differs by backend:";
    let mut differ = Vec::new();
    for name in names("sqlite") {
        for file in ["up.sql", "down.sql"] {
            let read = |backend: &str| {
                std::fs::read_to_string(format!("migrations/{backend}/{name}/{file}"))
                    .unwrap_or_default()
            };
            let (sqlite, postgres) = (read("sqlite"), read("postgres"));
            if sqlite != postgres && !(sqlite.contains(MARK) && postgres.contains(MARK)) {
                differ.push(format!("{name}/{file}"));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "these migrations differ between sqlite/ and postgres/ without a `{MARK} <why>` line in \
         both: {differ:?}"
    );
}

mod metrics {
    use crate::both_backends;
    use crate::helpers::*;
    use serde_json::json;

    fn value_of(text: &str, series: &str) -> Option<f64> {
        text.lines()
            .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    }

    both_backends! {
        async fn metrics_count_requests_registrations_check_ins_outbox_and_cache(app: TestApp) {
            let hui = app.organizer("hui@example.org").await;
            let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
            let (_, first) = app.register(&s.stop_id, "Yejia Xu", "yejia@example.org").await;
            app.register(&s.stop_id, "Jun Li", "jun@example.org").await;
            app.post(&hui, &format!("/api/v1/stops/{}/checkins", s.stop_id), &json!({"code": first["code"]})).await;
            for _ in 0..3 {
                app.browser().page(&format!("/stops/{}", s.stop_id)).await;
            }
            let res = app.api.get(app.url("/metrics")).send().await.unwrap();
            assert_eq!(res.status(), 200);
            assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
            let text = res.text().await.unwrap();
            assert_eq!(value_of(&text, "roadshow_registrations{status=\"confirmed\"}"), Some(2.0), "{text}");
            assert_eq!(value_of(&text, "roadshow_check_ins"), Some(1.0));
            assert!(value_of(&text, "roadshow_outbox_messages{status=\"queued\"}").unwrap() >= 2.0);
            assert!(value_of(&text, "roadshow_page_cache_hits_total").unwrap() >= 2.0);
            // Requests are labelled by route pattern, never by id.
            assert_eq!(value_of(&text, "roadshow_http_requests_total{method=\"GET\",route=\"/stops/{id}\",status=\"200\"}"), Some(3.0), "{text}");
            assert!(text.contains("roadshow_http_request_duration_seconds_bucket{"));
            assert!(!text.contains(&s.stop_id));
            assert!(!text.contains("yejia@example.org"));
            app.drain().await;
            let text = app.api.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
            assert_eq!(value_of(&text, "roadshow_outbox_messages{status=\"queued\"}"), Some(0.0));
            assert!(value_of(&text, "roadshow_outbox_messages{status=\"sent\"}").unwrap() >= 2.0);
        }
    }

    #[actix_web::test]
    async fn with_a_token_metrics_are_for_the_scraper_only() {
        let app = spawn_app_with(Backend::Sqlite, |s| {
            s.server.metrics_token = "scraper-secret".into()
        })
        .await
        .unwrap();
        let res = app.api.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(res.status(), 401);
        let res = app
            .api
            .get(app.url("/metrics"))
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let res = app
            .api
            .get(app.url("/metrics"))
            .bearer_auth("scraper-secret")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
}

mod security_headers {
    use crate::helpers::*;

    async fn session_cookie_after_sign_in(app: &TestApp) -> String {
        let hui = app.organizer("hui@example.org").await;
        let b = app.browser();
        let csrf = b.csrf_of("/login").await;
        let res = b
            .post_form(
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("email", &hui.email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        res.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("roadshow_session="))
            .expect("a session cookie")
    }

    #[actix_web::test]
    async fn pages_forbid_inline_scripts_and_framing_and_cookies_stay_out_of_scripts() {
        let app = spawn_app(Backend::Sqlite).await.unwrap();
        for path in ["/", "/login", "/api/v1/openapi.json", "/nothing-here"] {
            let res = app.api.get(app.url(path)).send().await.unwrap();
            let h = res.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(
                !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
                "{path}: {csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "same-origin", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            if path != "/api/v1/openapi.json" {
                // No inline script anywhere: every <script> has a src.
                let html = scraper::Html::parse_document(&res.text().await.unwrap());
                let scripts = scraper::Selector::parse("script:not([src])").unwrap();
                assert_eq!(
                    html.select(&scripts).count(),
                    0,
                    "{path} has an inline script"
                );
            }
        }
        let cookie = session_cookie_after_sign_in(&app).await;
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "plain HTTP on a laptop: {cookie}"
        );
    }

    #[actix_web::test]
    async fn behind_https_the_session_cookie_is_secure() {
        let app = spawn_app_with(Backend::Sqlite, |s| s.server.secure_cookies = true)
            .await
            .unwrap();
        let cookie = session_cookie_after_sign_in(&app).await;
        assert!(
            cookie.contains("Secure") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
    }
}

mod typed_columns {
    use crate::both_backends;
    use diesel::prelude::*;
    use roadshow::domain::stop::StopStatus;

    #[derive(QueryableByName, Debug)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: StopStatus,
    }

    both_backends! {
        async fn a_status_the_code_does_not_know_is_an_error_not_the_first_variant(app: TestApp) {
            let read = |text: &'static str| {
                app.db(move |conn| {
                    diesel::sql_query(format!("SELECT '{text}' AS status"))
                        .get_result::<Row>(conn)
                        .map(|r| r.status)
                })
            };
            assert_eq!(read("cancelled").await.unwrap(), StopStatus::Cancelled);
            let err = read("postponed").await.unwrap_err();
            assert!(err.to_string().contains("postponed"), "{err}");
        }
    }
}
