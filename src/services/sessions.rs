//! The browser sessions the server knows (`models::session`): a cookie's identities count
//! only while its session's row lives. The web face keeps the cookie; these keep the rows.

use chrono::Duration;

use crate::domain::ids::{OrganizerId, SpeakerId};
use crate::error::AppError;
use crate::models::organizer::Organizer;
use crate::models::session::BrowserSession;
use crate::models::speaker::Speaker;
use crate::secrets;
use crate::services::context::Context;

/// How long a sign-in lasts (the cookie's lifetime too).
pub const SESSION_DAYS: i64 = 14;

/// Starts a session the server knows, for an organizer or (None) for a guest's links;
/// answers its secret, for the cookie (the server keeps only its hash).
pub async fn start(
    ctx: &Context,
    organizer: Option<&OrganizerId>,
    user_agent: &str,
) -> Result<String, AppError> {
    let sid = secrets::new_token();
    let hash = secrets::token_hash(&sid);
    let (organizer, user_agent) = (organizer.cloned(), user_agent.to_owned());
    ctx.db
        .run(move |conn| {
            Ok(BrowserSession::insert(
                conn,
                &hash,
                organizer.as_deref(),
                &user_agent,
                Duration::days(SESSION_DAYS),
            )?)
        })
        .await?;
    Ok(sid)
}

/// Whether the server still knows the session with this hash of its secret.
pub async fn is_live(ctx: &Context, hash: &str) -> Result<bool, AppError> {
    let hash = hash.to_owned();
    ctx.db
        .run(move |conn| Ok(BrowserSession::find_live(conn, &hash)?.is_some()))
        .await
}

/// Forgets a session (sign-out).
pub async fn end(ctx: &Context, hash: &str) -> Result<(), AppError> {
    let hash = hash.to_owned();
    ctx.db
        .run(move |conn| Ok(BrowserSession::delete(conn, &hash)?))
        .await?;
    Ok(())
}

/// The organizer a live session was started for; None once it was signed out, revoked or
/// expired, or the password changed.
pub async fn organizer(
    ctx: &Context,
    hash: &str,
    organizer: &OrganizerId,
) -> Result<Option<Organizer>, AppError> {
    let (hash, organizer) = (hash.to_owned(), organizer.clone());
    ctx.db
        .run(move |conn| Ok(BrowserSession::organizer_of(conn, &hash, &organizer)?))
        .await
}

/// The speaker a browser is signed in as, if they still exist.
pub async fn speaker(ctx: &Context, speaker: &SpeakerId) -> Result<Option<Speaker>, AppError> {
    let speaker = speaker.clone();
    ctx.db
        .run(move |conn| Ok(Speaker::find(conn, &speaker)?))
        .await
}
