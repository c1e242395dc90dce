//! A stop's venues: its ranked backups, and the switch to another venue when its own
//! falls through.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pages::render_stop_page;
use crate::domain::ids::{StopId, VenueId};
use crate::error::AppError;
use crate::services::{stops, venue_switch};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{field_errors, page_id, see_other};

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
}

pub async fn switch_venue(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let form = form.data;
    let result = venue_switch::switch_venue(
        &state,
        &page.organizer,
        &id,
        Some(&form.venue_id),
        &form.reason,
    )
    .await;
    match field_errors(result)? {
        Ok(_) => {
            flash(&page.session, FlashKind::Success, page.ctx.t("switch.done"));
            Ok(see_other(&format!("/manage/stops/{id}")))
        }
        Err(errors) => render_stop_page(&state, &page, &id, errors).await,
    }
}
