//! Settings: built-in defaults → `config/default.toml` → `config/local.toml` → `ROADSHOW_*`
//! environment variables → command-line flags. Passed around, never global.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::StartupError;

/// Grouped by concern, each field named as its key: the keys stay the flat names they always
/// had (`pool_size` in the TOML files, `ROADSHOW_POOL_SIZE` in the environment), and each
/// group is read from them (`Settings::load`). Secrets are `SecretString`s, so `Debug` prints
/// them redacted.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Holds the SQLite file, mail files, uploads and the session key.
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub schedule: ScheduleSettings,
    pub rules: RuleSettings,
    pub storage: StorageSettings,
    pub abuse: AbuseSettings,
    pub connections: ConnectionSettings,
}

/// The settings outside any group.
#[derive(Deserialize)]
#[serde(default)]
struct TopSettings {
    data_dir: PathBuf,
}

/// The HTTP server: where it listens, what it is called, its cookies' key, its logs.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    /// Address to listen on.
    pub bind: String,
    /// Links in e-mails and the setup link start with this; empty means `http://{bind}`.
    pub base_url: String,
    /// At least 64 bytes, base64. Empty: a key is generated once into the data folder.
    /// Several instances must share one.
    pub secret_key: SecretString,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// `text` or `json`.
    pub log_format: String,
    /// Set the Secure flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// When set, /metrics answers only to `Authorization: Bearer <metrics_token>`.
    pub metrics_token: SecretString,
    /// For tests only: a file holding how many seconds the app's clock runs ahead of the
    /// real one (see `clock`). Empty: the real clock.
    pub test_clock_file: String,
}

/// The database and the connections to it.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` or `postgres://…` (which may hold a password); empty means the SQLite
    /// file in `data_dir`. Read it with `Settings::database_url`.
    pub database_url: SecretString,
    /// Database connections per instance.
    pub pool_size: u32,
}

/// E-mail: the relay, the sender and the outbox worker.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    /// `smtp://` or `smtps://` relay (its user and password in the URL); empty means e-mails
    /// are written as files.
    pub smtp_url: SecretString,
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
}

/// The scheduled jobs: when reminders, "still coming?" and material requests go out.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct ScheduleSettings {
    /// How often the worker looks for scheduled jobs (reminders, "still coming?", material
    /// requests and their reminders).
    pub schedule_every_ms: u64,
    /// Reminders before a stop, in hours.
    pub reminder_hours: Vec<i64>,
    /// "Still coming?" this many days before a stop; 0 turns it off.
    pub still_coming_days: i64,
    /// Missing materials are asked for when a stop ends, then again after these many days.
    pub material_reminder_days: Vec<i64>,
}

/// The organizers' rules that are a matter of taste: weights and deadlines.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct RuleSettings {
    /// w: how many registrations the tour's prior show rate weighs against its own data.
    pub show_rate_prior_weight: f64,
    /// How long a sign-in link stays usable.
    pub magic_link_hours: i64,
    /// Volunteers may release a claimed task until this many hours before it.
    pub volunteer_release_hours: i64,
    /// The languages organizers may give their texts in (names, descriptions, directions,
    /// tasks) besides the original; readers see theirs where given. A third language is one
    /// more tag here.
    pub content_languages: Vec<String>,
}

/// Uploads: where they are kept, how big they may be, how much disk must stay free.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct StorageSettings {
    /// Largest upload (slides, photos), in bytes.
    pub max_upload_bytes: u64,
    /// Bytes of uploads received at once, across all clients; beyond it uploads get 503.
    pub max_upload_bytes_in_flight: u64,
    /// `/readyz` says not ready when the data folder's disk has less free space than this.
    pub min_free_disk_bytes: u64,
    /// Uploads go to this S3-compatible bucket; empty: the data folder.
    pub s3_bucket: String,
    /// The S3 endpoint (MinIO, Ceph, a cloud's S3 API); empty: AWS.
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: SecretString,
    /// Allow a plain-HTTP endpoint (a store on the private network).
    pub s3_allow_http: bool,
}

/// Per-address limits, and whose X-Forwarded-For names the address.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct AbuseSettings {
    /// "on" or "off": per-address limits on registrations, claims, sign-ins, sign-in links.
    pub rate_limits: String,
    /// Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
    pub trusted_proxies: String,
    /// Per client address and minute.
    pub rate_limit_registrations: u32,
    pub rate_limit_claims: u32,
    pub rate_limit_sign_ins: u32,
    pub rate_limit_sign_in_links: u32,
    pub rate_limit_proposals: u32,
}

/// Slow or greedy clients: connections, request heads and bodies.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct ConnectionSettings {
    /// Largest JSON or form body accepted, in bytes.
    pub max_body_bytes: usize,
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
}

impl Default for TopSettings {
    fn default() -> Self {
        TopSettings {
            data_dir: PathBuf::from("data"),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: TopSettings::default().data_dir,
            server: ServerSettings::default(),
            database: DatabaseSettings::default(),
            mail: MailSettings::default(),
            schedule: ScheduleSettings::default(),
            rules: RuleSettings::default(),
            storage: StorageSettings::default(),
            abuse: AbuseSettings::default(),
            connections: ConnectionSettings::default(),
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            bind: "127.0.0.1:8080".into(),
            base_url: String::new(),
            secret_key: SecretString::default(),
            workers: 0,
            log_format: "text".into(),
            secure_cookies: false,
            metrics_token: SecretString::default(),
            test_clock_file: String::new(),
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            database_url: SecretString::default(),
            pool_size: 8,
        }
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: SecretString::default(),
            mail_from: "roadshow <roadshow@localhost>".into(),
            mail_max_attempts: 8,
            mail_retry_base_secs: 30,
            mail_retry_cap_secs: 3600,
            mail_poll_ms: 500,
            mail_lease_secs: 120,
            mail_worker: true,
        }
    }
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            schedule_every_ms: 30_000,
            reminder_hours: vec![48, 3],
            still_coming_days: 3,
            material_reminder_days: vec![1, 3, 7],
        }
    }
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            show_rate_prior_weight: 20.0,
            magic_link_hours: 24,
            volunteer_release_hours: 24,
            content_languages: crate::domain::content::DEFAULT_LANGUAGES
                .map(str::to_owned)
                .to_vec(),
        }
    }
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            max_upload_bytes: 50 * 1024 * 1024,
            max_upload_bytes_in_flight: 256 * 1024 * 1024,
            min_free_disk_bytes: 64 * 1024 * 1024,
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: "us-east-1".into(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: SecretString::default(),
            s3_allow_http: false,
        }
    }
}

impl Default for AbuseSettings {
    fn default() -> Self {
        AbuseSettings {
            rate_limits: "on".into(),
            trusted_proxies: String::new(),
            rate_limit_registrations: 20,
            rate_limit_claims: 20,
            rate_limit_sign_ins: 10,
            rate_limit_sign_in_links: 5,
            rate_limit_proposals: 5,
        }
    }
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        ConnectionSettings {
            max_body_bytes: 256 * 1024,
            http_keep_alive_secs: 5,
            http_head_timeout_secs: 5,
            body_idle_timeout_secs: 20,
            body_min_bytes_per_sec: 32 * 1024,
            max_connections_per_client: 256,
        }
    }
}

impl Settings {
    /// Reads the layered configuration from `config_dir` and the environment; a key that is
    /// set nowhere keeps its built-in default.
    pub fn load(config_dir: &Path) -> Result<Settings, StartupError> {
        let figment = Figment::new()
            .merge(Toml::file(config_dir.join("default.toml")))
            .merge(Toml::file(config_dir.join("local.toml")))
            .merge(Env::prefixed("ROADSHOW_").ignore(&["config_dir", "test_postgres_url"]));
        // Each group on its own from the same flat keys, rather than one struct of
        // `#[serde(flatten)]` groups: flatten buffers the values first, and a wrong one would
        // be reported without its key and the file or variable it came from.
        let top: TopSettings = figment.extract()?;
        let rules: RuleSettings = figment.extract()?;
        crate::domain::content::languages(&rules.content_languages).map_err(|problem| {
            StartupError::BadSetting {
                name: "content_languages",
                problem,
            }
        })?;
        Ok(Settings {
            data_dir: top.data_dir,
            server: figment.extract()?,
            database: figment.extract()?,
            mail: figment.extract()?,
            schedule: figment.extract()?,
            rules,
            storage: figment.extract()?,
            abuse: figment.extract()?,
            connections: figment.extract()?,
        })
    }

    /// The database's URL, its password included: for connecting, never for logs.
    pub fn database_url(&self) -> String {
        let url = self.database.database_url.expose_secret().trim();
        if url.is_empty() {
            format!(
                "sqlite://{}",
                self.data_dir.join("roadshow.sqlite3").display()
            )
        } else {
            url.to_owned()
        }
    }

    pub fn base_url(&self) -> String {
        let url = if self.server.base_url.trim().is_empty() {
            format!("http://{}", self.server.bind)
        } else {
            self.server.base_url.trim().to_owned()
        };
        url.trim_end_matches('/').to_owned()
    }
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment::Jail's closures answer its own (large) error"
)]
mod tests {
    use figment::Jail;

    use super::*;

    fn load(jail: &Jail) -> figment::Result<Settings> {
        Settings::load(&jail.directory().join("config")).map_err(|e| e.to_string().into())
    }

    #[test]
    fn every_group_reads_its_flat_keys_from_the_files_and_the_environment() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_dir("config")?;
            jail.create_file(
                "config/default.toml",
                "bind = \"0.0.0.0:9000\"\npool_size = 3\nmail_from = \"tour <tour@example.org>\"\n\
                 reminder_hours = [24]\nshow_rate_prior_weight = 5.0\ns3_bucket = \"slides\"\n",
            )?;
            jail.create_file(
                "config/local.toml",
                "pool_size = 4\nrate_limit_claims = 7\n",
            )?;
            jail.set_env("ROADSHOW_POOL_SIZE", 5);
            jail.set_env("ROADSHOW_DATA_DIR", "/srv/roadshow");
            jail.set_env("ROADSHOW_SECRET_KEY", "a-secret-key");
            jail.set_env("ROADSHOW_DATABASE_URL", "postgres://u:pw@db/roadshow");
            jail.set_env("ROADSHOW_SMTP_URL", "smtp://u:pw@mail:587");
            jail.set_env("ROADSHOW_S3_SECRET_ACCESS_KEY", "s3-secret");
            jail.set_env("ROADSHOW_METRICS_TOKEN", "metrics-secret");
            jail.set_env("ROADSHOW_MAIL_WORKER", false);
            jail.set_env("ROADSHOW_MATERIAL_REMINDER_DAYS", "[2, 4]");
            jail.set_env("ROADSHOW_BODY_IDLE_TIMEOUT_SECS", 9);
            let s = load(jail)?;
            assert_eq!(s.data_dir, PathBuf::from("/srv/roadshow"));
            assert_eq!(s.server.bind, "0.0.0.0:9000");
            assert_eq!(s.server.secret_key.expose_secret(), "a-secret-key");
            assert_eq!(s.server.metrics_token.expose_secret(), "metrics-secret");
            // The environment over local.toml over default.toml.
            assert_eq!(s.database.pool_size, 5);
            assert_eq!(s.database_url(), "postgres://u:pw@db/roadshow");
            assert_eq!(s.mail.smtp_url.expose_secret(), "smtp://u:pw@mail:587");
            assert_eq!(s.mail.mail_from, "tour <tour@example.org>");
            assert!(!s.mail.mail_worker);
            assert_eq!(s.schedule.reminder_hours, [24]);
            assert_eq!(s.schedule.material_reminder_days, [2, 4]);
            assert_eq!(s.rules.show_rate_prior_weight, 5.0);
            assert_eq!(s.storage.s3_bucket, "slides");
            assert_eq!(s.storage.s3_secret_access_key.expose_secret(), "s3-secret");
            assert_eq!(s.abuse.rate_limit_claims, 7);
            assert_eq!(s.connections.body_idle_timeout_secs, 9);
            // A key set nowhere keeps its default.
            assert_eq!(s.rules.magic_link_hours, 24);
            assert_eq!(s.connections.max_body_bytes, 256 * 1024);
            Ok(())
        });
    }

    #[test]
    fn the_shipped_default_toml_says_what_the_built_in_defaults_are() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
            let s = Settings::load(&shipped).map_err(|e| e.to_string())?;
            assert_eq!(format!("{s:?}"), format!("{:?}", Settings::default()));
            Ok(())
        });
    }

    #[test]
    fn a_wrong_value_is_reported_with_its_key_and_where_it_was_set() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_dir("config")?;
            jail.set_env("ROADSHOW_POOL_SIZE", "many");
            let e = load(jail).unwrap_err().to_string();
            assert!(e.contains("POOL_SIZE") && e.contains("environment"), "{e}");
            jail.set_env("ROADSHOW_POOL_SIZE", 2);
            jail.create_file("config/local.toml", "mail_max_attempts = \"often\"\n")?;
            let e = load(jail).unwrap_err().to_string();
            assert!(
                e.contains("mail_max_attempts") && e.contains("local.toml"),
                "{e}"
            );
            Ok(())
        });
    }

    #[test]
    fn debug_never_prints_a_secret() {
        let mut settings = Settings::default();
        settings.server.secret_key = "the-session-secret".into();
        settings.server.metrics_token = "the-metrics-token".into();
        settings.database.database_url = "postgres://roadshow:db-password@db/roadshow".into();
        settings.mail.smtp_url = "smtp://mailer:smtp-password@mail:587".into();
        settings.storage.s3_secret_access_key = "the-s3-secret".into();
        let printed = format!("{settings:?}");
        for secret in [
            "the-session-secret",
            "the-metrics-token",
            "db-password",
            "smtp-password",
            "the-s3-secret",
        ] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(
            printed.contains("127.0.0.1:8080"),
            "the rest is shown: {printed}"
        );
    }
}
