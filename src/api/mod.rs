//! The JSON API v1: bearer-token auth, the error shape of docs/design.md#errors, the OpenAPI document.

mod auth;
pub mod extract;
mod health;
pub mod materials;
mod messages;
pub mod openapi;
mod outbox;
mod registrations;
mod report;
mod speakers;
pub mod stops;
mod tasks;
mod tours;
mod venues;

use actix_web::web;

pub use auth::{ApiCaller, MaybeCaller};
pub use health::{healthz, metrics, readyz};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(openapi::openapi_json))
            .route("/tokens", web::post().to(auth::create_token))
            .route("/tokens", web::get().to(auth::list_tokens))
            .route("/tokens/{id}", web::delete().to(auth::revoke_token))
            .route("/tours", web::get().to(tours::list_tours))
            .route("/tours", web::post().to(tours::create_tour))
            .route("/tours/{id}", web::get().to(tours::get_tour))
            .route("/tours/{id}", web::patch().to(tours::update_tour))
            .route("/tours/{id}/members", web::get().to(tours::list_members))
            .route("/tours/{id}/members", web::post().to(tours::put_member))
            .route(
                "/tours/{id}/members/{organizer_id}",
                web::delete().to(tours::remove_member),
            )
            .route("/tours/{id}/stops", web::get().to(stops::list_stops))
            .route("/tours/{id}/stops", web::post().to(stops::create_stop))
            .route("/stops/{id}", web::get().to(stops::get_stop))
            .route("/stops/{id}", web::patch().to(stops::update_stop))
            .route("/stops/{id}/backups", web::put().to(stops::set_backups))
            .route("/stops/{id}/clone", web::post().to(stops::clone_stop))
            .route(
                "/stops/{id}/registrations",
                web::post().to(registrations::create_registration),
            )
            .route(
                "/stops/{id}/registrations",
                web::get().to(registrations::list_registrations),
            )
            .route(
                "/stops/{id}/checkins",
                web::post().to(registrations::check_in),
            )
            .route(
                "/stops/{id}/walk-ins",
                web::post().to(registrations::walk_in),
            )
            .route("/stops/{id}/stats", web::get().to(registrations::stats))
            .route(
                "/stops/{id}/switch-venue",
                web::post().to(registrations::switch_venue),
            )
            .route(
                "/registrations/{id}/cancel",
                web::post().to(registrations::cancel_registration),
            )
            .route("/attendance", web::get().to(registrations::attendance))
            .route(
                "/stops/{id}/materials",
                web::get().to(materials::list_materials),
            )
            .route(
                "/stops/{id}/materials",
                web::post()
                    .guard(actix_web::guard::fn_guard(|ctx| {
                        ctx.head()
                            .headers()
                            .get(actix_web::http::header::CONTENT_TYPE)
                            .and_then(|v| v.to_str().ok())
                            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/"))
                    }))
                    .to(materials::upload_material),
            )
            .route(
                "/stops/{id}/materials",
                web::post().to(materials::add_material_link),
            )
            .route("/stops/{id}/tasks", web::post().to(tasks::create_task))
            .route("/stops/{id}/tasks", web::get().to(tasks::list_tasks))
            .route(
                "/stops/{id}/tasks/standard",
                web::post().to(tasks::standard_tasks),
            )
            .route("/tasks/{id}", web::patch().to(tasks::update_task))
            .route("/tasks/{id}/claims", web::post().to(tasks::claim))
            .route("/claims/{id}/release", web::post().to(tasks::release))
            .route("/claims/{id}/attendance", web::post().to(tasks::attendance))
            .route(
                "/claims/{id}/desk-access",
                web::post().to(tasks::give_desk_access),
            )
            .route(
                "/claims/{id}/desk-access",
                web::delete().to(tasks::remove_desk_access),
            )
            .route("/tours/{id}/report", web::get().to(report::tour_report))
            .route(
                "/tours/{id}/report/publish",
                web::post().to(report::publish_report),
            )
            .route(
                "/materials/{id}/publish",
                web::post().to(report::publish_material),
            )
            .route("/speakers", web::post().to(speakers::create_speaker))
            .route("/talks", web::post().to(speakers::create_talk))
            .route(
                "/stops/{id}/agenda",
                web::post().to(speakers::add_agenda_item),
            )
            .route("/stops/{id}/agenda", web::get().to(speakers::list_agenda))
            .route(
                "/stops/{id}/agenda/publish",
                web::post().to(speakers::publish_agenda),
            )
            .route("/agenda/{id}", web::patch().to(speakers::move_agenda_item))
            .route(
                "/agenda/{id}",
                web::delete().to(speakers::remove_agenda_item),
            )
            .route(
                "/tours/{id}/proposals",
                web::post().to(speakers::submit_proposal),
            )
            .route(
                "/tours/{id}/proposals",
                web::get().to(speakers::list_proposals),
            )
            .route(
                "/proposals/{id}/accept",
                web::post().to(speakers::accept_proposal),
            )
            .route(
                "/proposals/{id}/reject",
                web::post().to(speakers::reject_proposal),
            )
            .route(
                "/stops/{id}/supporters",
                web::post().to(stops::add_supporter),
            )
            .route(
                "/stops/{id}/supporters/{supporter_id}",
                web::delete().to(stops::remove_supporter),
            )
            .route("/tours/{id}/outbox", web::get().to(outbox::tour_outbox))
            .route(
                "/tours/{id}/messages",
                web::post().to(messages::send_message),
            )
            .route("/outbox/{id}/retry", web::post().to(outbox::retry))
            .route("/venues", web::get().to(venues::list_venues))
            .route("/venues", web::post().to(venues::create_venue))
            .route("/venues/{id}", web::get().to(venues::get_venue))
            .route("/venues/{id}", web::patch().to(venues::update_venue))
            .route(
                "/venues/{id}/suggestions",
                web::post().to(venues::suggest_change),
            )
            .route("/venues/{id}/copy", web::post().to(venues::copy_venue))
            .default_service(web::to(openapi::api_not_found)),
    );
}
