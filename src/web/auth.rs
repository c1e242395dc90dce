use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::error::{AppError, ErrorCode};
use crate::i18n::{LANG_COOKIE, Lang};
use crate::services::accounts;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::auth::{AccountForm, LoginForm};
use crate::web::session::{self, CsrfForm, Empty, FormCtx, PageCtx};
use crate::web::{field_errors, html, html_status, see_other};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only paths on this site: an open redirect would make our sign-in page a phishing aid.
fn safe_next(next: Option<&str>) -> String {
    same_site_path(next).unwrap_or_else(|| "/manage".to_owned())
}

/// `next` as a path on this site, resolved the way a browser resolves a Location header
/// (the WHATWG URL parser, which the `url` crate implements): browsers drop tabs and line
/// breaks and read `\` as `/`, so `/\evil.example` and `/<TAB>/evil.example` lead off-site.
/// Anything with a control character, or that does not stay on our origin, is refused.
pub fn same_site_path(next: Option<&str>) -> Option<String> {
    let next = next?;
    if !next.starts_with('/') || next.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let base = url::Url::parse("http://roadshow.invalid/").ok()?;
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    Some(resolved[url::Position::BeforePath..].to_owned())
}

pub async fn switch_language(
    code: web::Path<String>,
    query: web::Query<NextQuery>,
) -> HttpResponse {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let next = same_site_path(query.next.as_deref()).unwrap_or_else(|| "/".to_owned());
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, next))
        .cookie(
            Cookie::build(LANG_COOKIE, lang.code())
                .path("/")
                .max_age(actix_web::cookie::time::Duration::days(365))
                .same_site(SameSite::Lax)
                .finish(),
        )
        .finish()
}

pub async fn login_form(FormCtx(ctx, _): FormCtx, query: web::Query<NextQuery>) -> HttpResponse {
    let form = LoginForm {
        next: safe_next(query.next.as_deref()),
        ..LoginForm::default()
    };
    html(crate::views::auth::login(&ctx, &form, false))
}

pub async fn login_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    form: CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::SignIn)?;
    let form = form.data;
    let client = state.limits.client_key(&req).unwrap_or_default();
    let result = accounts::authenticate(&state, &form.email, &form.password, &client).await;
    match result {
        Ok(organizer) => {
            session::sign_in(&state, &req, &session, &organizer).await?;
            Ok(see_other(&safe_next(Some(&form.next))))
        }
        Err(e) if e.status() == StatusCode::UNAUTHORIZED => Ok(html_status(
            StatusCode::UNAUTHORIZED,
            crate::views::auth::login(
                &ctx,
                &LoginForm {
                    password: String::new(),
                    ..form
                },
                true,
            ),
        )),
        // Locked after failed sign-ins from here: say so on the form, next to the way in by
        // e-mail, with the wait in Retry-After.
        Err(e)
            if e.status() == StatusCode::TOO_MANY_REQUESTS && e.code == ErrorCode::SignInLocked =>
        {
            let secs = e.retry_after_secs();
            let mut ctx = ctx;
            ctx.flash.push(crate::views::Flash {
                kind: FlashKind::Error,
                message: ctx.tf("login.locked", &[("seconds", &secs.to_string())]),
            });
            let mut res = html_status(
                StatusCode::TOO_MANY_REQUESTS,
                crate::views::auth::login(
                    &ctx,
                    &LoginForm {
                        password: String::new(),
                        ..form
                    },
                    false,
                ),
            );
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, v);
            }
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    PageCtx(_, session): PageCtx,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    session::sign_out(&state, &session).await?;
    Ok(see_other("/"))
}

pub async fn setup_form(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if !accounts::setup_link_valid(&state, &token).await? {
        return Err(AppError::not_found("setup link"));
    }
    Ok(html(crate::views::auth::setup(
        &ctx,
        &token,
        &AccountForm::default(),
        &Default::default(),
    )))
}

pub async fn setup_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    form: CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.data;
    let checked = field_errors(accounts::check_account(
        &form.email,
        &form.name,
        Some(&form.password),
    ))?;
    let account = match checked {
        Ok(a) => a,
        Err(errors) => {
            return Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::auth::setup(&ctx, &token, &form, &errors),
            ));
        }
    };
    let organizer = accounts::complete_setup(&state, &token, account).await?;
    session::sign_in(&state, &req, &session, &organizer).await?;
    session::flash(&session, FlashKind::Success, ctx.t("setup.done"));
    Ok(see_other("/manage"))
}

pub async fn invite_form(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let organizer = accounts::invitation(&state, &token).await?;
    let form = AccountForm {
        name: organizer.name.clone(),
        ..AccountForm::default()
    };
    Ok(html(crate::views::auth::invite(
        &ctx,
        &token,
        &organizer.email,
        &form,
        &Default::default(),
    )))
}

pub async fn invite_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    form: CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.data;
    let accepted = accounts::accept_invitation(&state, &token, &form.name, &form.password).await;
    let organizer = match field_errors(accepted)? {
        Ok(organizer) => organizer,
        Err(errors) => {
            // The form shows whom the invitation is for.
            let invited = accounts::invitation(&state, &token).await?;
            return Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::auth::invite(&ctx, &token, &invited.email, &form, &errors),
            ));
        }
    };
    session::sign_in(&state, &req, &session, &organizer).await?;
    Ok(see_other("/manage"))
}

pub async fn forgot_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    html(crate::views::auth::forgot_password(&ctx, false))
}

pub async fn forgot_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<crate::views::auth::ForgotForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    accounts::request_password_reset(&state, ctx.lang, &form.data.email).await?;
    Ok(html(crate::views::auth::forgot_password(&ctx, true)))
}

pub async fn reset_form(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if !accounts::password_reset_valid(&state, &token).await? {
        return Err(AppError::not_found("reset link"));
    }
    Ok(html(crate::views::auth::reset_password(
        &ctx,
        &token,
        &Default::default(),
    )))
}

pub async fn reset_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    form: CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let reset = accounts::reset_password(&state, &token, &form.data.password).await;
    let organizer = match field_errors(reset)? {
        Ok(organizer) => organizer,
        Err(errors) => {
            return Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::auth::reset_password(&ctx, &token, &errors),
            ));
        }
    };
    session::sign_in(&state, &req, &session, &organizer).await?;
    session::flash(&session, FlashKind::Success, ctx.t("reset.done"));
    Ok(see_other("/manage"))
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn next_stays_on_this_site_however_a_browser_reads_it() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "https://evil.example/",
            "evil.example",
            "/%09/evil.example\u{0}",
            "",
        ] {
            assert_eq!(same_site_path(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(
            same_site_path(Some("/manage/tours/1?x=1#a")).as_deref(),
            Some("/manage/tours/1?x=1#a")
        );
        // Encoded slashes stay a path on this site.
        assert_eq!(
            same_site_path(Some("/%2F%2Fevil.example")).as_deref(),
            Some("/%2F%2Fevil.example")
        );
        assert_eq!(same_site_path(Some("/a/../b")).as_deref(), Some("/b"));
    }
}
