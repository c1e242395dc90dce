//! Organizer accounts: checking and adding them, invitations, the site admin's list.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::account::may_manage_organizers;
use crate::domain::text;
use crate::email::{self, Email, Links, Mail};
use crate::error::{AppError, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::magic_link::{MagicLink, purpose};
use crate::models::organizer::{NewOrganizer, Organizer};
use crate::secrets;
use crate::services::context::Context;

use super::passwords::password_changed;

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
