//! One integration-test binary: the real app over HTTP, on SQLite and on PostgreSQL.

mod helpers;

mod accounts;
mod bad_input;
mod meta;
mod pages;
mod stops;
mod tours;
mod venues;
