//! CSRF: the session's token, the form extractor that checks it (`CsrfForm`), and the one
//! for public forms, which checks where the form was posted from instead (`PublicForm`).

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
use crate::secrets;
use crate::state::AppState;

use super::CSRF;

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
