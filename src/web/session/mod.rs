//! The browser session (a signed, encrypted cookie, so any instance can serve any request),
//! CSRF tokens, flash messages, and the extractors page handlers use.
//!
//! Whoever a cookie says the browser is (an organizer, a speaker, a volunteer, a desk
//! helper) counts only while the server still knows the cookie's session: its secret (`sid`)
//! names a row of `sessions` (`services::sessions`), deleted at sign-out, at "sign out
//! everywhere" and at every password change. A copied cookie dies with its row.
//!
//! By concern: `identity` (signing in and out, whom a live session says the browser is),
//! `csrf` (the token and the form extractors that check it or the origin), `pages` (flash
//! messages and the extractors of what a page needs: `PageCtx`, `OrganizerPage`, …).

mod csrf;
mod identity;
mod pages;

pub use crate::services::sessions::SESSION_DAYS;
pub use csrf::{CSRF_FIELD, CsrfForm, Empty, PublicForm, check_csrf, csrf_token};
pub use identity::{
    grant_desk, identities, is_live, session_hash, sign_in, sign_in_speaker, sign_in_volunteer,
    sign_out,
};
pub use pages::{FormCtx, OrganizerPage, PageCtx, SpeakerSession, VolunteerSession, flash};

// What the cookie holds, by key.
const ORGANIZER_ID: &str = "organizer_id";
/// The session's secret; the server keeps its hash (`models::session`).
const SID: &str = "sid";
const ORGANIZER_NAME: &str = "organizer_name";
const IS_ADMIN: &str = "is_admin";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";
/// The desks this browser was let in at: (stop id, helper's address).
const DESK: &str = "desk";
const SPEAKER_ID: &str = "speaker_id";
const VOLUNTEER_ID: &str = "volunteer_id";
