//! Organizers: tasks, claims and assignments.

use crate::domain::ids::{ClaimId, RegistrationId, StopId, TaskId};
use crate::error::{AppError, ErrorKind, FieldCode, FieldError, FieldErrors};
use crate::services::volunteers::{self, ClaimAction, LocalTimes, TaskInput};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{html_status, page_id, see_other};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

async fn render_coverage(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: &StopId,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let c = volunteers::coverage_page(state, &page.organizer, stop_id).await?;
    let status = crate::web::form_status(&errors);
    Ok(html_status(
        status,
        crate::views::volunteers::coverage(
            &page.ctx,
            &c.tour,
            &c.stop,
            &c.tasks,
            &c.candidates,
            &errors,
        ),
    ))
}

pub async fn tasks_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    render_coverage(&state, &page, &id, FieldErrors::new()).await
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
    stop_id: &StopId,
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
    let id = page_id::<StopId>(&id)?;
    let f = form.data;
    let input = TaskInput {
        kind: Some(f.kind),
        title: Some(f.title),
        description: Some(f.description),
        slots: Some(crate::domain::text::parse_number(&f.slots, 1, 1000).map(i64::from)),
        ..TaskInput::default()
    };
    let times = LocalTimes {
        starts_at: f.starts_at,
        ends_at: f.ends_at,
    };
    let (me, lang) = (&page.organizer, page.ctx.lang);
    let result = volunteers::create_task_local(&state, me, lang, &id, input, times).await;
    after(&state, &page, &id, result).await
}

pub async fn standard(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let result = volunteers::apply_standard_set(&state, &page.organizer, page.ctx.lang, &id).await;
    after(&state, &page, &id, result).await
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
    let (id, task) = (page_id::<StopId>(&id)?, page_id::<TaskId>(&task)?);
    let input = TaskInput {
        slots: Some(crate::domain::text::parse_number(&form.data.slots, 1, 1000).map(i64::from)),
        ..TaskInput::default()
    };
    let result = volunteers::update_task(&state, &page.organizer, &task, input).await;
    after(&state, &page, &id, result).await
}

pub async fn delete_task(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, task) = path.into_inner();
    let (id, task) = (page_id::<StopId>(&id)?, page_id::<TaskId>(&task)?);
    let result = volunteers::delete_task(&state, &page.organizer, &task).await;
    after(&state, &page, &id, result).await
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
    let id = page_id::<StopId>(&id)?;
    let f = form.data;
    let task = page_id::<TaskId>(&f.task_id)?;
    let result = volunteers::claim(
        &state,
        page.ctx.lang,
        &task,
        f.name,
        f.email,
        Some(&page.organizer),
    )
    .await;
    after(&state, &page, &id, result).await
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
    let id = page_id::<StopId>(&id)?;
    let (task, registration) = (
        page_id::<TaskId>(&form.data.task_id)?,
        page_id::<RegistrationId>(&form.data.registration_id)?,
    );
    let result = volunteers::invite(&state, &page.organizer, &task, &registration).await;
    if result.is_ok() {
        flash(
            &page.session,
            FlashKind::Success,
            page.ctx.t("tasks.invited"),
        );
    }
    after(&state, &page, &id, result).await
}

pub async fn claim_action(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, claim, action) = path.into_inner();
    let (id, claim) = (page_id::<StopId>(&id)?, page_id::<ClaimId>(&claim)?);
    let action = ClaimAction::parse(&action).ok_or_else(|| AppError::not_found("page"))?;
    let result = volunteers::act_on_claim(&state, &page.organizer, &claim, action).await;
    if result.is_ok() && action == ClaimAction::GiveDesk {
        flash(
            &page.session,
            FlashKind::Success,
            page.ctx.t("people.tasks.desk_given"),
        );
    }
    after(&state, &page, &id, result).await
}
