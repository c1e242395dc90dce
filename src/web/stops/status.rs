//! A stop's status changes: one button on its page, but a cancellation first shows what
//! it would do (it e-mails everyone concerned).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pages::render_stop_page;
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::error::{AppError, FieldErrors};
use crate::services::lifecycle;
use crate::services::stops::{self, StopInput};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::manage::stops::CancelPage;
use crate::web::session::{CsrfForm, OrganizerPage, flash};
use crate::web::{field_errors, html_status, page_id, see_other};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    /// "confirm" does it; anything else shows what it would do.
    action: String,
    /// To the people told of a cancellation.
    message: String,
}

/// What cancelling would do, with the button that does it.
async fn render_cancel_page(
    state: &AppState,
    page: &OrganizerPage,
    id: &StopId,
    message: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let p = lifecycle::cancel_preview(state, &page.organizer, id, message, page.ctx.lang).await?;
    let status = crate::web::form_status(&errors);
    Ok(html_status(
        status,
        crate::views::manage::stops::cancel_stop(
            &page.ctx,
            CancelPage {
                tour: &p.tour,
                detail: &p.detail,
                affected: &p.affected,
                message: &p.message,
                sample: (&p.sample.0, &p.sample.1),
                errors: &errors,
            },
        ),
    ))
}

/// The page a status change asks from: only a cancellation asks (the others are one
/// button on the stop's page, which this leads back to).
pub async fn stop_status_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, status) = path.into_inner();
    let id = page_id::<StopId>(&id)?;
    if StopStatus::parse(&status) != Some(StopStatus::Cancelled) {
        // Still one of the caller's stops (404 otherwise).
        stops::stop_detail(&state, &page.organizer, &id).await?;
        return Ok(see_other(&format!("/manage/stops/{id}")));
    }
    render_cancel_page(&state, &page, &id, String::new(), FieldErrors::new()).await
}

pub async fn set_stop_status(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    form: CsrfForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let (id, status) = path.into_inner();
    let id = page_id::<StopId>(&id)?;
    let form = form.data;
    let cancelling = StopStatus::parse(&status) == Some(StopStatus::Cancelled);
    // A cancellation e-mails everyone concerned: it happens only from its own page's button.
    if cancelling && form.action != "confirm" {
        return render_cancel_page(&state, &page, &id, form.message, FieldErrors::new()).await;
    }
    let input = StopInput {
        status: Some(status),
        ..StopInput::default()
    };
    let message = form.message.clone();
    match field_errors(
        stops::update_stop_telling(&state, &page.organizer, &id, input, message).await,
    )? {
        Ok(updated) => {
            let text = if cancelling {
                page.ctx
                    .lang
                    .tn("lifecycle.cancel.done", updated.told as i64, &[])
            } else {
                page.ctx.t("form.saved").into_owned()
            };
            flash(&page.session, FlashKind::Success, text);
            Ok(see_other(&format!("/manage/stops/{id}")))
        }
        Err(errors) if cancelling => {
            render_cancel_page(&state, &page, &id, form.message, errors).await
        }
        Err(errors) => render_stop_page(&state, &page, &id, errors).await,
    }
}
