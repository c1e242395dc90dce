//! Signing in: password checks with their backoff, and e-mailed one-time sign-in links.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::account::{
    FORGET_AFTER_HOURS, FREE_FAILURES, FREE_FAILURES_ANYWHERE, backoff_after,
};
use crate::email::{self, Email, Links, Mail};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::models::magic_link::{MagicLink, purpose};
use crate::models::organizer::Organizer;
use crate::models::sign_in_failure::{ANY_CLIENT, SignInFailure};
use crate::secrets;
use crate::services::context::Context;

/// The organizer with this e-mail and password. Unknown e-mails cost the same time as wrong
/// passwords, so sign-in does not reveal who has an account. After `FREE_FAILURES` failures
/// in a row for one address from one client (`client`: its address, see
/// `RateLimits::client_key`), that client is refused (429) for a doubling time, whatever the
/// password, on every instance; a success clears its count. Other clients, the owner among
/// them, are not locked out by a stranger's guesses, unless the address collects
/// `FREE_FAILURES_ANYWHERE` failures from everywhere; then the e-mailed sign-in link
/// (`request_sign_in_link`) still lets its owner in.
pub async fn authenticate(
    ctx: &Context,
    email: &str,
    password: &str,
    client: &str,
) -> Result<Organizer, AppError> {
    let (email, password, client) = (email.to_owned(), password.to_owned(), client.to_owned());
    ctx.db
        .run(move |conn| authenticate_in(conn, &email, &password, &client))
        .await
}

pub(super) fn authenticate_in(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    client: &str,
) -> Result<Organizer, AppError> {
    let email = email.trim().to_lowercase();
    let now = db::now();
    for key in [client, ANY_CLIENT] {
        if let Some(until) = SignInFailure::find(conn, &email, key)?.and_then(|f| f.locked_until)
            && until > now
        {
            return Err(locked(until - now));
        }
    }
    let found = Organizer::find_by_email(conn, &email)?;
    let organizer = match found {
        Some(o)
            if o.password_hash
                .as_deref()
                .is_some_and(|h| secrets::verify_password(password, h)) =>
        {
            Some(o)
        }
        Some(_) => None,
        None => {
            secrets::burn_password_check(password);
            None
        }
    };
    match organizer {
        Some(o) => {
            db::write_transaction(conn, |conn| SignInFailure::clear(conn, &email, client))?;
            Ok(o)
        }
        None => {
            let lock = db::write_transaction(conn, |conn| {
                let forget_before = now - Duration::hours(FORGET_AFTER_HOURS);
                let mut longest: Option<Duration> = None;
                for (key, free) in [
                    (client, FREE_FAILURES),
                    (ANY_CLIENT, FREE_FAILURES_ANYWHERE),
                ] {
                    let failures = SignInFailure::record(conn, &email, key, now, forget_before)?;
                    if let Some(lock) = backoff_after(failures, free) {
                        SignInFailure::lock(conn, &email, key, now + lock)?;
                        longest = longest.max(Some(lock));
                    }
                }
                Ok::<_, AppError>(longest)
            })?;
            Err(match lock {
                Some(lock) => locked(lock),
                None => bad_credentials(),
            })
        }
    }
}

fn locked(remaining: Duration) -> AppError {
    let secs = remaining.num_seconds().max(1) as u64;
    let mut e = AppError::too_many_requests(format!(
        "too many failed sign-ins for this address: try again in {secs} seconds, \
         or ask for a sign-in link by e-mail at /login/link"
    ))
    .retry_after(secs);
    e.code = ErrorCode::SignInLocked;
    e
}

fn bad_credentials() -> AppError {
    AppError::unauthorized("wrong e-mail address or password")
}

/// How long an organizer's e-mailed sign-in link works.
pub const SIGN_IN_LINK_MINUTES: i64 = 30;

/// E-mails an organizer a one-time sign-in link (the way in while their sign-in is locked
/// by someone else's guesses). Says nothing either way, like the reset form.
#[tracing::instrument(skip_all)]
pub fn request_sign_in_link(
    conn: &mut DbConnection,
    links: &Links,
    lang: Lang,
    email_address: &str,
) -> Result<(), AppError> {
    let address = email_address.trim().to_lowercase();
    db::write_transaction(conn, |conn| {
        let Some(organizer) = Organizer::find_by_email(conn, &address)? else {
            return Ok(());
        };
        if organizer.password_hash.is_none() {
            // Not set up yet: the invitation is their way in.
            return Ok(());
        }
        let token = MagicLink::create(
            conn,
            purpose::ORGANIZER_SIGN_IN,
            &organizer.email,
            Some(&organizer.id),
            Duration::minutes(SIGN_IN_LINK_MINUTES),
        )?;
        let mail = Mail::OrganizerSignIn {
            link: &links.url(&format!("/login/link/{token}")),
            minutes: SIGN_IN_LINK_MINUTES,
        };
        email::enqueue(
            conn,
            links,
            Email::new(mail, lang, &organizer.email, &organizer.name),
        )?;
        Ok(())
    })
}

/// Whether an organizer's sign-in link still works, without using it.
pub async fn sign_in_link_valid(ctx: &Context, token: &str) -> Result<bool, AppError> {
    link_unused(ctx, purpose::ORGANIZER_SIGN_IN, token).await
}

/// Whether a link of this purpose is unused and unexpired (looked at, not used).
pub(super) async fn link_unused(
    ctx: &Context,
    purpose: &'static str,
    token: &str,
) -> Result<bool, AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| Ok(MagicLink::peek(conn, purpose, &token)?.is_some()))
        .await
}

/// Uses a sign-in link: the organizer, once. Their failed sign-ins are forgotten: they
/// proved they hold the mailbox.
pub async fn sign_in_with_link(ctx: &Context, token: &str) -> Result<Organizer, AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| sign_in_with_link_in(conn, &token))
        .await
}

fn sign_in_with_link_in(conn: &mut DbConnection, token: &str) -> Result<Organizer, AppError> {
    db::write_transaction(conn, |conn| {
        let link = MagicLink::consume(conn, purpose::ORGANIZER_SIGN_IN, token)?
            .ok_or_else(|| AppError::not_found("sign-in link"))?;
        let id = link
            .subject_id
            .ok_or_else(|| AppError::not_found("sign-in link"))?;
        let organizer = Organizer::find(conn, &id)?;
        SignInFailure::clear_all(conn, &organizer.email)?;
        Ok(organizer)
    })
}
