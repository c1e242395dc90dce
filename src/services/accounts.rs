//! Organizer accounts: the first admin, sign-in, API tokens, invitations.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::text;
use crate::email::{self, Email, Links, templates};
use crate::error::{AppError, Validator};
use crate::i18n::Lang;
use crate::models::api_token::ApiToken;
use crate::models::magic_link::{MagicLink, purpose};
use crate::models::organizer::{NewOrganizer, Organizer};
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
    let name = v.check("name", text::optional(name, 200));
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
            "email_taken",
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
/// passwords, so sign-in does not reveal who has an account.
pub fn authenticate(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
) -> Result<Organizer, AppError> {
    let email = email.trim().to_lowercase();
    let found = Organizer::find_by_email(conn, &email)?;
    match found {
        Some(o)
            if o.password_hash
                .as_deref()
                .is_some_and(|h| secrets::verify_password(password, h)) =>
        {
            Ok(o)
        }
        Some(_) => Err(bad_credentials()),
        None => {
            secrets::burn_password_check(password);
            Err(bad_credentials())
        }
    }
}

fn bad_credentials() -> AppError {
    AppError::unauthorized("wrong e-mail address or password")
}

pub fn create_api_token(
    conn: &mut DbConnection,
    organizer: &Organizer,
    label: &str,
) -> Result<String, AppError> {
    Ok(ApiToken::create(conn, &organizer.id, label)?)
}

pub fn organizer_for_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<Organizer>, AppError> {
    Ok(ApiToken::organizer_for(conn, token)?)
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
        Ok(Organizer::find(conn, &id)?)
    })
}

/// A site admin adds an organizer, who is e-mailed an invitation to set a password.
pub fn add_invited_organizer(
    conn: &mut DbConnection,
    links: &Links,
    lang: Lang,
    admin: &Organizer,
    account: AccountInput,
    is_admin: bool,
) -> Result<String, AppError> {
    db::write_transaction(conn, |conn| {
        let organizer = insert_organizer(conn, &account, is_admin)?;
        let token = invite_link(conn, &organizer)?;
        let content = templates::organizer_invite(
            lang,
            admin.display_name(),
            None,
            &links.url(&format!("/invite/{token}")),
        );
        email::enqueue(
            conn,
            links,
            Email::new(
                "organizer_invite",
                &organizer.email,
                &organizer.name,
                content,
            ),
        )?;
        Ok(token)
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
        let content =
            templates::password_reset(lang, &links.url(&format!("/password/reset/{token}")), hours);
        email::enqueue(
            conn,
            links,
            Email::new("password_reset", &organizer.email, &organizer.name, content),
        )?;
        Ok(())
    })
}

pub fn password_reset_valid(conn: &mut DbConnection, token: &str) -> Result<bool, AppError> {
    Ok(MagicLink::peek(conn, purpose::PASSWORD_RESET, token)?.is_some())
}

/// Sets a new password with a reset link; the link works once, and only before it expires.
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
        Ok(Organizer::find(conn, &id)?)
    })
}
