//! What both faces of the app, the pages (`crate::web`) and the JSON API (`crate::api`), do
//! with HTTP alike: ids from paths, bodies read within a limit, NUL characters refused,
//! uploads, CSV downloads. Both import it; neither imports the other.

pub mod uploads;

use std::future::Future;

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Bytes;

use crate::domain::ids::Id;
use crate::error::{AppError, ErrorCode};

/// An id from the path, as its type (`path_id::<StopId>(&raw)?`); anything that is not a
/// UUID cannot name a record, so it is a 404 naming what was looked for.
pub fn path_id<T: Id>(raw: &str) -> Result<T, AppError> {
    T::parse(raw).ok_or_else(|| AppError::not_found(T::WHAT))
}

/// Reads a body of at most `limit` bytes.
pub fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> impl Future<Output = Result<Bytes, AppError>> + 'static {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut payload = payload.take();
    async move {
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        use futures_util::StreamExt;
        let mut body = actix_web::web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| {
                AppError::bad_request(ErrorCode::BadBody, "the request body could not be read")
            })?;
            if body.len() + chunk.len() > limit {
                return Err(too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

fn too_large(limit: usize) -> AppError {
    AppError::too_large(format!("the body may be at most {limit} bytes"))
}

/// NUL characters are refused wherever text comes in: PostgreSQL cannot store them, and no
/// name, address or search ever needs one.
pub fn nul_error(field: &str) -> AppError {
    AppError::bad_field(
        field,
        ErrorCode::NulCharacter,
        "may not contain a NUL character",
    )
}

/// Refuses a NUL character in any of these name/value pairs (a query string, a url-encoded
/// form), naming the first field that has one.
pub fn refuse_nul<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), AppError> {
    for (name, value) in pairs {
        if name.contains('\0') || value.contains('\0') {
            return Err(nul_error(&name.replace('\0', "%00")));
        }
    }
    Ok(())
}

/// Refuses a query string with a NUL character (`%00`) in a name or a value.
pub fn refuse_nul_in_query(query: &str) -> Result<(), AppError> {
    if !query.contains("%00") {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    refuse_nul(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// 303 to `location`: where a form's answer, or a file kept elsewhere, is.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A table to download as `{stem}.csv` or `{stem}.xlsx`.
pub fn table_download(
    stem: &str,
    format: crate::export::Format,
    table: &crate::export::Table,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{}\"", format.ext()),
        ))
        .body(table.render(format)?))
}
