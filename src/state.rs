use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;
use crate::email::transport::Mailer;
use crate::services::Env;

/// What every handler can reach: the database, the mailer and the settings.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Public pages as rendered, dropped when what they show changes (`crate::cache`).
    pub pages: Arc<crate::cache::PageCache>,
    pub settings: Arc<Settings>,
    pub mailer: Arc<Mailer>,
    pub storage: crate::storage::Storage,
    /// What the services need besides a connection: links, rules' settings.
    pub env: Env,
    /// Gathers the registrations for a stop that arrive together into one transaction.
    pub intake: crate::services::intake::Intake,
    /// Gathers the check-ins at a stop's door that arrive together into one transaction.
    pub door: crate::services::intake::Door,
    pub limits: Arc<crate::ratelimit::RateLimits>,
    /// Organizers found by their API tokens (see `ApiCallers`).
    pub callers: Arc<crate::services::accounts::ApiCallers>,
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn url(&self, path: &str) -> String {
        self.env.links.url(path)
    }
}
