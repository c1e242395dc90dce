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
