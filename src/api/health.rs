use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;

use crate::db;
use crate::state::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Readiness: the database answers, its migrations are current, and the data folder's disk
/// takes writes (enough free space, no write just failed for lack of it).
pub async fn readyz(
    state: web::Data<AppState>,
    disk: web::Data<crate::limits::DiskWatch>,
) -> HttpResponse {
    if let Err(why) = disk.check() {
        return HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body(why);
    }
    let ready = state
        .db
        .run(|conn| {
            conn.batch_execute("SELECT 1")?;
            Ok(db::migrations_current(conn))
        })
        .await;
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
