//! roadshow: runs multi-city community meetup tours.

rust_i18n::i18n!("locales", fallback = "en");

pub mod api;
pub mod cache;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod disk;
pub mod domain;
pub mod email;
pub mod error;
pub mod export;
pub mod files;
pub mod format;
pub mod http;
pub mod i18n;
pub mod limits;
pub mod metrics;
pub mod models;
pub mod qr;
pub mod ratelimit;
pub mod read;
pub mod secrets;
pub mod services;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod views;
pub mod web;
pub mod worker;
