//! Flash messages and the extractors of what a page needs: the language, the session's
//! state, and who is signed in (`PageCtx`, `FormCtx`, `OrganizerPage`, `SpeakerSession`,
//! `VolunteerSession`).

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::domain::ids::{OrganizerId, SpeakerId};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::services::sessions;
use crate::state::AppState;
use crate::views::{Ctx, Flash, FlashKind, SignedIn};

use super::csrf::csrf_token;
use super::identity::{identities, session_hash};
use super::{CSRF, DESK, FLASH, IS_ADMIN, ORGANIZER_ID, ORGANIZER_NAME, SPEAKER_ID, VOLUNTEER_ID};

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
        content_languages: req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .map(|s| s.env.content_languages.clone())
            .unwrap_or_default(),
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
            let organizer = sessions::organizer(&state, &hash, &OrganizerId::from(id)).await?;
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
            let speaker = sessions::speaker(&state, &SpeakerId::from(id))
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
