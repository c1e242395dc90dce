//! The authorization matrix: every organizer route — the pages and forms under /manage, the
//! check-in desk, and the JSON API calls that need an organizer — tried by every kind of
//! caller. Callers without the right get 401 / a redirect to sign in (anonymous), 403 or 404
//! (everyone else), never a page with someone's personal data, and their forms and calls
//! change nothing (the database is compared before and after). Callers with the right (the
//! tour's owner — the positive control of every route —, a stop's local co-organizer and
//! desk helpers within their reach, a site admin for the admin-only pages) succeed.
//!
//! Besides the roles, the life of a credential: a member removed from the team, and
//! whole-tour organizers whose cookie and token outlived a sign-out (and revocation), a
//! password reset, or their expiry, are refused everywhere as if they were nobody.

use std::cell::Cell;
use std::collections::HashMap;

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Anonymous,
    /// An organizer with a tour of their own, not in this tour's team.
    OtherOrganizer,
    /// In the team as the local team of stop A only.
    LocalOrganizer,
    /// Named by the organizers at stop A's desk, signed in with the mailed link.
    DeskHelper,
    /// Holds the registration desk task of stop A, signed in with the volunteer link, not
    /// (yet) given desk access by an organizer: a claim opens no one's data.
    DeskVolunteer,
    /// Gives a talk at stop A, signed in with the speaker link.
    Speaker,
    /// Registered for stop A, holding their manage link.
    Attendee,
    Owner,
    SiteAdmin,
    /// Was a whole-tour organizer, removed from the team; still signed in, token valid.
    RemovedOrganizer,
    /// A whole-tour organizer's browser cookie, copied before they signed out, and their
    /// API token after they revoked it.
    SignedOut,
    /// A whole-tour organizer's cookie and token from before their password was reset.
    AfterReset,
    /// A whole-tour organizer whose session and API token have expired.
    Expired,
}

const ROLES: [Role; 13] = [
    Role::Anonymous,
    Role::OtherOrganizer,
    Role::LocalOrganizer,
    Role::DeskHelper,
    Role::DeskVolunteer,
    Role::Speaker,
    Role::Attendee,
    Role::Owner,
    Role::SiteAdmin,
    Role::RemovedOrganizer,
    Role::SignedOut,
    Role::AfterReset,
    Role::Expired,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    A,
    B,
}

impl At {
    fn var(self) -> &'static str {
        match self {
            At::A => "A",
            At::B => "B",
        }
    }
}

/// Who may use a route (docs/design.md#users-and-roles and `domain::access`).
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Every signed-in organizer; what they see is limited to their own tours.
    AnyOrganizer,
    /// The tour's team, local co-organizers included (who see their stops only).
    TourTeam,
    /// Whole-tour organizers and owners (edit the tour, stops, CfP, outbox, report).
    TourEditors,
    /// The tour's owners (its team).
    TourOwners,
    /// The stop's organizers: the whole tour's, and the stop's local team.
    StopTeam(At),
    /// The stop's organizers and the helpers and volunteers of its desk.
    Desk(At),
    /// The venue's creator (and site admins).
    VenueEditors,
    /// The holder of the account the object belongs to (the owner's sessions and tokens
    /// here); site admins included, as everywhere.
    Itself,
    SiteAdmins,
}

impl Access {
    fn allows(self, role: Role) -> bool {
        use Role::*;
        match (self, role) {
            (_, SiteAdmin) => true,
            (Access::SiteAdmins, _) => false,
            (_, Owner) => true,
            (Access::AnyOrganizer, OtherOrganizer | LocalOrganizer | RemovedOrganizer) => true,
            (Access::TourTeam | Access::StopTeam(At::A), LocalOrganizer) => true,
            (Access::Desk(At::A), LocalOrganizer | DeskHelper) => true,
            _ => false,
        }
    }
}

/// Personal data planted in the tour, and who may see it besides its owner and site admins.
const MARKERS: &[(&str, &[Role])] = &[
    ("alpha.leak@secret.example", LOCAL_AND_DESK_A),
    ("Alpha Leakname", LOCAL_AND_DESK_A),
    ("attendee.leak@secret.example", LOCAL_AND_DESK_A),
    ("avol.leak@secret.example", LOCAL_A),
    ("Avol Leakname", LOCAL_A),
    ("speaker.leak@secret.example", LOCAL_A),
    ("pending.leak@secret.example", LOCAL_A),
    ("Pending Proposername", LOCAL_A),
    ("bravo.leak@secret.example", &[]),
    ("Bravo Leakname", &[]),
    ("bvol.leak@secret.example", &[]),
    ("Bvol Leakname", &[]),
    ("bhelper.leak@secret.example", &[]),
    ("bspeaker.leak@secret.example", &[]),
];
const LOCAL_A: &[Role] = &[Role::LocalOrganizer];
const LOCAL_AND_DESK_A: &[Role] = &[Role::LocalOrganizer, Role::DeskHelper];

/// An object made anew (by the owner) for a route that uses or consumes it: one for all the
/// callers refused, one for each caller with the right.
#[derive(Clone, Copy, Debug)]
enum Fresh {
    /// A team member (organizer role): `<fresh>` is their organizer id.
    Member,
    Venue,
    Supporter(At),
    Task(At),
    /// A volunteer's claim of a new task.
    Claim(At),
    /// An agenda item (`<fresh>`), and a free 5-minute slot after it (`<fresh_local>`, `<fresh_rfc>`).
    Agenda(At),
    /// A registration (`<fresh>`, `<fresh_code>`).
    Registration(At),
    /// A received material (a link).
    Material(At),
    /// A proposal of the tour, not decided yet.
    Proposal,
    /// A failed e-mail of the tour.
    FailedMessage,
    /// Another signed-in browser of the owner: `<fresh>` is its session's id.
    OwnerSession,
    /// Another API token of the owner: `<fresh>` is its id.
    OwnerToken,
    /// A claim of a new registration-desk task at stop A, without desk access.
    DeskClaim,
    /// A venue created by the site admin, which the tour's team may only suggest changes
    /// to or copy.
    AdminVenue,
}

#[derive(Clone, Copy, Debug)]
enum Body {
    None,
    /// A url-encoded form; the caller's CSRF token is added.
    Form(&'static [(&'static str, &'static str)]),
    /// Multipart: text fields (and the caller's CSRF token for pages), with a small PDF when
    /// the flag is set.
    Multipart(&'static [(&'static str, &'static str)], bool),
    Json(&'static str),
}

struct Route {
    method: &'static str,
    /// `<name>` placeholders are replaced by the ids of the planted objects; `<S_id>` is the
    /// route's stop and `<S>` its letter (`<task_<S>>` is the planted task of that stop).
    path: &'static str,
    body: Body,
    access: Access,
    fresh: Option<Fresh>,
    stop: At,
    /// Tried by refused callers only after the routes before it ran (it undoes one of them).
    fence: bool,
    /// Also a public address: anonymous visitors are told "not found" like everyone else.
    public: bool,
}

fn get(path: &'static str, access: Access) -> Route {
    Route {
        method: "GET",
        path,
        body: Body::None,
        access,
        fresh: None,
        stop: At::A,
        fence: false,
        public: false,
    }
}

fn form(
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    access: Access,
) -> Route {
    Route {
        method: "POST",
        path,
        body: Body::Form(fields),
        access,
        fresh: None,
        stop: At::A,
        fence: false,
        public: false,
    }
}

fn api(method: &'static str, path: &'static str, body: &'static str, access: Access) -> Route {
    Route {
        method,
        path,
        body: if method == "GET" || method == "DELETE" {
            Body::None
        } else {
            Body::Json(body)
        },
        access,
        fresh: None,
        stop: At::A,
        fence: false,
        public: false,
    }
}

impl Route {
    fn also_public(mut self) -> Route {
        self.public = true;
        self
    }

    fn after_previous(mut self) -> Route {
        self.fence = true;
        self
    }

    fn fresh(mut self, f: Fresh) -> Route {
        self.fresh = Some(f);
        self
    }

    fn multipart(mut self, fields: &'static [(&'static str, &'static str)], file: bool) -> Route {
        self.body = Body::Multipart(fields, file);
        self
    }
}

const NO_FIELDS: &[(&str, &str)] = &[];

/// Every organizer route of `web::routes` (/manage, /desk) and `api::routes` (/api/v1),
/// with each stop-level route at stop A (the local team's) and stop B (not theirs).
/// Public routes (registering, the call for proposals, claiming a task, the attendee's,
/// speaker's and volunteer's own pages) are not organizer routes and are left out.
fn routes() -> Vec<Route> {
    use Access::*;
    use At::{A, B};
    let mut r = vec![
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
                ("subject", "Tour news"),
                ("body", "Hello {name}"),
                ("action", "preview"),
            ],
            TourTeam,
        ),
        form(
            "/manage/tours/<T>/messages",
            &[
                ("stop_id", ""),
                ("segment", "checked_in"),
                ("subject", "Tour news from <caller>"),
                ("body", "Hello {name}"),
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
    ];
    for at in [A, B] {
        let stop_routes = vec![
            // ----- the stop's pages and forms (web::stops) -----
            get("/manage/stops/<S_id>", StopTeam(at)),
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
            form("/manage/stops/<S_id>/switch-venue", &[("venue_id", "<fresh>"), ("reason", "Blackout")], StopTeam(at)).fresh(Fresh::Venue),
            form("/manage/stops/<S_id>/desk-helpers", &[("email", "newhelper@example.org"), ("name", "New Helper")], StopTeam(at)),
            form("/manage/stops/<S_id>/desk-helpers/remove", &[("email", "leaving@example.org")], StopTeam(at)),
            // ----- registrations (web::registrations) -----
            get("/manage/stops/<S_id>/registrations", StopTeam(at)),
            get("/manage/stops/<S_id>/registrations.csv", StopTeam(at)),
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
            // ----- messages to one stop's people (web::mail) -----
            form("/manage/tours/<T>/messages", &[("stop_id", "<S_id>"), ("segment", "checked_in"), ("subject", "Stop news"), ("body", "Hello {name}"), ("action", "preview")], StopTeam(at)),
            form("/manage/tours/<T>/messages", &[("stop_id", "<S_id>"), ("segment", "checked_in"), ("subject", "Stop news from <caller>"), ("body", "Hello {name}"), ("action", "send")], StopTeam(at)),
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
        ];
        r.extend(
            stop_routes
                .into_iter()
                .map(|route| Route { stop: at, ..route }),
        );
    }
    // Stop A in the address, an object of stop B in the form or path: the object decides.
    let cross = vec![
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
    ];
    r.extend(cross.into_iter().map(|route| Route { stop: B, ..route }));
    r
}

/// One caller: a browser (cookies, CSRF token) and, for organizers, an API token.
struct Caller {
    role: Role,
    browser: Browser,
    token: Option<String>,
    csrf: String,
    manage_token: Option<String>,
}

impl Caller {
    fn slug(&self) -> String {
        format!("{:?}", self.role).to_lowercase()
    }
}

struct Outcome {
    status: u16,
    location: String,
    body: String,
}

impl Outcome {
    fn to_sign_in(&self) -> bool {
        self.status == 303
            && ["/login", "/speaker/login", "/volunteer/login"]
                .iter()
                .any(|p| self.location.starts_with(p))
    }

    fn succeeded(&self) -> bool {
        (200..400).contains(&self.status) && !self.to_sign_in()
    }

    /// The refusal docs/design.md#how-refusals-look asks for: anonymous callers are asked to sign in (401 from the
    /// API, a redirect to the sign-in page from pages); signed-in organizers get 403 or 404;
    /// attendees, speakers and volunteers are organizers to nobody: 401 from the API (403 for
    /// a manage token that is not theirs), sign in or 403/404 on pages.
    fn refused_as(&self, role: Role, is_api: bool, public: bool) -> bool {
        // Refused by the CSRF check would prove nothing about authorization.
        if self.body.contains("did not come from roadshow") {
            return false;
        }
        match role {
            // A dead credential is no credential: treated as nobody.
            Role::Anonymous | Role::SignedOut | Role::AfterReset | Role::Expired if is_api => {
                self.status == 401
            }
            Role::Anonymous | Role::SignedOut | Role::AfterReset | Role::Expired if public => {
                self.status == 404
            }
            Role::Anonymous | Role::SignedOut | Role::AfterReset | Role::Expired => {
                self.status == 303 && self.location.starts_with("/login?next=")
            }
            Role::OtherOrganizer
            | Role::LocalOrganizer
            | Role::Owner
            | Role::SiteAdmin
            | Role::RemovedOrganizer => matches!(self.status, 403 | 404),
            _ if is_api => matches!(self.status, 401 | 403),
            _ => matches!(self.status, 403 | 404) || self.to_sign_in(),
        }
    }
}

/// The ids and values routes refer to.
struct World {
    owner: Organizer,
    admin: Organizer,
    vars: HashMap<String, String>,
    counter: Cell<usize>,
    /// Agenda slots handed out, counted back from each stop's end.
    slots: [Cell<usize>; 2],
}

impl World {
    fn next(&self) -> usize {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        n
    }

    fn var(&self, name: &str) -> &str {
        self.vars.get(name).unwrap_or_else(|| panic!("no {name}"))
    }

    /// The start of the `j`-th 5-minute slot before the stop's 22:00 end (local, RFC 3339).
    fn slot(&self, at: At, j: usize) -> (String, String) {
        let day = self.var(&format!("day_{}", at.var())).to_owned();
        let minutes = 22 * 60 - 5 * (j as i64 + 1);
        let hm = format!("{:02}:{:02}", minutes / 60, minutes % 60);
        (format!("{day}T{hm}"), format!("{day}T{hm}:00+08:00"))
    }
}

fn subst(template: &str, vars: &HashMap<String, String>) -> String {
    let mut out = template.to_owned();
    // Twice: a placeholder may name another (`<task_<S>>`).
    for _ in 0..2 {
        for (k, v) in vars {
            out = out.replace(&format!("<{k}>"), v);
        }
    }
    assert!(!out.contains('<'), "a placeholder is left in {out}");
    out
}

async fn owner_post(app: &TestApp, w: &World, path: &str, body: Value) -> Value {
    app.post_ok(&w.owner, path, &body, 201).await
}

/// Makes a fresh object as the owner; returns the placeholders it fills.
async fn make_fresh(app: &TestApp, w: &World, f: Fresh) -> Vec<(String, String)> {
    let n = w.next();
    let stop = |at: At| w.var(at.var()).to_owned();
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let mut out = Vec::new();
    match f {
        Fresh::Member => {
            let added = owner_post(
                app,
                w,
                &format!("/api/v1/tours/{}/members", w.var("T")),
                json!({"email": format!("member{n}@example.org"), "role": "organizer"}),
            )
            .await;
            out.push((
                "fresh".into(),
                added["member"]["organizer_id"].as_str().unwrap().to_owned(),
            ));
        }
        Fresh::Venue => {
            let v = app
                .create_venue(&w.owner, &format!("Fresh Hall {n}"), "Beijing", 100)
                .await;
            out.push(("fresh".into(), id(&v)));
        }
        Fresh::Supporter(at) => {
            let s = owner_post(
                app,
                w,
                &format!("/api/v1/stops/{}/supporters", stop(at)),
                json!({"name": format!("Fresh Supporter {n}")}),
            )
            .await;
            out.push(("fresh".into(), id(&s)));
        }
        Fresh::Task(at) => {
            let t = owner_post(
                app,
                w,
                &format!("/api/v1/stops/{}/tasks", stop(at)),
                json!({"kind": "other", "title": format!("Fresh task {n}"), "slots": 1}),
            )
            .await;
            out.push(("fresh".into(), id(&t)));
        }
        Fresh::Claim(at) => {
            let t = owner_post(
                app,
                w,
                &format!("/api/v1/stops/{}/tasks", stop(at)),
                json!({"kind": "other", "title": format!("Fresh task {n}"), "slots": 1}),
            )
            .await;
            let c = owner_post(app, w, &format!("/api/v1/tasks/{}/claims", id(&t)), json!({"name": format!("Fresh Volunteer {n}"), "email": format!("freshvol{n}@example.org")})).await;
            out.push(("fresh".into(), id(&c)));
        }
        Fresh::Agenda(at) => {
            let i = at as usize;
            let j = w.slots[i].get();
            w.slots[i].set(j + 2);
            let (_, start) = w.slot(at, j);
            let item = owner_post(app, w, &format!("/api/v1/stops/{}/agenda", stop(at)), json!({"kind": "break", "title": format!("Fresh break {n}"), "starts_at": start, "duration_minutes": 5})).await;
            let (local, rfc) = w.slot(at, j + 1);
            out.push(("fresh".into(), id(&item)));
            out.push(("fresh_local".into(), local));
            out.push(("fresh_rfc".into(), rfc));
        }
        Fresh::Registration(at) => {
            let (status, r) = app
                .register(
                    &stop(at),
                    &format!("Fresh Person {n}"),
                    &format!("fresh{n}@example.org"),
                )
                .await;
            assert_eq!(status, 201, "{r}");
            out.push(("fresh".into(), id(&r)));
            out.push(("fresh_code".into(), r["code"].as_str().unwrap().to_owned()));
        }
        Fresh::Material(at) => {
            let m = owner_post(app, w, &format!("/api/v1/stops/{}/materials", stop(at)), json!({"kind": "other", "title": format!("Fresh material {n}"), "link_url": format!("https://example.org/m{n}")})).await;
            out.push(("fresh".into(), id(&m)));
        }
        Fresh::Proposal => {
            let (status, p) = json(
                app.api
                    .post(app.url(&format!("/api/v1/tours/{}/proposals", w.var("T"))))
                    .json(&json!({
                        "speaker": {"name": format!("Fresh Speaker {n}"), "email": format!("freshspeaker{n}@example.org")},
                        "title": format!("Fresh talk {n}"), "duration_minutes": 5, "stop_ids": [w.var("A")]
                    }))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, 201, "{p}");
            app.drain().await;
            enter_with_link(
                app,
                &format!("freshspeaker{n}@example.org"),
                "/speaker/proposals/confirm/",
            )
            .await;
            out.push(("fresh".into(), id(&p)));
        }
        Fresh::DeskClaim => {
            let t = owner_post(app, w, &format!("/api/v1/stops/{}/tasks", stop(At::A)), json!({"kind": "registration_desk", "title": format!("Fresh desk {n}"), "slots": 1})).await;
            let c = owner_post(app, w, &format!("/api/v1/tasks/{}/claims", id(&t)), json!({"name": format!("Fresh Desk {n}"), "email": format!("freshdesk{n}@example.org")})).await;
            out.push(("fresh".into(), id(&c)));
        }
        Fresh::AdminVenue => {
            let v = app.post_ok(&w.admin, "/api/v1/venues", &json!({"name": format!("Admin Hall {n}"), "city": "Beijing", "capacity": 80, "kind": "other", "cost": "free"}), 201).await;
            out.push(("fresh".into(), id(&v)));
        }
        Fresh::OwnerSession => {
            let cookie = app.session_cookie(&w.owner).await;
            let owner_id = w.owner.id.clone();
            let newest = app
                .db(move |conn| {
                    roadshow::models::session::BrowserSession::list_for(conn, &owner_id)
                        .unwrap()
                        .into_iter()
                        .max_by_key(|s| s.created_at)
                        .unwrap()
                        .id
                })
                .await;
            drop(cookie);
            out.push(("fresh".into(), newest));
        }
        Fresh::OwnerToken => {
            let made = app
                .post_ok(&w.owner, "/api/v1/tokens", &json!({"email": w.owner.email, "password": PASSWORD, "label": format!("fresh {n}")}), 201)
                .await;
            out.push(("fresh".into(), made["id"].as_str().unwrap().to_owned()));
        }
        Fresh::FailedMessage => {
            let email = format!("failing{n}@example.org");
            let (status, r) = app.register(&stop(At::A), "Failing Mail", &email).await;
            assert_eq!(status, 201, "{r}");
            let message_id = app
                .db(move |conn| {
                    use diesel::prelude::*;
                    use roadshow::db::schema::outbox;
                    let id: String = outbox::table
                        .filter(outbox::to_email.eq(&email))
                        .select(outbox::id)
                        .first(conn)
                        .expect("the confirmation is in the outbox");
                    diesel::update(outbox::table.find(&id))
                        .set((
                            outbox::status.eq("failed"),
                            outbox::attempts.eq(5),
                            outbox::last_error.eq(Some("mailbox full")),
                        ))
                        .execute(conn)
                        .unwrap();
                    id
                })
                .await;
            out.push(("fresh".into(), message_id));
        }
    }
    out
}

/// What a caller could change: the rows of every table a form or call writes (the outbox
/// without its bodies), to compare before and after the refused attempts.
async fn snapshot(app: &TestApp) -> Vec<(&'static str, String)> {
    app.db(|conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::*;
        use roadshow::models;
        let mut out: Vec<(&'static str, String)> = Vec::new();
        macro_rules! rows {
            ($name:literal, $query:expr, $ty:ty) => {
                out.push(($name, format!("{:?}", $query.load::<$ty>(conn).unwrap())))
            };
        }
        rows!(
            "organizers",
            organizers::table
                .order(organizers::id)
                .select(models::organizer::Organizer::as_select()),
            models::organizer::Organizer
        );
        rows!(
            "tours",
            tours::table
                .order(tours::id)
                .select(models::tour::Tour::as_select()),
            models::tour::Tour
        );
        rows!(
            "tour_members",
            tour_members::table
                .order((tour_members::tour_id, tour_members::organizer_id))
                .select(models::team::TourMember::as_select()),
            models::team::TourMember
        );
        rows!(
            "tour_member_stops",
            tour_member_stops::table
                .order((tour_member_stops::organizer_id, tour_member_stops::stop_id)),
            (String, String, String)
        );
        rows!(
            "venues",
            venues::table
                .order(venues::id)
                .select(models::venue::Venue::as_select()),
            models::venue::Venue
        );
        rows!(
            "stops",
            stops::table
                .order(stops::id)
                .select(models::stop::Stop::as_select()),
            models::stop::Stop
        );
        rows!(
            "stop_backups",
            stop_backups::table.order((stop_backups::stop_id, stop_backups::venue_id)),
            (String, String, i32)
        );
        rows!(
            "supporters",
            supporters::table.order(supporters::id).select((
                supporters::id,
                supporters::stop_id,
                supporters::name,
                supporters::contribution,
                supporters::position
            )),
            (String, String, String, String, i32)
        );
        rows!(
            "outbox",
            outbox::table
                .order(outbox::id)
                .select((outbox::id, outbox::status, outbox::attempts)),
            (String, String, i32)
        );
        rows!(
            "registrations",
            registrations::table
                .order(registrations::id)
                .select(models::registration::Registration::as_select()),
            models::registration::Registration
        );
        rows!(
            "stop_counters",
            stop_counters::table.order(stop_counters::stop_id),
            (String, i32, i32, i32, i32, i32)
        );
        rows!(
            "venue_switches",
            venue_switches::table.order(venue_switches::id).select((
                venue_switches::id,
                venue_switches::stop_id,
                venue_switches::to_venue_id
            )),
            (String, String, String)
        );
        rows!(
            "desk_helpers",
            desk_helpers::table
                .order((desk_helpers::stop_id, desk_helpers::email))
                .select((
                    desk_helpers::stop_id,
                    desk_helpers::email,
                    desk_helpers::name
                )),
            (String, String, String)
        );
        rows!(
            "api_tokens",
            api_tokens::table.order(api_tokens::id).select((
                api_tokens::id,
                api_tokens::organizer_id,
                api_tokens::expires_at
            )),
            (String, String, Option<chrono::NaiveDateTime>)
        );
        rows!(
            "sessions",
            sessions::table.order(sessions::id).select((
                sessions::id,
                sessions::organizer_id,
                sessions::expires_at
            )),
            (String, Option<String>, chrono::NaiveDateTime)
        );
        rows!(
            "magic_links",
            magic_links::table.order(magic_links::id).select((
                magic_links::id,
                magic_links::purpose,
                magic_links::email,
                magic_links::used_at
            )),
            (String, String, String, Option<chrono::NaiveDateTime>)
        );
        rows!(
            "speakers",
            speakers::table
                .order(speakers::id)
                .select(models::speaker::Speaker::as_select()),
            models::speaker::Speaker
        );
        rows!(
            "talks",
            talks::table
                .order(talks::id)
                .select(models::speaker::Talk::as_select()),
            models::speaker::Talk
        );
        rows!(
            "talk_speakers",
            talk_speakers::table.order((talk_speakers::talk_id, talk_speakers::speaker_id)),
            (String, String, i32, Option<chrono::NaiveDateTime>)
        );
        rows!(
            "proposals",
            proposals::table
                .order(proposals::id)
                .select(models::speaker::Proposal::as_select()),
            models::speaker::Proposal
        );
        rows!(
            "proposal_stops",
            proposal_stops::table.order((proposal_stops::proposal_id, proposal_stops::stop_id)),
            (String, String)
        );
        rows!(
            "agenda_items",
            agenda_items::table
                .order(agenda_items::id)
                .select(models::agenda::AgendaItem::as_select()),
            models::agenda::AgendaItem
        );
        rows!(
            "materials",
            materials::table
                .order(materials::id)
                .select(models::material::Material::as_select()),
            models::material::Material
        );
        rows!(
            "tasks",
            tasks::table
                .order(tasks::id)
                .select(models::task::Task::as_select()),
            models::task::Task
        );
        rows!(
            "volunteers",
            volunteers::table
                .order(volunteers::id)
                .select(models::task::Volunteer::as_select()),
            models::task::Volunteer
        );
        rows!(
            "claims",
            claims::table
                .order(claims::id)
                .select(models::task::Claim::as_select()),
            models::task::Claim
        );
        out
    })
    .await
}

fn changes(
    before: &[(&'static str, String)],
    after: &[(&'static str, String)],
) -> Vec<&'static str> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, _)| b.0)
        .collect()
}

async fn send(app: &TestApp, c: &Caller, route: &Route, vars: &HashMap<String, String>) -> Outcome {
    // A refusal may come before the server has read an upload, and the connection then
    // closes under the client's feet: that attempt is made again, on a fresh connection.
    // (Refused requests change nothing, and the tables are compared afterwards anyway.)
    let mut attempt = 0;
    let res = loop {
        attempt += 1;
        match request(app, c, route, vars).send().await {
            // 408: the server gave up waiting for the request on a busy machine; a client
            // sends it again (RFC 9110, 15.5.9).
            Ok(res) if res.status() == 408 && attempt < 3 => {
                eprintln!("{} {}: 408; trying again", route.method, route.path)
            }
            Ok(res) => break res,
            Err(e) if attempt < 3 => {
                eprintln!("{} {}: {e}; trying again", route.method, route.path)
            }
            Err(e) => panic!("{} {}: {e:?}", route.method, route.path),
        }
    };
    outcome(res).await
}

fn request(
    app: &TestApp,
    c: &Caller,
    route: &Route,
    vars: &HashMap<String, String>,
) -> reqwest::RequestBuilder {
    let path = subst(route.path, vars);
    let is_api = path.starts_with("/api/");
    let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
    let req = match (&c.token, is_api) {
        (Some(token), true) => app.api.request(method, app.url(&path)).bearer_auth(token),
        _ => c.browser.client.request(method, app.url(&path)),
    };
    match route.body {
        Body::None => req,
        Body::Form(fields) => {
            let mut pairs: Vec<(String, String)> = vec![("_csrf".into(), c.csrf.clone())];
            pairs.extend(fields.iter().map(|(k, v)| (k.to_string(), subst(v, vars))));
            req.form(&pairs)
        }
        Body::Multipart(fields, file) => {
            let mut f = reqwest::multipart::Form::new();
            if !is_api {
                f = f.text("_csrf", c.csrf.clone());
            }
            for (k, v) in fields {
                f = f.text(k.to_string(), subst(v, vars));
            }
            if file {
                f = f.part(
                    "file",
                    reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                        .file_name("matrix.pdf"),
                );
            }
            req.multipart(f)
        }
        Body::Json(template) => {
            let body: Value = serde_json::from_str(&subst(template, vars))
                .unwrap_or_else(|e| panic!("{template}: {e}"));
            req.json(&body)
        }
    }
}

async fn outcome(res: reqwest::Response) -> Outcome {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = res.text().await.unwrap_or_default();
    Outcome {
        status,
        location,
        body,
    }
}

/// Signs in with the link of the latest e-mail to `email` that holds `fragment`.
async fn enter_with_link(app: &TestApp, email: &str, fragment: &str) -> Browser {
    let mail = app
        .mails_to(email)
        .into_iter()
        .rev()
        .find(|m| m.text.contains(fragment))
        .unwrap_or_else(|| panic!("no mail with {fragment} to {email}"));
    let link = mail.link(fragment);
    let path = link.trim_start_matches(&app.address).to_owned();
    let b = app.browser();
    // Opening the link shows its page; only its button uses the link.
    let res = b.get(&path).await;
    assert_eq!(
        res.status(),
        200,
        "{link} (to {email}, mail {:?}) shows its page",
        mail.subject
    );
    let page = scraper::Html::parse_document(&res.text().await.unwrap());
    let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
    let res = b.post_form(&path, &[("_csrf", &csrf)]).await;
    assert_eq!(res.status(), 303, "{link} signs in");
    b
}

async fn register_with(app: &TestApp, stop: &str, name: &str, email: &str) -> Value {
    let (status, r) = json(
        app.api
            .post(app.url(&format!("/api/v1/stops/{stop}/registrations")))
            .json(&json!({"name": name, "email": email, "volunteer": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    r
}

/// The tour under test: two open stops (A with a local co-organizer, B without), people
/// registered at both, volunteers, desk helpers, a speaker with a talk at A, a pending
/// proposal; and another organizer's tour.
async fn build_world(app: &TestApp) -> (World, Vec<Caller>) {
    let owner = app.organizer("owner@example.org").await;
    let other = app.organizer("other@example.org").await;
    let local = app.organizer("local@example.org").await;
    let admin = app.organizer_with("admin@example.org", true).await;
    let admin_for_world = Organizer {
        id: admin.id.clone(),
        email: admin.email.clone(),
        token: admin.token.clone(),
    };
    let other_tour = app.create_tour(&other, "Another team's tour").await;

    let now = chrono::Utc::now();
    let day = |d: i64| (now + chrono::Duration::days(d)).date_naive().to_string();
    let mut vars: HashMap<String, String> = HashMap::new();
    for (k, v) in [
        ("day_A", day(20)),
        ("day_B", day(21)),
        ("day_c", day(22)),
        ("cfp_opens", day(-1)),
        ("cfp_closes", day(30)),
    ] {
        vars.insert(k.into(), v);
    }
    let tour = app.create_tour(&owner, "Matrix Tour").await;
    let t = tour["id"].as_str().unwrap().to_owned();
    vars.insert("T".into(), t.clone());
    vars.insert("T_slug".into(), tour["slug"].as_str().unwrap().to_owned());
    let res = app
        .patch(&owner, &format!("/api/v1/tours/{t}"), &json!({"cfp_opens_at": (now - chrono::Duration::days(1)).to_rfc3339(), "cfp_closes_at": (now + chrono::Duration::days(30)).to_rfc3339()}))
        .await;
    assert_eq!(res.status(), 200);
    let venue = |name: &'static str| {
        let owner = &owner;
        async move {
            app.create_venue(owner, name, "Beijing", 100).await["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (va, vb, vb1, vb2) = (
        venue("Alpha Hall").await,
        venue("Bravo Hall").await,
        venue("Backup One").await,
        venue("Backup Two").await,
    );
    for (k, v) in [("VA", &va), ("VB1", &vb1), ("VB2", &vb2)] {
        vars.insert(k.into(), v.clone());
    }
    // A shared resource: the other organizer's own tour holds a draft stop at the owner's
    // venue, with the owner's backups. Using a venue gives no right to change it.
    let d = &vars["day_c"];
    app.post_ok(&other, &format!("/api/v1/tours/{}/stops", other_tour["id"].as_str().unwrap()), &json!({
        "city": "Elsewhere", "starts_at": format!("{d}T08:00:00+08:00"), "ends_at": format!("{d}T22:00:00+08:00"),
        "timezone": "Asia/Shanghai", "venue_id": &va, "backup_venue_ids": [&vb1, &vb2]
    }), 201).await;
    for (at, city, v) in [("A", "Alphaville", &va), ("B", "Bravotown", &vb)] {
        let d = &vars[&format!("day_{at}")];
        let stop = app
            .post_ok(&owner, &format!("/api/v1/tours/{t}/stops"), &json!({
                "city": city, "starts_at": format!("{d}T08:00:00+08:00"), "ends_at": format!("{d}T22:00:00+08:00"),
                "timezone": "Asia/Shanghai", "venue_id": v, "backup_venue_ids": [&vb1, &vb2], "status": "open"
            }), 201)
            .await;
        vars.insert(at.into(), stop["id"].as_str().unwrap().to_owned());
    }
    let (a, b) = (vars["A"].clone(), vars["B"].clone());
    assert_eq!(
        app.patch(
            &owner,
            &format!("/api/v1/tours/{t}"),
            &json!({"status": "published"})
        )
        .await
        .status(),
        200
    );
    app.post_ok(
        &owner,
        &format!("/api/v1/tours/{t}/members"),
        &json!({"email": "local@example.org", "role": "local", "stop_ids": [&a]}),
        201,
    )
    .await;

    // People: registered, volunteering, at the desk.
    let alpha = register_with(app, &a, "Alpha Leakname", "alpha.leak@secret.example").await;
    let bravo = register_with(app, &b, "Bravo Leakname", "bravo.leak@secret.example").await;
    vars.insert("reg_A".into(), alpha["id"].as_str().unwrap().to_owned());
    vars.insert("reg_B".into(), bravo["id"].as_str().unwrap().to_owned());
    // Checked in: the "checked in" segment the message routes write to is theirs.
    for (stop, r) in [(&a, &alpha), (&b, &bravo)] {
        let path = format!("/api/v1/stops/{stop}/checkins");
        app.post_ok(&owner, &path, &json!({"code": r["code"]}), 200)
            .await;
    }
    let attendee =
        register_with(app, &a, "Attendee Rolename", "attendee.leak@secret.example").await;
    let manage_token = attendee["manage_token"].as_str().unwrap().to_owned();
    for (at, stop, name, email) in [
        ("A", &a, "Avol Leakname", "avol.leak@secret.example"),
        ("B", &b, "Bvol Leakname", "bvol.leak@secret.example"),
    ] {
        let task = app
            .post_ok(
                &owner,
                &format!("/api/v1/stops/{stop}/tasks"),
                &json!({"kind": "photos", "slots": 10}),
                201,
            )
            .await;
        let task_id = task["id"].as_str().unwrap().to_owned();
        let (status, _) = json(
            app.api
                .post(app.url(&format!("/api/v1/tasks/{task_id}/claims")))
                .json(&json!({"name": name, "email": email}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 201);
        vars.insert(format!("task_{at}"), task_id);
    }
    let desk_task = app
        .post_ok(
            &owner,
            &format!("/api/v1/stops/{a}/tasks"),
            &json!({"kind": "registration_desk", "slots": 2}),
            201,
        )
        .await;
    let (status, _) = json(
        app.api
            .post(app.url(&format!(
                "/api/v1/tasks/{}/claims",
                desk_task["id"].as_str().unwrap()
            )))
            .json(&json!({"name": "Desk Volunteer", "email": "deskvol@example.org"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201);
    let owner_browser = app.signed_in_browser(&owner).await;
    let csrf = owner_browser.csrf_of(&format!("/manage/stops/{a}")).await;
    for (stop, email, name) in [
        (&a, "helper@example.org", "Desk Helper"),
        (&b, "bhelper.leak@secret.example", "Bhelper Leakname"),
        (&a, "leaving@example.org", "Leaving Helper"),
        (&b, "leaving@example.org", "Leaving Helper"),
    ] {
        let res = owner_browser
            .post_form(
                &format!("/manage/stops/{stop}/desk-helpers"),
                &[("_csrf", &csrf), ("email", email), ("name", name)],
            )
            .await;
        assert_eq!(res.status(), 303);
    }

    // A speaker whose talk is on stop A's published agenda; a proposal still pending.
    let propose = |name: &'static str, email: &'static str, title: &'static str, stop: &str| {
        let (t, stop) = (t.clone(), stop.to_owned());
        async move {
            let (status, p) = json(app.api.post(app.url(&format!("/api/v1/tours/{t}/proposals"))).json(&json!({
                "speaker": {"name": name, "email": email, "affiliation": "Sina", "bio": "Storage"},
                "title": title, "duration_minutes": 30, "stop_ids": [stop]
            })).send().await.unwrap()).await;
            assert_eq!(status, 201, "{p}");
            app.drain().await;
            enter_with_link(app, email, "/speaker/proposals/confirm/").await;
            p["id"].as_str().unwrap().to_owned()
        }
    };
    propose(
        "Pending Proposername",
        "pending.leak@secret.example",
        "A pending idea",
        &a,
    )
    .await;
    for (at, stop, name, email) in [
        ("", &a, "Speaker Publicname", "speaker.leak@secret.example"),
        (
            "_B",
            &b,
            "Bspeaker Publicname",
            "bspeaker.leak@secret.example",
        ),
    ] {
        let proposal = propose(name, email, "Cinder in production", stop).await;
        let path = format!("/api/v1/proposals/{proposal}/accept");
        let accepted = app
            .post_ok(&owner, &path, &json!({"stop_ids": [stop]}), 200)
            .await;
        let talk = &accepted["talk"];
        vars.insert(format!("talk{at}"), talk["id"].as_str().unwrap().to_owned());
        let speaker = talk["speakers"][0]["id"].as_str().unwrap().to_owned();
        vars.insert(format!("speaker{at}"), speaker);
    }
    // Stop A's agenda is public (its speaker's slot with it), stop B's not yet.
    let published = app
        .post(
            &owner,
            &format!("/api/v1/stops/{a}/agenda/publish"),
            &json!({}),
        )
        .await;
    assert!(published.status().is_success());
    let item_b = app.post_ok(&owner, &format!("/api/v1/stops/{b}/agenda"), &json!({"kind": "welcome", "title": "Welcome", "starts_at": format!("{}T09:00:00+08:00", vars["day_B"]), "duration_minutes": 10}), 201).await;
    vars.insert("item_B".into(), item_b["id"].as_str().unwrap().to_owned());

    // Whole-tour organizers whose credentials ended: removed from the team, signed out,
    // password reset, expired. Each kept the cookie (and token) they had.
    let mut stale: Vec<(Role, Browser, String, String)> = Vec::new();
    for (role, email) in [
        (Role::RemovedOrganizer, "removed@example.org"),
        (Role::SignedOut, "signedout@example.org"),
        (Role::AfterReset, "reset@example.org"),
        (Role::Expired, "expired@example.org"),
    ] {
        let who = app.organizer(email).await;
        app.post_ok(
            &owner,
            &format!("/api/v1/tours/{t}/members"),
            &json!({"email": email, "role": "organizer"}),
            201,
        )
        .await;
        let cookie = app.session_cookie(&who).await;
        let browser = app.browser_with_cookie(&cookie);
        let csrf = browser.csrf_of("/manage/tours/new").await;
        // Proof that these are real members with the right before their credentials end.
        assert_eq!(
            browser.get(&format!("/manage/tours/{t}")).await.status(),
            200,
            "{email}"
        );
        match role {
            Role::RemovedOrganizer => {
                let res = app
                    .api
                    .delete(app.url(&format!("/api/v1/tours/{t}/members/{}", who.id)))
                    .bearer_auth(&owner.token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 204);
            }
            Role::SignedOut => {
                let res = browser.post_form("/logout", &[("_csrf", &csrf)]).await;
                assert_eq!(res.status(), 303);
                let (_, tokens) = json(app.get(&who, "/api/v1/tokens").await).await;
                let id = tokens[0]["id"].as_str().unwrap().to_owned();
                let res = app
                    .api
                    .delete(app.url(&format!("/api/v1/tokens/{id}")))
                    .bearer_auth(&who.token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 204);
            }
            Role::AfterReset => {
                let id = who.id.clone();
                app.db(move |conn| {
                    let token = roadshow::models::magic_link::MagicLink::create(
                        conn,
                        "password_reset",
                        "reset@example.org",
                        Some(&id),
                        chrono::Duration::hours(1),
                    )
                    .unwrap();
                    let hash =
                        roadshow::secrets::hash_password("a new password for reset").unwrap();
                    roadshow::services::accounts::reset_password(conn, &token, &hash).unwrap();
                })
                .await;
            }
            _ => {
                let id = who.id.clone();
                app.db(move |conn| {
                    use diesel::prelude::*;
                    use roadshow::db::schema::{api_tokens, sessions};
                    let past = roadshow::db::now() - chrono::Duration::seconds(1);
                    diesel::update(sessions::table.filter(sessions::organizer_id.eq(&id)))
                        .set(sessions::expires_at.eq(past))
                        .execute(conn)
                        .unwrap();
                    diesel::update(api_tokens::table.filter(api_tokens::organizer_id.eq(&id)))
                        .set(api_tokens::expires_at.eq(Some(past)))
                        .execute(conn)
                        .unwrap();
                    roadshow::cache::auth_changed(conn).unwrap();
                })
                .await;
            }
        }
        stale.push((role, browser, who.token.clone(), csrf));
    }

    // Everyone signs in their own way.
    app.drain().await;
    let helper = enter_with_link(app, "helper@example.org", "/desk/enter/").await;
    let desk_volunteer = enter_with_link(app, "deskvol@example.org", "/volunteer/enter/").await;
    let speaker = enter_with_link(app, "speaker.leak@secret.example", "/speaker/enter/").await;
    let attendee_browser = app.browser();
    let anonymous = app.browser();
    let mut callers = Vec::new();
    for (role, browser, token, csrf_page) in [
        (Role::Anonymous, anonymous, None, "/login".to_owned()),
        (
            Role::OtherOrganizer,
            app.signed_in_browser(&other).await,
            Some(other.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
        (
            Role::LocalOrganizer,
            app.signed_in_browser(&local).await,
            Some(local.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
        (Role::DeskHelper, helper, None, format!("/desk/{a}")),
        (
            Role::DeskVolunteer,
            desk_volunteer,
            None,
            "/volunteer".to_owned(),
        ),
        (Role::Speaker, speaker, None, "/speaker".to_owned()),
        (
            Role::Attendee,
            attendee_browser,
            None,
            format!("/r/{manage_token}"),
        ),
        (
            Role::Owner,
            owner_browser,
            Some(owner.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
        (
            Role::SiteAdmin,
            app.signed_in_browser(&admin).await,
            Some(admin.token.clone()),
            "/manage/tours/new".to_owned(),
        ),
    ] {
        let csrf = browser.csrf_of(&csrf_page).await;
        callers.push(Caller {
            role,
            browser,
            token,
            csrf,
            manage_token: (role == Role::Attendee).then(|| manage_token.clone()),
        });
    }
    for (role, browser, token, csrf) in stale {
        callers.push(Caller {
            role,
            browser,
            token: Some(token),
            csrf,
            manage_token: None,
        });
    }
    assert_eq!(callers.iter().map(|c| c.role).collect::<Vec<_>>(), ROLES);
    let world = World {
        owner,
        admin: admin_for_world,
        vars,
        counter: Cell::new(0),
        slots: [Cell::new(0), Cell::new(0)],
    };
    (world, callers)
}

/// The bits of a marker check: which of the planted personal data a response must not show.
fn check_leaks(
    failures: &mut Vec<String>,
    label: &str,
    role: Role,
    allowed: bool,
    request: &str,
    o: &Outcome,
) {
    for (marker, visible_to) in MARKERS {
        let may_see = allowed
            && (matches!(role, Role::Owner | Role::SiteAdmin) || visible_to.contains(&role));
        // A value the caller sent themselves may come back (a search box, an address typed in).
        if may_see || request.contains(marker) {
            continue;
        }
        if o.body.contains(marker) {
            failures.push(format!(
                "{label} as {role:?}: the answer ({}) shows {marker}",
                o.status
            ));
        }
    }
}

fn excerpt(body: &str) -> String {
    let text: String = body.chars().filter(|c| !c.is_control()).take(300).collect();
    text
}

/// Refused callers try this many routes between two snapshots (a change is reported with
/// the routes of its group: set it to 1 to find the one).
const GROUP: usize = 10;

fn vars_of(w: &World, route: &Route, c: &Caller) -> HashMap<String, String> {
    let stop = route.stop.var();
    let mut vars = w.vars.clone();
    vars.insert("caller".into(), c.slug());
    vars.insert("S".into(), stop.into());
    vars.insert("S_id".into(), w.var(stop).to_owned());
    let token = match &c.manage_token {
        Some(t) => format!("\"{t}\""),
        None => "null".into(),
    };
    vars.insert("my_manage_token".into(), token);
    vars
}

fn label(route: &Route) -> String {
    let stop = format!("<{}>", route.stop.var());
    format!("{} {}", route.method, route.path.replace("<S_id>", &stop))
}

/// What the caller sent, to tell a value coming back from a leak.
fn request_text(route: &Route, vars: &HashMap<String, String>) -> String {
    let body = match route.body {
        Body::None => String::new(),
        Body::Json(t) => t.to_owned(),
        Body::Form(fields) | Body::Multipart(fields, _) => {
            fields.iter().map(|(k, v)| format!("{k}={v}&")).collect()
        }
    };
    format!("{} {}", subst(route.path, vars), subst(&body, vars))
}

both_backends! {
    async fn every_organizer_route_refuses_whoever_has_no_right_to_it(app: TestApp) {
        let (w, callers) = build_world(&app).await;
        let routes = routes();
        // The site admin is the positive control of the admin-only routes.
        let callers_of = |route: &Route| -> Vec<&Caller> {
            callers
                .iter()
                .filter(|c| c.role != Role::SiteAdmin || matches!(route.access, Access::SiteAdmins))
                .collect()
        };
        // A route that undoes the one before it is a group of its own.
        let mut groups: Vec<Vec<&Route>> = Vec::new();
        for route in &routes {
            match groups.last_mut() {
                Some(g) if g.len() < GROUP && !route.fence && !g[0].fence => g.push(route),
                _ => groups.push(vec![route]),
            }
        }
        let mut failures: Vec<String> = Vec::new();
        let (mut checks, mut admin_checks) = (0usize, 0usize);
        for group in groups {
            // Those without the right go first, all at once; the callers of a route share one
            // fresh object, made before the snapshot so that it sees only what they change.
            let mut attempts: Vec<(&Route, &Caller, HashMap<String, String>)> = Vec::new();
            for route in &group {
                let shared = match route.fresh {
                    Some(f) => make_fresh(&app, &w, f).await,
                    None => Vec::new(),
                };
                for c in callers_of(route).into_iter().filter(|c| !route.access.allows(c.role)) {
                    let mut vars = vars_of(&w, route, c);
                    vars.extend(shared.iter().cloned());
                    attempts.push((route, c, vars));
                }
            }
            let before = if group.iter().any(|r| r.method != "GET") { Some(snapshot(&app).await) } else { None };
            let outcomes = futures_util::future::join_all(attempts.iter().map(|(r, c, vars)| send(&app, c, r, vars))).await;
            for ((route, c, vars), o) in attempts.iter().zip(outcomes) {
                checks += 1;
                let label = label(route);
                if !o.refused_as(c.role, route.path.starts_with("/api/"), route.public) {
                    failures.push(format!("{label} as {:?}: expected a refusal, got {} {} {}", c.role, o.status, o.location, excerpt(&o.body)));
                }
                check_leaks(&mut failures, &label, c.role, false, &request_text(route, vars), &o);
            }
            if let Some(before) = before {
                let changed = changes(&before, &snapshot(&app).await);
                if !changed.is_empty() {
                    let tried: Vec<String> = group.iter().filter(|r| r.method != "GET").map(|r| label(r)).collect();
                    failures.push(format!("a refused caller changed {changed:?}, by one of: {tried:?}"));
                }
            }
            // Then those with the right, route by route, each with their own fresh object;
            // one after the other when they change something (the owner last).
            for route in &group {
                let mut allowed = Vec::new();
                for c in callers_of(route).into_iter().filter(|c| route.access.allows(c.role)) {
                    let mut vars = vars_of(&w, route, c);
                    if let Some(f) = route.fresh {
                        vars.extend(make_fresh(&app, &w, f).await);
                    }
                    allowed.push((c, vars));
                }
                let outcomes = if route.method == "GET" {
                    futures_util::future::join_all(allowed.iter().map(|(c, vars)| send(&app, c, route, vars))).await
                } else {
                    let mut list = Vec::new();
                    for (c, vars) in &allowed {
                        list.push(send(&app, c, route, vars).await);
                    }
                    list
                };
                for ((c, vars), o) in allowed.iter().zip(outcomes) {
                    if c.role == Role::SiteAdmin {
                        admin_checks += 1;
                    } else {
                        checks += 1;
                    }
                    let label = label(route);
                    if !o.succeeded() {
                        failures.push(format!("{label} as {:?}: expected success, got {} {} {}", c.role, o.status, o.location, excerpt(&o.body)));
                    }
                    check_leaks(&mut failures, &label, c.role, true, &request_text(route, vars), &o);
                }
            }
        }

        // The planted data is where the matrix looked for it: the owner sees it.
        let owner = callers.iter().find(|c| c.role == Role::Owner).unwrap();
        let (a, b) = (w.var("A"), w.var("B"));
        for (path, marker) in [
            (format!("/manage/stops/{a}/registrations"), "Alpha Leakname"),
            (format!("/manage/stops/{b}/registrations"), "bravo.leak@secret.example"),
            (format!("/manage/stops/{a}/tasks"), "Avol Leakname"),
            (format!("/manage/stops/{b}/tasks"), "bvol.leak@secret.example"),
            (format!("/manage/stops/{b}"), "bhelper.leak@secret.example"),
            (format!("/manage/tours/{}/proposals", w.var("T")), "Pending Proposername"),
            (format!("/manage/speakers/{}", w.var("speaker")), "speaker.leak@secret.example"),
            (format!("/manage/speakers/{}", w.var("speaker_B")), "bspeaker.leak@secret.example"),
        ] {
            let res = owner.browser.get(&path).await;
            assert_eq!(res.status(), 200, "{path}");
            assert!(res.text().await.unwrap().contains(marker), "{marker} is planted on {path}");
        }

        let roles = ROLES.len() - 1;
        eprintln!("authz matrix: {} routes x {roles} roles = {checks} checks (and {admin_checks} as a site admin)", routes.len());
        assert_eq!(checks, routes.len() * roles);
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }
}

/// Routes anyone may use, not organizer routes: each with why it needs no organizer. Their
/// own tests cover them (registering, the call for proposals, claims, the attendee's,
/// speaker's and volunteer's pages, sign-in).
const PUBLIC_ROUTES: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/metrics",
        "Prometheus; guarded by metrics_token when set",
    ),
    ("GET", "/healthz", "health check"),
    ("HEAD", "/healthz", "health check"),
    ("GET", "/readyz", "readiness check"),
    ("GET", "/static/style.css", "the stylesheet"),
    ("GET", "/static/desk.js", "the desk's script"),
    ("GET", "/", "the public home page"),
    ("GET", "/tours/{}", "a published tour"),
    ("GET", "/tours/{}/calendar.ics", "a published tour's feed"),
    ("GET", "/tours/{}/report", "a published report"),
    ("GET", "/stops/{}", "a public stop page"),
    ("POST", "/stops/{}/register", "registering (rate-limited)"),
    ("GET", "/r/{}", "an attendee's manage link"),
    ("POST", "/r/{}/cancel", "an attendee's manage link"),
    ("POST", "/r/{}/erase", "an attendee's manage link"),
    ("POST", "/r/{}/new-link", "an attendee's manage link"),
    (
        "GET",
        "/stops/{}/lost-link",
        "anyone asks for their manage link (same answer for anyone)",
    ),
    (
        "POST",
        "/stops/{}/lost-link",
        "anyone asks for their manage link (rate-limited per client and address)",
    ),
    (
        "GET",
        "/desk/{}/login",
        "a named desk helper asks for a fresh link (same answer for anyone)",
    ),
    (
        "POST",
        "/desk/{}/login",
        "a named desk helper asks for a fresh link (same answer for anyone)",
    ),
    (
        "GET",
        "/speaker/proposals/confirm/{}",
        "a proposer's mailed confirmation link",
    ),
    (
        "POST",
        "/speaker/proposals/confirm/{}",
        "a proposer's mailed confirmation link",
    ),
    (
        "POST",
        "/speaker/talks/{}/{}",
        "the speaker's own answer to a talk",
    ),
    ("GET", "/r/{}/calendar.ics", "an attendee's manage link"),
    ("GET", "/r/{}/coming/yes", "an attendee's manage link"),
    ("POST", "/r/{}/coming/yes", "an attendee's manage link"),
    ("GET", "/r/{}/coming/no", "an attendee's manage link"),
    ("POST", "/r/{}/coming/no", "an attendee's manage link"),
    (
        "GET",
        "/tours/{}/report.{}",
        "a published report, as Markdown, CSV or JSON",
    ),
    (
        "POST",
        "/speaker/slots/{}/confirm",
        "the speaker's own slot",
    ),
    (
        "POST",
        "/speaker/slots/{}/slides",
        "the speaker's own slides",
    ),
    ("GET", "/desk/enter/{}", "a desk helper's mailed link"),
    ("POST", "/desk/enter/{}", "a desk helper's mailed link"),
    ("GET", "/tours/{}/help", "public help pages"),
    (
        "POST",
        "/tours/{}/help",
        "offering help on a public help page (rate-limited)",
    ),
    (
        "POST",
        "/stops/{}/help",
        "offering help on a public help page (rate-limited)",
    ),
    (
        "POST",
        "/desk/link",
        "a desk helper asks for a fresh link (same answer for anyone)",
    ),
    (
        "POST",
        "/speaker/materials/{}/remove",
        "the speaker's own upload",
    ),
    (
        "POST",
        "/speaker/proposals/{}/edit",
        "the speaker's own undecided proposal",
    ),
    (
        "POST",
        "/speaker/proposals/{}/withdraw",
        "the speaker's own undecided proposal",
    ),
    ("GET", "/static/upload.js", "the upload progress script"),
    ("GET", "/stops/{}/help", "public help pages"),
    ("POST", "/tasks/{}/claim", "claiming a task (rate-limited)"),
    (
        "GET",
        "/volunteer",
        "the volunteer's own page (their session)",
    ),
    ("GET", "/volunteer/login", "volunteer sign-in"),
    ("POST", "/volunteer/login", "volunteer sign-in"),
    ("GET", "/volunteer/enter/{}", "a volunteer's mailed link"),
    ("POST", "/volunteer/enter/{}", "a volunteer's mailed link"),
    (
        "GET",
        "/volunteer/accept/{}",
        "a volunteer's mailed invitation",
    ),
    (
        "POST",
        "/volunteer/accept/{}",
        "a volunteer's mailed invitation",
    ),
    (
        "POST",
        "/volunteer/claims/{}/release",
        "the volunteer's own claim",
    ),
    (
        "POST",
        "/volunteer/materials/{}",
        "the volunteer's own material",
    ),
    ("POST", "/volunteer/feed", "the volunteer's own feed"),
    ("GET", "/volunteer/feed/{}", "a secret feed link"),
    ("GET", "/tours/{}/cfp", "the call for proposals"),
    (
        "POST",
        "/tours/{}/cfp",
        "the call for proposals (rate-limited)",
    ),
    (
        "GET",
        "/speakers/{}",
        "a confirmed speaker's public profile",
    ),
    ("GET", "/speaker", "the speaker's own page (their session)"),
    ("GET", "/speaker/login", "speaker sign-in"),
    ("POST", "/speaker/login", "speaker sign-in"),
    ("GET", "/speaker/enter/{}", "a speaker's mailed link"),
    ("POST", "/speaker/enter/{}", "a speaker's mailed link"),
    ("POST", "/speaker/profile", "the speaker's own profile"),
    ("POST", "/speaker/feed", "the speaker's own feed"),
    ("GET", "/speaker/feed/{}", "a secret feed link"),
    ("GET", "/lang/{}", "the language switch"),
    ("GET", "/login", "sign-in"),
    ("POST", "/login", "sign-in"),
    ("POST", "/logout", "sign-out"),
    (
        "POST",
        "/manage/account/password",
        "SELF: changes the caller's own password (accounts.rs)",
    ),
    (
        "POST",
        "/manage/account/sign-out-everywhere",
        "SELF: signs the caller out everywhere (accounts.rs)",
    ),
    ("GET", "/login/link", "the e-mailed sign-in link"),
    ("POST", "/login/link", "the e-mailed sign-in link"),
    ("GET", "/login/link/{}", "the e-mailed sign-in link"),
    ("POST", "/login/link/{}", "the e-mailed sign-in link"),
    ("GET", "/setup/{}", "the first start's setup link"),
    ("POST", "/setup/{}", "the first start's setup link"),
    ("GET", "/invite/{}", "an invitee's mailed link"),
    ("POST", "/invite/{}", "an invitee's mailed link"),
    ("GET", "/password/forgot", "password reset"),
    ("POST", "/password/forgot", "password reset"),
    ("GET", "/password/reset/{}", "a mailed reset link"),
    ("POST", "/password/reset/{}", "a mailed reset link"),
    ("GET", "/api/v1/openapi.json", "the API's description"),
    ("POST", "/api/v1/tokens", "exchanges a password for a token"),
    (
        "POST",
        "/api/v1/stops/{}/registrations",
        "registering (rate-limited)",
    ),
    (
        "POST",
        "/api/v1/tasks/{}/claims",
        "claiming a task (rate-limited)",
    ),
    (
        "POST",
        "/api/v1/tours/{}/proposals",
        "the call for proposals (rate-limited)",
    ),
];

/// Every route the app registers (read from where routes are registered: `src/startup.rs`,
/// `src/web/mod.rs`, `src/api/mod.rs`), as (method, path with `{}` for parameters).
fn registered_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in ["src/startup.rs", "src/web/mod.rs", "src/api/mod.rs"] {
        let text = std::fs::read_to_string(file).unwrap();
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Routes after a scope belong to it (each file has at most one scope, at its end).
        let mut prefix = String::new();
        let mut rest = text.as_str();
        loop {
            let next_route = rest.find(".route(");
            let next_scope = rest.find("web::scope(\"");
            match (next_route, next_scope) {
                (Some(r), Some(s)) if s < r => {
                    let after = &rest[s + "web::scope(\"".len()..];
                    let end = after.find('"').unwrap();
                    prefix = after[..end].to_owned();
                    rest = &after[end..];
                }
                (Some(r), _) => {
                    let after = rest[r + ".route(".len()..].trim_start();
                    let after = after
                        .strip_prefix('"')
                        .expect("a route's path is a literal");
                    let end = after.find('"').unwrap();
                    let path = format!("{prefix}{}", &after[..end]);
                    let tail = after[end + 1..].trim_start_matches([',', ' ']);
                    let method = tail
                        .strip_prefix("web::")
                        .and_then(|t| t.split_once("()"))
                        .map(|(m, _)| m.to_ascii_uppercase())
                        .unwrap_or_else(|| panic!("{file}: no method for {path}"));
                    out.push((method, normalize(&path)));
                    rest = &after[end..];
                }
                (None, _) => break,
            }
        }
    }
    out
}

/// `{id}` and `<S_id>` alike become `{}`; a query string goes.
fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap();
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' | '<' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' | '>' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.len() > 1 {
        out.trim_end_matches('/').to_owned()
    } else {
        out
    }
}

/// Whether a registered route pattern (`{}` for parameters) covers a concrete path of the
/// matrix: segment by segment, a parameter stands for any text.
fn covers(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter().zip(&q).all(|(p, q)| match p.split_once("{}") {
            Some((before, after)) => {
                q.starts_with(before) && q.ends_with(after) && q.len() >= before.len() + after.len()
            }
            None => p == q,
        })
}

/// A new route cannot skip the matrix: each one the app registers is either in `routes()`
/// or listed as public with a reason (and nothing listed is stale).
#[test]
fn every_registered_route_is_in_the_matrix_or_listed_as_public() {
    let registered = registered_routes();
    assert!(
        registered.len() > 150,
        "found only {} routes",
        registered.len()
    );
    let in_matrix: Vec<(String, String)> = routes()
        .iter()
        .map(|r| (r.method.to_owned(), normalize(r.path)))
        .collect();
    let matrix_has =
        |(m, p): &(String, String)| in_matrix.iter().any(|(mm, pp)| mm == m && covers(p, pp));
    let public: std::collections::HashSet<(String, String)> = PUBLIC_ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<String> = registered
        .iter()
        .filter(|r| !matrix_has(r) && !public.contains(*r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes neither in the authorization matrix (tests/api/authz.rs routes()) nor in \
         PUBLIC_ROUTES:\n{}",
        missing.join("\n")
    );
    let stale: Vec<String> = public
        .iter()
        .filter(|r| !registered.contains(r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "PUBLIC_ROUTES lists routes the app does not have: {stale:?}"
    );
    let both: Vec<String> = public
        .iter()
        .filter(|r| matrix_has(r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(both.is_empty(), "public and in the matrix: {both:?}");
}
