use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;

/// What every handler can reach: the database and the settings.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// `settings.base_url()`, computed once.
    pub base_url: Arc<str>,
}

impl AppState {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
