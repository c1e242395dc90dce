//! Rendered public pages kept in memory, and invalidated exactly when the data behind them
//! changes.
//!
//! Each page depends on a few keys (`stop:<id>`, `tour:<id>`, `home`, …). A change bumps the
//! version of its keys in the `cache_versions` table, in the same transaction as the change;
//! after the commit this instance drops the pages at once, and every other instance notices
//! within a poll (a quarter of a second) and drops them too.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use actix_web::web::Bytes;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

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

/// An organizer or an API token changed: callers remembered by their token are looked up
/// again, on every instance.
pub fn auth_changed(conn: &mut DbConnection) -> QueryResult<()> {
    touch(conn, &[keys::AUTH.to_owned()])
}

/// A tour, or the list of its stops, changed: its page, the home page and every page
/// of the tour (they all depend on the tour key).
pub fn tour_changed(conn: &mut DbConnection, tour_id: &str) -> QueryResult<()> {
    touch(conn, &[keys::tour(tour_id), keys::HOME.to_owned()])
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
        Arc::new(move |keys| {
            for key in keys {
                cache.bump(key);
            }
        })
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

    /// Applies the versions read from the database (changes made by any instance).
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

/// Records that the data behind `keys` changed: in the database (for every instance), and
/// for this instance's pages once the surrounding transaction commits (at once outside one),
/// so a page is never cached from data that is not committed yet.
pub fn touch(conn: &mut DbConnection, keys: &[String]) -> QueryResult<()> {
    let now = db::now();
    for key in keys {
        diesel::sql_query(
            "INSERT INTO cache_versions (key, version, changed_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET version = cache_versions.version + 1, changed_at = $2",
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(now)
        .execute(conn)?;
    }
    db::changed(keys);
    Ok(())
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    version: i64,
}

/// The versions changed since `since` (with a margin for transactions still running then).
pub fn changed_since(
    conn: &mut DbConnection,
    since: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<VersionRow> =
        diesel::sql_query("SELECT key, version FROM cache_versions WHERE changed_at >= $1")
            .bind::<Timestamp, _>(since - Duration::seconds(30))
            .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.key, r.version)).collect())
}

/// How often each instance looks for changes made by the others.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Keeps this instance's pages in step with changes committed by any instance.
pub fn spawn_poller(db: crate::db::Db, cache: Arc<PageCache>) {
    actix_web::rt::spawn(async move {
        loop {
            let since = db::now();
            let rows = db.run(move |conn| Ok(changed_since(conn, since)?)).await;
            match rows {
                Ok(rows) => cache.apply(rows),
                Err(e) => tracing::warn!(error = ?e, "page cache poll"),
            }
            actix_web::rt::time::sleep(POLL_EVERY).await;
        }
    });
}
