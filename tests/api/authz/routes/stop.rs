//! The rows of one stop, tried at stop A (the local team's) and at stop B (not theirs), and
//! the rows that name one stop in the address and an object of the other.

use super::{NO_FIELDS, Route, api, form, get};
use crate::authz::fresh::Fresh;
use crate::authz::roles::Access::*;
use crate::authz::roles::At;

/// The stop's pages and forms, its desk and its API, at `at` (`<S_id>`, `<S>`).
pub(super) fn rows(at: At) -> Vec<Route> {
    vec![
        // ----- the stop's pages and forms (web::stops) -----
        get("/manage/stops/<S_id>", StopTeam(at)),
        get("/manage/stops/<S_id>/preview", StopTeam(at)),
        get("/manage/stops/<S_id>/edit", StopTeam(at)),
        form(
            "/manage/stops/<S_id>/edit",
            &[("city", "Edited by <caller>"), ("starts_at", "<day_<S>>T08:00"), ("ends_at", "<day_<S>>T22:00"), ("timezone", "Asia/Shanghai"), ("venue_id", ""), ("capacity", ""), ("show_rate", ""), ("livestream_url", "https://live.example.org/<caller>"), ("online_viewers", "")],
            StopTeam(at),
        ),
        // The question before a cancellation (it changes nothing).
        get("/manage/stops/<S_id>/status/cancelled", StopTeam(at)),
        form("/manage/stops/<S_id>/status/closed", NO_FIELDS, StopTeam(at)),
        form("/manage/stops/<S_id>/status/open", NO_FIELDS, StopTeam(at)).after_previous(),
        form("/manage/stops/<S_id>/backups", &[("venue_id", "<fresh>")], StopTeam(at)).fresh(Fresh::Venue),
        form("/manage/stops/<S_id>/backups/<VB1>/down", NO_FIELDS, StopTeam(at)),
        form("/manage/stops/<S_id>/supporters", &[("name", "Supporter of <caller>"), ("contribution", "Tea")], StopTeam(at)),
        form("/manage/stops/<S_id>/supporters/<fresh>/remove", NO_FIELDS, StopTeam(at)).fresh(Fresh::Supporter(at)),
        // What a switch would do (changes nothing), then the switch once confirmed.
        get("/manage/stops/<S_id>/switch-venue?venue_id=<fresh>&reason=Blackout", StopTeam(at)).fresh(Fresh::Venue),
        form("/manage/stops/<S_id>/switch-venue", &[("venue_id", "<fresh>"), ("reason", "Blackout"), ("action", "confirm")], StopTeam(at)).fresh(Fresh::Venue),
        form("/manage/stops/<S_id>/desk-helpers", &[("email", "newhelper@example.org"), ("name", "New Helper")], StopTeam(at)),
        form("/manage/stops/<S_id>/desk-helpers/remove", &[("email", "leaving@example.org")], StopTeam(at)),
        // ----- registrations (web::registrations) -----
        get("/manage/stops/<S_id>/registrations", StopTeam(at)),
        get("/manage/stops/<S_id>/registrations.csv", StopTeam(at)),
        get("/manage/stops/<S_id>/registrations.xlsx", StopTeam(at)),
        // ----- materials (web::materials) -----
        get("/manage/stops/<S_id>/materials", StopTeam(at)),
        form("/manage/stops/<S_id>/materials/open", NO_FIELDS, StopTeam(at)),
        form("/manage/stops/<S_id>/materials/<fresh>", NO_FIELDS, StopTeam(at))
            .fresh(Fresh::Material(at))
            .multipart(&[("link_url", "https://slides.example.org/<caller>")], false),
        form("/manage/stops/<S_id>/materials/<fresh>/publish", NO_FIELDS, StopTeam(at)).fresh(Fresh::Material(at)),
        // A material not published yet: its stop's organizers (and its talk's speakers).
        get("/materials/<fresh>/download", StopTeam(at)).fresh(Fresh::Material(at)).also_public(),
        // ----- tasks and volunteers (web::volunteers) -----
        get("/manage/stops/<S_id>/tasks", StopTeam(at)),
        form("/manage/stops/<S_id>/tasks", &[("kind", "setup"), ("title", "Task of <caller>"), ("description", ""), ("starts_at", ""), ("ends_at", ""), ("slots", "2")], StopTeam(at)),
        form("/manage/stops/<S_id>/tasks/standard", NO_FIELDS, StopTeam(at)),
        form("/manage/stops/<S_id>/tasks/assign", &[("task_id", "<task_<S>>"), ("name", "Assigned by <caller>"), ("email", "assigned-<caller>@example.org")], StopTeam(at)),
        form("/manage/stops/<S_id>/tasks/invite", &[("task_id", "<task_<S>>"), ("registration_id", "<reg_<S>>")], StopTeam(at)),
        form("/manage/stops/<S_id>/tasks/<task_<S>>/slots", &[("slots", "7")], StopTeam(at)),
        form("/manage/stops/<S_id>/tasks/<fresh>/delete", NO_FIELDS, StopTeam(at)).fresh(Fresh::Task(at)),
        form("/manage/stops/<S_id>/tasks/claims/<fresh>/came", NO_FIELDS, StopTeam(at)).fresh(Fresh::Claim(at)),
        form("/manage/stops/<S_id>/tasks/claims/<fresh>/release", NO_FIELDS, StopTeam(at)).fresh(Fresh::Claim(at)),
        // ----- the agenda (web::speakers) -----
        get("/manage/stops/<S_id>/agenda", StopTeam(at)),
        form("/manage/stops/<S_id>/agenda", &[("talk_id", ""), ("kind", "break"), ("title", "Break of <caller>"), ("starts_at", "<fresh_local>"), ("duration_minutes", "5")], StopTeam(at)).fresh(Fresh::Agenda(at)),
        form("/manage/stops/<S_id>/agenda/publish", NO_FIELDS, StopTeam(at)),
        form("/manage/stops/<S_id>/agenda/<fresh>/move", &[("starts_at", "<fresh_local>"), ("duration_minutes", "5")], StopTeam(at)).fresh(Fresh::Agenda(at)),
        form("/manage/stops/<S_id>/agenda/<fresh>/remove", NO_FIELDS, StopTeam(at)).fresh(Fresh::Agenda(at)),
        form("/manage/stops/<S_id>/agenda/<fresh>/earlier", NO_FIELDS, StopTeam(at)).fresh(Fresh::Agenda(at)),
        form("/manage/stops/<S_id>/agenda/<fresh>/later", NO_FIELDS, StopTeam(at)).fresh(Fresh::Agenda(at)),
        // ----- messages to one stop's people (web::mail) -----
        form("/manage/tours/<T>/messages", &[("stop_id", "<S_id>"), ("segment", "checked_in"), ("subject_en", "Stop news"), ("body_en", "Hello {name}"), ("action", "preview")], StopTeam(at)),
        form("/manage/tours/<T>/messages", &[("stop_id", "<S_id>"), ("segment", "checked_in"), ("subject_en", "Stop news from <caller>"), ("body_en", "Hello {name}"), ("action", "send")], StopTeam(at)),
        // ----- the check-in desk (web::desk) -----
        get("/desk/<S_id>", Desk(at)),
        get("/desk/<S_id>?q=Leakname", Desk(at)),
        form("/desk/<S_id>/checkin", &[("code", "<fresh_code>")], Desk(at)).fresh(Fresh::Registration(at)),
        form("/desk/<S_id>/checkin", &[("registration_id", "<fresh>")], Desk(at)).fresh(Fresh::Registration(at)),
        form("/desk/<S_id>/walk-in", &[("name", "Walk-in of <caller>"), ("email", "walkin-<caller>@example.org"), ("affiliation", "")], Desk(at)),
        // ----- the stop API (api::stops, api::registrations) -----
        api("GET", "/api/v1/stops/<S_id>", "", StopTeam(at)),
        api("PATCH", "/api/v1/stops/<S_id>", r#"{"livestream_url": "https://live.example.org/api-<caller>"}"#, StopTeam(at)),
        api("PUT", "/api/v1/stops/<S_id>/backups", r#"{"venue_ids": ["<VB2>", "<VB1>"]}"#, StopTeam(at)),
        api("POST", "/api/v1/stops/<S_id>/clone", r#"{"starts_at": "<day_c>T09:00:00+08:00", "ends_at": "<day_c>T17:00:00+08:00"}"#, TourEditors),
        api("POST", "/api/v1/stops/<S_id>/supporters", r#"{"name": "API supporter of <caller>"}"#, StopTeam(at)),
        api("DELETE", "/api/v1/stops/<S_id>/supporters/<fresh>", "", StopTeam(at)).fresh(Fresh::Supporter(at)),
        api("GET", "/api/v1/stops/<S_id>/registrations", "", StopTeam(at)),
        api("GET", "/api/v1/stops/<S_id>/registrations?format=csv", "", StopTeam(at)),
        api("GET", "/api/v1/stops/<S_id>/registrations?format=xlsx", "", StopTeam(at)),
        api("POST", "/api/v1/stops/<S_id>/checkins", r#"{"code": "<fresh_code>"}"#, StopTeam(at)).fresh(Fresh::Registration(at)),
        api("POST", "/api/v1/stops/<S_id>/walk-ins", r#"{"name": "API walk-in", "email": "apiwalkin-<caller>@example.org"}"#, StopTeam(at)),
        api("GET", "/api/v1/stops/<S_id>/stats", "", StopTeam(at)),
        api("POST", "/api/v1/stops/<S_id>/switch-venue", r#"{"venue_id": "<fresh>", "reason": "Blackout"}"#, StopTeam(at)).fresh(Fresh::Venue),
        api("POST", "/api/v1/registrations/<fresh>/cancel", r#"{"manage_token": <my_manage_token>}"#, StopTeam(at)).fresh(Fresh::Registration(at)),
        // ----- materials, tasks, the agenda (api::materials, api::tasks, api::speakers, api::report) -----
        api("GET", "/api/v1/stops/<S_id>/materials", "", StopTeam(at)),
        api("POST", "/api/v1/stops/<S_id>/materials", "", StopTeam(at)).multipart(&[("kind", "other"), ("title", "Upload of <caller>")], true),
        api("POST", "/api/v1/stops/<S_id>/materials", r#"{"kind": "other", "title": "Link of <caller>", "link_url": "https://example.org/<caller>"}"#, StopTeam(at)),
        api("POST", "/api/v1/materials/<fresh>/publish", r#"{"published": true}"#, StopTeam(at)).fresh(Fresh::Material(at)),
        api("POST", "/api/v1/stops/<S_id>/tasks", r#"{"kind": "setup", "title": "API task of <caller>", "slots": 1}"#, StopTeam(at)),
        api("GET", "/api/v1/stops/<S_id>/tasks", "", StopTeam(at)),
        api("POST", "/api/v1/stops/<S_id>/tasks/standard", "{}", StopTeam(at)),
        api("PATCH", "/api/v1/tasks/<task_<S>>", r#"{"title": "Photos (<caller>)"}"#, StopTeam(at)),
        api("POST", "/api/v1/claims/<fresh>/release", "{}", StopTeam(at)).fresh(Fresh::Claim(at)),
        api("POST", "/api/v1/claims/<fresh>/attendance", r#"{"showed_up": true}"#, StopTeam(at)).fresh(Fresh::Claim(at)),
        api("POST", "/api/v1/stops/<S_id>/agenda", r#"{"kind": "break", "title": "API break of <caller>", "starts_at": "<fresh_rfc>", "duration_minutes": 5}"#, StopTeam(at)).fresh(Fresh::Agenda(at)),
        api("GET", "/api/v1/stops/<S_id>/agenda", "", StopTeam(at)),
        api("POST", "/api/v1/stops/<S_id>/agenda/publish", "{}", StopTeam(at)),
        api("PATCH", "/api/v1/agenda/<fresh>", r#"{"starts_at": "<fresh_rfc>", "duration_minutes": 5}"#, StopTeam(at)).fresh(Fresh::Agenda(at)),
        api("DELETE", "/api/v1/agenda/<fresh>", "", StopTeam(at)).fresh(Fresh::Agenda(at)),
        api("POST", "/api/v1/tours/<T>/messages", r#"{"stop_id": "<S_id>", "segment": "checked_in", "subject": "News", "body": "Hello {name}", "preview": true}"#, StopTeam(at)),
        api("POST", "/api/v1/tours/<T>/messages", r#"{"stop_id": "<S_id>", "segment": "checked_in", "subject": "API stop news from <caller>", "body": "Hello {name}"}"#, StopTeam(at)),
    ]
}

/// Stop A in the address, an object of stop B in the form or path: the object decides.
pub(super) fn cross() -> Vec<Route> {
    use At::B;
    vec![
        form(
            "/manage/stops/<A>/tasks/assign",
            &[
                ("task_id", "<task_B>"),
                ("name", "Cross"),
                ("email", "cross-<caller>@example.org"),
            ],
            StopTeam(B),
        ),
        form(
            "/manage/stops/<A>/tasks/invite",
            &[("task_id", "<task_B>"), ("registration_id", "<reg_B>")],
            StopTeam(B),
        ),
        form(
            "/manage/stops/<A>/tasks/<task_B>/slots",
            &[("slots", "8")],
            StopTeam(B),
        ),
        form(
            "/manage/stops/<A>/tasks/<fresh>/delete",
            NO_FIELDS,
            StopTeam(B),
        )
        .fresh(Fresh::Task(B)),
        form(
            "/manage/stops/<A>/tasks/claims/<fresh>/absent",
            NO_FIELDS,
            StopTeam(B),
        )
        .fresh(Fresh::Claim(B)),
        form(
            "/manage/stops/<A>/materials/<fresh>/publish",
            NO_FIELDS,
            StopTeam(B),
        )
        .fresh(Fresh::Material(B)),
        form(
            "/manage/stops/<A>/agenda/<fresh>/move",
            &[("starts_at", "<fresh_local>"), ("duration_minutes", "5")],
            StopTeam(B),
        )
        .fresh(Fresh::Agenda(B)),
        form(
            "/manage/stops/<A>/agenda/<fresh>/remove",
            NO_FIELDS,
            StopTeam(B),
        )
        .fresh(Fresh::Agenda(B)),
    ]
}
