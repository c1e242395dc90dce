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
    let full = spawn_app_with(Backend::Sqlite, |s| {
        s.storage.min_free_disk_bytes = u64::MAX
    })
    .await
    .unwrap();
    let res = full.api.get(full.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("low disk space"));
}

#[actix_web::test]
async fn a_full_database_answers_503_with_retry_after_and_readyz_not_ready() {
    // One connection, so the limit set on it below holds for every request.
    let app = spawn_app_with(Backend::Sqlite, |s| s.database.pool_size = 1)
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

/// A form's fields, as posted.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// What a page answering 422 says is wrong: the messages of its marked fields, or a banner
/// that says more than "Some fields need your attention.".
fn what_is_wrong(html: &scraper::Html) -> Vec<String> {
    let mut said = select_text(html, ".field.invalid .error");
    said.extend(
        select_text(html, ".flash.error")
            .into_iter()
            .filter(|t| !t.is_empty() && t != "Some fields need your attention."),
    );
    said
}

both_backends! {
    async fn every_form_that_refuses_input_marks_a_field_and_says_what_is_wrong(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let (_, tour) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        let slug = tour["slug"].as_str().unwrap().to_owned();
        app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({
            "cfp_opens_at": "2020-01-01T00:00:00Z", "cfp_closes_at": "2099-01-01T00:00:00Z"
        })).await;
        let org = app.signed_in_browser(&hui).await;
        let csrf = org.csrf_of("/manage/tours/new").await;
        let stop = format!("/manage/stops/{}", s.stop_id);
        let organizer_forms: Vec<(String, Fields, &str, &str)> = vec![
            ("/manage/tours/new".into(), vec![("name", "Tour"), ("prior_show_rate", "1e-9")], "prior_show_rate", "Out of range: 0.05 (5%) to 1 (100%)."),
            ("/manage/tours/new".into(), vec![("name", ""), ("prior_show_rate", "0.5")], "name", "This is required."),
            (format!("/manage/tours/{}/edit", s.tour_id), vec![("name", "Tour"), ("prior_show_rate", "150%"), ("slug", &slug)], "prior_show_rate", "Out of range: 0.05 (5%) to 1 (100%)."),
            ("/manage/venues/new".into(), vec![("name", "Hall"), ("city", "北京"), ("capacity", "-5"), ("kind", "cafe"), ("cost", "free")], "capacity", "Out of range: 1 to 100,000."),
            ("/manage/venues/new".into(), vec![("name", "Hall"), ("city", "北京"), ("capacity", "1000000"), ("kind", "cafe"), ("cost", "free")], "capacity", "Out of range: 1 to 100,000."),
            (format!("/manage/venues/{}/edit", s.venue_id), vec![("name", "Hall"), ("city", "北京"), ("capacity", "0"), ("kind", "cafe"), ("cost", "free")], "capacity", "Out of range: 1 to 100,000."),
            (format!("{stop}/tasks"), vec![("kind", "photos"), ("title", "More photos"), ("slots", "0")], "slots", "Out of range: 1 to 1,000."),
            (format!("{stop}/agenda"), vec![("kind", "break"), ("title", "Break"), ("starts_at", "2001-01-01T10:00"), ("duration_minutes", "30")], "starts_at", ""),
            (format!("{stop}/agenda"), vec![("kind", "break"), ("title", "Break"), ("starts_at", "x"), ("duration_minutes", "0")], "duration_minutes", "Out of range: 5 to 720."),
            (format!("/manage/tours/{}/messages", s.tour_id), vec![("segment", "confirmed"), ("subject_en", ""), ("body_en", "Hi"), ("action", "preview")], "subject_en", "This is required."),
        ];
        for (path, fields, field, message) in organizer_forms {
            let mut form = vec![("_csrf", csrf.as_str())];
            form.extend(fields.iter().copied());
            let res = org.post_form(&path, &form).await;
            assert_eq!(res.status(), 422, "POST {path} {fields:?}");
            let html = scraper::Html::parse_document(&res.text().await.unwrap());
            let marked = select_text(&html, &format!(".field.invalid:has([name={field}]) .error"));
            assert_eq!(marked.len(), 1, "POST {path}: {field} is marked ({:?})", what_is_wrong(&html));
            if !message.is_empty() {
                assert_eq!(marked[0], message, "POST {path}");
            }
            assert!(!what_is_wrong(&html).is_empty());
        }

        // The public forms, in both languages.
        let task = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &serde_json::json!({"kind": "photos", "title": "Photos", "slots": 2}), 201).await;
        let task_id = task["id"].as_str().unwrap().to_owned();
        let public_forms: Vec<(String, Fields, &str)> = vec![
            (format!("/stops/{}/register", s.stop_id), vec![("name", "Yejia"), ("email", "nope")], "email"),
            (format!("/stops/{}/lost-link", s.stop_id), vec![("email", "nope")], "email"),
            (format!("/stops/{}/help", s.stop_id), vec![("name", "Yejia"), ("email", "nope"), ("task_ids", task_id.as_str())], "email"),
            (format!("/tours/{slug}/help"), vec![("name", "Yejia"), ("email", "nope"), ("task_ids", task_id.as_str())], "email"),
            (format!("/tasks/{task_id}/claim"), vec![("name", ""), ("email", "yejia@example.org")], "name"),
            (format!("/tours/{slug}/cfp"), vec![("name", "Rongze"), ("email", "rz@example.org"), ("title", ""), ("duration_minutes", "9999")], "duration_minutes"),
        ];
        for (path, fields, field) in public_forms {
            for (lang, expect_chinese) in [("en", false), ("zh-CN", true)] {
                let b = app.browser();
                let res = b.client.post(app.url(&path)).header("origin", &app.address).header("accept-language", lang).form(&fields).send().await.unwrap();
                assert_eq!(res.status(), 422, "POST {path} {fields:?}");
                let html = scraper::Html::parse_document(&res.text().await.unwrap());
                let marked = select_text(&html, &format!(".field.invalid:has([name={field}]) .error"));
                assert_eq!(marked.len(), 1, "POST {path}: {field} is marked ({:?})", what_is_wrong(&html));
                assert_eq!(marked[0].chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), expect_chinese, "{lang}: {}", marked[0]);
            }
        }
    }
}

both_backends! {
    async fn the_api_names_the_range_of_every_number_it_refuses(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let speaker = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Rongze", "email": "rz@example.org"}), 201).await;
        let cases: Vec<(&str, String, serde_json::Value, &str, &str)> = vec![
            ("POST", "/api/v1/venues".into(), json!({"name": "Hall", "city": "北京", "capacity": -5, "kind": "cafe", "cost": "free"}), "capacity", "out of range: 1 to 100,000"),
            ("POST", "/api/v1/venues".into(), json!({"name": "Hall", "city": "北京", "capacity": 5_000_000_000i64, "kind": "cafe", "cost": "free"}), "capacity", "out of range: 1 to 100,000"),
            ("POST", "/api/v1/tours".into(), json!({"name": "T", "prior_show_rate": 1e-9}), "prior_show_rate", "out of range: 0.05 (5%) to 1 (100%)"),
            ("PATCH", format!("/api/v1/tours/{}", s.tour_id), json!({"prior_show_rate": 2.0}), "prior_show_rate", "out of range: 0.05 (5%) to 1 (100%)"),
            ("POST", format!("/api/v1/stops/{}/tasks", s.stop_id), json!({"kind": "photos", "title": "P", "slots": 0}), "slots", "out of range: 1 to 1,000"),
            ("POST", "/api/v1/talks".into(), json!({"title": "T", "duration_minutes": 0, "speaker_ids": [speaker["id"]]}), "duration_minutes", "out of range: 5 to 480"),
            ("POST", "/api/v1/tokens".into(), json!({"email": "hui@example.org", "password": PASSWORD, "expires_in_days": 0}), "expires_in_days", "out of range: 1 to 3,650"),
        ];
        for (method, path, body, field, message) in cases {
            let res = match method {
                "PATCH" => app.patch(&hui, &path, &body).await,
                _ => app.post(&hui, &path, &body).await,
            };
            let (status, answer) = json(res).await;
            assert_eq!(status, 422, "{method} {path}: {answer}");
            assert_eq!(answer["error"]["fields"][field], message, "{method} {path}: {answer}");
        }
    }
}
