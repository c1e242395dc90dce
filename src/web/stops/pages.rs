//! The stop's page, the form for a new stop (or a clone) and the edit form.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::stop_input;
use crate::domain::ids::{StopId, TourId};
use crate::domain::stop::Affected;
use crate::error::{AppError, FieldError, FieldErrors};
use crate::services::lifecycle;
use crate::services::stops;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::manage::stops::{CloneForm, StopForm, StopPage};
use crate::web::session::{CsrfForm, OrganizerPage, flash};
use crate::web::{field_errors, html, html_status, page_id, see_other};

#[derive(Deserialize)]
pub struct FromQuery {
    from: Option<String>,
}

pub async fn new_stop_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<FromQuery>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let from = query
        .into_inner()
        .from
        .map(|f| page_id::<StopId>(&f))
        .transpose()?;
    let f = stops::new_stop_form(&state, &page.organizer, &id, from.as_ref()).await?;
    Ok(html(match f.source {
        Some(source) => crate::views::manage::stops::clone_form(
            &page.ctx,
            &f.tour,
            &source,
            &CloneForm::default(),
            &FieldErrors::new(),
        ),
        None => crate::views::manage::stops::stop_form(
            &page.ctx,
            &f.tour,
            None,
            &f.venues,
            &StopForm {
                timezone: f.timezone.unwrap_or_default(),
                ..StopForm::default()
            },
            &FieldErrors::new(),
            None,
        ),
    }))
}

pub async fn new_stop_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<StopForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let form = form.data;
    let clone = CloneForm {
        from: form.from.clone(),
        starts_at: form.starts_at.clone(),
        ends_at: form.ends_at.clone(),
    };
    let result = if clone.from.is_empty() {
        stops::create_stop(
            &state,
            &page.organizer,
            &id,
            stop_input(&form, true, &state.env.content_languages),
        )
        .await
    } else {
        let from = page_id::<StopId>(&clone.from)?;
        let (starts, ends) = (clone.starts_at.clone(), clone.ends_at.clone());
        stops::clone_stop_local(&state, &page.organizer, &from, starts, ends).await
    };
    match field_errors(result)? {
        Ok(stop) => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("stop.created"),
            );
            Ok(see_other(&format!("/manage/stops/{}", stop.stop.id)))
        }
        Err(errors) => {
            let from = (!clone.from.is_empty())
                .then(|| page_id::<StopId>(&clone.from))
                .transpose()?;
            let f = stops::new_stop_form(&state, &page.organizer, &id, from.as_ref()).await?;
            let markup = match f.source {
                Some(source) => crate::views::manage::stops::clone_form(
                    &page.ctx, &f.tour, &source, &clone, &errors,
                ),
                None => crate::views::manage::stops::stop_form(
                    &page.ctx, &f.tour, None, &f.venues, &form, &errors, None,
                ),
            };
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, markup))
        }
    }
}

/// The stop's page, with the errors of a form on it (422) when there are some.
pub(super) async fn render_stop_page(
    state: &AppState,
    page: &OrganizerPage,
    id: &StopId,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let p = stops::stop_page(state, &page.organizer, id).await?;
    let status = crate::web::form_status(&errors);
    Ok(html_status(
        status,
        crate::views::manage::stops::stop_page(
            &page.ctx,
            StopPage {
                tour: &p.tour,
                access: &p.access,
                detail: &p.detail,
                venues: &p.venues,
                errors: &errors,
                stats: &p.stats,
                timeline: &p.timeline,
                switches: &p.switches,
                helpers: &p.helpers,
                figures: &p.figures,
                moves: &p.moves,
            },
        ),
    ))
}

pub async fn stop_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    render_stop_page(&state, &page, &id, FieldErrors::new()).await
}

/// The stop's public page as it will look, for its team (404 for anyone else): the
/// registration form shown as it will be once open.
pub async fn preview_stop(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let p = crate::services::preview::preview_stop(&state, &page.organizer, &id).await?;
    let ctx = &page.ctx;
    let extra = maud::html! {
        @if let Some(n) = p.places_left {
            (crate::views::registrations::register_form(ctx, &p.detail, &crate::views::registrations::RegisterForm::default(), &FieldErrors::new(), n))
        }
        (crate::views::speakers::public::public_agenda(ctx, &p.detail.stop, &p.agenda, &p.changes))
        (crate::views::materials::public_section(ctx, &p.entries_all, &p.published))
    };
    let back = format!("/manage/stops/{}", p.detail.stop.id);
    Ok(crate::web::tours::preview_response(
        crate::views::manage::tours::preview(
            ctx,
            crate::views::public::stop(ctx, &p.detail, &p.tour, p.moved.as_ref(), Some(extra)),
            &back,
        ),
    ))
}

pub async fn edit_stop_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    render_edit_form(&state, &page, &id, None, &FieldErrors::new(), None).await
}

/// The edit form: as the stop is (`form` None), or again with what was typed and the
/// errors, or (`moving`) asking before a new time is mailed.
async fn render_edit_form(
    state: &AppState,
    page: &OrganizerPage,
    id: &StopId,
    form: Option<&StopForm>,
    errors: &FieldErrors,
    moving: Option<&Affected>,
) -> Result<HttpResponse, AppError> {
    let f = stops::edit_stop_form(state, &page.organizer, id).await?;
    let status = crate::web::form_status(errors);
    let as_it_is;
    let form = match form {
        Some(form) => form,
        None => {
            as_it_is = StopForm {
                texts: crate::views::content::TextsForm::saved(&f.texts),
                ..StopForm::from_stop(&f.detail)
            };
            &as_it_is
        }
    };
    Ok(html_status(
        status,
        crate::views::manage::stops::stop_form(
            &page.ctx,
            &f.tour,
            Some(&f.detail.stop),
            &f.venues,
            form,
            errors,
            moving,
        ),
    ))
}

/// Saves the edit form. A new time for an announced stop is e-mailed to everyone concerned,
/// so the form first says to how many, and saves when sent again with those same times.
pub async fn edit_stop_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<StopForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let form = form.data;
    let input = stop_input(&form, false, &state.env.content_languages);
    if form.confirm_times != form.times() {
        let new_time = |t: &Option<Result<chrono::NaiveDateTime, FieldError>>| {
            t.as_ref().and_then(|t| t.as_ref().ok().copied())
        };
        let (starts_at, ends_at) = (new_time(&input.starts_at), new_time(&input.ends_at));
        let moving =
            lifecycle::move_preview(&state, &page.organizer, &id, starts_at, ends_at).await?;
        if let Some(affected) = moving {
            return render_edit_form(
                &state,
                &page,
                &id,
                Some(&form),
                &FieldErrors::new(),
                Some(&affected),
            )
            .await;
        }
    }
    let message = form.message.clone();
    let result = stops::update_stop_telling(&state, &page.organizer, &id, input, message).await;
    match field_errors(result)? {
        Ok(updated) => {
            let text = if updated.told > 0 {
                page.ctx
                    .lang
                    .tn("lifecycle.moved.done", updated.told as i64, &[])
            } else {
                page.ctx.t("form.saved").into_owned()
            };
            flash(&page.session, FlashKind::Success, text);
            Ok(see_other(&format!(
                "/manage/stops/{}",
                updated.detail.stop.id
            )))
        }
        Err(errors) => render_edit_form(&state, &page, &id, Some(&form), &errors, None).await,
    }
}
