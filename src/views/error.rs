use actix_web::http::StatusCode;
use maud::{Markup, html};

use crate::error::ErrorCode;
use crate::views::Ctx;
use crate::views::layout::page;

/// A friendly page for an error met while browsing.
pub fn error_page(ctx: &Ctx, status: StatusCode, code: ErrorCode, message: &str) -> Markup {
    // The code's own sentence in the reader's language, else the (English) message.
    let detail = ctx.t(&format!("error_code.{code}"));
    let detail = if detail.starts_with("??") {
        message.to_owned()
    } else {
        detail.into_owned()
    };
    let key = match status.as_u16() {
        400 | 413 | 415 | 422 => "error.bad_request",
        401 => "error.unauthorized",
        403 => "error.forbidden",
        404 => "error.not_found",
        409 => "error.conflict",
        408 => "error.timeout",
        429 => "error.too_many",
        503 => "error.unavailable",
        _ => "error.unexpected",
    };
    page(
        ctx,
        &ctx.t(key),
        html! {
            h1 { (ctx.t(key)) }
            // A 503 says why (storage full, uploads busy): the reader should try again later.
            @if status.is_client_error() || status == StatusCode::SERVICE_UNAVAILABLE { p { (detail) } }
            @else { p { (ctx.t("error.unexpected_detail")) } }
            p { a href="/" { (ctx.t("error.home")) } }
        },
    )
}
