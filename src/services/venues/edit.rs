//! Creating and changing a venue of the library; the teams using it are told.

use std::collections::BTreeMap;

use super::input::{VenueInput, check};
use crate::cache::Change;
use crate::db::{self, DbConnection};
use crate::domain::content::Subject;
use crate::domain::ids::VenueId;
use crate::domain::venue::{self as rules, FieldChange};
use crate::email::{self, AffectedStop, Email, Mail};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::models::stop::VenueUse;
use crate::models::team::TourMember;
use crate::models::translation::Translation;
use crate::models::venue::Venue;
use crate::services::Env;
use crate::services::context::Context;

/// A new venue of the library, the caller's to change.
pub async fn create_venue(
    ctx: &Context,
    organizer: &Organizer,
    input: VenueInput,
) -> Result<Venue, AppError> {
    let organizer = organizer.clone();
    ctx.db
        .run(move |conn| create_venue_in(conn, &organizer, input))
        .await
}

/// Changes a venue the caller may change (see `update_venue_in`).
pub async fn update_venue(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
    input: VenueInput,
) -> Result<Venue, AppError> {
    let (env, organizer, venue) = (ctx.env.clone(), organizer.clone(), venue.clone());
    ctx.db
        .run(move |conn| update_venue_in(conn, &env, &organizer, &venue, input))
        .await
}

#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
fn create_venue_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    input: VenueInput,
) -> Result<Venue, AppError> {
    let (fields, texts) = check(input, None)?;
    db::write_transaction(conn, |conn| {
        let venue = Venue::insert(conn, &db::new_id(), &fields, Some(&organizer.id), db::now())?;
        Translation::apply(
            conn,
            Subject::Venue,
            &venue.id,
            &texts,
            Some(Change::Venues),
        )?;
        Ok(venue)
    })
}

/// Whether the organizer may change the venue (see `domain::venue::may_edit`).
pub fn can_edit_venue(organizer: &Organizer, venue: &Venue) -> bool {
    rules::may_edit(
        organizer.is_admin,
        venue.created_by.as_deref(),
        &organizer.id,
    )
}

pub(super) fn not_yours() -> AppError {
    AppError::forbidden(
        "only the venue's creator and site admins may change it: suggest a change to them, \
         or make your own copy",
    )
}

/// Changes a venue (its creator or a site admin only), and tells the teams of every tour
/// with a stop still to come there (or keeping it as a backup) what changed, in the same
/// transaction: their attendees read this address, and a new capacity moves their
/// registration targets.
#[tracing::instrument(skip(conn, env, input), fields(organizer = %organizer.id))]
fn update_venue_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    venue_id: &str,
    input: VenueInput,
) -> Result<Venue, AppError> {
    db::write_transaction(conn, |conn| {
        let venue = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
        if !can_edit_venue(organizer, &venue) {
            return Err(not_yours());
        }
        let (fields, texts) = check(input, Some(&venue))?;
        Translation::apply(
            conn,
            Subject::Venue,
            &venue.id,
            &texts,
            Some(Change::Venues),
        )?;
        let changes = rules::changes(&venue.fields().facts(), &fields.facts());
        if changes.is_empty() {
            return Ok(venue);
        }
        let uses = VenueUse::upcoming(conn, &venue.id, db::now())?;
        let capacity_moves = changes.iter().any(|c| c.field == "capacity");
        let mut before = Vec::with_capacity(uses.len());
        for u in &uses {
            before.push(target_of(conn, env, u, &venue, capacity_moves)?);
        }
        let updated = Venue::update(conn, &venue.id, &fields, db::now())?;
        let mut affected = Vec::with_capacity(uses.len());
        for (u, old) in uses.iter().zip(before) {
            let new = target_of(conn, env, u, &updated, capacity_moves)?;
            affected.push((
                u,
                AffectedStop {
                    tour: u.tour.name.clone(),
                    city: u.stop.city.clone(),
                    starts_at: u.stop.starts_at,
                    tz: u.stop.tz(),
                    as_backup: u.as_backup,
                    own_capacity: u.stop.capacity_override.is_some(),
                    target: old.zip(new).filter(|(a, b)| a != b),
                },
            ));
        }
        tell_teams(conn, env, organizer, &updated, &changes, &affected)?;
        Ok(updated)
    })
}

/// The registration target of a stop held at `venue`, when a capacity change could move it.
fn target_of(
    conn: &mut DbConnection,
    env: &Env,
    u: &VenueUse,
    venue: &Venue,
    capacity_moves: bool,
) -> Result<Option<i64>, AppError> {
    if !rules::moves_target(
        capacity_moves,
        u.as_backup,
        u.stop.capacity_override.is_some(),
    ) {
        return Ok(None);
    }
    let plan = crate::services::stop_context::plan(conn, env, &u.stop, venue, &u.tour)?;
    Ok(Some(plan.target))
}

/// One e-mail per organizer (but the editor) of the tours concerned, naming the stops of
/// theirs the change touches; a local co-organizer hears only of their own stops.
fn tell_teams(
    conn: &mut DbConnection,
    env: &Env,
    editor: &Organizer,
    venue: &Venue,
    changes: &[FieldChange],
    affected: &[(&VenueUse, AffectedStop)],
) -> Result<(), AppError> {
    let mut tours: Vec<&str> = affected.iter().map(|(u, _)| u.tour.id.as_str()).collect();
    tours.sort();
    tours.dedup();
    // Organizer id → (organizer, the stops of theirs).
    let mut told: BTreeMap<String, (Organizer, Vec<AffectedStop>)> = BTreeMap::new();
    for tour_id in tours {
        for member in TourMember::team(conn, tour_id)? {
            if member.organizer.id == editor.id {
                continue;
            }
            let theirs = affected.iter().filter(|(u, _)| {
                u.tour.id == tour_id
                    && (member.role != crate::domain::access::TeamRole::Local
                        || member.stop_ids.contains(&u.stop.id))
            });
            let entry = told
                .entry(member.organizer.id.clone())
                .or_insert_with(|| (member.organizer.clone(), Vec::new()));
            entry.1.extend(theirs.map(|(_, a)| a.clone()));
        }
    }
    let link = env.links.url(&format!("/manage/venues/{}", venue.id));
    for (_, (organizer, stops)) in told {
        if stops.is_empty() {
            continue;
        }
        let lang = Lang::default();
        let mail = Mail::VenueChanged {
            venue: &venue.name,
            editor: editor.display_name(),
            changes,
            stops: &stops,
            link: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &organizer.email, organizer.display_name()),
        )?;
    }
    Ok(())
}
