//! A stop that is cancelled or moved to another time: everyone concerned (confirmed and
//! waitlisted attendees, the speakers of its agenda, the volunteers with a claim) is told,
//! once per address, in their own language, with a calendar file that updates or cancels
//! the entry they already have (same UID, higher SEQUENCE).

use chrono::NaiveDateTime;

use crate::calendar::Method;
use crate::db::DbConnection;
use crate::domain::ids::StopId;
use crate::domain::stop::{self as stop_rules, StopStatus};
use crate::email::{self, Email, Mail, Rendered};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::models::registration::Registration;
use crate::models::stop::StopDetail;
use crate::models::task::Claim;
use crate::models::tour::Tour;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access, registrations};

pub use crate::domain::stop::{Affected, moves_people};

/// The longest message an organizer may add (checked where the change is saved).
pub const MESSAGE_MAX: usize = 2000;

/// Someone to tell: an attendee (with their registration, for their manage link), a speaker
/// or a volunteer.
pub struct Recipient {
    pub email: String,
    pub name: String,
    pub lang: Lang,
    pub registration: Option<Registration>,
}

/// Everyone concerned by the stop, one per address (attendees first, so that someone who
/// is also a speaker gets their manage link), and the counts per group.
pub fn recipients(
    conn: &mut DbConnection,
    stop_id: &str,
) -> Result<(Vec<Recipient>, Affected), AppError> {
    let mut out: Vec<Recipient> = Vec::new();
    let mut affected = Affected::default();
    let mut seen = std::collections::HashSet::new();
    let mut add = |out: &mut Vec<Recipient>, r: Recipient| {
        if seen.insert(r.email.trim().to_lowercase()) {
            out.push(r);
        }
    };
    for r in registrations::concerned(conn, stop_id)? {
        match r.status() {
            crate::domain::attendance::RegistrationStatus::Confirmed => affected.confirmed += 1,
            _ => affected.waitlisted += 1,
        }
        add(
            &mut out,
            Recipient {
                email: r.email.clone(),
                name: r.name.clone(),
                lang: r.lang(),
                registration: Some(r),
            },
        );
    }
    let mut speakers = std::collections::HashSet::new();
    // Those asked to speak who have not accepted yet are told too: they may be planning to
    // come (the e-mail names nobody else).
    for s in crate::services::agenda::entries(conn, stop_id)?
        .into_iter()
        .filter_map(|e| e.talk)
        .flat_map(|t| t.speakers.into_iter().chain(t.pending))
    {
        if speakers.insert(s.email.trim().to_lowercase()) {
            affected.speakers += 1;
        }
        add(
            &mut out,
            Recipient {
                lang: s.lang(),
                email: s.email,
                name: s.name,
                registration: None,
            },
        );
    }
    let mut volunteers = std::collections::HashSet::new();
    for (_, _, v) in Claim::at_stop(conn, stop_id)? {
        if volunteers.insert(v.email.trim().to_lowercase()) {
            affected.volunteers += 1;
        }
        add(
            &mut out,
            Recipient {
                lang: v.lang(),
                email: v.email.clone(),
                name: v.name.clone(),
                registration: None,
            },
        );
    }
    affected.people = out.len();
    Ok((out, affected))
}

/// What the e-mail tells.
enum Change<'a> {
    Cancelled,
    Moved { old_when: &'a str },
}

/// The e-mail to one recipient (`manage_url`: an attendee's own page).
fn mail_to(
    change: &Change,
    ctx: &StopContext,
    env: &Env,
    to: &Recipient,
    message: &str,
    manage_url: Option<&str>,
) -> Email {
    let stop_url = env.links.url(&format!("/stops/{}", ctx.stop.id));
    let stop = &ctx.mail(to.lang);
    let mail = match *change {
        Change::Cancelled => Mail::StopCancelled {
            name: &to.name,
            stop,
            message,
            stop_url: &stop_url,
            manage_url,
        },
        Change::Moved { old_when } => Mail::StopMoved {
            name: &to.name,
            stop,
            old_when,
            message,
            stop_url: &stop_url,
            manage_url,
        },
    };
    Email::new(mail, to.lang, &to.email, &to.name)
}

/// Queues one e-mail per recipient, with the stop as it now is; returns how many.
fn tell(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    message: &str,
    old: Option<(NaiveDateTime, NaiveDateTime)>,
) -> Result<usize, AppError> {
    let ctx = StopContext::load(conn, stop_id)?;
    let (people, _) = recipients(conn, stop_id)?;
    let method = if old.is_some() {
        Method::Request
    } else {
        Method::Cancel
    };
    for to in &people {
        let manage_url = match &to.registration {
            Some(r) => registrations::manage_link(conn, env, r)?,
            None => None,
        };
        let old_when = old.map(|(s, e)| crate::format::time_range(to.lang, s, e, ctx.stop.tz()));
        let change = match &old_when {
            Some(old_when) => Change::Moved { old_when },
            None => Change::Cancelled,
        };
        email::enqueue(
            conn,
            &env.links,
            mail_to(&change, &ctx, env, to, message, manage_url.as_deref())
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref())
                .attach(ctx.calendar(env, method)),
        )?;
    }
    Ok(people.len())
}

/// Inside the transaction that cancelled the stop (its SEQUENCE already raised).
pub(crate) fn tell_cancelled(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    message: &str,
) -> Result<usize, AppError> {
    tell(conn, env, stop_id, message, None)
}

/// Inside the transaction that moved the stop from `old` (its SEQUENCE already raised).
pub(crate) fn tell_moved(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    old: (NaiveDateTime, NaiveDateTime),
    message: &str,
) -> Result<usize, AppError> {
    tell(conn, env, stop_id, message, Some(old))
}

/// What the organizer sees before cancelling: who is concerned, and the e-mail as the
/// first of them would get it.
pub struct CancelPreview {
    pub detail: StopDetail,
    pub tour: Tour,
    pub affected: Affected,
    pub message: String,
    /// The first recipient's name (or the organizer's, when nobody is concerned) and the
    /// e-mail as they will get it.
    pub sample: (String, Rendered),
}

/// What cancelling the stop would do: who is concerned and the e-mail they would get.
pub async fn cancel_preview(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    message: String,
    lang: Lang,
) -> Result<CancelPreview, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| cancel_preview_in(conn, &env, &organizer, &stop, &message, lang))
        .await
}

fn cancel_preview_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    message: &str,
    lang: Lang,
) -> Result<CancelPreview, AppError> {
    let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
    if !stop_rules::can_move(stop.status(), StopStatus::Cancelled)
        || stop.status() == StopStatus::Cancelled
    {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            "this stop cannot be cancelled",
        ));
    }
    // Shown as typed even when too long: the error says so when it is sent.
    let shown = message.trim().to_owned();
    let ctx = StopContext::load(conn, &stop.id)?;
    let (people, affected) = recipients(conn, &stop.id)?;
    let example = Recipient {
        email: organizer.email.clone(),
        name: organizer.display_name().to_owned(),
        lang,
        registration: None,
    };
    let to = people.first().unwrap_or(&example);
    let manage_url = to.registration.as_ref().map(|_| env.links.url("/r/…"));
    let sample = mail_to(
        &Change::Cancelled,
        &ctx,
        env,
        to,
        &shown,
        manage_url.as_deref(),
    )
    .content;
    Ok(CancelPreview {
        detail: crate::models::stop::Stop::detail(conn, stop)?,
        tour,
        affected,
        message: shown,
        sample: (to.name.clone(), sample),
    })
}

/// Before a new time is saved from the web form: the people it concerns, or None when
/// nobody is told (a draft, a stop that is over, or times that do not move).
pub async fn move_preview(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
) -> Result<Option<Affected>, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| move_preview_in(conn, &organizer, &stop, starts_at, ends_at))
        .await
}

fn move_preview_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
) -> Result<Option<Affected>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let new = (
        starts_at.unwrap_or(stop.starts_at),
        ends_at.unwrap_or(stop.ends_at),
    );
    if !moves_people(stop.status(), (stop.starts_at, stop.ends_at), new) {
        return Ok(None);
    }
    Ok(Some(recipients(conn, &stop.id)?.1))
}
