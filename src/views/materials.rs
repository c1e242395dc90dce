//! Materials: the collection dashboards, the hand-in forms, and the public "Materials" section.

use maud::{Markup, html};

use crate::error::FieldErrors;
use crate::format::date;
use crate::models::material::Material;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::read::agenda::Entry;
use crate::read::materials::MaterialRow;
use crate::views::Ctx;
use crate::views::components::{button_form, error_summary, field_error, markdown, status_badge};
use crate::views::layout::page;

/// What a material is, for a heading: "Slides of “Cinder in production”", "Photos".
/// `talk`: the current title of the talk of a slot's slides (the stored title is what it
/// was when asked for, and empty for slides handed in before any request).
fn what(ctx: &Ctx, m: &Material, talk: Option<&str>) -> String {
    if m.kind == crate::models::material::MaterialKind::Slides {
        let title = talk.unwrap_or(&m.title);
        ctx.tf("journeys.material.slides_heading", &[("title", title)])
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

/// One input of a form that shows once per material or slot on a page: its id and error
/// are scoped (`{name}-{scope}`; errors under `{scope}.{name}`), so ids never repeat and a
/// refused file marks its own field.
fn scoped_field(
    ctx: &Ctx,
    errors: &FieldErrors,
    scope: &str,
    name: &str,
    label: &str,
    control: impl FnOnce(&str, Option<&str>, &str) -> Markup,
) -> Markup {
    let error = field_error(ctx, errors, &format!("{scope}.{name}"));
    let id = format!("{name}-{scope}");
    let described = format!("{id}-help");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            (control(&id, error.as_ref().map(|_| "true"), &described))
            @if let Some(e) = &error { p.error id=(described) { (e) } }
        }
    }
}

/// The file input of an upload form (see `scoped_field`).
pub fn file_field(
    ctx: &Ctx,
    errors: &FieldErrors,
    scope: &str,
    label: &str,
    accept: Option<&str>,
    required: bool,
) -> Markup {
    scoped_field(
        ctx,
        errors,
        scope,
        "file",
        label,
        |id, invalid, described| {
            html! { input id=(id) type="file" name="file" accept=[accept] required[required] aria-invalid=[invalid] aria-describedby=(described); }
        },
    )
}

/// How far an upload is: hidden until `static/upload.js` shows and fills it.
pub fn progress(ctx: &Ctx) -> Markup {
    html! {
        div.progress hidden {
            progress max="100" value="0" aria-label=(ctx.t("journeys.upload.progress")) {}
            " " span.progress-status aria-live="polite" {}
        }
    }
}

/// The upload form of a material (file or link; licence and consent for photos and video),
/// with what was refused marked on its field.
pub fn hand_in_form(ctx: &Ctx, action: &str, m: &Material, errors: &FieldErrors) -> Markup {
    let media = matches!(m.kind.as_str(), "photos" | "video");
    let scope = m.id.as_str();
    html! {
        form method="post" action=(action) enctype="multipart/form-data" class="handin" data-progress data-failed=(ctx.t("journeys.upload.failed")) {
            input type="hidden" name="_csrf" value=(ctx.csrf);
            @if m.kind == crate::models::material::MaterialKind::Report {
                (scoped_field(ctx, errors, scope, "body", &ctx.t("material.report_text"), |id, invalid, described| html! {
                    textarea id=(id) name="body" rows="8" aria-invalid=[invalid] aria-describedby=(described) { (m.body) }
                }))
                p.hint { (ctx.t("field.markdown_hint")) }
            }
            (file_field(ctx, errors, scope, &ctx.t("material.file"), None, false))
            (scoped_field(ctx, errors, scope, "link_url", &ctx.t("material.link"), |id, invalid, described| html! {
                input id=(id) type="url" name="link_url" placeholder="https://" aria-invalid=[invalid] aria-describedby=(described);
            }))
            @if media {
                (scoped_field(ctx, errors, scope, "licence", &ctx.t("material.licence"), |id, invalid, described| html! {
                    input id=(id) type="text" name="licence" value="CC BY 4.0" aria-invalid=[invalid] aria-describedby=(described);
                }))
                @let consent = field_error(ctx, errors, &format!("{scope}.people_consented"));
                div.field.check.invalid[consent.is_some()] {
                    label { input type="checkbox" name="people_consented" value="on"; " " (ctx.t("material.consent")) }
                    @if let Some(e) = &consent { p.error { (e) } }
                }
            }
            (progress(ctx))
            button type="submit" { (ctx.t("material.hand_in")) }
        }
    }
}

/// A stop's materials for its organizers: what is requested, received, published, overdue;
/// each with its talk and its owner (the speaker, the volunteer, or the organizers).
pub fn stop_dashboard(
    ctx: &Ctx,
    tour: &Tour,
    stop: &Stop,
    list: &[MaterialRow],
    now: chrono::NaiveDateTime,
    errors: &FieldErrors,
) -> Markup {
    let base = format!("/manage/stops/{}/materials", stop.id);
    page(
        ctx,
        &ctx.t("material.title"),
        html! {
            p.crumbs { a href={ "/manage/stops/" (stop.id) } { (tour.name) " · " (stop.city) } }
            h1 { (ctx.t("material.title")) }
            (error_summary(ctx, errors))
            @if list.is_empty() {
                // A stop that is over is not told requests open "when the stop ends".
                @if crate::domain::stop::tense(stop.status, stop.starts_at, stop.ends_at, now) == crate::domain::stop::Tense::After {
                    p.empty { (ctx.t("dash.materials_after")) }
                } @else {
                    p.empty { (ctx.t("material.none_yet")) }
                }
            }
            (button_form(ctx, &format!("{base}/open"), &ctx.t("material.open_requests"), "secondary"))
            @for MaterialRow { material: m, talk, owner } in list {
                article.card.flagged[crate::read::materials::is_overdue(m, now)] id={ "m-" (m.id) } {
                    h3 { (what(ctx, m, talk.as_deref())) " " (status_badge(ctx, "material_status", m.status)) }
                    p.meta {
                        @if owner.is_empty() { (ctx.t("material.owner_organizers")) }
                        @else if m.status == crate::models::material::MaterialStatus::Requested { (ctx.tf("material.owner", &[("name", owner)])) }
                        @else { (ctx.tf("journeys.material.from", &[("name", owner)])) }
                        @if m.reminders_sent > 0 { " · " (ctx.tf("material.reminded", &[("n", &m.reminders_sent.to_string())])) }
                        @if crate::read::materials::is_overdue(m, now) { " · " strong { (ctx.t("material.overdue")) } }
                    }
                    @if m.status != crate::models::material::MaterialStatus::Requested {
                        p {
                            @if m.storage_key.is_some() || m.link_url.is_some() { a href={ "/materials/" (m.id) "/download" } { (file_label(m)) } }
                            @if !m.licence.is_empty() { " · " (m.licence) }
                        }
                        @if !m.body.is_empty() { div.prose { (markdown(&m.body)) } }
                        @if m.status == crate::models::material::MaterialStatus::Received { (button_form(ctx, &format!("{base}/{}/publish", m.id), &ctx.t("material.publish"), "")) }
                        @else { (button_form(ctx, &format!("{base}/{}/unpublish", m.id), &ctx.t("material.unpublish"), "secondary")) }
                    }
                    @if m.status != crate::models::material::MaterialStatus::Published {
                        details open[errors.keys().any(|k| k.starts_with(&format!("{}.", m.id)))] {
                            summary { (ctx.t("material.hand_in_for")) }
                            (hand_in_form(ctx, &format!("{base}/{}", m.id), m, errors))
                        }
                    }
                }
            }
            script src="/static/upload.js" defer {}
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
                        @let (r, rc, p, o) = crate::read::materials::completeness(list, now);
                        tr {
                            td data-label=(ctx.t("field.city")) { a href={ "/manage/stops/" (stop.id) "/materials" } { (stop.city) } " · " (date(ctx.lang, stop.starts_at, stop.tz())) }
                            td.num data-label=(ctx.t("material_status.requested")) { (r) } td.num data-label=(ctx.t("material_status.received")) { (rc) } td.num data-label=(ctx.t("material_status.published")) { (p) } td.num data-label=(ctx.t("material.overdue")) { @if o > 0 { strong { (o) } } @else { (o) } }
                        }
                    }
                }
            }
        },
    )
}

/// The public "Materials" section of a stop page.
pub fn public_section(ctx: &Ctx, entries: &[Entry], published: &[Material]) -> Markup {
    let slides: Vec<&Material> = published
        .iter()
        .filter(|m| m.kind == crate::models::material::MaterialKind::Slides)
        .collect();
    let others: Vec<&Material> = published
        .iter()
        .filter(|m| m.kind != crate::models::material::MaterialKind::Slides)
        .collect();
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
