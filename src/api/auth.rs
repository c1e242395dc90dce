use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::ApiJson;
use crate::error::AppError;
use crate::models::organizer::Organizer;
use crate::services::accounts;
use crate::state::AppState;

/// The organizer named by the request's bearer token; 401 without a valid one.
pub struct ApiCaller(pub Organizer);

impl FromRequest for ApiCaller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
                AppError::unauthorized("send an API token: Authorization: Bearer <token>")
            })?;
            let state = state.ok_or_else(|| AppError::unexpected_msg("no app state"))?;
            state
                .callers
                .organizer(token)
                .await?
                .map(ApiCaller)
                .ok_or_else(|| AppError::unauthorized("this API token is not valid"))
        })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateToken {
    email: String,
    password: String,
    /// A note to recognise the token by.
    #[serde(default)]
    label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    /// Shown once; only its hash is stored.
    token: String,
}

/// Exchanges an organizer's e-mail and password for an API token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = CreateToken,
    responses((status = 201, body = TokenJson), (status = 401, body = crate::api::openapi::ErrorJson), (status = 422, body = crate::api::openapi::ErrorJson)))]
pub async fn create_token(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<CreateToken>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::SignIn)?;
    let client = state.limits.client_key(&req).unwrap_or_default();
    let token = state
        .db
        .run(move |conn| {
            let organizer = accounts::authenticate(conn, &body.email, &body.password, &client)?;
            let label = body.label.unwrap_or_else(|| "API".into());
            accounts::create_api_token(conn, &organizer, label.trim())
        })
        .await?;
    Ok(HttpResponse::Created().json(TokenJson { token }))
}

/// The caller's organizer account when a bearer token is sent; `None` without one (a wrong
/// token is still refused).
pub struct MaybeCaller(pub Option<Organizer>);

impl FromRequest for MaybeCaller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if req.headers().get(AUTHORIZATION).is_none() {
            return Box::pin(async { Ok(MaybeCaller(None)) });
        }
        let caller = ApiCaller::from_request(req, payload);
        Box::pin(async move { caller.await.map(|c| MaybeCaller(Some(c.0))) })
    }
}
