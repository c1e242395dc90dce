//! A message to many people before it is sent: who it goes to and how it reads.

use crate::email::Rendered;

/// The placeholders a message may use.
pub const PLACEHOLDERS: &[&str] = &[
    "{name}",
    "{tour}",
    "{city}",
    "{date}",
    "{venue}",
    "{address}",
    "{manage_link}",
];

/// What the organizer sees before sending.
pub struct Preview {
    pub recipients: usize,
    /// The message as the first recipient would get it (their manage link shown as an example).
    pub sample: Option<(String, Rendered)>,
}
