//! The public side: volunteering for a stop, the sign-in link.

use crate::domain::ids::{StopId, TaskId};
use crate::error::{AppError, ErrorCode, ErrorKind, FieldErrors};
use crate::i18n::Lang;
use crate::read::volunteers::TasksOutcome;
use crate::services::volunteers::{self, HelpOf};
use crate::state::AppState;
use crate::views::Ctx;
use crate::views::volunteers::HelpForm;
use crate::web::session::{PageCtx, PublicForm};
use crate::web::{html, html_status, page_id};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

/// The help page's address (where its form posts, where the thank-you page leads back).
fn path(of: &HelpOf) -> String {
    match of {
        HelpOf::Tour(slug) => format!("/tours/{slug}/help"),
        HelpOf::Stop(id) => format!("/stops/{id}/help"),
    }
}

async fn help_page(
    state: &AppState,
    ctx: &Ctx,
    of: HelpOf,
    form: &HelpForm,
    errors: &FieldErrors,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let action = path(&of);
    let (tour, list) = volunteers::open_tasks(state, &of, ctx.lang).await?;
    Ok(html_status(
        status,
        crate::views::volunteers::help(
            ctx,
            &tour,
            &list,
            &action,
            form,
            errors,
            message.as_deref(),
        ),
    ))
}

pub async fn tour_help(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let of = HelpOf::Tour(slug.into_inner());
    help_page(
        &state,
        &ctx,
        of,
        &HelpForm::default(),
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn stop_help(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let of = HelpOf::Stop(page_id::<StopId>(&id)?);
    help_page(
        &state,
        &ctx,
        of,
        &HelpForm::default(),
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The help page's form: the tasks ticked, a name and an address.
fn help_form(pairs: &[(String, String)]) -> HelpForm {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    HelpForm {
        name: get("name"),
        email: get("email"),
        task_ids: pairs
            .iter()
            .filter(|(k, _)| k == "task_ids")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

/// Claims the tasks picked with the help page's one form: the thank-you page says what was
/// taken (and what someone else took first); nothing taken shows the page again with why.
async fn take_tasks(
    state: &AppState,
    ctx: &Ctx,
    lang: Lang,
    of: HelpOf,
    form: HelpForm,
) -> Result<HttpResponse, AppError> {
    let ids = form
        .task_ids
        .iter()
        .map(|id| page_id::<TaskId>(id))
        .collect::<Result<Vec<_>, _>>()?;
    let result =
        volunteers::claim_tasks(state, lang, &ids, form.name.clone(), form.email.clone()).await;
    answer(state, ctx, of, form, result).await
}

/// The outcome of the help page's form: the thank-you page, or the help page again with why.
async fn answer(
    state: &AppState,
    ctx: &Ctx,
    of: HelpOf,
    form: HelpForm,
    result: Result<TasksOutcome, AppError>,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(outcome) if outcome.taken.is_empty() && outcome.already.is_empty() => {
            let message = ctx.t("help.full").into_owned();
            help_page(
                state,
                ctx,
                of,
                &form,
                &FieldErrors::new(),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Ok(outcome) => {
            let mut stops: Vec<String> = outcome
                .taken
                .iter()
                .chain(&outcome.already)
                .map(|t| t.stop_id.clone())
                .collect();
            stops.sort();
            stops.dedup();
            Ok(html(crate::views::volunteers::claimed(
                ctx,
                &outcome,
                &path(&of),
                &stops,
            )))
        }
        Err(e) if e.kind == ErrorKind::Validation => {
            help_page(
                state,
                ctx,
                of,
                &form,
                &e.fields,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) if e.code == ErrorCode::StopOver => {
            let message = ctx.t("journeys.help.stop_over").into_owned();
            help_page(
                state,
                ctx,
                of,
                &form,
                &FieldErrors::new(),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn tour_help_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    slug: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let of = HelpOf::Tour(slug.into_inner());
    take_tasks(&state, &ctx, lang, of, help_form(&form.0)).await
}

pub async fn stop_help_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    id: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let of = HelpOf::Stop(page_id::<StopId>(&id)?);
    take_tasks(&state, &ctx, lang, of, help_form(&form.0)).await
}

/// One task's claim form (the help page had one per task before it had one for all): the
/// same as the help page's form with that task ticked.
pub async fn claim(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    id: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let id = page_id::<TaskId>(&id)?;
    let mut form = help_form(&form.0);
    form.task_ids = vec![id.to_string()];
    let (stop, result) =
        volunteers::claim_one(&state, lang, &id, form.name.clone(), form.email.clone()).await?;
    answer(&state, &ctx, HelpOf::Stop(stop), form, result).await
}
