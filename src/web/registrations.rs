//! The attendee's own pages (reached with the manage link) and the organizers' registration
//! list, export and people's history.

use actix_web::{HttpResponse, web};

use crate::domain::attendance::RegistrationStatus;
use crate::domain::ids::StopId;
use crate::error::AppError;
use crate::models::registration::RegistrationFilter;
use crate::services::registrations;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::registrations::ListQuery;
use crate::web::session::{CsrfForm, Empty, FormCtx, OrganizerPage, flash};
use crate::web::{html, page_id, see_other};

/// Manage links carry a 43-character secret; anything else is no page.
fn token_of(raw: &str) -> Result<String, AppError> {
    if raw.len() == 43
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(raw.to_owned())
    } else {
        Err(AppError::not_found("registration"))
    }
}

pub async fn manage_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    let own = registrations::own_registration(&state, &token).await?;
    Ok(html(crate::views::registrations::manage(
        &ctx,
        &token,
        &own.registration,
        &own.stop,
        own.waitlist_position,
        &own.qr,
    )))
}

pub async fn cancel(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    let was = registrations::cancel_by_link(&state, &token).await?;
    // A waitlisted person held no seat to free.
    let said = match was {
        RegistrationStatus::Waitlisted => "manage.left_waitlist",
        _ => "manage.cancelled_now",
    };
    flash(&session, FlashKind::Success, ctx.t(said));
    Ok(see_other(&format!("/r/{token}")))
}

/// "Make a new link": the old one dies, the browser goes on to the new one.
pub async fn new_link(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    // Each press e-mails the attendee: limited like other mailed links.
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    let token = token_of(&token)?;
    let fresh = registrations::new_link(&state, &token).await?;
    flash(
        &session,
        FlashKind::Success,
        ctx.t("people.manage.new_link_made"),
    );
    Ok(see_other(&format!("/r/{fresh}")))
}

pub async fn erase(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    registrations::erase(&state, &token).await?;
    Ok(html(crate::views::registrations::erased(&ctx)))
}

/// "Yes, I'm coming": recorded at once (opening the link twice changes nothing).
/// The "yes" link of the "still coming?" e-mail lands here: a button records the answer
/// (mail scanners open links, and their visit must not answer for the attendee).
pub async fn coming_yes_form(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    let (_, sc) = registrations::by_token(&state, &token).await?;
    Ok(html(crate::views::auth::link_landing(
        &ctx,
        &ctx.t("manage.coming_title"),
        &ctx.tf("manage.coming_lead", &[("stop", &sc.stop.city)]),
        &format!("/r/{token}/coming/yes"),
        &ctx.t("manage.coming_button"),
    )))
}

pub async fn coming_yes(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    registrations::still_coming(&state, &token, true).await?;
    flash(&session, FlashKind::Success, ctx.t("manage.said_yes"));
    Ok(see_other(&format!("/r/{token}")))
}

pub async fn coming_no_form(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    let (_, sc) = registrations::by_token(&state, &token).await?;
    Ok(html(crate::views::registrations::confirm_not_coming(
        &ctx, &token, &sc,
    )))
}

pub async fn coming_no(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    registrations::still_coming(&state, &token, false).await?;
    flash(&session, FlashKind::Success, ctx.t("manage.cancelled_now"));
    Ok(see_other(&format!("/r/{token}")))
}

pub async fn calendar(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(&token)?;
    let ics = registrations::calendar(&state, &token).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"roadshow.ics\"",
        ))
        .body(ics))
}

fn filter_of(q: &ListQuery) -> RegistrationFilter {
    RegistrationFilter {
        status: RegistrationStatus::parse(&q.status),
        checked_in: match q.checked_in.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        volunteers_only: !q.volunteers.is_empty(),
        search: (!q.q.trim().is_empty()).then(|| q.q.clone()),
    }
}

pub async fn list(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let query = query.into_inner();
    let list = registrations::list(&state, &page.organizer, &id, filter_of(&query)).await?;
    Ok(html(crate::views::registrations::list(
        &page.ctx, &list.tour, &list.stop, &list.rows, &query, true,
    )))
}

pub async fn csv(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    download(state, page, id, query, crate::export::Format::Csv).await
}

/// The same list as `csv`, as an Excel workbook.
pub async fn xlsx(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    download(state, page, id, query, crate::export::Format::Xlsx).await
}

async fn download(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
    format: crate::export::Format,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let list = registrations::list(&state, &page.organizer, &id, filter_of(&query)).await?;
    let table =
        crate::export::registrations(&list.rows.iter().map(|(r, n)| (r, *n)).collect::<Vec<_>>());
    crate::http::table_download("registrations", format, &table)
}

#[derive(serde::Deserialize)]
pub struct PersonQuery {
    email: Option<String>,
}

pub async fn person(
    state: web::Data<AppState>,
    page: OrganizerPage,
    query: web::Query<PersonQuery>,
) -> Result<HttpResponse, AppError> {
    let email = query.into_inner().email.unwrap_or_default();
    // The page opens empty, with the search field.
    let rows = if email.trim().is_empty() {
        Vec::new()
    } else {
        registrations::person_history(&state, &page.organizer, &email).await?
    };
    Ok(html(crate::views::registrations::person(
        &page.ctx, &email, &rows,
    )))
}
