//! What everyone sees of speaking: a stop's agenda, the call for proposals, a speaker's
//! profile.

use maud::{Markup, html};
use serde::Deserialize;

use crate::error::FieldErrors;
use crate::format::date;
use crate::models::agenda::AgendaChange;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::agenda::Entry;
use crate::read::speakers::Delivery;
use crate::views::Ctx;
use crate::views::components::{Field, error_summary, input, markdown};
use crate::views::layout::page;

use super::{hm, speakers_line};

/// The agenda on the public stop page, with what changed since it was published.
pub fn public_agenda(
    ctx: &Ctx,
    stop: &Stop,
    entries: &[Entry],
    changes: &[AgendaChange],
) -> Markup {
    html! {
        @if !entries.is_empty() {
            section #agenda {
                h2 { (ctx.t("agenda.title")) }
                ol.agenda {
                    @for e in entries {
                        li.(e.item.kind) {
                            span.time { (hm(e, stop)) }
                            " "
                            @if let Some(t) = &e.talk {
                                strong { (t.talk.title) } br;
                                span.who { (speakers_line(ctx, t)) }
                            } @else {
                                (e.title_in(ctx.lang))
                            }
                        }
                    }
                }
                @if !changes.is_empty() {
                    h3 { (ctx.t("agenda.changes")) }
                    ul.changes {
                        @for c in changes {
                            li {
                                (ctx.tf(&format!("agenda.change_{}", c.change), &[
                                    ("title", &c.title),
                                    ("old", &c.old_starts_at.map(|t| crate::domain::stop::in_zone(t, stop.tz()).format("%H:%M").to_string()).unwrap_or_default()),
                                    ("new", &c.new_starts_at.map(|t| crate::domain::stop::in_zone(t, stop.tz()).format("%H:%M").to_string()).unwrap_or_default()),
                                ]))
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CfpForm {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub bio: String,
    pub co_name: String,
    pub co_email: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub summary: String,
    pub duration_minutes: String,
}

pub fn cfp(
    ctx: &Ctx,
    tour: &Tour,
    stops: &[(Stop, Venue)],
    open: bool,
    form: &CfpForm,
    chosen: &[String],
    errors: &FieldErrors,
) -> Markup {
    page(
        ctx,
        &ctx.tf("cfp.title", &[("tour", &tour.name)]),
        html! {
            p.crumbs { a href={ "/tours/" (tour.slug) } { (tour.name) } }
            h1 { (ctx.tf("cfp.title", &[("tour", &tour.name)])) }
            @if !open {
                p.notice { (ctx.t("cfp.closed")) }
                p { (ctx.t("journeys.cfp.already")) " " a href="/speaker/login" { (ctx.t("journeys.cfp.sign_in")) } }
            } @else {
                p { (ctx.t("cfp.lead")) }
                p.hint { (ctx.t("journeys.cfp.already")) " " a href="/speaker/login" { (ctx.t("journeys.cfp.sign_in")) } }
                @if let Some(c) = tour.cfp_closes_at { p.hint { (ctx.tf("cfp.until", &[("date", &crate::format::date_time(ctx.lang, c, chrono_tz::UTC))])) } }
                (error_summary(ctx, errors))
                form method="post" action={ "/tours/" (tour.slug) "/cfp" } {
                    fieldset {
                        legend { (ctx.t("cfp.you")) }
                        (input(ctx, errors, Field::new("name", &ctx.t("field.your_name"), &form.name).required()))
                        (input(ctx, errors, Field::new("email", &ctx.t("field.email"), &form.email).kind("email").required().hint(&ctx.t("journeys.cfp.email_hint"))))
                        (input(ctx, errors, Field::new("affiliation", &ctx.t("field.affiliation"), &form.affiliation)))
                        (input(ctx, errors, Field::new("bio", &ctx.t("field.bio"), &form.bio).kind("textarea")))
                    }
                    fieldset {
                        legend { (ctx.t("cfp.talk")) }
                        (input(ctx, errors, Field::new("title", &ctx.t("field.talk_title"), &form.title).required()))
                        (input(ctx, errors, Field::new("abstract", &ctx.t("field.abstract"), &form.summary).kind("textarea")))
                        (input(ctx, errors, Field::new("duration_minutes", &ctx.t("field.duration"), &form.duration_minutes).kind("number").required()))
                    }
                    fieldset {
                        legend { (ctx.t("cfp.co_speaker")) }
                        (input(ctx, errors, Field::new("co_name", &ctx.t("field.name"), &form.co_name)))
                        (input(ctx, errors, Field::new("co_email", &ctx.t("field.email"), &form.co_email).kind("email")))
                    }
                    fieldset {
                        legend { (ctx.t("cfp.stops")) }
                        @if let Some(e) = crate::views::components::field_error(ctx, errors, "stop_ids") { p.error { (e) } }
                        @for (s, v) in stops {
                            label.check { input type="checkbox" name="stop_ids" value=(s.id) checked[chosen.contains(&s.id)]; " " (s.city) " · " (date(ctx.lang, s.starts_at, s.tz())) " · " (v.name) }
                        }
                    }
                    button type="submit" { (ctx.t("cfp.submit")) }
                }
            }
        },
    )
}

pub fn cfp_sent(ctx: &Ctx, tour: &Tour) -> Markup {
    page(
        ctx,
        &ctx.t("cfp.sent_title"),
        html! {
            h1 { (ctx.t("cfp.sent_title")) }
            p { (ctx.t("cfp.sent")) }
            p.hint { (ctx.t("journeys.cfp.sent_no_mail")) " " a href="/speaker/login" { (ctx.t("journeys.cfp.sign_in")) } }
            p { a href={ "/tours/" (tour.slug) } { (tour.name) } }
        },
    )
}

/// A speaker as the public sees them: no e-mail address.
pub fn public_profile(ctx: &Ctx, s: &Speaker, deliveries: &[Delivery]) -> Markup {
    page(
        ctx,
        &s.name,
        html! {
            h1 { (s.name) }
            @if !s.affiliation.is_empty() { p.lead { (s.affiliation) } }
            div.prose { (markdown(&s.bio)) }
            h2 { (ctx.t("speaker.talks")) }
            ul {
                @for d in deliveries {
                    li {
                        strong { (d.entry.title()) } " — "
                        a href={ "/stops/" (d.stop.id) } { (d.tour.name) " · " (d.stop.city) } " · " (date(ctx.lang, d.entry.item.starts_at, d.stop.tz()))
                        @for m in d.materials.iter().filter(|m| m.status == crate::models::material::MaterialStatus::Published) {
                            " · " a href={ "/materials/" (m.id) "/download" } { (ctx.t("speaker.slides")) }
                        }
                    }
                }
            }
        },
    )
}
