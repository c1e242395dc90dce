//! Materials: slides of each delivery of a talk (uploaded by its speakers or the organizers),
//! and the stop's report, photos and video. Files are checked by their content and kept in
//! the storage backend; a failed upload leaves nothing behind.

use std::path::Path;

use crate::db::DbConnection;
use crate::domain::text;
use crate::error::AppError;
use crate::files::{self, FileType};
use crate::models::access;
use crate::models::agenda::AgendaItem;
use crate::models::material::{Content, Material, MaterialKind, MaterialStatus};
use crate::models::organizer::Organizer;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::services::speakers;

/// Who hands a material in.
#[derive(Clone, Copy)]
pub enum Uploader<'a> {
    Speaker(&'a Speaker),
    Organizer(&'a Organizer),
}

impl Uploader<'_> {
    pub fn label(&self) -> String {
        match self {
            Uploader::Speaker(s) => format!("speaker:{}", s.email),
            Uploader::Organizer(o) => format!("organizer:{}", o.email),
        }
    }
}

/// A received file, checked: its type by content and a name safe to send back.
#[derive(Clone, Debug)]
pub struct CheckedFile {
    pub file_type: FileType,
    pub file_name: String,
    pub size: u64,
}

/// Checks an uploaded file before anything is stored.
pub fn check_file(
    path: &Path,
    declared_name: Option<&str>,
    size: u64,
    allowed: &[FileType],
    max_bytes: u64,
) -> Result<CheckedFile, AppError> {
    if size > max_bytes {
        return Err(AppError::too_large(format!(
            "files may be at most {} MiB",
            max_bytes / (1024 * 1024)
        )));
    }
    if size == 0 {
        return Err(AppError::invalid("file", "empty_file", "the file is empty"));
    }
    let file_type = files::sniff(path)
        .map_err(AppError::unexpected)?
        .filter(|t| allowed.contains(t))
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|t| t.ext).collect();
            AppError::unsupported_type(format!(
                "this file is not one of: {}",
                names.join(", ").to_uppercase()
            ))
        })?;
    // Named after what it is, not what it claims to be.
    let file_name = declared_name
        .and_then(|n| files::stored_name(n, file_type))
        .ok_or_else(|| {
            AppError::invalid(
                "file",
                "invalid_file_name",
                "the file name may not contain folders or start with a dot",
            )
        })?;
    Ok(CheckedFile {
        file_type,
        file_name,
        size,
    })
}

/// The storage key of a new file.
pub fn new_key(file_type: FileType) -> String {
    format!("materials/{}.{}", uuid::Uuid::new_v4(), file_type.ext)
}

/// The slot a slides upload is for, if the uploader may hand slides in for it.
pub fn slides_target(
    conn: &mut DbConnection,
    who: Uploader,
    agenda_item_id: &str,
) -> Result<(AgendaItem, Stop), AppError> {
    let item = match who {
        Uploader::Speaker(s) => speakers::own_item(conn, &s.id, agenda_item_id)?,
        Uploader::Organizer(o) => {
            let item = AgendaItem::find(conn, agenda_item_id)?
                .ok_or_else(|| AppError::not_found("slot"))?;
            access::stop_for(conn, o, &item.stop_id).map_err(|_| AppError::not_found("slot"))?;
            item
        }
    };
    if item.talk_id.is_none() {
        return Err(AppError::invalid(
            "agenda_item_id",
            "not_a_talk",
            "slides belong to a talk",
        ));
    }
    let stop = Stop::find(conn, &item.stop_id)?.ok_or_else(|| AppError::not_found("slot"))?;
    Ok((item, stop))
}

/// Records slides (a stored file or a link) for a slot: fills the open request if there is
/// one, else adds a received material.
pub fn record_slides(
    conn: &mut DbConnection,
    item: &AgendaItem,
    content: &Content,
) -> Result<Material, AppError> {
    let open = Material::for_item(conn, &item.id)?
        .into_iter()
        .find(|m| m.kind() == MaterialKind::Slides && m.status() == MaterialStatus::Requested);
    let material = match open {
        Some(m) => Material::receive(conn, &m.id, content)?,
        None => Material::insert_received(
            conn,
            &item.stop_id,
            Some(&item.id),
            MaterialKind::Slides,
            "",
            content,
        )?,
    };
    crate::services::collection::materials_changed(conn, &item.stop_id)?;
    Ok(material)
}

/// A link instead of a file (slides on a sharing site, a video).
pub fn link_content(url: &str, uploaded_by: String) -> Result<Content, AppError> {
    let url = text::web_url(url).map_err(|e| AppError::invalid("link_url", e.code, e.message))?;
    Ok(Content {
        link_url: Some(url),
        uploaded_by,
        ..Content::default()
    })
}

/// Who wants to download a material.
pub struct Viewer<'a> {
    pub organizer: Option<&'a Organizer>,
    pub speaker_id: Option<&'a str>,
}

/// A material the viewer may download: published ones by anyone (of a public stop);
/// others by the stop's organizers and the talk's speakers.
pub fn downloadable(
    conn: &mut DbConnection,
    material_id: &str,
    viewer: Viewer,
) -> Result<Material, AppError> {
    let m = Material::find(conn, material_id)?.ok_or_else(|| AppError::not_found("material"))?;
    if m.status() == MaterialStatus::Published
        && crate::services::stops::public_stop(conn, &m.stop_id).is_ok()
    {
        return Ok(m);
    }
    if let Some(o) = viewer.organizer
        && access::stop_for(conn, o, &m.stop_id).is_ok()
    {
        return Ok(m);
    }
    if let (Some(speaker_id), Some(item_id)) = (viewer.speaker_id, m.agenda_item_id.as_deref())
        && speakers::own_item(conn, speaker_id, item_id).is_ok()
    {
        return Ok(m);
    }
    Err(AppError::not_found("material"))
}
