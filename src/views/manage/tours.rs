//! The organizers' pages of tours: the dashboard, a tour's form and page, the site's
//! organizers.

use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::access::{TeamRole, TourAccess};
use crate::domain::stop::{StopStatus, Tense};
use crate::domain::tour::TourStatus;
use crate::error::FieldErrors;
use crate::format::date;
use crate::models::organizer::Organizer;
use crate::models::team::TeamMemberView;
use crate::models::tour::Tour;
use crate::models::translation::RecordTexts;
use crate::read::dashboards::{Home, StopFigures, TourTotals};
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, checkbox, confirm_form, error_summary, input, markdown, post_form, select,
    status_badge,
};
use crate::views::content::{TextsForm, other_languages};
use crate::views::layout::page;
use crate::views::manage::figures::{pct, progress, short_state, state_class};

/// The organizer's home: what needs them today across their tours, then the tours.
pub fn dashboard(ctx: &Ctx, home: &Home) -> Markup {
    let tours = &home.tours;
    let stop_link = |stop: &crate::models::stop::Stop, tour: &str, suffix: &str| {
        html! {
            a href={ "/manage/stops/" (stop.id) (suffix) } { (stop.city) } " · " (tour) " · " (date(ctx.lang, stop.starts_at, stop.tz()))
        }
    };
    page(
        ctx,
        &ctx.t("dashboard.title"),
        html! {
            h1 { (ctx.t("dashboard.title")) }
            p.actions {
                a.button href="/manage/tours/new" { (ctx.t("dashboard.new_tour")) }
                " "
                a.button.secondary href="/manage/venues" { (ctx.t("layout.venues")) }
                " "
                a.button.secondary href="/manage/emails" { (ctx.t("templates.title")) }
            }
            @if !tours.is_empty() {
                section.today aria-labelledby="today" {
                    h2 #today { (ctx.t("dash.today")) }
                    @if home.nothing_to_do() { p.empty { (ctx.t("dash.nothing_today")) } }
                    @if !home.this_week.is_empty() {
                        h3 { (ctx.t("dash.this_week")) }
                        ul.todo.this-week {
                            @for (f, tour) in &home.this_week {
                                li {
                                    @if f.tense == Tense::During {
                                        strong { (ctx.t("dash.short.during")) } " · "
                                        a href={ "/desk/" (f.stop.id) } { (f.stop.city) } " · " (tour) " · "
                                        (ctx.tf("dash.during", &[("checked_in", &f.counters.checked_in.to_string()), ("confirmed", &f.counters.confirmed.to_string())]))
                                    } @else {
                                        (stop_link(&f.stop, tour, "")) " · " span.state.(state_class(f)) { (short_state(ctx, f)) } " · " (progress(ctx, f))
                                    }
                                }
                            }
                        }
                    }
                    @if !home.bad_signals.is_empty() {
                        h3 { (ctx.t("dash.bad_signals")) }
                        ul.todo.signals {
                            @for (f, tour) in &home.bad_signals {
                                li { (stop_link(&f.stop, tour, "")) " · " span.state.(state_class(f)) { (short_state(ctx, f)) } " · " (progress(ctx, f)) }
                            }
                        }
                    }
                    @if !home.open_tasks.is_empty() {
                        h3 { (ctx.t("dash.open_tasks")) }
                        ul.todo.tasks {
                            @for t in &home.open_tasks {
                                li { (stop_link(&t.stop, &t.tour, "/tasks")) " · " (t.title) " · " (ctx.lang.tn("dash.free_slots", t.free, &[])) }
                            }
                        }
                    }
                    @if !home.overdue.is_empty() {
                        h3 { (ctx.t("dash.overdue")) }
                        ul.todo.overdue {
                            @for (stop, tour, n) in &home.overdue {
                                li { (stop_link(stop, tour, "/materials")) " · " (ctx.lang.tn("dash.overdue_n", *n, &[])) }
                            }
                        }
                    }
                    @if !home.failed_emails.is_empty() {
                        h3 { (ctx.t("dash.failed_emails")) }
                        ul.todo.failed {
                            @for (tour, n) in &home.failed_emails {
                                li { a href={ "/manage/tours/" (tour.id) "/outbox?status=failed" } { (tour.name) } " · " (ctx.lang.tn("dash.failed_n", *n, &[])) }
                            }
                        }
                    }
                }
                h2 { (ctx.t("dash.tours")) }
            }
            @if tours.is_empty() {
                p.empty { (ctx.t("dashboard.no_tours")) }
            } @else {
                table.list {
                    thead { tr { th { (ctx.t("field.name")) } th { (ctx.t("field.status")) } th { (ctx.t("team.role")) } } }
                    tbody {
                        @for (tour, role) in tours {
                            tr {
                                td data-label=(ctx.t("field.name")) { a href={ "/manage/tours/" (tour.id) } { (tour.name) } }
                                td data-label=(ctx.t("field.status")) { (status_badge(ctx, "tour_status", tour.status)) }
                                td data-label=(ctx.t("team.role")) { @if let Some(r) = role { (ctx.t(&format!("team.{}", r.as_str()))) } @else { (ctx.t("team.admin")) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A public page as its team previews it before it is public: bannered, never indexed.
/// (The handler adds the headers that keep it out of caches and search engines.)
pub fn preview(ctx: &Ctx, public_page: Markup, back: &str) -> Markup {
    let banner = html! {
        div.preview-banner role="status" {
            strong { (ctx.t("dash.preview.banner")) } " "
            (ctx.t("dash.preview.hint")) " "
            a href=(back) { (ctx.t("dash.preview.back")) }
        }
    };
    let page = public_page
        .into_string()
        .replacen(
            "<head>",
            r#"<head><meta name="robots" content="noindex, nofollow">"#,
            1,
        )
        .replacen(
            r#"<main id="main">"#,
            &format!(r#"<main id="main">{}"#, banner.into_string()),
            1,
        );
    maud::PreEscaped(page)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TourForm {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub contact_email: String,
    pub prior_show_rate: String,
    /// Dates (UTC) the call for proposals opens and closes; empty: no call.
    pub cfp_opens_on: String,
    pub cfp_closes_on: String,
    /// The name and description in other languages.
    #[serde(flatten)]
    pub texts: TextsForm,
}

impl TourForm {
    pub fn from_tour(t: &Tour, texts: &RecordTexts) -> Self {
        TourForm {
            texts: TextsForm::saved(texts),
            name: t.name.clone(),
            slug: t.slug.clone(),
            description: t.description.clone(),
            contact_email: t.contact_email.clone().unwrap_or_default(),
            prior_show_rate: format!("{}", t.prior_show_rate),
            cfp_opens_on: t
                .cfp_opens_at
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            cfp_closes_on: t
                .cfp_closes_at
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        }
    }
}

/// New tour (`tour` is None) or edit.
pub fn tour_form(ctx: &Ctx, tour: Option<&Tour>, form: &TourForm, errors: &FieldErrors) -> Markup {
    let (title, action) = match tour {
        Some(t) => (ctx.t("tour.edit"), format!("/manage/tours/{}/edit", t.id)),
        None => (ctx.t("dashboard.new_tour"), "/manage/tours/new".to_owned()),
    };
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            (error_summary(ctx, errors))
            (post_form(ctx, &action, "", html! {
                (input(ctx, errors, Field::new("name", &ctx.t("field.name"), &form.name).required()))
                (other_languages(ctx, errors, &form.texts, "name", &ctx.t("field.name"), false))
                (input(ctx, errors, Field::new("slug", &ctx.t("field.slug"), &form.slug).hint(&ctx.t("field.slug_hint"))))
                (input(ctx, errors, Field::new("description", &ctx.t("field.description"), &form.description).kind("textarea").hint(&ctx.t("field.markdown_hint"))))
                (other_languages(ctx, errors, &form.texts, "description", &ctx.t("field.description"), true))
                (input(ctx, errors, Field::new("contact_email", &ctx.t("field.contact_email"), &form.contact_email).kind("email").hint(&ctx.t("field.contact_email_hint"))))
                (input(ctx, errors, Field::new("prior_show_rate", &ctx.t("field.prior_show_rate"), &form.prior_show_rate).hint(&ctx.t("field.prior_show_rate_hint"))))
                (input(ctx, errors, Field::new("cfp_opens_on", &ctx.t("field.cfp_opens_on"), &form.cfp_opens_on).kind("date")))
                (input(ctx, errors, Field::new("cfp_closes_on", &ctx.t("field.cfp_closes_on"), &form.cfp_closes_on).kind("date").hint(&ctx.t("field.cfp_hint"))))
                button type="submit" { (ctx.t("form.save")) }
            }))
        },
    )
}

pub struct TourPage<'a> {
    pub tour: &'a Tour,
    pub access: &'a TourAccess,
    /// The stops the caller may see, with their figures.
    pub stops: &'a [StopFigures],
    pub totals: &'a TourTotals,
    pub team: &'a [TeamMemberView],
    pub member_errors: &'a FieldErrors,
}

/// Publish (primary), back to draft (secondary), archive (destructive: it asks first and
/// says what it does): the tour's status changes, never three equal buttons.
fn status_actions(ctx: &Ctx, tour: &Tour, base: &str) -> Markup {
    let status = tour.status();
    html! {
        @if status != TourStatus::Published {
            (button_form(ctx, &format!("{base}/status/published"), &ctx.t("tour.publish"), "publish"))
        }
        @if status != TourStatus::Draft {
            " " (button_form(ctx, &format!("{base}/status/draft"), &ctx.t("tour.unpublish"), "secondary"))
        }
        @if status != TourStatus::Archived {
            " " (confirm_form(ctx, &format!("{base}/status/archived"), &ctx.t("tour.archive"), &ctx.t("dash.archive.explain"), &ctx.t("dash.archive.confirm")))
        }
    }
}

/// "45% (forecast 50%)", or the forecast alone before the stop is over.
fn show_rates(ctx: &Ctx, forecast: Option<f64>, actual: Option<f64>) -> String {
    match (forecast, actual) {
        (Some(f), Some(a)) => format!(
            "{}{}",
            pct(a),
            ctx.lang
                .parens(&ctx.tf("dash.forecast", &[("rate", &pct(f))]))
        ),
        (Some(f), None) => ctx.tf("dash.forecast", &[("rate", &pct(f))]),
        _ => "—".into(),
    }
}

pub fn tour_page(ctx: &Ctx, p: TourPage) -> Markup {
    let tour = p.tour;
    let base = format!("/manage/tours/{}", tour.id);
    let t = p.totals;
    page(
        ctx,
        &tour.name,
        html! {
            p.crumbs { a href="/manage" { (ctx.t("dashboard.title")) } }
            h1 { (tour.name) " " (status_badge(ctx, "tour_status", tour.status)) }
            @if p.access.can_edit_tour() {
                p.actions {
                    a.button.secondary href={ (base) "/edit" } { (ctx.t("tour.edit")) }
                    " " a.button.secondary href={ (base) "/outbox" } { (ctx.t("outbox.link")) }
                    " " a.button.secondary href={ (base) "/messages" } { (ctx.t("message.title")) }
                    " " a.button.secondary href={ (base) "/proposals" } { (ctx.t("proposals.title")) }
                    " " a.button.secondary href={ (base) "/materials" } { (ctx.t("material.collection")) }
                    " " a.button.secondary href={ (base) "/report" } { (ctx.t("report.link")) }
                }
                div.actions.status-actions { (status_actions(ctx, tour, &base)) }
            }
            @if tour.is_public() {
                p { (ctx.t("tour.public_page")) ": " a href={ "/tours/" (tour.slug) } { "/tours/" (tour.slug) } }
            } @else {
                p { a href={ (base) "/preview" } { (ctx.t("dash.preview.link")) } }
            }

            h2 { (ctx.t("tour.stops")) }
            @if p.access.can_edit_tour() {
                p.actions { a.button href={ (base) "/stops/new" } { (ctx.t("stop.new")) } }
            }
            @if p.stops.is_empty() {
                p.empty { (ctx.t("tour.no_stops")) }
            } @else {
                table.list.figures {
                    thead { tr {
                        th { (ctx.t("stop.when")) } th { (ctx.t("field.city")) } th { (ctx.t("dash.state")) }
                        th { (ctx.t("dash.confirmed_of_target")) } th { (ctx.t("registration_status.waitlisted")) }
                        th { (ctx.t("stats.checked_in")) } th { (ctx.t("dash.show_rate")) }
                        th { (ctx.t("dash.open_slots")) } th { (ctx.t("dash.missing_materials")) }
                    } }
                    tbody {
                        @for f in p.stops {
                            @let over = f.tense == Tense::After;
                            tr.(state_class(f)) {
                                td data-label=(ctx.t("stop.when")) { (date(ctx.lang, f.stop.starts_at, f.stop.tz())) }
                                td data-label=(ctx.t("field.city")) { a href={ "/manage/stops/" (f.stop.id) } { (f.stop.city) } br; small { (f.venue.name) } }
                                td data-label=(ctx.t("dash.state")) {
                                    span.state.(state_class(f)) { (short_state(ctx, f)) }
                                    @if f.tense == Tense::Before && f.stop.status() != StopStatus::Draft { br; small { (ctx.lang.tn("dash.days_to_go", f.days_to_go, &[])) } }
                                }
                                td.num data-label=(ctx.t("dash.confirmed_of_target")) { (f.counters.confirmed) " / " (f.plan.target) }
                                td.num data-label=(ctx.t("registration_status.waitlisted")) { (f.counters.waitlisted) }
                                td.num data-label=(ctx.t("stats.checked_in")) { (f.counters.checked_in) }
                                td.num data-label=(ctx.t("dash.show_rate")) { (show_rates(ctx, Some(f.plan.show_rate), f.actual_show_rate.filter(|_| over))) }
                                td.num data-label=(ctx.t("dash.open_slots")) {
                                    @if f.open_slots > 0 && !over { a href={ "/manage/stops/" (f.stop.id) "/tasks" } { strong { (f.open_slots) } } } @else { (f.open_slots) }
                                }
                                td.num data-label=(ctx.t("dash.missing_materials")) {
                                    @if f.missing_materials > 0 { a href={ "/manage/stops/" (f.stop.id) "/materials" } { strong { (f.missing_materials) } } } @else { (f.missing_materials) }
                                }
                            }
                        }
                    }
                    tfoot {
                        tr.totals {
                            th scope="row" data-label="" colspan="3" { (ctx.t("dash.totals")) }
                            td.num data-label=(ctx.t("dash.confirmed_of_target")) { (t.confirmed) " / " (t.target) }
                            td.num data-label=(ctx.t("registration_status.waitlisted")) { (t.waitlisted) }
                            td.num data-label=(ctx.t("stats.checked_in")) { (t.checked_in) }
                            td.num data-label=(ctx.t("dash.show_rate")) { (show_rates(ctx, t.forecast_show_rate, t.actual_show_rate)) }
                            td.num data-label=(ctx.t("dash.open_slots")) { (t.open_slots) }
                            td.num data-label=(ctx.t("dash.missing_materials")) { (t.missing_materials) }
                        }
                    }
                }
            }

            div.prose { (markdown(&tour.description)) }
            dl.facts {
                dt { (ctx.t("field.contact_email")) } dd { (tour.contact_email.as_deref().unwrap_or("—")) }
                dt { (ctx.t("field.prior_show_rate")) } dd { (format!("{:.0}%", tour.prior_show_rate * 100.0)) }
            }

            h2 { (ctx.t("team.title")) }
            ul.team {
                @for m in p.team {
                    li {
                        strong { (m.organizer.display_name()) } " <" (m.organizer.email) "> · " (ctx.t(&format!("team.{}", m.role.as_str())))
                        @if m.organizer.password_hash.is_none() { " · " em { (ctx.t("team.invited")) } }
                        @if m.role == TeamRole::Local {
                            " · " (p.stops.iter().filter(|d| m.stop_ids.contains(&d.stop.id)).map(|d| d.stop.city.as_str()).collect::<Vec<_>>().join(", "))
                        }
                        @if p.access.can_manage_team() {
                            " " (button_form(ctx, &format!("{base}/team/{}/remove", m.organizer.id), &ctx.t("form.remove"), "link danger"))
                        }
                    }
                }
            }
            @if p.access.can_manage_team() {
                h3 { (ctx.t("team.add")) }
                (error_summary(ctx, p.member_errors))
                (post_form(ctx, &format!("{base}/team"), "", html! {
                    (input(ctx, p.member_errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    (select(ctx, p.member_errors, "role", &ctx.t("team.role"), "organizer", &[
                        ("organizer".into(), ctx.t("team.organizer").into_owned()),
                        ("owner".into(), ctx.t("team.owner").into_owned()),
                        ("local".into(), ctx.t("team.local").into_owned()),
                    ]))
                    @if !p.stops.is_empty() {
                        fieldset {
                            legend { (ctx.t("team.local_stops")) }
                            @for d in p.stops {
                                label.check { input type="checkbox" name="stop_ids" value=(d.stop.id); " " (d.stop.city) " (" (date(ctx.lang, d.stop.starts_at, d.stop.tz())) ")" }
                            }
                        }
                    }
                    button type="submit" { (ctx.t("team.add")) }
                }))
            }
        },
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OrganizerForm {
    pub email: String,
    pub name: String,
    pub admin: Option<String>,
}

pub fn organizers(
    ctx: &Ctx,
    list: &[Organizer],
    form: &OrganizerForm,
    errors: &FieldErrors,
) -> Markup {
    page(
        ctx,
        &ctx.t("organizers.title"),
        html! {
            h1 { (ctx.t("organizers.title")) }
            table.list {
                thead { tr { th { (ctx.t("field.email")) } th { (ctx.t("field.name")) } th { (ctx.t("organizers.admin")) } } }
                tbody {
                    @for o in list {
                        tr {
                            td data-label=(ctx.t("field.email")) { (o.email) }
                            td data-label=(ctx.t("field.name")) { (o.name) @if o.password_hash.is_none() { " · " em { (ctx.t("team.invited")) } } }
                            td data-label=(ctx.t("organizers.admin")) { @if o.is_admin { "✓" } }
                        }
                    }
                }
            }
            h2 { (ctx.t("organizers.add")) }
            (error_summary(ctx, errors))
            (post_form(ctx, "/manage/organizers", "narrow", html! {
                (input(ctx, errors, Field::new("email", &ctx.t("field.email"), &form.email).kind("email").required()))
                (input(ctx, errors, Field::new("name", &ctx.t("field.name"), &form.name)))
                (checkbox("admin", &ctx.t("organizers.admin"), form.admin.is_some()))
                button type="submit" { (ctx.t("organizers.add")) }
            }))
        },
    )
}
