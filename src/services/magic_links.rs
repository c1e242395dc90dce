//! Sign-in links for the people who have no password (speakers and volunteers): one place
//! that makes them, so every e-mail that carries one (an invitation, a reminder, a request
//! for materials) carries the same kind of link.

use chrono::Duration;

use crate::db::DbConnection;
use crate::error::AppError;
use crate::models::magic_link::MagicLink;
use crate::models::speaker::Speaker;
use crate::models::task::Volunteer;
use crate::services::Env;
use crate::services::context::Context;

/// What a speaker's sign-in link is for (`magic_links.purpose`).
pub const SPEAKER: &str = "speaker";
/// What a volunteer's sign-in link is for.
pub const VOLUNTEER: &str = "volunteer";

/// The people who sign in with a mailed link instead of a password. Both go the same way:
/// ask for a link by address, open it (a page with one button: mail scanners open links
/// too, and must not use them up), press the button (the link is used up, they are in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guest {
    Speaker,
    Volunteer,
}

impl Guest {
    /// What their links are for (`magic_links.purpose`).
    pub fn purpose(self) -> &'static str {
        match self {
            Guest::Speaker => SPEAKER,
            Guest::Volunteer => VOLUNTEER,
        }
    }
}

/// A sign-in link that is still good, without using it.
pub async fn peek(ctx: &Context, guest: Guest, token: &str) -> Result<(), AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| {
            MagicLink::peek(conn, guest.purpose(), &token)?
                .and_then(|l| l.subject_id)
                .map(drop)
                .ok_or_else(|| AppError::not_found("sign-in link"))
        })
        .await
}

/// Uses a sign-in link (once, before it expires): the id of the speaker or volunteer.
pub async fn enter(ctx: &Context, guest: Guest, token: &str) -> Result<String, AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| {
            MagicLink::consume(conn, guest.purpose(), &token)?
                .and_then(|l| l.subject_id)
                .ok_or_else(|| AppError::not_found("sign-in link"))
        })
        .await
}

/// A fresh sign-in link to the speaker's page, good for the usual hours.
pub fn speaker(conn: &mut DbConnection, env: &Env, speaker: &Speaker) -> Result<String, AppError> {
    let token = MagicLink::create(
        conn,
        SPEAKER,
        &speaker.email,
        Some(&speaker.id),
        Duration::hours(env.magic_link_hours),
    )?;
    Ok(env.links.url(&format!("/speaker/enter/{token}")))
}

/// A fresh sign-in link to the volunteer's page, good for `valid_for` (longer in mails that
/// are read days later, such as a request for photos after the stop).
pub fn volunteer(
    conn: &mut DbConnection,
    env: &Env,
    v: &Volunteer,
    valid_for: Duration,
) -> Result<String, AppError> {
    let token = MagicLink::create(conn, VOLUNTEER, &v.email, Some(&v.id), valid_for)?;
    Ok(env.links.url(&format!("/volunteer/enter/{token}")))
}
