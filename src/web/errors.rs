//! Errors met while browsing become pages in the reader's language; API errors stay JSON.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, Result};

use crate::error::AppError;
use crate::i18n::Lang;
use crate::views::Ctx;
use crate::views::layout::urlencode;

pub fn render_error_page<B>(res: ServiceResponse<B>) -> Result<ErrorHandlerResponse<B>> {
    let path = res.request().path().to_owned();
    // /metrics is read by scrapers, not people.
    let is_api = path.starts_with("/api/") || path == "/metrics";
    let wants_json = res
        .request()
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"));
    let Some(app_error) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
    else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    if is_api || wants_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (code, message) = (app_error.code, app_error.message.clone());
    let retry_after = res.response().headers().get(header::RETRY_AFTER).cloned();
    let (req, _) = res.into_parts();
    let mut response: HttpResponse<BoxBody> = if status == actix_web::http::StatusCode::UNAUTHORIZED
    {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        // Speakers sign in with an e-mailed link, organizers with a password.
        let login = if req.path().starts_with("/speaker") {
            "/speaker/login"
        } else if req.path().starts_with("/volunteer") {
            "/volunteer/login"
        } else {
            "/login"
        };
        HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                format!("{login}?next={}", urlencode(next)),
            ))
            .finish()
    } else {
        let ctx = Ctx {
            lang: Lang::of_request(&req),
            path: req.path().to_owned(),
            ..Ctx::default()
        };
        crate::web::html_status(
            status,
            crate::views::error::error_page(&ctx, status, code, &message),
        )
    };
    if let Some(value) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
