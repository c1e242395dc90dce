//! Who may use a stop's check-in desk besides its organizers: helpers the organizers name,
//! who sign in with a link mailed to them and reach that desk and nothing else.
//!
//! The door itself (check-ins, walk-ins, search) is here; the helpers in `helpers.rs`.

use crate::db::DbConnection;
use crate::domain::ids::StopId;
use crate::error::{AppError, ErrorCode, ErrorKind};
use crate::i18n::Lang;
use crate::models::desk_helper::DeskHelper;
use crate::models::organizer::Organizer;
use crate::models::registration::{Registration, RegistrationFilter};
use crate::models::stop::Stop;
use crate::read::registrations::StopStats;
use crate::services::Env;
use crate::services::access;
use crate::services::caller::Caller;
use crate::services::context::Context;
use crate::services::registrations::{self, CheckIn, DoorStep, RegistrationInput};
use crate::services::stop_context::StopContext;

pub const PURPOSE: &str = "desk";

/// A desk link lasts at most this long (a helper whose link ran out asks for a new one from
/// the desk's sign-in page, or the organizers send one again).
pub const LINK_HOURS: i64 = 72;

mod helpers;

pub use helpers::*;

/// Still a helper of that stop (organizers can take the right back).
/// Lets in the stop's organizers and the helpers they named; anyone else is told to sign in
/// (401) or, signed in, that there is no such desk (404). The desk opens people's data, so
/// no claim of a public task lets anyone in: an organizer names each helper (`add_helper`).
fn authorize(conn: &mut DbConnection, caller: &Caller, stop_id: &str) -> Result<(), AppError> {
    if let Some(id) = &caller.organizer_id
        && let Ok(o) = Organizer::find(conn, id)
        && access::stop_for(conn, &o, stop_id).is_ok()
    {
        return Ok(());
    }
    for (s, email) in &caller.desk_grants {
        if s == stop_id && is_helper(conn, s, email)? {
            return Ok(());
        }
    }
    if caller.is_anyone() {
        Err(AppError::not_found("desk"))
    } else {
        Err(AppError::unauthorized("sign in first"))
    }
}

pub fn is_helper(
    conn: &mut DbConnection,
    stop_id: &str,
    email_address: &str,
) -> Result<bool, AppError> {
    Ok(DeskHelper::find(conn, stop_id, email_address)?.is_some())
}

/// How the door finds whom to check in: the code on their ticket (scanned or typed), or
/// their registration, found by name at the desk.
pub enum Scan {
    Code(String),
    Registration(crate::domain::ids::RegistrationId),
}

/// Who stands at the door: an organizer with an API token (the scanner apps), or a browser
/// on the desk page (the stop's organizers and the helpers they named).
enum Doorkeeper {
    Organizer(Organizer),
    Desk(Caller),
}

/// What the desk page shows of its stop besides the answer: the stop and its figures, read
/// after the check-in so they count it.
pub struct Desk {
    pub stop: StopContext,
    pub stats: StopStats,
}

fn desk_in(conn: &mut DbConnection, env: &Env, stop_id: &str) -> Result<Desk, AppError> {
    let stop = StopContext::load(conn, stop_id)?;
    let stats = registrations::stats_for(conn, env, &stop)?;
    Ok(Desk { stop, stats })
}

/// The desk page of a stop, for whom may work it: its figures, and the registrations found
/// by the search when one was typed.
pub async fn desk_page(
    ctx: &Context,
    caller: &Caller,
    stop: &StopId,
    query: &str,
) -> Result<(Desk, Option<Vec<Registration>>), AppError> {
    let (env, caller, stop) = (ctx.env.clone(), caller.clone(), stop.clone());
    let query = (!query.trim().is_empty()).then(|| query.to_owned());
    ctx.db
        .run(move |conn| {
            authorize(conn, &caller, &stop)?;
            let found = query.map(|q| search(conn, &stop, &q)).transpose()?;
            Ok((desk_in(conn, &env, &stop)?, found))
        })
        .await
}

/// A check-in by an organizer's scanner app. An organizer's token is checked in the same
/// query as the code, so a refusal is in the result like what the scan found (the API
/// answers both alike): the outer error is only a failure.
pub async fn check_in(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    scan: Scan,
) -> Result<Result<CheckIn, AppError>, AppError> {
    door(ctx, Doorkeeper::Organizer(organizer.clone()), stop, scan).await
}

/// A check-in at the desk page, with the desk as it stands after it. The outer error
/// refuses a browser that may not work this desk (its page shows nothing of the stop then);
/// the inner result is what the scan found.
pub async fn check_in_at_desk(
    ctx: &Context,
    caller: &Caller,
    stop: &StopId,
    scan: Scan,
) -> Result<(Result<CheckIn, AppError>, Desk), AppError> {
    let found = door(ctx, Doorkeeper::Desk(caller.clone()), stop, scan).await?;
    let (env, stop) = (ctx.env.clone(), stop.clone());
    let desk = ctx.db.run(move |conn| desk_in(conn, &env, &stop)).await?;
    Ok((found, desk))
}

/// A check-in, from a scanner or the desk page alike. Who may is decided first; repeats,
/// waitlisted and cancelled people are answered at once (read again under the stop's lock),
/// and a confirmed person's first check-in goes into one transaction with whoever is
/// scanned at the stop at the same moment (`registrations::check_in_batch`).
async fn door(
    ctx: &Context,
    who: Doorkeeper,
    stop: &StopId,
    scan: Scan,
) -> Result<Result<CheckIn, AppError>, AppError> {
    let stop_id = stop.clone();
    let step = ctx
        .db
        .run(move |conn| {
            if let Doorkeeper::Desk(caller) = &who {
                authorize(conn, caller, &stop_id)?;
            }
            Ok(start(conn, &who, &stop_id, &scan))
        })
        .await?;
    Ok(match step {
        Ok(DoorStep::Done(done)) => Ok(done),
        Ok(DoorStep::Confirm(r)) => ctx.door.submit(r.stop_id.clone(), r).await,
        Err(e) => Err(e),
    })
}

/// Reads the scan and answers what needs no batch (the caller's right is checked).
fn start(
    conn: &mut DbConnection,
    who: &Doorkeeper,
    stop_id: &str,
    scan: &Scan,
) -> Result<DoorStep, AppError> {
    match (who, scan) {
        // One query finds the code's registration with its stop and tour, and the right
        // to the stop is checked before anything is answered.
        (Doorkeeper::Organizer(o), Scan::Code(code)) => {
            registrations::check_in_start_for(conn, o, stop_id, code)
        }
        (Doorkeeper::Organizer(o), Scan::Registration(id)) => {
            access::stop_for(conn, o, stop_id)?;
            registrations::check_in_start_by_id(conn, stop_id, id)
        }
        (Doorkeeper::Desk(_), Scan::Code(code)) => {
            let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
            registrations::check_in_start(conn, &stop, code)
        }
        (Doorkeeper::Desk(_), Scan::Registration(id)) => {
            registrations::check_in_start_by_id(conn, stop_id, id)
        }
    }
}

/// Someone at the door without a registration, registered and checked in at once
/// (`registrations::walk_in`), by an organizer's app.
pub async fn walk_in(
    ctx: &Context,
    organizer: &Organizer,
    lang: Lang,
    stop: &StopId,
    input: RegistrationInput,
) -> Result<CheckIn, AppError> {
    let (env, who, stop) = (
        ctx.env.clone(),
        Doorkeeper::Organizer(organizer.clone()),
        stop.clone(),
    );
    ctx.db
        .run(move |conn| walk_in_in(conn, &env, &who, lang, &stop, &input))
        .await
}

/// A walk-in at the desk page, with the desk as it stands after it. The outer error is a
/// refusal (the browser may not work this desk) or a failure; the inner one is what the
/// desk shows: the form's field errors, or an address whose registration was cancelled.
pub async fn walk_in_at_desk(
    ctx: &Context,
    caller: &Caller,
    lang: Lang,
    stop: &StopId,
    input: RegistrationInput,
) -> Result<(Result<CheckIn, AppError>, Desk), AppError> {
    let (env, who, stop) = (
        ctx.env.clone(),
        Doorkeeper::Desk(caller.clone()),
        stop.clone(),
    );
    ctx.db
        .run(move |conn| {
            let done = match walk_in_in(conn, &env, &who, lang, &stop, &input) {
                Err(e)
                    if e.kind != ErrorKind::Validation
                        && e.code != ErrorCode::RegistrationCancelled =>
                {
                    return Err(e);
                }
                done => done,
            };
            Ok((done, desk_in(conn, &env, &stop)?))
        })
        .await
}

fn walk_in_in(
    conn: &mut DbConnection,
    env: &Env,
    who: &Doorkeeper,
    lang: Lang,
    stop_id: &str,
    input: &RegistrationInput,
) -> Result<CheckIn, AppError> {
    match who {
        Doorkeeper::Organizer(o) => {
            access::stop_for(conn, o, stop_id)?;
        }
        Doorkeeper::Desk(caller) => authorize(conn, caller, stop_id)?,
    }
    registrations::walk_in(conn, env, lang, stop_id, input)
}

/// The desk's search by name, code or address: the first 20 registrations of the stop that
/// match (the caller was let in at the desk).
fn search(
    conn: &mut DbConnection,
    stop_id: &str,
    query: &str,
) -> Result<Vec<Registration>, AppError> {
    let filter = RegistrationFilter {
        search: Some(query.to_owned()),
        ..Default::default()
    };
    Ok(Registration::list(conn, stop_id, &filter)?
        .into_iter()
        .take(20)
        .collect())
}
