//! Bad input of every kind gets a clear 4xx in the documented shape and changes nothing.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn the_api_answers_bad_input_with_the_documented_errors(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let url = app.url("/api/v1/tours");

        // No token, a wrong token.
        let (status, body) = json(app.api.get(&url).send().await.unwrap()).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "unauthorized");
        let (status, _) = json(app.api.get(&url).bearer_auth("not-a-token").send().await.unwrap()).await;
        assert_eq!(status, 401);

        // Malformed JSON.
        let res = app.api.post(&url).bearer_auth(&hui.token).header("content-type", "application/json").body("{\"name\": ").send().await.unwrap();
        let (status, body) = json(res).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "malformed_json");

        // Missing field, wrong type.
        let (status, body) = json(app.post(&hui, "/api/v1/tours", &json!({})).await).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");
        let (status, body) = json(app.post(&hui, "/api/v1/tours", &json!({"name": "x", "prior_show_rate": "half"})).await).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["prior_show_rate"].is_string(), "{body}");
        let (status, body) = json(app.post(&hui, "/api/v1/tours", &json!({"name": "x", "prior_show_rate": 1.5})).await).await;
        assert_eq!(status, 422, "{body}");
        let (status, _) = json(app.post(&hui, "/api/v1/tours", &json!([1, 2])).await).await;
        assert_eq!(status, 422);

        // Wrong content type; a huge body.
        let res = app.api.post(&url).bearer_auth(&hui.token).header("content-type", "text/plain").body("{\"name\":\"x\"}").send().await.unwrap();
        assert_eq!(res.status(), 415);
        let huge = json!({"name": "x", "description": "a".repeat(2 * 1024 * 1024)});
        let (status, body) = json(app.post(&hui, "/api/v1/tours", &huge).await).await;
        assert_eq!(status, 413, "{body}");

        // Ids that are not UUIDs or name nothing; unknown routes.
        for path in ["/api/v1/tours/42", "/api/v1/tours/00000000-0000-0000-0000-000000000000", "/api/v1/nothing-here"] {
            let (status, body) = json(app.get(&hui, path).await).await;
            assert_eq!(status, 404, "{path}");
            assert_eq!(body["error"]["code"], "not_found");
        }

        // A very long name, control characters.
        let (status, _) = json(app.post(&hui, "/api/v1/tours", &json!({"name": "n".repeat(500)})).await).await;
        assert_eq!(status, 422);
        let (status, _) = json(app.post(&hui, "/api/v1/tours", &json!({"name": "a\u{1}b"})).await).await;
        assert_eq!(status, 422);
        // A NUL is refused before anything reads the body's values (PostgreSQL cannot hold one).
        let (status, body) = json(app.post(&hui, "/api/v1/tours", &json!({"name": "a\u{0}b"})).await).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "nul_character");

        let (_, list) = json(app.get(&hui, "/api/v1/tours").await).await;
        assert_eq!(list, json!([]), "no bad request left anything behind");
    }

    async fn tokens_come_only_for_the_right_password(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (status, body) = json(app.api.post(app.url("/api/v1/tokens")).json(&json!({"email": "HUI@example.org", "password": PASSWORD})).send().await.unwrap()).await;
        assert_eq!(status, 201, "{body}");
        let token = body["token"].as_str().unwrap().to_owned();
        let res = app.api.get(app.url("/api/v1/tours")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        for (email, password) in [("hui@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)] {
            let (status, body) = json(app.api.post(app.url("/api/v1/tokens")).json(&json!({"email": email, "password": password})).send().await.unwrap()).await;
            assert_eq!(status, 401, "{body}");
        }
        // Tokens are stored hashed.
        let stored: Vec<String> = app.db(|conn| {
            use diesel::prelude::*;
            roadshow::db::schema::api_tokens::table.select(roadshow::db::schema::api_tokens::token_hash).load(conn).unwrap()
        }).await;
        assert!(!stored.contains(&token) && !stored.contains(&hui.token));
    }
}

both_backends! {
    async fn nul_characters_in_a_search_or_a_json_string_answer_400_naming_them(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 5).await;
        let (status, body) = json(app.get(&hui, &format!("/api/v1/stops/{}/registrations?q=a%00b", s.stop_id)).await).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "nul_character");
        assert!(body["error"]["fields"]["q"].is_string(), "{body}");
        // Pages too.
        let res = app.browser().get(&format!("/stops/{}?lang=a%00", s.stop_id)).await;
        assert_eq!(res.status(), 400);

        let before = token_count(&app).await;
        let res = app.api.post(app.url("/api/v1/tokens"))
            .json(&json!({"email": "hui@example.org", "password": PASSWORD, "label": "a\u{0}b"}))
            .send().await.unwrap();
        let (status, body) = json(res).await;
        assert_eq!(status, 400, "{body}");
        assert!(body["error"]["fields"]["label"].is_string(), "{body}");
        // Deeper down, named by its path.
        let (status, body) = json(app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": ["x\u{0}"]})).await).await;
        assert_eq!(status, 400, "{body}");
        assert!(body["error"]["fields"]["venue_ids[0]"].is_string(), "{body}");
        assert_eq!(token_count(&app).await, before, "nothing was written");
    }

    async fn times_beyond_the_years_we_store_answer_422_naming_the_field(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let venue = app.create_venue(&hui, "Hall", "北京", 10).await;
        let path = format!("/api/v1/tours/{}/stops", tour["id"].as_str().unwrap());
        // 9999-12-31T23:59:59-12:00 is the year 10000 in UTC.
        let (status, body) = json(app.post(&hui, &path, &json!({
            "city": "北京", "starts_at": "9999-12-31T23:59:59-12:00", "ends_at": "9999-12-31T23:59:59-13:00",
            "timezone": "Asia/Shanghai", "venue_id": venue["id"]
        })).await).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["fields"]["starts_at"], "must be between the years 1900 and 9998", "{body}");
        let stop = app.create_stop(&hui, tour["id"].as_str().unwrap(), venue["id"].as_str().unwrap(), &[]).await;
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/stops/{}", stop["id"].as_str().unwrap()), &json!({
            "starts_at": "1899-12-31T10:00:00Z", "ends_at": "1899-12-31T12:00:00Z"
        })).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["starts_at"].is_string() && body["error"]["fields"]["ends_at"].is_string(), "{body}");
    }

    async fn a_show_rate_too_small_to_mean_anything_is_refused(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let venue = app.create_venue(&hui, "Hall", "北京", 10).await;
        let (status, body) = json(app.post(&hui, &format!("/api/v1/tours/{}/stops", tour["id"].as_str().unwrap()), &json!({
            "city": "北京", "starts_at": "2027-05-10T09:00:00+08:00", "ends_at": "2027-05-10T17:00:00+08:00",
            "timezone": "Asia/Shanghai", "venue_id": venue["id"], "show_rate": 1e-300
        })).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["show_rate"].is_string(), "{body}");
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/tours/{}", tour["id"].as_str().unwrap()), &json!({"prior_show_rate": 0.01})).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["prior_show_rate"].is_string(), "{body}");
    }
}

async fn token_count(app: &TestApp) -> i64 {
    app.db(|conn| {
        use diesel::prelude::*;
        roadshow::db::schema::api_tokens::table
            .count()
            .get_result::<i64>(conn)
            .unwrap()
    })
    .await
}

#[actix_web::test]
async fn readyz_says_not_ready_when_the_data_folder_s_disk_is_nearly_full() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    assert_eq!(
        app.api
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A threshold above the free space of any disk.
    let full = spawn_app_with(Backend::Sqlite, |s| s.min_free_disk_bytes = u64::MAX)
        .await
        .unwrap();
    let res = full.api.get(full.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("low disk space"));
}

#[actix_web::test]
async fn a_full_database_answers_503_with_retry_after_and_readyz_not_ready() {
    // One connection, so the limit set on it below holds for every request.
    let app = spawn_app_with(Backend::Sqlite, |s| s.pool_size = 1)
        .await
        .unwrap();
    let hui = app.organizer("hui@example.org").await;
    // SQLite answers SQLITE_FULL ("database or disk is full") once the file may not grow.
    app.db(|conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("PRAGMA max_page_count = 1").unwrap();
    })
    .await;
    let mut answer = None;
    for i in 0..50 {
        let res = app
            .post(
                &hui,
                "/api/v1/tours",
                &json!({"name": format!("Tour {i}"), "description": "d".repeat(10_000)}),
            )
            .await;
        if res.status() != 201 {
            answer = Some(res);
            break;
        }
    }
    let res = answer.expect("the database fills up");
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "storage_full", "{body}");
    let res = app.api.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("disk is full"));
    app.db(|conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("PRAGMA max_page_count = 1073741823")
            .unwrap();
    })
    .await;
    let (status, _) = json(
        app.post(&hui, "/api/v1/tours", &json!({"name": "After"}))
            .await,
    )
    .await;
    assert_eq!(status, 201, "writes work again once there is room");
}
