//! The organizers' pages of speaking: the proposals to review, a stop's agenda builder, a
//! speaker's history.

use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::proposal::ProposalStatus;
use crate::error::FieldErrors;
use crate::format::{date, local_input};
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::{Talk, TalkWithSpeakers};
use crate::models::tour::Tour;
use crate::read::agenda::Entry;
use crate::read::speakers::{Delivery, ProposalView};
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, error_summary, input, markdown, post_form, select, status_badge,
};
use crate::views::layout::page;

use super::{hm, team_speakers_line};

/// The organizers' review of a tour's proposals.
pub fn proposals(
    ctx: &Ctx,
    tour: &Tour,
    stops: &[Stop],
    list: &[ProposalView],
    errors: &FieldErrors,
) -> Markup {
    let city = |id: &str| {
        stops
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.city.clone())
            .unwrap_or_default()
    };
    page(
        ctx,
        &ctx.t("proposals.title"),
        html! {
            p.crumbs { a href={ "/manage/tours/" (tour.id) } { (tour.name) } }
            h1 { (ctx.t("proposals.title")) " (" (list.len()) ")" }
            p { a href={ "/tours/" (tour.slug) "/cfp" } { (ctx.t("proposals.cfp_page")) } }
            (error_summary(ctx, errors))
            @if list.is_empty() { p.empty { (ctx.t("proposals.none")) } }
            @for p in list {
                article.card {
                    h2 { (p.talk.talk.title) " " (status_badge(ctx, "proposal_status", p.proposal.status.as_str())) }
                    p { (ctx.t("proposals.by")) " " (team_speakers_line(ctx, &p.talk)) " · " (p.talk.talk.duration_minutes) " min" }
                    @if p.talk.talk.updated_at > p.talk.talk.created_at && p.proposal.status.undecided() {
                        p.hint.edited { (ctx.tf("journeys.proposal.edited", &[("when", &date(ctx.lang, p.talk.talk.updated_at, chrono_tz::UTC))])) }
                    }
                    @if p.proposal.status == ProposalStatus::Withdrawn {
                        p.notice.withdrawn { (ctx.t("journeys.proposal.withdrawn_note")) }
                    }
                    div.prose { (markdown(&p.talk.talk.summary)) }
                    p { (ctx.t("proposals.could_give")) ": " (p.stop_ids.iter().map(|s| city(s)).collect::<Vec<_>>().join(", ")) }
                    @if !p.scheduled_stop_ids.is_empty() { p { (ctx.t("proposals.scheduled")) ": " (p.scheduled_stop_ids.iter().map(|s| city(s)).collect::<Vec<_>>().join(", ")) } }
                    // One form, one message to the speakers: Accept sends it with the
                    // acceptance, Decline (formaction) with the decline.
                    @if p.proposal.status.standing() || p.proposal.status.undecided() {
                        @let message_id = format!("f-message-{}", p.proposal.id);
                        (post_form(ctx, &format!("/manage/proposals/{}/accept", p.proposal.id), "", html! {
                            @if p.proposal.status.standing() {
                                fieldset {
                                    legend { (ctx.t("proposals.accept_at")) }
                                    @for s in stops {
                                        label.check { input type="checkbox" name="stop_ids" value=(s.id) checked[p.stop_ids.contains(&s.id) && p.scheduled_stop_ids.is_empty()]; " " (s.city) " (" (date(ctx.lang, s.starts_at, s.tz())) ")" }
                                    }
                                }
                            }
                            div.field {
                                label for=(message_id) { (ctx.t("proposals.message")) }
                                textarea id=(message_id) name="message" rows="2" aria-describedby={ (message_id) "-hint" } {}
                                p.hint id={ (message_id) "-hint" } { (ctx.t("proposals.message_hint")) }
                            }
                            p.actions {
                                @if p.proposal.status.standing() { button type="submit" { (ctx.t("proposals.accept")) } }
                                @if p.proposal.status.undecided() {
                                    " " button.secondary.danger type="submit" formaction={ "/manage/proposals/" (p.proposal.id) "/reject" } { (ctx.t("proposals.reject")) }
                                }
                            }
                        }))
                    }
                }
            }
        },
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    pub talk_id: String,
    pub kind: String,
    pub title: String,
    pub starts_at: String,
    pub duration_minutes: String,
}

pub struct BuilderPage<'a> {
    pub tour: &'a Tour,
    pub stop: &'a Stop,
    pub entries: &'a [Entry],
    pub talks: &'a [TalkWithSpeakers],
    pub overruns: &'a [String],
    pub errors: &'a FieldErrors,
    pub form: &'a ItemForm,
    /// The page's now (a view never reads a clock).
    pub now: chrono::NaiveDateTime,
}

/// The agenda builder of a stop.
pub fn builder(ctx: &Ctx, p: BuilderPage) -> Markup {
    let stop = p.stop;
    let base = format!("/manage/stops/{}/agenda", stop.id);
    let (speakers, slots) = crate::read::speakers::counts(p.entries);
    let soon = stop.starts_at - chrono::Duration::days(7) <= p.now;
    let talk_choices: Vec<(String, String)> = p
        .talks
        .iter()
        .map(|t| {
            (
                t.talk.id.clone(),
                format!(
                    "{} — {} ({} min)",
                    t.talk.title,
                    t.all_speaker_names(),
                    t.talk.duration_minutes
                ),
            )
        })
        .collect();
    let kinds: Vec<(String, String)> = crate::domain::agenda::ItemKind::ALL
        .iter()
        .filter(|k| **k != crate::domain::agenda::ItemKind::Talk)
        .map(|k| {
            (
                k.as_str().to_owned(),
                ctx.t(&format!("agenda_kind.{}", k.as_str())).into_owned(),
            )
        })
        .collect();
    let default_start = if p.form.starts_at.is_empty() {
        local_input(stop.starts_at, stop.tz())
    } else {
        p.form.starts_at.clone()
    };
    page(
        ctx,
        &ctx.t("agenda.builder"),
        html! {
            p.crumbs { a href={ "/manage/stops/" (stop.id) } { (p.tour.name) " · " (stop.city) } }
            h1 { (ctx.t("agenda.builder")) }
            p { (crate::format::speakers_in_slots(ctx.lang, speakers, slots)) " · "
                @if stop.agenda_published_at.is_some() { (ctx.t("agenda.published")) } @else { (button_form(ctx, &format!("{base}/publish"), &ctx.t("agenda.publish"), "")) } }
            (error_summary(ctx, p.errors))
            @if let Some(e) = p.errors.get("agenda") { p.flash.error role="alert" { (e.message) } }
            table.list.agenda {
                thead { tr { th { (ctx.t("agenda.time")) } th { (ctx.t("field.talk_title")) } th { span.visually-hidden { (ctx.t("a11y.actions")) } } } }
                tbody {
                    @for (i, e) in p.entries.iter().enumerate() {
                        tr.overrun[p.overruns.contains(&e.item.id)] {
                            td data-label=(ctx.t("agenda.time")) { (hm(e, stop)) }
                            td data-label=(ctx.t("field.talk_title")) {
                                @if let Some(t) = &e.talk { strong { (t.talk.title) } br; (team_speakers_line(ctx, t)) } @else if e.item.title.trim().is_empty() { (e.title_in(ctx.lang)) } @else { (e.title_in(ctx.lang)) " (" (ctx.t(&format!("agenda_kind.{}", e.item.kind))) ")" }
                                @if p.overruns.contains(&e.item.id) { br; span.badge.cancelled { (ctx.t("agenda.overrun")) } }
                                @if e.talk.is_some() && e.item.confirmed_at.is_none() { br; span.badge.(if soon { "cancelled" } else { "" }) { (ctx.t("agenda.unconfirmed")) } }
                            }
                            td {
                                (post_form(ctx, &format!("{base}/{}/move", e.item.id), "row", html! {
                                    input type="datetime-local" name="starts_at" value=(local_input(e.item.starts_at, stop.tz())) aria-label=(ctx.t("field.starts_at"));
                                    input type="number" name="duration_minutes" value=(e.item.duration_minutes) aria-label=(ctx.t("field.duration"));
                                    button.link type="submit" { (ctx.t("agenda.move")) }
                                }))
                                @if i > 0 { (button_form(ctx, &format!("{base}/{}/earlier", e.item.id), &ctx.t("agenda.earlier"), "link")) }
                                @if i + 1 < p.entries.len() { (button_form(ctx, &format!("{base}/{}/later", e.item.id), &ctx.t("agenda.later"), "link")) }
                                (button_form(ctx, &format!("{base}/{}/remove", e.item.id), &ctx.t("form.remove"), "link danger"))
                            }
                        }
                    }
                }
            }
            h2 { (ctx.t("agenda.add")) }
            (post_form(ctx, &base, "", html! {
                (select(ctx, p.errors, "talk_id", &ctx.t("agenda.talk"), &p.form.talk_id, &[vec![(String::new(), ctx.t("agenda.not_a_talk").into_owned())], talk_choices.clone()].concat()))
                (select(ctx, p.errors, "kind", &ctx.t("agenda.kind"), &p.form.kind, &kinds))
                (input(ctx, p.errors, Field::new("title", &ctx.t("agenda.item_title"), &p.form.title).hint(&ctx.t("agenda.item_title_optional"))))
                (input(ctx, p.errors, Field::new("starts_at", &ctx.t("field.starts_at"), &default_start).kind("datetime-local").required()))
                (input(ctx, p.errors, Field::new("duration_minutes", &ctx.t("field.duration"), &p.form.duration_minutes).kind("number").hint(&ctx.t("agenda.duration_hint"))))
                button type="submit" { (ctx.t("agenda.add")) }
            }))
        },
    )
}

/// A speaker's history for organizers, with "ask for another stop" in one step.
pub fn history(
    ctx: &Ctx,
    s: &Speaker,
    deliveries: &[Delivery],
    proposals: &[(Proposal, Talk, Tour)],
    stops: &[(Stop, Tour)],
) -> Markup {
    let mut talks: Vec<(String, String)> = Vec::new();
    for d in deliveries {
        if let Some(t) = &d.entry.talk
            && !talks.iter().any(|(id, _)| *id == t.talk.id)
        {
            talks.push((t.talk.id.clone(), t.talk.title.clone()));
        }
    }
    for (_, t, _) in proposals {
        if !talks.iter().any(|(id, _)| *id == t.id) {
            talks.push((t.id.clone(), t.title.clone()));
        }
    }
    let stop_choices: Vec<(String, String)> = stops
        .iter()
        .map(|(s, t)| {
            (
                s.id.clone(),
                format!(
                    "{} · {} ({})",
                    t.name,
                    s.city,
                    date(ctx.lang, s.starts_at, s.tz())
                ),
            )
        })
        .collect();
    page(
        ctx,
        &s.name,
        html! {
            h1 { (s.name) }
            p { (s.affiliation) @if !s.email.is_empty() { " · " (s.email) } }
            h2 { (ctx.t("speaker.history")) }
            @if deliveries.is_empty() { p.empty { (ctx.t("speaker.no_slots")) } }
            table.list {
                tbody {
                    @for d in deliveries {
                        tr {
                            td { (date(ctx.lang, d.entry.item.starts_at, d.stop.tz())) }
                            td { (d.tour.name) } td { a href={ "/manage/stops/" (d.stop.id) } { (d.stop.city) } }
                            td { (d.entry.title()) }
                        }
                    }
                }
            }
            @if !proposals.is_empty() {
                h2 { (ctx.t("speaker.proposals")) }
                ul { @for (p, t, tour) in proposals { li { (t.title) " · " (tour.name) " " (status_badge(ctx, "proposal_status", p.status)) } } }
            }
            @if !talks.is_empty() && !stops.is_empty() {
                h2 { (ctx.t("speaker.ask")) }
                (post_form(ctx, &format!("/manage/speakers/{}/invite", s.id), "", html! {
                    (select(ctx, &FieldErrors::new(), "talk_id", &ctx.t("agenda.talk"), "", &talks))
                    (select(ctx, &FieldErrors::new(), "stop_id", &ctx.t("message.scope"), "", &stop_choices))
                    button type="submit" { (ctx.t("speaker.ask_submit")) }
                }))
            }
        },
    )
}
