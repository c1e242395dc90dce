//! Organizers: tasks, claims and assignments.

use crate::domain::stop::local_to_utc;
use crate::error::{AppError, ErrorKind, FieldCode, FieldError, FieldErrors};
use crate::services::volunteers::{self, Releaser, TaskInput};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{html_status, page_id_text, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

async fn render_coverage(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let me = page.organizer.clone();
    let (stop, tour, views, candidates) = state
        .db
        .run(move |conn| {
            let (stop, tour, views) = volunteers::coverage(conn, &me, &stop_id)?;
            let candidates = volunteers::candidates(conn, &me, &stop.id)?;
            Ok((stop, tour, views, candidates))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_status(
        status,
        crate::views::volunteers::coverage(&page.ctx, &tour, &stop, &views, &candidates, &errors),
    ))
}

pub async fn tasks_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    render_coverage(&state, &page, id, FieldErrors::new()).await
}

/// Field errors and conflicts (a full task, slots below the claims) show on the page.
fn page_errors(result: Result<impl Sized, AppError>) -> Result<Option<FieldErrors>, AppError> {
    match result {
        Ok(_) => Ok(None),
        Err(e) if e.kind == ErrorKind::Validation => Ok(Some(e.fields)),
        Err(e) if e.kind == ErrorKind::Conflict => {
            let mut f = FieldErrors::new();
            f.insert(
                "task".into(),
                FieldError {
                    code: FieldCode::Conflict,
                    message: e.message,
                },
            );
            Ok(Some(f))
        }
        Err(e) => Err(e),
    }
}

async fn after(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: String,
    result: Result<impl Sized, AppError>,
) -> Result<HttpResponse, AppError> {
    match page_errors(result)? {
        None => Ok(see_other(&format!("/manage/stops/{stop_id}/tasks"))),
        Some(errors) => render_coverage(state, page, stop_id, errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TaskForm {
    kind: String,
    title: String,
    description: String,
    starts_at: String,
    ends_at: String,
    slots: String,
}

pub async fn add_task(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<TaskForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let f = form.data;
    let tz = crate::web::stops::stop_tz(&state, &page, &id).await?;
    let time = |v: &str| {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            local_to_utc(v, tz).map(Some)
        }
    };
    let input = TaskInput {
        kind: Some(f.kind.clone()),
        title: Some(f.title.clone()),
        description: Some(f.description.clone()),
        starts_at: Some(time(&f.starts_at)),
        ends_at: Some(time(&f.ends_at)),
        slots: Some(crate::domain::text::parse_number(&f.slots, 1, 1000).map(i64::from)),
    };
    let (me, lang, sid) = (page.organizer.clone(), page.ctx.lang, id.clone());
    let result = state
        .db
        .run(move |conn| volunteers::create_task(conn, &me, lang, &sid, input))
        .await;
    after(&state, &page, id, result).await
}

pub async fn standard(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let (me, lang, sid) = (page.organizer.clone(), page.ctx.lang, id.clone());
    let result = state
        .db
        .run(move |conn| volunteers::apply_standard_set(conn, &me, lang, &sid))
        .await;
    after(&state, &page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SlotsForm {
    slots: String,
}

pub async fn set_slots(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    form: CsrfForm<SlotsForm>,
) -> Result<HttpResponse, AppError> {
    let (id, task) = path.into_inner();
    let (id, task) = (page_id_text(&id)?, page_id_text(&task)?);
    let input = TaskInput {
        slots: Some(crate::domain::text::parse_number(&form.data.slots, 1, 1000).map(i64::from)),
        ..TaskInput::default()
    };
    let me = page.organizer.clone();
    let result = state
        .db
        .run(move |conn| volunteers::update_task(conn, &me, &task, input))
        .await;
    after(&state, &page, id, result).await
}

pub async fn delete_task(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, task) = path.into_inner();
    let (id, task) = (page_id_text(&id)?, page_id_text(&task)?);
    let me = page.organizer.clone();
    let result = state
        .db
        .run(move |conn| volunteers::delete_task(conn, &me, &task))
        .await;
    after(&state, &page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    task_id: String,
    name: String,
    email: String,
}

pub async fn assign(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let f = form.data;
    let task = page_id_text(&f.task_id)?;
    let (me, env, lang) = (page.organizer.clone(), state.env.clone(), page.ctx.lang);
    let result = state
        .db
        .run(move |conn| volunteers::claim(conn, &env, lang, &task, &f.name, &f.email, Some(&me)))
        .await;
    after(&state, &page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    task_id: String,
    registration_id: String,
}

pub async fn invite(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let (task, registration) = (
        page_id_text(&form.data.task_id)?,
        page_id_text(&form.data.registration_id)?,
    );
    let (me, env) = (page.organizer.clone(), state.env.clone());
    let result = state
        .db
        .run(move |conn| volunteers::invite(conn, &env, &me, &task, &registration))
        .await;
    if result.is_ok() {
        flash(
            &page.session,
            FlashKind::Success,
            page.ctx.t("tasks.invited"),
        );
    }
    after(&state, &page, id, result).await
}

pub async fn claim_action(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, claim, action) = path.into_inner();
    let (id, claim) = (page_id_text(&id)?, page_id_text(&claim)?);
    let given = action == "desk";
    let (me, env) = (page.organizer.clone(), state.env.clone());
    let result = state
        .db
        .run(move |conn| match action.as_str() {
            "came" => volunteers::mark_showed_up(conn, &me, &claim, Some(true)),
            "absent" => volunteers::mark_showed_up(conn, &me, &claim, Some(false)),
            "release" => volunteers::release(conn, &env, &claim, Releaser::Organizer(&me)),
            "desk" => volunteers::give_desk_access(conn, &env, &me, &claim),
            "undesk" => volunteers::remove_desk_access(conn, &me, &claim),
            _ => Err(AppError::not_found("page")),
        })
        .await;
    if result.is_ok() && given {
        flash(
            &page.session,
            FlashKind::Success,
            page.ctx.t("people.tasks.desk_given"),
        );
    }
    after(&state, &page, id, result).await
}
