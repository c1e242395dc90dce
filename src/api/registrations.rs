use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::api::stops::StopJson;
use crate::api::{ApiCaller, MaybeCaller};
use crate::domain::attendance::{RegistrationStatus, Signal, StillComing};
use crate::domain::ids::{RegistrationId, StopId};
use crate::domain::stop::to_rfc3339;
use crate::error::{AppError, ErrorCode};
use crate::http::path_id;
use crate::i18n::Lang;
use crate::models::registration::{Registration, RegistrationFilter};
use crate::services::desk::{self, Scan};
use crate::services::registrations::{self, RegistrationInput};
use crate::services::venue_switch;
use crate::state::AppState;

/// A registration as its organizers see it.
#[derive(Serialize, ToSchema)]
pub struct RegistrationJson {
    id: String,
    stop_id: String,
    name: String,
    email: String,
    affiliation: String,
    /// Given when the venue checks IDs.
    legal_name: String,
    status: RegistrationStatus,
    code: String,
    checked_in_at: Option<String>,
    created_at: String,
    wants_to_volunteer: bool,
    walk_in: bool,
    /// The answer to "still coming?": yes, no, or none yet.
    still_coming: Option<StillComing>,
    /// Confirmed for a done stop of the caller's tours without coming.
    no_shows: i64,
}

impl RegistrationJson {
    fn new(r: Registration, no_shows: i64) -> Self {
        RegistrationJson {
            status: r.status(),
            id: r.id,
            stop_id: r.stop_id,
            name: r.name,
            email: r.email,
            affiliation: r.affiliation,
            legal_name: r.legal_name,
            code: r.code,
            checked_in_at: r.checked_in_at.map(to_rfc3339),
            created_at: to_rfc3339(r.created_at),
            wants_to_volunteer: r.wants_to_volunteer,
            walk_in: r.walk_in,
            still_coming: r.still_coming,
            no_shows,
        }
    }
}

/// What the person who registered gets back (201: a new registration).
#[derive(Serialize, ToSchema)]
pub struct OwnRegistrationJson {
    id: String,
    stop_id: String,
    status: RegistrationStatus,
    /// The ticket code, the place in line, and the secret that lets them manage it (the
    /// same link as in their e-mails; stored hashed).
    name: Option<String>,
    code: Option<String>,
    waitlist_position: Option<i64>,
    manage_token: Option<String>,
    manage_url: Option<String>,
    /// Always false here (see `AlreadyRegisteredJson`).
    already_registered: bool,
    created_at: String,
}

/// The answer (200) for an address that already has a registration at the stop: nothing
/// about it (no id, status or time), since anyone may type anyone's address. Its manage
/// link, unchanged, is e-mailed to that address (at most once every ten minutes).
#[derive(Serialize, ToSchema)]
pub struct AlreadyRegisteredJson {
    stop_id: String,
    /// Always true.
    already_registered: bool,
    /// The link was sent to the address, not shown here.
    link_emailed_to_address: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateRegistration {
    name: String,
    email: String,
    affiliation: Option<String>,
    /// Required when the venue checks IDs at the door.
    legal_name: Option<String>,
    /// "I'd like to volunteer".
    #[serde(default)]
    volunteer: bool,
}

/// Registers for an open stop (no account needed). Confirmed below the registration target,
/// else waitlisted (201, with the registration's one manage link). The same e-mail again
/// answers 200 `AlreadyRegisteredJson`: nothing about that registration (no id, status or
/// time), and its unchanged manage link is e-mailed to the address, at most once every ten
/// minutes.
#[utoipa::path(post, path = "/api/v1/stops/{id}/registrations", tag = "registrations", params(("id" = String, Path)), request_body = CreateRegistration,
    responses((status = 201, body = OwnRegistrationJson), (status = 200, description = "The address is registered already: nothing about that registration is shown; its link goes to the address", body = AlreadyRegisteredJson), (status = 400, body = ErrorJson),
        (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn create_registration(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CreateRegistration>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::Register)?;
    let id = path_id::<StopId>(&id)?;
    let input = RegistrationInput {
        name: body.name,
        email: body.email,
        affiliation: body.affiliation.unwrap_or_default(),
        legal_name: body.legal_name.unwrap_or_default(),
        volunteer: body.volunteer,
    };
    let done = registrations::register(&state, lang, &id, input).await?;
    let r = done.registration;
    if !done.created {
        return Ok(HttpResponse::Ok().json(AlreadyRegisteredJson {
            stop_id: r.stop_id,
            already_registered: true,
            link_emailed_to_address: true,
        }));
    }
    Ok(HttpResponse::Created().json(OwnRegistrationJson {
        status: r.status(),
        manage_url: done
            .manage_token
            .as_ref()
            .map(|t| state.url(&format!("/r/{t}"))),
        id: r.id,
        stop_id: r.stop_id,
        name: Some(r.name),
        code: Some(r.code),
        waitlist_position: done.waitlist_position,
        manage_token: done.manage_token,
        already_registered: false,
        created_at: to_rfc3339(r.created_at),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct RegistrationQuery {
    /// `json` (the default), or the same list as a file: `csv` (UTF-8 with a byte-order mark)
    /// or `xlsx` (an Excel workbook).
    #[param(schema_with = list_format)]
    format: Option<String>,
    status: Option<RegistrationStatus>,
    checked_in: Option<bool>,
    /// Only those who ticked "I'd like to volunteer".
    volunteers: Option<bool>,
    /// Part of a name, e-mail, affiliation or code.
    q: Option<String>,
}

fn list_format() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["json", "csv", "xlsx"]))
        .build()
}

/// The stop's registrations, for its organizers.
#[utoipa::path(get, path = "/api/v1/stops/{id}/registrations", tag = "registrations", params(("id" = String, Path), RegistrationQuery),
    responses((status = 200, description = "The registrations, as JSON or as the file `format` asks for", content(
        (Vec<RegistrationJson> = "application/json"),
        (String = "text/csv"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_registrations(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    query: web::Query<RegistrationQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let q = query.into_inner();
    let download = match q.format.as_deref() {
        None | Some("json") => None,
        Some(other) => Some(crate::export::Format::from_ext(other).ok_or_else(|| {
            AppError::bad_field("format", ErrorCode::BadQuery, "must be json, csv or xlsx")
        })?),
    };
    let filter = RegistrationFilter {
        status: q.status,
        checked_in: q.checked_in,
        volunteers_only: q.volunteers.unwrap_or(false),
        search: q.q,
    };
    let list = registrations::list(&state, &me, &id, filter).await?.rows;
    if let Some(format) = download {
        let table =
            crate::export::registrations(&list.iter().map(|(r, n)| (r, *n)).collect::<Vec<_>>());
        return crate::http::table_download("registrations", format, &table);
    }
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(|(r, n)| RegistrationJson::new(r, n))
            .collect::<Vec<_>>(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct CancelRegistration {
    /// The attendee's secret; organizers send their bearer token instead.
    manage_token: Option<String>,
}

/// Cancels with the attendee's manage token or as an organizer of the stop. A freed place
/// goes to the oldest waitlisted registration at once.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/cancel", tag = "registrations", params(("id" = String, Path)), request_body = CancelRegistration,
    responses((status = 200, body = RegistrationJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    // Either the attendee's manage token in the body (no header) or an organizer's token.
    security((), ("bearer" = [])))]
pub async fn cancel_registration(
    state: web::Data<AppState>,
    MaybeCaller(me): MaybeCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CancelRegistration>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<RegistrationId>(&id)?;
    let r = registrations::cancel(&state, &id, me.as_ref(), body.manage_token).await?;
    Ok(HttpResponse::Ok().json(RegistrationJson::new(r, 0)))
}

#[derive(Deserialize, ToSchema)]
pub struct CheckInBody {
    /// The ticket code (or the QR code's content).
    code: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckInJson {
    #[serde(flatten)]
    registration: RegistrationJson,
    /// Checked in before: the time is the first check-in's.
    already_checked_in: bool,
}

#[utoipa::path(post, path = "/api/v1/stops/{id}/checkins", tag = "registrations", params(("id" = String, Path)), request_body = CheckInBody,
    responses((status = 200, body = CheckInJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn check_in(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CheckInBody>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let done = desk::check_in(&state, &me, &id, Scan::Code(body.code)).await??;
    Ok(HttpResponse::Ok().json(CheckInJson {
        registration: RegistrationJson::new(done.registration, 0),
        already_checked_in: done.already,
    }))
}

#[utoipa::path(post, path = "/api/v1/stops/{id}/walk-ins", tag = "registrations", params(("id" = String, Path)), request_body = CreateRegistration,
    responses((status = 201, body = CheckInJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn walk_in(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    lang: Lang,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CreateRegistration>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let input = RegistrationInput {
        name: body.name,
        email: body.email,
        affiliation: body.affiliation.unwrap_or_default(),
        legal_name: body.legal_name.unwrap_or_default(),
        volunteer: body.volunteer,
    };
    let done = desk::walk_in(&state, &me, lang, &id, input).await?;
    Ok(HttpResponse::Created().json(CheckInJson {
        registration: RegistrationJson::new(done.registration, 0),
        already_checked_in: done.already,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct StatsJson {
    capacity: i32,
    /// The expected show rate r(S).
    show_rate: f64,
    /// T = floor(capacity / show_rate).
    registration_target: i64,
    confirmed: i32,
    waitlisted: i32,
    cancelled: i32,
    checked_in: i32,
    signal: Signal,
    /// Confirmed who answered "yes, I'm coming".
    still_coming_yes: i32,
    /// Expected attendance, counting the yes answers as coming.
    forecast_attendance: f64,
    /// Confirmed beyond the target.
    over_target: i64,
    /// Checked in / confirmed, once the stop is done.
    actual_show_rate: Option<f64>,
}

#[utoipa::path(get, path = "/api/v1/stops/{id}/stats", tag = "registrations", params(("id" = String, Path)),
    responses((status = 200, body = StatsJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn stats(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let s = registrations::stats(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(StatsJson {
        capacity: s.plan.capacity,
        show_rate: s.plan.show_rate,
        registration_target: s.plan.target,
        confirmed: s.counters.confirmed,
        waitlisted: s.counters.waitlisted,
        cancelled: s.counters.cancelled,
        checked_in: s.counters.checked_in,
        signal: s.signal,
        still_coming_yes: s.counters.still_coming_yes,
        forecast_attendance: s.forecast_attendance,
        over_target: s.over_target,
        actual_show_rate: s.actual_show_rate,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct SwitchVenue {
    /// The first ranked backup when absent.
    venue_id: Option<String>,
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/stops/{id}/switch-venue", tag = "stops", params(("id" = String, Path)), request_body = SwitchVenue,
    responses((status = 200, body = StopJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn switch_venue(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<SwitchVenue>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let stop = venue_switch::switch_venue(&state, &me, &id, body.venue_id.as_deref(), &body.reason)
        .await?;
    Ok(HttpResponse::Ok().json(StopJson::from(stop)))
}

#[derive(Deserialize, IntoParams)]
pub struct HistoryQuery {
    email: String,
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceJson {
    tour_id: String,
    tour_name: String,
    stop_id: String,
    city: String,
    starts_at: String,
    status: RegistrationStatus,
    checked_in: bool,
    /// Confirmed for a done stop and did not come.
    no_show: bool,
}

/// One person's registrations across the caller's tours: registered, came, no-show.
#[utoipa::path(get, path = "/api/v1/attendance", tag = "registrations", params(HistoryQuery),
    responses((status = 200, body = Vec<AttendanceJson>), (status = 401, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn attendance(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    query: web::Query<HistoryQuery>,
) -> Result<HttpResponse, AppError> {
    let email = query.into_inner().email;
    let rows = registrations::person_history(&state, &me, &email).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|(r, s, t)| AttendanceJson {
                no_show: crate::domain::attendance::no_show(
                    s.status,
                    r.status(),
                    r.checked_in_at.is_some(),
                ),
                checked_in: r.checked_in_at.is_some(),
                status: r.status(),
                tour_id: t.id,
                tour_name: t.name,
                stop_id: s.id,
                city: s.city,
                starts_at: to_rfc3339(s.starts_at),
            })
            .collect::<Vec<_>>(),
    ))
}
