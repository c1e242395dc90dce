//! A stop's venues: its ranked backups, and the switch to another venue when its own
//! falls through.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pages::render_stop_page;
use crate::domain::ids::{StopId, VenueId};
use crate::error::{AppError, FieldErrors};
use crate::services::stops;
use crate::services::venue_switch::{self, Confirmed};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::manage::venue_moves;
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{field_errors, html, html_status, page_id, see_other};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackupForm {
    venue_id: String,
}

pub async fn add_backup(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<BackupForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    match field_errors(stops::add_backup(&state, &page.organizer, &id, form.data.venue_id).await)? {
        Ok(()) => Ok(see_other(&format!("/manage/stops/{id}"))),
        Err(errors) => render_stop_page(&state, &page, &id, errors).await,
    }
}

/// Move a backup up or down the ranking, or remove it.
pub async fn change_backup(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, venue_id, action) = path.into_inner();
    let (id, venue_id) = (page_id::<StopId>(&id)?, page_id::<VenueId>(&venue_id)?);
    let me = &page.organizer;
    match action.as_str() {
        "up" => stops::move_backup(&state, me, &id, &venue_id, -1).await?,
        "down" => stops::move_backup(&state, me, &id, &venue_id, 1).await?,
        "remove" => stops::remove_backup(&state, me, &id, &venue_id).await?,
        _ => return Err(AppError::not_found("page")),
    }
    Ok(see_other(&format!("/manage/stops/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    venue_id: String,
    reason: String,
    /// The figures the organizer saw on the preview.
    seen: String,
    /// "confirm" switches; anything else (or nothing) shows what the switch would do.
    action: String,
}

/// What a switch would do (changes nothing); a venue that cannot be chosen is said on the
/// stop's page.
async fn render_preview(
    state: &AppState,
    page: &OrganizerPage,
    id: &StopId,
    form: &SwitchForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let to = Some(form.venue_id.as_str());
    let preview =
        venue_switch::switch_preview(state, &page.organizer, id, to, form.reason.clone()).await;
    match field_errors(preview)? {
        Ok(p) => Ok(html_status(
            crate::web::form_status(&errors),
            venue_moves::switch_preview(&page.ctx, &p, &errors, false),
        )),
        Err(errors) => render_stop_page(state, page, id, errors).await,
    }
}

/// The page before a switch: the form on the stop's page sends the venue and the reason.
pub async fn switch_preview(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    render_preview(&state, &page, &id, &query.into_inner(), FieldErrors::new()).await
}

/// Switches once confirmed from its preview; otherwise shows the preview (again).
pub async fn switch_venue(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let form = form.data;
    if form.action != "confirm" {
        return render_preview(&state, &page, &id, &form, FieldErrors::new()).await;
    }
    let result = venue_switch::confirm_switch(
        &state,
        &page.organizer,
        &id,
        Some(&form.venue_id),
        form.reason.clone(),
        form.seen.clone(),
    )
    .await;
    match field_errors(result)? {
        Ok(Confirmed::Switched(_)) => {
            flash(&page.session, FlashKind::Success, page.ctx.t("switch.done"));
            Ok(see_other(&format!("/manage/stops/{id}")))
        }
        Ok(Confirmed::Changed(p)) => Ok(html(venue_moves::switch_preview(
            &page.ctx,
            &p,
            &FieldErrors::new(),
            true,
        ))),
        Err(errors) => render_preview(&state, &page, &id, &form, errors).await,
    }
}
