//! Materials: the collection dashboards, the hand-in forms, and the public "Materials" section.

use maud::{Markup, html};

use crate::models::material::Material;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::services::agenda::Entry;
use crate::views::Ctx;
use crate::views::components::{button_form, date, markdown, status_badge};
use crate::views::layout::page;

fn what(ctx: &Ctx, m: &Material) -> String {
    if m.kind == "slides" {
        ctx.tf("material.slides_of", &[("title", &m.title)])
    } else {
        ctx.t(&format!("material_kind.{}", m.kind)).into_owned()
    }
}

fn file_label(m: &Material) -> String {
    m.file_name
        .clone()
        .or(m.link_url.clone())
        .unwrap_or_default()
}

/// The upload form of a material (file or link; licence and consent for photos and video).
pub fn hand_in_form(ctx: &Ctx, action: &str, m: &Material) -> Markup {
    let media = matches!(m.kind.as_str(), "photos" | "video");
    html! {
        form method="post" action=(action) enctype="multipart/form-data" class="handin" {
            input type="hidden" name="_csrf" value=(ctx.csrf);
            @if m.kind == "report" {
                div.field { label for={ "b-" (m.id) } { (ctx.t("material.report_text")) } textarea id={ "b-" (m.id) } name="body" rows="8" { (m.body) } p.hint { (ctx.t("field.markdown_hint")) } }
            }
            div.field { label for={ "f-" (m.id) } { (ctx.t("material.file")) } input id={ "f-" (m.id) } type="file" name="file"; }
            div.field { label for={ "l-" (m.id) } { (ctx.t("material.link")) } input id={ "l-" (m.id) } type="url" name="link_url" placeholder="https://"; }
            @if media {
                div.field { label for={ "c-" (m.id) } { (ctx.t("material.licence")) } input id={ "c-" (m.id) } type="text" name="licence" value="CC BY 4.0"; }
                div.field.check { label { input type="checkbox" name="people_consented" value="on"; " " (ctx.t("material.consent")) } }
            }
            button type="submit" { (ctx.t("material.hand_in")) }
        }
    }
}

/// A stop's materials for its organizers: what is requested, received, published, overdue.
pub fn stop_dashboard(
    ctx: &Ctx,
    tour: &Tour,
    stop: &Stop,
    list: &[(Material, String)],
    now: chrono::NaiveDateTime,
) -> Markup {
    let base = format!("/manage/stops/{}/materials", stop.id);
    page(
        ctx,
        &ctx.t("material.title"),
        html! {
            p.crumbs { a href={ "/manage/stops/" (stop.id) } { (tour.name) " · " (stop.city) } }
            h1 { (ctx.t("material.title")) }
            @if list.is_empty() { p.empty { (ctx.t("material.none_yet")) } }
            (button_form(ctx, &format!("{base}/open"), &ctx.t("material.open_requests"), "secondary"))
            @for (m, owner) in list {
                article.card.flagged[crate::services::collection::is_overdue(m, now)] {
                    h3 { (what(ctx, m)) " " (status_badge(ctx, "material_status", &m.status)) }
                    p.meta {
                        @if owner.is_empty() { (ctx.t("material.owner_organizers")) } @else { (ctx.tf("material.owner", &[("name", owner)])) }
                        @if m.reminders_sent > 0 { " · " (ctx.tf("material.reminded", &[("n", &m.reminders_sent.to_string())])) }
                        @if crate::services::collection::is_overdue(m, now) { " · " strong { (ctx.t("material.overdue")) } }
                    }
                    @if m.status != "requested" {
                        p {
                            @if m.storage_key.is_some() || m.link_url.is_some() { a href={ "/materials/" (m.id) "/download" } { (file_label(m)) } }
                            @if !m.licence.is_empty() { " · " (m.licence) }
                        }
                        @if !m.body.is_empty() { div.prose { (markdown(&m.body)) } }
                        @if m.status == "received" { (button_form(ctx, &format!("{base}/{}/publish", m.id), &ctx.t("material.publish"), "")) }
                        @else { (button_form(ctx, &format!("{base}/{}/unpublish", m.id), &ctx.t("material.unpublish"), "secondary")) }
                    }
                    @if m.status != "published" {
                        details { summary { (ctx.t("material.hand_in_for")) } (hand_in_form(ctx, &format!("{base}/{}", m.id), m)) }
                    }
                }
            }
        },
    )
}

/// The tour's collection at a glance.
pub fn tour_dashboard(
    ctx: &Ctx,
    tour: &Tour,
    per_stop: &[(Stop, Vec<Material>)],
    now: chrono::NaiveDateTime,
) -> Markup {
    page(
        ctx,
        &ctx.t("material.collection"),
        html! {
            p.crumbs { a href={ "/manage/tours/" (tour.id) } { (tour.name) } }
            h1 { (ctx.t("material.collection")) }
            table.list {
                thead { tr { th { (ctx.t("field.city")) } th { (ctx.t("material_status.requested")) } th { (ctx.t("material_status.received")) } th { (ctx.t("material_status.published")) } th { (ctx.t("material.overdue")) } } }
                tbody {
                    @for (stop, list) in per_stop {
                        @let (r, rc, p, o) = crate::services::collection::completeness(list, now);
                        tr {
                            td { a href={ "/manage/stops/" (stop.id) "/materials" } { (stop.city) } " · " (date(ctx.lang, stop.starts_at, stop.tz())) }
                            td.num { (r) } td.num { (rc) } td.num { (p) } td.num { @if o > 0 { strong { (o) } } @else { (o) } }
                        }
                    }
                }
            }
        },
    )
}

/// The public "Materials" section of a stop page.
pub fn public_section(ctx: &Ctx, entries: &[Entry], published: &[Material]) -> Markup {
    let slides: Vec<&Material> = published.iter().filter(|m| m.kind == "slides").collect();
    let others: Vec<&Material> = published.iter().filter(|m| m.kind != "slides").collect();
    html! {
        @if !published.is_empty() {
            section #materials {
                h2 { (ctx.t("material.public_title")) }
                @if !slides.is_empty() {
                    h3 { (ctx.t("speaker.slides")) }
                    ul {
                        @for m in &slides {
                            @let talk = entries.iter().find(|e| Some(e.item.id.as_str()) == m.agenda_item_id.as_deref());
                            li {
                                a href={ "/materials/" (m.id) "/download" } { (talk.map(|e| e.title()).unwrap_or_else(|| m.title.clone())) }
                                @if let Some(t) = talk.and_then(|e| e.talk.as_ref()) { " — " (t.speaker_names()) }
                            }
                        }
                    }
                }
                @for m in &others {
                    h3 { (ctx.t(&format!("material_kind.{}", m.kind))) }
                    @if !m.body.is_empty() { div.prose { (markdown(&m.body)) } }
                    @if m.storage_key.is_some() || m.link_url.is_some() {
                        p { a href={ "/materials/" (m.id) "/download" } { (file_label(m)) } }
                    }
                    @if !m.licence.is_empty() {
                        p.hint { (ctx.tf("material.licensed", &[("licence", &m.licence)])) @if m.people_consented { " " (ctx.t("material.consented")) } }
                    }
                }
            }
        }
    }
}
