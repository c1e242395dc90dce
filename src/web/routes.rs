//! Every page route, and the two scripts the pages load.

use actix_web::{HttpResponse, web};

use super::{
    account, auth, desk, mail, materials, organizers, public, registrations, speakers, stops,
    tours, venues, volunteers,
};

/// Every page route. Routes are registered here and in `api::routes` only: the
/// authorization test reads these two tables to find routes the matrix does not cover.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(public::home))
        .route("/tours/{slug}", web::get().to(public::tour_page))
        .route(
            "/tours/{slug}/calendar.ics",
            web::get().to(public::tour_calendar),
        )
        .route("/stops/{id}", web::get().to(public::stop_page))
        .route(
            "/stops/{id}/register",
            web::post().to(public::register_submit),
        )
        .route(
            "/stops/{id}/lost-link",
            web::get().to(public::lost_link_form),
        )
        .route(
            "/stops/{id}/lost-link",
            web::post().to(public::lost_link_submit),
        )
        .route("/r/{token}", web::get().to(registrations::manage_page))
        .route("/r/{token}/cancel", web::post().to(registrations::cancel))
        .route("/r/{token}/erase", web::post().to(registrations::erase))
        .route(
            "/r/{token}/new-link",
            web::post().to(registrations::new_link),
        )
        .route(
            "/r/{token}/coming/yes",
            web::get().to(registrations::coming_yes_form),
        )
        .route(
            "/r/{token}/coming/yes",
            web::post().to(registrations::coming_yes),
        )
        .route(
            "/r/{token}/coming/no",
            web::get().to(registrations::coming_no_form),
        )
        .route(
            "/r/{token}/coming/no",
            web::post().to(registrations::coming_no),
        )
        .route(
            "/r/{token}/calendar.ics",
            web::get().to(registrations::calendar),
        )
        .route("/desk/enter/{token}", web::get().to(desk::enter_page))
        .route("/desk/enter/{token}", web::post().to(desk::enter))
        .route("/desk/link", web::post().to(desk::fresh_link))
        .route("/desk/{id}/login", web::get().to(desk::login_form))
        .route("/desk/{id}/login", web::post().to(desk::login_submit))
        .route("/tours/{slug}/help", web::get().to(volunteers::tour_help))
        .route(
            "/tours/{slug}/help",
            web::post().to(volunteers::tour_help_submit),
        )
        .route(
            "/tours/{slug}/report",
            web::get().to(materials::public_report),
        )
        .route(
            "/tours/{slug}/report.{ext}",
            web::get().to(materials::public_export),
        )
        .route(
            "/volunteer/materials/{id}",
            web::post().to(materials::volunteer_hand_in),
        )
        .route("/stops/{id}/help", web::get().to(volunteers::stop_help))
        .route(
            "/stops/{id}/help",
            web::post().to(volunteers::stop_help_submit),
        )
        .route("/tasks/{id}/claim", web::post().to(volunteers::claim))
        .route("/volunteer", web::get().to(volunteers::own_page))
        .route("/volunteer/login", web::get().to(volunteers::login_form))
        .route("/volunteer/login", web::post().to(volunteers::login_submit))
        .route(
            "/volunteer/enter/{token}",
            web::get().to(volunteers::enter_page),
        )
        .route(
            "/volunteer/enter/{token}",
            web::post().to(volunteers::enter),
        )
        .route(
            "/volunteer/accept/{token}",
            web::get().to(volunteers::accept_page),
        )
        .route(
            "/volunteer/accept/{token}",
            web::post().to(volunteers::accept_invite),
        )
        .route(
            "/volunteer/claims/{id}/release",
            web::post().to(volunteers::release),
        )
        .route("/volunteer/feed", web::post().to(volunteers::make_feed))
        .route("/volunteer/feed/{token}", web::get().to(volunteers::feed))
        .route("/tours/{slug}/cfp", web::get().to(speakers::cfp_page))
        .route("/tours/{slug}/cfp", web::post().to(speakers::cfp_submit))
        .route("/speakers/{id}", web::get().to(speakers::public_profile))
        .route("/speaker", web::get().to(speakers::own_page))
        .route("/speaker/login", web::get().to(speakers::login_form))
        .route("/speaker/login", web::post().to(speakers::login_submit))
        .route("/speaker/enter/{token}", web::get().to(speakers::enter))
        .route(
            "/speaker/enter/{token}",
            web::post().to(speakers::enter_submit),
        )
        .route(
            "/speaker/proposals/confirm/{token}",
            web::get().to(speakers::confirm_proposal_page),
        )
        .route(
            "/speaker/proposals/confirm/{token}",
            web::post().to(speakers::confirm_proposal_submit),
        )
        .route(
            "/speaker/talks/{id}/{answer}",
            web::post().to(speakers::answer_talk),
        )
        .route("/speaker/profile", web::post().to(speakers::update_profile))
        .route(
            "/speaker/slots/{id}/confirm",
            web::post().to(speakers::confirm_slot),
        )
        .route(
            "/speaker/slots/{id}/slides",
            web::post().to(speakers::upload_slides),
        )
        .route(
            "/speaker/materials/{id}/remove",
            web::post().to(speakers::remove_slides),
        )
        .route(
            "/speaker/proposals/{id}/edit",
            web::post().to(speakers::edit_proposal),
        )
        .route(
            "/speaker/proposals/{id}/withdraw",
            web::post().to(speakers::withdraw_proposal),
        )
        .route("/speaker/feed", web::post().to(speakers::make_feed))
        .route("/speaker/feed/{token}", web::get().to(speakers::feed))
        .route(
            "/materials/{id}/download",
            web::get().to(speakers::download),
        )
        .route("/desk/{id}", web::get().to(desk::desk_page))
        .route("/desk/{id}/checkin", web::post().to(desk::check_in))
        .route("/desk/{id}/walk-in", web::post().to(desk::walk_in))
        .route("/static/desk.js", web::get().to(desk_script))
        .route("/static/upload.js", web::get().to(upload_script))
        .route("/lang/{code}", web::get().to(auth::switch_language))
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::login_submit))
        .route("/logout", web::post().to(auth::logout))
        .route("/login/link", web::get().to(account::sign_in_link_form))
        .route("/login/link", web::post().to(account::sign_in_link_submit))
        .route(
            "/login/link/{token}",
            web::get().to(account::sign_in_link_landing),
        )
        .route(
            "/login/link/{token}",
            web::post().to(account::sign_in_link_use),
        )
        .route("/setup/{token}", web::get().to(auth::setup_form))
        .route("/setup/{token}", web::post().to(auth::setup_submit))
        .route("/invite/{token}", web::get().to(auth::invite_form))
        .route("/invite/{token}", web::post().to(auth::invite_submit))
        .route("/password/forgot", web::get().to(auth::forgot_form))
        .route("/password/forgot", web::post().to(auth::forgot_submit))
        .route("/password/reset/{token}", web::get().to(auth::reset_form))
        .route(
            "/password/reset/{token}",
            web::post().to(auth::reset_submit),
        )
        .service(
            web::scope("/manage")
                .route("", web::get().to(tours::dashboard))
                .route("/account", web::get().to(account::account_page))
                .route(
                    "/account/password",
                    web::post().to(account::change_password),
                )
                .route(
                    "/account/sessions/{id}/revoke",
                    web::post().to(account::revoke_session),
                )
                .route(
                    "/account/sign-out-everywhere",
                    web::post().to(account::sign_out_everywhere),
                )
                .route("/account/tokens", web::post().to(account::create_token))
                .route(
                    "/account/tokens/{id}/revoke",
                    web::post().to(account::revoke_token),
                )
                .route("/tours/new", web::get().to(tours::new_tour_form))
                .route("/tours/new", web::post().to(tours::new_tour_submit))
                .route("/tours/{id}", web::get().to(tours::tour_page))
                .route("/tours/{id}/preview", web::get().to(tours::preview_tour))
                .route("/tours/{id}/edit", web::get().to(tours::edit_tour_form))
                .route("/tours/{id}/edit", web::post().to(tours::edit_tour_submit))
                .route(
                    "/tours/{id}/status/{status}",
                    web::post().to(tours::set_tour_status),
                )
                .route("/tours/{id}/team", web::post().to(tours::add_member))
                .route(
                    "/tours/{id}/team/{organizer_id}/remove",
                    web::post().to(tours::remove_member),
                )
                .route("/tours/{id}/stops/new", web::get().to(stops::new_stop_form))
                .route(
                    "/tours/{id}/stops/new",
                    web::post().to(stops::new_stop_submit),
                )
                .route("/stops/{id}", web::get().to(stops::stop_page))
                .route("/stops/{id}/preview", web::get().to(stops::preview_stop))
                .route("/stops/{id}/edit", web::get().to(stops::edit_stop_form))
                .route("/stops/{id}/edit", web::post().to(stops::edit_stop_submit))
                .route(
                    "/stops/{id}/status/{status}",
                    web::get().to(stops::stop_status_page),
                )
                .route(
                    "/stops/{id}/status/{status}",
                    web::post().to(stops::set_stop_status),
                )
                .route("/stops/{id}/backups", web::post().to(stops::add_backup))
                .route(
                    "/stops/{id}/backups/{venue_id}/{action}",
                    web::post().to(stops::change_backup),
                )
                .route(
                    "/stops/{id}/supporters",
                    web::post().to(stops::add_supporter),
                )
                .route(
                    "/stops/{id}/supporters/{supporter_id}/remove",
                    web::post().to(stops::remove_supporter),
                )
                .route(
                    "/stops/{id}/registrations",
                    web::get().to(registrations::list),
                )
                .route(
                    "/stops/{id}/registrations.csv",
                    web::get().to(registrations::csv),
                )
                .route(
                    "/stops/{id}/registrations.xlsx",
                    web::get().to(registrations::xlsx),
                )
                .route(
                    "/stops/{id}/switch-venue",
                    web::post().to(stops::switch_venue),
                )
                .route(
                    "/stops/{id}/switch-venue",
                    web::get().to(stops::switch_preview),
                )
                .route(
                    "/stops/{id}/desk-helpers",
                    web::post().to(stops::add_desk_helper),
                )
                .route(
                    "/stops/{id}/desk-helpers/remove",
                    web::post().to(stops::remove_desk_helper),
                )
                .route("/people", web::get().to(registrations::person))
                .route(
                    "/stops/{id}/materials",
                    web::get().to(materials::stop_dashboard),
                )
                .route(
                    "/stops/{id}/materials/open",
                    web::post().to(materials::open_requests),
                )
                .route(
                    "/stops/{id}/materials/{material}",
                    web::post().to(materials::organizer_hand_in),
                )
                .route(
                    "/stops/{id}/materials/{material}/{action}",
                    web::post().to(materials::set_published),
                )
                .route(
                    "/tours/{id}/materials",
                    web::get().to(materials::tour_dashboard),
                )
                .route(
                    "/tours/{id}/report",
                    web::get().to(materials::organizer_report),
                )
                .route(
                    "/tours/{id}/report.{ext}",
                    web::get().to(materials::organizer_export),
                )
                .route(
                    "/tours/{id}/report/{action}",
                    web::post().to(materials::publish_report),
                )
                .route("/stops/{id}/tasks", web::get().to(volunteers::tasks_page))
                .route("/stops/{id}/tasks", web::post().to(volunteers::add_task))
                .route(
                    "/stops/{id}/tasks/standard",
                    web::post().to(volunteers::standard),
                )
                .route(
                    "/stops/{id}/tasks/assign",
                    web::post().to(volunteers::assign),
                )
                .route(
                    "/stops/{id}/tasks/invite",
                    web::post().to(volunteers::invite),
                )
                .route(
                    "/stops/{id}/tasks/{task}/slots",
                    web::post().to(volunteers::set_slots),
                )
                .route(
                    "/stops/{id}/tasks/{task}/delete",
                    web::post().to(volunteers::delete_task),
                )
                .route(
                    "/stops/{id}/tasks/claims/{claim}/{action}",
                    web::post().to(volunteers::claim_action),
                )
                .route(
                    "/tours/{id}/proposals",
                    web::get().to(speakers::proposals_page),
                )
                .route("/proposals/{id}/accept", web::post().to(speakers::accept))
                .route("/proposals/{id}/reject", web::post().to(speakers::reject))
                .route("/stops/{id}/agenda", web::get().to(speakers::builder))
                .route("/stops/{id}/agenda", web::post().to(speakers::add_item))
                .route(
                    "/stops/{id}/agenda/publish",
                    web::post().to(speakers::publish),
                )
                .route(
                    "/stops/{id}/agenda/{item}/move",
                    web::post().to(speakers::move_item),
                )
                .route(
                    "/stops/{id}/agenda/{item}/remove",
                    web::post().to(speakers::remove_item),
                )
                .route(
                    "/stops/{id}/agenda/{item}/{way:earlier|later}",
                    web::post().to(speakers::shift_item),
                )
                .route("/speakers/{id}", web::get().to(speakers::speaker_history))
                .route("/speakers/{id}/invite", web::post().to(speakers::invite))
                .route("/venues", web::get().to(venues::venue_list))
                .route("/venues/new", web::get().to(venues::new_venue_form))
                .route("/venues/new", web::post().to(venues::new_venue_submit))
                .route("/venues/{id}", web::get().to(venues::venue_page))
                .route("/venues/{id}/edit", web::get().to(venues::edit_venue_form))
                .route(
                    "/venues/{id}/edit",
                    web::post().to(venues::edit_venue_submit),
                )
                .route("/venues/{id}/suggest", web::get().to(venues::suggest_form))
                .route(
                    "/venues/{id}/suggest",
                    web::post().to(venues::suggest_submit),
                )
                .route("/venues/{id}/copy", web::get().to(venues::copy_form))
                .route("/venues/{id}/copy", web::post().to(venues::copy_submit))
                .route("/organizers", web::get().to(organizers::organizer_list))
                .route("/organizers", web::post().to(organizers::add_organizer))
                .route("/tours/{id}/outbox", web::get().to(mail::tour_outbox))
                .route("/tours/{id}/messages", web::get().to(mail::message_form))
                .route("/tours/{id}/messages", web::post().to(mail::message_submit))
                .route("/outbox", web::get().to(mail::all_outbox))
                .route("/outbox/{id}/retry", web::post().to(mail::retry))
                .route("/emails", web::get().to(mail::template_list))
                .route("/emails/{kind}", web::get().to(mail::template_page))
                .route("/emails/{kind}/html", web::get().to(mail::template_html)),
        );
}

async fn desk_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(include_str!("../../static/desk.js"))
}

async fn upload_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(include_str!("../../static/upload.js"))
}
