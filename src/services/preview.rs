//! The team's previews of public pages before the public may see them (a draft tour, a
//! draft stop): as they will look once published, for the tour's team only.

use crate::domain::ids::TourId;
use crate::error::AppError;
use crate::models::access::stops_in_reach;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::services::access;
use crate::services::context::Context;

pub use crate::services::stops::preview_stop;

/// A tour's public page as it will look once published, for its team (whatever its
/// status): the stops of the caller's reach, drafts among them (shown with their status).
pub async fn preview_tour(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<crate::read::public::PublicTour, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| {
            let (tour, access) = access::tour_for(conn, &organizer, &tour)?;
            let ids: Vec<String> = stops_in_reach(conn, &tour.id, &access)?
                .into_iter()
                .map(|s| s.id)
                .collect();
            let stops = Stop::list_with_venues(conn, &ids)?;
            Ok(crate::read::public::PublicTour {
                cfp_open: crate::services::speakers::cfp_open(&tour),
                tour,
                stops,
            })
        })
        .await
}
