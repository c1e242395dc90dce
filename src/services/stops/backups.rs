//! A stop's ranked backup venues.

use super::input::check_venues;
use crate::db::{self, DbConnection};
use crate::domain::ids::{StopId, VenueId};
use crate::domain::stop::move_in_ranking;
use crate::error::{AppError, Validator};
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::services::access;
use crate::services::context::Context;

/// Moves a backup one place up (`delta` -1) or down (1) the ranking.
pub async fn move_backup(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    venue: &VenueId,
    delta: i32,
) -> Result<(), AppError> {
    let (organizer, stop, venue) = (organizer.clone(), stop.clone(), venue.clone());
    ctx.db
        .run(move |conn| move_backup_in(conn, &organizer, &stop, &venue, delta))
        .await
}

/// Adds a backup at the end of the ranking (`venue_id` as typed: checked against the library).
pub async fn add_backup(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    venue_id: String,
) -> Result<(), AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| add_backup_in(conn, &organizer, &stop, &venue_id))
        .await
}

pub async fn remove_backup(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    venue: &VenueId,
) -> Result<(), AppError> {
    let (organizer, stop, venue) = (organizer.clone(), stop.clone(), venue.clone());
    ctx.db
        .run(move |conn| remove_backup_in(conn, &organizer, &stop, &venue))
        .await
}

/// Moves a backup up or down the ranking (`delta` -1 is up).
fn move_backup_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    venue_id: &str,
    delta: i32,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let mut ids: Vec<String> = Stop::backups(conn, &stop.id)?
            .into_iter()
            .map(|v| v.id)
            .collect();
        let Some(pos) = ids.iter().position(|id| id == venue_id) else {
            return Err(AppError::not_found("backup"));
        };
        if move_in_ranking(&mut ids, pos, delta) {
            Stop::set_backups(conn, &stop.id, &ids)?;
        }
        Ok(())
    })
}

fn add_backup_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    venue_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let mut ids: Vec<String> = Stop::backups(conn, &stop.id)?
            .into_iter()
            .map(|v| v.id)
            .collect();
        ids.push(venue_id.to_owned());
        let mut v = Validator::new();
        check_venues(conn, &mut v, Some(&stop.venue_id), Some(&ids))?;
        v.finish()?;
        Stop::set_backups(conn, &stop.id, &ids)?;
        Ok(())
    })
}

fn remove_backup_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    venue_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let ids: Vec<String> = Stop::backups(conn, &stop.id)?
            .into_iter()
            .map(|v| v.id)
            .filter(|id| id != venue_id)
            .collect();
        Stop::set_backups(conn, &stop.id, &ids)?;
        Ok(())
    })
}
