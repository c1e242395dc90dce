use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::{ApiJson, double_option};
use crate::api::openapi::ErrorJson;
use crate::domain::access::TeamRole;
use crate::domain::content::{TextsInput as TextsJson, Translations};
use crate::domain::ids::{Id, OrganizerId, TourId};
use crate::domain::stop::{rfc3339_to_utc, to_rfc3339};
use crate::domain::tour::TourStatus;
use crate::error::{AppError, Validator};
use crate::http::path_id;
use crate::i18n::Lang;
use crate::models::team::TeamMemberView;
use crate::models::tour::Tour;
use crate::models::translation::RecordTexts;
use crate::services::team::{self, MemberInput};
use crate::services::{tours, tours::TourInput};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct TourJson {
    id: String,
    slug: String,
    name: String,
    /// Markdown.
    description: String,
    contact_email: Option<String>,
    status: TourStatus,
    prior_show_rate: f64,
    cfp_opens_at: Option<String>,
    cfp_closes_at: Option<String>,
    /// The caller's place in the team (none for a site admin outside it).
    role: Option<TeamRole>,
    created_at: String,
    updated_at: String,
    /// The name and description in other languages: language → field → text (single
    /// tours' answers; absent from lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    translations: Option<RecordTexts>,
}

impl TourJson {
    fn with_texts(mut self, texts: RecordTexts) -> Self {
        self.translations = Some(texts);
        self
    }

    pub fn new(tour: Tour, role: Option<TeamRole>) -> Self {
        TourJson {
            status: tour.status(),
            id: tour.id,
            slug: tour.slug,
            name: tour.name,
            description: tour.description,
            contact_email: tour.contact_email,
            prior_show_rate: tour.prior_show_rate,
            cfp_opens_at: tour.cfp_opens_at.map(to_rfc3339),
            cfp_closes_at: tour.cfp_closes_at.map(to_rfc3339),
            role,
            created_at: to_rfc3339(tour.created_at),
            updated_at: to_rfc3339(tour.updated_at),
            translations: None,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTour {
    name: String,
    /// Made from the name when absent.
    slug: Option<String>,
    description: Option<String>,
    contact_email: Option<String>,
    /// The show rate assumed before the tour has data (default 0.5).
    prior_show_rate: Option<f64>,
    cfp_opens_at: Option<String>,
    cfp_closes_at: Option<String>,
    /// The name and description in other content languages: language → field → text.
    #[serde(default)]
    translations: TextsJson,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct UpdateTour {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    contact_email: Option<Option<String>>,
    prior_show_rate: Option<f64>,
    status: Option<TourStatus>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    cfp_opens_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    cfp_closes_at: Option<Option<String>>,
    /// Texts in other content languages: language → field → text; an empty text or null
    /// removes one, a language or field left out stays as it is.
    #[serde(default)]
    translations: TextsJson,
}

fn parse_time(
    v: &mut Validator,
    field: &str,
    value: Option<Option<String>>,
) -> Option<Option<chrono::NaiveDateTime>> {
    match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(s)) => v.check(field, rfc3339_to_utc(&s)).map(Some),
    }
}

#[utoipa::path(get, path = "/api/v1/tours", tag = "tours",
    responses((status = 200, body = Vec<TourJson>), (status = 401, body = ErrorJson)), security(("bearer" = [])))]
pub async fn list_tours(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
) -> Result<HttpResponse, AppError> {
    let list = tours::list_tours(&state, &me).await?;
    let json: Vec<TourJson> = list.into_iter().map(|(t, r)| TourJson::new(t, r)).collect();
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(post, path = "/api/v1/tours", tag = "tours", request_body = CreateTour,
    responses((status = 201, body = TourJson), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn create_tour(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    ApiJson(body): ApiJson<CreateTour>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validator::new();
    let input = TourInput {
        name: Some(body.name),
        slug: body.slug,
        description: body.description,
        contact_email: body.contact_email.map(Some),
        prior_show_rate: body.prior_show_rate.map(Ok),
        status: None,
        cfp_opens_at: parse_time(&mut v, "cfp_opens_at", body.cfp_opens_at.map(Some)),
        cfp_closes_at: parse_time(&mut v, "cfp_closes_at", body.cfp_closes_at.map(Some)),
        translations: Translations::new(&state.env.content_languages, body.translations),
    };
    v.finish()?;
    let tour = tours::create_tour(&state, &me, input).await?;
    let id = TourId::parse(&tour.id).ok_or_else(|| AppError::not_found("tour"))?;
    let texts = tours::tour_texts(&state, &me, &id).await?;
    Ok(HttpResponse::Created().json(TourJson::new(tour, Some(TeamRole::Owner)).with_texts(texts)))
}

#[utoipa::path(get, path = "/api/v1/tours/{id}", tag = "tours", params(("id" = String, Path)),
    responses((status = 200, body = TourJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn get_tour(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let (tour, access) = tours::tour_for(&state, &me, &id).await?;
    let texts = tours::tour_texts(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(TourJson::new(tour, access.role).with_texts(texts)))
}

#[utoipa::path(patch, path = "/api/v1/tours/{id}", tag = "tours", params(("id" = String, Path)), request_body = UpdateTour,
    responses((status = 200, body = TourJson), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn update_tour(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<UpdateTour>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let mut v = Validator::new();
    let input = TourInput {
        name: body.name,
        slug: body.slug,
        description: body.description,
        contact_email: body.contact_email,
        prior_show_rate: body.prior_show_rate.map(Ok),
        status: body.status.map(|s| s.as_str().to_owned()),
        cfp_opens_at: parse_time(&mut v, "cfp_opens_at", body.cfp_opens_at),
        cfp_closes_at: parse_time(&mut v, "cfp_closes_at", body.cfp_closes_at),
        translations: Translations::new(&state.env.content_languages, body.translations),
    };
    v.finish()?;
    let (tour, access) = tours::update_tour(&state, &me, &id, input).await?;
    let texts = tours::tour_texts(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(TourJson::new(tour, access.role).with_texts(texts)))
}

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    organizer_id: String,
    email: String,
    name: String,
    role: TeamRole,
    /// For `local` members: the stops they run.
    stop_ids: Vec<String>,
    /// Whether they have set a password yet.
    active: bool,
}

impl From<TeamMemberView> for MemberJson {
    fn from(m: TeamMemberView) -> Self {
        MemberJson {
            active: m.organizer.password_hash.is_some(),
            organizer_id: m.organizer.id,
            email: m.organizer.email,
            name: m.organizer.name,
            role: m.role,
            stop_ids: m.stop_ids,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct PutMember {
    email: String,
    role: TeamRole,
    #[serde(default)]
    stop_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PutMemberJson {
    member: MemberJson,
    /// True when the address had no password yet: they were e-mailed an invitation to set
    /// one (the link goes to their mailbox only).
    invitation_sent: bool,
}

#[utoipa::path(get, path = "/api/v1/tours/{id}/members", tag = "tours", params(("id" = String, Path)),
    responses((status = 200, body = Vec<MemberJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_members(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let members = team::team(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(
        members
            .into_iter()
            .map(MemberJson::from)
            .collect::<Vec<_>>(),
    ))
}

/// Adds a co-organizer by e-mail (or changes their role). Owners only.
#[utoipa::path(post, path = "/api/v1/tours/{id}/members", tag = "tours", params(("id" = String, Path)), request_body = PutMember,
    responses((status = 201, body = PutMemberJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn put_member(
    state: web::Data<AppState>,
    lang: Lang,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<PutMember>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let input = MemberInput {
        email: body.email,
        role: body.role.as_str().to_owned(),
        stop_ids: body.stop_ids,
    };
    let added = team::put_member(&state, lang, &me, &id, input).await?;
    Ok(HttpResponse::Created().json(PutMemberJson {
        member: added.member.into(),
        invitation_sent: added.invited,
    }))
}

#[utoipa::path(delete, path = "/api/v1/tours/{id}/members/{organizer_id}", tag = "tours",
    params(("id" = String, Path), ("organizer_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn remove_member(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, organizer_id) = path.into_inner();
    let id = path_id::<TourId>(&id)?;
    // A 404 names what the path points at: a member of the team.
    let organizer_id =
        OrganizerId::parse(&organizer_id).ok_or_else(|| AppError::not_found("team member"))?;
    team::remove_member(&state, &me, &id, &organizer_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
