//! Settings: built-in defaults → `config/default.toml` → `config/local.toml` → `ROADSHOW_*`
//! environment variables → command-line flags. Passed around, never global.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::error::StartupError;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on.
    pub bind: String,
    /// Holds the SQLite file, mail files, uploads and the session key.
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://…`; empty means the SQLite file in `data_dir`.
    pub database_url: String,
    /// Links in e-mails and the setup link start with this; empty means `http://{bind}`.
    pub base_url: String,
    /// `smtp://` or `smtps://` relay; empty means e-mails are written as files.
    pub smtp_url: String,
    /// At least 64 bytes, base64. Empty: a key is generated once into the data folder.
    /// Several instances must share one.
    pub secret_key: String,
    /// Database connections per instance.
    pub pool_size: u32,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// `text` or `json`.
    pub log_format: String,
    /// Largest JSON or form body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Set the Secure flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// The sender of every e-mail.
    pub mail_from: String,
    /// Attempts before a message is marked failed.
    pub mail_max_attempts: i32,
    /// First retry delay, doubled on each failure up to the cap.
    pub mail_retry_base_secs: i64,
    pub mail_retry_cap_secs: i64,
    /// How often the worker looks for due messages.
    pub mail_poll_ms: u64,
    /// How long a worker holds the messages it is sending: one that dies mid-send frees
    /// them after this, and another instance (or its restart) sends them.
    pub mail_lease_secs: i64,
    /// Run the outbox worker in this instance.
    pub mail_worker: bool,
    /// How often the worker looks for scheduled jobs (reminders, "still coming?", material
    /// requests and their reminders).
    pub schedule_every_ms: u64,
    /// For tests only: a file holding how many seconds the app's clock runs ahead of the
    /// real one (see `clock`). Empty: the real clock.
    pub test_clock_file: String,
    /// How long a sign-in link stays usable.
    pub magic_link_hours: i64,
    /// w: how many registrations the tour's prior show rate weighs against its own data.
    pub show_rate_prior_weight: f64,
    /// Largest upload (slides, photos), in bytes.
    pub max_upload_bytes: u64,
    /// Reminders before a stop, in hours.
    pub reminder_hours: Vec<i64>,
    /// "Still coming?" this many days before a stop; 0 turns it off.
    pub still_coming_days: i64,
    /// Volunteers may release a claimed task until this many hours before it.
    pub volunteer_release_hours: i64,
    /// Missing materials are asked for when a stop ends, then again after these many days.
    pub material_reminder_days: Vec<i64>,
    /// Uploads go to this S3-compatible bucket; empty: the data folder.
    pub s3_bucket: String,
    /// The S3 endpoint (MinIO, Ceph, a cloud's S3 API); empty: AWS.
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: String,
    /// Allow a plain-HTTP endpoint (a store on the private network).
    pub s3_allow_http: bool,
    /// "on" or "off": per-address limits on registrations, claims, sign-ins, sign-in links.
    pub rate_limits: String,
    /// Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
    pub trusted_proxies: String,
    /// When set, /metrics answers only to `Authorization: Bearer <metrics_token>`.
    pub metrics_token: String,
    /// Per client address and minute.
    pub rate_limit_registrations: u32,
    pub rate_limit_claims: u32,
    pub rate_limit_sign_ins: u32,
    pub rate_limit_sign_in_links: u32,
    pub rate_limit_proposals: u32,
    /// Idle HTTP connections are closed after this many seconds.
    pub http_keep_alive_secs: u64,
    /// A client has this long to send a request's head (line and headers).
    pub http_head_timeout_secs: u64,
    /// Longest pause within a request body before it is given up (408).
    pub body_idle_timeout_secs: u64,
    /// The slowest rate a body may arrive at: its deadline is 10 s plus its length at this rate.
    pub body_min_bytes_per_sec: u64,
    /// Open connections per client address (an IPv6 client's /64); 0 turns the cap off.
    pub max_connections_per_client: usize,
    /// Bytes of uploads received at once, across all clients; beyond it uploads get 503.
    pub max_upload_bytes_in_flight: u64,
    /// `/readyz` says not ready when the data folder's disk has less free space than this.
    pub min_free_disk_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            base_url: String::new(),
            smtp_url: String::new(),
            secret_key: String::new(),
            pool_size: 8,
            workers: 0,
            log_format: "text".into(),
            max_body_bytes: 256 * 1024,
            secure_cookies: false,
            mail_from: "roadshow <roadshow@localhost>".into(),
            mail_max_attempts: 8,
            mail_retry_base_secs: 30,
            mail_retry_cap_secs: 3600,
            mail_poll_ms: 500,
            mail_lease_secs: 120,
            mail_worker: true,
            schedule_every_ms: 30_000,
            test_clock_file: String::new(),
            magic_link_hours: 24,
            show_rate_prior_weight: 20.0,
            max_upload_bytes: 50 * 1024 * 1024,
            reminder_hours: vec![48, 3],
            still_coming_days: 3,
            volunteer_release_hours: 24,
            material_reminder_days: vec![1, 3, 7],
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: "us-east-1".into(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            s3_allow_http: false,
            rate_limits: "on".into(),
            trusted_proxies: String::new(),
            metrics_token: String::new(),
            rate_limit_registrations: 20,
            rate_limit_claims: 20,
            rate_limit_sign_ins: 10,
            rate_limit_sign_in_links: 5,
            rate_limit_proposals: 5,
            http_keep_alive_secs: 5,
            http_head_timeout_secs: 5,
            body_idle_timeout_secs: 20,
            body_min_bytes_per_sec: 32 * 1024,
            max_connections_per_client: 256,
            max_upload_bytes_in_flight: 256 * 1024 * 1024,
            min_free_disk_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Settings {
    /// Reads the layered configuration from `config_dir` and the environment.
    pub fn load(config_dir: &Path) -> Result<Settings, StartupError> {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(config_dir.join("default.toml")))
            .merge(Toml::file(config_dir.join("local.toml")))
            .merge(Env::prefixed("ROADSHOW_").ignore(&["config_dir", "test_postgres_url"]))
            .extract()
            .map_err(StartupError::from)
    }

    pub fn database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            format!(
                "sqlite://{}",
                self.data_dir.join("roadshow.sqlite3").display()
            )
        } else {
            self.database_url.trim().to_owned()
        }
    }

    pub fn base_url(&self) -> String {
        let url = if self.base_url.trim().is_empty() {
            format!("http://{}", self.bind)
        } else {
            self.base_url.trim().to_owned()
        };
        url.trim_end_matches('/').to_owned()
    }
}
