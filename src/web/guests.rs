//! What the pages of people without a password (speakers, volunteers, desk helpers) share:
//! the page of a sign-in link that was used up or expired, which offers a fresh one.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use crate::error::AppError;
use crate::web::html_status;

/// The page of a one-time link that was used or has expired (a speaker's, a volunteer's, a
/// desk helper's): it says so and offers a fresh link by e-mail, posted to `action` (which
/// answers the same whether or not the address is known). 404 as before: the link leads
/// nowhere any more, but the page says why and what to do.
pub fn spent_link(ctx: &crate::views::Ctx, lead_key: &str, action: &str) -> HttpResponse {
    html_status(
        StatusCode::NOT_FOUND,
        crate::views::speakers::link_spent(ctx, &ctx.t(lead_key), action),
    )
}

/// `result`, or the page of a used or expired link when it says the link leads nowhere.
pub fn or_spent(
    result: Result<HttpResponse, AppError>,
    ctx: &crate::views::Ctx,
    lead_key: &str,
    action: &str,
) -> Result<HttpResponse, AppError> {
    match result {
        Err(e) if e.kind == crate::error::ErrorKind::NotFound => {
            Ok(spent_link(ctx, lead_key, action))
        }
        other => other,
    }
}
