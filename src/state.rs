use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;
use crate::email::Links;
use crate::email::transport::Mailer;

/// What every handler can reach: the database, the mailer and the settings.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub mailer: Arc<Mailer>,
    /// Links in e-mails and pages, from the public base URL.
    pub links: Links,
}

impl AppState {
    pub fn url(&self, path: &str) -> String {
        self.links.url(path)
    }
}
