//! Registrations of people for stops (their running counts per stop: `models::counters`).
//!
//! The rows and their inserts are here; the queries, by concern, in `find.rs` (by id,
//! address, link, code; the waitlist), `write.rs`, `list.rs` (the organizers' lists,
//! histories, figures) and `door.rs` (scans and check-ins).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::registrations;
use crate::domain::attendance::{RegistrationStatus, StillComing};

mod door;
mod find;
mod list;
mod write;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = registrations)]
pub struct Registration {
    pub id: String,
    pub stop_id: String,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub legal_name: String,
    pub wants_to_volunteer: bool,
    pub status: RegistrationStatus,
    pub code: String,
    pub manage_token_hash: String,
    pub lang: String,
    pub walk_in: bool,
    pub checked_in_at: Option<NaiveDateTime>,
    pub still_coming: Option<StillComing>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Which derived manage link is the registration's (0: a random one from before).
    pub manage_link_version: i32,
}

#[derive(Insertable)]
#[diesel(table_name = registrations)]
// None is NULL (the columns' default anyway): lets SQLite take rows in batches.
#[diesel(treat_none_as_default_value = false)]
pub struct NewRegistration {
    pub id: String,
    pub stop_id: String,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub legal_name: String,
    pub wants_to_volunteer: bool,
    pub status: RegistrationStatus,
    pub code: String,
    pub manage_token_hash: String,
    pub lang: String,
    pub walk_in: bool,
    pub checked_in_at: Option<NaiveDateTime>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub manage_link_version: i32,
}

impl NewRegistration {
    /// The row as it will read once inserted.
    pub fn to_row(&self) -> Registration {
        Registration {
            id: self.id.clone(),
            stop_id: self.stop_id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            affiliation: self.affiliation.clone(),
            legal_name: self.legal_name.clone(),
            wants_to_volunteer: self.wants_to_volunteer,
            status: self.status,
            code: self.code.clone(),
            manage_token_hash: self.manage_token_hash.clone(),
            lang: self.lang.clone(),
            walk_in: self.walk_in,
            checked_in_at: self.checked_in_at,
            still_coming: None,
            confirmed_at: self.confirmed_at,
            cancelled_at: None,
            created_at: self.created_at,
            updated_at: self.updated_at,
            manage_link_version: self.manage_link_version,
        }
    }
}

/// What a person tells about themselves when registering.
pub struct Person<'a> {
    pub name: &'a str,
    pub affiliation: &'a str,
    pub legal_name: &'a str,
    pub wants_to_volunteer: bool,
}

/// Filters of the organizers' registration list.
#[derive(Default, Clone, Debug)]
pub struct RegistrationFilter {
    pub status: Option<RegistrationStatus>,
    pub checked_in: Option<bool>,
    pub volunteers_only: bool,
    /// Part of a name, e-mail, affiliation or code.
    pub search: Option<String>,
}

impl Registration {
    pub fn status(&self) -> RegistrationStatus {
        self.status
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_code(&self.lang).unwrap_or_default()
    }
}
