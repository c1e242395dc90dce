//! Materials: slides of each delivery of a talk (uploaded by its speakers or the organizers),
//! and the stop's report, photos and video. Files are checked by their content and kept in
//! the storage backend; a failed upload leaves nothing behind.

use std::path::Path;

use crate::db::DbConnection;
use crate::domain::ids::{AgendaItemId, MaterialId, StopId};
use crate::domain::text;
use crate::error::{AppError, ErrorCode, FieldCode, FieldError};
use crate::files::{self, FileType};
use crate::models::agenda::AgendaItem;
use crate::models::material::{Content, Material, MaterialKind, MaterialRequest, MaterialStatus};
use crate::models::organizer::Organizer;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::Talk;
use crate::services::access;
use crate::services::caller::Caller;
use crate::services::context::Context;
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

/// An error about the uploaded file, naming the field `file` (pages mark it).
fn file_error(mut e: AppError, code: FieldCode, message: &str) -> AppError {
    e.fields.insert(
        "file".into(),
        FieldError {
            code,
            message: message.to_owned(),
        },
    );
    e
}

/// The file types accepted for each kind of material.
pub fn allowed_types(kind: MaterialKind) -> &'static [FileType] {
    match kind {
        MaterialKind::Slides => files::SLIDES,
        MaterialKind::Photos => &[files::JPEG, files::PNG, files::WEBP, files::ZIP],
        MaterialKind::Video => &[files::MP4, files::WEBM],
        MaterialKind::Report => &[files::PDF],
        MaterialKind::Other => &[files::PDF, files::ZIP, files::JPEG, files::PNG],
    }
}

/// What to tell someone whose file is none of the `allowed` types: a code (pages translate
/// it as `field_error.<code>`) and the English message (for the API).
fn refusal(allowed: &[FileType]) -> (FieldCode, &'static str) {
    if allowed == files::SLIDES {
        (
            FieldCode::NotSlides,
            "This file is not a PDF, PowerPoint, Keynote or OpenDocument presentation",
        )
    } else if allowed == [files::JPEG, files::PNG, files::WEBP, files::ZIP] {
        (
            FieldCode::NotPhotos,
            "This file is not a JPEG, PNG or WebP picture, or a ZIP of pictures",
        )
    } else if allowed == [files::MP4, files::WEBM] {
        (FieldCode::NotVideo, "This file is not an MP4 or WebM video")
    } else if allowed == [files::PDF] {
        (FieldCode::NotPdf, "This file is not a PDF")
    } else {
        (
            FieldCode::FileTypeRefused,
            "This kind of file is not taken here: use a PDF, a ZIP, or a JPEG or PNG picture",
        )
    }
}

/// No file was chosen (or the browser sent an empty, nameless one).
pub fn no_file() -> AppError {
    AppError::invalid("file", FieldCode::FileRequired, "choose a file")
}

/// Checks an uploaded file before anything is stored. Every refusal names the field `file`
/// and says what is wrong: 413 too large, 422 empty or badly named, 415 not of a type taken.
pub fn check_file(
    path: &Path,
    declared_name: Option<&str>,
    size: u64,
    allowed: &[FileType],
    max_bytes: u64,
) -> Result<CheckedFile, AppError> {
    if size > max_bytes {
        let message = format!("files may be at most {} MiB", max_bytes / (1024 * 1024));
        return Err(file_error(
            AppError::too_large(&message),
            FieldCode::FileTooLarge,
            &message,
        ));
    }
    if size == 0 {
        if declared_name.is_none_or(|n| n.trim().is_empty()) {
            return Err(no_file());
        }
        return Err(AppError::invalid(
            "file",
            FieldCode::EmptyFile,
            "the file is empty",
        ));
    }
    let file_type = files::sniff(path)
        .map_err(AppError::unexpected)?
        .filter(|t| allowed.contains(t))
        .ok_or_else(|| {
            let (code, message) = refusal(allowed);
            file_error(AppError::unsupported_type(message), code, message)
        })?;
    // Named after what it is, not what it claims to be.
    let file_name = declared_name
        .and_then(|n| files::stored_name(n, file_type))
        .ok_or_else(|| {
            AppError::invalid(
                "file",
                FieldCode::InvalidFileName,
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
            FieldCode::NotATalk,
            "slides belong to a talk",
        ));
    }
    let stop = Stop::find(conn, &item.stop_id)?.ok_or_else(|| AppError::not_found("slot"))?;
    Ok((item, stop))
}

/// What recording slides did.
pub struct Recorded {
    pub material: Material,
    /// The stored file these slides replaced, to delete once the change is committed.
    pub replaced: Option<String>,
}

/// Records slides (a stored file or a link) for a slot. A slot has one slides material: the
/// open request is filled, an earlier upload is replaced (its speaker was asked first), or a
/// new one is made. Either way it keeps its talk's title and its speaker (the uploader, or
/// the talk's first speaker when organizers hand it in), so the request opened when the stop
/// ends finds it and asks nobody again. Published slides are not replaced behind the
/// organizers' back: they unpublish first.
pub fn record_slides(
    conn: &mut DbConnection,
    who: Uploader,
    item: &AgendaItem,
    content: &Content,
) -> Result<Recorded, AppError> {
    let talk = match &item.talk_id {
        Some(id) => Talk::find(conn, id)?,
        None => None,
    };
    let owner = match who {
        Uploader::Speaker(s) => Some(s.id.clone()),
        Uploader::Organizer(_) => AgendaItem::speaker_ids(conn, item)?.into_iter().next(),
    };
    let slides: Vec<Material> = Material::for_item(conn, &item.id)?
        .into_iter()
        .filter(|m| m.kind() == MaterialKind::Slides)
        .collect();
    if slides
        .iter()
        .any(|m| m.status() == MaterialStatus::Published)
    {
        return Err(file_error(
            AppError::conflict(
                ErrorCode::AlreadyPublished,
                "these slides are published: ask the organizers to unpublish them first",
            ),
            FieldCode::AlreadyPublished,
            "these slides are published: ask the organizers to unpublish them first",
        ));
    }
    let title = talk.map(|t| t.title).unwrap_or_default();
    let (target, replaced) = match slides.last() {
        Some(m) => (
            m.id.clone(),
            m.storage_key
                .clone()
                .filter(|k| Some(k) != content.storage_key.as_ref()),
        ),
        None => (
            Material::request(
                conn,
                &MaterialRequest {
                    stop_id: &item.stop_id,
                    agenda_item_id: Some(&item.id),
                    kind: MaterialKind::Slides,
                    title: &title,
                    owner_speaker_id: owner.as_deref(),
                    owner_email: None,
                    first_reminder_at: None,
                },
            )?
            .id,
            None,
        ),
    };
    Material::receive(conn, &target, content)?;
    let material = Material::keep_talk_and_owner(conn, &target, &title, owner.as_deref())?;
    Ok(Recorded { material, replaced })
}

/// A speaker removes slides they handed in, until they are published. Once the stop's
/// requests are open (it ended), the slot's request opens again (its speaker is reminded
/// from tomorrow); before, nothing is left. The stored file to delete once committed.
#[tracing::instrument(skip(conn, speaker), fields(speaker = %speaker.id))]
fn remove_own_slides_in(
    conn: &mut DbConnection,
    speaker: &Speaker,
    material_id: &str,
) -> Result<Option<String>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let m = Material::find(conn, material_id)?
            .filter(|m| m.kind() == MaterialKind::Slides)
            .ok_or_else(|| AppError::not_found("material"))?;
        let item_id = m
            .agenda_item_id
            .clone()
            .ok_or_else(|| AppError::not_found("material"))?;
        speakers::own_item(conn, &speaker.id, &item_id)
            .map_err(|_| AppError::not_found("material"))?;
        match m.status() {
            MaterialStatus::Requested => return Err(AppError::not_found("material")),
            MaterialStatus::Published => {
                return Err(AppError::conflict(
                    ErrorCode::AlreadyPublished,
                    "these slides are published: ask the organizers to unpublish them first",
                ));
            }
            MaterialStatus::Received => {}
        }
        let stop = Stop::find(conn, &m.stop_id)?.ok_or_else(|| AppError::not_found("material"))?;
        let now = crate::db::now();
        let done = stop.status() == crate::domain::stop::StopStatus::Done;
        if crate::domain::material::requests_open(now, stop.ends_at, done) {
            Material::reopen(conn, &m.id, now + chrono::Duration::days(1))?;
        } else {
            Material::delete(conn, &m.id)?;
        }
        Ok(m.storage_key)
    })
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

/// A material the caller may download: published ones by anyone (of a public stop);
/// others by the stop's organizers and the talk's speakers.
fn downloadable_in(
    conn: &mut DbConnection,
    material_id: &str,
    caller: &Caller,
) -> Result<Material, AppError> {
    let m = Material::find(conn, material_id)?.ok_or_else(|| AppError::not_found("material"))?;
    if m.status() == MaterialStatus::Published
        && crate::services::stops::public_stop(conn, &m.stop_id).is_ok()
    {
        return Ok(m);
    }
    if let Some(id) = &caller.organizer_id
        && let Ok(o) = Organizer::find(conn, id)
        && access::stop_for(conn, &o, &m.stop_id).is_ok()
    {
        return Ok(m);
    }
    if let (Some(speaker_id), Some(item_id)) = (&caller.speaker_id, m.agenda_item_id.as_deref())
        && speakers::own_item(conn, speaker_id, item_id).is_ok()
    {
        return Ok(m);
    }
    Err(AppError::not_found("material"))
}

/// A stop's materials, for its organizers.
pub async fn list_materials(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<Vec<Material>, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            access::stop_for(conn, &organizer, &stop)?;
            Ok(Material::for_stop(conn, &stop)?)
        })
        .await
}

/// A material the organizers give for a stop: its kind, the slot of slides, a title.
pub struct NewMaterial {
    pub kind: MaterialKind,
    /// For slides: the delivery (agenda item) they belong to.
    pub agenda_item: Option<AgendaItemId>,
    pub title: String,
}

/// An organizer records a material given as a link.
pub async fn add_link(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    input: NewMaterial,
    link_url: String,
) -> Result<Material, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let content = link_content(&link_url, Uploader::Organizer(&organizer).label())?;
            record_in(conn, &organizer, &stop, &input, &content)
        })
        .await
}

/// Whether an organizer's upload may go where it says (their stop; for slides, a talk's
/// slot), asked before anything is stored.
pub async fn check_upload(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    agenda_item: Option<&AgendaItemId>,
) -> Result<(), AppError> {
    let (organizer, stop, item) = (organizer.clone(), stop.clone(), agenda_item.cloned());
    ctx.db
        .run(move |conn| {
            access::stop_for(conn, &organizer, &stop)?;
            if let Some(item) = item {
                slides_target(conn, Uploader::Organizer(&organizer), &item)?;
            }
            Ok(())
        })
        .await
}

/// Records what an organizer handed in for a stop once its file is stored
/// (`http::uploads::record_or_discard` removes the file if this fails).
pub async fn record(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    input: NewMaterial,
    content: Content,
) -> Result<Material, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| record_in(conn, &organizer, &stop, &input, &content))
        .await
}

/// Records what an organizer handed in for a stop, on a connection. Slides fill their slot's
/// one slides material; anything else is a new received material.
fn record_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    input: &NewMaterial,
    content: &Content,
) -> Result<Material, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let title = text::optional_line(&input.title, 200)
        .map_err(|e| AppError::invalid("title", e.code, e.message))?;
    match (input.kind, input.agenda_item.as_deref()) {
        (MaterialKind::Slides, Some(item_id)) => {
            let (item, item_stop) = slides_target(conn, Uploader::Organizer(organizer), item_id)?;
            if item_stop.id != stop.id {
                return Err(AppError::invalid(
                    "agenda_item_id",
                    FieldCode::UnknownItem,
                    "this slot is not at this stop",
                ));
            }
            Ok(record_slides(conn, Uploader::Organizer(organizer), &item, content)?.material)
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

/// Whether the speaker may hand in slides for the agenda slot (before their file is read).
pub async fn check_slides(
    ctx: &Context,
    speaker: &Speaker,
    agenda_item: &AgendaItemId,
) -> Result<(), AppError> {
    let (speaker, item) = (speaker.clone(), agenda_item.clone());
    ctx.db
        .run(move |conn| slides_target(conn, Uploader::Speaker(&speaker), &item).map(drop))
        .await
}

/// The speaker removes slides they handed in, until published; the stored file's key, to
/// forget it.
pub async fn remove_own_slides(
    ctx: &Context,
    speaker: &Speaker,
    material: &MaterialId,
) -> Result<Option<String>, AppError> {
    let (speaker, material) = (speaker.clone(), material.clone());
    ctx.db
        .run(move |conn| remove_own_slides_in(conn, &speaker, &material))
        .await
}

/// A material the caller may download: published ones for anyone; others for the stop's
/// organizers and the talk's speakers.
pub async fn downloadable(
    ctx: &Context,
    material: &MaterialId,
    caller: &Caller,
) -> Result<Material, AppError> {
    let (material, caller) = (material.clone(), caller.clone());
    ctx.db
        .run(move |conn| downloadable_in(conn, &material, &caller))
        .await
}

/// Records the slides a speaker handed in for their slot once the file is stored
/// (`http::uploads::record_or_discard` removes the file if this fails).
pub async fn record_speaker_slides(
    ctx: &Context,
    speaker: &Speaker,
    agenda_item: &AgendaItemId,
    content: Content,
) -> Result<Recorded, AppError> {
    let (speaker, item) = (speaker.clone(), agenda_item.clone());
    ctx.db
        .run(move |conn| {
            let (item, _) = slides_target(conn, Uploader::Speaker(&speaker), &item)?;
            record_slides(conn, Uploader::Speaker(&speaker), &item, &content)
        })
        .await
}
