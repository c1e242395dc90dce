//! Organizers: proposals, agendas, speaker history.

use crate::domain::ids::{AgendaItemId, ProposalId, SpeakerId, StopId, TalkId, TourId};
use crate::domain::stop::local_to_utc;
use crate::error::{AppError, FieldCode, FieldErrors};
use crate::read::agenda::Builder;
use crate::services::agenda::{self, ItemInput};
use crate::services::speakers::{self, History};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::speakers::organizers::{BuilderPage, ItemForm};
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{html, html_status, page_id, see_other};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

pub async fn proposals_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let (tour, stops, list) = speakers::proposals(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::speakers::organizers::proposals(
        &page.ctx,
        &tour,
        &stops,
        &list,
        &FieldErrors::new(),
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    message: String,
}

pub async fn accept(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<ProposalId>(&id)?;
    let stop_ids = form.all("stop_ids");
    let view = speakers::accept(&state, &page.organizer, &id, stop_ids, form.data.message).await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("proposals.accepted"),
    );
    Ok(see_other(&format!(
        "/manage/tours/{}/proposals",
        view.proposal.tour_id
    )))
}

pub async fn reject(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<ProposalId>(&id)?;
    let tour = speakers::reject(&state, &page.organizer, &id, form.data.message).await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("proposals.rejected"),
    );
    Ok(see_other(&format!("/manage/tours/{}/proposals", tour.id)))
}

async fn render_builder(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: &StopId,
    form: ItemForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let agenda::AgendaBuilder {
        builder:
            Builder {
                tour,
                stop,
                entries,
                talks,
            },
        overruns,
    } = agenda::builder(state, &page.organizer, stop_id).await?;
    let status = crate::web::form_status(&errors);
    Ok(html_status(
        status,
        crate::views::speakers::organizers::builder(
            &page.ctx,
            BuilderPage {
                tour: &tour,
                stop: &stop,
                entries: &entries,
                talks: &talks,
                overruns: &overruns,
                errors: &errors,
                form: &form,
                now: crate::clock::now(),
            },
        ),
    ))
}

/// Conflicts (clashes, a full agenda) are shown on the builder like field errors.
fn agenda_errors(result: Result<impl Sized, AppError>) -> Result<Option<FieldErrors>, AppError> {
    match result {
        Ok(_) => Ok(None),
        Err(e) if e.kind == crate::error::ErrorKind::Validation => Ok(Some(e.fields)),
        Err(e) if e.kind == crate::error::ErrorKind::Conflict => {
            let mut f = FieldErrors::new();
            f.insert(
                "agenda".into(),
                crate::error::FieldError {
                    code: FieldCode::AgendaClash,
                    message: e.message,
                },
            );
            Ok(Some(f))
        }
        Err(e) => Err(e),
    }
}

pub async fn builder(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    render_builder(&state, &page, &id, ItemForm::default(), FieldErrors::new()).await
}

pub async fn add_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let f = form.data;
    let tz = crate::web::stops::stop_tz(&state, &page, &id).await?;
    let duration = f.duration_minutes.trim().parse::<i64>().ok();
    let input = ItemInput {
        talk_id: (!f.talk_id.is_empty()).then(|| f.talk_id.clone()),
        kind: if f.talk_id.is_empty() {
            Some(f.kind.clone())
        } else {
            None
        },
        title: Some(f.title.clone()),
        starts_at: Some(local_to_utc(&f.starts_at, tz)),
        duration_minutes: duration,
    };
    match agenda_errors(agenda::add_item(&state, &page.organizer, &id, input).await)? {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, &id, f, errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    starts_at: String,
    duration_minutes: String,
}

pub async fn move_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    form: CsrfForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (id, item) = path.into_inner();
    let (id, item) = (page_id::<StopId>(&id)?, page_id::<AgendaItemId>(&item)?);
    let tz = crate::web::stops::stop_tz(&state, &page, &id).await?;
    let starts = local_to_utc(&form.data.starts_at, tz);
    let duration = form.data.duration_minutes.trim().parse::<i64>().ok();
    match agenda_errors(agenda::move_item(&state, &page.organizer, &item, starts, duration).await)?
    {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, &id, ItemForm::default(), errors).await,
    }
}

pub async fn remove_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, item) = path.into_inner();
    let (id, item) = (page_id::<StopId>(&id)?, page_id::<AgendaItemId>(&item)?);
    agenda::remove_item(&state, &page.organizer, &item).await?;
    Ok(see_other(&format!("/manage/stops/{id}/agenda")))
}

/// "↑ Earlier" and "↓ Later" in the builder: the item swaps places with its neighbour.
pub async fn shift_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, item, way) = path.into_inner();
    let (id, item) = (page_id::<StopId>(&id)?, page_id::<AgendaItemId>(&item)?);
    let shift = match way.as_str() {
        "earlier" => agenda::Shift::Earlier,
        "later" => agenda::Shift::Later,
        _ => return Err(AppError::not_found("page")),
    };
    match agenda_errors(agenda::shift_item(&state, &page.organizer, &item, shift).await)? {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, &id, ItemForm::default(), errors).await,
    }
}

pub async fn publish(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    agenda::publish(&state, &page.organizer, &id).await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("agenda.published"),
    );
    Ok(see_other(&format!("/manage/stops/{id}/agenda")))
}

pub async fn speaker_history(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<SpeakerId>(&id)?;
    let History {
        history: (speaker, deliveries, proposals),
        stops_to_ask: stops,
    } = speakers::history(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::speakers::organizers::history(
        &page.ctx,
        &speaker,
        &deliveries,
        &proposals,
        &stops,
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    talk_id: String,
    stop_id: String,
}

pub async fn invite(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let speaker_id = page_id::<SpeakerId>(&id)?;
    let f = form.data;
    // Ids of the form, refused like a path's.
    let (talk_id, stop_id) = (
        page_id::<TalkId>(&f.talk_id)?,
        page_id::<StopId>(&f.stop_id)?,
    );
    match agenda_errors(
        speakers::invite_to_stop(&state, &page.organizer, &talk_id, &stop_id).await,
    )? {
        None => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("speaker.asked"),
            );
            Ok(see_other(&format!("/manage/stops/{stop_id}/agenda")))
        }
        Some(errors) => {
            let message = errors
                .values()
                .next()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            flash(&page.session, FlashKind::Error, message);
            Ok(see_other(&format!("/manage/speakers/{speaker_id}")))
        }
    }
}
