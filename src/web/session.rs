//! The browser session (a signed, encrypted cookie, so any instance can serve any request),
//! CSRF tokens, flash messages, and the extractors page handlers use.
//!
//! Whoever a cookie says the browser is (an organizer, a speaker, a volunteer, a desk
//! helper) counts only while the server still knows the cookie's session: its secret (`sid`)
//! names a row of `sessions`, deleted at sign-out, at "sign out everywhere" and at every
//! password change. A copied cookie dies with its row.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorCode};
use crate::http::read_body;
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::models::session::BrowserSession;
use crate::secrets;
use crate::services::caller::Caller;
use crate::state::AppState;
use crate::views::{Ctx, Flash, FlashKind, SignedIn};

const ORGANIZER_ID: &str = "organizer_id";
/// The session's secret; the server keeps its hash (`models::session`).
const SID: &str = "sid";
/// How long a sign-in lasts (the cookie's lifetime too).
pub const SESSION_DAYS: i64 = 14;
const ORGANIZER_NAME: &str = "organizer_name";
const IS_ADMIN: &str = "is_admin";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";
pub const CSRF_FIELD: &str = "_csrf";

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(CSRF) {
        return token;
    }
    let token = secrets::new_token();
    let _ = session.insert(CSRF, &token);
    token
}

pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF).ok().flatten();
    match (expected, submitted) {
        (Some(e), Some(s)) if crate::secrets::same(&e, s) => Ok(()),
        _ => Err(AppError::forbidden(
            "this form has expired or did not come from roadshow: reload the page and try again",
        )),
    }
}

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
    start_server_session(state, session, Some(organizer.id.clone()), user_agent).await?;
    let _ = session.insert(ORGANIZER_ID, &organizer.id);
    let _ = session.insert(ORGANIZER_NAME, organizer.display_name());
    let _ = session.insert(IS_ADMIN, organizer.is_admin);
    let _ = session.insert(CSRF, secrets::new_token());
    Ok(())
}

async fn start_server_session(
    state: &AppState,
    session: &Session,
    organizer_id: Option<String>,
    user_agent: String,
) -> Result<(), AppError> {
    let sid = secrets::new_token();
    let hash = secrets::token_hash(&sid);
    state
        .db
        .run(move |conn| {
            Ok(BrowserSession::insert(
                conn,
                &hash,
                organizer_id.as_deref(),
                &user_agent,
                chrono::Duration::days(SESSION_DAYS),
            )?)
        })
        .await?;
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
    start_server_session(state, session, None, String::new()).await?;
    csrf_token(session);
    Ok(())
}

/// Whether the server still knows this browser's session.
pub async fn is_live(state: &AppState, session: &Session) -> Result<bool, AppError> {
    let Some(hash) = session_hash(session) else {
        return Ok(false);
    };
    state
        .db
        .run(move |conn| Ok(BrowserSession::find_live(conn, &hash)?.is_some()))
        .await
}

/// Signs this browser out: the server forgets the session, the browser drops the cookie.
pub async fn sign_out(state: &AppState, session: &Session) -> Result<(), AppError> {
    if let Some(hash) = session_hash(session) {
        state
            .db
            .run(move |conn| Ok(BrowserSession::delete(conn, &hash)?))
            .await?;
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

pub fn flash(session: &Session, kind: FlashKind, message: impl Into<String>) {
    let mut list: Vec<Flash> = session.get(FLASH).ok().flatten().unwrap_or_default();
    list.push(Flash {
        kind,
        message: message.into(),
    });
    let _ = session.insert(FLASH, list);
}

fn take_flash(session: &Session) -> Vec<Flash> {
    if !session.contains_key(FLASH) {
        return Vec::new();
    }
    session
        .remove_as::<Vec<Flash>>(FLASH)
        .and_then(Result::ok)
        .unwrap_or_default()
}

fn build_ctx(req: &HttpRequest, session: &Session, with_csrf: bool) -> Ctx {
    let signed_in = session
        .get::<String>(ORGANIZER_NAME)
        .ok()
        .flatten()
        .map(|name| SignedIn {
            name,
            is_admin: session
                .get::<bool>(IS_ADMIN)
                .ok()
                .flatten()
                .unwrap_or(false),
        });
    let visiting = crate::views::Visiting {
        speaker: session.contains_key(SPEAKER_ID),
        volunteer: session.contains_key(VOLUNTEER_ID),
        desks: session
            .get::<Vec<(String, String)>>(DESK)
            .ok()
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .map(|(stop, _)| stop)
            .collect(),
    };
    let csrf = if with_csrf || signed_in.is_some() || visiting.is_anyone() {
        csrf_token(session)
    } else {
        session
            .get::<String>(CSRF)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    Ctx {
        lang: Lang::of_request(req),
        csrf,
        signed_in,
        visiting,
        flash: take_flash(session),
        path: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into()),
    }
}

/// What every page needs: language, session state, flash messages. Does not start a session
/// for anonymous visitors, so public pages set no cookie.
pub struct PageCtx(pub Ctx, pub Session);

impl FromRequest for PageCtx {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        std::future::ready(Ok(PageCtx(build_ctx(req, &session, false), session)))
    }
}

/// Like `PageCtx`, for pages with a form shown to anonymous visitors (sign-in, setup):
/// makes sure the session has a CSRF token.
pub struct FormCtx(pub Ctx, pub Session);

impl FromRequest for FormCtx {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        std::future::ready(Ok(FormCtx(build_ctx(req, &session, true), session)))
    }
}

/// A signed-in organizer's page: 401 (a redirect to sign-in, see `web::errors`) otherwise.
pub struct OrganizerPage {
    pub ctx: Ctx,
    pub session: Session,
    pub organizer: Organizer,
}

impl FromRequest for OrganizerPage {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let id = session.get::<String>(ORGANIZER_ID).ok().flatten();
        let hash = session_hash(&session);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let (Some(id), Some(hash)) = (id, hash) else {
                return Err(AppError::unauthorized("sign in first"));
            };
            let state = state.ok_or_else(|| AppError::unexpected_msg("no app state"))?;
            let organizer = state
                .db
                .run(move |conn| Ok(BrowserSession::organizer_of(conn, &hash, &id)?))
                .await?;
            let Some(organizer) = organizer else {
                // Signed out elsewhere, revoked, expired, or the password changed.
                session.purge();
                return Err(AppError::unauthorized("sign in first"));
            };
            let ctx = build_ctx(&req, &session, true);
            Ok(OrganizerPage {
                ctx,
                session,
                organizer,
            })
        })
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// A url-encoded form whose CSRF token has been checked against the session. `pairs` keeps
/// repeated fields (check boxes) that `T` cannot hold.
pub struct CsrfForm<T> {
    pub data: T,
    pub pairs: Vec<(String, String)>,
}

impl<T> CsrfForm<T> {
    /// Every value given for a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.connections.max_body_bytes)
            .unwrap_or(256 * 1024);
        let body = read_body(req, payload, limit);
        Box::pin(async move {
            if !content_type.starts_with("application/x-www-form-urlencoded") {
                return Err(AppError::unsupported_type(
                    "send the form as application/x-www-form-urlencoded",
                ));
            }
            let bytes = body.await?;
            let token: CsrfOnly = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
                AppError::bad_request(ErrorCode::BadForm, "the form could not be read")
            })?;
            check_csrf(&session, token.csrf.as_deref())?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            crate::http::refuse_nul(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
            let data: T = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
                AppError::bad_request(
                    ErrorCode::BadForm,
                    format!("the form could not be read: {e}"),
                )
            })?;
            Ok(CsrfForm { data, pairs })
        })
    }
}

/// A form with nothing but its CSRF token (buttons: publish, remove, sign out…).
#[derive(Deserialize, Serialize, Default)]
pub struct Empty {}

const DESK: &str = "desk";

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

/// A url-encoded form posted by anyone (registration on a public stop page). These pages
/// carry no session, so instead of a token the browser's Origin (or Referer) must be this
/// site: a form on another site cannot post here in a visitor's name.
pub struct PublicForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for PublicForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let same_origin = same_origin(req);
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.connections.max_body_bytes)
            .unwrap_or(256 * 1024);
        let body = read_body(req, payload, limit);
        Box::pin(async move {
            if !same_origin {
                return Err(AppError::forbidden(
                    "this form was posted from another site",
                ));
            }
            if !content_type.starts_with("application/x-www-form-urlencoded") {
                return Err(AppError::unsupported_type(
                    "send the form as application/x-www-form-urlencoded",
                ));
            }
            let bytes = body.await?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            crate::http::refuse_nul(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
            serde_urlencoded::from_bytes(&bytes)
                .map(PublicForm)
                .map_err(|e| {
                    AppError::bad_request(
                        ErrorCode::BadForm,
                        format!("the form could not be read: {e}"),
                    )
                })
        })
    }
}

/// True unless the browser says the request comes from another site, or hides where it
/// comes from. `Origin: null` is what sandboxed frames, `data:` pages and cross-site
/// redirects send: never our own forms, which post from our pages. A client that sends
/// neither header (a script, curl) is not a browser a foreign page could drive.
fn same_origin(req: &HttpRequest) -> bool {
    use actix_web::http::header::{HOST, ORIGIN, REFERER};
    let origin = req.headers().get(ORIGIN);
    if origin.is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"null")) {
        return false;
    }
    let claimed = origin
        .or_else(|| req.headers().get(REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(claimed) = claimed else {
        return true;
    };
    let Ok(url) = url::Url::parse(claimed) else {
        return false;
    };
    let origin_host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => return false,
    };
    let ours: Vec<String> = [
        req.headers()
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        req.app_data::<web::Data<AppState>>()
            .and_then(|s| url::Url::parse(s.env.links.base()).ok())
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
            }),
    ]
    .into_iter()
    .flatten()
    .collect();
    ours.contains(&origin_host)
}

const SPEAKER_ID: &str = "speaker_id";

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

/// A speaker's own page: signed in with their link, else sent to ask for one.
pub struct SpeakerSession {
    pub ctx: Ctx,
    pub session: Session,
    pub speaker: crate::models::speaker::Speaker,
}

impl FromRequest for SpeakerSession {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::unexpected_msg("no app state"))?;
            let Some(id) = identities(&state, &session).await?.speaker_id else {
                return Err(AppError::unauthorized(
                    "sign in with the link we e-mailed you",
                ));
            };
            let speaker = state
                .db
                .run(move |conn| Ok(crate::models::speaker::Speaker::find(conn, &id)?))
                .await?
                .ok_or_else(|| AppError::unauthorized("sign in with the link we e-mailed you"))?;
            Ok(SpeakerSession {
                ctx: build_ctx(&req, &session, true),
                session,
                speaker,
            })
        })
    }
}

const VOLUNTEER_ID: &str = "volunteer_id";

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

/// A volunteer's own page or form: signed in with their link, else 401 (sent to ask for
/// one). Put it before any body extractor (uploads): nothing is read for strangers.
pub struct VolunteerSession {
    pub ctx: Ctx,
    pub session: Session,
    pub volunteer_id: String,
}

impl FromRequest for VolunteerSession {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::unexpected_msg("no app state"))?;
            let volunteer_id = identities(&state, &session)
                .await?
                .volunteer_id
                .ok_or_else(|| AppError::unauthorized("sign in with the link we e-mailed you"))?;
            Ok(VolunteerSession {
                ctx: build_ctx(&req, &session, true),
                session,
                volunteer_id,
            })
        })
    }
}
