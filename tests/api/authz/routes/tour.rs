//! The rows that are not one stop's: the tour's pages and API (its team, report, proposals,
//! outbox and messages), the people search, venues, the site admins' pages, desk access for a
//! desk task's volunteer, the caller's own account and the e-mail templates.

use super::{NO_FIELDS, Route, api, form, get};
use crate::authz::fresh::Fresh;
use crate::authz::roles::Access::*;
use crate::authz::roles::At;

pub(super) fn rows() -> Vec<Route> {
    vec![
        // ----- tours (web::tours) -----
        get("/manage", AnyOrganizer),
        get("/manage/tours/new", AnyOrganizer),
        form(
            "/manage/tours/new",
            &[
                ("name", "Made by <caller>"),
                ("slug", ""),
                ("description", ""),
                ("contact_email", ""),
                ("prior_show_rate", "0.5"),
                ("cfp_opens_on", ""),
                ("cfp_closes_on", ""),
            ],
            AnyOrganizer,
        ),
        get("/manage/tours/<T>", TourTeam),
        get("/manage/tours/<T>/preview", TourTeam),
        get("/manage/tours/<T>/edit", TourEditors),
        form(
            "/manage/tours/<T>/edit",
            &[
                ("name", "Matrix Tour (edited)"),
                ("slug", "<T_slug>"),
                ("description", "Edited."),
                ("contact_email", "team@example.org"),
                ("prior_show_rate", "0.5"),
                ("cfp_opens_on", "<cfp_opens>"),
                ("cfp_closes_on", "<cfp_closes>"),
            ],
            TourEditors,
        ),
        form("/manage/tours/<T>/status/archived", NO_FIELDS, TourEditors),
        form("/manage/tours/<T>/status/published", NO_FIELDS, TourEditors).after_previous(),
        form(
            "/manage/tours/<T>/team",
            &[("email", "newmember@example.org"), ("role", "organizer")],
            TourOwners,
        ),
        form(
            "/manage/tours/<T>/team/<fresh>/remove",
            NO_FIELDS,
            TourOwners,
        )
        .fresh(Fresh::Member),
        get("/manage/tours/<T>/stops/new", TourEditors),
        get("/manage/tours/<T>/stops/new?from=<A>", TourEditors),
        form(
            "/manage/tours/<T>/stops/new",
            &[
                ("city", "Charlieburg"),
                ("starts_at", "<day_c>T09:00"),
                ("ends_at", "<day_c>T17:00"),
                ("timezone", "Asia/Shanghai"),
                ("venue_id", "<VA>"),
                ("backup_1", ""),
                ("backup_2", ""),
                ("backup_3", ""),
                ("capacity", ""),
                ("show_rate", ""),
                ("livestream_url", ""),
                ("online_viewers", ""),
                ("from", ""),
            ],
            TourEditors,
        ),
        form(
            "/manage/tours/<T>/stops/new",
            &[
                ("from", "<A>"),
                ("starts_at", "<day_c>T09:00"),
                ("ends_at", "<day_c>T17:00"),
            ],
            TourEditors,
        ),
        // ----- the people search (web::registrations) -----
        get(
            "/manage/people?email=alpha.leak@secret.example",
            AnyOrganizer,
        ),
        get(
            "/manage/people?email=bravo.leak@secret.example",
            AnyOrganizer,
        ),
        // ----- the tour's materials, report, proposals, outbox and messages -----
        get("/manage/tours/<T>/materials", TourTeam),
        get("/manage/tours/<T>/report", TourTeam),
        get("/manage/tours/<T>/report.md", TourTeam),
        get("/manage/tours/<T>/report.csv", TourTeam),
        get("/manage/tours/<T>/report.xlsx", TourTeam),
        form("/manage/tours/<T>/report/publish", NO_FIELDS, TourEditors),
        get("/manage/tours/<T>/proposals", TourEditors),
        form(
            "/manage/proposals/<fresh>/accept",
            &[("stop_ids", "<A>"), ("message", "Welcome")],
            TourEditors,
        )
        .fresh(Fresh::Proposal),
        form(
            "/manage/proposals/<fresh>/reject",
            &[("message", "Sorry")],
            TourEditors,
        )
        .fresh(Fresh::Proposal),
        // A speaker with a public slot at stop A: any organizer may look them up (without
        // their address); one with a slot at stop B only (whose agenda is not published
        // until the stop routes below): the tour's team, the local one without the address.
        get("/manage/speakers/<speaker>", AnyOrganizer),
        get("/manage/speakers/<speaker_B>", TourTeam),
        form(
            "/manage/speakers/<speaker>/invite",
            &[("talk_id", "<talk>"), ("stop_id", "<B>")],
            TourEditors,
        ),
        get("/manage/tours/<T>/outbox", TourEditors),
        get("/manage/tours/<T>/messages", TourTeam),
        get("/manage/tours/<T>/messages?stop=<B>", TourTeam),
        form(
            "/manage/tours/<T>/messages",
            &[
                ("stop_id", ""),
                ("segment", "checked_in"),
                ("subject_en", "Tour news"),
                ("body_en", "Hello {name}"),
                ("action", "preview"),
            ],
            TourTeam,
        ),
        form(
            "/manage/tours/<T>/messages",
            &[
                ("stop_id", ""),
                ("segment", "checked_in"),
                ("subject_en", "Tour news from <caller>"),
                ("body_en", "Hello {name}"),
                ("action", "send"),
            ],
            TourTeam,
        ),
        form("/manage/outbox/<fresh>/retry", NO_FIELDS, TourEditors).fresh(Fresh::FailedMessage),
        // ----- venues (shared; edited by their creator) -----
        get("/manage/venues", AnyOrganizer),
        get("/manage/venues/new", AnyOrganizer),
        form(
            "/manage/venues/new",
            &[
                ("name", "Venue of <caller>"),
                ("city", "Beijing"),
                ("address", "1 Road"),
                ("directions", "3F"),
                ("capacity", "80"),
                ("kind", "cafe"),
                ("cost", "free"),
                ("cost_note", ""),
                ("contact", ""),
                ("caveats", ""),
            ],
            AnyOrganizer,
        ),
        get("/manage/venues/<VA>", AnyOrganizer),
        get("/manage/venues/<VA>/edit", VenueEditors),
        form(
            "/manage/venues/<VA>/edit",
            &[
                ("name", "Alpha Hall (edited)"),
                ("city", "Beijing"),
                ("address", "1 Alpha Road"),
                ("directions", "2F"),
                ("capacity", "100"),
                ("kind", "company_office"),
                ("cost", "free"),
                ("cost_note", ""),
                ("contact", ""),
                ("caveats", ""),
            ],
            VenueEditors,
        ),
        // ----- site admins -----
        get("/manage/organizers", SiteAdmins),
        form(
            "/manage/organizers",
            &[
                ("email", "neworganizer-<caller>@example.org"),
                ("name", "New"),
            ],
            SiteAdmins,
        ),
        get("/manage/outbox", SiteAdmins),
        // ----- a venue someone else made: suggest a change, or copy it -----
        get("/manage/venues/<fresh>/suggest", AnyOrganizer).fresh(Fresh::AdminVenue),
        form(
            "/manage/venues/<fresh>/suggest",
            &[
                ("name", "Admin Hall"),
                ("city", "Beijing"),
                ("address", ""),
                ("directions", "Suggested by <caller>"),
                ("capacity", "80"),
                ("kind", "other"),
                ("cost", "free"),
                ("cost_note", ""),
                ("contact", ""),
                ("caveats", ""),
                ("message", "The room moved"),
            ],
            AnyOrganizer,
        )
        .fresh(Fresh::AdminVenue),
        get("/manage/venues/<fresh>/copy", AnyOrganizer).fresh(Fresh::AdminVenue),
        form("/manage/venues/<fresh>/copy", NO_FIELDS, AnyOrganizer).fresh(Fresh::AdminVenue),
        api(
            "POST",
            "/api/v1/venues/<fresh>/suggestions",
            r#"{"directions": "Suggested by <caller>", "message": "The room moved"}"#,
            AnyOrganizer,
        )
        .fresh(Fresh::AdminVenue),
        api(
            "POST",
            "/api/v1/venues/<fresh>/copy",
            r#"{"stop_ids": []}"#,
            AnyOrganizer,
        )
        .fresh(Fresh::AdminVenue),
        // ----- desk access for a desk task's volunteer: given by the stop's organizers -----
        form(
            "/manage/stops/<A>/tasks/claims/<fresh>/desk",
            NO_FIELDS,
            StopTeam(At::A),
        )
        .fresh(Fresh::DeskClaim),
        form(
            "/manage/stops/<A>/tasks/claims/<fresh>/undesk",
            NO_FIELDS,
            StopTeam(At::A),
        )
        .fresh(Fresh::DeskClaim),
        api(
            "POST",
            "/api/v1/claims/<fresh>/desk-access",
            "{}",
            StopTeam(At::A),
        )
        .fresh(Fresh::DeskClaim),
        api(
            "DELETE",
            "/api/v1/claims/<fresh>/desk-access",
            "",
            StopTeam(At::A),
        )
        .fresh(Fresh::DeskClaim),
        // ----- the caller's own account (changing the password and signing out everywhere
        // act on the caller alone: SELF_ROUTES, tested in accounts.rs) -----
        get("/manage/account", AnyOrganizer),
        form("/manage/account/sessions/<fresh>/revoke", NO_FIELDS, Itself)
            .fresh(Fresh::OwnerSession),
        form(
            "/manage/account/tokens",
            &[("label", "made by <caller>"), ("expires_in_days", "30")],
            AnyOrganizer,
        ),
        form("/manage/account/tokens/<fresh>/revoke", NO_FIELDS, Itself).fresh(Fresh::OwnerToken),
        api("GET", "/api/v1/tokens", "", AnyOrganizer),
        api("DELETE", "/api/v1/tokens/<fresh>", "", Itself).fresh(Fresh::OwnerToken),
        // ----- e-mail templates -----
        get("/manage/emails", AnyOrganizer),
        get("/manage/emails/reminder", AnyOrganizer),
        get("/manage/emails/reminder/html", AnyOrganizer),
        // ----- the tour API -----
        api("GET", "/api/v1/tours", "", AnyOrganizer),
        api(
            "POST",
            "/api/v1/tours",
            r#"{"name": "API tour of <caller>"}"#,
            AnyOrganizer,
        ),
        api("GET", "/api/v1/tours/<T>", "", TourTeam),
        api(
            "PATCH",
            "/api/v1/tours/<T>",
            r#"{"description": "Patched by <caller>"}"#,
            TourEditors,
        ),
        api("GET", "/api/v1/tours/<T>/members", "", TourTeam),
        api(
            "POST",
            "/api/v1/tours/<T>/members",
            r#"{"email": "apimember@example.org", "role": "organizer"}"#,
            TourOwners,
        ),
        api(
            "DELETE",
            "/api/v1/tours/<T>/members/<fresh>",
            "",
            TourOwners,
        )
        .fresh(Fresh::Member),
        api("GET", "/api/v1/tours/<T>/stops", "", TourTeam),
        api(
            "POST",
            "/api/v1/tours/<T>/stops",
            r#"{"city": "API City", "starts_at": "<day_c>T09:00:00+08:00", "ends_at": "<day_c>T17:00:00+08:00", "timezone": "Asia/Shanghai", "venue_id": "<VA>"}"#,
            TourEditors,
        ),
        api(
            "GET",
            "/api/v1/attendance?email=alpha.leak@secret.example",
            "",
            AnyOrganizer,
        ),
        api(
            "GET",
            "/api/v1/attendance?email=bravo.leak@secret.example",
            "",
            AnyOrganizer,
        ),
        api("GET", "/api/v1/tours/<T>/report", "", TourTeam),
        api(
            "POST",
            "/api/v1/tours/<T>/report/publish",
            r#"{"published": true}"#,
            TourEditors,
        ),
        api("GET", "/api/v1/tours/<T>/proposals", "", TourEditors),
        api(
            "POST",
            "/api/v1/proposals/<fresh>/accept",
            r#"{"stop_ids": ["<A>"], "message": "Welcome"}"#,
            TourEditors,
        )
        .fresh(Fresh::Proposal),
        api(
            "POST",
            "/api/v1/proposals/<fresh>/reject",
            r#"{"message": "Sorry"}"#,
            TourEditors,
        )
        .fresh(Fresh::Proposal),
        // Speakers are one directory shared by every tour, and an address already in it is
        // answered with that speaker's record (`services::speakers::create_speaker`): new
        // addresses here.
        api(
            "POST",
            "/api/v1/speakers",
            r#"{"name": "Speaker of <caller>", "email": "apispeaker-<caller>@example.org"}"#,
            AnyOrganizer,
        ),
        api(
            "POST",
            "/api/v1/talks",
            r#"{"title": "Talk of <caller>", "duration_minutes": 20, "speaker_ids": ["<speaker>"]}"#,
            AnyOrganizer,
        ),
        api("GET", "/api/v1/tours/<T>/outbox", "", TourEditors),
        api(
            "POST",
            "/api/v1/tours/<T>/messages",
            r#"{"segment": "checked_in", "subject": "News", "body": "Hello {name}", "preview": true}"#,
            TourTeam,
        ),
        api(
            "POST",
            "/api/v1/tours/<T>/messages",
            r#"{"segment": "checked_in", "subject": "API news from <caller>", "body": "Hello {name}"}"#,
            TourTeam,
        ),
        api("POST", "/api/v1/outbox/<fresh>/retry", "{}", TourEditors).fresh(Fresh::FailedMessage),
        api("GET", "/api/v1/venues", "", AnyOrganizer),
        api(
            "POST",
            "/api/v1/venues",
            r#"{"name": "API venue of <caller>", "city": "Beijing", "capacity": 50, "kind": "cafe", "cost": "shared"}"#,
            AnyOrganizer,
        ),
        api("GET", "/api/v1/venues/<VA>", "", AnyOrganizer),
        api(
            "PATCH",
            "/api/v1/venues/<VA>",
            r#"{"directions": "Changed by <caller>"}"#,
            VenueEditors,
        ),
    ]
}
