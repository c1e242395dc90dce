use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::content::Translations;
use crate::domain::ids::VenueId;
use crate::domain::text;
use crate::error::{AppError, FieldErrors};
use crate::services::venues::{self, VenueInput};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::venues::{SuggestForm, VenueForm};
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
    let list = venues::list_venues(&state, Some(q.clone())).await?;
    Ok(html(crate::views::venues::list(&page.ctx, &list, &q)))
}

fn venue_input(form: &VenueForm, languages: &[String]) -> VenueInput {
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
        translations: Translations::new(languages, form.texts.input()),
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
    let result = venues::create_venue(
        &state,
        &page.organizer,
        venue_input(&form, &state.env.content_languages),
    )
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
    let id = page_id::<VenueId>(&id)?;
    let venue_page = venues::venue_page(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::venues::detail(&page.ctx, &venue_page)))
}

pub async fn edit_venue_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<VenueId>(&id)?;
    let (venue, texts) = venues::editable_venue(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::venues::form(
        &page.ctx,
        Some(&venue),
        &VenueForm::from_venue(&venue).with_texts(&texts),
        &FieldErrors::new(),
    )))
}

pub async fn edit_venue_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<VenueForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<VenueId>(&id)?;
    let form = form.data;
    let result = venues::update_venue(
        &state,
        &page.organizer,
        &id,
        venue_input(&form, &state.env.content_languages),
    )
    .await;
    match field_errors(result)? {
        Ok(venue) => {
            flash(&page.session, FlashKind::Success, page.ctx.t("form.saved"));
            Ok(see_other(&format!("/manage/venues/{}", venue.id)))
        }
        Err(errors) => {
            let venue = venues::get_venue(&state, &id).await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::venues::form(&page.ctx, Some(&venue), &form, &errors),
            ))
        }
    }
}

pub async fn suggest_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<VenueId>(&id)?;
    let venues::SuggestionTarget { venue, may_edit } =
        venues::suggestion_target(&state, &page.organizer, &id).await?;
    if may_edit {
        return Ok(see_other(&format!("/manage/venues/{}/edit", venue.id)));
    }
    let form = SuggestForm {
        venue: VenueForm::from_venue(&venue),
        message: String::new(),
    };
    Ok(html(crate::views::venues::suggest_form(
        &page.ctx,
        &venue,
        &form,
        &FieldErrors::new(),
    )))
}

pub async fn suggest_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<SuggestForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<VenueId>(&id)?;
    let form = form.data;
    // A suggestion proposes the venue's own fields (its form has no other languages).
    let (input, message) = (venue_input(&form.venue, &[]), form.message.clone());
    let result = venues::suggest_change(&state, &page.organizer, &id, input, message).await;
    match field_errors(result)? {
        Ok(sent_to) => {
            let key = match sent_to {
                venues::SuggestionSentTo::Creator => "venue.suggest_sent",
                venues::SuggestionSentTo::SiteAdmins => "venue.suggest_sent_admins",
            };
            flash(&page.session, FlashKind::Success, page.ctx.t(key));
            Ok(see_other(&format!("/manage/venues/{id}")))
        }
        Err(errors) => {
            let venue = venues::get_venue(&state, &id).await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::venues::suggest_form(&page.ctx, &venue, &form, &errors),
            ))
        }
    }
}

async fn render_copy(
    state: &AppState,
    page: &OrganizerPage,
    id: &VenueId,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let (venue, uses) = venues::copy_form(state, &page.organizer, id).await?;
    let status = crate::web::form_status(&errors);
    Ok(html_status(
        status,
        crate::views::venues::copy_form(&page.ctx, &venue, &uses, &errors),
    ))
}

pub async fn copy_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<VenueId>(&id)?;
    render_copy(&state, &page, &id, FieldErrors::new()).await
}

pub async fn copy_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<crate::web::session::Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<VenueId>(&id)?;
    let stop_ids = form.all("stop_ids");
    let result = venues::copy_venue(&state, &page.organizer, &id, stop_ids).await;
    match field_errors(result)? {
        Ok((copy, moved)) => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx
                    .tf("venue.copied", &[("moved", &moved.to_string())]),
            );
            Ok(see_other(&format!("/manage/venues/{}", copy.id)))
        }
        Err(errors) => render_copy(&state, &page, &id, errors).await,
    }
}
