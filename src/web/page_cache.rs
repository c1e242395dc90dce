//! Public pages served from the shared page cache (`crate::cache`), with validators and
//! gzip, to visitors without a session.

use actix_web::HttpResponse;
use maud::Markup;

use crate::error::AppError;

use super::response::html;

/// A public page from the shared page cache, or rendered (and kept) when it is not there.
/// `render` gives the page and the cache keys of what it shows (see `cache::keys`).
/// Signed-in visitors always get a fresh page of their own.
pub async fn cached<F, Fut>(
    req: &actix_web::HttpRequest,
    state: &crate::state::AppState,
    ctx: &crate::views::Ctx,
    render: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(Markup, Vec<String>), AppError>>,
{
    if !cacheable(req) {
        return Ok(html(render().await?.0));
    }
    let cache = &state.pages;
    let key = format!("{}|{}", ctx.lang.code(), ctx.path);
    if let Some(page) = cache.get(&key) {
        return Ok(respond(req, &page));
    }
    let lock = cache.render_lock(&key);
    let _rendering = lock.lock().await;
    // Whoever held the lock before may have rendered it.
    if let Some(page) = cache.get(&key) {
        return Ok(respond(req, &page));
    }
    let clock = cache.clock();
    let rendered = render().await;
    cache.rendered(&key);
    let (markup, deps) = rendered?;
    let page = cache.put(key, markup.into_string(), &deps, clock);
    Ok(respond(req, &page))
}

/// Serves a cached page, honouring If-None-Match and Accept-Encoding.
fn respond(req: &actix_web::HttpRequest, page: &crate::cache::CachedPage) -> HttpResponse {
    let not_modified = req
        .headers()
        .get(actix_web::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == page.etag || t.trim() == "*")
        });
    let mut res = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((actix_web::http::header::ETAG, page.etag.clone()))
        .insert_header((
            actix_web::http::header::LAST_MODIFIED,
            page.last_modified.clone(),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-cache"))
        .insert_header((
            actix_web::http::header::VARY,
            "Accept-Encoding, Accept-Language, Cookie",
        ));
    if not_modified {
        return res.finish();
    }
    res.content_type("text/html; charset=utf-8");
    let gzip_ok = req
        .headers()
        .get(actix_web::http::header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if gzip_ok && !page.gzip.is_empty() {
        res.insert_header((actix_web::http::header::CONTENT_ENCODING, "gzip"))
            .body(page.gzip.clone())
    } else {
        res.body(page.body.clone())
    }
}

/// Whether this request may be served from the shared cache: visitors without a session
/// (signed-in people see their own navigation and messages).
fn cacheable(req: &actix_web::HttpRequest) -> bool {
    req.cookie("roadshow_session").is_none()
}
