//! Organizers' views of e-mail: the outbox and the template previews.

use maud::{Markup, PreEscaped, html};

use crate::i18n::Lang;

use crate::email::{MailKind, Rendered};
use crate::format::date;
use crate::models::outbox::{OutboxCounts, OutboxMessage};
use crate::views::Ctx;
use crate::views::components::{button_form, status_badge};
use crate::views::layout::page;

/// `retry_base`: where retry buttons post (`{retry_base}/{id}/retry`).
pub fn outbox(
    ctx: &Ctx,
    title: &str,
    back: Option<(&str, &str)>,
    counts: OutboxCounts,
    messages: &[OutboxMessage],
    filter_base: &str,
) -> Markup {
    page(
        ctx,
        title,
        html! {
            @if let Some((href, label)) = back { p.crumbs { a href=(href) { (label) } } }
            h1 { (title) }
            p.actions {
                a href=(filter_base) { (ctx.t("outbox.all")) }
                a href={ (filter_base) "?status=queued" } { (ctx.tf("outbox.queued_n", &[("n", &counts.queued.to_string())])) }
                a href={ (filter_base) "?status=sent" } { (ctx.tf("outbox.sent_n", &[("n", &counts.sent.to_string())])) }
                a href={ (filter_base) "?status=failed" } { (ctx.tf("outbox.failed_n", &[("n", &counts.failed.to_string())])) }
            }
            @if messages.is_empty() { p.empty { (ctx.t("outbox.empty")) } }
            @else {
                table.list {
                    thead { tr { th { (ctx.t("outbox.when")) } th { (ctx.t("outbox.to")) } th { (ctx.t("outbox.subject")) } th { (ctx.t("field.status")) } } }
                    tbody {
                        @for m in messages {
                            tr {
                                td data-label=(ctx.t("outbox.when")) { (date(ctx.lang, m.created_at, chrono_tz::UTC)) " " (m.created_at.format("%H:%M")) " UTC" }
                                td data-label=(ctx.t("outbox.to")) { (m.to_email) }
                                td data-label=(ctx.t("outbox.subject")) { (m.subject) }
                                td data-label=(ctx.t("field.status")) {
                                    (status_badge(ctx, "outbox_status", m.status))
                                    @if m.attempts > 1 || m.status == crate::models::outbox::OutboxStatus::Failed { " " small { (ctx.tf("outbox.attempts", &[("n", &m.attempts.to_string())])) } }
                                    @if let Some(e) = &m.last_error { br; small.error { (e) } }
                                    @if m.status == crate::models::outbox::OutboxStatus::Failed { " " (button_form(ctx, &format!("/manage/outbox/{}/retry", m.id), &ctx.t("outbox.retry"), "link")) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn templates(ctx: &Ctx, kinds: &[MailKind]) -> Markup {
    page(
        ctx,
        &ctx.t("templates.title"),
        html! {
            h1 { (ctx.t("templates.title")) }
            p.hint { (ctx.t("templates.hint")) }
            ul {
                @for kind in kinds {
                    li {
                        (ctx.t(&format!("template.{kind}"))) " — "
                        a href={ "/manage/emails/" (kind) "?lang=en" } { "English" } " · "
                        a href={ "/manage/emails/" (kind) "?lang=zh-CN" } { "简体中文" }
                    }
                }
            }
        },
    )
}

pub fn template(ctx: &Ctx, kind: &str, lang_code: &str, r: &Rendered) -> Markup {
    page(
        ctx,
        &ctx.t(&format!("template.{kind}")),
        html! {
            p.crumbs { a href="/manage/emails" { (ctx.t("templates.title")) } }
            h1 { (ctx.t(&format!("template.{kind}"))) }
            dl.facts { dt { (ctx.t("outbox.subject")) } dd { (r.subject) } }
            p { a href={ "/manage/emails/" (kind) "/html?lang=" (lang_code) } target="_blank" { (ctx.t("templates.open_html")) } }
            h2 { (ctx.t("templates.text")) }
            pre.mail { (r.text) }
        },
    )
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct MessageForm {
    pub stop_id: String,
    pub segment: String,
    /// The text in English; either language may be left empty.
    pub subject_en: String,
    pub body_en: String,
    /// The text in Simplified Chinese.
    pub subject_zh_cn: String,
    pub body_zh_cn: String,
    /// "preview", "test" or "send".
    pub action: String,
}

impl MessageForm {
    /// The subject and body written in `lang`.
    pub fn text(&self, lang: Lang) -> (&str, &str) {
        match lang {
            Lang::En => (&self.subject_en, &self.body_en),
            Lang::ZhCn => (&self.subject_zh_cn, &self.body_zh_cn),
        }
    }
}

/// Write a message to a segment, in one language or both; after a preview, the message as
/// each language's readers get it and a send button.
pub fn message_form(
    ctx: &Ctx,
    data: &crate::read::bulk::FormData,
    form: &MessageForm,
    errors: &crate::error::FieldErrors,
    preview: Option<&crate::read::bulk::Preview>,
) -> Markup {
    use crate::views::components::{Field, error_summary, input, post_form, select};
    let tour = &data.tour;
    let mut scopes = vec![(String::new(), ctx.t("message.whole_tour").into_owned())];
    scopes.extend(data.stops.iter().map(|s| {
        (
            s.id.clone(),
            format!("{} ({})", s.city, date(ctx.lang, s.starts_at, s.tz())),
        )
    }));
    // Each choice with how many people it holds in the scope shown.
    let segments: Vec<(String, String)> = crate::domain::message::Segment::ALL
        .iter()
        .map(|s| {
            let label = ctx.t(&format!("segment.{}", s.as_str())).into_owned();
            let label = match data.counts.iter().find(|(c, _)| c == s) {
                Some((_, n)) => format!("{label}{}", ctx.lang.parens(&n.to_string())),
                None => label,
            };
            (s.as_str().to_owned(), label)
        })
        .collect();
    let placeholders = ctx.tf(
        "message.placeholders",
        &[("list", &crate::read::bulk::PLACEHOLDERS.join(" "))],
    );
    page(
        ctx,
        &ctx.t("message.title"),
        html! {
            p.crumbs { a href={ "/manage/tours/" (tour.id) } { (tour.name) } }
            h1 { (ctx.t("message.title")) }
            (error_summary(ctx, errors))
            @if let Some(p) = preview {
                div.flash.success role="status" {
                    (ctx.tf("message.count", &[("n", &p.recipients.to_string())]))
                }
                @for v in &p.versions {
                    section.message-version lang=(v.lang.code()) {
                        h2 lang=(ctx.lang.code()) {
                            (v.lang.native_name()) " · "
                            (ctx.tf("message.sample", &[("name", &v.sample_name)]))
                        }
                        p.hint lang=(ctx.lang.code()) { (ctx.lang.tn("bulk.version_readers", i64::try_from(v.recipients).unwrap_or(0), &[])) }
                        dl.facts { dt lang=(ctx.lang.code()) { (ctx.t("outbox.subject")) } dd { (v.rendered.subject) } }
                        div.mail-html { (PreEscaped(&v.body_html)) }
                        details {
                            summary lang=(ctx.lang.code()) { (ctx.t("bulk.as_text")) }
                            pre.mail { (v.rendered.text) }
                        }
                    }
                }
            }
            (post_form(ctx, &format!("/manage/tours/{}/messages", tour.id), "", html! {
                (select(ctx, errors, "stop_id", &ctx.t("message.scope"), &form.stop_id, &scopes))
                (select(ctx, errors, "segment", &ctx.t("message.segment"), &form.segment, &segments))
                p.hint { (ctx.t("bulk.languages_hint")) }
                @for lang in Lang::ALL {
                    @let (subject, body) = form.text(lang);
                    @let subject_field = crate::domain::message::field_name("subject", lang);
                    @let body_field = crate::domain::message::field_name("body", lang);
                    fieldset.message-text {
                        legend { (lang.native_name()) }
                        (input(ctx, errors, Field::new(&subject_field, &ctx.t("outbox.subject"), subject)))
                        (input(ctx, errors, Field::new(&body_field, &ctx.t("message.body"), body).kind("textarea").hint(&placeholders)))
                    }
                }
                div.actions {
                    button.secondary type="submit" name="action" value="preview" { (ctx.t("message.preview")) }
                    button.secondary type="submit" name="action" value="test" { (ctx.t("bulk.send_test")) }
                    @if preview.is_some_and(|p| p.recipients > 0) {
                        button type="submit" name="action" value="send" { (ctx.t("message.send")) }
                    }
                }
            }))
        },
    )
}
