use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiJson, double_option};
use crate::api::openapi::ErrorJson;
use crate::api::{ApiCaller, MaybeCaller};
use crate::domain::ids::{ClaimId, StopId, TaskId};
use crate::domain::stop::{rfc3339_to_utc, to_rfc3339};
use crate::domain::task::{ClaimStatus, TaskKind};
use crate::error::AppError;
use crate::http::path_id;
use crate::i18n::Lang;
use crate::models::task::Task;
use crate::services::volunteers::{self, Releaser, TaskInput};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct TaskJson {
    id: String,
    stop_id: String,
    kind: TaskKind,
    title: String,
    description: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
    slots: i32,
    claimed: i32,
    free: i32,
    /// Who holds the task (in the organizers' list of a stop's tasks).
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<Vec<TaskClaimJson>>,
}

/// A claim of a task, for the stop's organizers.
#[derive(Serialize, ToSchema)]
pub struct TaskClaimJson {
    id: String,
    volunteer_name: String,
    volunteer_email: String,
    /// For a registration-desk task: whether an organizer gave the volunteer access to the
    /// stop's desk (`POST /api/v1/claims/{id}/desk-access`); false means awaiting it.
    #[serde(skip_serializing_if = "Option::is_none")]
    desk_access: Option<bool>,
}

impl From<Task> for TaskJson {
    fn from(t: Task) -> Self {
        TaskJson {
            kind: t.kind,
            free: t.free(),
            id: t.id,
            stop_id: t.stop_id,
            title: t.title,
            description: t.description,
            starts_at: t.starts_at.map(to_rfc3339),
            ends_at: t.ends_at.map(to_rfc3339),
            slots: t.slots,
            claimed: t.claimed,
            claims: None,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTask {
    kind: TaskKind,
    /// Defaults to the kind's name.
    title: Option<String>,
    description: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    slots: i64,
}

fn time(
    v: Option<String>,
) -> Option<Result<Option<chrono::NaiveDateTime>, crate::error::FieldError>> {
    v.map(|s| rfc3339_to_utc(&s).map(Some))
}

#[utoipa::path(post, path = "/api/v1/stops/{id}/tasks", tag = "volunteers", params(("id" = String, Path)), request_body = CreateTask,
    responses((status = 201, body = TaskJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn create_task(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    lang: Lang,
    id: web::Path<String>,
    ApiJson(b): ApiJson<CreateTask>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let input = TaskInput {
        kind: Some(b.kind.as_str().to_owned()),
        title: b.title,
        description: b.description,
        starts_at: time(b.starts_at),
        ends_at: time(b.ends_at),
        slots: Some(Ok(b.slots)),
    };
    let task = volunteers::create_task(&state, &me, lang, &id, input).await?;
    Ok(HttpResponse::Created().json(TaskJson::from(task)))
}

/// Adds the standard tasks (desk, host, speaker liaison, reminders, photos, streaming,
/// materials, report, setup) that the stop does not have yet.
#[utoipa::path(post, path = "/api/v1/stops/{id}/tasks/standard", tag = "volunteers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<TaskJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn standard_tasks(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let list = volunteers::apply_standard_set(&state, &me, lang, &id).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(TaskJson::from).collect::<Vec<_>>()))
}

#[utoipa::path(get, path = "/api/v1/stops/{id}/tasks", tag = "volunteers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<TaskJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_tasks(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let (_, _, views) = volunteers::coverage(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(
        views
            .into_iter()
            .map(|v| TaskJson {
                claims: Some(
                    v.claims
                        .into_iter()
                        .map(|c| TaskClaimJson {
                            id: c.claim.id,
                            volunteer_name: c.volunteer.name,
                            volunteer_email: c.volunteer.email,
                            desk_access: c.desk_access,
                        })
                        .collect(),
                ),
                ..TaskJson::from(v.task)
            })
            .collect::<Vec<_>>(),
    ))
}

/// Gives the volunteer of a registration-desk claim access to the stop's check-in desk:
/// they become a desk helper and are e-mailed the desk link (a claim alone opens no desk).
/// 409 `not_desk_claim` for any other claim.
#[utoipa::path(post, path = "/api/v1/claims/{id}/desk-access", tag = "volunteers", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn give_desk_access(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<ClaimId>(&id)?;
    volunteers::give_desk_access(&state, &me, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Takes the desk access of a registration-desk claim's volunteer back (the slot stays).
#[utoipa::path(delete, path = "/api/v1/claims/{id}/desk-access", tag = "volunteers", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn remove_desk_access(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<ClaimId>(&id)?;
    volunteers::remove_desk_access(&state, &me, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema, Default)]
pub struct UpdateTask {
    title: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    starts_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    ends_at: Option<Option<String>>,
    slots: Option<i64>,
}

#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "volunteers", params(("id" = String, Path)), request_body = UpdateTask,
    responses((status = 200, body = TaskJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn update_task(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<UpdateTask>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<TaskId>(&id)?;
    let opt_time = |v: Option<Option<String>>| v.map(|o| o.map(|s| rfc3339_to_utc(&s)).transpose());
    let input = TaskInput {
        kind: None,
        title: b.title,
        description: b.description,
        starts_at: opt_time(b.starts_at),
        ends_at: opt_time(b.ends_at),
        slots: b.slots.map(Ok),
    };
    let task = volunteers::update_task(&state, &me, &id, input).await?;
    Ok(HttpResponse::Ok().json(TaskJson::from(task)))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateClaim {
    name: String,
    email: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimJson {
    id: String,
    task_id: String,
    status: ClaimStatus,
    /// Already held by this person (the request changed nothing).
    already_claimed: bool,
    free_slots_left: i32,
}

/// Claims a slot (public: name and e-mail; an organizer's bearer token assigns someone).
/// 409 `task_full` when no slot is left.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/claims", tag = "volunteers", params(("id" = String, Path)), request_body = CreateClaim,
    responses((status = 201, body = ClaimJson), (status = 200, body = ClaimJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn claim(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    MaybeCaller(me): MaybeCaller,
    lang: Lang,
    id: web::Path<String>,
    ApiJson(b): ApiJson<CreateClaim>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let id = path_id::<TaskId>(&id)?;
    let done = volunteers::claim(&state, lang, &id, b.name, b.email, me.as_ref()).await?;
    let body = ClaimJson {
        free_slots_left: done.task.free(),
        id: done.claim.id,
        task_id: done.claim.task_id,
        status: done.claim.status,
        already_claimed: !done.created,
    };
    Ok(if done.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(body))
}

/// Releases a claim (organizers; volunteers release from their page).
#[utoipa::path(post, path = "/api/v1/claims/{id}/release", tag = "volunteers", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn release(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<ClaimId>(&id)?;
    volunteers::release(&state, &id, Releaser::Organizer(&me)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct Attendance {
    /// true: came; false: did not; null: unknown.
    showed_up: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/claims/{id}/attendance", tag = "volunteers", params(("id" = String, Path)), request_body = Attendance,
    responses((status = 204), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn attendance(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<Attendance>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<ClaimId>(&id)?;
    volunteers::mark_showed_up(&state, &me, &id, b.showed_up).await?;
    Ok(HttpResponse::NoContent().finish())
}
