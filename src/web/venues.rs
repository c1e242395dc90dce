use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::text;
use crate::error::{AppError, FieldErrors};
use crate::models::venue::Venue;
use crate::services::venues::{self, VenueInput};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::venues::VenueForm;
use crate::web::session::{CsrfForm, OrganizerPage, flash};
use crate::web::{field_errors, html, html_status, page_id, see_other};

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

pub async fn venue_list(
    state: web::Data<AppState>,
    page: OrganizerPage,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner().q.unwrap_or_default();
    let term = q.clone();
    let list = state
        .db
        .run(move |conn| Ok(Venue::list(conn, Some(&term))?))
        .await?;
    Ok(html(crate::views::venues::list(&page.ctx, &list, &q)))
}

fn venue_input(form: &VenueForm) -> VenueInput {
    let capacity = (!form.capacity.trim().is_empty()).then(|| {
        text::parse_number(&form.capacity, 1, crate::domain::venue::MAX_CAPACITY).map(i64::from)
    });
    VenueInput {
        name: Some(form.name.clone()),
        city: Some(form.city.clone()),
        address: Some(form.address.clone()),
        directions: Some(form.directions.clone()),
        capacity,
        kind: Some(form.kind.clone()),
        cost: Some(form.cost.clone()),
        cost_note: Some(form.cost_note.clone()),
        contact: Some(form.contact.clone()),
        weekday_only: Some(form.weekday_only.is_some()),
        id_check_required: Some(form.id_check_required.is_some()),
        caveats: Some(form.caveats.clone()),
    }
}

pub async fn new_venue_form(page: OrganizerPage) -> HttpResponse {
    let form = VenueForm {
        kind: "other".into(),
        cost: "free".into(),
        ..VenueForm::default()
    };
    html(crate::views::venues::form(
        &page.ctx,
        None,
        &form,
        &FieldErrors::new(),
    ))
}

pub async fn new_venue_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    form: CsrfForm<VenueForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.data;
    let me = page.organizer.clone();
    let input = venue_input(&form);
    let result = state
        .db
        .run(move |conn| venues::create_venue(conn, &me, input))
        .await;
    match field_errors(result)? {
        Ok(venue) => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("venue.created"),
            );
            Ok(see_other(&format!("/manage/venues/{}", venue.id)))
        }
        Err(errors) => Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::views::venues::form(&page.ctx, None, &form, &errors),
        )),
    }
}

pub async fn venue_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let me = page.organizer.clone();
    let (venue, history, can_edit) = state
        .db
        .run(move |conn| {
            let venue = venues::get_venue(conn, &id)?;
            let history = venues::venue_history(conn, &me, &id)?;
            let can_edit = venues::can_edit_venue(conn, &me, &venue)?;
            Ok((venue, history, can_edit))
        })
        .await?;
    Ok(html(crate::views::venues::detail(
        &page.ctx, &venue, &history, can_edit,
    )))
}

pub async fn edit_venue_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let me = page.organizer.clone();
    let venue = state
        .db
        .run(move |conn| {
            let venue = venues::get_venue(conn, &id)?;
            if !venues::can_edit_venue(conn, &me, &venue)? {
                return Err(AppError::forbidden(
                    "only the venue's creator and the teams of tours held there may change it",
                ));
            }
            Ok(venue)
        })
        .await?;
    Ok(html(crate::views::venues::form(
        &page.ctx,
        Some(&venue),
        &VenueForm::from_venue(&venue),
        &FieldErrors::new(),
    )))
}

pub async fn edit_venue_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<VenueForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let form = form.data;
    let me = page.organizer.clone();
    let vid = id.clone();
    let input = venue_input(&form);
    let result = state
        .db
        .run(move |conn| venues::update_venue(conn, &me, &vid, input))
        .await;
    match field_errors(result)? {
        Ok(venue) => {
            flash(&page.session, FlashKind::Success, page.ctx.t("form.saved"));
            Ok(see_other(&format!("/manage/venues/{}", venue.id)))
        }
        Err(errors) => {
            let venue = state
                .db
                .run(move |conn| venues::get_venue(conn, &id))
                .await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::venues::form(&page.ctx, Some(&venue), &form, &errors),
            ))
        }
    }
}
