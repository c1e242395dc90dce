//! What the organizers' pages and the API read of stops.

use crate::db::DbConnection;
use crate::domain::access::TourAccess;
use crate::domain::ids::{StopId, TourId};
use crate::error::AppError;
use crate::models::access::stops_in_reach;
use crate::models::desk_helper::DeskHelper;
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, StopDetail, VenueSwitch};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::registrations::StopStats;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{access, desk, registrations, venue_switch};

/// A stop the caller runs, with its venue, backups and supporters, its tour and the
/// caller's access to it.
pub async fn stop_detail(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<(StopDetail, Tour, TourAccess), AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| stop_detail_in(conn, &organizer, &stop))
        .await
}

/// The stops of a tour the caller may see (a local member sees their own only).
pub async fn list_stops(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<Vec<StopDetail>, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| list_stops_in(conn, &organizer, &tour))
        .await
}

/// The time zone of a stop the caller runs: the one times typed on its forms are in.
pub async fn stop_tz(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<chrono_tz::Tz, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| Ok(access::stop_for(conn, &organizer, &stop)?.0.tz()))
        .await
}

/// What the organizers' page of a stop shows.
pub struct StopPageData {
    pub detail: StopDetail,
    pub tour: Tour,
    pub access: TourAccess,
    /// The venue library, to pick a backup or a venue to switch to.
    pub venues: Vec<Venue>,
    pub stats: StopStats,
    pub timeline: Vec<(chrono::NaiveDate, i64, i64)>,
    pub switches: Vec<(VenueSwitch, String, String)>,
    pub helpers: Vec<DeskHelper>,
    /// How the venue, the backups and the library fit the stop.
    pub moves: crate::read::venues::VenueMoves,
}

pub async fn stop_page(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<StopPageData, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let (detail, tour, access) = stop_detail_in(conn, &organizer, &stop)?;
            let sc = StopContext::load(conn, &stop)?;
            let stats = registrations::stats_for(conn, &env, &sc)?;
            let timeline = registrations::timeline(conn, &sc.stop)?;
            let switches = venue_switch::switches(conn, &organizer, &stop)?;
            let helpers = desk::helpers(conn, &organizer, &stop)?;
            let moves = venue_switch::moves_in(conn, &env, &detail)?;
            Ok(StopPageData {
                detail,
                tour,
                access,
                venues: Venue::list(conn, None)?,
                stats,
                timeline,
                switches,
                helpers,
                moves,
            })
        })
        .await
}

/// What the form for a new stop shows: the tour (one the caller may edit), the venue
/// library, and the stop it copies when it is a clone.
pub struct NewStopForm {
    pub tour: Tour,
    pub venues: Vec<Venue>,
    pub source: Option<StopDetail>,
}

pub async fn new_stop_form(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
    from: Option<&StopId>,
) -> Result<NewStopForm, AppError> {
    let (organizer, tour, from) = (organizer.clone(), tour.clone(), from.cloned());
    ctx.db
        .run(move |conn| {
            let (tour, _) = access::editable_tour(conn, &organizer, &tour)?;
            let source = match from {
                Some(f) => Some(stop_detail_in(conn, &organizer, &f)?.0),
                None => None,
            };
            Ok(NewStopForm {
                tour,
                venues: Venue::list(conn, None)?,
                source,
            })
        })
        .await
}

/// What the edit form of a stop shows: the stop, its tour and the venue library.
pub struct EditStopForm {
    pub detail: StopDetail,
    pub tour: Tour,
    pub venues: Vec<Venue>,
}

pub async fn edit_stop_form(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<EditStopForm, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let (detail, tour, _) = stop_detail_in(conn, &organizer, &stop)?;
            Ok(EditStopForm {
                detail,
                tour,
                venues: Venue::list(conn, None)?,
            })
        })
        .await
}

/// A stop the caller runs, with its venue, backups and supporters.
pub(crate) fn stop_detail_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<(StopDetail, Tour, crate::domain::access::TourAccess), AppError> {
    let (stop, tour, access) = access::stop_for(conn, organizer, stop_id)?;
    Ok((Stop::detail(conn, stop)?, tour, access))
}

/// The stops of a tour the caller may see (a local member sees their own only).
pub(crate) fn list_stops_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<Vec<StopDetail>, AppError> {
    let (tour, access) = access::tour_for(conn, organizer, tour_id)?;
    let stops = stops_in_reach(conn, &tour.id, &access)?;
    stops
        .into_iter()
        .map(|s| Stop::detail(conn, s).map_err(AppError::from))
        .collect()
}

/// A public stop of a public tour, for the stop page.
pub fn public_stop(conn: &mut DbConnection, stop_id: &str) -> Result<(StopDetail, Tour), AppError> {
    let stop = Stop::find(conn, stop_id)?
        .filter(|s| s.status().is_public())
        .ok_or_else(|| AppError::not_found("stop"))?;
    let tour = Tour::find(conn, &stop.tour_id)?
        .filter(Tour::is_public)
        .ok_or_else(|| AppError::not_found("stop"))?;
    Ok((Stop::detail(conn, stop)?, tour))
}
