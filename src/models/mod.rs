//! One file per table: the row, its insert and update structs, and every query of that table.
//! Reads of tour data for organizers go through `access`, so a forgotten check cannot leak.

pub mod access;
pub mod agenda;
pub mod api_token;
pub mod audience;
pub mod counters;
pub mod desk_helper;
pub mod magic_link;
pub mod material;
pub mod organizer;
pub mod outbox;
pub mod proposal;
pub mod registration;
pub mod session;
pub mod sign_in_failure;
pub mod speaker;
pub mod stop;
pub mod stop_job;
pub mod talk;
pub mod task;
pub mod team;
pub mod tour;
pub mod translation;
pub mod venue;

pub use crate::db::DbConnection;
