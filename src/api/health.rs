use std::sync::atomic::Ordering;

use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret;

use crate::error::AppError;
use crate::state::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Readiness: the database answers, its migrations are current, and the data folder's disk
/// takes writes (enough free space, no write just failed for lack of it).
pub async fn readyz(
    state: web::Data<AppState>,
    disk: web::Data<crate::disk::DiskWatch>,
) -> HttpResponse {
    if let Err(why) = disk.check() {
        return HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body(why);
    }
    let ready = crate::services::health::database_ready(&state).await;
    match ready {
        Ok(true) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("migrations pending"),
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unreachable"),
    }
}

/// `GET /metrics`, in the OpenMetrics text format. With `metrics_token` set, only for
/// `Authorization: Bearer <token>`.
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let token = state.settings.server.metrics_token.expose_secret().trim();
    if !token.is_empty() {
        let sent = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Compared as hashes, so the comparison's time tells nothing about the token.
        if !crate::secrets::same(
            &crate::secrets::token_hash(sent),
            &crate::secrets::token_hash(token),
        ) {
            return Err(AppError::unauthorized("a valid metrics token is needed"));
        }
    }
    let (counters, outbox) = crate::services::health::totals(&state).await?;
    let cache = &state.pages;
    let hits = (
        cache.hits.load(Ordering::Relaxed),
        cache.misses.load(Ordering::Relaxed),
    );
    let text = state.metrics.render(hits, counters, outbox);
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(text))
}
