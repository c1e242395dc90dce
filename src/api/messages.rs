use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::domain::ids::{StopId, TourId};
use crate::domain::message::Segment;
use crate::error::AppError;
use crate::http::path_id;
use crate::services::bulk::{self, Draft};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct MessageBody {
    /// One stop of the tour; the whole tour (the stops the caller runs) when absent.
    stop_id: Option<String>,
    segment: Segment,
    subject: String,
    /// Markdown; placeholders: {name} {tour} {city} {date} {venue} {address} {manage_link}.
    body: String,
    /// Only count the recipients and render the first one's message.
    #[serde(default)]
    preview: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MessageJson {
    recipients: usize,
    /// Set when the messages were queued.
    batch_id: Option<String>,
    /// The first recipient's message (preview only).
    sample_subject: Option<String>,
    sample_text: Option<String>,
}

/// Writes to a segment of the tour's or a stop's people: confirmed, waitlisted, checked in
/// or no-shows. Each recipient gets their own e-mail.
#[utoipa::path(post, path = "/api/v1/tours/{id}/messages", tag = "outbox", params(("id" = String, Path)), request_body = MessageBody,
    responses((status = 201, body = MessageJson), (status = 200, body = MessageJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn send_message(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<MessageBody>,
) -> Result<HttpResponse, AppError> {
    let tour_id = path_id::<TourId>(&id)?;
    // The body's stop is looked up like a path's: not a UUID, no such stop.
    let stop_id = body
        .stop_id
        .map(|s| path_id::<StopId>(&s).map(StopId::into_string))
        .transpose()?;
    let draft = Draft {
        tour_id,
        stop_id,
        segment: body.segment.as_str().to_owned(),
        subject: body.subject,
        body: body.body,
    };
    if body.preview {
        let p = bulk::preview(&state, &me, draft).await?;
        return Ok(HttpResponse::Ok().json(MessageJson {
            recipients: p.recipients,
            batch_id: None,
            sample_subject: p.sample.as_ref().map(|(_, r)| r.subject.clone()),
            sample_text: p.sample.map(|(_, r)| r.text),
        }));
    }
    let (batch, n) = bulk::send(&state, &me, draft).await?;
    Ok(HttpResponse::Created().json(MessageJson {
        recipients: n,
        batch_id: Some(batch),
        sample_subject: None,
        sample_text: None,
    }))
}
