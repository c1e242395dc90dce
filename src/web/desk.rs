//! The check-in desk of a stop: its organizers, and the helpers they named.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::ids::{RegistrationId, StopId};
use crate::error::{AppError, ErrorCode, ErrorKind, FieldErrors};
use crate::i18n::Lang;
use crate::services::desk::{self, Desk, Scan};
use crate::services::registrations::{self, RegistrationInput};
use crate::state::AppState;
use crate::views::Ctx;
use crate::views::registrations::DeskResult;
use crate::web::guests::or_spent;
use crate::web::session::{self, CsrfForm, FormCtx};
use crate::web::{html_status, page_id, see_other};

fn render(
    ctx: &Ctx,
    desk: &Desk,
    result: DeskResult,
    code: &str,
    errors: &FieldErrors,
) -> HttpResponse {
    let status = match &result {
        DeskResult::Error(_) => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        _ if !errors.is_empty() => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        _ => actix_web::http::StatusCode::OK,
    };
    html_status(
        status,
        crate::views::registrations::desk(
            ctx,
            &desk.stop.tour,
            &desk.stop.stop,
            &desk.stats,
            &result,
            code,
            errors,
        ),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeskQuery {
    /// Filled in when a ticket's QR code is opened with the phone's camera app.
    code: String,
    /// Find by name.
    q: String,
}

pub async fn desk_page(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    id: web::Path<String>,
    query: web::Query<DeskQuery>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let caller = session::identities(&state, &session).await?;
    let query = query.into_inner();
    let (desk, found) = desk::desk_page(&state, &caller, &id, &query.q).await?;
    let result = match found {
        Some(found) => DeskResult::Found(found),
        None => DeskResult::None,
    };
    Ok(render(
        &ctx,
        &desk,
        result,
        &registrations::normalize_code(&query.code),
        &FieldErrors::new(),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CheckInForm {
    code: String,
    registration_id: String,
}

pub async fn check_in(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    id: web::Path<String>,
    form: CsrfForm<CheckInForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let caller = session::identities(&state, &session).await?;
    let form = form.data;
    let scan = if form.registration_id.is_empty() {
        Scan::Code(form.code)
    } else {
        Scan::Registration(page_id::<RegistrationId>(&form.registration_id)?)
    };
    // Refused: the error page, not the desk's "unknown code".
    let (outcome, desk) = desk::check_in_at_desk(&state, &caller, &id, scan).await?;
    let result = match outcome {
        Ok(c) => DeskResult::CheckedIn {
            name: c.registration.name,
            code: c.registration.code,
            already: c.already,
        },
        Err(e) if e.kind == ErrorKind::NotFound => {
            DeskResult::Error(ctx.t("desk.unknown_code").into_owned())
        }
        Err(e) if e.code == ErrorCode::RegistrationCancelled => {
            DeskResult::Error(ctx.t("desk.cancelled").into_owned())
        }
        Err(e) if e.kind == ErrorKind::Validation => {
            DeskResult::Error(ctx.t("desk.need_code").into_owned())
        }
        Err(e) => return Err(e),
    };
    Ok(render(&ctx, &desk, result, "", &FieldErrors::new()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WalkInForm {
    name: String,
    email: String,
    affiliation: String,
}

pub async fn walk_in(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    lang: Lang,
    id: web::Path<String>,
    form: CsrfForm<WalkInForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    // Who may is the use case's to decide; a refusal is an error page.
    let caller = session::identities(&state, &session).await?;
    let form = form.data;
    let input = RegistrationInput {
        name: form.name,
        email: form.email,
        affiliation: form.affiliation,
        ..RegistrationInput::default()
    };
    let (outcome, desk) = desk::walk_in_at_desk(&state, &caller, lang, &id, input).await?;
    if let Err(e) = &outcome
        && e.code == ErrorCode::RegistrationCancelled
    {
        // Not taken up again at the door: the desk is told why and what to do.
        let result = DeskResult::Error(ctx.t("people.desk.walk_in_cancelled").into_owned());
        let mut res = render(&ctx, &desk, result, "", &FieldErrors::new());
        *res.status_mut() = actix_web::http::StatusCode::CONFLICT;
        return Ok(res);
    }
    Ok(match crate::web::field_errors(outcome)? {
        Ok(c) => {
            let result = DeskResult::CheckedIn {
                name: c.registration.name,
                code: c.registration.code,
                already: c.already,
            };
            render(&ctx, &desk, result, "", &FieldErrors::new())
        }
        Err(errors) => render(&ctx, &desk, DeskResult::None, "", &errors),
    })
}

/// A helper's link, opened: a page with one button (mail scanners open links too, and
/// must not use it up). Used or expired: a page that sends a fresh one.
pub async fn enter_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let result = desk::peek(&state, &token).await.map(|sc| {
        let stop = format!("{} · {}", sc.tour.name, sc.stop.city);
        crate::web::html(crate::views::auth::link_landing(
            &ctx,
            &ctx.t("desk.title"),
            &ctx.tf("people.desk.enter_lead", &[("stop", &stop)]),
            &format!("/desk/enter/{token}"),
            &ctx.t("people.desk.enter_button"),
        ))
    });
    or_spent(result, &ctx, "journeys.spent.desk", "/desk/link")
}

/// The button pressed: the link is used up and this browser is let in at that desk.
pub async fn enter(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<crate::web::session::Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let used = desk::enter(&state, &token).await;
    let result = match used {
        Ok((stop_id, email)) => session::grant_desk(&state, &session, &stop_id, &email)
            .await
            .map(|()| see_other(&format!("/desk/{stop_id}"))),
        Err(e) => Err(e),
    };
    or_spent(result, &ctx, "journeys.spent.desk", "/desk/link")
}

/// A used or expired desk link's form: mails a fresh link to each desk this address helps
/// at (the link does not say which stop it was for once it is spent). The answer is the same
/// whether or not the address is a helper's.
pub async fn fresh_link(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    desk::request_links(&state, ctx.lang, &form.data.email).await?;
    Ok(crate::web::html(crate::views::speakers::link_sent(
        &ctx,
        &ctx.t("journeys.spent.desk_sent"),
    )))
}

/// Where a helper whose link ran out asks for a new one.
pub async fn login_form(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let sc = desk::sign_in_stop(&state, &id).await?;
    Ok(crate::web::html(crate::views::registrations::desk_login(
        &ctx, &sc.tour, &sc.stop, false,
    )))
}

/// Mails a fresh desk link to the address if it is one of the stop's helpers; the answer is
/// the same either way (it tells nobody who the helpers are).
pub async fn login_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    id: web::Path<String>,
    form: CsrfForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    let id = page_id::<StopId>(&id)?;
    let sc = desk::request_link(&state, ctx.lang, &id, &form.data.email).await?;
    Ok(crate::web::html(crate::views::registrations::desk_login(
        &ctx, &sc.tour, &sc.stop, true,
    )))
}
