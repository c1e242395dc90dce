//! The app's errors, and which goes where:
//!
//! - **Models** return `diesel::QueryResult`: a query knows the database's errors only, and
//!   whether a missing row is a 404 or a refusal is not its call.
//! - **The domain's parsers** return a `FieldError` (a `FieldCode` and an English message);
//!   a `Validator` gathers them so one answer names every bad field.
//! - **Services and handlers** return `AppError`, the HTTP meaning: a status, an `ErrorCode`
//!   (the wire contract, listed in the OpenAPI document), a message safe to show, and for an
//!   unexpected error its cause, logged once and never sent. `?` on a `QueryResult` turns
//!   diesel's `NotFound` into 404 and a unique violation into 409 `duplicate`; anything else is
//!   500. The API answers it as JSON, pages as a page in the reader's language (`web::errors`).
//! - **Starting and the command line** return `StartupError` (`error/startup.rs`): what a person
//!   running the command can act on, printed before the exit code.

use std::collections::BTreeMap;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

mod code;
mod startup;
pub use code::ErrorCode;
pub use startup::{StartupError, redact_url};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    MethodNotAllowed,
    UnsupportedMediaType,
    Validation,
    TooManyRequests,
    /// 408: the request body did not arrive in time.
    RequestTimeout,
    /// 503: a passing condition (the disk is full, every upload slot is taken); try again.
    Unavailable,
    Unexpected,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Unexpected => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Field name → what is wrong with it (English, for the API; pages translate the codes).
pub type FieldErrors = BTreeMap<String, FieldError>;

pub use crate::domain::{FieldCode, FieldError};

pub struct AppError {
    pub kind: ErrorKind,
    pub code: ErrorCode,
    pub message: String,
    pub fields: FieldErrors,
    source: Option<anyhow::Error>,
    /// For 429: when to try again.
    retry_after: u64,
}

impl AppError {
    fn new(kind: ErrorKind, code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            kind,
            code,
            message: message.into(),
            fields: FieldErrors::new(),
            source: None,
            retry_after: 60,
        }
    }

    /// Seconds to wait before trying again (sent as Retry-After with a 429 or a 503).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = secs.max(1);
        self
    }

    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, ErrorCode::Unauthorized, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, ErrorCode::Forbidden, message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            ErrorKind::NotFound,
            ErrorCode::NotFound,
            format!("{what} not found"),
        )
    }
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            ErrorKind::MethodNotAllowed,
            ErrorCode::MethodNotAllowed,
            format!("this route does not answer {method}"),
        )
    }
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::PayloadTooLarge,
            ErrorCode::PayloadTooLarge,
            message,
        )
    }
    pub fn unsupported_type(message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::UnsupportedMediaType,
            ErrorCode::UnsupportedMediaType,
            message,
        )
    }
    pub fn too_many_requests(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TooManyRequests, ErrorCode::RateLimited, message)
    }
    /// A bad request that names the field or parameter at fault.
    pub fn bad_field(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = Self::new(ErrorKind::BadRequest, code, format!("{field}: {message}"));
        e.fields.insert(
            field.to_owned(),
            FieldError {
                code: code.into(),
                message,
            },
        );
        e
    }
    pub fn request_timeout(message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::RequestTimeout,
            ErrorCode::RequestTimeout,
            message,
        )
    }
    /// 503 with Retry-After: nothing is wrong with the request, try it again later.
    pub fn unavailable(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, code, message).retry_after(DISK_FULL_RETRY_SECS)
    }
    /// The disk (or the database's) is full: the write failed and may succeed later.
    pub fn disk_full(source: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::unavailable(
            ErrorCode::StorageFull,
            "we cannot save anything right now: please try again in a few minutes",
        );
        e.source = Some(source.into());
        e
    }
    /// Whether this is the answer to a full disk.
    pub fn is_disk_full(&self) -> bool {
        self.code == ErrorCode::StorageFull
    }
    pub fn validation(fields: FieldErrors) -> Self {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        let mut e = Self::new(
            ErrorKind::Validation,
            ErrorCode::ValidationFailed,
            format!("invalid fields: {}", names.join(", ")),
        );
        e.fields = fields;
        e
    }
    /// A single invalid field.
    pub fn invalid(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(
            field.to_owned(),
            FieldError {
                code,
                message: message.into(),
            },
        );
        Self::validation(fields)
    }
    /// An error we did not expect. A full disk is the exception: found anywhere in the cause
    /// chain (SQLite's "database or disk is full", ENOSPC from a file write, PostgreSQL's
    /// "No space left on device"), it answers 503 with Retry-After instead of 500.
    pub fn unexpected(source: impl Into<anyhow::Error>) -> Self {
        let source = source.into();
        if is_out_of_space(&source) {
            return Self::disk_full(source);
        }
        let mut e = Self::new(
            ErrorKind::Unexpected,
            ErrorCode::InternalError,
            "something went wrong on our side",
        );
        e.source = Some(source);
        e
    }
    pub fn unexpected_msg(message: impl fmt::Display) -> Self {
        Self::unexpected(anyhow::anyhow!("{message}"))
    }

    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// The same answer, with its cause as text (for an error that arrives boxed in an
    /// `actix_web::Error`).
    pub fn copy(&self) -> AppError {
        AppError {
            kind: self.kind,
            code: self.code,
            message: self.message.clone(),
            fields: self.fields.clone(),
            source: self.source.as_ref().map(|s| anyhow::anyhow!("{s:#}")),
            retry_after: self.retry_after,
        }
    }

    /// The logged cause of an unexpected error (never sent to clients).
    pub fn cause(&self) -> Option<&anyhow::Error> {
        self.source.as_ref()
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status(), self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source:#}")?;
        }
        Ok(())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: ErrorCode,
    message: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: BTreeMap<&'a str, &'a str>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(source) = &self.source {
            if self.kind == ErrorKind::Unavailable {
                tracing::warn!(
                    error = format!("{source:#}"),
                    code = self.code.as_str(),
                    "unavailable"
                );
            } else {
                tracing::error!(error = format!("{source:#}"), "unexpected error");
            }
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
                fields: self
                    .fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.message.as_str()))
                    .collect(),
            },
        };
        let mut res = HttpResponse::build(self.status());
        if matches!(
            self.kind,
            ErrorKind::TooManyRequests | ErrorKind::Unavailable
        ) {
            res.insert_header(("Retry-After", self.retry_after.to_string()));
        }
        if self.kind == ErrorKind::RequestTimeout {
            // The rest of the body is not worth waiting for.
            res.insert_header((actix_web::http::header::CONNECTION, "close"));
        }
        res.json(body)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::not_found("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::conflict(ErrorCode::Duplicate, "that already exists")
            }
            other => AppError::unexpected(other),
        }
    }
}

impl AppError {
    /// Whether the database connection behind this error is gone (the server restarted): the
    /// pool must not hand that connection out again (`db::Db::run`).
    pub fn lost_connection(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        self.source
            .as_ref()
            .and_then(|s| s.downcast_ref::<Error>())
            .is_some_and(|e| {
                matches!(
                    e,
                    Error::DatabaseError(
                        DatabaseErrorKind::ClosedConnection
                            | DatabaseErrorKind::UnableToSendCommand,
                        _
                    )
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_answers_503_with_retry_after() {
        let enospc = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let e = AppError::unexpected(anyhow::Error::new(enospc).context("writing the upload"));
        assert_eq!(e.status(), 503);
        assert!(e.is_disk_full());
        let res = e.error_response();
        assert_eq!(res.headers().get("retry-after").unwrap(), "120");
        let sqlite = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new("database or disk is full".to_owned()),
        );
        assert_eq!(AppError::from(sqlite).status(), 503);
        let other = AppError::unexpected_msg("something else broke");
        assert_eq!(other.status(), 500);
        assert!(!other.error_response().headers().contains_key("retry-after"));
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::unexpected(e)
    }
}

/// How long a client should wait after a full disk (space is freed by people, not soon).
const DISK_FULL_RETRY_SECS: u64 = 120;

/// Whether an error, or anything in its cause chain, says the storage is full.
pub fn is_out_of_space(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io_is_out_of_space(io)
        {
            return true;
        }
        out_of_space_text(&cause.to_string())
    })
}

/// ENOSPC or EDQUOT.
pub fn io_is_out_of_space(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
}

/// The words the databases and the OS use: SQLite's SQLITE_FULL, PostgreSQL's disk_full
/// (53100) and ENOSPC/EDQUOT as strerror prints them, wrapped by crates that keep only text.
fn out_of_space_text(message: &str) -> bool {
    const SIGNS: &[&str] = &[
        "database or disk is full",
        "No space left on device",
        "Disk quota exceeded",
        "could not extend file",
    ];
    SIGNS.iter().any(|s| message.contains(s))
}

/// Collects field errors while input is checked, so one answer names every bad field.
#[derive(Default)]
pub struct Validator {
    fields: FieldErrors,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: FieldCode, message: impl Into<String>) {
        self.fields.entry(field.to_owned()).or_insert(FieldError {
            code,
            message: message.into(),
        });
    }

    /// Records the error of a parse and gives back its value, if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.fields.entry(field.to_owned()).or_insert(e);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(self.fields))
        }
    }

    pub fn into_fields(self) -> FieldErrors {
        self.fields
    }
}
