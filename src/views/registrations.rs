//! Attendees' pages (register, manage their ticket) and organizers' registration pages
//! (the stop's figures, the list, a person's history, the check-in desk).

use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use crate::error::FieldErrors;
use crate::format::{clock, date, time_range};
use crate::models::registration::Registration;
use crate::models::stop::{Stop, StopDetail};
use crate::models::tour::Tour;
use crate::read::registrations::StopStats;
use crate::read::stop::StopContext;
use crate::views::Ctx;
use crate::views::components::{
    Field, checkbox, confirm_form, error_summary, input, post_form, status_badge,
};
use crate::views::layout::page;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegisterForm {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub legal_name: String,
    pub volunteer: Option<String>,
}

/// The registration form of a public stop page.
pub fn register_form(
    ctx: &Ctx,
    d: &StopDetail,
    form: &RegisterForm,
    errors: &FieldErrors,
    places_left: i64,
) -> Markup {
    html! {
        section #register {
            h2 { (ctx.t("register.title")) }
            // The target, not the seats: more people register than come (docs/design.md#registration-target-and-waitlist), so
            // the count says what it is, places to register before the waitlist.
            @if places_left > 0 {
                p.hint { (ctx.lang.tn("register.places_left", places_left, &[])) }
            } @else {
                p.notice { (ctx.t("register.waitlist_only")) }
            }
            (error_summary(ctx, errors))
            form method="post" action={ "/stops/" (d.stop.id) "/register" } class="narrow" {
                (input(ctx, errors, Field::new("name", &ctx.t("field.your_name"), &form.name).required()))
                (input(ctx, errors, Field::new("email", &ctx.t("field.email"), &form.email).kind("email").required().hint(&ctx.t("register.email_hint"))))
                (input(ctx, errors, Field::new("affiliation", &ctx.t("field.affiliation"), &form.affiliation)))
                @if d.venue.id_check_required {
                    (input(ctx, errors, Field::new("legal_name", &ctx.t("field.legal_name"), &form.legal_name).required().hint(&ctx.t("stop.id_check_note"))))
                }
                (checkbox("volunteer", &ctx.t("register.volunteer"), form.volunteer.is_some()))
                @if places_left > 0 {
                    button type="submit" { (ctx.t("register.submit")) }
                } @else {
                    button type="submit" { (ctx.t("register.join_waitlist")) }
                }
            }
            (lost_link_link(ctx, &d.stop.id))
        }
    }
}

/// "Lost the link to your registration?", to the page that e-mails it again.
pub fn lost_link_link(ctx: &Ctx, stop_id: &str) -> Markup {
    html! { p.lost-link { a href={ "/stops/" (stop_id) "/lost-link" } { (ctx.t("lost_link.link")) } } }
}

/// The "lost your link?" page of a stop: an address, and once sent, the same answer whether
/// or not that address is registered (`sent_at_most_every_minutes`: how often it is sent).
pub fn lost_link(
    ctx: &Ctx,
    stop_name: &str,
    stop_id: &str,
    email: &str,
    errors: &FieldErrors,
    sent_at_most_every_minutes: Option<i64>,
) -> Markup {
    page(
        ctx,
        &ctx.t("lost_link.title"),
        html! {
            p.crumbs { a href={ "/stops/" (stop_id) } { (stop_name) } }
            h1 { (ctx.t("lost_link.title")) }
            @if let Some(minutes) = sent_at_most_every_minutes {
                p.flash.success role="status" { (ctx.tf("lost_link.sent", &[("stop", stop_name), ("minutes", &minutes.to_string())])) }
            } @else {
                p { (ctx.tf("lost_link.lead", &[("stop", stop_name)])) }
                (error_summary(ctx, errors))
                form method="post" action={ "/stops/" (stop_id) "/lost-link" } class="narrow" {
                    (input(ctx, errors, Field::new("email", &ctx.t("field.email"), email).kind("email").required()))
                    button type="submit" { (ctx.t("lost_link.submit")) }
                }
            }
            p { a href={ "/stops/" (stop_id) } { (ctx.t("lost_link.back")) } }
        },
    )
}

/// The attendee's own page, reached from the e-mail: the ticket, the stop, cancel.
pub fn manage(
    ctx: &Ctx,
    token: &str,
    r: &Registration,
    s: &StopContext,
    position: Option<i64>,
    qr_svg: &str,
) -> Markup {
    let base = format!("/r/{token}");
    let over = matches!(s.stop.status.as_str(), "done" | "cancelled");
    page(
        ctx,
        &ctx.t("manage.title"),
        html! {
            p.crumbs { a href={ "/stops/" (s.stop.id) } { (s.tour.name) " · " (s.stop.city) } }
            h1 { (ctx.t("manage.title")) }
            @if s.stop.status == crate::domain::stop::StopStatus::Cancelled {
                // Whatever the registration was, there is no event to come to.
                p { (ctx.tf("manage.hello", &[("name", &r.name)])) " " (status_badge(ctx, "stop_status", s.stop.status.as_str())) }
                p.notice.error.stop-cancelled role="status" { (ctx.t("lifecycle.ticket.cancelled")) }
                (crate::views::components::organizers_notice(ctx, s.stop.notice.as_deref()))
            } @else {
                @if s.stop.status != crate::domain::stop::StopStatus::Done { (crate::views::components::organizers_notice(ctx, s.stop.notice.as_deref())) }
                p { (ctx.tf("manage.hello", &[("name", &r.name)])) " " (status_badge(ctx, "registration_status", r.status)) }
            }
            @match r.status.as_str() {
                _ if s.stop.status == crate::domain::stop::StopStatus::Cancelled => {},
                "confirmed" => {
                    div.ticket {
                        p { (ctx.t("manage.show_code")) }
                        p.code { (r.code) }
                        (PreEscaped(qr_svg))
                        @if let Some(at) = r.checked_in_at { p { (ctx.t("manage.checked_in")) " " (clock(ctx.lang, at, s.stop.tz())) } }
                    }
                },
                "waitlisted" => p.notice { (ctx.tf("manage.waitlisted", &[("position", &position.unwrap_or(0).to_string())])) },
                _ => p.notice { (ctx.t("manage.cancelled")) },
            }
            dl.facts {
                dt { (ctx.t("stop.when")) } dd { (time_range(ctx.lang, s.stop.starts_at, s.stop.ends_at, s.stop.tz())) }
                dt { (ctx.t("stop.where")) } dd { strong { (s.venue.name) } br; (s.venue.address) }
                @if !s.venue.directions.is_empty() { dt { (ctx.t("stop.directions")) } dd.pre { (s.venue.directions) } }
                @if let Some(c) = &s.tour.contact_email { dt { (ctx.t("tour.contact")) } dd { a href={ "mailto:" (c) } { (c) } } }
            }
            @if r.status != crate::domain::attendance::RegistrationStatus::Cancelled && !over {
                p { a href={ (base) "/calendar.ics" } { (ctx.t("manage.calendar")) } }
                @if r.checked_in_at.is_some() {
                    // In the room: the seat was used, so there is nothing to cancel.
                    p.notice { (ctx.t("people.manage.checked_in")) }
                } @else {
                    @if r.status == crate::domain::attendance::RegistrationStatus::Confirmed && r.still_coming.is_none() {
                        p.actions {
                            a.button href={ (base) "/coming/yes" } { (ctx.t("email.still_coming.yes")) }
                            a.button.secondary href={ (base) "/coming/no" } { (ctx.t("email.still_coming.no")) }
                        }
                    }
                    @if r.still_coming == Some(crate::domain::attendance::StillComing::Yes) { p.flash.success { (ctx.t("manage.said_yes")) } }
                    h2 { (ctx.t("manage.cancel_title")) }
                    (confirm_form(ctx, &format!("{base}/cancel"), &ctx.t("manage.cancel"),
                        &ctx.t(if r.status == crate::domain::attendance::RegistrationStatus::Waitlisted { "manage.cancel_explain_waitlisted" } else { "manage.cancel_explain_confirmed" }),
                        &ctx.t("manage.cancel_confirm")))
                }
            }
            @if r.status == crate::domain::attendance::RegistrationStatus::Cancelled && s.stop.status == crate::domain::stop::StopStatus::Open && s.tour.is_public() {
                p.actions { a.button href={ "/stops/" (s.stop.id) "#register" } { (ctx.t("manage.register_again")) } }
            }
            h2 { (ctx.t("people.manage.new_link_title")) }
            p.hint { (ctx.t("people.manage.new_link_hint")) }
            (confirm_form(ctx, &format!("{base}/new-link"), &ctx.t("people.manage.new_link"),
                &ctx.t("manage.new_link_explain"), &ctx.t("manage.new_link_confirm")))
            h2 { (ctx.t("manage.erase_title")) }
            p.hint { (ctx.t("manage.erase_hint")) }
            // What erasing does here: it cancels only a registration that still holds a
            // place (see `services::registrations::erase`).
            (confirm_form(ctx, &format!("{base}/erase"), &ctx.t("manage.erase"),
                &ctx.t(if s.stop.status != crate::domain::stop::StopStatus::Done && r.status != crate::domain::attendance::RegistrationStatus::Cancelled && r.checked_in_at.is_none() { "manage.erase_explain" } else { "manage.erase_explain_kept" }),
                &ctx.t("manage.erase_confirm")))
        },
    )
}

/// "No, free my seat": one button, so that a mail scanner opening links cannot cancel.
pub fn confirm_not_coming(ctx: &Ctx, token: &str, s: &StopContext) -> Markup {
    page(
        ctx,
        &ctx.t("email.still_coming.no"),
        html! {
            h1 { (ctx.t("email.still_coming.no")) }
            p { (ctx.tf("manage.not_coming_lead", &[("stop", &format!("{} · {}", s.tour.name, s.stop.city))])) }
            (post_form(ctx, &format!("/r/{token}/coming/no"), "", html! {
                button type="submit" { (ctx.t("manage.not_coming_submit")) }
            }))
            p { a href={ "/r/" (token) } { (ctx.t("manage.back")) } }
        },
    )
}

pub fn erased(ctx: &Ctx) -> Markup {
    page(
        ctx,
        &ctx.t("manage.erased"),
        html! { h1 { (ctx.t("manage.erased")) } p { a href="/" { (ctx.t("error.home")) } } },
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub checked_in: String,
    pub volunteers: String,
}

pub fn list(
    ctx: &Ctx,
    tour: &Tour,
    stop: &Stop,
    rows: &[(Registration, i64)],
    query: &ListQuery,
    can_see_people: bool,
) -> Markup {
    let base = format!("/manage/stops/{}/registrations", stop.id);
    let qs = serde_urlencoded::to_string([
        ("q", &query.q),
        ("status", &query.status),
        ("checked_in", &query.checked_in),
        ("volunteers", &query.volunteers),
    ])
    .unwrap_or_default();
    page(
        ctx,
        &ctx.t("registrations.title"),
        html! {
            p.crumbs { a href={ "/manage/stops/" (stop.id) } { (tour.name) " · " (stop.city) } }
            h1 { (ctx.t("registrations.title")) " (" (rows.len()) ")" }
            form.row method="get" action=(base) role="search" {
                div.field { label for="q" { (ctx.t("form.search")) } input #q type="search" name="q" value=(query.q); }
                div.field {
                    label for="status" { (ctx.t("field.status")) }
                    select #status name="status" {
                        option value="" { (ctx.t("outbox.all")) }
                        @for s in ["confirmed", "waitlisted", "cancelled"] {
                            option value=(s) selected[query.status == s] { (ctx.t(&format!("registration_status.{s}"))) }
                        }
                    }
                }
                div.field {
                    label for="checked_in" { (ctx.t("stats.checked_in")) }
                    select #checked_in name="checked_in" {
                        option value="" { (ctx.t("outbox.all")) }
                        option value="true" selected[query.checked_in == "true"] { (ctx.t("registrations.came")) }
                        option value="false" selected[query.checked_in == "false"] { (ctx.t("registrations.not_yet")) }
                    }
                }
                (checkbox("volunteers", &ctx.t("registrations.volunteers_only"), !query.volunteers.is_empty()))
                button type="submit" { (ctx.t("form.search")) }
            }
            p { a href={ (base) ".csv?" (qs) } { (ctx.t("registrations.csv")) } " · " a href={ (base) ".xlsx?" (qs) } { (ctx.t("export.xlsx")) } }
            table.list {
                thead { tr {
                    th { (ctx.t("field.name")) } th { (ctx.t("field.email")) } th { (ctx.t("field.affiliation")) }
                    th { (ctx.t("field.status")) } th { (ctx.t("registrations.code")) } th { (ctx.t("stats.checked_in")) } th { (ctx.t("registrations.history")) }
                } }
                tbody {
                    @for (r, no_shows) in rows {
                        tr {
                            td data-label=(ctx.t("field.name")) { (r.name) @if r.wants_to_volunteer { " " span.badge { (ctx.t("registrations.volunteer")) } } @if r.walk_in { " " span.badge { (ctx.t("registrations.walk_in")) } } }
                            td data-label=(ctx.t("field.email")) { (r.email) }
                            td data-label=(ctx.t("field.affiliation")) { (r.affiliation) }
                            td data-label=(ctx.t("field.status")) { (status_badge(ctx, "registration_status", r.status)) }
                            td data-label=(ctx.t("registrations.code")) { code { (r.code) } }
                            td data-label=(ctx.t("stats.checked_in")) { @if let Some(t) = r.checked_in_at { (clock(ctx.lang, t, stop.tz())) } }
                            td data-label=(ctx.t("registrations.history")) {
                                @if can_see_people { a href={ "/manage/people?email=" (crate::views::layout::urlencode(&r.email)) } { (ctx.t("registrations.history")) } }
                                @if *no_shows > 0 { " " span.badge.cancelled { (ctx.lang.tn("registrations.no_shows", *no_shows, &[])) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn person(ctx: &Ctx, email: &str, rows: &[(Registration, Stop, Tour)]) -> Markup {
    page(
        ctx,
        &ctx.t("people.title"),
        html! {
            h1 { (ctx.t("people.title")) }
            form.row method="get" action="/manage/people" role="search" {
                div.field { label for="email" { (ctx.t("field.email")) } input #email type="email" name="email" value=(email); }
                button type="submit" { (ctx.t("form.search")) }
            }
            @if !email.is_empty() {
                @if rows.is_empty() { p.empty { (ctx.t("people.none")) } }
                @else {
                    table.list {
                        thead { tr { th { (ctx.t("stop.when")) } th { (ctx.t("tour.tour")) } th { (ctx.t("field.city")) } th { (ctx.t("field.status")) } th { (ctx.t("people.outcome")) } } }
                        tbody {
                            @for (r, s, t) in rows {
                                tr {
                                    td data-label=(ctx.t("stop.when")) { (date(ctx.lang, s.starts_at, s.tz())) }
                                    td data-label=(ctx.t("tour.tour")) { (t.name) }
                                    td data-label=(ctx.t("field.city")) { a href={ "/manage/stops/" (s.id) } { (s.city) } }
                                    td data-label=(ctx.t("field.status")) { (status_badge(ctx, "registration_status", r.status)) }
                                    td data-label=(ctx.t("people.outcome")) {
                                        @if r.checked_in_at.is_some() { (ctx.t("people.came")) }
                                        @else if s.status == crate::domain::stop::StopStatus::Done && r.status == crate::domain::attendance::RegistrationStatus::Confirmed { strong { (ctx.t("people.no_show")) } }
                                        @else { "—" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What the desk shows after an action.
pub enum DeskResult {
    None,
    CheckedIn {
        name: String,
        code: String,
        already: bool,
    },
    Error(String),
    Found(Vec<Registration>),
}

/// Where a desk helper whose link ran out asks for a new one by e-mail.
pub fn desk_login(ctx: &Ctx, tour: &Tour, stop: &Stop, sent: bool) -> Markup {
    let name = format!("{} · {}", tour.name, stop.city);
    page(
        ctx,
        &ctx.t("people.desk.login_title"),
        html! {
            h1 { (ctx.t("people.desk.login_title")) }
            @if sent {
                p.flash.success role="status" { (ctx.t("people.desk.login_sent")) }
            } @else {
                p { (ctx.tf("people.desk.login_lead", &[("stop", &name)])) }
                (post_form(ctx, &format!("/desk/{}/login", stop.id), "narrow", html! {
                    (input(ctx, &FieldErrors::new(), Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("reset.send")) }
                }))
            }
        },
    )
}

/// The check-in desk, made for a phone held at the door.
pub fn desk(
    ctx: &Ctx,
    tour: &Tour,
    stop: &Stop,
    stats: &StopStats,
    result: &DeskResult,
    code: &str,
    errors: &FieldErrors,
) -> Markup {
    let base = format!("/desk/{}", stop.id);
    page(
        ctx,
        &ctx.t("desk.title"),
        html! {
            div.desk {
                p.crumbs { (tour.name) " · " (stop.city) }
                h1 { (ctx.t("desk.title")) }
                p { (ctx.tf("desk.counts", &[("in", &stats.counters.checked_in.to_string()), ("confirmed", &stats.counters.confirmed.to_string())])) }
                @match result {
                    DeskResult::CheckedIn { name, code, already } => p.flash.(if *already { "error" } else { "success" }).result role="status" {
                        @if *already { (ctx.tf("desk.already", &[("name", name), ("code", code)])) }
                        @else { (ctx.tf("desk.checked_in", &[("name", name), ("code", code)])) }
                    },
                    DeskResult::Error(message) => p.flash.error.result role="alert" { (message) },
                    _ => {},
                }
                (post_form(ctx, &format!("{base}/checkin"), "row", html! {
                    div.field {
                        label for="code" { (ctx.t("desk.code")) }
                        input #code name="code" value=(code) autocomplete="off" autocapitalize="characters" autofocus required;
                    }
                    button type="submit" { (ctx.t("desk.check_in")) }
                }))
                button #scan.secondary.hidden type="button" data-label-stop=(ctx.t("desk.scan_stop")) { (ctx.t("desk.scan")) }
                video #camera.hidden playsinline muted {}
                h2 { (ctx.t("desk.find")) }
                form.row method="get" action=(base) role="search" {
                    div.field { label for="q" { (ctx.t("desk.by_name")) } input #q type="search" name="q"; }
                    button.secondary type="submit" { (ctx.t("form.search")) }
                }
                @if let DeskResult::Found(list) = result {
                    @if list.is_empty() { p.empty { (ctx.t("desk.nobody")) } }
                    ul {
                        @for r in list {
                            li {
                                strong { (r.name) } " · " (r.affiliation) " · " code { (r.code) } " " (status_badge(ctx, "registration_status", r.status))
                                @if r.checked_in_at.is_none() && r.status != crate::domain::attendance::RegistrationStatus::Cancelled {
                                    " " (post_form(ctx, &format!("{base}/checkin"), "inline", html! {
                                        input type="hidden" name="registration_id" value=(r.id);
                                        button.link type="submit" { (ctx.t("desk.check_in")) }
                                    }))
                                }
                            }
                        }
                    }
                }
                h2 { (ctx.t("desk.walk_in")) }
                (error_summary(ctx, errors))
                (post_form(ctx, &format!("{base}/walk-in"), "narrow", html! {
                    (input(ctx, errors, Field::new("name", &ctx.t("field.name"), "").required()))
                    (input(ctx, errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    (input(ctx, errors, Field::new("affiliation", &ctx.t("field.affiliation"), "")))
                    button type="submit" { (ctx.t("desk.walk_in_submit")) }
                }))
            }
            script src="/static/desk.js" defer {}
        },
    )
}

/// The address is already registered: nothing about that registration is shown here.
pub fn already_registered(ctx: &Ctx, stop_id: &str) -> Markup {
    page(
        ctx,
        &ctx.t("register.already_title"),
        html! {
            h1 { (ctx.t("register.already_title")) }
            p { (ctx.t("register.already")) }
            (lost_link_link(ctx, stop_id))
            p { a href={ "/stops/" (stop_id) } { (ctx.t("manage.back")) } }
        },
    )
}
