use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::domain::ids::{StopId, TourId};
use crate::domain::message::Segment;
use crate::error::{AppError, FieldCode};
use crate::http::path_id;
use crate::i18n::Lang;
use crate::services::bulk::{self, Draft, MessageText};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct MessageBody {
    /// One stop of the tour; the whole tour (the stops the caller runs) when absent.
    stop_id: Option<String>,
    segment: Segment,
    /// One text for everyone, in `lang` (used when no text per language is given).
    /// Markdown; placeholders: {name} {tour} {city} {date} {venue} {address} {manage_link}.
    /// Any other `{word}` is refused.
    subject: Option<String>,
    body: Option<String>,
    /// The language of `subject` and `body`: `en` (the default) or `zh-CN`.
    lang: Option<String>,
    /// The text per language: each recipient gets theirs, else the other. The message
    /// starts with the body as written (no greeting is added).
    subject_en: Option<String>,
    body_en: Option<String>,
    subject_zh_cn: Option<String>,
    body_zh_cn: Option<String>,
    /// Only count the recipients and render the message per language.
    #[serde(default)]
    preview: bool,
    /// Send the message per language to the caller's own address only, marked as a test.
    #[serde(default)]
    test: bool,
}

#[derive(Serialize, ToSchema)]
pub struct VersionJson {
    /// The language of this text and of the whole e-mail.
    lang: String,
    /// How many recipients get this text.
    recipients: usize,
    /// Whom the sample is filled for.
    sample_name: String,
    subject: String,
    text: String,
    /// The e-mail's HTML, as mailed.
    html: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageJson {
    recipients: usize,
    /// Set when the messages were queued.
    batch_id: Option<String>,
    /// The first version's message (preview only).
    sample_subject: Option<String>,
    sample_text: Option<String>,
    /// The message per language (preview only).
    versions: Vec<VersionJson>,
    /// Test messages queued to the caller (test only).
    tests: Option<usize>,
}

/// Writes to a segment of the tour's or a stop's people: confirmed, waitlisted, checked in,
/// no-shows, those who never answered "still coming?", speakers or volunteers. Each
/// recipient gets their own e-mail, in their language where a text of it is given.
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
    let per_lang = [
        (Lang::En, &body.subject_en, &body.body_en),
        (Lang::ZhCn, &body.subject_zh_cn, &body.body_zh_cn),
    ];
    let texts = if per_lang.iter().any(|(_, s, b)| s.is_some() || b.is_some()) {
        per_lang
            .iter()
            .map(|(lang, s, b)| {
                MessageText::of_lang(
                    *lang,
                    s.as_deref().unwrap_or_default(),
                    b.as_deref().unwrap_or_default(),
                )
            })
            .collect()
    } else {
        let lang = match body.lang.as_deref() {
            None => Lang::En,
            Some(code) => Lang::from_code(code).ok_or_else(|| {
                AppError::invalid("lang", FieldCode::InvalidChoice, "must be en or zh-CN")
            })?,
        };
        vec![MessageText::single(
            lang,
            body.subject.as_deref().unwrap_or_default(),
            body.body.as_deref().unwrap_or_default(),
        )]
    };
    let draft = Draft {
        tour_id,
        stop_id,
        segment: body.segment.as_str().to_owned(),
        texts,
    };
    if body.test {
        let n = bulk::send_test(&state, &me, draft).await?;
        return Ok(HttpResponse::Created().json(MessageJson {
            recipients: 0,
            batch_id: None,
            sample_subject: None,
            sample_text: None,
            versions: Vec::new(),
            tests: Some(n),
        }));
    }
    if body.preview {
        let p = bulk::preview(&state, &me, draft).await?;
        let first = p.versions.first();
        return Ok(HttpResponse::Ok().json(MessageJson {
            recipients: p.recipients,
            batch_id: None,
            sample_subject: first.map(|v| v.rendered.subject.clone()),
            sample_text: first.map(|v| v.rendered.text.clone()),
            versions: p
                .versions
                .into_iter()
                .map(|v| VersionJson {
                    lang: v.lang.code().to_owned(),
                    recipients: v.recipients,
                    sample_name: v.sample_name,
                    subject: v.rendered.subject,
                    text: v.rendered.text,
                    html: v.rendered.html,
                })
                .collect(),
            tests: None,
        }));
    }
    let (batch, n) = bulk::send(&state, &me, draft).await?;
    Ok(HttpResponse::Created().json(MessageJson {
        recipients: n,
        batch_id: Some(batch),
        sample_subject: None,
        sample_text: None,
        versions: Vec::new(),
        tests: None,
    }))
}
