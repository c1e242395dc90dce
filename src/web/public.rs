use actix_web::{HttpResponse, web};

use crate::error::AppError;
use crate::services::public;
use crate::state::AppState;
use crate::web::session::PageCtx;
use crate::web::{html, page_id};

pub async fn home(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
) -> Result<HttpResponse, AppError> {
    let tours = state.db.run(public::home).await?;
    Ok(html(crate::views::public::home(&ctx, &tours)))
}

pub async fn tour_page(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let tour = state.db.run(move |conn| public::tour(conn, &slug)).await?;
    Ok(html(crate::views::public::tour(&ctx, &tour)))
}

pub async fn stop_page(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let (detail, tour) = state.db.run(move |conn| public::stop(conn, &id)).await?;
    Ok(html(crate::views::public::stop(&ctx, &detail, &tour)))
}

/// The tour's stops as an iCalendar feed, one event per public stop.
pub async fn tour_calendar(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let tour = state.db.run(move |conn| public::tour(conn, &slug)).await?;
    let body = crate::calendar::tour_feed(&tour, state.links.base());
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{}.ics\"", tour.tour.slug),
        ))
        .body(body))
}
