//! The pages of speaking: the call for proposals and public agendas (`public`), the
//! speakers' own pages (`portal`), the organizers' review and agenda builder (`organizers`),
//! and what they share.

use maud::{Markup, html};

use crate::error::FieldErrors;
use crate::models::stop::Stop;
use crate::models::talk::TalkWithSpeakers;
use crate::read::agenda::Entry;
use crate::views::Ctx;
use crate::views::components::{Field, field_error, input, post_form};
use crate::views::layout::page;

pub mod organizers;
pub mod portal;
pub mod public;

fn hm(e: &Entry, stop: &Stop) -> String {
    let tz = stop.tz();
    format!(
        "{}–{}",
        crate::domain::stop::in_zone(e.item.starts_at, tz).format("%H:%M"),
        crate::domain::stop::in_zone(e.item.ends_at(), tz).format("%H:%M")
    )
}

/// The speakers a public page names: those who accepted the talk. A talk nobody accepted
/// yet is shown without names.
fn speakers_line(ctx: &Ctx, t: &TalkWithSpeakers) -> Markup {
    html! {
        @for (i, s) in t.speakers.iter().enumerate() {
            @if i > 0 { ", " }
            a href={ "/speakers/" (s.id) } { (s.name) }
            @if !s.affiliation.is_empty() { " (" (s.affiliation) ")" }
        }
        @if t.speakers.is_empty() && !t.pending.is_empty() { em { (ctx.t("speaker.to_be_confirmed")) } }
    }
}

/// Every speaker asked, for the organizers, marking those who have not accepted.
fn team_speakers_line(ctx: &Ctx, t: &TalkWithSpeakers) -> Markup {
    html! {
        @for (i, (s, accepted)) in t.everyone().enumerate() {
            @if i > 0 { ", " }
            a href={ "/manage/speakers/" (s.id) } { (s.name) }
            @if !s.affiliation.is_empty() { " (" (s.affiliation) ")" }
            @if !accepted { " " span.badge { (ctx.t("speaker.pending_badge")) } }
        }
    }
}

/// A text field of a form that shows several times on a page (one per proposal): its id
/// and its error are scoped (`{scope}-{name}`, errors under `{scope}.{name}`), so that every
/// label points at its own field.
fn scoped_input(ctx: &Ctx, errors: &FieldErrors, scope: &str, f: Field) -> Markup {
    let error = field_error(ctx, errors, &format!("{scope}.{}", f.name));
    let id = format!("{scope}-{}", f.name);
    let described = format!("{id}-help");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (f.label) @if f.required { " *" } }
            @if f.kind == "textarea" {
                textarea id=(id) name=(f.name) rows="5" required[f.required] aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=(described) { (f.value) }
            } @else {
                input id=(id) type=(f.kind) name=(f.name) value=(f.value) required[f.required]
                    aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=(described);
            }
            @if let Some(e) = &error { p.error id=(described) { (e) } }
            @else if let Some(h) = f.hint { p.hint id=(described) { (h) } }
        }
    }
}

/// Whether any error of the page belongs to `scope` (its form then shows open).
fn has_errors(errors: &FieldErrors, scope: &str) -> bool {
    let prefix = format!("{scope}.");
    errors.keys().any(|k| k.starts_with(&prefix))
}

/// A one-time link that was used or has expired (speakers', volunteers' and desk helpers'
/// links alike): what happened, why links do that, and a form that e-mails a fresh one.
pub fn link_spent(ctx: &Ctx, lead: &str, action: &str) -> Markup {
    let errors = FieldErrors::new();
    page(
        ctx,
        &ctx.t("journeys.spent.title"),
        html! {
            h1 { (ctx.t("journeys.spent.title")) }
            p.lead { (lead) }
            p { (ctx.t("journeys.spent.why")) }
            (post_form(ctx, action, "narrow spent", html! {
                (input(ctx, &errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                button type="submit" { (ctx.t("journeys.spent.send")) }
            }))
        },
    )
}

/// The answer to "e-mail me a new link": the same whether or not the address is known.
pub fn link_sent(ctx: &Ctx, message: &str) -> Markup {
    page(
        ctx,
        &ctx.t("journeys.spent.title"),
        html! {
            h1 { (ctx.t("journeys.spent.title")) }
            p.flash.success role="status" { (message) }
        },
    )
}
