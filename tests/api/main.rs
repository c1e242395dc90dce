//! One integration-test binary: the real app over HTTP, on SQLite and on PostgreSQL.

mod binary;
mod helpers;

mod abuse;
mod accounts;
mod architecture;
mod attendee;
mod authz;
mod bad_input;
mod browser;
mod bulk;
mod cache;
mod calendars;
mod content;
mod crash;
mod dashboards;
mod demo;
mod door;
mod email;
mod forms;
mod instances;
mod lifecycle;
mod lifetime;
mod materials;
mod meta;
mod page_changes;
mod pages;
mod phone;
mod registrations;
mod smtp;
mod speakers;
mod stops;
mod tours;
mod venue_moves;
mod venues;
mod volunteers;
