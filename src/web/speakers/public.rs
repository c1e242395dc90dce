//! What shows a speaker outside their page: their calendar feed and their public profile.

use crate::domain::ids::SpeakerId;
use crate::error::AppError;
use crate::services::speakers;
use crate::state::AppState;
use crate::web::page_id;
use crate::web::session::PageCtx;
use actix_web::{HttpResponse, web};

/// The speaker's itinerary as an iCalendar feed (the address is a secret).
pub async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let token = token.strip_suffix(".ics").unwrap_or(&token).to_owned();
    let base = state.env.links.clone();
    let (speaker, deliveries) = speakers::itinerary_by_feed(&state, &token).await?;
    let slots: Vec<crate::calendar::Slot> = deliveries
        .iter()
        .map(|d| crate::calendar::Slot {
            id: &d.entry.item.id,
            title: d.entry.title(),
            starts_at: d.entry.item.starts_at,
            ends_at: d.entry.item.ends_at(),
            updated_at: d.entry.item.updated_at,
            tour: &d.tour,
            stop: &d.stop,
            venue: &d.venue,
        })
        .collect();
    let body = crate::calendar::itinerary(&speaker.name, &slots, base.base());
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(body))
}

pub async fn public_profile(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<SpeakerId>(&id)?;
    crate::web::cached(&req, &state, &ctx, || async {
        let (speaker, deliveries) = speakers::public_profile(&state, &id).await?;
        use crate::cache::keys;
        // Stops and tours changing touch the home key too.
        let deps = vec![
            keys::SPEAKERS.to_owned(),
            keys::HOME.to_owned(),
            keys::VENUES.to_owned(),
        ];
        Ok((
            crate::views::speakers::public::public_profile(&ctx, &speaker, &deliveries),
            deps,
        ))
    })
    .await
}
