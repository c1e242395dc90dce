//! Receiving files: checked by content before anything is stored; if recording the upload
//! fails afterwards, the stored file is removed again, so nothing half-written stays behind.

use actix_multipart::MultipartError;
use actix_multipart::form::tempfile::{TempFile, TempFileConfig, TempFileError};
use actix_multipart::form::{MultipartCollect, MultipartForm, MultipartFormConfig};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{FromRequest, HttpRequest};

use crate::error::{AppError, ErrorCode, FieldCode};
use crate::files::FileType;
use crate::models::material::Content;
use crate::services::materials::{self, CheckedFile};
use crate::state::AppState;

/// Multipart forms answer in the error shape of the rest of the app.
pub fn multipart_config(max_upload_bytes: u64) -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(
            usize::try_from(max_upload_bytes)
                .unwrap_or(usize::MAX)
                .saturating_add(1024 * 1024),
        )
        .memory_limit(1024 * 1024)
        .error_handler(|err: MultipartError, _: &HttpRequest| -> actix_web::Error {
            let e = match &err {
                MultipartError::Payload(PayloadError::Overflow) => {
                    AppError::too_large("the upload is too large")
                }
                MultipartError::ContentTypeMissing
                | MultipartError::ContentTypeParse
                | MultipartError::ContentTypeIncompatible => {
                    AppError::unsupported_type("send the upload as multipart/form-data")
                }
                MultipartError::MissingField(name) => {
                    AppError::invalid(name, FieldCode::Required, "is required")
                }
                // A full disk while spooling the file (see `temp_file_config`).
                MultipartError::Field { source, .. }
                    if source
                        .as_error::<AppError>()
                        .is_some_and(AppError::is_disk_full) =>
                {
                    AppError::disk_full(anyhow::anyhow!("{source}"))
                }
                MultipartError::Field { name, .. } => {
                    AppError::invalid(name, FieldCode::Invalid, "could not be read")
                }
                _ => AppError::bad_request(
                    ErrorCode::BadUpload,
                    format!("the upload could not be read: {err}"),
                ),
            };
            e.into()
        })
}

/// Files being received are spooled to `data_dir/tmp`, on the data folder's disk (whose
/// free space `/readyz` watches), never to the system's temp folder.
pub fn temp_file_config(data_dir: &std::path::Path) -> TempFileConfig {
    TempFileConfig::default()
        .directory(temp_dir(data_dir))
        .error_handler(|err: TempFileError, _: &HttpRequest| -> actix_web::Error {
            match err {
                TempFileError::FileIo(io) => AppError::unexpected(io).into(),
                other => AppError::unexpected_msg(other).into(),
            }
        })
}

pub fn temp_dir(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("tmp")
}

/// Creates the temp folder, emptied of what a previous run left (a crash mid-upload).
pub fn prepare_temp_dir(data_dir: &std::path::Path) -> std::io::Result<()> {
    let dir = temp_dir(data_dir);
    std::fs::create_dir_all(&dir)?;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// A multipart body not read yet. Taking it reads nothing, so put it with the caller's
/// extractor (session, token) and call `read` once the caller may upload: a stranger's
/// upload is never spooled. (Extractors of one handler run side by side: a `MultipartForm`
/// argument would be read while the session is still being looked up.)
pub struct UploadBody {
    req: HttpRequest,
    payload: Payload,
}

impl FromRequest for UploadBody {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(UploadBody {
            req: req.clone(),
            payload: payload.take(),
        }))
    }
}

impl UploadBody {
    /// Reads the form (files go to the temp folder), within the limits of
    /// `multipart_config` and the body deadlines of `limits::BodyGuard`.
    pub async fn read<T: MultipartCollect + 'static>(mut self) -> Result<T, AppError> {
        MultipartForm::<T>::from_request(&self.req, &mut self.payload)
            .await
            .map(MultipartForm::into_inner)
            .map_err(|e| match e.as_error::<AppError>() {
                Some(app) => app.copy(),
                None => AppError::bad_request(
                    ErrorCode::BadUpload,
                    format!("the upload could not be read: {e}"),
                ),
            })
    }
}

/// A file kept in the storage backend.
pub struct Stored {
    pub key: String,
    pub file: CheckedFile,
}

impl Stored {
    pub fn content(&self, uploaded_by: String) -> Content {
        Content {
            storage_key: Some(self.key.clone()),
            file_name: Some(self.file.file_name.clone()),
            content_type: Some(self.file.file_type.mime.to_owned()),
            size_bytes: Some(self.file.size as i64),
            uploaded_by,
            ..Content::default()
        }
    }
}

/// Checks the received file and stores it.
pub async fn store(
    state: &AppState,
    temp: TempFile,
    allowed: &'static [FileType],
) -> Result<Stored, AppError> {
    let max = state.settings.storage.max_upload_bytes;
    let (checked, bytes) =
        actix_web::web::block(move || -> Result<(CheckedFile, Vec<u8>), AppError> {
            let checked = materials::check_file(
                temp.file.path(),
                temp.file_name.as_deref(),
                temp.size as u64,
                allowed,
                max,
            )?;
            let bytes = std::fs::read(temp.file.path()).map_err(AppError::unexpected)?;
            Ok((checked, bytes))
        })
        .await
        .map_err(AppError::unexpected)??;
    let key = materials::new_key(checked.file_type);
    state.storage.put(&key, bytes).await?;
    Ok(Stored { key, file: checked })
}

/// Awaits `record`, the use case that records a stored file; removes the file if it fails.
pub async fn record_or_discard<T>(
    state: &AppState,
    stored: &Stored,
    record: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    match record.await {
        Ok(v) => Ok(v),
        Err(e) => {
            if let Err(cleanup) = state.storage.delete(&stored.key).await {
                tracing::error!(error = ?cleanup, key = %stored.key, "could not remove an orphaned upload");
            }
            Err(e)
        }
    }
}

/// A stored file as a download: its type and a safe name, as an attachment.
pub async fn download(
    state: &AppState,
    m: &crate::models::material::Material,
) -> Result<actix_web::HttpResponse, AppError> {
    use actix_web::http::header::{
        CACHE_CONTROL, Charset, ContentDisposition, DispositionParam, DispositionType,
        ExtendedValue,
    };
    if let Some(url) = &m.link_url {
        return Ok(crate::http::see_other(url));
    }
    let key = m
        .storage_key
        .clone()
        .ok_or_else(|| AppError::not_found("file"))?;
    let bytes = state.storage.get(&key).await?;
    let content_type = m
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    // Cleaned again on the way out: files stored before names followed their type keep
    // whatever extension they were uploaded with.
    let name = crate::files::type_of_mime(&content_type)
        .and_then(|t| crate::files::stored_name(m.file_name.as_deref().unwrap_or("download"), t))
        .unwrap_or_else(|| "download".into());
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(actix_web::HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![
                DispositionParam::Filename(ascii),
                DispositionParam::FilenameExt(ExtendedValue {
                    charset: Charset::Ext("UTF-8".into()),
                    language_tag: None,
                    value: name.into_bytes(),
                }),
            ],
        })
        .insert_header((CACHE_CONTROL, "private, max-age=300"))
        .body(bytes))
}

/// Deletes a stored file nothing refers to any more (replaced or removed slides). A failure
/// only leaves an orphan behind, which is logged.
pub async fn forget_file(state: &AppState, key: &str) {
    if let Err(e) = state.storage.delete(key).await {
        tracing::error!(error = ?e, key = %key, "could not remove a replaced upload");
    }
}
