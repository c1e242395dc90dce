//! Moving a stop to a backup venue when its venue falls through.

use crate::db::{self, DbConnection};
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::domain::venue::{self as rules, Room, StopNeeds};
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, StopChanges, StopDetail, VenueSwitch};
use crate::models::venue::Venue;
use crate::read::venues::{SwitchPreview, VenueFit, VenueMoves};
use crate::services::context::Context;
use crate::services::stop_context::{Plan, StopContext, plan};
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
        switch_within(conn, env, organizer, stop_id, to, &reason)
    })
}

/// Where the stop would move: the venue named, else its first backup; never where it is.
fn target_venue(
    conn: &mut DbConnection,
    stop: &Stop,
    backups: &[Venue],
    to: Option<&str>,
) -> Result<Venue, AppError> {
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
    Ok(target)
}

/// The switch itself, in the caller's transaction.
fn switch_within(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    to: Option<&str>,
    reason: &str,
) -> Result<StopDetail, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Counters::lock(conn, &stop.id)?;
    if matches!(stop.status(), StopStatus::Done | StopStatus::Cancelled) {
        return Err(AppError::conflict(
            ErrorCode::StopOver,
            "this stop is over or cancelled",
        ));
    }
    let backups = Stop::backups(conn, &stop.id)?;
    let target = target_venue(conn, &stop, &backups, to)?;
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
        reason,
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
            reason,
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
}

pub fn switches(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<Vec<(VenueSwitch, String, String)>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Ok(VenueSwitch::list(conn, &stop.id)?)
}

/// What the stop asks of a room (`current_seats`: when judging another venue than its own).
fn needs<'a>(
    stop: &'a Stop,
    confirmed: i64,
    plan: &Plan,
    current_seats: Option<i32>,
) -> StopNeeds<'a> {
    StopNeeds {
        city: &stop.city,
        starts_at: stop.starts_at,
        ends_at: stop.ends_at,
        tz: stop.tz(),
        confirmed,
        show_rate: plan.show_rate,
        capacity_override: stop.capacity_override,
        current_seats,
    }
}

fn room(v: &Venue) -> Room<'_> {
    Room {
        city: &v.city,
        capacity: v.capacity,
        weekday_only: v.weekday_only,
        id_check_required: v.id_check_required,
        directions: &v.directions,
        caveats: &v.caveats,
        cost: v.cost,
        cost_note: &v.cost_note,
    }
}

fn judged(stop: &StopNeeds, venue: Venue) -> VenueFit {
    VenueFit {
        fits: rules::fit(stop, &room(&venue)),
        same_city: rules::same_city(stop.city, &venue.city),
        venue,
    }
}

/// How the stop's venue, its backups and the rest of the library fit it: what its page
/// shows about venues (the caller already reached the stop).
pub(crate) fn moves_in(
    conn: &mut DbConnection,
    env: &Env,
    detail: &StopDetail,
) -> Result<VenueMoves, AppError> {
    let sc = StopContext::load(conn, &detail.stop.id)?;
    let plan = plan(conn, env, &sc.stop, &sc.venue, &sc.tour)?;
    let confirmed = i64::from(Counters::get(conn, &sc.stop.id)?.confirmed);
    let own = needs(&sc.stop, confirmed, &plan, None);
    let other = needs(&sc.stop, confirmed, &plan, Some(detail.venue.capacity));
    let current = rules::fit(&own, &room(&detail.venue));
    let backups = detail
        .backups
        .iter()
        .map(|b| judged(&other, b.clone()))
        .collect();
    let mut rest: Vec<VenueFit> = Venue::list(conn, None)?
        .into_iter()
        .filter(|v| v.id != detail.venue.id && !detail.backups.iter().any(|b| b.id == v.id))
        .map(|v| judged(&other, v))
        .collect();
    let key = |f: &VenueFit| {
        (
            f.same_city,
            f.fits.iter().filter(|x| x.is_warning()).count(),
            f.venue.capacity,
        )
    };
    rest.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        rules::candidate_order(
            (ka.0, ka.1, ka.2, &a.venue.name),
            (kb.0, kb.1, kb.2, &b.venue.name),
        )
    });
    let (candidates, elsewhere) = rest.into_iter().partition(|f| f.same_city);
    Ok(VenueMoves {
        current,
        backups,
        candidates,
        elsewhere,
        can_switch: !matches!(
            detail.stop.status(),
            StopStatus::Done | StopStatus::Cancelled
        ),
    })
}

/// What switching the stop to `to` (its first backup when None) would do, the e-mail in
/// each language included. Changes nothing.
pub async fn switch_preview(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    to: Option<&str>,
    reason: String,
) -> Result<SwitchPreview, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    let to = to.map(str::to_owned);
    ctx.db
        .run(move |conn| preview_in(conn, &env, &organizer, &stop, to.as_deref(), &reason))
        .await
}

fn preview_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    to: Option<&str>,
    reason: &str,
) -> Result<SwitchPreview, AppError> {
    let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
    if matches!(stop.status(), StopStatus::Done | StopStatus::Cancelled) {
        return Err(AppError::conflict(
            ErrorCode::StopOver,
            "this stop is over or cancelled",
        ));
    }
    let detail = Stop::detail(conn, stop)?;
    let target = target_venue(conn, &detail.stop, &detail.backups, to)?;
    let mut sc = StopContext::load(conn, &detail.stop.id)?;
    let before = plan(conn, env, &sc.stop, &sc.venue, &sc.tour)?;
    let after = plan(conn, env, &sc.stop, &target, &sc.tour)?;
    let counters = Counters::get(conn, &sc.stop.id)?;
    let (confirmed, waitlisted) = (
        i64::from(counters.confirmed),
        i64::from(counters.waitlisted),
    );
    let moves_waitlist = matches!(sc.stop.status(), StopStatus::Open | StopStatus::Closed);
    let (promoted, over) =
        rules::switch_effect(confirmed, waitlisted, after.target, moves_waitlist);
    let to = judged(
        &needs(&sc.stop, confirmed, &before, Some(detail.capacity())),
        target,
    );
    let (people, told) = crate::services::lifecycle::recipients(conn, &sc.stop.id)?;
    // The e-mail as it will be sent: the stop at its new venue, in each language, to the
    // first person who reads that language (or to the organizer, as an example).
    let old_venue = sc.venue.name.clone();
    sc.venue = to.venue.clone();
    let shown_reason = reason.trim();
    let samples = Lang::ALL
        .into_iter()
        .map(|lang| {
            let (name, attendee) = people
                .iter()
                .find(|p| p.lang == lang)
                .map(|p| (p.name.clone(), p.registration.is_some()))
                .unwrap_or_else(|| (organizer.display_name().to_owned(), true));
            let manage_url = attendee.then(|| env.links.url("/r/…"));
            let mail = Mail::VenueSwitch {
                name: &name,
                stop: &sc.mail(lang),
                old_venue: &old_venue,
                reason: shown_reason,
                manage_url: manage_url.as_deref(),
            };
            (lang, name.clone(), mail.render(lang))
        })
        .collect();
    let seen = format!("{}:{confirmed}:{waitlisted}:{}", to.venue.id, told.people);
    Ok(SwitchPreview {
        detail,
        tour,
        to,
        reason: shown_reason.to_owned(),
        before,
        after,
        confirmed,
        waitlisted,
        promoted,
        over,
        told,
        samples,
        seen,
    })
}

/// What a confirmed switch came to.
pub enum Confirmed {
    Switched(Box<StopDetail>),
    /// The figures moved since the organizer's preview (`seen`): here they are again, and
    /// nothing was done.
    Changed(Box<SwitchPreview>),
}

/// The switch as the organizer confirmed it after its preview: done only if what they saw
/// (`seen`, the preview's) still holds, in the same transaction as the switch.
pub async fn confirm_switch(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    to: Option<&str>,
    reason: String,
    seen: String,
) -> Result<Confirmed, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    let to = to.map(str::to_owned);
    ctx.db
        .run(move |conn| {
            let mut v = Validator::new();
            let checked = v.check("reason", text::required(&reason, 1000));
            v.finish()?;
            let checked = checked.unwrap_or_default();
            db::write_transaction(conn, |conn| {
                let (s, _, _) = access::stop_for(conn, &organizer, &stop)?;
                Counters::lock(conn, &s.id)?;
                let preview = preview_in(conn, &env, &organizer, &stop, to.as_deref(), &reason)?;
                if !seen.is_empty() && seen != preview.seen {
                    return Ok(Confirmed::Changed(Box::new(preview)));
                }
                let to = Some(preview.to.venue.id.as_str());
                Ok(Confirmed::Switched(Box::new(switch_within(
                    conn, &env, &organizer, &stop, to, &checked,
                )?)))
            })
        })
        .await
}
