//! The outbox and the template previews, for organizers.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::ids::{MessageId, TourId};
use crate::email::{MailKind, Rendered, samples};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::outbox::OutboxStatus;
use crate::services::bulk::{self, Draft, MessageText};
use crate::services::outbox;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{html, page_id, see_other};

#[derive(Deserialize)]
pub struct StatusQuery {
    status: Option<String>,
}

fn status_filter(q: &StatusQuery) -> Option<OutboxStatus> {
    q.status.as_deref().and_then(OutboxStatus::parse)
}

pub async fn tour_outbox(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let o = outbox::tour_outbox(&state, &page.organizer, &id, status_filter(&query)).await?;
    let back = format!("/manage/tours/{}", o.tour.id);
    Ok(html(crate::views::email::outbox(
        &page.ctx,
        &page.ctx.tf("outbox.title_tour", &[("tour", &o.tour.name)]),
        Some((&back, &o.tour.name)),
        o.counts,
        &o.messages,
        &format!("{back}/outbox"),
    )))
}

pub async fn all_outbox(
    state: web::Data<AppState>,
    page: OrganizerPage,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let (counts, messages) =
        outbox::all_messages(&state, &page.organizer, status_filter(&query)).await?;
    Ok(html(crate::views::email::outbox(
        &page.ctx,
        &page.ctx.t("outbox.title"),
        None,
        counts,
        &messages,
        "/manage/outbox",
    )))
}

pub async fn retry(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<MessageId>(&id)?;
    let message = outbox::retry(&state, &page.organizer, &id).await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("outbox.requeued"),
    );
    Ok(see_other(&match message.tour_id {
        Some(t) => format!("/manage/tours/{t}/outbox"),
        None => "/manage/outbox".into(),
    }))
}

pub async fn template_list(page: OrganizerPage) -> HttpResponse {
    html(crate::views::email::templates(&page.ctx, MailKind::ALL))
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

fn sample(state: &AppState, kind: &str, lang: Lang) -> Result<Rendered, AppError> {
    MailKind::parse(kind)
        .map(|kind| samples::render(kind, lang, state.env.links.base()))
        .ok_or_else(|| AppError::not_found("template"))
}

pub async fn template_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    kind: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(page.ctx.lang);
    let rendered = sample(&state, &kind, lang)?;
    Ok(html(crate::views::email::template(
        &page.ctx,
        &kind,
        lang.code(),
        &rendered,
    )))
}

/// The HTML body exactly as mailed; e-mail needs inline styles, so this page alone allows them.
pub async fn template_html(
    state: web::Data<AppState>,
    page: OrganizerPage,
    kind: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(page.ctx.lang);
    let rendered = sample(&state, &kind, lang)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        ))
        .body(rendered.html))
}

/// The message form again (after a validation error), with the tour's stops to choose from.
async fn render_message_form(
    state: &AppState,
    page: &OrganizerPage,
    tour_id: &TourId,
    form: &crate::views::email::MessageForm,
    errors: crate::error::FieldErrors,
) -> Result<HttpResponse, AppError> {
    let data =
        bulk::message_form(state, &page.organizer, tour_id, Some(form.stop_id.clone())).await?;
    Ok(message_page(&page.ctx, &data, form, errors, None))
}

fn message_page(
    ctx: &crate::views::Ctx,
    data: &crate::read::bulk::FormData,
    form: &crate::views::email::MessageForm,
    errors: crate::error::FieldErrors,
    preview: Option<crate::read::bulk::Preview>,
) -> HttpResponse {
    let status = crate::web::form_status(&errors);
    crate::web::html_status(
        status,
        crate::views::email::message_form(ctx, data, form, &errors, preview.as_ref()),
    )
}

#[derive(Deserialize)]
pub struct StopQuery {
    stop: Option<String>,
}

pub async fn message_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<StopQuery>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let form = crate::views::email::MessageForm {
        stop_id: query.into_inner().stop.unwrap_or_default(),
        segment: "confirmed".into(),
        ..Default::default()
    };
    render_message_form(&state, &page, &id, &form, Default::default()).await
}

pub async fn message_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<crate::views::email::MessageForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let form = form.data;
    let draft = Draft {
        tour_id: id.clone(),
        stop_id: (!form.stop_id.is_empty()).then(|| form.stop_id.clone()),
        segment: form.segment.clone(),
        texts: Lang::ALL
            .iter()
            .map(|&lang| {
                let (subject, body) = form.text(lang);
                MessageText::of_lang(lang, subject, body)
            })
            .collect(),
    };
    let mut notice = None;
    match form.action.as_str() {
        "send" => {
            let result = bulk::send(&state, &page.organizer, draft).await;
            return match crate::web::field_errors(result)? {
                Ok((_, n)) => {
                    flash(
                        &page.session,
                        FlashKind::Success,
                        page.ctx.tf("message.sent", &[("n", &n.to_string())]),
                    );
                    Ok(see_other(&format!("/manage/tours/{id}/outbox")))
                }
                Err(errors) => render_message_form(&state, &page, &id, &form, errors).await,
            };
        }
        "test" => {
            let result = bulk::send_test(&state, &page.organizer, draft.clone()).await;
            match crate::web::field_errors(result)? {
                Ok(n) => {
                    // The form stays as written, with its preview, and says where the test went.
                    notice = Some(page.ctx.lang.tn(
                        "bulk.test_sent",
                        i64::try_from(n).unwrap_or(0),
                        &[("email", &page.organizer.email)],
                    ));
                }
                Err(errors) => {
                    return render_message_form(&state, &page, &id, &form, errors).await;
                }
            }
        }
        _ => {}
    }
    let result = bulk::preview_in_form(&state, &page.organizer, draft).await;
    match crate::web::field_errors(result)? {
        Ok((preview, data)) => {
            let mut ctx = page.ctx.clone();
            ctx.flash.extend(notice.map(|message| crate::views::Flash {
                kind: FlashKind::Success,
                message,
            }));
            Ok(message_page(
                &ctx,
                &data,
                &form,
                Default::default(),
                Some(preview),
            ))
        }
        Err(errors) => render_message_form(&state, &page, &id, &form, errors).await,
    }
}
