//! A tour's own copy of someone else's venue, which its stops move to.

use super::pages::get_venue_in;
use crate::cache::Change;
use crate::db::{self, DbConnection};
use crate::domain::content::Subject;
use crate::domain::ids::VenueId;
use crate::error::{AppError, FieldCode};
use crate::models::access;
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, StopChanges, VenueUse};
use crate::models::translation::Translation;
use crate::models::venue::Venue;
use crate::services::context::Context;

/// The copy and how many of the caller's stops now use it (see `copy_venue_in`);
/// `stop_ids` as the form or the body gave them.
pub async fn copy_venue(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
    stop_ids: Vec<String>,
) -> Result<(Venue, usize), AppError> {
    let (organizer, venue) = (organizer.clone(), venue.clone());
    ctx.db
        .run(move |conn| copy_venue_in(conn, &organizer, &venue, &stop_ids))
        .await
}

/// What the copy form shows: the venue, and the caller's stops that could move to a copy.
pub async fn copy_form(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
) -> Result<(Venue, Vec<VenueUse>), AppError> {
    let (organizer, venue) = (organizer.clone(), venue.clone());
    ctx.db
        .run(move |conn| {
            let found = get_venue_in(conn, &venue)?;
            let uses = my_uses_in(conn, &organizer, &venue)?;
            Ok((found, uses))
        })
        .await
}

/// The caller's stops still to come that use the venue (as their place or a backup): what a
/// copy can take over.
pub(super) fn my_uses_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<Vec<VenueUse>, AppError> {
    let mut out = Vec::new();
    for u in VenueUse::upcoming(conn, venue_id, db::now())? {
        if access::tour_access(conn, organizer, &u.tour.id)?
            .is_some_and(|a| a.covers_stop(&u.stop.id))
        {
            out.push(u);
        }
    }
    Ok(out)
}

/// Makes the caller's own copy of a venue (`copied_from` names the original; the copy is
/// theirs to edit) and moves the named stops of theirs from the original to the copy, as
/// their place or in their backup list. The copy is identical when it is made, so the move
/// changes nothing for attendees: no venue switch, no e-mail.
#[tracing::instrument(skip(conn), fields(organizer = %organizer.id))]
fn copy_venue_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
    stop_ids: &[String],
) -> Result<(Venue, usize), AppError> {
    db::write_transaction(conn, |conn| {
        let original = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
        let mine = my_uses_in(conn, organizer, &original.id)?;
        let mut to_move: Vec<&VenueUse> = Vec::new();
        for id in stop_ids {
            let found: Vec<&VenueUse> = mine.iter().filter(|u| u.stop.id == *id).collect();
            if found.is_empty() {
                return Err(AppError::invalid(
                    "stop_ids",
                    FieldCode::NotYourStop,
                    "name stops of yours, still to come, that use this venue",
                ));
            }
            to_move.extend(found);
        }
        let copy = Venue::insert_copy(
            conn,
            &db::new_id(),
            &original.fields(),
            &organizer.id,
            &original.id,
            db::now(),
        )?;
        Translation::copy(
            conn,
            Subject::Venue,
            &original.id,
            &copy.id,
            Some(Change::Venues),
        )?;
        let mut moved = std::collections::HashSet::new();
        for u in to_move {
            if u.as_backup {
                let ids: Vec<String> = Stop::backups(conn, &u.stop.id)?
                    .into_iter()
                    .map(|b| {
                        if b.id == original.id {
                            copy.id.clone()
                        } else {
                            b.id
                        }
                    })
                    .collect();
                Stop::set_backups(conn, &u.stop.id, &ids)?;
            } else {
                Stop::update(
                    conn,
                    &u.stop.id,
                    &StopChanges {
                        venue_id: Some(copy.id.clone()),
                        updated_at: Some(db::now()),
                        ..StopChanges::default()
                    },
                )?;
            }
            moved.insert(u.stop.id.clone());
        }
        Ok((copy, moved.len()))
    })
}
