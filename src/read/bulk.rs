//! A message to many people before it is sent: who it goes to and how it reads.

use crate::domain::message::Segment;
use crate::email::Rendered;
use crate::i18n::Lang;
use crate::models::stop::Stop;
use crate::models::tour::Tour;

/// The placeholders a message may use.
pub use crate::domain::message::PLACEHOLDERS;

/// What the message form offers: the tour, the stops to choose from, and how many people
/// each segment holds in the scope shown.
pub struct FormData {
    pub tour: Tour,
    pub stops: Vec<Stop>,
    pub counts: Vec<(Segment, usize)>,
}

/// The message as the readers of one language get it.
pub struct Version {
    /// The language of the text (and of the whole e-mail).
    pub lang: Lang,
    /// How many of the recipients get this text.
    pub recipients: usize,
    /// Whom it is filled for (the first reader of this text, else another, else the
    /// organizer).
    pub sample_name: String,
    /// As mailed (its manage link an example).
    pub rendered: Rendered,
    /// The body's Markdown rendered as the e-mail renders it (sanitised HTML).
    pub body_html: String,
}

/// What the organizer sees before sending.
pub struct Preview {
    pub segment: Segment,
    pub recipients: usize,
    /// One per language written, in the order written.
    pub versions: Vec<Version>,
}
