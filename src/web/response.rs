//! What the pages' handlers answer with: an HTML page, a redirect, a form's field errors
//! to redisplay, an id from the path.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::Markup;

use crate::error::{AppError, ErrorKind, FieldErrors};

pub fn html(markup: Markup) -> HttpResponse {
    html_status(StatusCode::OK, markup)
}

pub fn html_status(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

pub use crate::http::see_other;

/// Splits a service result into "redisplay the form with these field errors" and the rest.
pub fn field_errors<T>(result: Result<T, AppError>) -> Result<Result<T, FieldErrors>, AppError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(e) if e.kind == ErrorKind::Validation => Ok(Err(e.fields)),
        Err(e) => Err(e),
    }
}

/// An id from a page's path, as its type: anything but a UUID is the "page not found" page
/// (a page's 404 names no record).
pub fn page_id<T: crate::domain::ids::Id>(raw: &str) -> Result<T, AppError> {
    T::parse(raw).ok_or_else(|| AppError::not_found("page"))
}

/// A refused upload as the field errors of one form of a page (`{scope}.{field}`): what is
/// wrong with the file or the other fields. None for what is no fault of the input (a
/// material out of reach, a form from elsewhere, a fault of ours): those are answered as such.
pub fn upload_errors(e: &AppError, scope: &str) -> Option<FieldErrors> {
    if !matches!(
        e.status(),
        StatusCode::CONFLICT
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::UNPROCESSABLE_ENTITY
    ) {
        return None;
    }
    let mut errors: FieldErrors = e
        .fields
        .iter()
        .map(|(k, v)| (format!("{scope}.{k}"), v.clone()))
        .collect();
    if errors.is_empty() {
        let code = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            crate::error::FieldCode::FileTooLarge
        } else {
            crate::error::FieldCode::UploadRefused
        };
        errors.insert(
            format!("{scope}.file"),
            crate::error::FieldError {
                code,
                message: e.message.clone(),
            },
        );
    }
    Some(errors)
}

/// A form's page: 200, or 422 when it is shown again with errors.
pub fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}
