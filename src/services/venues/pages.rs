//! What the pages and the API read of the venue library.

use super::copy::my_uses_in;
use super::edit::{can_edit_venue, not_yours};
use crate::db::DbConnection;
use crate::domain::content::Subject;
use crate::domain::ids::VenueId;
use crate::error::AppError;
use crate::models::access;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::translation::{RecordTexts, Texts};
use crate::models::venue::Venue;
use crate::read::venues::VenuePage;
use crate::services::context::Context;

/// The library, or the venues whose name or city contains `term`.
pub async fn list_venues(ctx: &Context, term: Option<String>) -> Result<Vec<Venue>, AppError> {
    ctx.db
        .run(move |conn| Ok(Venue::list(conn, term.as_deref())?))
        .await
}

pub async fn get_venue(ctx: &Context, venue: &VenueId) -> Result<Venue, AppError> {
    let venue = venue.clone();
    ctx.db.run(move |conn| get_venue_in(conn, &venue)).await
}

/// The venue with its texts in other languages, if the organizer may change it; 403 (with
/// what they may do instead) if not.
pub async fn editable_venue(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
) -> Result<(Venue, RecordTexts), AppError> {
    let (organizer, venue) = (organizer.clone(), venue.clone());
    ctx.db
        .run(move |conn| {
            let found = get_venue_in(conn, &venue)?;
            if !can_edit_venue(&organizer, &found) {
                return Err(not_yours());
            }
            let texts = Texts::of(conn, &[&found])?.record(Subject::Venue, &found.id);
            Ok((found, texts))
        })
        .await
}

/// A venue someone may suggest a change to, and whether they may rather change it
/// themselves (its creator, a site admin).
pub struct SuggestionTarget {
    pub venue: Venue,
    pub may_edit: bool,
}

pub async fn suggestion_target(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
) -> Result<SuggestionTarget, AppError> {
    let venue = get_venue(ctx, venue).await?;
    Ok(SuggestionTarget {
        may_edit: can_edit_venue(organizer, &venue),
        venue,
    })
}

/// A venue with its history and what the caller may do with it.
pub async fn venue_page(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
) -> Result<VenuePage, AppError> {
    let (organizer, venue) = (organizer.clone(), venue.clone());
    ctx.db
        .run(move |conn| venue_page_in(conn, &organizer, &venue))
        .await
}

pub(super) fn get_venue_in(conn: &mut DbConnection, venue_id: &str) -> Result<Venue, AppError> {
    Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))
}

fn venue_page_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<VenuePage, AppError> {
    let venue = get_venue_in(conn, venue_id)?;
    let history = venue_history_in(conn, organizer, venue_id)?;
    let copied_from = match &venue.copied_from {
        Some(id) => Venue::find(conn, id)?,
        None => None,
    };
    let texts = Texts::of(conn, &[&venue])?.record(Subject::Venue, &venue.id);
    Ok(VenuePage {
        texts,
        can_edit: can_edit_venue(organizer, &venue),
        is_creator: venue.created_by.as_deref() == Some(organizer.id.as_str()),
        my_uses: my_uses_in(conn, organizer, venue_id)?,
        history,
        copied_from,
        venue,
    })
}

/// A venue's stops that the organizer may know of: their own tours' stops, and the public
/// stops of public tours.
fn venue_history_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<Vec<(Stop, Tour)>, AppError> {
    let mine = access::visible_tour_ids(conn, organizer)?;
    let history = Stop::held_at(conn, venue_id)?;
    let mut out = Vec::new();
    for (stop, tour) in history {
        let visible = if mine.contains(&tour.id) {
            let reach = access::tour_access(conn, organizer, &tour.id)?;
            access::sees_stop_tour(reach.as_ref(), &stop)
        } else {
            tour.is_public() && stop.status().is_public()
        };
        if visible {
            out.push((stop, tour));
        }
    }
    Ok(out)
}
