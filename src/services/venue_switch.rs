//! Moving a stop to a backup venue when its venue falls through.

use crate::db::{self, DbConnection};
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, StopChanges, StopDetail, VenueSwitch};
use crate::models::venue::Venue;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access, registrations};

/// Moves the stop to `to` (the first ranked backup unless told), logs it, and e-mails every
/// confirmed and waitlisted attendee the new address, directions and an updated calendar
/// entry (same UID, higher SEQUENCE). Confirmed attendees are never demoted: if the room is
/// smaller, new registrations go to the waitlist and the dashboard shows how far over the
/// target the stop is; if it is bigger, the waitlist moves up.
pub async fn switch_venue(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    to: Option<&str>,
    reason: &str,
) -> Result<StopDetail, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    let (to, reason) = (to.map(str::to_owned), reason.to_owned());
    ctx.db
        .run(move |conn| switch_venue_in(conn, &env, &organizer, &stop, to.as_deref(), &reason))
        .await
}

#[tracing::instrument(skip(conn, env), fields(organizer = %organizer.id))]
fn switch_venue_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    to: Option<&str>,
    reason: &str,
) -> Result<StopDetail, AppError> {
    let mut v = Validator::new();
    let reason = v.check("reason", text::required(reason, 1000));
    v.finish()?;
    let reason = reason.unwrap_or_default();
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        Counters::lock(conn, &stop.id)?;
        if matches!(stop.status(), StopStatus::Done | StopStatus::Cancelled) {
            return Err(AppError::conflict(
                ErrorCode::StopOver,
                "this stop is over or cancelled",
            ));
        }
        let backups = Stop::backups(conn, &stop.id)?;
        let target: Venue = match to.map(str::trim).filter(|t| !t.is_empty()) {
            Some(id) => Venue::find(conn, id)?.ok_or_else(|| {
                AppError::invalid("venue_id", FieldCode::UnknownVenue, "no venue has this id")
            })?,
            None => backups.first().cloned().ok_or_else(|| {
                AppError::invalid(
                    "venue_id",
                    FieldCode::NoBackup,
                    "the stop has no backup venue: name one",
                )
            })?,
        };
        if target.id == stop.venue_id {
            return Err(AppError::invalid(
                "venue_id",
                FieldCode::SameVenue,
                "the stop is already there",
            ));
        }
        let old_venue = Venue::get(conn, &stop.venue_id)?;
        let remaining: Vec<String> = backups
            .into_iter()
            .map(|b| b.id)
            .filter(|id| *id != target.id)
            .collect();
        Stop::set_backups(conn, &stop.id, &remaining)?;
        Stop::update(
            conn,
            &stop.id,
            &StopChanges {
                venue_id: Some(target.id.clone()),
                calendar_sequence: Some(stop.calendar_sequence + 1),
                updated_at: Some(db::now()),
                ..StopChanges::default()
            },
        )?;
        VenueSwitch::log(
            conn,
            &stop.id,
            &old_venue.id,
            &target.id,
            &reason,
            Some(&organizer.id),
        )?;

        // Everyone concerned by the stop, once per address (as for a cancellation or a new
        // time); attendees with their own link.
        let ctx = StopContext::load(conn, &stop.id)?;
        let (people, _) = crate::services::lifecycle::recipients(conn, &stop.id)?;
        for to in &people {
            let manage_url = match &to.registration {
                Some(r) => registrations::manage_link(conn, env, r)?,
                None => None,
            };
            let mail = Mail::VenueSwitch {
                name: &to.name,
                stop: &ctx.mail(to.lang),
                old_venue: &old_venue.name,
                reason: &reason,
                manage_url: manage_url.as_deref(),
            };
            email::enqueue(
                conn,
                &env.links,
                Email::new(mail, to.lang, &to.email, &to.name)
                    .for_stop(&ctx.tour.id, &ctx.stop.id)
                    .reply_to(ctx.tour.contact_email.as_deref())
                    .attach(ctx.ics(env)),
            )?;
        }
        // A bigger room moves the waitlist up, in the same transaction.
        registrations::rebalance_within(conn, env, &stop.id)?;
        let stop = Stop::find(conn, &stop.id)?.ok_or_else(|| AppError::not_found("stop"))?;
        Ok(Stop::detail(conn, stop)?)
    })
}

pub fn switches(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<Vec<(VenueSwitch, String, String)>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Ok(VenueSwitch::list(conn, &stop.id)?)
}
