use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::venue::{CostKind, VenueKind};
use crate::error::FieldErrors;
use crate::format::date;
use crate::models::stop::VenueUse;
use crate::models::translation::RecordTexts;
use crate::models::venue::Venue;
use crate::read::venues::VenuePage;
use crate::views::Ctx;
use crate::views::components::{
    Field, checkbox, error_summary, input, post_form, select, status_badge,
};
use crate::views::content::{TextsForm, other_languages};
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
                                td data-label=(ctx.t("field.city")) { (v.city) }
                                td data-label=(ctx.t("field.name")) { a href={ "/manage/venues/" (v.id) } { (v.name) } @if v.copied_from.is_some() { " " span.badge { (ctx.t("venue.copy_badge")) } } }
                                td data-label=(ctx.t("field.kind")) { (ctx.t(&format!("venue_kind.{}", v.kind))) }
                                td data-label=(ctx.t("field.cost")) { (ctx.t(&format!("venue_cost.{}", v.cost))) }
                                td.num data-label=(ctx.t("field.capacity")) { (v.capacity) }
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
    /// The name and directions in other languages.
    #[serde(flatten)]
    pub texts: TextsForm,
}

impl VenueForm {
    /// With the venue's saved texts in other languages (its edit form).
    pub fn with_texts(mut self, texts: &RecordTexts) -> Self {
        self.texts = TextsForm::saved(texts);
        self
    }

    pub fn from_venue(v: &Venue) -> Self {
        VenueForm {
            name: v.name.clone(),
            city: v.city.clone(),
            address: v.address.clone(),
            directions: v.directions.clone(),
            capacity: v.capacity.to_string(),
            kind: v.kind.as_str().to_owned(),
            cost: v.cost.as_str().to_owned(),
            cost_note: v.cost_note.clone(),
            contact: v.contact.clone(),
            weekday_only: v.weekday_only.then(|| "on".into()),
            id_check_required: v.id_check_required.then(|| "on".into()),
            caveats: v.caveats.clone(),
            texts: TextsForm::default(),
        }
    }
}

/// The venue's fields, for a new venue, an edit, or a suggested change; `translated`: with
/// its texts in other languages (not for a suggestion, which proposes the venue's own
/// fields).
fn fields(ctx: &Ctx, form: &VenueForm, errors: &FieldErrors, translated: bool) -> Markup {
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
    html! {
        (input(ctx, errors, Field::new("name", &ctx.t("field.name"), &form.name).required()))
        @if translated { (other_languages(ctx, errors, &form.texts, "name", &ctx.t("field.name"), false)) }
        (input(ctx, errors, Field::new("city", &ctx.t("field.city"), &form.city).required()))
        (input(ctx, errors, Field::new("address", &ctx.t("field.address"), &form.address)))
        (input(ctx, errors, Field::new("directions", &ctx.t("field.directions"), &form.directions).kind("textarea").hint(&ctx.t("field.directions_hint"))))
        @if translated { (other_languages(ctx, errors, &form.texts, "directions", &ctx.t("field.directions"), true)) }
        (input(ctx, errors, Field::new("capacity", &ctx.t("field.capacity"), &form.capacity).whole_number(1, crate::domain::venue::MAX_CAPACITY).required()))
        (select(ctx, errors, "kind", &ctx.t("field.kind"), &form.kind, &kinds))
        (select(ctx, errors, "cost", &ctx.t("field.cost"), &form.cost, &costs))
        (input(ctx, errors, Field::new("cost_note", &ctx.t("field.cost_note"), &form.cost_note)))
        (input(ctx, errors, Field::new("contact", &ctx.t("field.venue_contact"), &form.contact).hint(&ctx.t("field.venue_contact_hint"))))
        (checkbox("weekday_only", &ctx.t("field.weekday_only"), form.weekday_only.is_some()))
        (checkbox("id_check_required", &ctx.t("field.id_check_required"), form.id_check_required.is_some()))
        (input(ctx, errors, Field::new("caveats", &ctx.t("field.caveats"), &form.caveats).kind("textarea").hint(&ctx.t("field.caveats_hint"))))
    }
}

pub fn form(ctx: &Ctx, venue: Option<&Venue>, form: &VenueForm, errors: &FieldErrors) -> Markup {
    let (title, action) = match venue {
        Some(v) => (ctx.t("venue.edit"), format!("/manage/venues/{}/edit", v.id)),
        None => (ctx.t("venue.new"), "/manage/venues/new".to_owned()),
    };
    page(
        ctx,
        &title,
        html! {
            p.crumbs { a href="/manage/venues" { (ctx.t("venue.library")) } }
            h1 { (title) }
            @if venue.is_some() { p.hint { (ctx.t("venue.edit_notice")) } }
            (error_summary(ctx, errors))
            (post_form(ctx, &action, "", html! {
                (fields(ctx, form, errors, true))
                button type="submit" { (ctx.t("form.save")) }
            }))
        },
    )
}

/// A suggested change: the venue's form, prefilled, and a message to its creator.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SuggestForm {
    #[serde(flatten)]
    pub venue: VenueForm,
    pub message: String,
}

pub fn suggest_form(ctx: &Ctx, v: &Venue, form: &SuggestForm, errors: &FieldErrors) -> Markup {
    page(
        ctx,
        &ctx.t("venue.suggest"),
        html! {
            p.crumbs { a href={ "/manage/venues/" (v.id) } { (v.name) } }
            h1 { (ctx.t("venue.suggest")) }
            p { (ctx.t("venue.suggest_lead")) }
            (error_summary(ctx, errors))
            (post_form(ctx, &format!("/manage/venues/{}/suggest", v.id), "", html! {
                (fields(ctx, &form.venue, errors, false))
                (input(ctx, errors, Field::new("message", &ctx.t("venue.suggest_message"), &form.message).kind("textarea")))
                button type="submit" { (ctx.t("venue.suggest_submit")) }
            }))
        },
    )
}

/// Making one's own copy, with the stops of one's own that may move to it.
pub fn copy_form(ctx: &Ctx, v: &Venue, uses: &[VenueUse], errors: &FieldErrors) -> Markup {
    page(
        ctx,
        &ctx.t("venue.copy"),
        html! {
            p.crumbs { a href={ "/manage/venues/" (v.id) } { (v.name) } }
            h1 { (ctx.t("venue.copy")) }
            p { (ctx.t("venue.copy_lead")) }
            (error_summary(ctx, errors))
            (post_form(ctx, &format!("/manage/venues/{}/copy", v.id), "", html! {
                fieldset {
                    legend { (ctx.t("venue.copy_stops")) }
                    @if let Some(e) = crate::views::components::field_error(ctx, errors, "stop_ids") { p.error { (e) } }
                    @if uses.is_empty() { p.empty { (ctx.t("venue.copy_no_stops")) } }
                    @for u in uses {
                        label.check {
                            input type="checkbox" name="stop_ids" value=(u.stop.id) checked;
                            " " (u.tour.name) " · " (u.stop.city) " · " (date(ctx.lang, u.stop.starts_at, u.stop.tz()))
                            @if u.as_backup { " (" (ctx.t("venue.copy_as_backup")) ")" }
                        }
                    }
                }
                button type="submit" { (ctx.t("venue.copy_submit")) }
            }))
        },
    )
}

pub fn detail(ctx: &Ctx, p: &VenuePage) -> Markup {
    let v = &p.venue;
    let history = &p.history;
    page(
        ctx,
        &v.name,
        html! {
            p.crumbs { a href="/manage/venues" { (ctx.t("venue.library")) } }
            h1 { (v.name) }
            @if let Some(origin) = &p.copied_from {
                p.hint { (ctx.t("venue.copy_of")) " " a href={ "/manage/venues/" (origin.id) } { (origin.name) } }
            }
            @if p.can_edit {
                p.hint { (ctx.t(if p.is_creator { "venue.who_edits_mine" } else { "venue.who_edits_admin" })) }
                p.actions { a.button.secondary href={ "/manage/venues/" (v.id) "/edit" } { (ctx.t("venue.edit")) } }
            } @else {
                p.notice { (ctx.t("venue.who_edits_other")) }
                p.actions {
                    a.button.secondary href={ "/manage/venues/" (v.id) "/suggest" } { (ctx.t("venue.suggest")) }
                    " "
                    a.button.secondary href={ "/manage/venues/" (v.id) "/copy" } { (ctx.t("venue.copy")) }
                }
            }
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
            @if !p.my_uses.is_empty() {
                h2 { (ctx.t("venue.my_uses")) }
                ul {
                    @for u in &p.my_uses {
                        li {
                            a href={ "/manage/stops/" (u.stop.id) } { (u.tour.name) " · " (u.stop.city) }
                            " · " (date(ctx.lang, u.stop.starts_at, u.stop.tz()))
                            @if u.as_backup { " (" (ctx.t("venue.copy_as_backup")) ")" }
                        }
                    }
                }
            }
            h2 { (ctx.t("venue.history")) }
            @if history.is_empty() { p.empty { (ctx.t("venue.no_history")) } }
            @else {
                table.list {
                    thead { tr { th { (ctx.t("stop.when")) } th { (ctx.t("tour.tour")) } th { (ctx.t("field.city")) } th { (ctx.t("field.status")) } } }
                    tbody {
                        @for (stop, tour) in history {
                            tr {
                                td data-label=(ctx.t("stop.when")) { (date(ctx.lang, stop.starts_at, stop.tz())) }
                                td data-label=(ctx.t("tour.tour")) { (tour.name) }
                                td data-label=(ctx.t("field.city")) { (stop.city) }
                                td data-label=(ctx.t("field.status")) { (status_badge(ctx, "stop_status", stop.status.as_str())) }
                            }
                        }
                    }
                }
            }
        },
    )
}
