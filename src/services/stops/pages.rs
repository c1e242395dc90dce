//! What the organizers' pages and the API read of stops.

use crate::db::DbConnection;
use crate::domain::access::TourAccess;
use crate::domain::ids::{StopId, TourId};
use crate::domain::stop::StopStatus;
use crate::error::AppError;
use crate::models::access::stops_in_reach;
use crate::models::desk_helper::DeskHelper;
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, StopDetail, VenueSwitch};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::public::PublicStop;
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
    /// Its figures in its tense (before, during, after), open tasks and missing materials.
    pub figures: crate::read::dashboards::StopFigures,
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
            let figures =
                crate::services::dashboards::stop_figures_in(conn, &env, &detail.stop, &tour)?;
            let moves = venue_switch::moves_in(conn, &env, &detail)?;
            Ok(StopPageData {
                figures,
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

/// A stop's public page as it will look, for its team whatever its status or its tour's:
/// the registration form as it will be once open, the agenda and materials once published.
pub async fn preview_stop(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<PublicStop, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let (detail, tour, _) = stop_detail_in(conn, &organizer, &stop)?;
            let id = detail.stop.id.clone();
            let (agenda, changes) = if detail.stop.agenda_published_at.is_some() {
                (
                    crate::services::agenda::entries(conn, &id)?,
                    crate::models::agenda::AgendaChange::for_stop(conn, &id)?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            let published = crate::services::collection::published(conn, &id)?;
            let entries_all = if published.is_empty() {
                Vec::new()
            } else {
                crate::services::agenda::entries(conn, &id)?
            };
            let places_left =
                if matches!(detail.stop.status(), StopStatus::Draft | StopStatus::Open) {
                    let sc = StopContext::load(conn, &id)?;
                    let stats = registrations::stats_for(conn, &env, &sc)?;
                    Some(crate::domain::attendance::places_left(
                        stats.plan.target,
                        i64::from(stats.counters.confirmed),
                    ))
                } else {
                    None
                };
            Ok(PublicStop {
                moved: VenueSwitch::list(conn, &id)?.pop(),
                detail,
                tour,
                places_left,
                agenda,
                changes,
                published,
                entries_all,
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
    /// The zone the form starts with, where it is known: the tour's latest stop's, else the
    /// one the venues' cities all share.
    pub timezone: Option<String>,
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
            let venues = Venue::list(conn, None)?;
            let timezone = match Stop::list_public(conn, &tour.id)?.pop() {
                Some((latest, _)) => Some(latest.timezone),
                None => shared_zone(&venues),
            };
            Ok(NewStopForm {
                tour,
                venues,
                source,
                timezone,
            })
        })
        .await
}

/// The zone of every venue's city, when they all name the same one.
fn shared_zone(venues: &[Venue]) -> Option<String> {
    let mut zones = venues
        .iter()
        .map(|v| crate::domain::zones::for_city(&v.city));
    let first = zones.next()??;
    zones
        .all(|z| z == Some(first))
        .then(|| first.name().to_owned())
}

/// What the edit form of a stop shows: the stop, its tour and the venue library.
pub struct EditStopForm {
    pub detail: StopDetail,
    pub tour: Tour,
    pub venues: Vec<Venue>,
    /// The stop's city in other languages.
    pub texts: crate::models::translation::RecordTexts,
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
            let texts = crate::models::translation::Texts::of(conn, &[&detail.stop])?
                .record(crate::domain::content::Subject::Stop, &detail.stop.id);
            Ok(EditStopForm {
                texts,
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
