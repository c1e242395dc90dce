//! The desk helpers: named by the organizers, signed in by a link mailed to them, and the
//! stops whose desk each may use.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, Validator};
use crate::i18n::Lang;
use crate::models::desk_helper::DeskHelper;
use crate::models::magic_link::MagicLink;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::services::Env;
use crate::services::access;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;

pub const PURPOSE: &str = "desk";

/// A desk link lasts at most this long (a helper whose link ran out asks for a new one from
/// the desk's sign-in page, or the organizers send one again).
pub const LINK_HOURS: i64 = 72;

use super::is_helper;

/// How long a desk link made now lasts: until the stop ends, at most `LINK_HOURS`, at least
/// an hour (a helper named during the stop gets in).
fn link_lifetime(stop: &Stop) -> Duration {
    (stop.ends_at - db::now()).clamp(Duration::hours(1), Duration::hours(LINK_HOURS))
}

/// Mails a helper their link to the stop's desk (under the caller's transaction).
fn mail_link(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    stop: &Stop,
    address: &str,
    name: &str,
) -> Result<(), AppError> {
    let valid_for = link_lifetime(stop);
    let token = MagicLink::create(conn, PURPOSE, address, Some(&stop.id), valid_for)?;
    let ctx = StopContext::load(conn, &stop.id)?;
    let mail = Mail::DeskAccess {
        name: if name.is_empty() { address } else { name },
        stop: &ctx.mail(lang),
        link: &env.links.url(&format!("/desk/enter/{token}")),
        valid_for,
        until: &crate::format::moment(lang, db::now() + valid_for, stop.tz()),
        fresh_link_page: &env.links.url(&format!("/desk/{}/login", stop.id)),
    };
    email::enqueue(
        conn,
        &env.links,
        Email::new(mail, lang, address, name).for_stop(&ctx.tour.id, &stop.id),
    )?;
    Ok(())
}

/// Names a helper and mails them their link (see `link_lifetime`). Naming one again sends
/// a fresh link.
pub async fn add_helper(
    ctx: &Context,
    lang: Lang,
    organizer: &Organizer,
    stop: &StopId,
    email_address: &str,
    name: &str,
) -> Result<(), AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    let (email_address, name) = (email_address.to_owned(), name.to_owned());
    ctx.db
        .run(move |conn| add_helper_in(conn, &env, lang, &organizer, &stop, &email_address, &name))
        .await
}

/// `add_helper` inside a transaction of its own or another use case's (a volunteer who
/// claims the desk becomes a helper).
pub fn add_helper_in(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    organizer: &Organizer,
    stop_id: &str,
    email_address: &str,
    name: &str,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    let address = v.check("email", text::email(email_address));
    let name = v.check("name", text::optional_line(name, 200));
    v.finish()?;
    let (address, name) = (address.unwrap_or_default(), name.unwrap_or_default());
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        DeskHelper::add(conn, &stop.id, &address, &name, &organizer.id)?;
        mail_link(conn, env, lang, &stop, &address, &name)
    })
}

/// A helper asks for a fresh link from the desk's sign-in page: mailed only to a helper's
/// address, and nothing is said either way. Answers the stop, for the page saying so.
pub async fn request_link(
    ctx: &Context,
    lang: Lang,
    stop: &StopId,
    email_address: &str,
) -> Result<StopContext, AppError> {
    let (env, stop, address) = (ctx.env.clone(), stop.clone(), email_address.to_owned());
    ctx.db
        .run(move |conn| {
            request_link_in(conn, &env, lang, &stop, &address)?;
            sign_in_stop_in(conn, &stop)
        })
        .await
}

fn request_link_in(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    stop_id: &str,
    email_address: &str,
) -> Result<(), AppError> {
    let Ok(address) = text::email(email_address) else {
        return Ok(());
    };
    db::write_transaction(conn, |conn| {
        let sc = sign_in_stop_in(conn, stop_id)?;
        if matches!(sc.stop.status(), StopStatus::Done | StopStatus::Cancelled) {
            return Ok(());
        }
        let Some(helper) = DeskHelper::find(conn, &sc.stop.id, &address)? else {
            return Ok(());
        };
        mail_link(conn, env, lang, &sc.stop, &address, &helper.name)
    })
}

/// A helper whose link was used or expired asks for new ones, by address only: a fresh link
/// to each desk of a stop still to come that they help at. Nothing is said either way.
pub async fn request_links(ctx: &Context, lang: Lang, email_address: &str) -> Result<(), AppError> {
    let (env, address) = (ctx.env.clone(), email_address.to_owned());
    ctx.db
        .run(move |conn| request_links_in(conn, &env, lang, &address))
        .await
}

fn request_links_in(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    email_address: &str,
) -> Result<(), AppError> {
    let Ok(address) = text::email(email_address) else {
        return Ok(());
    };
    db::write_transaction(conn, |conn| {
        for DeskHelper { stop_id, name, .. } in DeskHelper::of_address(conn, &address)? {
            let Ok(sc) = sign_in_stop_in(conn, &stop_id) else {
                continue;
            };
            if matches!(sc.stop.status(), StopStatus::Done | StopStatus::Cancelled) {
                continue;
            }
            mail_link(conn, env, lang, &sc.stop, &address, &name)?;
        }
        Ok(())
    })
}

/// The stop a desk sign-in page is for: public stops only (the page names it).
pub async fn sign_in_stop(ctx: &Context, stop: &StopId) -> Result<StopContext, AppError> {
    let stop = stop.clone();
    ctx.db.run(move |conn| sign_in_stop_in(conn, &stop)).await
}

fn sign_in_stop_in(conn: &mut DbConnection, stop_id: &str) -> Result<StopContext, AppError> {
    let sc = StopContext::load(conn, stop_id)?;
    if !sc.tour.is_public() || !sc.stop.status().is_public() {
        return Err(AppError::not_found("stop"));
    }
    Ok(sc)
}

/// A desk link that is still good, without using it: the stop it opens.
pub async fn peek(ctx: &Context, token: &str) -> Result<StopContext, AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| {
            let (stop_id, _) = peek_in(conn, &token)?;
            StopContext::load(conn, &stop_id)
        })
        .await
}

/// A desk link that is still good, without using it: its stop and helper.
fn peek_in(conn: &mut DbConnection, token: &str) -> Result<(String, String), AppError> {
    let link =
        MagicLink::peek(conn, PURPOSE, token)?.ok_or_else(|| AppError::not_found("desk link"))?;
    let stop_id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("desk link"))?;
    if !is_helper(conn, &stop_id, &link.email)? {
        return Err(AppError::not_found("desk link"));
    }
    Ok((stop_id, link.email))
}

/// Takes a helper's desk access back.
pub async fn remove_helper(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    email_address: &str,
) -> Result<(), AppError> {
    let (organizer, stop, email_address) =
        (organizer.clone(), stop.clone(), email_address.to_owned());
    ctx.db
        .run(move |conn| remove_helper_in(conn, &organizer, &stop, &email_address))
        .await
}

pub fn remove_helper_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    email_address: &str,
) -> Result<(), AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Ok(DeskHelper::remove(
        conn,
        &stop.id,
        &email_address.trim().to_lowercase(),
    )?)
}

pub fn helpers(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<Vec<DeskHelper>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    Ok(DeskHelper::of_stop(conn, &stop.id)?)
}

/// The stops whose desk this address may use.
pub fn stops_of_helper(
    conn: &mut DbConnection,
    email_address: &str,
) -> Result<Vec<String>, AppError> {
    Ok(DeskHelper::of_address(conn, email_address)?
        .into_iter()
        .map(|h| h.stop_id)
        .collect())
}

/// The addresses of a stop's helpers.
pub fn helper_emails(conn: &mut DbConnection, stop_id: &str) -> Result<Vec<String>, AppError> {
    Ok(DeskHelper::of_stop(conn, stop_id)?
        .into_iter()
        .map(|h| h.email)
        .collect())
}

/// Uses a desk link: the stop and the helper's address (single use).
pub async fn enter(ctx: &Context, token: &str) -> Result<(String, String), AppError> {
    let token = token.to_owned();
    ctx.db.run(move |conn| enter_in(conn, &token)).await
}

fn enter_in(conn: &mut DbConnection, token: &str) -> Result<(String, String), AppError> {
    let link = MagicLink::consume(conn, PURPOSE, token)?
        .ok_or_else(|| AppError::not_found("desk link"))?;
    let stop_id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("desk link"))?;
    if !is_helper(conn, &stop_id, &link.email)? {
        return Err(AppError::not_found("desk link"));
    }
    Ok((stop_id, link.email))
}
