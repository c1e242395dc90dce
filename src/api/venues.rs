use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::domain::content::{TextsInput, Translations};
use crate::domain::ids::VenueId;
use crate::domain::stop::{StopStatus, to_rfc3339};
use crate::domain::venue::{CostKind, VenueKind};
use crate::error::AppError;
use crate::http::path_id;
use crate::models::translation::RecordTexts;
use crate::models::venue::Venue;
use crate::services::venues::{self, VenueInput};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct VenueJson {
    id: String,
    name: String,
    city: String,
    address: String,
    /// How to find the room.
    directions: String,
    capacity: i32,
    kind: VenueKind,
    cost: CostKind,
    cost_note: String,
    /// Who to call about the venue (organizers only).
    contact: String,
    weekday_only: bool,
    id_check_required: bool,
    caveats: String,
    /// The venue this one is a copy of (a tour's own copy of someone else's venue).
    copied_from: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<Venue> for VenueJson {
    fn from(v: Venue) -> Self {
        VenueJson {
            kind: v.kind(),
            cost: v.cost(),
            id: v.id,
            name: v.name,
            city: v.city,
            address: v.address,
            directions: v.directions,
            capacity: v.capacity,
            cost_note: v.cost_note,
            contact: v.contact,
            weekday_only: v.weekday_only,
            id_check_required: v.id_check_required,
            caveats: v.caveats,
            copied_from: v.copied_from,
            created_at: to_rfc3339(v.created_at),
            updated_at: to_rfc3339(v.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VenueHistoryJson {
    stop_id: String,
    tour_id: String,
    tour_name: String,
    city: String,
    starts_at: String,
    status: StopStatus,
}

#[derive(Serialize, ToSchema)]
pub struct VenueWithHistoryJson {
    #[serde(flatten)]
    venue: VenueJson,
    /// Whether the caller may change it (its creator and site admins only); the others may
    /// suggest a change (`POST /api/v1/venues/{id}/suggestions`) or copy it.
    editable: bool,
    /// Stops held here that the caller may know of, newest first.
    history: Vec<VenueHistoryJson>,
    /// The name and directions in other languages: language → field → text.
    translations: RecordTexts,
}

/// Create and update bodies share a shape; create requires name, city and capacity.
#[derive(Deserialize, ToSchema)]
pub struct VenueBody {
    name: Option<String>,
    city: Option<String>,
    address: Option<String>,
    directions: Option<String>,
    capacity: Option<i64>,
    kind: Option<VenueKind>,
    cost: Option<CostKind>,
    cost_note: Option<String>,
    contact: Option<String>,
    weekday_only: Option<bool>,
    id_check_required: Option<bool>,
    caveats: Option<String>,
    /// The name and directions in other content languages: language → field → text; an
    /// empty text or null removes one, a language or field left out stays as it is.
    #[serde(default)]
    translations: TextsInput,
}

impl VenueBody {
    /// The use case's input, its texts checked against the content `languages`.
    fn input(mut self, languages: &[String]) -> VenueInput {
        let texts = std::mem::take(&mut self.translations);
        VenueInput {
            translations: Translations::new(languages, texts),
            ..self.into()
        }
    }
}

impl From<VenueBody> for VenueInput {
    fn from(b: VenueBody) -> Self {
        VenueInput {
            name: b.name,
            city: b.city,
            address: b.address,
            directions: b.directions,
            capacity: b.capacity.map(Ok),
            kind: b.kind.map(|k| k.as_str().to_owned()),
            cost: b.cost.map(|c| c.as_str().to_owned()),
            cost_note: b.cost_note,
            contact: b.contact,
            weekday_only: b.weekday_only,
            id_check_required: b.id_check_required,
            caveats: b.caveats,
            translations: Translations::default(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct VenueQuery {
    /// Part of a name or city.
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/venues", tag = "venues", params(VenueQuery),
    responses((status = 200, body = Vec<VenueJson>), (status = 401, body = ErrorJson)), security(("bearer" = [])))]
pub async fn list_venues(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    query: web::Query<VenueQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner().q;
    let list = venues::list_venues(&state, q).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(VenueJson::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/v1/venues", tag = "venues", request_body = VenueBody,
    responses((status = 201, body = VenueJson), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn create_venue(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    ApiJson(body): ApiJson<VenueBody>,
) -> Result<HttpResponse, AppError> {
    let input = body.input(&state.env.content_languages);
    let venue = venues::create_venue(&state, &me, input).await?;
    Ok(HttpResponse::Created().json(VenueJson::from(venue)))
}

#[utoipa::path(get, path = "/api/v1/venues/{id}", tag = "venues", params(("id" = String, Path)),
    responses((status = 200, body = VenueWithHistoryJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn get_venue(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<VenueId>(&id)?;
    let page = venues::venue_page(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(VenueWithHistoryJson {
        venue: page.venue.into(),
        editable: page.can_edit,
        translations: page.texts,
        history: page
            .history
            .into_iter()
            .map(|(s, t)| VenueHistoryJson {
                status: s.status(),
                stop_id: s.id,
                tour_id: t.id,
                tour_name: t.name,
                city: s.city,
                starts_at: to_rfc3339(s.starts_at),
            })
            .collect(),
    }))
}

/// Changes a venue: its creator and site admins only (403 for anyone else, whatever stops
/// they hold there). The teams of other tours with stops still to come at the venue (or
/// keeping it as a backup) are e-mailed what changed and which of their stops it touches.
#[utoipa::path(patch, path = "/api/v1/venues/{id}", tag = "venues", params(("id" = String, Path)), request_body = VenueBody,
    responses((status = 200, body = VenueJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn update_venue(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<VenueBody>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<VenueId>(&id)?;
    let input = body.input(&state.env.content_languages);
    let venue = venues::update_venue(&state, &me, &id, input).await?;
    Ok(HttpResponse::Ok().json(VenueJson::from(venue)))
}

#[derive(Deserialize, ToSchema)]
pub struct SuggestionBody {
    /// The fields as they should be (as in PATCH; left out: as they are).
    #[serde(flatten)]
    changes: VenueBody,
    /// Why, or what is wrong (needed when no field changes).
    #[serde(default)]
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionSentJson {
    /// `creator`, or `site_admins` for a venue nobody created.
    sent_to: String,
}

/// Suggests a change to a venue the caller may not change: its creator (or the site admins)
/// get an e-mail with the changes (old → new) and the message, replies going to the caller.
/// The venue itself does not change. At most about ten such e-mails an hour per organizer (429).
#[utoipa::path(post, path = "/api/v1/venues/{id}/suggestions", tag = "venues", params(("id" = String, Path)), request_body = SuggestionBody,
    responses((status = 202, body = SuggestionSentJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson), (status = 429, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn suggest_change(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<SuggestionBody>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<VenueId>(&id)?;
    let sent = venues::suggest_change(&state, &me, &id, body.changes.into(), body.message).await?;
    Ok(HttpResponse::Accepted().json(SuggestionSentJson {
        sent_to: match sent {
            venues::SuggestionSentTo::Creator => "creator",
            venues::SuggestionSentTo::SiteAdmins => "site_admins",
        }
        .to_owned(),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CopyBody {
    /// Stops of the caller's, still to come, that use the venue (as their place or a backup)
    /// and should use the copy instead. They move at once and silently: the copy is identical.
    stop_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VenueCopyJson {
    #[serde(flatten)]
    venue: VenueJson,
    /// How many of the caller's stops now use the copy.
    moved_stops: usize,
}

/// Makes the caller's own copy of a venue (`copied_from` names the original); the copy is
/// theirs to change.
#[utoipa::path(post, path = "/api/v1/venues/{id}/copy", tag = "venues", params(("id" = String, Path)), request_body = CopyBody,
    responses((status = 201, body = VenueCopyJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn copy_venue(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(body): ApiJson<CopyBody>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<VenueId>(&id)?;
    let (venue, moved) = venues::copy_venue(&state, &me, &id, body.stop_ids).await?;
    Ok(HttpResponse::Created().json(VenueCopyJson {
        venue: venue.into(),
        moved_stops: moved,
    }))
}
