use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::ApiJson;
use crate::domain::ids::ApiTokenId;
use crate::domain::stop::to_rfc3339;
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
    /// The token stops working after this many days (1–3650). Absent: it works until it is
    /// revoked or the organizer's password changes.
    #[serde(default)]
    expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    /// Shown once; only its hash is stored.
    token: String,
    /// The token's id, to revoke it (`DELETE /api/v1/tokens/{id}`).
    id: String,
    /// RFC 3339, UTC; null: until revoked or the password changes.
    #[schema(format = DateTime)]
    expires_at: Option<String>,
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
    let (token, row) = accounts::token_for_password(
        &state,
        &body.email,
        &body.password,
        &client,
        body.label.as_deref().unwrap_or_default(),
        body.expires_in_days,
    )
    .await?;
    Ok(HttpResponse::Created().json(TokenJson {
        token,
        id: row.id,
        expires_at: row.expires_at.map(to_rfc3339),
    }))
}

/// One of the caller's API tokens (never the token itself).
#[derive(Serialize, ToSchema)]
pub struct TokenInfoJson {
    id: String,
    label: String,
    #[schema(format = DateTime)]
    created_at: String,
    /// Recorded at most hourly.
    #[schema(format = DateTime)]
    last_used_at: Option<String>,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
}

/// The caller's API tokens that still work.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth",
    responses((status = 200, body = Vec<TokenInfoJson>), (status = 401, body = crate::api::openapi::ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_tokens(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
) -> Result<HttpResponse, AppError> {
    let tokens = accounts::api_tokens(&state, &me).await?;
    Ok(HttpResponse::Ok().json(
        tokens
            .into_iter()
            .map(|t| TokenInfoJson {
                id: t.id,
                label: t.label,
                created_at: to_rfc3339(t.created_at),
                last_used_at: t.last_used_at.map(to_rfc3339),
                expires_at: t.expires_at.map(to_rfc3339),
            })
            .collect::<Vec<_>>(),
    ))
}

/// Revokes one of the caller's API tokens (this one too, if named): it stops working at
/// once, on every instance.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::api::openapi::ErrorJson), (status = 404, body = crate::api::openapi::ErrorJson)),
    security(("bearer" = [])))]
pub async fn revoke_token(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = crate::http::path_id::<ApiTokenId>(&id)?;
    accounts::revoke_api_token(&state, &me, &id).await?;
    Ok(HttpResponse::NoContent().finish())
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
