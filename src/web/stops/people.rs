//! A stop's people: its supporters (shown on its page) and its desk helpers.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pages::render_stop_page;
use crate::domain::ids::{StopId, SupporterId};
use crate::error::AppError;
use crate::services::{desk, stops};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{field_errors, page_id, see_other};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SupporterForm {
    name: String,
    contribution: String,
}

pub async fn add_supporter(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<SupporterForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let form = form.data;
    let result =
        stops::add_supporter(&state, &page.organizer, &id, form.name, form.contribution).await;
    match field_errors(result)? {
        Ok(_) => Ok(see_other(&format!("/manage/stops/{id}"))),
        Err(errors) => render_stop_page(&state, &page, &id, errors).await,
    }
}

pub async fn remove_supporter(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, supporter_id) = path.into_inner();
    let (id, supporter_id) = (
        page_id::<StopId>(&id)?,
        page_id::<SupporterId>(&supporter_id)?,
    );
    stops::remove_supporter(&state, &page.organizer, &id, &supporter_id).await?;
    Ok(see_other(&format!("/manage/stops/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HelperForm {
    email: String,
    name: String,
}

pub async fn add_desk_helper(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<HelperForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let form = form.data;
    let result = desk::add_helper(
        &state,
        page.ctx.lang,
        &page.organizer,
        &id,
        &form.email,
        &form.name,
    )
    .await;
    match field_errors(result)? {
        Ok(()) => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("desk.helper_added"),
            );
            Ok(see_other(&format!("/manage/stops/{id}")))
        }
        Err(errors) => render_stop_page(&state, &page, &id, errors).await,
    }
}

pub async fn remove_desk_helper(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<HelperForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    desk::remove_helper(&state, &page.organizer, &id, &form.data.email).await?;
    Ok(see_other(&format!("/manage/stops/{id}")))
}
