use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::stop::{Affected, StopStatus, local_to_utc, timezone};
use crate::domain::text;
use crate::error::{AppError, FieldError, FieldErrors};
use crate::models::venue::Venue;
use crate::services::access;
use crate::services::stops::{self, StopInput};
use crate::services::{desk, lifecycle, registrations, venue_switch};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::manage::stops::{CancelPage, CloneForm, StopForm, StopPage};
use crate::web::session::{CsrfForm, Empty, OrganizerPage, flash};
use crate::web::{field_errors, html, html_status, page_id_text, see_other};

/// Local times are read in the chosen zone; if the zone is wrong, that is the error shown.
fn local_time(
    value: &str,
    tz: Result<chrono_tz::Tz, FieldError>,
) -> Result<chrono::NaiveDateTime, FieldError> {
    let tz = tz?;
    local_to_utc(value, tz)
}

/// An optional whole number typed into a form: empty is "none".
fn optional_number(value: &str) -> Result<Option<i64>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        text::parse_number(value, 0, i64::from(i32::MAX)).map(|n| Some(i64::from(n)))
    }
}

fn stop_input(form: &StopForm, creating: bool) -> StopInput {
    let tz = timezone(&form.timezone);
    let show_rate = if form.show_rate.trim().is_empty() {
        Ok(None)
    } else {
        text::parse_show_rate(&form.show_rate).map(Some)
    };
    StopInput {
        city: Some(form.city.clone()),
        starts_at: Some(local_time(&form.starts_at, tz.clone())),
        ends_at: Some(local_time(&form.ends_at, tz)),
        timezone: Some(form.timezone.clone()),
        venue_id: Some(form.venue_id.clone()),
        backup_venue_ids: creating.then(|| form.backups()),
        capacity: Some(optional_number(&form.capacity)),
        show_rate: Some(show_rate),
        livestream_url: Some(Some(form.livestream_url.clone())),
        online_viewers: (!creating).then(|| optional_number(&form.online_viewers)),
        status: None,
    }
}

#[derive(Deserialize)]
pub struct FromQuery {
    from: Option<String>,
}

/// The time zone of a stop the organizer runs: the one times typed on its forms are in
/// (the agenda builder's and the tasks' forms too).
pub(crate) async fn stop_tz(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: &str,
) -> Result<chrono_tz::Tz, AppError> {
    let (me, id) = (page.organizer.clone(), stop_id.to_owned());
    state
        .db
        .run(move |conn| Ok(access::stop_for(conn, &me, &id)?.0.tz()))
        .await
}

pub async fn new_stop_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<FromQuery>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let me = page.organizer.clone();
    let from = query
        .into_inner()
        .from
        .map(|f| page_id_text(&f))
        .transpose()?;
    let (tour, venues, source) = state
        .db
        .run(move |conn| {
            let (tour, _) = access::editable_tour(conn, &me, &id)?;
            let source = match from {
                Some(f) => Some(stops::stop_detail(conn, &me, &f)?.0),
                None => None,
            };
            Ok((tour, Venue::list(conn, None)?, source))
        })
        .await?;
    Ok(html(match source {
        Some(source) => crate::views::manage::stops::clone_form(
            &page.ctx,
            &tour,
            &source,
            &CloneForm::default(),
            &FieldErrors::new(),
        ),
        None => crate::views::manage::stops::stop_form(
            &page.ctx,
            &tour,
            None,
            &venues,
            &StopForm::default(),
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
    let id = page_id_text(&id)?;
    let form = form.data;
    let clone = CloneForm {
        from: form.from.clone(),
        starts_at: form.starts_at.clone(),
        ends_at: form.ends_at.clone(),
    };
    let me = page.organizer.clone();
    let tid = id.clone();
    let result = if clone.from.is_empty() {
        let input = stop_input(&form, true);
        state
            .db
            .run(move |conn| stops::create_stop(conn, &me, &tid, input))
            .await
    } else {
        let from = page_id_text(&clone.from)?;
        let (starts, ends) = (clone.starts_at.clone(), clone.ends_at.clone());
        state
            .db
            .run(move |conn| {
                let (source, _, _) = stops::stop_detail(conn, &me, &from)?;
                let tz = source.stop.tz();
                stops::clone_stop(
                    conn,
                    &me,
                    &from,
                    local_to_utc(&starts, tz),
                    local_to_utc(&ends, tz),
                )
            })
            .await
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
            let me = page.organizer.clone();
            let from = (!clone.from.is_empty())
                .then(|| page_id_text(&clone.from))
                .transpose()?;
            let (tour, venues, source) = state
                .db
                .run(move |conn| {
                    let (tour, _) = access::editable_tour(conn, &me, &id)?;
                    let source = match from {
                        Some(f) => Some(stops::stop_detail(conn, &me, &f)?.0),
                        None => None,
                    };
                    Ok((tour, Venue::list(conn, None)?, source))
                })
                .await?;
            let markup = match source {
                Some(source) => crate::views::manage::stops::clone_form(
                    &page.ctx, &tour, &source, &clone, &errors,
                ),
                None => crate::views::manage::stops::stop_form(
                    &page.ctx, &tour, None, &venues, &form, &errors, None,
                ),
            };
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, markup))
        }
    }
}

async fn render_stop_page(
    state: &AppState,
    page: &OrganizerPage,
    id: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let me = page.organizer.clone();
    let env = state.env.clone();
    let (detail, tour, access, venues, stats, timeline, switches, helpers) = state
        .db
        .run(move |conn| {
            let (detail, tour, access) = stops::stop_detail(conn, &me, &id)?;
            let sc = crate::services::stop_context::StopContext::load(conn, &id)?;
            let stats = registrations::stats_for(conn, &env, &sc)?;
            let timeline = registrations::timeline(conn, &sc.stop)?;
            let switches = venue_switch::switches(conn, &me, &id)?;
            let helpers = desk::helpers(conn, &me, &id)?;
            Ok((
                detail,
                tour,
                access,
                Venue::list(conn, None)?,
                stats,
                timeline,
                switches,
                helpers,
            ))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_status(
        status,
        crate::views::manage::stops::stop_page(
            &page.ctx,
            StopPage {
                tour: &tour,
                access: &access,
                detail: &detail,
                venues: &venues,
                errors: &errors,
                stats: &stats,
                timeline: &timeline,
                switches: &switches,
                helpers: &helpers,
            },
        ),
    ))
}

pub async fn stop_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    render_stop_page(&state, &page, id, FieldErrors::new()).await
}

pub async fn edit_stop_form(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    render_edit_form(&state, &page, id, None, &FieldErrors::new(), None).await
}

/// The edit form: as the stop is (`form` None), or again with what was typed and the
/// errors, or (`moving`) asking before a new time is mailed.
async fn render_edit_form(
    state: &AppState,
    page: &OrganizerPage,
    id: String,
    form: Option<&StopForm>,
    errors: &FieldErrors,
    moving: Option<&Affected>,
) -> Result<HttpResponse, AppError> {
    let me = page.organizer.clone();
    let (detail, tour, venues) = state
        .db
        .run(move |conn| {
            let (detail, tour, _) = stops::stop_detail(conn, &me, &id)?;
            Ok((detail, tour, Venue::list(conn, None)?))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let as_it_is;
    let form = match form {
        Some(f) => f,
        None => {
            as_it_is = StopForm::from_stop(&detail);
            &as_it_is
        }
    };
    Ok(html_status(
        status,
        crate::views::manage::stops::stop_form(
            &page.ctx,
            &tour,
            Some(&detail.stop),
            &venues,
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
    let id = page_id_text(&id)?;
    let form = form.data;
    let input = stop_input(&form, false);
    if form.confirm_times != form.times() {
        let new_time = |t: &Option<Result<chrono::NaiveDateTime, FieldError>>| {
            t.as_ref().and_then(|t| t.as_ref().ok().copied())
        };
        let (starts_at, ends_at) = (new_time(&input.starts_at), new_time(&input.ends_at));
        let (me, sid) = (page.organizer.clone(), id.clone());
        let moving = state
            .db
            .run(move |conn| lifecycle::move_preview(conn, &me, &sid, starts_at, ends_at))
            .await?;
        if let Some(affected) = moving {
            return render_edit_form(
                &state,
                &page,
                id,
                Some(&form),
                &FieldErrors::new(),
                Some(&affected),
            )
            .await;
        }
    }
    let (me, sid, env) = (page.organizer.clone(), id.clone(), state.env.clone());
    let message = form.message.clone();
    let result = state
        .db
        .run(move |conn| stops::update_stop_telling(conn, &env, &me, &sid, input, &message))
        .await;
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
        Err(errors) => render_edit_form(&state, &page, id, Some(&form), &errors, None).await,
    }
}

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
    id: String,
    message: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let (me, env, lang) = (page.organizer.clone(), state.env.clone(), page.ctx.lang);
    let p = state
        .db
        .run(move |conn| lifecycle::cancel_preview(conn, &env, &me, &id, &message, lang))
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
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
    let id = page_id_text(&id)?;
    if StopStatus::parse(&status) != Some(StopStatus::Cancelled) {
        let me = page.organizer.clone();
        let sid = id.clone();
        state
            .db
            .run(move |conn| stops::stop_detail(conn, &me, &sid).map(|_| ()))
            .await?;
        return Ok(see_other(&format!("/manage/stops/{id}")));
    }
    render_cancel_page(&state, &page, id, String::new(), FieldErrors::new()).await
}

pub async fn set_stop_status(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    form: CsrfForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let (id, status) = path.into_inner();
    let id = page_id_text(&id)?;
    let form = form.data;
    let cancelling = StopStatus::parse(&status) == Some(StopStatus::Cancelled);
    // A cancellation e-mails everyone concerned: it happens only from its own page's button.
    if cancelling && form.action != "confirm" {
        return render_cancel_page(&state, &page, id, form.message, FieldErrors::new()).await;
    }
    let me = page.organizer.clone();
    let sid = id.clone();
    let input = StopInput {
        status: Some(status),
        ..StopInput::default()
    };
    let env = state.env.clone();
    let message = form.message.clone();
    match field_errors(
        state
            .db
            .run(move |conn| stops::update_stop_telling(conn, &env, &me, &sid, input, &message))
            .await,
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
            render_cancel_page(&state, &page, id, form.message, errors).await
        }
        Err(errors) => render_stop_page(&state, &page, id, errors).await,
    }
}

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
    let id = page_id_text(&id)?;
    let me = page.organizer.clone();
    let (sid, venue_id) = (id.clone(), form.data.venue_id);
    match field_errors(
        state
            .db
            .run(move |conn| stops::add_backup(conn, &me, &sid, &venue_id))
            .await,
    )? {
        Ok(()) => Ok(see_other(&format!("/manage/stops/{id}"))),
        Err(errors) => render_stop_page(&state, &page, id, errors).await,
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
    let (id, venue_id) = (page_id_text(&id)?, page_id_text(&venue_id)?);
    let me = page.organizer.clone();
    let sid = id.clone();
    state
        .db
        .run(move |conn| match action.as_str() {
            "up" => stops::move_backup(conn, &me, &sid, &venue_id, -1),
            "down" => stops::move_backup(conn, &me, &sid, &venue_id, 1),
            "remove" => stops::remove_backup(conn, &me, &sid, &venue_id),
            _ => Err(AppError::not_found("page")),
        })
        .await?;
    Ok(see_other(&format!("/manage/stops/{id}")))
}

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
    let id = page_id_text(&id)?;
    let me = page.organizer.clone();
    let sid = id.clone();
    let form = form.data;
    match field_errors(
        state
            .db
            .run(move |conn| stops::add_supporter(conn, &me, &sid, &form.name, &form.contribution))
            .await,
    )? {
        Ok(_) => Ok(see_other(&format!("/manage/stops/{id}"))),
        Err(errors) => render_stop_page(&state, &page, id, errors).await,
    }
}

pub async fn remove_supporter(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, supporter_id) = path.into_inner();
    let (id, supporter_id) = (page_id_text(&id)?, page_id_text(&supporter_id)?);
    let me = page.organizer.clone();
    let sid = id.clone();
    state
        .db
        .run(move |conn| stops::remove_supporter(conn, &me, &sid, &supporter_id))
        .await?;
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
    let id = page_id_text(&id)?;
    let form = form.data;
    let (me, env, sid) = (page.organizer.clone(), state.env.clone(), id.clone());
    let result = state
        .db
        .run(move |conn| {
            venue_switch::switch_venue(conn, &env, &me, &sid, Some(&form.venue_id), &form.reason)
        })
        .await;
    match field_errors(result)? {
        Ok(_) => {
            flash(&page.session, FlashKind::Success, page.ctx.t("switch.done"));
            Ok(see_other(&format!("/manage/stops/{id}")))
        }
        Err(errors) => render_stop_page(&state, &page, id, errors).await,
    }
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
    let id = page_id_text(&id)?;
    let form = form.data;
    let (me, env, sid, lang) = (
        page.organizer.clone(),
        state.env.clone(),
        id.clone(),
        page.ctx.lang,
    );
    let result = state
        .db
        .run(move |conn| desk::add_helper(conn, &env, lang, &me, &sid, &form.email, &form.name))
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
        Err(errors) => render_stop_page(&state, &page, id, errors).await,
    }
}

pub async fn remove_desk_helper(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<HelperForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let (me, sid, email) = (page.organizer.clone(), id.clone(), form.data.email);
    state
        .db
        .run(move |conn| desk::remove_helper(conn, &me, &sid, &email))
        .await?;
    Ok(see_other(&format!("/manage/stops/{id}")))
}
