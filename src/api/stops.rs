use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::{ApiJson, double_option};
use crate::api::openapi::ErrorJson;
use crate::domain::content::Translations;
use crate::domain::ids::{StopId, SupporterId, TourId};
use crate::domain::stop::{StopStatus, in_zone, rfc3339_to_utc, to_rfc3339};
use crate::error::AppError;
use crate::http::path_id;
use crate::models::stop::{StopDetail, Supporter};
use crate::services::stops::{self, StopInput};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SupporterJson {
    id: String,
    name: String,
    /// What they gave (the room, drinks, the live stream…).
    contribution: String,
}

impl From<Supporter> for SupporterJson {
    fn from(s: Supporter) -> Self {
        SupporterJson {
            id: s.id,
            name: s.name,
            contribution: s.contribution,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StopJson {
    id: String,
    tour_id: String,
    city: String,
    /// UTC.
    starts_at: String,
    ends_at: String,
    /// The same times in the stop's zone.
    starts_at_local: String,
    ends_at_local: String,
    timezone: String,
    venue_id: String,
    venue_name: String,
    /// Best first.
    backup_venue_ids: Vec<String>,
    /// The override if set, else the venue's capacity.
    capacity: i32,
    capacity_override: Option<i32>,
    /// The organizer's show-rate override, if any.
    show_rate: Option<f64>,
    livestream_url: Option<String>,
    online_viewers: Option<i32>,
    status: StopStatus,
    /// The organizers' message with the last cancellation or new time (shown on the stop's
    /// page and tickets), if they wrote one.
    notice: Option<String>,
    supporters: Vec<SupporterJson>,
    created_at: String,
    updated_at: String,
    /// Answers to PATCH only: how many people were e-mailed because the change cancelled
    /// the stop or moved an open or closed stop to another time (0 when neither).
    #[serde(skip_serializing_if = "Option::is_none")]
    told: Option<usize>,
}

impl From<StopDetail> for StopJson {
    fn from(d: StopDetail) -> Self {
        let capacity = d.capacity();
        let tz = d.stop.tz();
        let s = d.stop;
        StopJson {
            status: s.status(),
            starts_at_local: in_zone(s.starts_at, tz).to_rfc3339(),
            ends_at_local: in_zone(s.ends_at, tz).to_rfc3339(),
            id: s.id,
            tour_id: s.tour_id,
            city: s.city,
            starts_at: to_rfc3339(s.starts_at),
            ends_at: to_rfc3339(s.ends_at),
            timezone: s.timezone,
            venue_id: s.venue_id,
            venue_name: d.venue.name,
            backup_venue_ids: d.backups.into_iter().map(|b| b.id).collect(),
            capacity,
            capacity_override: s.capacity_override,
            show_rate: s.show_rate_override,
            livestream_url: s.livestream_url,
            online_viewers: s.online_viewers,
            notice: s.notice,
            supporters: d.supporters.into_iter().map(SupporterJson::from).collect(),
            created_at: to_rfc3339(s.created_at),
            updated_at: to_rfc3339(s.updated_at),
            told: None,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateStop {
    city: String,
    /// RFC 3339, with an offset.
    starts_at: String,
    ends_at: String,
    /// IANA time zone the stop's times are shown in, e.g. Asia/Shanghai.
    timezone: String,
    venue_id: String,
    /// Ranked, best first.
    #[serde(default)]
    backup_venue_ids: Vec<String>,
    /// Overrides the venue's capacity.
    capacity: Option<i64>,
    /// Overrides the learned show rate.
    show_rate: Option<f64>,
    livestream_url: Option<String>,
    status: Option<StopStatus>,
    /// The city (the stop's name) in other content languages: language → field → text.
    #[serde(default)]
    translations: crate::domain::content::TextsInput,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct UpdateStop {
    city: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    timezone: Option<String>,
    /// Only while the stop is a draft; afterwards use switch-venue.
    venue_id: Option<String>,
    backup_venue_ids: Option<Vec<String>>,
    /// null goes back to the venue's capacity.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    capacity: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<f64>)]
    show_rate: Option<Option<f64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    livestream_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    online_viewers: Option<Option<i64>>,
    /// `cancelled` e-mails every confirmed and waitlisted attendee, speaker and volunteer
    /// of the stop (once per address) with a calendar file that cancels it; so does a new
    /// `starts_at` or `ends_at` of an open or closed stop, with the new time.
    status: Option<StopStatus>,
    /// The organizers' words for the people told (at most 2000 characters).
    message: Option<String>,
    /// The city in other content languages: language → field → text; an empty text or null
    /// removes one, a language or field left out stays as it is.
    #[serde(default)]
    translations: crate::domain::content::TextsInput,
}

#[utoipa::path(get, path = "/api/v1/tours/{id}/stops", tag = "stops", params(("id" = String, Path)),
    responses((status = 200, body = Vec<StopJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_stops(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let list = stops::list_stops(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(StopJson::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/v1/tours/{id}/stops", tag = "stops", params(("id" = String, Path)), request_body = CreateStop,
    responses((status = 201, body = StopJson), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn create_stop(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CreateStop>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let input = StopInput {
        city: Some(body.city),
        starts_at: Some(rfc3339_to_utc(&body.starts_at)),
        ends_at: Some(rfc3339_to_utc(&body.ends_at)),
        timezone: Some(body.timezone),
        venue_id: Some(body.venue_id),
        backup_venue_ids: Some(body.backup_venue_ids),
        capacity: body.capacity.map(|c| Ok(Some(c))),
        show_rate: body.show_rate.map(|r| Ok(Some(r))),
        livestream_url: body.livestream_url.map(Some),
        online_viewers: None,
        status: body.status.map(|s| s.as_str().to_owned()),
        translations: Translations::new(&state.env.content_languages, body.translations),
    };
    let stop = stops::create_stop(&state, &me, &id, input).await?;
    Ok(HttpResponse::Created().json(StopJson::from(stop)))
}

#[utoipa::path(get, path = "/api/v1/stops/{id}", tag = "stops", params(("id" = String, Path)),
    responses((status = 200, body = StopJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn get_stop(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let (stop, _, _) = stops::stop_detail(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(StopJson::from(stop)))
}

#[utoipa::path(patch, path = "/api/v1/stops/{id}", tag = "stops", params(("id" = String, Path)), request_body = UpdateStop,
    responses((status = 200, body = StopJson), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn update_stop(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<UpdateStop>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let input = StopInput {
        city: body.city,
        starts_at: body.starts_at.as_deref().map(rfc3339_to_utc),
        ends_at: body.ends_at.as_deref().map(rfc3339_to_utc),
        timezone: body.timezone,
        venue_id: body.venue_id,
        backup_venue_ids: body.backup_venue_ids,
        capacity: body.capacity.map(Ok),
        show_rate: body.show_rate.map(Ok),
        livestream_url: body.livestream_url,
        online_viewers: body.online_viewers.map(Ok),
        status: body.status.map(|s| s.as_str().to_owned()),
        translations: Translations::new(&state.env.content_languages, body.translations),
    };
    let message = body.message.unwrap_or_default();
    let updated = stops::update_stop_telling(&state, &me, &id, input, message).await?;
    let mut json = StopJson::from(updated.detail);
    json.told = Some(updated.told);
    Ok(HttpResponse::Ok().json(json))
}

#[derive(Deserialize, ToSchema)]
pub struct SetBackups {
    /// The full ranking, best first.
    venue_ids: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/stops/{id}/backups", tag = "stops", params(("id" = String, Path)), request_body = SetBackups,
    responses((status = 200, body = StopJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn set_backups(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<SetBackups>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let input = StopInput {
        backup_venue_ids: Some(body.venue_ids),
        ..StopInput::default()
    };
    let stop = stops::update_stop(&state, &me, &id, input).await?;
    Ok(HttpResponse::Ok().json(StopJson::from(stop)))
}

#[derive(Deserialize, ToSchema)]
pub struct CloneStop {
    starts_at: String,
    ends_at: String,
}

/// A new draft stop like this one in everything but the date.
#[utoipa::path(post, path = "/api/v1/stops/{id}/clone", tag = "stops", params(("id" = String, Path)), request_body = CloneStop,
    responses((status = 201, body = StopJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn clone_stop(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CloneStop>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let (starts_at, ends_at) = (
        rfc3339_to_utc(&body.starts_at),
        rfc3339_to_utc(&body.ends_at),
    );
    let stop = stops::clone_stop(&state, &me, &id, starts_at, ends_at).await?;
    Ok(HttpResponse::Created().json(StopJson::from(stop)))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateSupporter {
    name: String,
    #[serde(default)]
    contribution: String,
}

#[utoipa::path(post, path = "/api/v1/stops/{id}/supporters", tag = "stops", params(("id" = String, Path)), request_body = CreateSupporter,
    responses((status = 201, body = SupporterJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn add_supporter(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CreateSupporter>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let supporter = stops::add_supporter(&state, &me, &id, body.name, body.contribution).await?;
    Ok(HttpResponse::Created().json(SupporterJson::from(supporter)))
}

#[utoipa::path(delete, path = "/api/v1/stops/{id}/supporters/{supporter_id}", tag = "stops",
    params(("id" = String, Path), ("supporter_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn remove_supporter(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, supporter_id) = path.into_inner();
    let id = path_id::<StopId>(&id)?;
    let supporter_id = path_id::<SupporterId>(&supporter_id)?;
    stops::remove_supporter(&state, &me, &id, &supporter_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
