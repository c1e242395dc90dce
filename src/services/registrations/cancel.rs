//! Cancelling and the waitlist: a freed place goes to the oldest waitlisted person, and the
//! attendee's own link (cancel, "still coming?", a new link, erase).

use super::register::confirmation_email;
use super::{NO_LINK, link_for_mail, manage_url};
use crate::db::{self, DbConnection};
use crate::domain::attendance::{RegistrationStatus, StillComing};
use crate::domain::ids::RegistrationId;
use crate::domain::stop::StopStatus;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode};
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::registration::Registration;
use crate::secrets;
use crate::services::context::Context;
use crate::services::stop_context::{StopContext, plan};
use crate::services::{Env, access};

/// Confirms the oldest waitlisted registrations while the stop is below its target, each
/// with an e-mail. Runs under the stop's lock (the caller took it).
fn promote(conn: &mut DbConnection, env: &Env, ctx: &StopContext) -> Result<usize, AppError> {
    if !matches!(ctx.stop.status(), StopStatus::Open | StopStatus::Closed) {
        return Ok(0);
    }
    let plan = plan(conn, env, &ctx.stop, &ctx.venue, &ctx.tour)?;
    let counters = Counters::get(conn, &ctx.stop.id)?;
    let free = crate::domain::attendance::places_left(plan.target, i64::from(counters.confirmed));
    if free <= 0 {
        return Ok(0);
    }
    let now = db::now();
    let mut promoted = 0;
    for r in Registration::waitlist_head(conn, &ctx.stop.id, free)? {
        if !Registration::move_status(
            conn,
            &r.id,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Confirmed,
            now,
        )? {
            continue;
        }
        Counters::add(
            conn,
            &ctx.stop,
            Counters {
                confirmed: 1,
                waitlisted: -1,
                ..Counters::default()
            },
        )?;
        // The same manage link as in their earlier e-mails.
        let r = Registration::get(conn, &r.id)?;
        let link = link_for_mail(conn, env, &r)?;
        email::enqueue(
            conn,
            &env.links,
            confirmation_email(env, ctx, &r, &link, true),
        )?;
        promoted += 1;
    }
    Ok(promoted)
}

/// Fills the stop up to its target from the waitlist (after its capacity, show rate or
/// venue changed). Confirmed people are never demoted.
pub fn rebalance(conn: &mut DbConnection, env: &Env, stop_id: &str) -> Result<usize, AppError> {
    db::write_transaction(conn, |conn| rebalance_within(conn, env, stop_id))
}

/// `rebalance` as the last step of a change of the stop, in its transaction (which took the
/// stop's registration lock first, the order every writer of registrations keeps).
pub fn rebalance_within(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
) -> Result<usize, AppError> {
    Counters::lock(conn, stop_id)?;
    let ctx = StopContext::load(conn, stop_id)?;
    promote(conn, env, &ctx)
}

/// Who asks to cancel.
enum Canceller {
    /// The attendee, with the secret of their manage link.
    Attendee(String),
    /// An organizer who runs the stop.
    Organizer(Organizer),
}

impl Canceller {
    /// An organizer's token wins over a manage token sent along; neither is a 401.
    fn of(organizer: Option<&Organizer>, manage_token: Option<String>) -> Result<Self, AppError> {
        match (organizer, manage_token) {
            (Some(o), _) => Ok(Canceller::Organizer(o.clone())),
            (None, Some(token)) => Ok(Canceller::Attendee(token)),
            (None, None) => Err(AppError::unauthorized(
                "send the manage_token, or an organizer's bearer token",
            )),
        }
    }
}

fn authorize(
    conn: &mut DbConnection,
    registration_id: &str,
    who: &Canceller,
) -> Result<Registration, AppError> {
    let r = Registration::find(conn, registration_id)?
        .ok_or_else(|| AppError::not_found("registration"))?;
    match who {
        Canceller::Attendee(token) => {
            let given = secrets::token_hash(token);
            if !secrets::same(&given, &r.manage_token_hash) {
                return Err(AppError::forbidden(
                    "this manage token does not belong to this registration",
                ));
            }
        }
        Canceller::Organizer(o) => {
            access::stop_for(conn, o, &r.stop_id)
                .map_err(|_| AppError::not_found("registration"))?;
        }
    }
    Ok(r)
}

/// Cancels a registration, asked by an organizer who runs its stop or by the attendee with
/// their manage token; a freed place goes to the oldest waitlisted person at once.
pub async fn cancel(
    ctx: &Context,
    registration: &RegistrationId,
    organizer: Option<&Organizer>,
    manage_token: Option<String>,
) -> Result<Registration, AppError> {
    let who = Canceller::of(organizer, manage_token)?;
    let (env, registration) = (ctx.env.clone(), registration.clone());
    ctx.db
        .run(move |conn| cancel_in(conn, &env, &registration, who))
        .await
}

/// The attendee cancels from their manage link: the status it had (a waitlisted person held
/// no seat, and is told so).
pub async fn cancel_by_link(ctx: &Context, token: &str) -> Result<RegistrationStatus, AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db
        .run(move |conn| {
            let (r, _) = by_token_in(conn, &token)?;
            cancel_in(conn, &env, &r.id, Canceller::Attendee(token))?;
            Ok(r.status())
        })
        .await
}

#[tracing::instrument(skip(conn, env, who))]
fn cancel_in(
    conn: &mut DbConnection,
    env: &Env,
    registration_id: &str,
    who: Canceller,
) -> Result<Registration, AppError> {
    db::write_transaction(conn, |conn| {
        let r = authorize(conn, registration_id, &who)?;
        cancel_locked(conn, env, &r.stop_id, &r.id, true)
    })
}

/// A person checked in was in the room: their seat was used and the check-in counts.
fn checked_in_error() -> AppError {
    AppError::conflict(
        ErrorCode::CheckedIn,
        "this registration is checked in: it can no longer be cancelled",
    )
}

/// Cancels under a transaction the caller holds; takes the stop lock first.
fn cancel_locked(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    registration_id: &str,
    notify: bool,
) -> Result<Registration, AppError> {
    Counters::lock(conn, stop_id)?;
    let r = Registration::get(conn, registration_id)?;
    let ctx = StopContext::load(conn, stop_id)?;
    if r.status() == RegistrationStatus::Cancelled {
        return Ok(r);
    }
    if ctx.stop.status() == StopStatus::Done {
        return Err(AppError::conflict(
            ErrorCode::StopOver,
            "this stop is over: its registrations stay as they are",
        ));
    }
    if r.checked_in_at.is_some() {
        return Err(checked_in_error());
    }
    let now = db::now();
    let was = r.status();
    if !Registration::move_status(conn, &r.id, was, RegistrationStatus::Cancelled, now)? {
        // Door check-ins do not take the stop lock: one may have landed since the read.
        if Registration::get(conn, &r.id)?.checked_in_at.is_some() {
            return Err(checked_in_error());
        }
        return Err(AppError::unexpected_msg(
            "registration changed under the stop lock",
        ));
    }
    let mut delta = Counters {
        cancelled: 1,
        ..Counters::default()
    };
    match was {
        RegistrationStatus::Confirmed => {
            delta.confirmed = -1;
            if r.still_coming == Some(StillComing::Yes) {
                delta.still_coming_yes = -1;
            }
        }
        RegistrationStatus::Waitlisted => delta.waitlisted = -1,
        RegistrationStatus::Cancelled => {}
    }
    Counters::add(conn, &ctx.stop, delta)?;
    if notify {
        let mail = Mail::RegistrationCancelled {
            name: &r.name,
            stop: &ctx.mail(r.lang()),
            stop_url: &env.links.url(&format!("/stops/{}", ctx.stop.id)),
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, r.lang(), &r.email, &r.name).for_stop(&ctx.tour.id, &ctx.stop.id),
        )?;
    }
    if was == RegistrationStatus::Confirmed {
        promote(conn, env, &ctx)?;
    }
    Ok(Registration::get(conn, &r.id)?)
}

/// The registration behind a manage link, with its stop.
pub async fn by_token(ctx: &Context, token: &str) -> Result<(Registration, StopContext), AppError> {
    let token = token.to_owned();
    ctx.db.run(move |conn| by_token_in(conn, &token)).await
}

/// What the attendee's own page shows: the registration, its stop, its place in line and
/// the ticket's QR code.
pub struct OwnRegistration {
    pub registration: Registration,
    pub stop: StopContext,
    pub waitlist_position: Option<i64>,
    /// The QR code of the ticket, as SVG.
    pub qr: String,
}

/// The attendee's own page, reached with the manage link.
pub async fn own_registration(ctx: &Context, token: &str) -> Result<OwnRegistration, AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db
        .run(move |conn| {
            let (registration, stop) = by_token_in(conn, &token)?;
            let waitlist_position = super::waitlist_position(conn, &registration)?;
            let qr = crate::qr::svg(&stop.qr_data(&env, &registration.code));
            Ok(OwnRegistration {
                registration,
                stop,
                waitlist_position,
                qr,
            })
        })
        .await
}

/// The stop's calendar file for the attendee, from their manage link.
pub async fn calendar(ctx: &Context, token: &str) -> Result<String, AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db
        .run(move |conn| {
            let (_, sc) = by_token_in(conn, &token)?;
            Ok(sc.ics(&env).content)
        })
        .await
}

fn by_token_in(
    conn: &mut DbConnection,
    token: &str,
) -> Result<(Registration, StopContext), AppError> {
    let r = Registration::find_by_token_hash(conn, &secrets::token_hash(token))?
        .ok_or_else(|| AppError::not_found("registration"))?;
    let ctx = StopContext::load(conn, &r.stop_id)?;
    Ok((r, ctx))
}

/// The attendee asks for a new manage link (the old one leaked): the only thing that ever
/// changes a registration's link. The old link stops working; the new one is e-mailed to
/// the registration's address and answered (the browser that asked goes on to it).
pub async fn new_link(ctx: &Context, token: &str) -> Result<String, AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db
        .run(move |conn| new_link_in(conn, &env, &token))
        .await
}

#[tracing::instrument(skip_all)]
fn new_link_in(conn: &mut DbConnection, env: &Env, token: &str) -> Result<String, AppError> {
    db::write_transaction(conn, |conn| {
        let (r, ctx) = by_token_in(conn, token)?;
        let version = r.manage_link_version.max(0) + 1;
        let token = env.manage_links.token(&r.id, version);
        Registration::set_manage_link(conn, &r.id, version, &secrets::token_hash(&token))?;
        let lang = r.lang();
        let mail = Mail::RegistrationNewLink {
            name: &r.name,
            stop: &ctx.mail(lang),
            manage_url: &manage_url(env, &token),
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &r.email, &r.name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref()),
        )?;
        Ok(token)
    })
}

/// The attendee's answer to "still coming?": yes is counted; no frees the seat at once.
pub async fn still_coming(
    ctx: &Context,
    token: &str,
    coming: bool,
) -> Result<Registration, AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db
        .run(move |conn| still_coming_in(conn, &env, &token, coming))
        .await
}

fn still_coming_in(
    conn: &mut DbConnection,
    env: &Env,
    token: &str,
    coming: bool,
) -> Result<Registration, AppError> {
    db::write_transaction(conn, |conn| {
        let (r, ctx) = by_token_in(conn, token)?;
        if coming {
            Counters::lock(conn, &ctx.stop.id)?;
            let r = Registration::get(conn, &r.id)?;
            if r.status() == RegistrationStatus::Confirmed
                && Registration::set_still_coming(conn, &r.id, StillComing::Yes, db::now())?
            {
                Counters::add(
                    conn,
                    &ctx.stop,
                    Counters {
                        still_coming_yes: 1,
                        ..Counters::default()
                    },
                )?;
            }
            Ok(Registration::get(conn, &r.id)?)
        } else {
            Registration::set_still_coming(conn, &r.id, StillComing::No, db::now())?;
            cancel_locked(conn, env, &ctx.stop.id, &r.id, true)
        }
    })
}

/// The attendee removes their personal data: the registration is cancelled (unless the stop
/// is over) and what identifies them is erased; the stop's figures stay true.
pub async fn erase(ctx: &Context, token: &str) -> Result<(), AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db.run(move |conn| erase_in(conn, &env, &token)).await
}

fn erase_in(conn: &mut DbConnection, env: &Env, token: &str) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (r, ctx) = by_token_in(conn, token)?;
        // A checked-in registration stays (it counts as attended), like one of a done stop.
        if ctx.stop.status() != StopStatus::Done
            && r.status() != RegistrationStatus::Cancelled
            && r.checked_in_at.is_none()
        {
            cancel_locked(conn, env, &ctx.stop.id, &r.id, false)?;
        }
        Registration::erase_personal_data(conn, &r.id, db::now())?;
        // The link dies with the data, and no later e-mail brings it back.
        Registration::set_manage_link(
            conn,
            &r.id,
            NO_LINK,
            &secrets::token_hash(&secrets::new_token()),
        )?;
        Ok(())
    })
}
