//! API tokens: made from a password or on the account page, listed, revoked (whom a token
//! names is `services::caller::ApiCallers`).

use crate::db::{self, DbConnection};
pub use crate::domain::account::MAX_TOKEN_DAYS;
use crate::domain::account::token_lifetime;
use crate::domain::ids::ApiTokenId;
use crate::domain::text;
use crate::error::{AppError, Validator};
use crate::models::api_token::ApiToken;
use crate::models::organizer::Organizer;
use crate::services::context::Context;

use super::sign_in::authenticate_in;

/// A new API token for the signed-in organizer (its only plain-text copy, and its row).
pub async fn new_api_token(
    ctx: &Context,
    organizer: &Organizer,
    label: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, ApiToken), AppError> {
    let (organizer, label) = (organizer.clone(), label.to_owned());
    ctx.db
        .run(move |conn| create_api_token(conn, &organizer, &label, expires_in_days))
        .await
}

/// An organizer's e-mail and password exchanged for a new API token, in one hop: the
/// sign-in's rules (`authenticate`: its backoff per `client`) and then the token's.
pub async fn token_for_password(
    ctx: &Context,
    email: &str,
    password: &str,
    client: &str,
    label: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, ApiToken), AppError> {
    let (email, password, client, label) = (
        email.to_owned(),
        password.to_owned(),
        client.to_owned(),
        label.to_owned(),
    );
    ctx.db
        .run(move |conn| {
            let organizer = authenticate_in(conn, &email, &password, &client)?;
            create_api_token(conn, &organizer, &label, expires_in_days)
        })
        .await
}

/// A new API token (its only plain-text copy, and its row). `expires_in_days` None: it
/// works until revoked or the password is reset. On a connection: the command line and the
/// tests make tokens too.
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
    let lifetime = v
        .check("expires_in_days", token_lifetime(expires_in_days))
        .flatten();
    v.finish()?;
    let label = if label.is_empty() {
        "API".into()
    } else {
        label
    };
    let expires_at = lifetime.map(|d| db::now() + d);
    Ok(ApiToken::create(conn, &organizer.id, &label, expires_at)?)
}

/// The caller's API tokens that still work.
pub async fn api_tokens(ctx: &Context, organizer: &Organizer) -> Result<Vec<ApiToken>, AppError> {
    let organizer_id = organizer.id.clone();
    ctx.db
        .run(move |conn| Ok(ApiToken::list_for(conn, &organizer_id)?))
        .await
}

/// Revokes one of the caller's API tokens (404 for anyone else's).
pub async fn revoke_api_token(
    ctx: &Context,
    organizer: &Organizer,
    token: &ApiTokenId,
) -> Result<(), AppError> {
    let (organizer_id, token) = (organizer.id.clone(), token.clone());
    ctx.db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                if ApiToken::delete_of(conn, &organizer_id, &token)? == 0 {
                    return Err(AppError::not_found("API token"));
                }
                Ok(())
            })
        })
        .await
}

//CALLERS
