//! Site admins manage organizer accounts.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::error::{AppError, FieldErrors};
use crate::models::organizer::Organizer;
use crate::services::accounts;
use crate::state::AppState;
use crate::views::manage::tours::OrganizerForm;
use crate::web::session::{CsrfForm, OrganizerPage};
use crate::web::{field_errors, html, html_status};

fn admin_only(page: &OrganizerPage) -> Result<(), AppError> {
    if page.organizer.is_admin {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only site admins manage organizer accounts",
        ))
    }
}

pub async fn organizer_list(
    state: web::Data<AppState>,
    page: OrganizerPage,
) -> Result<HttpResponse, AppError> {
    admin_only(&page)?;
    let list = state.db.run(|conn| Ok(Organizer::list(conn)?)).await?;
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
    admin_only(&page)?;
    let form = form.data;
    let (email, name, admin) = (form.email.clone(), form.name.clone(), form.admin.is_some());
    let (links, lang, me) = (
        state.env.links.clone(),
        page.ctx.lang,
        page.organizer.clone(),
    );
    let result = state
        .db
        .run(move |conn| {
            let account = accounts::check_account(&email, &name, None)?;
            accounts::add_invited_organizer(conn, &links, lang, &me, account, admin)
        })
        .await;
    let list_state = state.clone();
    let list = list_state.db.run(|conn| Ok(Organizer::list(conn)?)).await?;
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
