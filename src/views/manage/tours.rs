//! The organizers' pages of tours: the dashboard, a tour's form and page, the site's
//! organizers.

use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::access::{TeamRole, TourAccess};
use crate::domain::tour::TourStatus;
use crate::error::FieldErrors;
use crate::format::date;
use crate::models::organizer::Organizer;
use crate::models::stop::StopDetail;
use crate::models::team::TeamMemberView;
use crate::models::tour::Tour;
use crate::models::translation::RecordTexts;
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, checkbox, error_summary, input, markdown, post_form, select, status_badge,
};
use crate::views::content::{TextsForm, other_languages};
use crate::views::layout::page;

pub fn dashboard(ctx: &Ctx, tours: &[(Tour, Option<TeamRole>)]) -> Markup {
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
    pub stops: &'a [StopDetail],
    pub team: &'a [TeamMemberView],
    pub member_errors: &'a FieldErrors,
}

pub fn tour_page(ctx: &Ctx, p: TourPage) -> Markup {
    let tour = p.tour;
    let base = format!("/manage/tours/{}", tour.id);
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
                    @for (status, label) in [(TourStatus::Published, "tour.publish"), (TourStatus::Archived, "tour.archive"), (TourStatus::Draft, "tour.unpublish")] {
                        @if tour.status() != status {
                            " " (button_form(ctx, &format!("{base}/status/{}", status.as_str()), &ctx.t(label), "secondary"))
                        }
                    }
                }
            }
            @if tour.is_public() {
                p { (ctx.t("tour.public_page")) ": " a href={ "/tours/" (tour.slug) } { "/tours/" (tour.slug) } }
            }
            div.prose { (markdown(&tour.description)) }
            dl.facts {
                dt { (ctx.t("field.contact_email")) } dd { (tour.contact_email.as_deref().unwrap_or("—")) }
                dt { (ctx.t("field.prior_show_rate")) } dd { (format!("{:.0}%", tour.prior_show_rate * 100.0)) }
            }

            h2 { (ctx.t("tour.stops")) }
            @if p.access.can_edit_tour() {
                p.actions { a.button href={ (base) "/stops/new" } { (ctx.t("stop.new")) } }
            }
            @if p.stops.is_empty() {
                p.empty { (ctx.t("tour.no_stops")) }
            } @else {
                table.list {
                    thead { tr { th { (ctx.t("stop.when")) } th { (ctx.t("field.city")) } th { (ctx.t("stop.where")) } th { (ctx.t("field.capacity")) } th { (ctx.t("field.status")) } } }
                    tbody {
                        @for d in p.stops {
                            tr {
                                td data-label=(ctx.t("stop.when")) { (date(ctx.lang, d.stop.starts_at, d.stop.tz())) }
                                td data-label=(ctx.t("field.city")) { a href={ "/manage/stops/" (d.stop.id) } { (d.stop.city) } }
                                td data-label=(ctx.t("stop.where")) { (d.venue.name) }
                                td.num data-label=(ctx.t("field.capacity")) { (d.capacity()) }
                                td data-label=(ctx.t("field.status")) { (status_badge(ctx, "stop_status", d.stop.status.as_str())) }
                            }
                        }
                    }
                }
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
