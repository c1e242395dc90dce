//! The speakers' own pages, behind their sign-in links.

use maud::{Markup, html};

use crate::error::FieldErrors;
use crate::format::date;
use crate::read::speakers::{Delivery, SpeakerPage};
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, confirm_form, error_summary, field_error, input, markdown, post_form,
    status_badge,
};
use crate::views::layout::page;

use super::{has_errors, hm, scoped_input};

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
