//! Site admins manage organizer accounts.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::error::{AppError, FieldErrors};
use crate::services::accounts::{self, NewOrganizerInput};
use crate::state::AppState;
use crate::views::manage::tours::OrganizerForm;
use crate::web::session::{CsrfForm, OrganizerPage};
use crate::web::{field_errors, html, html_status};

pub async fn organizer_list(
    state: web::Data<AppState>,
    page: OrganizerPage,
) -> Result<HttpResponse, AppError> {
    let list = accounts::organizers(&state, &page.organizer).await?;
    Ok(html(crate::views::manage::tours::organizers(
        &page.ctx,
        &list,
        &OrganizerForm::default(),
        &FieldErrors::new(),
    )))
}

pub async fn add_organizer(
    state: web::Data<AppState>,
    page: OrganizerPage,
    form: CsrfForm<OrganizerForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.data;
    let input = NewOrganizerInput {
        email: form.email.clone(),
        name: form.name.clone(),
        is_admin: form.admin.is_some(),
    };
    let result =
        accounts::add_invited_organizer(&state, &page.organizer, page.ctx.lang, input).await;
    // The page shows the accounts as they are now, whether the new one was added or not.
    let list = accounts::organizers(&state, &page.organizer).await?;
    match field_errors(result)? {
        Ok(invited) => {
            let mut ctx = page.ctx.clone();
            ctx.flash.push(crate::views::Flash {
                kind: crate::views::FlashKind::Success,
                message: ctx.tf("team.invitation_sent", &[("email", &invited.email)]),
            });
            Ok(html(crate::views::manage::tours::organizers(
                &ctx,
                &list,
                &OrganizerForm::default(),
                &FieldErrors::new(),
            )))
        }
        Err(errors) => Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::views::manage::tours::organizers(&page.ctx, &list, &form, &errors),
        )),
    }
}
