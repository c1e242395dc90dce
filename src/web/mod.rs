//! HTML pages: public pages, sign-in, and the organizers' pages under /manage.
//!
//! The route table is `routes`, the shared response helpers (`html`, `see_other`,
//! `field_errors`, `page_id`, …) are `response`, public pages from the shared cache are
//! `page_cache`; all reachable here as before.

mod account;
mod auth;
mod desk;
pub mod errors;
mod guests;
mod mail;
mod materials;
mod organizers;
mod page_cache;
mod public;
mod registrations;
mod response;
mod routes;
pub mod session;
mod speakers;
mod stops;
mod tours;
mod venues;
mod volunteers;

pub use page_cache::cached;
pub use response::{
    field_errors, form_status, html, html_status, page_id, see_other, upload_errors,
};
pub use routes::routes;

/// The one-field form that asks for a sign-in link (speakers, volunteers).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    pub email: String,
}
