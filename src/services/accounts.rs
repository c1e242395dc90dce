//! Organizer accounts: the first admin, sign-in, API tokens, invitations.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Instant;

use chrono::Duration;

use crate::cache;
use crate::db::{self, Db, DbConnection};
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

/// A setup link for the first organizer, if nobody has an account yet.
pub fn setup_link_if_empty(conn: &mut DbConnection) -> Result<Option<String>, AppError> {
    if Organizer::count(conn)? > 0 {
        return Ok(None);
    }
    Ok(Some(MagicLink::create(
        conn,
        purpose::SETUP,
        "",
        None,
        Duration::days(INVITE_VALID_FOR_DAYS),
    )?))
}

pub fn setup_link_valid(conn: &mut DbConnection, token: &str) -> Result<bool, AppError> {
    Ok(MagicLink::peek(conn, purpose::SETUP, token)?.is_some() && Organizer::count(conn)? == 0)
}

/// Creates the first organizer (a site admin) with a setup link; works once.
#[tracing::instrument(skip_all)]
pub fn complete_setup(
    conn: &mut DbConnection,
    token: &str,
    account: AccountInput,
) -> Result<Organizer, AppError> {
    db::write_transaction(conn, |conn| {
        if Organizer::count(conn)? > 0 || MagicLink::consume(conn, purpose::SETUP, token)?.is_none()
        {
            return Err(AppError::not_found("setup link"));
        }
        MagicLink::revoke_all(conn, purpose::SETUP)?;
        insert_organizer(conn, &account, true)
    })
}

fn insert_organizer(
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

/// Failed sign-ins of one address from one client allowed before the backoff starts.
const FREE_FAILURES: i32 = 5;
/// Failed sign-ins of one address from all clients together before every client waits: a
/// guard against guessing from many addresses, set high so that nobody locks an organizer
/// out by accident. While locked, the owner still gets in with an e-mailed sign-in link.
const FREE_FAILURES_ANYWHERE: i32 = 50;
/// The first lock; it doubles with each further failure, up to `MAX_LOCK`.
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK_SECS: i64 = 15 * 60;
/// Failures older than this are forgotten.
const FORGET_AFTER_HOURS: i64 = 1;

/// How long sign-in stays locked after the `failures`-th failure in a row, when `free`
/// failures are allowed.
pub fn backoff_after(failures: i32, free: i32) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(16) as u32;
    Some(Duration::seconds(
        (FIRST_LOCK_SECS << doublings).min(MAX_LOCK_SECS),
    ))
}

/// The organizer with this e-mail and password. Unknown e-mails cost the same time as wrong
/// passwords, so sign-in does not reveal who has an account. After `FREE_FAILURES` failures
/// in a row for one address from one client (`client`: its address, see
/// `RateLimits::client_key`), that client is refused (429) for a doubling time, whatever the
/// password, on every instance; a success clears its count. Other clients, the owner among
/// them, are not locked out by a stranger's guesses, unless the address collects
/// `FREE_FAILURES_ANYWHERE` failures from everywhere; then the e-mailed sign-in link
/// (`request_sign_in_link`) still lets its owner in.
pub fn authenticate(
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

/// Longest lifetime a token may be given, in days (longer: no expiry at all).
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// A new API token (its only plain-text copy, and its row). `expires_in_days` None: it
/// works until revoked or the password is reset.
pub fn create_api_token(
    conn: &mut DbConnection,
    organizer: &Organizer,
    label: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, ApiToken), AppError> {
    let mut v = Validator::new();
    let label = v
        .check("label", text::optional_line(label, 100))
        .unwrap_or_default();
    if let Some(days) = expires_in_days
        && !(1..=MAX_TOKEN_DAYS).contains(&days)
    {
        v.check::<()>(
            "expires_in_days",
            Err(text::out_of_range("1", &text::grouped(MAX_TOKEN_DAYS))),
        );
    }
    v.finish()?;
    let label = if label.is_empty() {
        "API".into()
    } else {
        label
    };
    let expires_at = expires_in_days.map(|d| db::now() + Duration::days(d));
    Ok(ApiToken::create(conn, &organizer.id, &label, expires_at)?)
}

pub fn organizer_for_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<(Organizer, Option<chrono::NaiveDateTime>)>, AppError> {
    Ok(ApiToken::organizer_for(conn, token)?)
}

/// The caller's API tokens that still work.
pub fn api_tokens(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<Vec<ApiToken>, AppError> {
    Ok(ApiToken::list_for(conn, &organizer.id)?)
}

/// Revokes one of the caller's API tokens (404 for anyone else's).
pub fn revoke_api_token(
    conn: &mut DbConnection,
    organizer: &Organizer,
    token_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        if ApiToken::delete_of(conn, &organizer.id, token_id)? == 0 {
            return Err(AppError::not_found("API token"));
        }
        Ok(())
    })
}

/// The caller's signed-in browsers.
pub fn sessions(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<Vec<BrowserSession>, AppError> {
    Ok(BrowserSession::list_for(conn, &organizer.id)?)
}

/// Signs one of the caller's browsers out (404 for anyone else's).
pub fn revoke_session(
    conn: &mut DbConnection,
    organizer: &Organizer,
    session_id: &str,
) -> Result<(), AppError> {
    if BrowserSession::delete_of(conn, &organizer.id, session_id)? == 0 {
        return Err(AppError::not_found("session"));
    }
    Ok(())
}

/// Signs the caller out on every browser, this one too.
pub fn sign_out_everywhere(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<usize, AppError> {
    Ok(BrowserSession::delete_all_of(conn, &organizer.id, None)?)
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
pub fn change_password(
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

pub fn sign_in_link_valid(conn: &mut DbConnection, token: &str) -> Result<bool, AppError> {
    Ok(MagicLink::peek(conn, purpose::ORGANIZER_SIGN_IN, token)?.is_some())
}

/// Uses a sign-in link: the organizer, once. Their failed sign-ins are forgotten: they
/// proved they hold the mailbox.
pub fn sign_in_with_link(conn: &mut DbConnection, token: &str) -> Result<Organizer, AppError> {
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

/// How long an organizer found by an API token is remembered at most.
const CALLER_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Bound on remembered tokens (all are forgotten when it is reached).
const MAX_CALLERS: usize = 10_000;

/// Organizers found by their API tokens, remembered for a minute: a desk sends its token with
/// every scan, and looking it up cost a database round trip (and a thread hop) per check-in.
/// Any change of an organizer or a token bumps the `auth` key (`cache::Change::Auth`), which
/// forgets them all at once here and on the other instances within a poll. Kept by the
/// token's hash; unknown tokens are not remembered.
struct Remembered {
    organizer: Organizer,
    generation: u64,
    at: Instant,
    expires_at: Option<chrono::NaiveDateTime>,
}

pub struct ApiCallers {
    db: Db,
    /// Whose `auth` key says when remembered callers are stale.
    pages: std::sync::Arc<crate::cache::PageCache>,
    known: RwLock<HashMap<String, Remembered>>,
}

impl ApiCallers {
    pub fn new(db: Db, pages: std::sync::Arc<crate::cache::PageCache>) -> Self {
        ApiCallers {
            db,
            pages,
            known: RwLock::default(),
        }
    }

    /// The organizer the token belongs to, if any.
    pub async fn organizer(&self, token: String) -> Result<Option<Organizer>, AppError> {
        let hash = secrets::token_hash(&token);
        // Read before the lookup: a change committed meanwhile makes the entry stale at once.
        let generation = self.pages.generation(cache::keys::AUTH);
        if let Some(organizer) = self.known.read().ok().and_then(|k| {
            k.get(&hash)
                .filter(|r| {
                    r.generation == generation
                        && r.at.elapsed() < CALLER_TTL
                        && r.expires_at.is_none_or(|t| t > db::now())
                })
                .map(|r| r.organizer.clone())
        }) {
            return Ok(Some(organizer));
        }
        let found = self
            .db
            .run(move |conn| organizer_for_token(conn, &token))
            .await?;
        if let (Some((organizer, expires_at)), Ok(mut known)) = (&found, self.known.write()) {
            if known.len() >= MAX_CALLERS {
                known.clear();
            }
            known.insert(
                hash,
                Remembered {
                    organizer: organizer.clone(),
                    generation,
                    at: Instant::now(),
                    expires_at: *expires_at,
                },
            );
        }
        Ok(found.map(|(o, _)| o))
    }
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

pub fn invitation(conn: &mut DbConnection, token: &str) -> Result<Organizer, AppError> {
    let link = MagicLink::peek(conn, purpose::ORGANIZER_INVITE, token)?
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("invitation"))?;
    Ok(Organizer::find(conn, &id)?)
}

/// Sets name and password from an invitation; the link works once.
pub fn accept_invitation(
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
/// their mailbox only: the admin never sees the link).
pub fn add_invited_organizer(
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
/// way, so the form does not reveal who has an account.
#[tracing::instrument(skip_all)]
pub fn request_password_reset(
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

pub fn password_reset_valid(conn: &mut DbConnection, token: &str) -> Result<bool, AppError> {
    Ok(MagicLink::peek(conn, purpose::PASSWORD_RESET, token)?.is_some())
}

/// Sets a new password with a reset link; the link works once, and only before it expires.
/// Every session, API token and other unused reset link of the account dies with it.
pub fn reset_password(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_after_free_failures_and_doubles_up_to_a_cap() {
        let f = FREE_FAILURES;
        assert_eq!(backoff_after(f - 1, f), None);
        assert_eq!(backoff_after(f, f), Some(Duration::seconds(30)));
        assert_eq!(backoff_after(f + 1, f), Some(Duration::seconds(60)));
        assert_eq!(backoff_after(f + 2, f), Some(Duration::seconds(120)));
        assert_eq!(
            backoff_after(1000, f),
            Some(Duration::seconds(MAX_LOCK_SECS))
        );
        assert_eq!(
            backoff_after(FREE_FAILURES_ANYWHERE - 1, FREE_FAILURES_ANYWHERE),
            None
        );
    }
}
