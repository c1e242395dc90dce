//! Rendered public pages kept in memory, and invalidated exactly when the data behind them
//! changes.
//!
//! Each page depends on a few keys (`stop:<id>`, `tour:<id>`, `home`, …). A model's write
//! records what it changed (`record`, a `Change`); the database layer bumps the version of
//! those keys in the `cache_versions` table in the same transaction (`db::changed`); after the
//! commit this instance drops the pages at once, and every other instance notices within a
//! poll (a quarter of a second) and drops them too.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use actix_web::web::Bytes;
use diesel::prelude::*;

use crate::db::{self, DbConnection};

/// Keys pages depend on.
pub mod keys {
    pub const HOME: &str = "home";
    /// Venue details show on stop and tour pages.
    pub const VENUES: &str = "venues";
    /// Speaker names and talks show on stop pages and profiles.
    pub const SPEAKERS: &str = "speakers";

    pub fn stop(id: &str) -> String {
        format!("stop:{id}")
    }
    pub fn tour(id: &str) -> String {
        format!("tour:{id}")
    }
    pub fn report(tour_id: &str) -> String {
        format!("report:{tour_id}")
    }
    /// Organizers and their API tokens (see `services::accounts::ApiCallers`).
    pub const AUTH: &str = "auth";
}

/// What a write changed, in the words of the pages that show it. `keys` is the one place that
/// says which pages those are; the models' writes record their change (`record`), so a use case
/// cannot forget to, and `models_record_what_they_change` (tests/api/page_changes.rs) checks that
/// every write of a table pages show records one.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// A tour's own fields: its pages (the stop pages show its name) and the home page.
    Tour(&'a str),
    /// A stop's fields, or a new stop: its page, its tour's pages (they list it) and home.
    Stop { id: &'a str, tour_id: &'a str },
    /// What only the stop's own page shows: its backups and supporters.
    StopPage(&'a str),
    /// The stop's registration figures. Places left and the waitlist show on its page; its
    /// attendance (check-ins) only once it is done, when it also feeds the expected show
    /// rate its tour's later stops show.
    Figures {
        stop_id: &'a str,
        tour_id: &'a str,
        done: bool,
        only_check_ins: bool,
    },
    /// A stop's agenda or materials: its page, and the speakers' profiles listing talks and
    /// slides (the report depends on each stop's key).
    Program(&'a str),
    /// Speakers' profiles and talks, wherever they show.
    Speakers,
    /// Venue details, shown on stop and tour pages.
    Venues,
    /// Whether the tour's report is published.
    Report(&'a str),
    /// Organizers and their API tokens (see `services::accounts::ApiCallers`).
    Auth,
}

impl Change<'_> {
    /// The keys of the pages showing what changed.
    pub fn keys(self) -> Vec<String> {
        match self {
            Change::Tour(id) => vec![keys::tour(id), keys::HOME.to_owned()],
            Change::Stop { id, tour_id } => {
                vec![keys::stop(id), keys::tour(tour_id), keys::HOME.to_owned()]
            }
            Change::StopPage(id) => vec![keys::stop(id)],
            Change::Figures {
                done: false,
                only_check_ins: true,
                ..
            } => vec![],
            Change::Figures {
                stop_id,
                tour_id,
                done,
                ..
            } => {
                let mut k = vec![keys::stop(stop_id)];
                if done {
                    k.push(keys::tour(tour_id));
                }
                k
            }
            Change::Program(stop_id) => vec![keys::stop(stop_id), keys::SPEAKERS.to_owned()],
            Change::Speakers => vec![keys::SPEAKERS.to_owned()],
            Change::Venues => vec![keys::VENUES.to_owned()],
            Change::Report(tour_id) => vec![keys::report(tour_id)],
            Change::Auth => vec![keys::AUTH.to_owned()],
        }
    }
}

/// An organizer or an API token changed: callers remembered by their token are looked up
/// again, on every instance.
pub fn auth_changed(conn: &mut DbConnection) -> QueryResult<()> {
    record(conn, Change::Auth)
}

/// Records `change` for the pages showing it: their versions move when the surrounding
/// transaction commits, on every instance (at once outside a transaction).
pub fn record(conn: &mut DbConnection, change: Change<'_>) -> QueryResult<()> {
    db::changed(conn, &change.keys())
}

/// A rendered page, plain and gzipped, with what it was rendered from.
pub struct CachedPage {
    pub body: Bytes,
    pub gzip: Bytes,
    pub etag: String,
    pub last_modified: String,
    deps: Vec<(String, u64)>,
    born: std::time::Instant,
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    /// Local generation of each key: any change of it invalidates the pages rendered before.
    generations: RwLock<HashMap<String, u64>>,
    /// The database version last seen for each key (the poller compares with it).
    seen: Mutex<HashMap<String, i64>>,
    /// Counts every bump: a page rendered while it moved may show data older than its deps.
    clock: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    /// One render at a time per missing page: the requests that arrive meanwhile wait for it
    /// instead of rendering the same big page side by side (memory, database).
    renders: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("pages", &self.len())
            .finish()
    }
}

/// Above this many pages, the cache starts over (a bound against many distinct URLs).
const MAX_PAGES: usize = 20_000;

/// Pages also show what time changes (upcoming or past, overdue materials): re-render
/// them at least this often.
const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(60);

impl PageCache {
    pub fn new() -> Arc<PageCache> {
        Arc::new(PageCache::default())
    }

    /// What the database layer tells after each commit: the pages of the changed keys go.
    pub fn hook(self: &Arc<Self>) -> db::CommitHook {
        let cache = self.clone();
        Arc::new(move |versions| cache.apply(versions.to_vec()))
    }

    /// How often `key` changed as far as this instance knows.
    pub fn generation(&self, key: &str) -> u64 {
        self.generations
            .read()
            .map(|g| g.get(key).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// The lock whose holder renders the page `key`.
    pub fn render_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut renders = self.renders.lock().unwrap_or_else(|e| e.into_inner());
        renders.entry(key.to_owned()).or_default().clone()
    }

    /// The page is rendered: later requests find it cached.
    pub fn rendered(&self, key: &str) {
        let mut renders = self.renders.lock().unwrap_or_else(|e| e.into_inner());
        renders.remove(key);
    }

    /// Take it before reading the data of a page, and give it back to `put`.
    pub fn clock(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    /// A page still valid for all its dependencies.
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        let page = self.pages.read().ok()?.get(key).cloned()?;
        if page.born.elapsed() < MAX_AGE && page.deps.iter().all(|(d, g)| self.generation(d) == *g)
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            Some(page)
        } else {
            None
        }
    }

    /// Keeps a page rendered from data read after `clock` (unless something changed since,
    /// when the page is served once and not kept).
    pub fn put(&self, key: String, html: String, deps: &[String], clock: u64) -> Arc<CachedPage> {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let deps: Vec<(String, u64)> = deps
            .iter()
            .map(|d| (d.clone(), self.generation(d)))
            .collect();
        let body = Bytes::from(html);
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 3),
            flate2::Compression::default(),
        );
        let gzip = gz
            .write_all(&body)
            .and_then(|_| gz.finish())
            .map(Bytes::from)
            .unwrap_or_default();
        let etag = format!(
            "\"{}\"",
            &crate::secrets::token_hash(&String::from_utf8_lossy(&body))[..20]
        );
        let last_modified = chrono::Utc::now()
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let page = Arc::new(CachedPage {
            body,
            gzip,
            etag,
            last_modified,
            deps,
            born: std::time::Instant::now(),
        });
        if self.clock() != clock {
            return page;
        }
        if let Ok(mut pages) = self.pages.write() {
            if pages.len() >= MAX_PAGES {
                pages.clear();
            }
            pages.insert(key, page.clone());
        }
        page
    }

    /// Invalidates everything that depends on `key`.
    pub fn bump(&self, key: &str) {
        if let Ok(mut g) = self.generations.write() {
            *g.entry(key.to_owned()).or_insert(0) += 1;
        }
        self.clock.fetch_add(1, Ordering::SeqCst);
    }

    /// Applies versions of keys: committed here (told by the database layer), or read from
    /// the database (changes made by any instance). A version drops the pages once,
    /// whichever of the two tells it first (the poll reads this instance's own changes too).
    pub fn apply(&self, rows: Vec<(String, i64)>) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        for (key, version) in rows {
            if seen.get(&key) != Some(&version) {
                seen.insert(key.clone(), version);
                self.bump(&key);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.pages.read().map(|p| p.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How often each instance looks for changes made by the others.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Keeps this instance's pages in step with changes committed by any instance.
pub fn spawn_poller(db: crate::db::Db, cache: Arc<PageCache>) {
    actix_web::rt::spawn(async move {
        loop {
            let since = db::now();
            let rows = db
                .run(move |conn| Ok(db::changed_since(conn, since)?))
                .await;
            match rows {
                Ok(rows) => cache.apply(rows),
                Err(e) => tracing::warn!(error = ?e, "page cache poll"),
            }
            actix_web::rt::time::sleep(POLL_EVERY).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{Change, keys};

    #[test]
    fn a_stop_change_reaches_its_tour_and_home() {
        let k = Change::Stop {
            id: "s",
            tour_id: "t",
        }
        .keys();
        assert_eq!(k, [keys::stop("s"), keys::tour("t"), keys::HOME.to_owned()]);
        assert_eq!(Change::StopPage("s").keys(), [keys::stop("s")]);
    }

    #[test]
    fn check_ins_show_only_once_the_stop_is_done() {
        let figures = |done, only_check_ins| {
            Change::Figures {
                stop_id: "s",
                tour_id: "t",
                done,
                only_check_ins,
            }
            .keys()
        };
        assert!(figures(false, true).is_empty());
        assert_eq!(figures(false, false), [keys::stop("s")]);
        // A done stop's attendance feeds the expected show rate of the tour's later stops.
        assert_eq!(figures(true, true), [keys::stop("s"), keys::tour("t")]);
    }
}
