//! Pages as pure functions: data in, `Markup` out. Views never touch the database.

pub mod account;
pub mod auth;
pub mod charts;
pub mod components;
pub mod content;
pub mod email;
pub mod error;
pub mod layout;
pub mod manage;
pub mod materials;
pub mod public;
pub mod registrations;
pub mod report;
pub mod speakers;
pub mod venues;
pub mod volunteers;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// What the layout of every page needs to know about the request.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    pub lang: Lang,
    /// The session's CSRF token ("" when the visitor has no session and no form).
    pub csrf: String,
    pub signed_in: Option<SignedIn>,
    /// Signed in as a speaker, volunteer or desk helper (besides or instead of an organizer).
    pub visiting: Visiting,
    pub flash: Vec<Flash>,
    /// Path and query of this page (for the language switcher to come back to).
    pub path: String,
    /// The languages organizers may give their texts in (settings `content_languages`):
    /// their forms offer a field per other one.
    pub content_languages: Vec<String>,
}

impl Ctx {
    pub fn t(&self, key: &str) -> std::borrow::Cow<'static, str> {
        self.lang.t(key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.tf(key, args)
    }
}

#[derive(Clone, Debug)]
pub struct SignedIn {
    pub name: String,
    pub is_admin: bool,
}

/// Who else this browser is signed in as (shown in the header with a way out: a phone at
/// the door is often shared).
#[derive(Clone, Debug, Default)]
pub struct Visiting {
    pub speaker: bool,
    pub volunteer: bool,
    /// The stops whose desk this browser was let in at.
    pub desks: Vec<String>,
}

impl Visiting {
    pub fn is_anyone(&self) -> bool {
        self.speaker || self.volunteer || !self.desks.is_empty()
    }
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Error,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}
