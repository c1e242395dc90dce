//! The call for proposals, speakers' pages, agendas, and the organizers' review pages.

use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::proposal::ProposalStatus;
use crate::error::FieldErrors;
use crate::format::{date, local_input};
use crate::models::agenda::AgendaChange;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::{Talk, TalkWithSpeakers};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::agenda::Entry;
use crate::read::speakers::{Delivery, ProposalView, SpeakerPage};
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, confirm_form, error_summary, field_error, input, markdown, post_form,
    select, status_badge,
};
use crate::views::layout::page;

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
                                (e.item.title)
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

pub fn login(ctx: &Ctx, sent: bool) -> Markup {
    let errors = FieldErrors::new();
    page(
        ctx,
        &ctx.t("speaker.login_title"),
        html! {
            h1 { (ctx.t("speaker.login_title")) }
            @if sent { p.flash.success role="status" { (ctx.t("speaker.link_sent")) } }
            @else {
                p { (ctx.t("speaker.login_lead")) }
                (post_form(ctx, "/speaker/login", "narrow", html! {
                    (input(ctx, &errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("reset.send")) }
                }))
                p.hint { (ctx.t("journeys.login.volunteer_instead")) " " a href="/volunteer/login" { (ctx.t("volunteer.login_title")) } }
            }
        },
    )
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

/// The slides of one slot as its speaker sees them: what they handed in (to open, replace
/// or remove, each asking first) or the form to hand them in.
fn own_slides(ctx: &Ctx, d: &Delivery, errors: &FieldErrors) -> Markup {
    let item = &d.entry.item.id;
    let action = format!("/speaker/slots/{item}/slides");
    let handed_in: Vec<&crate::models::material::Material> = d
        .materials
        .iter()
        .filter(|m| {
            m.kind == crate::models::material::MaterialKind::Slides
                && m.status != crate::models::material::MaterialStatus::Requested
        })
        .collect();
    let upload = |replacing: bool| {
        upload_form(
            ctx,
            errors,
            &action,
            item,
            if replacing {
                ctx.t("journeys.slides.replace_submit")
            } else {
                ctx.t("speaker.upload_submit")
            }
            .as_ref(),
        )
    };
    html! {
        h4 { (ctx.t("speaker.slides")) }
        @if handed_in.is_empty() {
            (upload(false))
        } @else {
            ul.uploads {
                @for m in &handed_in {
                    li {
                        a href={ "/materials/" (m.id) "/download" } { (m.file_name.clone().or(m.link_url.clone()).unwrap_or_default()) }
                        " " (status_badge(ctx, "material_status", m.status))
                        @if let Some(at) = m.received_at { " · " (ctx.tf("journeys.slides.received", &[("when", &crate::format::moment(ctx.lang, at, d.stop.tz()))])) }
                        @if m.status == crate::models::material::MaterialStatus::Published {
                            br; span.hint { (ctx.t("journeys.slides.published_hint")) }
                        } @else {
                            (confirm_form(ctx, &format!("/speaker/materials/{}/remove", m.id), &ctx.t("journeys.slides.remove"), &ctx.t("journeys.slides.remove_explain"), &ctx.t("journeys.slides.remove_button")))
                        }
                    }
                }
            }
            @if handed_in.iter().any(|m| m.status == crate::models::material::MaterialStatus::Published) {
                // No form to mark: say it where the slides are.
                @if let Some(e) = field_error(ctx, errors, &format!("{item}.file")) { p.error id={ "file-" (item) "-help" } role="alert" { (e) } }
            } @else {
                details.confirm open[has_errors(errors, item)] {
                    summary { (ctx.t("journeys.slides.replace")) }
                    p { (ctx.t("journeys.slides.replace_explain")) }
                    (upload(true))
                }
            }
        }
        p.hint { (ctx.t("speaker.upload_hint")) }
    }
}

/// The slides upload form of a slot: the file field marked when it was refused, and a
/// progress bar that `static/upload.js` fills (the form works without it).
fn upload_form(ctx: &Ctx, errors: &FieldErrors, action: &str, item: &str, button: &str) -> Markup {
    html! {
        form method="post" action=(action) enctype="multipart/form-data" class="upload" data-progress data-failed=(ctx.t("journeys.upload.failed")) {
            input type="hidden" name="_csrf" value=(ctx.csrf);
            (crate::views::materials::file_field(ctx, errors, item, &ctx.t("speaker.upload"), Some(".pdf,.odp,.pptx,.key"), true))
            (crate::views::materials::progress(ctx))
            button type="submit" { (button) }
        }
    }
}

/// The speaker's proposals: what they sent, how it stands, and (until it is decided) a form
/// to edit it and a button to withdraw it, which asks first.
fn own_proposals(ctx: &Ctx, p: &SpeakerPage, errors: &FieldErrors) -> Markup {
    html! {
        h2 #proposals { (ctx.t("speaker.proposals")) }
        @if p.proposals.is_empty() { p.empty { (ctx.t("speaker.no_proposals")) } }
        @for own in &p.proposals {
            @let (pr, talk) = (&own.proposal, &own.talk);
            @let scope = format!("proposal-{}", pr.id);
            article.card.proposal {
                h3 { (talk.title) " " (status_badge(ctx, "proposal_status", pr.status.as_str())) }
                p.meta { (own.tour.name) " · " (ctx.tf("journeys.proposal.minutes", &[("n", &talk.duration_minutes.to_string())])) }
                @if !talk.summary.is_empty() { div.prose { (markdown(&talk.summary)) } }
                @if !pr.decision_message.is_empty() { p { em { (pr.decision_message) } } }
                @if own.changeable {
                    details.edit open[has_errors(errors, &scope)] {
                        summary { (ctx.t("journeys.proposal.edit")) }
                        (post_form(ctx, &format!("/speaker/proposals/{}/edit", pr.id), "narrow", html! {
                            (scoped_input(ctx, errors, &scope, Field::new("title", &ctx.t("field.talk_title"), &talk.title).required()))
                            (scoped_input(ctx, errors, &scope, Field::new("abstract", &ctx.t("field.abstract"), &talk.summary).kind("textarea").hint(&ctx.t("field.markdown_hint"))))
                            (scoped_input(ctx, errors, &scope, Field::new("duration_minutes", &ctx.t("field.duration"), &talk.duration_minutes.to_string()).kind("number").required()))
                            button type="submit" { (ctx.t("form.save")) }
                        }))
                    }
                    (confirm_form(ctx, &format!("/speaker/proposals/{}/withdraw", pr.id), &ctx.t("journeys.proposal.withdraw"), &ctx.t("journeys.proposal.withdraw_explain"), &ctx.t("journeys.proposal.withdraw_button")))
                } @else if pr.status.undecided() {
                    p.hint { (ctx.t("journeys.proposal.placed")) }
                }
            }
        }
    }
}

/// The speaker's own page: profile, proposals, slots to confirm, slides, calendar.
pub fn own(ctx: &Ctx, p: &SpeakerPage, feed_url: Option<&str>, errors: &FieldErrors) -> Markup {
    let s = &p.speaker;
    page(
        ctx,
        &ctx.t("speaker.title"),
        html! {
            h1 { (ctx.tf("speaker.hello", &[("name", &s.name)])) }
            @if s.confirmed_at.is_none() {
                p.notice { a href="#profile" { (ctx.t("speaker.check_profile")) } }
            } @else if p.profile_is_public {
                p { a href={ "/speakers/" (s.id) } { (ctx.t("speaker.public_profile")) } }
            } @else {
                p.hint { (ctx.t("journeys.profile_not_public")) }
            }
            (error_summary(ctx, errors))
            @if !p.invitations.is_empty() {
                h2 { (ctx.t("speaker.invitations")) }
                p.hint { (ctx.t("speaker.invitations_lead")) }
                @for inv in &p.invitations {
                    article.card.invitation {
                        h3 { (inv.talk.talk.title) }
                        p { (inv.talk.all_speaker_names()) " · " (inv.talk.talk.duration_minutes) " min" }
                        @for tour in &inv.tours { p { (tour.name) } }
                        @if inv.deliveries.is_empty() && inv.tours.is_empty() { p.hint { (ctx.t("speaker.not_placed")) } }
                        ul {
                            @for d in &inv.deliveries {
                                li { (d.tour.name) " · " (d.stop.city) " · " (date(ctx.lang, d.entry.item.starts_at, d.stop.tz())) " " (hm(&d.entry, &d.stop)) }
                            }
                        }
                        p.actions {
                            (button_form(ctx, &format!("/speaker/talks/{}/accept", inv.talk.talk.id), &ctx.t("speaker.accept_talk"), ""))
                            " "
                            (button_form(ctx, &format!("/speaker/talks/{}/decline", inv.talk.talk.id), &ctx.t("speaker.decline_talk"), "secondary danger"))
                        }
                    }
                }
            }
            h2 { (ctx.t("speaker.slots")) }
            @if p.deliveries.is_empty() { p.empty { (ctx.t("speaker.no_slots")) } }
            @for d in &p.deliveries {
                article.card.slot {
                    h3 { (d.entry.title()) }
                    p {
                        (d.tour.name) " · " (d.stop.city) " · " (date(ctx.lang, d.entry.item.starts_at, d.stop.tz())) " " (hm(&d.entry, &d.stop))
                        br; (d.venue.name) ", " (d.venue.address)
                    }
                    @if d.entry.item.confirmed_at.is_some() {
                        p.flash.success { (ctx.t("speaker.confirmed")) }
                    } @else {
                        (button_form(ctx, &format!("/speaker/slots/{}/confirm", d.entry.item.id), &ctx.t("speaker.confirm"), ""))
                    }
                    (own_slides(ctx, d, errors))
                }
            }
            (own_proposals(ctx, p, errors))
            h2 { (ctx.t("speaker.calendar")) }
            @if let Some(url) = feed_url {
                p { (ctx.t("speaker.feed_hint")) }
                input.copy type="text" readonly value=(url) aria-label=(ctx.t("speaker.calendar"));
            } @else {
                (button_form(ctx, "/speaker/feed", &ctx.t("speaker.feed_make"), "secondary"))
            }
            h2 #profile { (ctx.t("speaker.profile")) }
            (post_form(ctx, "/speaker/profile", "narrow", html! {
                (input(ctx, errors, Field::new("name", &ctx.t("field.name"), &s.name).required()))
                (input(ctx, errors, Field::new("affiliation", &ctx.t("field.affiliation"), &s.affiliation)))
                (input(ctx, errors, Field::new("bio", &ctx.t("field.bio"), &s.bio).kind("textarea").hint(&ctx.t("field.markdown_hint"))))
                button type="submit" { (ctx.t("form.save")) }
            }))
            script src="/static/upload.js" defer {}
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
                    @if p.proposal.status.standing() {
                        (post_form(ctx, &format!("/manage/proposals/{}/accept", p.proposal.id), "", html! {
                            fieldset {
                                legend { (ctx.t("proposals.accept_at")) }
                                @for s in stops {
                                    label.check { input type="checkbox" name="stop_ids" value=(s.id) checked[p.stop_ids.contains(&s.id) && p.scheduled_stop_ids.is_empty()]; " " (s.city) " (" (date(ctx.lang, s.starts_at, s.tz())) ")" }
                                }
                            }
                            (input(ctx, &FieldErrors::new(), Field::new("message", &ctx.t("proposals.message"), "")))
                            button type="submit" { (ctx.t("proposals.accept")) }
                        }))
                    }
                    @if p.proposal.status.undecided() {
                        (post_form(ctx, &format!("/manage/proposals/{}/reject", p.proposal.id), "row", html! {
                            (input(ctx, &FieldErrors::new(), Field::new("message", &ctx.t("proposals.message"), "")))
                            button.secondary.danger type="submit" { (ctx.t("proposals.reject")) }
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
                thead { tr { th { (ctx.t("agenda.time")) } th { (ctx.t("field.talk_title")) } th {} } }
                tbody {
                    @for e in p.entries {
                        tr.overrun[p.overruns.contains(&e.item.id)] {
                            td { (hm(e, stop)) }
                            td {
                                @if let Some(t) = &e.talk { strong { (t.talk.title) } br; (team_speakers_line(ctx, t)) } @else { (e.title()) " (" (ctx.t(&format!("agenda_kind.{}", e.item.kind))) ")" }
                                @if p.overruns.contains(&e.item.id) { br; span.badge.cancelled { (ctx.t("agenda.overrun")) } }
                                @if e.talk.is_some() && e.item.confirmed_at.is_none() { br; span.badge.(if soon { "cancelled" } else { "" }) { (ctx.t("agenda.unconfirmed")) } }
                            }
                            td {
                                (post_form(ctx, &format!("{base}/{}/move", e.item.id), "row", html! {
                                    input type="datetime-local" name="starts_at" value=(local_input(e.item.starts_at, stop.tz())) aria-label=(ctx.t("field.starts_at"));
                                    input type="number" name="duration_minutes" value=(e.item.duration_minutes) aria-label=(ctx.t("field.duration"));
                                    button.link type="submit" { (ctx.t("agenda.move")) }
                                }))
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
                (input(ctx, p.errors, Field::new("title", &ctx.t("agenda.item_title"), &p.form.title).hint(&ctx.t("agenda.item_title_hint"))))
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
