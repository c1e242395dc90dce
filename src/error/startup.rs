//! What can stop `roadshow` from starting, or a command from running: said to the person at the
//! terminal (`main` prints it and exits with 1), never sent over HTTP. Each message names
//! what to fix: the setting, the folder, the database or the address.

use std::path::PathBuf;

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The configuration files or the environment could not be read into settings (not
    /// TOML, a value of the wrong type).
    #[error("cannot read the settings (config/*.toml, ROADSHOW_* variables): {0}")]
    Settings(Box<figment::Error>),
    /// A setting was read but its value cannot work.
    #[error("the setting {name} (ROADSHOW_{}) {problem}", name.to_uppercase())]
    BadSetting { name: &'static str, problem: String },
    /// A folder under the data folder cannot be created or used.
    #[error("cannot create or use the folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database cannot be opened or answered no connection (its URL, a server that is
    /// down, a password refused).
    #[error("cannot reach the database {url}: {reason}")]
    Database {
        /// Without its password (`redact_url`).
        url: String,
        reason: String,
    },
    /// The database was reached but its migrations failed.
    #[error("cannot bring the database up to date: {0}")]
    Migrations(String),
    /// The address to listen on is taken, not this machine's, or not allowed.
    #[error("cannot listen on {bind}: {source}")]
    Listen {
        bind: String,
        source: std::io::Error,
    },
    /// The server stopped on an error of its own.
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
    /// The password of `organizer add` could not be read from standard input.
    #[error("cannot read the password from standard input: {0}")]
    Password(std::io::Error),
    /// A use case run by a command refused (its message, or each bad field's) or failed.
    #[error("{}", explain(.0))]
    Command(#[from] AppError),
}

impl StartupError {
    pub fn bad_setting(name: &'static str, problem: impl Into<String>) -> StartupError {
        StartupError::BadSetting {
            name,
            problem: problem.into(),
        }
    }

    pub fn folder(path: impl Into<PathBuf>, source: std::io::Error) -> StartupError {
        StartupError::Folder {
            path: path.into(),
            source,
        }
    }

    /// The database at `url` (printed without its password) could not be reached; the reason
    /// is the error's cause, where it has one.
    pub fn database(url: &str, reason: impl std::fmt::Display) -> StartupError {
        StartupError::Database {
            url: redact_url(url),
            reason: reason.to_string(),
        }
    }
}

impl From<figment::Error> for StartupError {
    fn from(e: figment::Error) -> StartupError {
        StartupError::Settings(Box::new(e))
    }
}

/// A database URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// A use case's error for the terminal: its bad fields as one sentence, else its message and
/// the cause of an unexpected one.
fn explain(e: &AppError) -> String {
    if !e.fields.is_empty() {
        let text: Vec<String> = e
            .fields
            .iter()
            .map(|(k, v)| format!("{k} {}", v.message))
            .collect();
        return text.join("; ");
    }
    match e.cause() {
        Some(cause) => format!("{}: {cause:#}", e.message),
        None => e.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldCode;

    #[test]
    fn a_startup_error_names_what_to_fix() {
        let e = StartupError::bad_setting("rate_limits", "is \"on\" or \"off\", not \"maybe\"");
        assert_eq!(
            e.to_string(),
            "the setting rate_limits (ROADSHOW_RATE_LIMITS) is \"on\" or \"off\", not \"maybe\""
        );
        let e = StartupError::database(
            "mysql://roadshow:hunter2@db.example.org/roadshow",
            "the database URL must start with sqlite:// or postgres://",
        );
        assert_eq!(
            e.to_string(),
            "cannot reach the database mysql://roadshow:***@db.example.org/roadshow: \
             the database URL must start with sqlite:// or postgres://"
        );
    }

    #[test]
    fn a_refused_command_says_why_in_a_sentence() {
        let e = StartupError::from(AppError::invalid(
            "password",
            FieldCode::PasswordTooShort,
            "must be at least 10 characters",
        ));
        assert_eq!(e.to_string(), "password must be at least 10 characters");
        let e = StartupError::from(AppError::not_found("organizer with that e-mail"));
        assert_eq!(e.to_string(), "organizer with that e-mail not found");
        let e = StartupError::from(AppError::unexpected_msg("disk on fire"));
        assert_eq!(
            e.to_string(),
            "something went wrong on our side: disk on fire"
        );
    }
}
