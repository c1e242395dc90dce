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
}
