use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::domain::ids::{AgendaItemId, ProposalId, StopId, TourId};
use crate::domain::proposal::ProposalStatus;
use crate::domain::stop::{rfc3339_to_utc, to_rfc3339};
use crate::error::AppError;
use crate::http::path_id;
use crate::i18n::Lang;
use crate::models::speaker::Speaker;
use crate::models::talk::TalkWithSpeakers;
use crate::read::agenda::Entry;
use crate::read::speakers::ProposalView;
use crate::services::agenda::{self, ItemInput};
use crate::services::speakers::{self, PersonInput, ProposalInput, TalkInput};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SpeakerJson {
    id: String,
    name: String,
    /// Organizers who work with the speaker only.
    email: String,
    affiliation: String,
    bio: String,
    /// True when the address belongs to a speaker the caller does not work with (no talk they
    /// accepted at the caller's stops, no proposal to the caller's tours): then `name`,
    /// `affiliation` and `bio` are empty and `email` is the address the caller sent. The id
    /// may still be named on a talk; the speaker is asked and shown once they accept.
    profile_hidden: bool,
}

impl From<Speaker> for SpeakerJson {
    fn from(s: Speaker) -> Self {
        SpeakerJson {
            id: s.id,
            name: s.name,
            email: s.email,
            affiliation: s.affiliation,
            bio: s.bio,
            profile_hidden: false,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SpeakerBrief {
    id: String,
    name: String,
    affiliation: String,
    /// Whether the speaker accepted the talk: only then do public pages show them on it.
    accepted: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TalkJson {
    id: String,
    title: String,
    #[serde(rename = "abstract")]
    summary: String,
    duration_minutes: i32,
    speakers: Vec<SpeakerBrief>,
}

impl From<TalkWithSpeakers> for TalkJson {
    fn from(t: TalkWithSpeakers) -> Self {
        let speakers = t
            .everyone()
            .map(|(s, accepted)| SpeakerBrief {
                id: s.id.clone(),
                name: s.name.clone(),
                affiliation: s.affiliation.clone(),
                accepted,
            })
            .collect();
        TalkJson {
            speakers,
            id: t.talk.id,
            title: t.talk.title,
            summary: t.talk.summary,
            duration_minutes: t.talk.duration_minutes,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateSpeaker {
    name: String,
    email: String,
    affiliation: Option<String>,
    bio: Option<String>,
}

/// Adds a speaker (201). An address already known answers 200 with that speaker: in full
/// when the caller works with them (a talk they accepted at the caller's stops, or a
/// proposal to the caller's tours), else with `profile_hidden: true` and nothing but the id
/// and the address sent. A profile nobody confirmed yet (from the public call for proposals)
/// takes the caller's data.
#[utoipa::path(post, path = "/api/v1/speakers", tag = "speakers", request_body = CreateSpeaker,
    responses((status = 201, body = SpeakerJson), (status = 200, body = SpeakerJson), (status = 401, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn create_speaker(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    ApiJson(b): ApiJson<CreateSpeaker>,
) -> Result<HttpResponse, AppError> {
    let input = PersonInput {
        name: b.name,
        email: b.email,
        affiliation: b.affiliation.unwrap_or_default(),
        bio: b.bio.unwrap_or_default(),
    };
    let added = speakers::create_speaker(&state, &me, input).await?;
    let json = if added.visible {
        SpeakerJson::from(added.speaker)
    } else {
        SpeakerJson {
            id: added.speaker.id,
            name: String::new(),
            // The address the caller sent (the one stored equals it): nothing new.
            email: added.speaker.email,
            affiliation: String::new(),
            bio: String::new(),
            profile_hidden: true,
        }
    };
    Ok(if added.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(json))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTalk {
    title: String,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    duration_minutes: i64,
    speaker_ids: Vec<String>,
}

/// Adds a talk. Each speaker is e-mailed that they were named on it, and is shown on no
/// agenda until they accept on their speaker page (`accepted` in `speakers`).
#[utoipa::path(post, path = "/api/v1/talks", tag = "speakers", request_body = CreateTalk,
    responses((status = 201, body = TalkJson), (status = 401, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn create_talk(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    ApiJson(b): ApiJson<CreateTalk>,
) -> Result<HttpResponse, AppError> {
    let input = TalkInput {
        title: b.title,
        summary: b.summary.unwrap_or_default(),
        duration_minutes: Some(b.duration_minutes),
        speaker_ids: b.speaker_ids,
    };
    let talk = speakers::create_talk(&state, &me, input).await?;
    Ok(HttpResponse::Created().json(TalkJson::from(talk)))
}

#[derive(Serialize, ToSchema)]
pub struct AgendaItemJson {
    id: String,
    stop_id: String,
    kind: String,
    title: String,
    starts_at: String,
    ends_at: String,
    duration_minutes: i32,
    talk: Option<TalkJson>,
    confirmed: bool,
}

impl From<Entry> for AgendaItemJson {
    fn from(e: Entry) -> Self {
        AgendaItemJson {
            title: e.title(),
            ends_at: to_rfc3339(e.item.ends_at()),
            id: e.item.id,
            stop_id: e.item.stop_id,
            kind: e.item.kind,
            starts_at: to_rfc3339(e.item.starts_at),
            duration_minutes: e.item.duration_minutes,
            confirmed: e.item.confirmed_at.is_some(),
            talk: e.talk.map(TalkJson::from),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateAgendaItem {
    /// A talk; or leave it out and give a kind (welcome, break, lunch, panel, other) and, if
    /// you like, a title (without one the item is called by its kind: "Break").
    talk_id: Option<String>,
    kind: Option<String>,
    title: Option<String>,
    /// RFC 3339.
    starts_at: String,
    /// Defaults to the talk's duration.
    duration_minutes: Option<i64>,
}

/// Places a talk (or a break, welcome, lunch…) on a stop's agenda. It must fit inside the
/// stop and overlap nothing: a 409 `agenda_clash` names the items it clashes with.
#[utoipa::path(post, path = "/api/v1/stops/{id}/agenda", tag = "speakers", params(("id" = String, Path)), request_body = CreateAgendaItem,
    responses((status = 201, body = AgendaItemJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn add_agenda_item(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<CreateAgendaItem>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let input = ItemInput {
        talk_id: b.talk_id,
        kind: b.kind,
        title: b.title,
        starts_at: Some(rfc3339_to_utc(&b.starts_at)),
        duration_minutes: b.duration_minutes,
    };
    let entry = agenda::add_item(&state, &me, &id, input).await?;
    Ok(HttpResponse::Created().json(AgendaItemJson::from(entry)))
}

#[utoipa::path(get, path = "/api/v1/stops/{id}/agenda", tag = "speakers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<AgendaItemJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_agenda(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let list = agenda::entries_for(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(AgendaItemJson::from)
            .collect::<Vec<_>>(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct MoveAgendaItem {
    starts_at: String,
    duration_minutes: Option<i64>,
}

#[utoipa::path(patch, path = "/api/v1/agenda/{id}", tag = "speakers", params(("id" = String, Path)), request_body = MoveAgendaItem,
    responses((status = 200, body = AgendaItemJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn move_agenda_item(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<MoveAgendaItem>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<AgendaItemId>(&id)?;
    let starts = rfc3339_to_utc(&b.starts_at);
    let entry = agenda::move_item(&state, &me, &id, starts, b.duration_minutes).await?;
    Ok(HttpResponse::Ok().json(AgendaItemJson::from(entry)))
}

#[utoipa::path(delete, path = "/api/v1/agenda/{id}", tag = "speakers", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn remove_agenda_item(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<AgendaItemId>(&id)?;
    agenda::remove_item(&state, &me, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publishes the agenda: from now on, changes show on the public page and moved speakers are told.
#[utoipa::path(post, path = "/api/v1/stops/{id}/agenda/publish", tag = "speakers", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn publish_agenda(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    agenda::publish(&state, &me, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct PersonBody {
    name: String,
    email: String,
    affiliation: Option<String>,
    bio: Option<String>,
}

impl From<PersonBody> for PersonInput {
    fn from(p: PersonBody) -> Self {
        PersonInput {
            name: p.name,
            email: p.email,
            affiliation: p.affiliation.unwrap_or_default(),
            bio: p.bio.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitProposal {
    speaker: PersonBody,
    #[serde(default)]
    co_speakers: Vec<PersonBody>,
    title: String,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    duration_minutes: i64,
    /// The stops where the talk could be given.
    stop_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalJson {
    id: String,
    tour_id: String,
    status: ProposalStatus,
    talk: TalkJson,
    /// Where the speakers could give it (organizers only).
    stop_ids: Vec<String>,
    /// Where it is on the agenda.
    scheduled_stop_ids: Vec<String>,
    created_at: String,
}

impl From<ProposalView> for ProposalJson {
    fn from(p: ProposalView) -> Self {
        ProposalJson {
            id: p.proposal.id,
            tour_id: p.proposal.tour_id,
            status: p.proposal.status,
            talk: p.talk.into(),
            stop_ids: p.stop_ids,
            scheduled_stop_ids: p.scheduled_stop_ids,
            created_at: to_rfc3339(p.proposal.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProposalReceivedJson {
    id: String,
    status: ProposalStatus,
    /// Always false here: the proposal counts once its submitter follows the link e-mailed
    /// to them.
    confirmed: bool,
}

/// The call for proposals (public, while it is open). One e-mail goes out, to the speaker's
/// address, with a link to confirm; until then the organizers do not see the proposal and no
/// co-speaker is told. Rate-limited per client (429), and per address (429 when several
/// proposals for it wait for confirmation).
#[utoipa::path(post, path = "/api/v1/tours/{id}/proposals", tag = "speakers", params(("id" = String, Path)), request_body = SubmitProposal,
    responses((status = 201, body = ProposalReceivedJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson), (status = 429, body = ErrorJson)))]
pub async fn submit_proposal(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    id: web::Path<String>,
    ApiJson(b): ApiJson<SubmitProposal>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::Proposal)?;
    let id = path_id::<TourId>(&id)?;
    let input = ProposalInput {
        speaker: b.speaker.into(),
        co_speakers: b.co_speakers.into_iter().map(PersonInput::from).collect(),
        title: b.title,
        summary: b.summary.unwrap_or_default(),
        duration_minutes: Some(b.duration_minutes),
        stop_ids: b.stop_ids,
    };
    let p = speakers::submit_proposal(&state, lang, &id, input).await?;
    Ok(HttpResponse::Created().json(ProposalReceivedJson {
        id: p.id,
        status: p.status,
        confirmed: p.confirmed_at.is_some(),
    }))
}

#[utoipa::path(get, path = "/api/v1/tours/{id}/proposals", tag = "speakers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ProposalJson>), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_proposals(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TourId>(&id)?;
    let (_, _, list) = speakers::proposals(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(ProposalJson::from).collect::<Vec<_>>()))
}

#[derive(Deserialize, ToSchema)]
pub struct Decision {
    /// Accept: the stops where the talk goes on the agenda.
    #[serde(default)]
    stop_ids: Vec<String>,
    /// E-mailed to the speakers.
    #[serde(default)]
    message: String,
}

#[utoipa::path(post, path = "/api/v1/proposals/{id}/accept", tag = "speakers", params(("id" = String, Path)), request_body = Decision,
    responses((status = 200, body = ProposalJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn accept_proposal(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<Decision>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<ProposalId>(&id)?;
    let view = speakers::accept(&state, &me, &id, b.stop_ids, b.message).await?;
    Ok(HttpResponse::Ok().json(ProposalJson::from(view)))
}

#[utoipa::path(post, path = "/api/v1/proposals/{id}/reject", tag = "speakers", params(("id" = String, Path)), request_body = Decision,
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn reject_proposal(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<Decision>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<ProposalId>(&id)?;
    speakers::reject(&state, &me, &id, b.message).await?;
    Ok(HttpResponse::NoContent().finish())
}
