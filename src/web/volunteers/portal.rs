//! Volunteers' own pages, behind their sign-in links: tasks, claims, hand-ins.

use crate::domain::ids::{ClaimId, VolunteerId};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::services::volunteers::{self, Releaser};
use crate::state::AppState;
use crate::views::{Ctx, FlashKind};
use crate::web::guests::{self, or_spent};
use crate::web::session::{CsrfForm, Empty, FormCtx, VolunteerSession, flash};
use crate::web::{html, html_status, page_id, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub async fn login_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    guests::VOLUNTEER.login_form(&ctx)
}

pub async fn login_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    guests::VOLUNTEER
        .login_submit(&req, &state, &ctx, form.data.email)
        .await
}

/// A sign-in link, opened (see `guests::Flow`). Used or expired: a page that sends a fresh
/// one.
pub async fn enter_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    guests::VOLUNTEER
        .landing(&state, &ctx, token.into_inner())
        .await
}

/// The button pressed: the link is used up and the volunteer signed in.
pub async fn enter(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    guests::VOLUNTEER
        .enter(&state, &ctx, &session, token.into_inner())
        .await
}

/// An invitation, opened: what the task is, and one button to take it.
pub async fn accept_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let result = volunteers::peek_invite(&state, token.clone())
        .await
        .map(|(task, sc)| {
            let stop = format!("{} · {}", sc.tour.name, sc.stop.city);
            html(crate::views::auth::link_landing(
                &ctx,
                &ctx.t("people.volunteer.accept_title"),
                &ctx.tf(
                    "people.volunteer.accept_lead",
                    &[("stop", &stop), ("task", &task.title)],
                ),
                &format!("/volunteer/accept/{token}"),
                &ctx.t("people.volunteer.accept_button"),
            ))
        });
    or_spent(result, &ctx, "journeys.spent.invite", "/volunteer/login")
}

/// The button pressed: the invited attendee takes the slot (and is signed in).
pub async fn accept_invite(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    match volunteers::accept_invite(&state, token.into_inner()).await {
        Ok(id) => {
            guests::VOLUNTEER.sign_in(&state, &session, &id).await?;
            flash(&session, FlashKind::Success, ctx.t("help.thanks_title"));
            Ok(see_other("/volunteer"))
        }
        Err(e) if e.code == ErrorCode::TaskFull => Ok(html_status(
            StatusCode::CONFLICT,
            crate::views::error::error_page(
                &ctx,
                StatusCode::CONFLICT,
                ErrorCode::TaskFull,
                &ctx.t("help.full"),
            ),
        )),
        Err(e) => or_spent(Err(e), &ctx, "journeys.spent.invite", "/volunteer/login"),
    }
}

/// The volunteer's page; `errors`: a refused hand-in's fields (see `web::materials`).
pub(crate) async fn render_own(
    state: &AppState,
    ctx: &Ctx,
    volunteer_id: &VolunteerId,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let p = volunteers::own_page(state, volunteer_id).await?;
    Ok(own_html(state, ctx, &p, &errors))
}

fn own_html(
    state: &AppState,
    ctx: &Ctx,
    p: &volunteers::OwnPage,
    errors: &FieldErrors,
) -> HttpResponse {
    html(crate::views::volunteers::own(
        ctx,
        &crate::views::volunteers::VolunteerPage {
            volunteer: &p.volunteer,
            tasks: &p.tasks,
            requests: &p.requests,
            release_hours: state.env.release_hours,
            desk_stops: &p.desk_stops,
        },
        p.feed.as_deref(),
        errors,
    ))
}

pub async fn own_page(
    state: web::Data<AppState>,
    me: VolunteerSession,
) -> Result<HttpResponse, AppError> {
    let id = VolunteerId::from(me.volunteer_id);
    render_own(&state, &me.ctx, &id, FieldErrors::new()).await
}

pub async fn release(
    state: web::Data<AppState>,
    VolunteerSession {
        ctx,
        session,
        volunteer_id: me,
    }: VolunteerSession,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let claim = page_id::<ClaimId>(&id)?;
    match volunteers::release(&state, &claim, Releaser::Volunteer(&me)).await {
        Ok(()) => {
            flash(&session, FlashKind::Success, ctx.t("volunteer.released"));
            Ok(see_other("/volunteer"))
        }
        Err(e) if e.code == ErrorCode::ReleaseClosed => {
            flash(
                &session,
                FlashKind::Error,
                ctx.tf(
                    "volunteer.release_closed",
                    &[(
                        "duration",
                        &crate::format::hours(ctx.lang, state.env.release_hours),
                    )],
                ),
            );
            Ok(see_other("/volunteer"))
        }
        Err(e) => Err(e),
    }
}

pub async fn make_feed(
    state: web::Data<AppState>,
    VolunteerSession {
        ctx,
        volunteer_id: id,
        ..
    }: VolunteerSession,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let p = volunteers::make_feed(&state, &VolunteerId::from(id)).await?;
    Ok(own_html(&state, &ctx, &p, &FieldErrors::new()))
}

pub async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let token = token.strip_suffix(".ics").unwrap_or(&token).to_owned();
    let base = state.env.links.clone();
    let (v, claims) = volunteers::tasks_by_feed(&state, token).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(crate::calendar::volunteer_tasks(
            &v.name,
            &claims,
            base.base(),
        )))
}
