//! Rate limits per client address and the sign-in backoff.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

async fn app_with_limits(trusted_proxies: &str) -> TestApp {
    let proxies = trusted_proxies.to_owned();
    spawn_app_with(Backend::Sqlite, move |s| {
        s.rate_limits = "on".into();
        s.rate_limit_registrations = 3;
        s.rate_limit_sign_in_links = 2;
        s.trusted_proxies = proxies;
    })
    .await
    .unwrap()
}

async fn register_from(
    app: &TestApp,
    stop_id: &str,
    n: usize,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .api
        .post(app.url(&format!("/api/v1/stops/{stop_id}/registrations")))
        .json(&json!({"name": "Someone", "email": format!("person{n}@example.org")}));
    if let Some(ip) = forwarded_for {
        req = req.header("X-Forwarded-For", ip);
    }
    req.send().await.unwrap()
}

#[actix_web::test]
async fn registrations_over_the_limit_get_429_with_retry_after() {
    let app = app_with_limits("").await;
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    for n in 0..3 {
        assert_eq!(
            register_from(&app, &stop.stop_id, n, None).await.status(),
            201
        );
    }
    let res = register_from(&app, &stop.stop_id, 3, None).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
    // Nothing was written for the refused attempt.
    assert_eq!(app.stats(&org, &stop.stop_id).await["confirmed"], 3);

    // The browser form is limited too, and its error page keeps Retry-After.
    let b = app.browser();
    let res = b
        .client
        .post(app.url(&format!("/stops/{}/register", stop.stop_id)))
        .header("origin", &app.address)
        .form(&[("name", "Form"), ("email", "form@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429, "{:?}", res.text().await);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("<html"));

    // X-Forwarded-For from a peer that is not a trusted proxy changes nothing.
    let res = register_from(&app, &stop.stop_id, 4, Some("203.0.113.9")).await;
    assert_eq!(res.status(), 429);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_limit() {
    let app = app_with_limits("127.0.0.1/32, ::1").await;
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    for n in 0..3 {
        assert_eq!(
            register_from(&app, &stop.stop_id, n, Some("203.0.113.1"))
                .await
                .status(),
            201
        );
    }
    assert_eq!(
        register_from(&app, &stop.stop_id, 3, Some("203.0.113.1"))
            .await
            .status(),
        429
    );
    // Another client behind the same proxy; a spoofed left-most entry does not help the first.
    assert_eq!(
        register_from(&app, &stop.stop_id, 4, Some("203.0.113.2"))
            .await
            .status(),
        201
    );
    assert_eq!(
        register_from(&app, &stop.stop_id, 5, Some("198.51.100.7, 203.0.113.1"))
            .await
            .status(),
        429
    );
}

#[actix_web::test]
async fn sign_in_link_requests_are_limited() {
    let app = app_with_limits("").await;
    let b = app.browser();
    let mut statuses = vec![];
    for n in 0..3 {
        let csrf = b.csrf_of("/volunteer/login").await;
        let res = b
            .post_form(
                "/volunteer/login",
                &[("_csrf", &csrf), ("email", &format!("v{n}@example.org"))],
            )
            .await;
        statuses.push(res.status().as_u16());
    }
    assert_ne!(statuses[0], 429);
    assert_ne!(statuses[1], 429);
    assert_eq!(statuses[2], 429, "{statuses:?}");
}

#[actix_web::test]
async fn switched_off_there_is_no_limit() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rate_limits = "off".into();
        s.rate_limit_registrations = 1;
    })
    .await
    .unwrap();
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    for n in 0..5 {
        assert_eq!(
            register_from(&app, &stop.stop_id, n, None).await.status(),
            201
        );
    }
}

async fn token_attempt(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.api
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

both_backends! {
    async fn repeated_wrong_passwords_lock_sign_in_for_a_while(app: TestApp) {
        app.organizer("hui@example.org").await;
        for _ in 0..4 {
            assert_eq!(token_attempt(&app, "hui@example.org", "wrong password!").await.status(), 401);
        }
        let res = token_attempt(&app, "HUI@example.org", "wrong password!").await;
        assert_eq!(res.status(), 429, "the fifth failure in a row locks");
        assert_eq!(res.headers()["retry-after"], "30");
        // While locked even the right password is refused, in the browser too.
        assert_eq!(token_attempt(&app, "hui@example.org", PASSWORD).await.status(), 429);
        let b = app.browser();
        let csrf = b.csrf_of("/login").await;
        let res = b.post_form("/login", &[("_csrf", &csrf), ("email", "hui@example.org"), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), 429);
        // Unknown addresses behave the same, so the lock reveals no account.
        for _ in 0..4 {
            assert_eq!(token_attempt(&app, "nobody@example.org", "x").await.status(), 401);
        }
        assert_eq!(token_attempt(&app, "nobody@example.org", "x").await.status(), 429);

        // Once the lock has run out, the right password works and clears the count.
        app.db(|conn| {
            use diesel::prelude::*;
            diesel::sql_query("UPDATE sign_in_failures SET locked_until = NULL").execute(conn).unwrap();
        }).await;
        assert_eq!(token_attempt(&app, "hui@example.org", PASSWORD).await.status(), 201);
        assert_eq!(token_attempt(&app, "hui@example.org", "wrong password!").await.status(), 401);
    }
}
