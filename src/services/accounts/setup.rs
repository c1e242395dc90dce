//! The first organizer: a setup link while nobody has an account, used once.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::models::magic_link::{MagicLink, purpose};
use crate::models::organizer::Organizer;
use crate::services::context::Context;

use super::organizers::{AccountInput, INVITE_VALID_FOR_DAYS, insert_organizer};

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

/// Whether a setup link still works: unused, and nobody has an account yet.
pub async fn setup_link_valid(ctx: &Context, token: &str) -> Result<bool, AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| {
            Ok(MagicLink::peek(conn, purpose::SETUP, &token)?.is_some()
                && Organizer::count(conn)? == 0)
        })
        .await
}

/// Creates the first organizer (a site admin) with a setup link; works once.
pub async fn complete_setup(
    ctx: &Context,
    token: &str,
    account: AccountInput,
) -> Result<Organizer, AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| complete_setup_in(conn, &token, account))
        .await
}

#[tracing::instrument(skip_all)]
fn complete_setup_in(
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
