//! What the writes of a transaction changed, by the names pages depend on (`stop:<id>`,
//! `tour:<id>`, … as `crate::cache::keys` names them).
//!
//! Model writes record names as they go (`changed`); the write transaction writes each name
//! once into `cache_versions` just before it commits — in sorted order, so two transactions
//! never wait on each other's names in opposite orders — and tells this instance's hook after
//! the commit. Other instances read the versions (`changed_since`). A write outside a
//! transaction records and tells at once.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::DbConnection;

/// Told, after each commit, the names of what the transaction changed with their new
/// versions: the page cache subscribes with one (`Db::new`).
pub type CommitHook = std::sync::Arc<dyn Fn(&[(String, i64)]) + Send + Sync>;

thread_local! {
    /// Depth of the write transactions running on this thread (`write_transaction` nests).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// What the running write transaction changed, not yet in `cache_versions`.
    static PENDING: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    /// What it changed and recorded, with the new versions, told on its commit.
    static RECORDED: RefCell<Vec<(String, i64)>> = const { RefCell::new(Vec::new()) };
    /// The hook of the `Db` whose work runs on this thread (see `Db::run`).
    static HOOK: RefCell<Option<CommitHook>> = const { RefCell::new(None) };
}

/// Whether a write transaction runs on this thread.
pub fn in_transaction() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

/// Records that the data named by `keys` changed: in `cache_versions` when the surrounding
/// write transaction commits, and told to the hook after that (never if it rolls back); at
/// once outside a transaction.
pub fn changed(conn: &mut DbConnection, keys: &[String]) -> QueryResult<()> {
    if in_transaction() {
        PENDING.with(|p| p.borrow_mut().extend(keys.iter().cloned()));
        return Ok(());
    }
    let keys: BTreeSet<String> = keys.iter().cloned().collect();
    let versions = write_versions(conn, &keys)?;
    tell(&versions);
    Ok(())
}

/// Moves each key's version on, and answers the new ones (this instance then knows them,
/// and does not drop its pages a second time when the poll reads them back).
fn write_versions(
    conn: &mut DbConnection,
    keys: &BTreeSet<String>,
) -> QueryResult<Vec<(String, i64)>> {
    let now = super::now();
    let mut versions = Vec::with_capacity(keys.len());
    for key in keys {
        let row: VersionRow = diesel::sql_query(
            "INSERT INTO cache_versions (key, version, changed_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET version = cache_versions.version + 1, changed_at = $2 \
             RETURNING key, version",
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(now)
        .get_result(conn)?;
        versions.push((row.key, row.version));
    }
    Ok(versions)
}

/// A write transaction began on this thread.
pub(super) fn begun() {
    DEPTH.with(|d| d.set(d.get() + 1));
}

/// Before the outermost commit: the versions of what changed, in the same transaction.
pub(super) fn record_pending(conn: &mut DbConnection) -> QueryResult<()> {
    if DEPTH.with(|d| d.get()) != 1 {
        return Ok(());
    }
    let keys = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    let versions = write_versions(conn, &keys)?;
    RECORDED.with(|r| r.borrow_mut().extend(versions));
    Ok(())
}

/// A write transaction ended; after the outermost one commits the hook hears what changed.
pub(super) fn ended(committed: bool) {
    let outermost = DEPTH.with(|d| {
        d.set(d.get().saturating_sub(1));
        d.get() == 0
    });
    if outermost {
        PENDING.with(|p| p.borrow_mut().clear());
        let recorded = RECORDED.with(|r| std::mem::take(&mut *r.borrow_mut()));
        if committed {
            tell(&recorded);
        }
    }
}

fn tell(keys: &[(String, i64)]) {
    if keys.is_empty() {
        return;
    }
    let hook = HOOK.with(|h| h.borrow().clone());
    if let Some(hook) = hook {
        hook(keys);
    }
}

/// Runs `f` with `hook` told of what its transactions change; leaves the thread clean.
pub(super) fn with_hook<T>(hook: CommitHook, f: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            HOOK.with(|h| h.borrow_mut().take());
            PENDING.with(|p| p.borrow_mut().clear());
            RECORDED.with(|r| r.borrow_mut().clear());
            DEPTH.with(|d| d.set(0));
        }
    }
    HOOK.with(|h| *h.borrow_mut() = Some(hook));
    let _reset = Reset;
    f()
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
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
