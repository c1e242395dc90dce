use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::domain::content::Translations;
use crate::domain::ids::{OrganizerId, TourId};
use crate::domain::text;
use crate::error::{AppError, FieldErrors};
use crate::services::team::{self, MemberInput};
use crate::services::tours::{self, TourInput};
use crate::state::AppState;
use crate::views::manage::tours::{TourForm, TourPage};
use crate::views::{Ctx, FlashKind};
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{field_errors, html, html_status, page_id, see_other};

pub async fn dashboard(
    state: web::Data<AppState>,
    page: OrganizerPage,
) -> Result<HttpResponse, AppError> {
    let home = crate::services::dashboards::home(&state, &page.organizer).await?;
    Ok(html(crate::views::manage::tours::dashboard(
        &page.ctx, &home,
    )))
}

/// A page previewed by its team: never stored by a cache, never indexed.
pub(crate) fn preview_response(markup: maud::Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store, private"))
        .insert_header(("X-Robots-Tag", "noindex, nofollow"))
        .body(markup.into_string())
}

/// The tour's public page as it will look, for its team (404 for anyone else).
pub async fn preview_tour(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let tour = crate::services::preview::preview_tour(&state, &page.organizer, &id).await?;
    let back = format!("/manage/tours/{}", tour.tour.id);
    Ok(preview_response(crate::views::manage::tours::preview(
        &page.ctx,
        crate::views::public::tour(&page.ctx, &tour),
        &back,
    )))
}

/// A form's values as service input; a show rate that is not a number is reported as such.
fn tour_input(form: &TourForm, creating: bool, languages: &[String]) -> TourInput {
    let prior_show_rate = (!form.prior_show_rate.trim().is_empty())
        .then(|| text::parse_show_rate(&form.prior_show_rate));
    TourInput {
        name: Some(form.name.clone()),
        slug: (!creating || !form.slug.trim().is_empty()).then(|| form.slug.clone()),
        description: Some(form.description.clone()),
        contact_email: Some(Some(form.contact_email.clone())),
        prior_show_rate,
        cfp_opens_at: Some(date_field(&form.cfp_opens_on, false)),
        cfp_closes_at: Some(date_field(&form.cfp_closes_on, true)),
        translations: Translations::new(languages, form.texts.input()),
        ..TourInput::default()
    }
}

/// A date typed in a form as the start (or, for `end`, the end) of that day in UTC.
fn date_field(value: &str, end: bool) -> Option<chrono::NaiveDateTime> {
    let d = chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()?;
    if end {
        d.and_hms_opt(23, 59, 59)
    } else {
        d.and_hms_opt(0, 0, 0)
    }
}

pub async fn new_tour_form(page: OrganizerPage) -> HttpResponse {
    let form = TourForm {
        prior_show_rate: "0.5".into(),
        ..TourForm::default()
    };
    html(crate::views::manage::tours::tour_form(
        &page.ctx,
        None,
        &form,
        &FieldErrors::new(),
    ))
}

pub async fn new_tour_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    form: CsrfForm<TourForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.data;
    let result = tours::create_tour(
        &state,
        &page.organizer,
        tour_input(&form, true, &state.env.content_languages),
    )
    .await;
    match field_errors(result)? {
        Ok(tour) => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("tour.created"),
            );
            Ok(see_other(&format!("/manage/tours/{}", tour.id)))
        }
        Err(errors) => Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::views::manage::tours::tour_form(&page.ctx, None, &form, &errors),
        )),
    }
}

async fn render_tour_page(
    state: &AppState,
    ctx: &Ctx,
    page: &OrganizerPage,
    id: &TourId,
    member_errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let p = tours::tour_page(state, &page.organizer, id).await?;
    let status = crate::web::form_status(&member_errors);
    Ok(html_status(
        status,
        crate::views::manage::tours::tour_page(
            ctx,
            TourPage {
                tour: &p.tour,
                access: &p.access,
                stops: &p.stops,
                totals: &p.totals,
                team: &p.team,
                member_errors: &member_errors,
            },
        ),
    ))
}

pub async fn tour_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    render_tour_page(&state, &page.ctx, &page, &id, FieldErrors::new()).await
}

pub async fn edit_tour_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let (tour, texts) = tours::editable_tour(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::manage::tours::tour_form(
        &page.ctx,
        Some(&tour),
        &TourForm::from_tour(&tour, &texts),
        &FieldErrors::new(),
    )))
}

pub async fn edit_tour_submit(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<TourForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let form = form.data;
    let result = tours::update_tour(
        &state,
        &page.organizer,
        &id,
        tour_input(&form, false, &state.env.content_languages),
    )
    .await;
    match field_errors(result)? {
        Ok((tour, _)) => {
            flash(&page.session, FlashKind::Success, page.ctx.t("form.saved"));
            Ok(see_other(&format!("/manage/tours/{}", tour.id)))
        }
        Err(errors) => {
            let (tour, _) = tours::editable_tour(&state, &page.organizer, &id).await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::manage::tours::tour_form(&page.ctx, Some(&tour), &form, &errors),
            ))
        }
    }
}

pub async fn set_tour_status(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, status) = path.into_inner();
    let id = page_id::<TourId>(&id)?;
    let input = TourInput {
        status: Some(status),
        ..TourInput::default()
    };
    let (tour, _) = tours::update_tour(&state, &page.organizer, &id, input).await?;
    flash(&page.session, FlashKind::Success, page.ctx.t("form.saved"));
    Ok(see_other(&format!("/manage/tours/{}", tour.id)))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    email: String,
    role: String,
}

pub async fn add_member(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let stop_ids = form.all("stop_ids");
    let form = form.data;
    let input = MemberInput {
        email: form.email,
        role: form.role,
        stop_ids,
    };
    let result = team::put_member(&state, page.ctx.lang, &page.organizer, &id, input).await;
    match field_errors(result)? {
        Ok(added) => {
            let mut ctx = page.ctx.clone();
            ctx.flash.push(crate::views::Flash {
                kind: FlashKind::Success,
                message: ctx.tf("team.added", &[("email", &added.organizer.email)]),
            });
            if added.invited {
                ctx.flash.push(crate::views::Flash {
                    kind: FlashKind::Success,
                    message: ctx.tf("team.invitation_sent", &[("email", &added.organizer.email)]),
                });
            }
            render_tour_page(&state, &ctx, &page, &id, FieldErrors::new()).await
        }
        Err(errors) => render_tour_page(&state, &page.ctx, &page, &id, errors).await,
    }
}

pub async fn remove_member(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, organizer_id) = path.into_inner();
    let (id, organizer_id) = (
        page_id::<TourId>(&id)?,
        page_id::<OrganizerId>(&organizer_id)?,
    );
    team::remove_member(&state, &page.organizer, &id, &organizer_id).await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("team.removed"),
    );
    Ok(see_other(&format!("/manage/tours/{id}")))
}
