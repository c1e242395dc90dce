use crate::error::{AppError, ErrorCode};
use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::api::{
    auth, materials, messages, outbox, registrations, report, speakers, stops, tasks, tours, venues,
};

/// The error shape every API error has.
#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    error: ErrorDetailJson,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetailJson {
    /// Stable, snake_case: one of `ErrorCode`.
    code: ErrorCode,
    message: String,
    /// For `validation_failed`: field → what is wrong with it.
    #[schema(value_type = Option<Object>)]
    fields: Option<std::collections::BTreeMap<String, String>>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The errors any route may answer, whatever it does: malformed or oversized bodies, wrong
/// content types, tokens, rights, missing objects, validation, rate limits, wrong methods.
/// Listed on every operation so clients (and schemathesis) know their shape.
struct CommonErrors;

const COMMON_ERRORS: [(&str, &str); 10] = [
    ("400", "The request is malformed (body, query or path)"),
    ("401", "No valid bearer token was sent"),
    ("403", "The token's organizer may not do this"),
    ("404", "No such object, or not visible to the caller"),
    ("405", "The route does not answer this method"),
    ("409", "The request conflicts with the object's state"),
    ("413", "The body is too large"),
    ("415", "The body is not JSON"),
    (
        "422",
        "Some fields are invalid; `fields` says which and why",
    ),
    (
        "429",
        "Too many requests from this address: see Retry-After",
    ),
];

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, description) in COMMON_ERRORS {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| {
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("ErrorJson")))
                                        .build(),
                                )
                                .build()
                                .into()
                        });
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "roadshow API", version = "1", description = "Plan community meetup tours: tours, stops, venues and backups, registrations, speakers, volunteers and materials."),
    paths(
        auth::create_token, auth::list_tokens, auth::revoke_token,
        tours::list_tours, tours::create_tour, tours::get_tour, tours::update_tour,
        tours::list_members, tours::put_member, tours::remove_member,
        stops::list_stops, stops::create_stop, stops::get_stop, stops::update_stop,
        stops::set_backups, stops::clone_stop, stops::add_supporter, stops::remove_supporter,
        venues::list_venues, venues::create_venue, venues::get_venue, venues::update_venue,
        venues::suggest_change, venues::copy_venue,
        registrations::create_registration, registrations::list_registrations, registrations::cancel_registration,
        registrations::check_in, registrations::walk_in, registrations::stats, registrations::switch_venue,
        registrations::attendance,
        outbox::tour_outbox, outbox::retry, messages::send_message,
        materials::list_materials, materials::add_material_link,
        report::tour_report, report::publish_report, report::publish_material,
        tasks::create_task, tasks::standard_tasks, tasks::list_tasks, tasks::update_task, tasks::claim,
        tasks::release, tasks::attendance, tasks::give_desk_access, tasks::remove_desk_access,
        speakers::create_speaker, speakers::create_talk, speakers::add_agenda_item, speakers::list_agenda,
        speakers::move_agenda_item, speakers::remove_agenda_item, speakers::publish_agenda,
        speakers::submit_proposal, speakers::list_proposals, speakers::accept_proposal, speakers::reject_proposal,
    ),
    components(schemas(ErrorJson, ErrorDetailJson, ErrorCode)),
    modifiers(&BearerAuth, &CommonErrors),
)]
pub struct ApiDoc;

pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// No route: 404. A route that exists but not for this method (the scope's default service
/// also answers those): 405.
pub async fn api_not_found(
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, AppError> {
    use actix_web::ResponseError;
    if let Some(pattern) = req.match_pattern().filter(|p| p != "/api/v1") {
        let mut res = AppError::method_not_allowed(req.method().as_str()).error_response();
        if let Some(allow) = allowed_methods().get(&pattern)
            && let Ok(value) = actix_web::http::header::HeaderValue::from_str(allow)
        {
            res.headers_mut()
                .insert(actix_web::http::header::ALLOW, value);
        }
        return Ok(res);
    }
    Err(AppError::not_found("API route"))
}

/// Route pattern → the methods it answers (for Allow), read from the OpenAPI document.
fn allowed_methods() -> &'static std::collections::HashMap<String, String> {
    use utoipa::OpenApi;
    static ALLOWED: std::sync::LazyLock<std::collections::HashMap<String, String>> =
        std::sync::LazyLock::new(|| {
            ApiDoc::openapi()
                .paths
                .paths
                .into_iter()
                .map(|(path, item)| {
                    let methods: Vec<&str> = [
                        ("GET", item.get.is_some()),
                        ("POST", item.post.is_some()),
                        ("PUT", item.put.is_some()),
                        ("PATCH", item.patch.is_some()),
                        ("DELETE", item.delete.is_some()),
                    ]
                    .into_iter()
                    .filter_map(|(m, present)| present.then_some(m))
                    .collect();
                    (path, methods.join(", "))
                })
                .collect()
        });
    &ALLOWED
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;
    use utoipa::OpenApi;

    use super::*;

    /// An error's `code` is an `ErrorCode`, so whatever the API sends is a variant; the
    /// document lists the variants from the enum itself, all of them and in its order.
    #[test]
    fn the_document_lists_every_error_code() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let listed: Vec<&str> = schemas["ErrorCode"]["enum"]
            .as_array()
            .expect("ErrorCode is an enum of strings")
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let codes: Vec<&str> = ErrorCode::VARIANTS.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, codes);
        assert_eq!(
            schemas["ErrorDetailJson"]["properties"]["code"]["$ref"],
            "#/components/schemas/ErrorCode"
        );
    }
}
