//! Passwords: changing one, and resetting a forgotten one by an e-mailed link. A new
//! password ends every session, token and credential link of the account.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::email::{self, Email, Links, Mail};
use crate::error::{AppError, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::api_token::ApiToken;
use crate::models::magic_link::{MagicLink, purpose};
use crate::models::organizer::Organizer;
use crate::models::session::BrowserSession;
use crate::models::sign_in_failure::SignInFailure;
use crate::secrets;
use crate::services::context::Context;

use super::sign_in::link_unused;

/// What a new password ends (in the caller's transaction): every session and API token of
/// the account, and every other link that would set its password or sign it in. Whoever
/// held the old password, a copied cookie or a token is out.
pub(super) fn password_changed(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<(), AppError> {
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
