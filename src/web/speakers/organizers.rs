//! Organizers: proposals, agendas, speaker history.

use crate::domain::stop::local_to_utc;
use crate::error::{AppError, FieldCode, FieldErrors};
use crate::read::agenda::Builder;
use crate::services::agenda::{self, ItemInput};
use crate::services::speakers;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::speakers::organizers::{BuilderPage, ItemForm};
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{html, html_status, page_id_text, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

pub async fn proposals_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let me = page.organizer.clone();
    let (tour, stops, list) = state
        .db
        .run(move |conn| speakers::proposals(conn, &me, &id))
        .await?;
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
    let id = page_id_text(&id)?;
    let stop_ids = form.all("stop_ids");
    let (me, env, message) = (page.organizer.clone(), state.env.clone(), form.data.message);
    let view = state
        .db
        .run(move |conn| speakers::accept(conn, &env, &me, &id, &stop_ids, &message))
        .await?;
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
    let id = page_id_text(&id)?;
    let (me, env, message, pid) = (
        page.organizer.clone(),
        state.env.clone(),
        form.data.message,
        id.clone(),
    );
    let tour = state
        .db
        .run(move |conn| speakers::reject(conn, &env, &me, &pid, &message))
        .await?;
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
    stop_id: String,
    form: ItemForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let me = page.organizer.clone();
    let Builder {
        tour,
        stop,
        entries,
        talks,
    } = state
        .db
        .run(move |conn| agenda::builder(conn, &me, &stop_id))
        .await?;
    let overruns = agenda::overrun_ids(&stop, &entries);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
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
    let id = page_id_text(&id)?;
    render_builder(&state, &page, id, ItemForm::default(), FieldErrors::new()).await
}

pub async fn add_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
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
    let (me, env, sid) = (page.organizer.clone(), state.env.clone(), id.clone());
    match agenda_errors(
        state
            .db
            .run(move |conn| agenda::add_item(conn, &env, &me, &sid, input))
            .await,
    )? {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, id, f, errors).await,
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
    let (id, item) = (page_id_text(&id)?, page_id_text(&item)?);
    let tz = crate::web::stops::stop_tz(&state, &page, &id).await?;
    let starts = local_to_utc(&form.data.starts_at, tz);
    let duration = form.data.duration_minutes.trim().parse::<i64>().ok();
    let (me, env) = (page.organizer.clone(), state.env.clone());
    match agenda_errors(
        state
            .db
            .run(move |conn| agenda::move_item(conn, &env, &me, &item, starts, duration))
            .await,
    )? {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, id, ItemForm::default(), errors).await,
    }
}

pub async fn remove_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, item) = path.into_inner();
    let (id, item) = (page_id_text(&id)?, page_id_text(&item)?);
    let (me, env) = (page.organizer.clone(), state.env.clone());
    state
        .db
        .run(move |conn| agenda::remove_item(conn, &env, &me, &item))
        .await?;
    Ok(see_other(&format!("/manage/stops/{id}/agenda")))
}

pub async fn publish(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let (me, sid) = (page.organizer.clone(), id.clone());
    state
        .db
        .run(move |conn| agenda::publish(conn, &me, &sid))
        .await?;
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
    let id = page_id_text(&id)?;
    let me = page.organizer.clone();
    let (speaker, deliveries, proposals, stops) = state
        .db
        .run(move |conn| {
            let (speaker, deliveries, proposals) = speakers::history(conn, &me, &id)?;
            let stops = speakers::stops_to_ask(conn, &me)?;
            Ok((speaker, deliveries, proposals, stops))
        })
        .await?;
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
    let speaker_id = page_id_text(&id)?;
    let f = form.data;
    let (talk_id, stop_id) = (page_id_text(&f.talk_id)?, page_id_text(&f.stop_id)?);
    let (me, env, sid) = (page.organizer.clone(), state.env.clone(), stop_id.clone());
    match agenda_errors(
        state
            .db
            .run(move |conn| speakers::invite_to_stop(conn, &env, &me, &talk_id, &sid))
            .await,
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
