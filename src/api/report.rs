use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::materials::MaterialJson;
use crate::api::openapi::ErrorJson;
use crate::domain::ids::{MaterialId, TourId};
use crate::domain::stop::to_rfc3339;
use crate::error::AppError;
use crate::http::path_id;
use crate::services::{collection, report};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ReportStopJson {
    stop_id: String,
    city: String,
    starts_at: String,
    status: String,
    venue: String,
    /// free, paid or shared.
    venue_cost: String,
    registrations: i64,
    confirmed: i64,
    checked_in: i64,
    show_rate_forecast: f64,
    show_rate_actual: Option<f64>,
    online_viewers: Option<i32>,
    talks: usize,
    speakers: usize,
    volunteers: usize,
    materials_requested: usize,
    materials_received: usize,
    materials_published: usize,
    materials_overdue: usize,
}

#[derive(Serialize, ToSchema)]
pub struct RepeatSpeakerJson {
    name: String,
    stops: usize,
}

#[derive(Serialize, ToSchema)]
pub struct RepeatTalkJson {
    title: String,
    cities: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportTotalsJson {
    stops: usize,
    registrations: i64,
    confirmed: i64,
    attendance: i64,
    show_rate: Option<f64>,
    online_viewers: i64,
    talks: usize,
    distinct_talks: usize,
    distinct_speakers: usize,
    /// A speaker at a stop.
    speaking_slots: usize,
    repeat_speakers: Vec<RepeatSpeakerJson>,
    repeat_talks: Vec<RepeatTalkJson>,
    venues_free: usize,
    venues_paid: usize,
    venues_shared: usize,
    volunteers: usize,
    material_completeness: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportJson {
    tour_id: String,
    tour_name: String,
    published_at: Option<String>,
    stops: Vec<ReportStopJson>,
    totals: ReportTotalsJson,
}

impl From<crate::read::report::Report> for ReportJson {
    fn from(r: crate::read::report::Report) -> Self {
        let t = r.totals;
        ReportJson {
            tour_id: r.tour.id,
            tour_name: r.tour.name,
            published_at: r.tour.report_published_at.map(to_rfc3339),
            stops: r
                .rows
                .into_iter()
                .map(|row| ReportStopJson {
                    stop_id: row.stop.id.clone(),
                    city: row.stop.city.clone(),
                    starts_at: to_rfc3339(row.stop.starts_at),
                    status: row.stop.status.as_str().to_owned(),
                    venue: row.venue.name.clone(),
                    venue_cost: row.venue.cost.as_str().to_owned(),
                    registrations: row.registrations,
                    confirmed: row.confirmed,
                    checked_in: row.checked_in,
                    show_rate_forecast: row.forecast_show_rate,
                    show_rate_actual: row.actual_show_rate,
                    online_viewers: row.online_viewers,
                    talks: row.talks,
                    speakers: row.speakers,
                    volunteers: row.volunteers,
                    materials_requested: row.materials.0,
                    materials_received: row.materials.1,
                    materials_published: row.materials.2,
                    materials_overdue: row.materials.3,
                })
                .collect(),
            totals: ReportTotalsJson {
                stops: t.stops,
                registrations: t.registrations,
                confirmed: t.confirmed,
                attendance: t.attendance,
                show_rate: t.show_rate,
                online_viewers: t.online_viewers,
                talks: t.talks,
                distinct_talks: t.distinct_talks,
                distinct_speakers: t.distinct_speakers,
                speaking_slots: t.speaking_slots,
                repeat_speakers: t
                    .repeat_speakers
                    .into_iter()
                    .map(|(name, stops)| RepeatSpeakerJson { name, stops })
                    .collect(),
                repeat_talks: t
                    .repeat_talks
                    .into_iter()
                    .map(|(title, cities)| RepeatTalkJson { title, cities })
                    .collect(),
                venues_free: t.venues_free,
                venues_paid: t.venues_paid,
                venues_shared: t.venues_shared,
                volunteers: t.volunteers,
                material_completeness: t.material_completeness,
            },
        }
    }
}

/// The tour report: per stop and in total.
#[utoipa::path(get, path = "/api/v1/tours/{id}/report", tag = "report", params(("id" = String, Path)),
    responses((status = 200, body = ReportJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn tour_report(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let r = report::for_organizer(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(ReportJson::from(r)))
}

#[derive(Deserialize, ToSchema)]
pub struct Publish {
    published: bool,
}

/// Publishes a received material (or takes it back).
#[utoipa::path(post, path = "/api/v1/materials/{id}/publish", tag = "materials", params(("id" = String, Path)), request_body = Publish,
    responses((status = 200, body = MaterialJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn publish_material(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<Publish>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<MaterialId>(&id)?;
    let m = collection::set_published(&state, &me, &id, b.published).await?;
    Ok(HttpResponse::Ok().json(MaterialJson::from(m)))
}

/// Publishes the tour report (or takes it back).
#[utoipa::path(post, path = "/api/v1/tours/{id}/report/publish", tag = "report", params(("id" = String, Path)), request_body = Publish,
    responses((status = 204), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn publish_report(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<Publish>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    report::set_published(&state, &me, &id, b.published).await?;
    Ok(HttpResponse::NoContent().finish())
}
