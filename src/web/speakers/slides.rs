//! Slides and materials: a speaker hands in or removes the slides of a slot, and anyone
//! downloads what they may see.

use crate::domain::ids::{AgendaItemId, MaterialId};
use crate::error::{AppError, ErrorKind};
use crate::http::uploads;
use crate::services::materials::{self, Uploader};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{self, CsrfForm, Empty, PageCtx, SpeakerSession, flash};
use crate::web::{page_id, see_other};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_web::{HttpResponse, web};

use super::portal::render_errors;

#[derive(MultipartForm)]
pub struct SlidesForm {
    #[multipart(rename = "_csrf")]
    csrf: Text<String>,
    file: Option<TempFile>,
}

/// The speaker hands in (or replaces, once the page asked) the slides of a slot. A refused
/// file shows the page again with that slot's file field marked and why.
pub async fn upload_slides(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    // Read only once the speaker is known: extractors run side by side, so a body extractor
    // here would spool a stranger's upload while the session is being checked.
    upload: uploads::UploadBody,
) -> Result<HttpResponse, AppError> {
    let item_id = page_id::<AgendaItemId>(&id)?;
    let result = store_slides(&state, &s, item_id.clone(), upload).await;
    match result {
        Ok(replaced) => {
            let key = if replaced {
                "journeys.slides.replaced"
            } else {
                "speaker.uploaded"
            };
            flash(&s.session, FlashKind::Success, s.ctx.t(key));
            Ok(see_other("/speaker"))
        }
        Err(e) => match crate::web::upload_errors(&e, &item_id) {
            Some(errors) => render_errors(&state, &s, errors, e.status()).await,
            None => Err(e),
        },
    }
}

/// Checks, stores and records a slides upload; whether it replaced earlier slides.
async fn store_slides(
    state: &AppState,
    s: &SpeakerSession,
    item_id: AgendaItemId,
    upload: uploads::UploadBody,
) -> Result<bool, AppError> {
    let form: SlidesForm = upload.read().await?;
    session::check_csrf(&s.session, Some(form.csrf.as_str()))?;
    materials::check_slides(state, &s.speaker, &item_id).await?;
    let file = form.file.ok_or_else(materials::no_file)?;
    let stored = uploads::store(state, file, crate::files::SLIDES).await?;
    let content = stored.content(Uploader::Speaker(&s.speaker).label());
    let recorded = uploads::record_or_discard(
        state,
        &stored,
        materials::record_speaker_slides(state, &s.speaker, &item_id, content),
    )
    .await?;
    let replaced = recorded.replaced.is_some();
    if let Some(old) = recorded.replaced {
        crate::http::uploads::forget_file(state, &old).await;
    }
    Ok(replaced)
}

/// The speaker removes slides they handed in (the page asked first), until published.
pub async fn remove_slides(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<MaterialId>(&id)?;
    match materials::remove_own_slides(&state, &s.speaker, &id).await {
        Ok(key) => {
            if let Some(key) = key {
                crate::http::uploads::forget_file(&state, &key).await;
            }
            flash(
                &s.session,
                FlashKind::Success,
                s.ctx.t("journeys.slides.removed"),
            );
        }
        Err(e) if e.kind == ErrorKind::Conflict => flash(
            &s.session,
            FlashKind::Error,
            s.ctx.t("journeys.slides.published_hint"),
        ),
        Err(e) => return Err(e),
    }
    Ok(see_other("/speaker"))
}

/// A material's file (or link): published ones for anyone; others for the stop's organizers
/// and the talk's speakers.
pub async fn download(
    state: web::Data<AppState>,
    PageCtx(_, session): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<MaterialId>(&id)?;
    let who = session::identities(&state, &session).await?;
    let m = materials::downloadable(&state, &id, &who).await?;
    uploads::download(&state, &m).await
}
