//! Use cases: one function each, one transaction each, called by both `api` and `web`.

pub mod accounts;
pub mod outbox;
pub mod public;
pub mod stops;
pub mod team;
pub mod tours;
pub mod venues;
