//! Speakers signing in: the sign-in link's form and landing, and the link that confirms a
//! proposal (which signs its submitter in).

use crate::error::AppError;
use crate::services::speakers;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::guests::{self, or_spent};
use crate::web::html;
use crate::web::see_other;
use crate::web::session::{CsrfForm, Empty, FormCtx, flash};
use actix_web::{HttpResponse, web};

pub async fn login_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    guests::SPEAKER.login_form(&ctx)
}

pub async fn login_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    guests::SPEAKER
        .login_submit(&req, &state, &ctx, form.data.email)
        .await
}

/// Where a sign-in link lands (see `guests::Flow`).
pub async fn enter(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    guests::SPEAKER
        .landing(&state, &ctx, token.into_inner())
        .await
}

/// The button of a sign-in link: uses the link (once) and signs the speaker in.
pub async fn enter_submit(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    guests::SPEAKER
        .enter(&state, &ctx, &session, token.into_inner())
        .await
}

/// Where a proposal's confirmation link lands: what it confirms, and the button.
pub async fn confirm_proposal_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let result = speakers::peek_confirmation(&state, &token)
        .await
        .map(|(talk, tour)| {
            html(crate::views::auth::link_landing(
                &ctx,
                &ctx.t("speaker.confirm_title"),
                &ctx.tf(
                    "speaker.confirm_lead",
                    &[("title", &talk.title), ("tour", &tour.name)],
                ),
                &format!("/speaker/proposals/confirm/{token}"),
                &ctx.t("speaker.confirm_button"),
            ))
        });
    or_spent(result, &ctx, "journeys.spent.proposal", "/speaker/login")
}

/// The button: the proposal counts, and its submitter is signed in to their page.
pub async fn confirm_proposal_submit(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let done = speakers::confirm_proposal(&state, &token).await;
    let done = match done {
        Ok(done) => done,
        Err(e) => return or_spent(Err(e), &ctx, "journeys.spent.proposal", "/speaker/login"),
    };
    guests::SPEAKER
        .sign_in(&state, &session, &done.speaker_id)
        .await?;
    flash(
        &session,
        FlashKind::Success,
        ctx.t("speaker.proposal_confirmed"),
    );
    Ok(see_other("/speaker"))
}
