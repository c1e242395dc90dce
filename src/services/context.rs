//! What a use case runs with: the database, the page cache, the mailer, uploads, the rules'
//! settings and the batches, without anything of actix. A use case takes `&Context` and does
//! its own hop to the database (`ctx.db.run`, or the batches for registrations and check-ins),
//! so handlers parse, call one use case and render; the sync functions on `&mut DbConnection`
//! beside it stay for the command line, the demo and the tests.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;
use crate::email::transport::Mailer;
use crate::services::Env;

#[derive(Clone)]
pub struct Context {
    pub db: Db,
    /// Public pages as rendered, dropped when what they show changes (`crate::cache`).
    pub pages: Arc<crate::cache::PageCache>,
    pub settings: Arc<Settings>,
    pub mailer: Arc<Mailer>,
    pub storage: crate::storage::Storage,
    /// Where links point and the rules' settings, as the sync use cases take them.
    pub env: Env,
    /// Gathers the registrations for a stop that arrive together into one transaction.
    pub intake: crate::services::intake::Intake,
    /// Gathers the check-ins at a stop's door that arrive together into one transaction.
    pub door: crate::services::intake::Door,
    /// Organizers found by their API tokens (see `ApiCallers`).
    pub callers: Arc<crate::services::caller::ApiCallers>,
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl Context {
    pub fn url(&self, path: &str) -> String {
        self.env.links.url(path)
    }
}
