//! Signing in and out, and whom a live session says this browser is.

use actix_session::Session;
use actix_web::HttpRequest;

use crate::domain::ids::OrganizerId;
use crate::error::AppError;
use crate::models::organizer::Organizer;
use crate::secrets;
use crate::services::caller::Caller;
use crate::services::sessions;
use crate::state::AppState;

use super::csrf::csrf_token;
use super::{CSRF, DESK, IS_ADMIN, ORGANIZER_ID, ORGANIZER_NAME, SID, SPEAKER_ID, VOLUNTEER_ID};

/// Signs an organizer in: a new session (so a planted cookie cannot be promoted: session
/// fixation), known to the server.
pub async fn sign_in(
    state: &AppState,
    req: &HttpRequest,
    session: &Session,
    organizer: &Organizer,
) -> Result<(), AppError> {
    session.renew();
    session.clear();
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(200).collect::<String>())
        .unwrap_or_default();
    let organizer_id = OrganizerId::from(organizer.id.as_str());
    start_server_session(state, session, Some(&organizer_id), &user_agent).await?;
    let _ = session.insert(ORGANIZER_ID, &organizer.id);
    let _ = session.insert(ORGANIZER_NAME, organizer.display_name());
    let _ = session.insert(IS_ADMIN, organizer.is_admin);
    let _ = session.insert(CSRF, secrets::new_token());
    Ok(())
}

async fn start_server_session(
    state: &AppState,
    session: &Session,
    organizer: Option<&OrganizerId>,
    user_agent: &str,
) -> Result<(), AppError> {
    let sid = sessions::start(state, organizer, user_agent).await?;
    let _ = session.insert(SID, sid);
    Ok(())
}

/// The hash of this browser's session secret, if it has one.
pub fn session_hash(session: &Session) -> Option<String> {
    session
        .get::<String>(SID)
        .ok()
        .flatten()
        .map(|sid| secrets::token_hash(&sid))
}

/// Makes sure this browser has a session the server knows (before a speaker, volunteer or
/// desk helper is let in with a link): keeps a live one, else starts a new one.
async fn ensure_server_session(state: &AppState, session: &Session) -> Result<(), AppError> {
    if is_live(state, session).await? {
        return Ok(());
    }
    // Whatever the dead session held goes with it.
    session.renew();
    session.clear();
    start_server_session(state, session, None, "").await?;
    csrf_token(session);
    Ok(())
}

/// Whether the server still knows this browser's session.
pub async fn is_live(state: &AppState, session: &Session) -> Result<bool, AppError> {
    let Some(hash) = session_hash(session) else {
        return Ok(false);
    };
    sessions::is_live(state, &hash).await
}

/// Signs this browser out: the server forgets the session, the browser drops the cookie.
pub async fn sign_out(state: &AppState, session: &Session) -> Result<(), AppError> {
    if let Some(hash) = session_hash(session) {
        sessions::end(state, &hash).await?;
    }
    session.purge();
    Ok(())
}

/// Who this browser is, as far as a live session says; empty when the session is gone.
pub async fn identities(state: &AppState, session: &Session) -> Result<Caller, AppError> {
    let claimed = Caller {
        organizer_id: session.get::<String>(ORGANIZER_ID).ok().flatten(),
        speaker_id: session.get::<String>(SPEAKER_ID).ok().flatten(),
        volunteer_id: session.get::<String>(VOLUNTEER_ID).ok().flatten(),
        desk_grants: session.get(DESK).ok().flatten().unwrap_or_default(),
    };
    if !claimed.is_anyone() {
        return Ok(claimed);
    }
    if is_live(state, session).await? {
        Ok(claimed)
    } else {
        session.purge();
        Ok(Caller::default())
    }
}

/// Lets this browser in at a stop's desk (a helper's link was used).
pub async fn grant_desk(
    state: &AppState,
    session: &Session,
    stop_id: &str,
    email: &str,
) -> Result<(), AppError> {
    ensure_server_session(state, session).await?;
    let mut grants: Vec<(String, String)> = session.get(DESK).ok().flatten().unwrap_or_default();
    if !grants.iter().any(|(s, _)| s == stop_id) {
        grants.push((stop_id.to_owned(), email.to_owned()));
    }
    let _ = session.insert(DESK, grants);
    csrf_token(session);
    Ok(())
}

/// Signs a speaker in (their mailed link was used).
pub async fn sign_in_speaker(
    state: &AppState,
    session: &Session,
    speaker_id: &str,
) -> Result<(), AppError> {
    ensure_server_session(state, session).await?;
    let _ = session.insert(SPEAKER_ID, speaker_id);
    csrf_token(session);
    Ok(())
}

/// Signs a volunteer in (their mailed link was used).
pub async fn sign_in_volunteer(
    state: &AppState,
    session: &Session,
    volunteer_id: &str,
) -> Result<(), AppError> {
    ensure_server_session(state, session).await?;
    let _ = session.insert(VOLUNTEER_ID, volunteer_id);
    csrf_token(session);
    Ok(())
}
