//! The organizer's own account page (password, browsers, API tokens) and the e-mailed
//! sign-in link.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::domain::ids::ApiTokenId;
use crate::error::{AppError, FieldCode, FieldErrors};
use crate::services::accounts;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::account::AccountPage;
use crate::web::session::{self, CsrfForm, Empty, FormCtx, OrganizerPage};
use crate::web::{field_errors, html, html_status, page_id, see_other};

const ACCOUNT: &str = "/manage/account";

async fn render(
    state: &AppState,
    page: &OrganizerPage,
    status: StatusCode,
    new_token: Option<String>,
    password_errors: FieldErrors,
    token_errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let account = accounts::account(state, &page.organizer).await?;
    let this = session::session_hash(&page.session);
    Ok(html_status(
        status,
        crate::views::account::account(
            &page.ctx,
            AccountPage {
                email: &page.organizer.email,
                sessions: &account.sessions,
                this_session: this.as_deref(),
                tokens: &account.tokens,
                new_token: new_token.as_deref(),
                password_errors: &password_errors,
                token_errors: &token_errors,
            },
        ),
    ))
}

pub async fn account_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        &page,
        StatusCode::OK,
        None,
        FieldErrors::new(),
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    password: String,
}

pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    page: OrganizerPage,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::SignIn)?;
    let form = form.data;
    let result = accounts::change_password(
        &state,
        &page.organizer,
        &form.current_password,
        &form.password,
    )
    .await;
    match field_errors(result)? {
        Ok(organizer) => {
            // Every session of the account ended with the change; this browser starts anew.
            session::sign_in(&state, &req, &page.session, &organizer).await?;
            session::flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("account.password_changed"),
            );
            Ok(see_other(ACCOUNT))
        }
        Err(errors) => {
            render(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                FieldErrors::new(),
            )
            .await
        }
    }
}

/// A session's id in a path: the hex SHA-256 the server keeps.
fn session_path_id(raw: &str) -> Result<String, AppError> {
    if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(AppError::not_found("session"))
    }
}

pub async fn revoke_session(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = session_path_id(&id)?;
    accounts::revoke_session(&state, &page.organizer, &id).await?;
    session::flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("account.session_revoked"),
    );
    Ok(see_other(ACCOUNT))
}

pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    page: OrganizerPage,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    accounts::sign_out_everywhere(&state, &page.organizer).await?;
    page.session.purge();
    Ok(see_other("/login"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    label: String,
    /// Empty: no expiry.
    expires_in_days: String,
}

pub async fn create_token(
    state: web::Data<AppState>,
    page: OrganizerPage,
    form: CsrfForm<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.data;
    let days = match form.expires_in_days.trim() {
        "" => Ok(None),
        d => d.parse::<i64>().map(Some).map_err(|_| {
            AppError::invalid(
                "expires_in_days",
                FieldCode::Invalid,
                "must be a number of days",
            )
        }),
    };
    let result = match days {
        Ok(days) => accounts::new_api_token(&state, &page.organizer, &form.label, days).await,
        Err(e) => Err(e),
    };
    match field_errors(result)? {
        Ok((token, _)) => {
            render(
                &state,
                &page,
                StatusCode::OK,
                Some(token),
                FieldErrors::new(),
                FieldErrors::new(),
            )
            .await
        }
        Err(errors) => {
            render(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                FieldErrors::new(),
                errors,
            )
            .await
        }
    }
}

pub async fn revoke_token(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<ApiTokenId>(&id)?;
    accounts::revoke_api_token(&state, &page.organizer, &id).await?;
    session::flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("account.token_revoked"),
    );
    Ok(see_other(ACCOUNT))
}

// ----- the e-mailed sign-in link -----

pub async fn sign_in_link_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    html(crate::views::account::sign_in_link_form(&ctx, false))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    email: String,
}

pub async fn sign_in_link_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<EmailForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    crate::services::sign_in::request_any_link(&state, ctx.lang, &form.data.email).await?;
    Ok(html(crate::views::account::sign_in_link_form(&ctx, true)))
}

/// Where the link lands: a button (mail scanners open links; only the press signs in).
pub async fn sign_in_link_landing(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if !accounts::sign_in_link_valid(&state, &token).await? {
        return Err(AppError::not_found("sign-in link"));
    }
    Ok(html(crate::views::auth::link_landing(
        &ctx,
        &ctx.t("login.link_title"),
        &ctx.t("login.link_landing_lead"),
        &format!("/login/link/{token}"),
        &ctx.t("login.submit"),
    )))
}

pub async fn sign_in_link_use(
    req: HttpRequest,
    state: web::Data<AppState>,
    FormCtx(_, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let organizer = accounts::sign_in_with_link(&state, &token).await?;
    session::sign_in(&state, &req, &session, &organizer).await?;
    Ok(see_other("/manage"))
}
