use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiCaller;
use crate::api::openapi::ErrorJson;
use crate::domain::ids::{MessageId, TourId};
use crate::domain::stop::to_rfc3339;
use crate::error::AppError;
use crate::http::path_id;
use crate::models::outbox::{OutboxMessage, OutboxStatus};
use crate::services::outbox;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct OutboxMessageJson {
    id: String,
    kind: String,
    to_email: String,
    subject: String,
    status: OutboxStatus,
    attempts: i32,
    last_error: Option<String>,
    message_id: String,
    stop_id: Option<String>,
    created_at: String,
    sent_at: Option<String>,
    next_attempt_at: String,
}

impl From<OutboxMessage> for OutboxMessageJson {
    fn from(m: OutboxMessage) -> Self {
        OutboxMessageJson {
            status: m.status(),
            id: m.id,
            kind: m.kind,
            to_email: m.to_email,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error,
            message_id: m.message_id,
            stop_id: m.stop_id,
            created_at: to_rfc3339(m.created_at),
            sent_at: m.sent_at.map(to_rfc3339),
            next_attempt_at: to_rfc3339(m.next_attempt_at),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct OutboxQuery {
    status: Option<OutboxStatus>,
}

/// The tour's e-mails, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/tours/{id}/outbox", tag = "outbox", params(("id" = String, Path), OutboxQuery),
    responses((status = 200, body = Vec<OutboxMessageJson>), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn tour_outbox(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let o = outbox::tour_outbox(&state, &me, &id, query.into_inner().status).await?;
    Ok(HttpResponse::Ok().json(
        o.messages
            .into_iter()
            .map(OutboxMessageJson::from)
            .collect::<Vec<_>>(),
    ))
}

/// Queues a failed message again, with a fresh set of attempts.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox", params(("id" = String, Path)),
    responses((status = 200, body = OutboxMessageJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn retry(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<MessageId>(&id)?;
    let message = outbox::retry(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(OutboxMessageJson::from(message)))
}
