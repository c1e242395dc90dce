//! The organizers' pages of a stop: its form, its page, cloning it, cancelling it.

use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::access::TourAccess;
use crate::domain::stop::{Affected, StopStatus};
use crate::error::FieldErrors;
use crate::format::time_range;
use crate::models::stop::{Stop, StopDetail};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, confirm_form, error_summary, grouped_select, input, post_form, select,
    status_badge, timezone_choices,
};
use crate::views::layout::page;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StopForm {
    pub city: String,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub venue_id: String,
    pub backup_1: String,
    pub backup_2: String,
    pub backup_3: String,
    pub capacity: String,
    pub show_rate: String,
    pub livestream_url: String,
    pub online_viewers: String,
    /// Set when the form clones another stop.
    pub from: String,
    /// The new times ("start|end", as typed) the organizer agreed to tell people about.
    pub confirm_times: String,
    /// Their message to the people told of a new time.
    pub message: String,
    /// The city in other languages.
    #[serde(flatten)]
    pub texts: crate::views::content::TextsForm,
}

impl StopForm {
    pub fn from_stop(d: &StopDetail) -> Self {
        let tz = d.stop.tz();
        let backup = |i: usize| d.backups.get(i).map(|v| v.id.clone()).unwrap_or_default();
        StopForm {
            city: d.stop.city.clone(),
            starts_at: crate::format::local_input(d.stop.starts_at, tz),
            ends_at: crate::format::local_input(d.stop.ends_at, tz),
            timezone: d.stop.timezone.clone(),
            venue_id: d.stop.venue_id.clone(),
            backup_1: backup(0),
            backup_2: backup(1),
            backup_3: backup(2),
            capacity: d
                .stop
                .capacity_override
                .map(|c| c.to_string())
                .unwrap_or_default(),
            show_rate: d
                .stop
                .show_rate_override
                .map(|r| r.to_string())
                .unwrap_or_default(),
            livestream_url: d.stop.livestream_url.clone().unwrap_or_default(),
            online_viewers: d
                .stop
                .online_viewers
                .map(|n| n.to_string())
                .unwrap_or_default(),
            from: String::new(),
            confirm_times: String::new(),
            message: String::new(),
            texts: Default::default(),
        }
    }

    /// The times as typed, as the confirmation of a new time names them.
    pub fn times(&self) -> String {
        format!("{}|{}", self.starts_at.trim(), self.ends_at.trim())
    }

    pub fn backups(&self) -> Vec<String> {
        [&self.backup_1, &self.backup_2, &self.backup_3]
            .into_iter()
            .filter(|b| !b.trim().is_empty())
            .map(|b| b.trim().to_owned())
            .collect()
    }
}

fn venue_choices(ctx: &Ctx, venues: &[Venue], none_label: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(label) = none_label {
        out.push((String::new(), label.to_owned()));
    }
    out.extend(venues.iter().map(|v| {
        // What a venue demands of a stop shows in the list already.
        let mut flags = Vec::new();
        if v.weekday_only {
            flags.push(ctx.t("venue_moves.short.weekend"));
        }
        if v.id_check_required {
            flags.push(ctx.t("venue_moves.short.id_check"));
        }
        let mut label = format!(
            "{} · {} ({} {})",
            v.city,
            v.name,
            v.capacity,
            ctx.t("venue.seats")
        );
        for f in flags {
            label.push_str(" · ");
            label.push_str(&f);
        }
        (v.id.clone(), label)
    }));
    out
}

/// New stop (in `tour`), or edit of `stop`. `moving`: the new times would be e-mailed to
/// these people, and the form asks first.
pub fn stop_form(
    ctx: &Ctx,
    tour: &Tour,
    stop: Option<&Stop>,
    venues: &[Venue],
    form: &StopForm,
    errors: &FieldErrors,
    moving: Option<&Affected>,
) -> Markup {
    let (title, action) = match stop {
        Some(s) => (ctx.t("stop.edit"), format!("/manage/stops/{}/edit", s.id)),
        None => (
            ctx.t("stop.new"),
            format!("/manage/tours/{}/stops/new", tour.id),
        ),
    };
    let draft = stop.is_none_or(|s| s.status() == StopStatus::Draft);
    let tz = if form.timezone.is_empty() {
        "Asia/Shanghai"
    } else {
        &form.timezone
    };
    page(
        ctx,
        &title,
        html! {
            p.crumbs { a href={ "/manage/tours/" (tour.id) } { (tour.name) } }
            h1 { (title) }
            @if venues.is_empty() {
                p.flash.error { (ctx.t("stop.needs_venue")) " " a href="/manage/venues/new" { (ctx.t("venue.new")) } }
            }
            (error_summary(ctx, errors))
            (post_form(ctx, &action, "", html! {
                (input(ctx, errors, Field::new("city", &ctx.t("field.city"), &form.city).required()))
                (crate::views::content::other_languages(ctx, errors, &form.texts, "city", &ctx.t("field.city"), false))
                (grouped_select(ctx, errors, "timezone", &ctx.t("field.timezone"), tz, &timezone_choices(ctx, tz)))
                (input(ctx, errors, Field::new("starts_at", &ctx.t("field.starts_at"), &form.starts_at).kind("datetime-local").required()))
                (input(ctx, errors, Field::new("ends_at", &ctx.t("field.ends_at"), &form.ends_at).kind("datetime-local").required()))
                @if draft {
                    (select(ctx, errors, "venue_id", &ctx.t("field.venue"), &form.venue_id, &venue_choices(ctx, venues, Some(&ctx.t("venue_moves.choose")))))
                    @if stop.is_none() {
                        @for (i, (name, value)) in [("backup_1", &form.backup_1), ("backup_2", &form.backup_2), ("backup_3", &form.backup_3)].into_iter().enumerate() {
                            (select(ctx, errors, name, &ctx.tf("field.backup_n", &[("n", &(i + 1).to_string())]), value, &venue_choices(ctx, venues, Some("—"))))
                        }
                    }
                } @else {
                    input type="hidden" name="venue_id" value=(form.venue_id);
                    p.hint { (ctx.t("stop.venue_via_switch")) }
                }
                (input(ctx, errors, Field::new("capacity", &ctx.t("field.capacity_override"), &form.capacity).kind("number").hint(&ctx.t("field.capacity_override_hint"))))
                (input(ctx, errors, Field::new("show_rate", &ctx.t("field.show_rate_override"), &form.show_rate).hint(&ctx.t("field.show_rate_override_hint"))))
                (input(ctx, errors, Field::new("livestream_url", &ctx.t("field.livestream_url"), &form.livestream_url).kind("url")))
                @if stop.is_some() {
                    (input(ctx, errors, Field::new("online_viewers", &ctx.t("field.online_viewers"), &form.online_viewers).kind("number")))
                }
                @if let Some(a) = moving {
                    div.notice.moved role="status" {
                        p { strong { (ctx.lang.tn("lifecycle.moved.people", a.people as i64, &[])) } }
                        p { (breakdown(ctx, a)) }
                    }
                    input type="hidden" name="confirm_times" value=(form.times());
                    (input(ctx, errors, Field::new("message", &ctx.t("lifecycle.message"), &form.message).kind("textarea").hint(&ctx.t("lifecycle.message_hint"))))
                    button.danger type="submit" { (ctx.t("lifecycle.moved.confirm")) }
                } @else {
                    button type="submit" { (ctx.t("form.save")) }
                }
            }))
        },
    )
}

pub struct StopPage<'a> {
    pub tour: &'a Tour,
    pub access: &'a TourAccess,
    pub detail: &'a StopDetail,
    pub venues: &'a [Venue],
    pub errors: &'a FieldErrors,
    pub stats: &'a crate::read::registrations::StopStats,
    pub timeline: &'a [(chrono::NaiveDate, i64, i64)],
    pub switches: &'a [(crate::models::stop::VenueSwitch, String, String)],
    pub helpers: &'a [crate::models::desk_helper::DeskHelper],
    pub figures: &'a crate::read::dashboards::StopFigures,
    pub moves: &'a crate::read::venues::VenueMoves,
}

pub fn stop_page(ctx: &Ctx, p: StopPage) -> Markup {
    let d = p.detail;
    let stop = &d.stop;
    let base = format!("/manage/stops/{}", stop.id);
    let tense = p.figures.tense;
    let next_statuses = crate::domain::stop::offered_moves(stop.status(), tense);
    page(
        ctx,
        &format!("{} · {}", p.tour.name, stop.city),
        html! {
            p.crumbs { a href={ "/manage/tours/" (p.tour.id) } { (p.tour.name) } }
            h1 { (stop.city) " " (status_badge(ctx, "stop_status", stop.status.as_str())) }
            p.actions {
                a.button.secondary href={ (base) "/edit" } { (ctx.t("stop.edit")) }
                @if p.access.can_edit_tour() {
                    " " a.button.secondary href={ "/manage/tours/" (p.tour.id) "/stops/new?from=" (stop.id) } { (ctx.t("stop.clone")) }
                }
                @for s in &next_statuses {
                    @if *s == StopStatus::Cancelled {
                        // Asks first, on a page that says who will be told.
                        " " a.button.secondary.danger href={ (base) "/status/cancelled" } { (ctx.t("stop_action.cancelled")) }
                    } @else {
                        // The move the stop's tense calls for is the primary one.
                        @let primary = matches!((stop.status(), *s), (StopStatus::Draft, StopStatus::Open))
                            || (*s == StopStatus::Done && tense == crate::domain::stop::Tense::After);
                        " " (button_form(ctx, &format!("{base}/status/{}", s.as_str()), &crate::views::manage::figures::move_label(ctx, stop.status(), *s), if primary { "" } else { "secondary" }))
                    }
                }
                @if stop.status().is_public() && p.tour.is_public() {
                    " " a href={ "/stops/" (stop.id) } { (ctx.t("stop.public_page")) }
                } @else {
                    " " a href={ (base) "/preview" } { (ctx.t("dash.preview.link")) }
                }
            }
            h2 { (ctx.t("stats.title")) }
            (crate::views::manage::figures::stop_panel(ctx, p.figures, p.stats, p.timeline))
            p.actions {
                a.button href={ (base) "/registrations" } { (ctx.t("registrations.title")) }
                a.button.secondary href={ "/desk/" (stop.id) } { (ctx.t("desk.title")) }
                a.button.secondary href={ (base) "/agenda" } { (ctx.t("agenda.builder")) }
                a.button.secondary href={ (base) "/tasks" } { (ctx.t("tasks.title")) }
                a.button.secondary href={ (base) "/materials" } { (ctx.t("material.title")) }
                a.button.secondary href={ (base) "/registrations?volunteers=on" } { (ctx.t("registrations.volunteers_only")) }
            }
            dl.facts {
                dt { (ctx.t("stop.when")) } dd { (time_range(ctx.lang, stop.starts_at, stop.ends_at, stop.tz())) }
                dt { (ctx.t("stop.where")) } dd { a href={ "/manage/venues/" (d.venue.id) } { (d.venue.name) } ", " (d.venue.address) }
                dt { (ctx.t("field.capacity")) } dd {
                    (d.capacity())
                    @if stop.capacity_override.is_some() { " (" (ctx.t("stop.overridden")) ")" }
                }
                @if let Some(r) = stop.show_rate_override { dt { (ctx.t("field.show_rate_override")) } dd { (format!("{:.0}%", r * 100.0)) } }
                @if let Some(url) = &stop.livestream_url { dt { (ctx.t("field.livestream_url")) } dd { (url) } }
                @if let Some(n) = stop.online_viewers { dt { (ctx.t("field.online_viewers")) } dd { (n) } }
            }

            (crate::views::manage::venue_moves::section(ctx, d, p.moves, p.switches, p.errors))

            h2 { (ctx.t("desk.helpers")) }
            p.hint { (ctx.t("desk.helpers_hint")) }
            ul {
                @for h in p.helpers {
                    li {
                        (h.name) " <" (h.email) "> "
                        (post_form(ctx, &format!("{base}/desk-helpers/remove"), "inline", html! {
                            input type="hidden" name="email" value=(h.email);
                            button.link.danger type="submit" { (ctx.t("form.remove")) }
                        }))
                    }
                }
            }
            (post_form(ctx, &format!("{base}/desk-helpers"), "row", html! {
                (input(ctx, p.errors, Field::new("email", &ctx.t("field.email"), "").kind("email").scope("desk")))
                (input(ctx, p.errors, Field::new("name", &ctx.t("field.name"), "").scope("desk")))
                button type="submit" { (ctx.t("desk.add_helper")) }
            }))

            h2 { (ctx.t("stop.supporters")) }
            ul {
                @for s in &d.supporters {
                    li {
                        strong { (s.name) } @if !s.contribution.is_empty() { " — " (s.contribution) }
                        " " (confirm_form(ctx, &format!("{base}/supporters/{}/remove", s.id), &ctx.t("form.remove"),
                            &ctx.tf("lifecycle.remove_supporter.explain", &[("name", &s.name)]),
                            &ctx.t("lifecycle.remove_supporter.confirm")))
                    }
                }
            }
            (post_form(ctx, &format!("{base}/supporters"), "row", html! {
                (input(ctx, p.errors, Field::new("name", &ctx.t("field.supporter_name"), "").scope("supporter")))
                (input(ctx, p.errors, Field::new("contribution", &ctx.t("field.contribution"), "")))
                button type="submit" { (ctx.t("stop.add_supporter")) }
            }))
        },
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CloneForm {
    pub from: String,
    pub starts_at: String,
    pub ends_at: String,
}

/// A new stop like `source` in everything but the date.
pub fn clone_form(
    ctx: &Ctx,
    tour: &Tour,
    source: &StopDetail,
    form: &CloneForm,
    errors: &FieldErrors,
) -> Markup {
    page(
        ctx,
        &ctx.t("stop.clone"),
        html! {
            p.crumbs { a href={ "/manage/tours/" (tour.id) } { (tour.name) } }
            h1 { (ctx.t("stop.clone")) ": " (source.stop.city) }
            p { (ctx.tf("stop.clone_lead", &[("venue", &source.venue.name), ("timezone", &source.stop.timezone)])) }
            (error_summary(ctx, errors))
            (post_form(ctx, &format!("/manage/tours/{}/stops/new", tour.id), "narrow", html! {
                input type="hidden" name="from" value=(source.stop.id);
                (input(ctx, errors, Field::new("starts_at", &ctx.t("field.starts_at"), &form.starts_at).kind("datetime-local").required()))
                (input(ctx, errors, Field::new("ends_at", &ctx.t("field.ends_at"), &form.ends_at).kind("datetime-local").required()))
                button type="submit" { (ctx.t("stop.clone")) }
            }))
        },
    )
}

/// Who is told, group by group.
fn breakdown(ctx: &Ctx, a: &Affected) -> String {
    ctx.tf(
        "lifecycle.breakdown",
        &[
            ("confirmed", &a.confirmed.to_string()),
            ("waitlisted", &a.waitlisted.to_string()),
            ("speakers", &a.speakers.to_string()),
            ("volunteers", &a.volunteers.to_string()),
        ],
    )
}

/// What cancelling a stop will do, before it is done: who will be told, the organizer's
/// message, and the e-mail as the first of them will get it.
pub struct CancelPage<'a> {
    pub tour: &'a Tour,
    pub detail: &'a StopDetail,
    pub affected: &'a Affected,
    pub message: &'a str,
    /// The recipient's name and the e-mail they will get.
    pub sample: (&'a str, &'a crate::email::Rendered),
    pub errors: &'a FieldErrors,
}

pub fn cancel_stop(ctx: &Ctx, p: CancelPage) -> Markup {
    let stop = &p.detail.stop;
    let base = format!("/manage/stops/{}", stop.id);
    let title = ctx.tf("lifecycle.cancel.title", &[("city", &stop.city)]);
    page(
        ctx,
        &title,
        html! {
            p.crumbs { a href=(base) { (p.tour.name) " · " (stop.city) } }
            h1 { (title) }
            p { (ctx.tf("lifecycle.cancel.lead", &[
                ("when", &time_range(ctx.lang, stop.starts_at, stop.ends_at, stop.tz())),
                ("venue", &p.detail.venue.name),
            ])) }
            div.notice.error role="status" {
                p.people { strong { (ctx.lang.tn("lifecycle.cancel.people", p.affected.people as i64, &[])) } }
                p { (breakdown(ctx, p.affected)) }
            }
            p.hint { (ctx.t("lifecycle.cancel.kept")) }
            (error_summary(ctx, p.errors))
            (post_form(ctx, &format!("{base}/status/cancelled"), "", html! {
                (input(ctx, p.errors, Field::new("message", &ctx.t("lifecycle.message"), p.message).kind("textarea").hint(&ctx.t("lifecycle.message_hint"))))
                div.actions {
                    button.secondary type="submit" name="action" value="preview" { (ctx.t("lifecycle.preview")) }
                    " " button.danger type="submit" name="action" value="confirm" { (ctx.t("lifecycle.cancel.confirm")) }
                    " " a href=(base) { (ctx.t("lifecycle.cancel.keep")) }
                }
            }))
            h2 { (ctx.tf("lifecycle.sample", &[("name", p.sample.0)])) }
            dl.facts { dt { (ctx.t("outbox.subject")) } dd.subject { (p.sample.1.subject) } }
            pre.mail { (p.sample.1.text) }
        },
    )
}
