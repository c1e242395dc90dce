//! The browsers an organizer is signed in on, as their account page lists them.

use crate::error::AppError;
use crate::models::api_token::ApiToken;
use crate::models::organizer::Organizer;
use crate::models::session::BrowserSession;
use crate::services::context::Context;

/// What the account page shows besides the forms: the signed-in browsers and the API
/// tokens that still work.
pub struct Account {
    pub sessions: Vec<BrowserSession>,
    pub tokens: Vec<ApiToken>,
}

/// The caller's signed-in browsers and API tokens.
pub async fn account(ctx: &Context, organizer: &Organizer) -> Result<Account, AppError> {
    let organizer_id = organizer.id.clone();
    ctx.db
        .run(move |conn| {
            Ok(Account {
                sessions: BrowserSession::list_for(conn, &organizer_id)?,
                tokens: ApiToken::list_for(conn, &organizer_id)?,
            })
        })
        .await
}

/// Signs one of the caller's browsers out (404 for anyone else's). `session`: the hex hash
/// of its secret, the id the server keeps.
pub async fn revoke_session(
    ctx: &Context,
    organizer: &Organizer,
    session: &str,
) -> Result<(), AppError> {
    let (organizer_id, session) = (organizer.id.clone(), session.to_owned());
    ctx.db
        .run(move |conn| {
            if BrowserSession::delete_of(conn, &organizer_id, &session)? == 0 {
                return Err(AppError::not_found("session"));
            }
            Ok(())
        })
        .await
}

/// Signs the caller out on every browser, this one too.
pub async fn sign_out_everywhere(ctx: &Context, organizer: &Organizer) -> Result<usize, AppError> {
    let organizer_id = organizer.id.clone();
    ctx.db
        .run(move |conn| Ok(BrowserSession::delete_all_of(conn, &organizer_id, None)?))
        .await
}
