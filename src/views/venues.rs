use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::venue::{CostKind, VenueKind};
use crate::error::FieldErrors;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::views::Ctx;
use crate::views::components::{
    Field, checkbox, date, error_summary, input, post_form, select, status_badge,
};
use crate::views::layout::page;

pub fn list(ctx: &Ctx, venues: &[Venue], search: &str) -> Markup {
    page(
        ctx,
        &ctx.t("venue.library"),
        html! {
            h1 { (ctx.t("venue.library")) }
            p.hint { (ctx.t("venue.library_hint")) }
            form.row method="get" action="/manage/venues" role="search" {
                label for="q" { (ctx.t("form.search")) }
                input #q type="search" name="q" value=(search);
                button type="submit" { (ctx.t("form.search")) }
            }
            p.actions { a.button href="/manage/venues/new" { (ctx.t("venue.new")) } }
            @if venues.is_empty() { p.empty { (ctx.t("venue.none")) } }
            @else {
                table.list {
                    thead { tr { th { (ctx.t("field.city")) } th { (ctx.t("field.name")) } th { (ctx.t("field.kind")) } th { (ctx.t("field.cost")) } th { (ctx.t("field.capacity")) } } }
                    tbody {
                        @for v in venues {
                            tr {
                                td { (v.city) }
                                td { a href={ "/manage/venues/" (v.id) } { (v.name) } }
                                td { (ctx.t(&format!("venue_kind.{}", v.kind))) }
                                td { (ctx.t(&format!("venue_cost.{}", v.cost))) }
                                td.num { (v.capacity) }
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
pub struct VenueForm {
    pub name: String,
    pub city: String,
    pub address: String,
    pub directions: String,
    pub capacity: String,
    pub kind: String,
    pub cost: String,
    pub cost_note: String,
    pub contact: String,
    pub weekday_only: Option<String>,
    pub id_check_required: Option<String>,
    pub caveats: String,
}

impl VenueForm {
    pub fn from_venue(v: &Venue) -> Self {
        VenueForm {
            name: v.name.clone(),
            city: v.city.clone(),
            address: v.address.clone(),
            directions: v.directions.clone(),
            capacity: v.capacity.to_string(),
            kind: v.kind.clone(),
            cost: v.cost.clone(),
            cost_note: v.cost_note.clone(),
            contact: v.contact.clone(),
            weekday_only: v.weekday_only.then(|| "on".into()),
            id_check_required: v.id_check_required.then(|| "on".into()),
            caveats: v.caveats.clone(),
        }
    }
}

pub fn form(ctx: &Ctx, venue: Option<&Venue>, form: &VenueForm, errors: &FieldErrors) -> Markup {
    let (title, action) = match venue {
        Some(v) => (ctx.t("venue.edit"), format!("/manage/venues/{}/edit", v.id)),
        None => (ctx.t("venue.new"), "/manage/venues/new".to_owned()),
    };
    let kinds: Vec<(String, String)> = VenueKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                ctx.t(&format!("venue_kind.{}", k.as_str())).into_owned(),
            )
        })
        .collect();
    let costs: Vec<(String, String)> = CostKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                ctx.t(&format!("venue_cost.{}", k.as_str())).into_owned(),
            )
        })
        .collect();
    page(
        ctx,
        &title,
        html! {
            p.crumbs { a href="/manage/venues" { (ctx.t("venue.library")) } }
            h1 { (title) }
            (error_summary(ctx, errors))
            (post_form(ctx, &action, "", html! {
                (input(ctx, errors, Field::new("name", &ctx.t("field.name"), &form.name).required()))
                (input(ctx, errors, Field::new("city", &ctx.t("field.city"), &form.city).required()))
                (input(ctx, errors, Field::new("address", &ctx.t("field.address"), &form.address)))
                (input(ctx, errors, Field::new("directions", &ctx.t("field.directions"), &form.directions).kind("textarea").hint(&ctx.t("field.directions_hint"))))
                (input(ctx, errors, Field::new("capacity", &ctx.t("field.capacity"), &form.capacity).kind("number").required()))
                (select(ctx, errors, "kind", &ctx.t("field.kind"), &form.kind, &kinds))
                (select(ctx, errors, "cost", &ctx.t("field.cost"), &form.cost, &costs))
                (input(ctx, errors, Field::new("cost_note", &ctx.t("field.cost_note"), &form.cost_note)))
                (input(ctx, errors, Field::new("contact", &ctx.t("field.venue_contact"), &form.contact).hint(&ctx.t("field.venue_contact_hint"))))
                (checkbox("weekday_only", &ctx.t("field.weekday_only"), form.weekday_only.is_some()))
                (checkbox("id_check_required", &ctx.t("field.id_check_required"), form.id_check_required.is_some()))
                (input(ctx, errors, Field::new("caveats", &ctx.t("field.caveats"), &form.caveats).kind("textarea").hint(&ctx.t("field.caveats_hint"))))
                button type="submit" { (ctx.t("form.save")) }
            }))
        },
    )
}

pub fn detail(ctx: &Ctx, v: &Venue, history: &[(Stop, Tour)], can_edit: bool) -> Markup {
    page(
        ctx,
        &v.name,
        html! {
            p.crumbs { a href="/manage/venues" { (ctx.t("venue.library")) } }
            h1 { (v.name) }
            @if can_edit { p.actions { a.button.secondary href={ "/manage/venues/" (v.id) "/edit" } { (ctx.t("venue.edit")) } } }
            dl.facts {
                dt { (ctx.t("field.city")) } dd { (v.city) }
                dt { (ctx.t("field.address")) } dd { (v.address) }
                dt { (ctx.t("field.directions")) } dd.pre { (v.directions) }
                dt { (ctx.t("field.capacity")) } dd { (v.capacity) }
                dt { (ctx.t("field.kind")) } dd { (ctx.t(&format!("venue_kind.{}", v.kind))) }
                dt { (ctx.t("field.cost")) } dd { (ctx.t(&format!("venue_cost.{}", v.cost))) @if !v.cost_note.is_empty() { " — " (v.cost_note) } }
                dt { (ctx.t("field.venue_contact")) } dd { (v.contact) }
                dt { (ctx.t("venue.constraints")) } dd {
                    @if v.weekday_only { span.badge { (ctx.t("field.weekday_only")) } " " }
                    @if v.id_check_required { span.badge { (ctx.t("field.id_check_required")) } }
                }
                @if !v.caveats.is_empty() { dt { (ctx.t("field.caveats")) } dd.pre { (v.caveats) } }
            }
            h2 { (ctx.t("venue.history")) }
            @if history.is_empty() { p.empty { (ctx.t("venue.no_history")) } }
            @else {
                table.list {
                    thead { tr { th { (ctx.t("stop.when")) } th { (ctx.t("tour.tour")) } th { (ctx.t("field.city")) } th { (ctx.t("field.status")) } } }
                    tbody {
                        @for (stop, tour) in history {
                            tr {
                                td { (date(ctx.lang, stop.starts_at, stop.tz())) }
                                td { (tour.name) }
                                td { (stop.city) }
                                td { (status_badge(ctx, "stop_status", &stop.status)) }
                            }
                        }
                    }
                }
            }
        },
    )
}
