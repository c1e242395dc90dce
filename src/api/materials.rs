use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::domain::ids::{AgendaItemId, Id, StopId};
use crate::domain::stop::to_rfc3339;
use crate::error::{AppError, FieldCode};
use crate::http::path_id;
use crate::http::uploads;
use crate::models::material::{Material, MaterialKind};
use crate::services::materials::allowed_types;
use crate::services::materials::{self, NewMaterial, Uploader};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct MaterialJson {
    id: String,
    stop_id: String,
    agenda_item_id: Option<String>,
    kind: MaterialKind,
    status: String,
    title: String,
    file_name: Option<String>,
    content_type: Option<String>,
    size_bytes: Option<i64>,
    link_url: Option<String>,
    /// Where to download it.
    download_url: Option<String>,
    licence: String,
    people_consented: bool,
    received_at: Option<String>,
    published_at: Option<String>,
}

impl From<Material> for MaterialJson {
    fn from(m: Material) -> Self {
        MaterialJson {
            kind: m.kind(),
            download_url: (m.storage_key.is_some() || m.link_url.is_some())
                .then(|| format!("/materials/{}/download", m.id)),
            id: m.id,
            stop_id: m.stop_id,
            agenda_item_id: m.agenda_item_id,
            status: m.status.as_str().to_owned(),
            title: m.title,
            file_name: m.file_name,
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            link_url: m.link_url,
            licence: m.licence,
            people_consented: m.people_consented,
            received_at: m.received_at.map(to_rfc3339),
            published_at: m.published_at.map(to_rfc3339),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/stops/{id}/materials", tag = "materials", params(("id" = String, Path)),
    responses((status = 200, body = Vec<MaterialJson>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn list_materials(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let list = materials::list_materials(&state, &me, &id).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(MaterialJson::from).collect::<Vec<_>>()))
}

#[derive(Deserialize, ToSchema)]
pub struct MaterialLink {
    kind: MaterialKind,
    /// For slides: the delivery (agenda item) they belong to.
    agenda_item_id: Option<String>,
    title: Option<String>,
    link_url: String,
}

#[derive(MultipartForm)]
pub struct MaterialUpload {
    kind: Text<String>,
    agenda_item_id: Option<Text<String>>,
    title: Option<Text<String>>,
    file: TempFile,
}

/// Records a material given as a link.
#[utoipa::path(post, path = "/api/v1/stops/{id}/materials", tag = "materials", params(("id" = String, Path)), request_body = MaterialLink,
    responses((status = 201, body = MaterialJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson), (status = 413, body = ErrorJson), (status = 415, body = ErrorJson), (status = 422, body = ErrorJson)),
    security(("bearer" = [])))]
pub async fn add_material_link(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    ApiJson(b): ApiJson<MaterialLink>,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let input = NewMaterial {
        kind: b.kind,
        // As given: an id that names no slot is `slides_target`'s 404.
        agenda_item: b.agenda_item_id.map(AgendaItemId::from),
        title: b.title.unwrap_or_default(),
    };
    let m = materials::add_link(&state, &me, &id, input, b.link_url).await?;
    Ok(HttpResponse::Created().json(MaterialJson::from(m)))
}

/// Uploads a file (multipart: kind, agenda_item_id for slides, title, file). Files are
/// checked by content: slides PDF/ODP/PPTX/KEY, photos JPEG/PNG/WebP/ZIP, video MP4/WebM.
pub async fn upload_material(
    state: web::Data<AppState>,
    ApiCaller(me): ApiCaller,
    id: web::Path<String>,
    // Read only once the token is checked: a stranger's body is never spooled.
    upload: uploads::UploadBody,
) -> Result<HttpResponse, AppError> {
    let id = path_id::<StopId>(&id)?;
    let form: MaterialUpload = upload.read().await?;
    let kind = MaterialKind::parse(form.kind.trim()).ok_or_else(|| {
        AppError::invalid(
            "kind",
            FieldCode::InvalidChoice,
            format!("must be one of: {}", MaterialKind::choices()),
        )
    })?;
    // Checked before it reaches a query (a NUL in it would fail on PostgreSQL).
    let agenda_item_id = form
        .agenda_item_id
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            AgendaItemId::parse(t.trim()).ok_or_else(|| {
                AppError::invalid("agenda_item_id", FieldCode::Invalid, "is not a slot's id")
            })
        })
        .transpose()?;
    let input = NewMaterial {
        kind,
        agenda_item: agenda_item_id,
        title: form.title.map(|t| t.into_inner()).unwrap_or_default(),
    };
    // Check where it goes before storing anything.
    materials::check_upload(&state, &me, &id, input.agenda_item.as_ref()).await?;
    let stored = uploads::store(&state, form.file, allowed_types(kind)).await?;
    let content = stored.content(Uploader::Organizer(&me).label());
    // Stored, then recorded: `record_or_discard` removes the file if recording fails.
    let m = uploads::record_or_discard(
        &state,
        &stored,
        materials::record(&state, &me, &id, input, content),
    )
    .await?;
    Ok(HttpResponse::Created().json(MaterialJson::from(m)))
}
