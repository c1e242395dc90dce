//! Material collection pages and the tour report.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::domain::ids::{MaterialId, StopId, TourId, VolunteerId};
use crate::error::{AppError, FieldCode, FieldErrors};
use crate::http::uploads;
use crate::models::material::{Content, MaterialKind};
use crate::services::collection::{self, Handler};
use crate::services::report;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{self, CsrfForm, Empty, OrganizerPage, PageCtx, VolunteerSession, flash};
use crate::web::{html, html_status, page_id, see_other};

#[derive(MultipartForm)]
pub struct HandInForm {
    #[multipart(rename = "_csrf")]
    csrf: Text<String>,
    file: Option<TempFile>,
    link_url: Option<Text<String>>,
    body: Option<Text<String>>,
    licence: Option<Text<String>>,
    people_consented: Option<Text<String>>,
}

/// Stores what was handed in (a file, a link or a text) and records it; a refused file
/// leaves nothing behind.
async fn hand_in(
    state: &AppState,
    material: &MaterialId,
    who: Handler,
    form: HandInForm,
    uploaded_by: String,
) -> Result<(), AppError> {
    let kind = collection::target(state, material, &who).await?.kind();
    let (licence, consent) = collection::media_terms(
        kind,
        form.licence.as_ref().map(|t| t.as_str()).unwrap_or(""),
        form.people_consented.is_some(),
    )?;
    let file = form
        .file
        .filter(|f| f.size > 0 || f.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    let link = form
        .link_url
        .map(|t| t.into_inner())
        .filter(|l| !l.trim().is_empty());
    let body = form
        .body
        .map(|t| t.into_inner())
        .filter(|b| !b.trim().is_empty());
    match (file, link, body) {
        (Some(file), _, body) => {
            let stored =
                uploads::store(state, file, crate::services::materials::allowed_types(kind))
                    .await?;
            let mut content = stored.content(uploaded_by);
            content.licence = licence;
            content.people_consented = consent;
            content.body = body.unwrap_or_default();
            // Stored, then recorded: `record_or_discard` removes the file if recording fails.
            uploads::record_or_discard(
                state,
                &stored,
                collection::hand_in(state, material, &who, content),
            )
            .await?;
        }
        (None, Some(link), body) => {
            let mut content = crate::services::materials::link_content(&link, uploaded_by)?;
            content.licence = licence;
            content.people_consented = consent;
            content.body = body.unwrap_or_default();
            collection::hand_in(state, material, &who, content).await?;
        }
        (None, None, Some(body)) if kind == MaterialKind::Report => {
            let content: Content = collection::report_content(&body, uploaded_by)?;
            collection::hand_in(state, material, &who, content).await?;
        }
        _ => {
            return Err(AppError::invalid(
                "file",
                FieldCode::FileOrLinkRequired,
                "give a file, a link or (for the report) the text",
            ));
        }
    }
    Ok(())
}

// ----- organizers -----

async fn render_dashboard(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: &StopId,
    errors: FieldErrors,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let (stop, tour, list) = collection::stop_materials(state, &page.organizer, stop_id).await?;
    Ok(html_status(
        status,
        crate::views::materials::stop_dashboard(
            &page.ctx,
            &tour,
            &stop,
            &list,
            crate::db::now(),
            &errors,
        ),
    ))
}

pub async fn stop_dashboard(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    render_dashboard(
        &state,
        &page,
        &id,
        FieldErrors::new(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

pub async fn open_requests(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let n = collection::request_materials(&state, &page.organizer, &id).await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.tf("material.opened", &[("n", &n.to_string())]),
    );
    Ok(see_other(&format!("/manage/stops/{id}/materials")))
}

/// Organizers hand a material in. A refusal shows the page again with that material's
/// fields marked and why.
pub async fn organizer_hand_in(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    upload: uploads::UploadBody,
) -> Result<HttpResponse, AppError> {
    let (id, material) = path.into_inner();
    let (id, material) = (page_id::<StopId>(&id)?, page_id::<MaterialId>(&material)?);
    let by = format!("organizer:{}", page.organizer.email);
    let result = async {
        let form: HandInForm = upload.read().await?;
        session::check_csrf(&page.session, Some(form.csrf.as_str()))?;
        hand_in(
            &state,
            &material,
            Handler::Organizer(page.organizer.clone()),
            form,
            by,
        )
        .await
    }
    .await;
    match result {
        Ok(()) => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("material.received"),
            );
            Ok(see_other(&format!("/manage/stops/{id}/materials")))
        }
        Err(e) => match crate::web::upload_errors(&e, &material) {
            Some(errors) => render_dashboard(&state, &page, &id, errors, e.status()).await,
            None => Err(e),
        },
    }
}

pub async fn set_published(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, material, action) = path.into_inner();
    let (id, material) = (page_id::<StopId>(&id)?, page_id::<MaterialId>(&material)?);
    let publish = action == "publish";
    collection::set_published(&state, &page.organizer, &material, publish).await?;
    Ok(see_other(&format!("/manage/stops/{id}/materials")))
}

pub async fn tour_dashboard(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let (tour, per) = collection::tour_collection(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::materials::tour_dashboard(
        &page.ctx,
        &tour,
        &per,
        crate::db::now(),
    )))
}

// ----- volunteers -----

/// A volunteer hands in a material they own. A refusal shows their page again with that
/// material's fields marked and why.
pub async fn volunteer_hand_in(
    state: web::Data<AppState>,
    VolunteerSession {
        ctx,
        session,
        volunteer_id: volunteer,
    }: VolunteerSession,
    id: web::Path<String>,
    // Read only once the volunteer is known: a stranger's body is never spooled.
    upload: uploads::UploadBody,
) -> Result<HttpResponse, AppError> {
    let material = page_id::<MaterialId>(&id)?;
    let by = format!("volunteer:{volunteer}");
    let result = async {
        let form: HandInForm = upload.read().await?;
        session::check_csrf(&session, Some(form.csrf.as_str()))?;
        hand_in(
            &state,
            &material,
            Handler::Volunteer(volunteer.clone()),
            form,
            by,
        )
        .await
    }
    .await;
    match result {
        Ok(()) => {
            flash(&session, FlashKind::Success, ctx.t("material.received"));
            Ok(see_other("/volunteer"))
        }
        Err(e) => match crate::web::upload_errors(&e, &material) {
            Some(errors) => {
                let volunteer = VolunteerId::from(volunteer);
                let mut res =
                    crate::web::volunteers::render_own(&state, &ctx, &volunteer, errors).await?;
                *res.status_mut() = e.status();
                Ok(res)
            }
            None => Err(e),
        },
    }
}

// ----- the report -----

fn exported(
    report: &crate::read::report::Report,
    ext: &str,
    lang: crate::i18n::Lang,
) -> Result<HttpResponse, AppError> {
    let stem = format!("{}-report", report.tour.slug);
    if ext == "md" {
        return Ok(HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.md\""),
            ))
            .body(report::markdown(report, lang)));
    }
    let format = crate::export::Format::from_ext(ext).ok_or_else(|| AppError::not_found("page"))?;
    crate::http::table_download(&stem, format, &report::table(report))
}

pub async fn organizer_report(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<TourId>(&id)?;
    let r = report::for_organizer(&state, &page.organizer, &id).await?;
    Ok(html(crate::views::report::report(&page.ctx, &r, true)))
}

pub async fn organizer_export(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, ext) = path.into_inner();
    let id = page_id::<TourId>(&id)?;
    let r = report::for_organizer(&state, &page.organizer, &id).await?;
    exported(&r, &ext, page.ctx.lang)
}

pub async fn publish_report(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let id = page_id::<TourId>(&id)?;
    let publish = action == "publish";
    report::set_published(&state, &page.organizer, &id, publish).await?;
    Ok(see_other(&format!("/manage/tours/{id}/report")))
}

pub async fn public_report(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    crate::web::cached(&req, &state, &ctx, || async {
        let r = report::public(&state, slug).await?;
        use crate::cache::keys;
        let mut deps = vec![
            keys::report(&r.tour.id),
            keys::tour(&r.tour.id),
            keys::VENUES.to_owned(),
            keys::SPEAKERS.to_owned(),
        ];
        deps.extend(r.rows.iter().map(|row| keys::stop(&row.stop.id)));
        Ok((crate::views::report::report(&ctx, &r, false), deps))
    })
    .await
}

pub async fn public_export(
    state: web::Data<AppState>,
    lang: crate::i18n::Lang,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, ext) = path.into_inner();
    let r = report::public(&state, slug).await?;
    exported(&r, &ext, lang)
}
