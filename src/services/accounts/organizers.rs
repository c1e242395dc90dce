//! Organizer accounts and their passwords: adding them, signing in, invitations, resets.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::account::{
    FORGET_AFTER_HOURS, FREE_FAILURES, FREE_FAILURES_ANYWHERE, backoff_after, may_manage_organizers,
};
use crate::domain::text;
use crate::email::{self, Email, Links, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::api_token::ApiToken;
use crate::models::magic_link::{MagicLink, purpose};
use crate::models::organizer::{NewOrganizer, Organizer};
use crate::models::session::BrowserSession;
use crate::models::sign_in_failure::{ANY_CLIENT, SignInFailure};
use crate::secrets;
use crate::services::context::Context;

/// How long an invitation or setup link stays usable.
pub const INVITE_VALID_FOR_DAYS: i64 = 7;

/// Checked account details; the password is already hashed (argon2 runs outside any
/// transaction, as it is slow on purpose).
pub struct AccountInput {
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
}

pub fn check_account(
    email: &str,
    name: &str,
    password: Option<&str>,
) -> Result<AccountInput, AppError> {
    let mut v = Validator::new();
    let email = v.check("email", text::email(email));
    let name = v.check("name", text::optional_line(name, 200));
    if let Some(p) = password {
        v.check("password", secrets::check_password_strength(p));
    }
    v.finish()?;
    let password_hash = password.map(secrets::hash_password).transpose()?;
    Ok(AccountInput {
        email: email.unwrap_or_default(),
        name: name.unwrap_or_default(),
        password_hash,
    })
}

pub(super) fn insert_organizer(
    conn: &mut DbConnection,
    account: &AccountInput,
    is_admin: bool,
) -> Result<Organizer, AppError> {
    if Organizer::find_by_email(conn, &account.email)?.is_some() {
        return Err(AppError::invalid(
            "email",
            FieldCode::EmailTaken,
            "already has an account",
        ));
    }
    Ok(Organizer::insert(
        conn,
        &NewOrganizer {
            id: &db::new_id(),
            email: &account.email,
            name: &account.name,
            password_hash: account.password_hash.as_deref(),
            is_admin,
            created_at: db::now(),
        },
    )?)
}

/// Adds an organizer (command line, or a site admin in the browser).
pub fn add_organizer(
    conn: &mut DbConnection,
    account: AccountInput,
    is_admin: bool,
) -> Result<Organizer, AppError> {
    db::write_transaction(conn, |conn| {
        let organizer = insert_organizer(conn, &account, is_admin)?;
        MagicLink::revoke_all(conn, purpose::SETUP)?;
        Ok(organizer)
    })
}

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

/// What a new password ends (in the caller's transaction): every session and API token of
/// the account, and every other link that would set its password or sign it in. Whoever
/// held the old password, a copied cookie or a token is out.
fn password_changed(conn: &mut DbConnection, organizer: &Organizer) -> Result<(), AppError> {
    BrowserSession::delete_all_of(conn, &organizer.id, None)?;
    ApiToken::delete_all_of(conn, &organizer.id)?;
    MagicLink::revoke_for_subject(conn, &purpose::ORGANIZER_CREDENTIALS, &organizer.id)?;
    SignInFailure::clear_all(conn, &organizer.email)?;
    Ok(())
}

/// Changes the caller's password after checking the current one (argon2 runs outside the
/// transaction); then every session and token of the account ends, as after a reset.
pub async fn change_password(
    ctx: &Context,
    organizer: &Organizer,
    current: &str,
    new_password: &str,
) -> Result<Organizer, AppError> {
    let (organizer, current, new_password) = (
        organizer.clone(),
        current.to_owned(),
        new_password.to_owned(),
    );
    ctx.db
        .run(move |conn| change_password_in(conn, &organizer, &current, &new_password))
        .await
}

fn change_password_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    current: &str,
    new_password: &str,
) -> Result<Organizer, AppError> {
    let mut v = Validator::new();
    let current_ok = organizer
        .password_hash
        .as_deref()
        .is_some_and(|h| secrets::verify_password(current, h));
    if !current_ok {
        v.add(
            "current_password",
            FieldCode::WrongPassword,
            "is not your current password",
        );
    }
    v.check("password", secrets::check_password_strength(new_password));
    v.finish()?;
    let hash = secrets::hash_password(new_password)?;
    db::write_transaction(conn, |conn| {
        Organizer::set_password(conn, &organizer.id, &hash)?;
        password_changed(conn, organizer)?;
        Ok(Organizer::find(conn, &organizer.id)?)
    })
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
async fn link_unused(ctx: &Context, purpose: &'static str, token: &str) -> Result<bool, AppError> {
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

/// An invitation link for an organizer who has no password yet.
pub fn invite_link(conn: &mut DbConnection, organizer: &Organizer) -> Result<String, AppError> {
    Ok(MagicLink::create(
        conn,
        purpose::ORGANIZER_INVITE,
        &organizer.email,
        Some(&organizer.id),
        Duration::days(INVITE_VALID_FOR_DAYS),
    )?)
}

/// The organizer an unused invitation is for (404 once it is used or expired).
pub async fn invitation(ctx: &Context, token: &str) -> Result<Organizer, AppError> {
    let token = token.to_owned();
    ctx.db.run(move |conn| invitation_in(conn, &token)).await
}

fn invitation_in(conn: &mut DbConnection, token: &str) -> Result<Organizer, AppError> {
    let link = MagicLink::peek(conn, purpose::ORGANIZER_INVITE, token)?
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("invitation"))?;
    Ok(Organizer::find(conn, &id)?)
}

/// Sets name and password from an invitation; the link works once. The address is the
/// invited one, checked with the name and password like any account's (argon2 runs between
/// the two hops, outside any transaction).
pub async fn accept_invitation(
    ctx: &Context,
    token: &str,
    name: &str,
    password: &str,
) -> Result<Organizer, AppError> {
    let invited = invitation(ctx, token).await?;
    let account = check_account(&invited.email, name, Some(password))?;
    let token = token.to_owned();
    let hash = account.password_hash.unwrap_or_default();
    ctx.db
        .run(move |conn| accept_invitation_in(conn, &token, &account.name, &hash))
        .await
}

fn accept_invitation_in(
    conn: &mut DbConnection,
    token: &str,
    name: &str,
    password_hash: &str,
) -> Result<Organizer, AppError> {
    db::write_transaction(conn, |conn| {
        let link = MagicLink::consume(conn, purpose::ORGANIZER_INVITE, token)?
            .ok_or_else(|| AppError::not_found("invitation"))?;
        let id = link
            .subject_id
            .ok_or_else(|| AppError::not_found("invitation"))?;
        Organizer::set_password(conn, &id, password_hash)?;
        if !name.trim().is_empty() {
            Organizer::set_name(conn, &id, name.trim())?;
        }
        let organizer = Organizer::find(conn, &id)?;
        password_changed(conn, &organizer)?;
        Ok(organizer)
    })
}

/// A site admin adds an organizer, who is e-mailed an invitation to set a password (to
/// their mailbox only: the admin never sees the link). Only site admins may (403).
pub async fn add_invited_organizer(
    ctx: &Context,
    admin: &Organizer,
    lang: Lang,
    input: NewOrganizerInput,
) -> Result<Organizer, AppError> {
    admin_only(admin)?;
    let (links, admin) = (ctx.env.links.clone(), admin.clone());
    ctx.db
        .run(move |conn| {
            let account = check_account(&input.email, &input.name, None)?;
            add_invited_organizer_in(conn, &links, lang, &admin, account, input.is_admin)
        })
        .await
}

/// Every organizer account, for a site admin (403 for anyone else).
pub async fn organizers(ctx: &Context, admin: &Organizer) -> Result<Vec<Organizer>, AppError> {
    admin_only(admin)?;
    ctx.db.run(|conn| Ok(Organizer::list(conn)?)).await
}

fn admin_only(organizer: &Organizer) -> Result<(), AppError> {
    if may_manage_organizers(organizer.is_admin) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only site admins manage organizer accounts",
        ))
    }
}

/// A new organizer as a site admin types them in: the address, a name, whether they are an
/// admin too.
pub struct NewOrganizerInput {
    pub email: String,
    pub name: String,
    pub is_admin: bool,
}

fn add_invited_organizer_in(
    conn: &mut DbConnection,
    links: &Links,
    lang: Lang,
    admin: &Organizer,
    account: AccountInput,
    is_admin: bool,
) -> Result<Organizer, AppError> {
    db::write_transaction(conn, |conn| {
        let organizer = insert_organizer(conn, &account, is_admin)?;
        let token = invite_link(conn, &organizer)?;
        let mail = Mail::OrganizerInvite {
            inviter: admin.display_name(),
            tour: None,
            link: &links.url(&format!("/invite/{token}")),
        };
        email::enqueue(
            conn,
            links,
            Email::new(mail, lang, &organizer.email, &organizer.name),
        )?;
        Ok(organizer)
    })
}

/// Sends a password-reset link if the address belongs to an organizer; says nothing either
/// way, so the form does not reveal who has an account. The link works for the usual hours
/// of a mailed link (`rules.magic_link_hours`).
pub async fn request_password_reset(
    ctx: &Context,
    lang: Lang,
    email_address: &str,
) -> Result<(), AppError> {
    let (links, hours) = (ctx.env.links.clone(), ctx.settings.rules.magic_link_hours);
    let email_address = email_address.to_owned();
    ctx.db
        .run(move |conn| request_password_reset_in(conn, &links, lang, &email_address, hours))
        .await
}

#[tracing::instrument(skip_all)]
fn request_password_reset_in(
    conn: &mut DbConnection,
    links: &Links,
    lang: Lang,
    email_address: &str,
    hours: i64,
) -> Result<(), AppError> {
    let address = email_address.trim().to_lowercase();
    db::write_transaction(conn, |conn| {
        let Some(organizer) = Organizer::find_by_email(conn, &address)? else {
            return Ok(());
        };
        let token = MagicLink::create(
            conn,
            purpose::PASSWORD_RESET,
            &organizer.email,
            Some(&organizer.id),
            Duration::hours(hours),
        )?;
        let mail = Mail::PasswordReset {
            link: &links.url(&format!("/password/reset/{token}")),
            hours,
        };
        email::enqueue(
            conn,
            links,
            Email::new(mail, lang, &organizer.email, &organizer.name),
        )?;
        Ok(())
    })
}

/// Whether a reset link still works, without using it.
pub async fn password_reset_valid(ctx: &Context, token: &str) -> Result<bool, AppError> {
    link_unused(ctx, purpose::PASSWORD_RESET, token).await
}

/// Sets a new password with a reset link; the link works once, and only before it expires.
/// Every session, API token and other unused reset link of the account dies with it. A
/// weak password is refused (422 on `password`) before the link is looked at.
pub async fn reset_password(
    ctx: &Context,
    token: &str,
    password: &str,
) -> Result<Organizer, AppError> {
    let mut v = Validator::new();
    v.check("password", secrets::check_password_strength(password));
    v.finish()?;
    let hash = secrets::hash_password(password)?;
    let token = token.to_owned();
    ctx.db
        .run(move |conn| reset_password_in(conn, &token, &hash))
        .await
}

/// `reset_password` on a connection, with the password already hashed (the tests' way).
pub fn reset_password_in(
    conn: &mut DbConnection,
    token: &str,
    password_hash: &str,
) -> Result<Organizer, AppError> {
    db::write_transaction(conn, |conn| {
        let link = MagicLink::consume(conn, purpose::PASSWORD_RESET, token)?
            .ok_or_else(|| AppError::not_found("reset link"))?;
        let id = link
            .subject_id
            .ok_or_else(|| AppError::not_found("reset link"))?;
        Organizer::set_password(conn, &id, password_hash)?;
        let organizer = Organizer::find(conn, &id)?;
        password_changed(conn, &organizer)?;
        Ok(organizer)
    })
}
