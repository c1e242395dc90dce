use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiCaller;
use crate::api::extract::ApiJson;
use crate::api::openapi::ErrorJson;
use crate::domain::stop::to_rfc3339;
use crate::error::{AppError, FieldCode};
use crate::http::path_id_text;
use crate::http::uploads;
use crate::models::material::{Content, Material, MaterialKind};
use crate::services::access;
use crate::services::materials::allowed_types;
use crate::services::materials::{self, Uploader};
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
    let id = path_id_text(&id, "stop")?;
    let list = state
        .db
        .run(move |conn| {
            access::stop_for(conn, &me, &id)?;
            Ok(Material::for_stop(conn, &id)?)
        })
        .await?;
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
    let id = path_id_text(&id, "stop")?;
    let m = state
        .db
        .run(move |conn| {
            let content = materials::link_content(&b.link_url, Uploader::Organizer(&me).label())?;
            record(
                conn,
                &me,
                &id,
                b.kind,
                b.agenda_item_id.as_deref(),
                b.title.as_deref().unwrap_or(""),
                &content,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(MaterialJson::from(m)))
}

fn record(
    conn: &mut crate::db::DbConnection,
    me: &crate::models::organizer::Organizer,
    stop_id: &str,
    kind: MaterialKind,
    agenda_item_id: Option<&str>,
    title: &str,
    content: &Content,
) -> Result<Material, AppError> {
    let (stop, _, _) = access::stop_for(conn, me, stop_id)?;
    let title = crate::domain::text::optional_line(title, 200)
        .map_err(|e| AppError::invalid("title", e.code, e.message))?;
    match (kind, agenda_item_id) {
        (MaterialKind::Slides, Some(item_id)) => {
            let (item, item_stop) =
                materials::slides_target(conn, Uploader::Organizer(me), item_id)?;
            if item_stop.id != stop.id {
                return Err(AppError::invalid(
                    "agenda_item_id",
                    FieldCode::UnknownItem,
                    "this slot is not at this stop",
                ));
            }
            Ok(materials::record_slides(conn, Uploader::Organizer(me), &item, content)?.material)
        }
        (MaterialKind::Slides, None) => Err(AppError::invalid(
            "agenda_item_id",
            FieldCode::Required,
            "slides belong to a slot of the agenda",
        )),
        (kind, _) => Ok(Material::insert_received(
            conn, &stop.id, None, kind, &title, content,
        )?),
    }
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
    let id = path_id_text(&id, "stop")?;
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
            uuid::Uuid::parse_str(t.trim())
                .map(|u| u.to_string())
                .map_err(|_| {
                    AppError::invalid("agenda_item_id", FieldCode::Invalid, "is not a slot's id")
                })
        })
        .transpose()?;
    let title = form.title.map(|t| t.into_inner()).unwrap_or_default();
    // Check where it goes before storing anything.
    {
        let (me, id, item) = (me.clone(), id.clone(), agenda_item_id.clone());
        state
            .db
            .run(move |conn| {
                access::stop_for(conn, &me, &id)?;
                if let Some(item) = item {
                    materials::slides_target(conn, Uploader::Organizer(&me), &item)?;
                }
                Ok(())
            })
            .await?;
    }
    let stored = uploads::store(&state, form.file, allowed_types(kind)).await?;
    let content = stored.content(Uploader::Organizer(&me).label());
    let m = uploads::record_or_discard(&state, &stored, move |conn| {
        record(
            conn,
            &me,
            &id,
            kind,
            agenda_item_id.as_deref(),
            &title,
            &content,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(MaterialJson::from(m)))
}
