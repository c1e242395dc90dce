//! One diesel code base for SQLite and PostgreSQL: a connection enum picked from the URL scheme,
//! an r2d2 pool, the embedded migrations, and the few places where the dialects differ.

mod changes;
pub mod schema;
pub mod types;

pub use changes::{CommitHook, changed, changed_since, in_transaction};
use changes::{begun, ended, record_pending, with_hook};

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend; queries written once compile for both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, OpenError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite://") {
            Ok(Backend::Sqlite)
        } else {
            Err(OpenError::Scheme)
        }
    }
}

/// Why the database could not be opened or brought up to date: for the person starting the
/// server (`crate::error::StartupError` says it), never an HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the database URL must start with sqlite:// or postgres://")]
    Scheme,
    #[error("cannot create the folder {}: {source}", path.display())]
    Folder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Connect(#[from] r2d2::Error),
    #[error("migration failed: {0}")]
    Migrations(String),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Opens connections of the backend named by the URL scheme. Written by hand rather than
/// using the derive's `establish`, which tries every backend and hides the real error.
#[derive(Debug)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

impl ConnectionManager {
    pub fn new(url: &str) -> Result<Self, OpenError> {
        let backend = Backend::from_url(url)?;
        Ok(ConnectionManager {
            url: url.to_owned(),
            backend,
        })
    }
}

thread_local! {
    /// Set when a query on this thread found its connection gone (the database restarted):
    /// the pool then drops that connection instead of handing it out again.
    static BROKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

// busy_timeout first: switching a new file to WAL needs a lock other connections may hold.
// wal_autocheckpoint: with SQLite's default (1000 pages) a rush of registrations met a
// checkpoint every other batch, run by the committing writer while it held the write lock.
// The server checkpoints in the background instead (`spawn_checkpointer`); the high
// threshold only bounds the log where nothing does (the command line, a stalled server).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 20000;";

/// How often the server copies SQLite's write-ahead log back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Postgres => Ok(DbConnection::Postgresql(diesel::PgConnection::establish(
                &self.url,
            )?)),
            Backend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite://");
                let mut conn = diesel::SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        std::thread::panicking()
            || BROKEN.with(|b| b.replace(false))
            || match conn {
                DbConnection::Postgresql(c) => c.is_broken(),
                DbConnection::Sqlite(c) => c.is_broken(),
            }
    }
}

/// Builds the pool. SQLite's file is created on first connect; its folder must exist.
pub fn build_pool(url: &str, max_size: u32) -> Result<Pool, OpenError> {
    let manager = ConnectionManager::new(url)?;
    if manager.backend == Backend::Sqlite {
        let path = std::path::Path::new(url.trim_start_matches("sqlite://"));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| OpenError::Folder {
                path: parent.to_owned(),
                source,
            })?;
        }
    }
    r2d2::Pool::builder()
        .max_size(max_size)
        // Start with two connections (start-up waits for them), open the rest on demand.
        .min_idle(Some(max_size.min(2)))
        // No `SELECT 1` before every use (a round trip per request on PostgreSQL): a
        // connection that broke fails its query, and is dropped when it comes back.
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(OpenError::Connect)
}

/// Runs the embedded migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), OpenError> {
    let applied = match conn {
        DbConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    }
    .map_err(|e| OpenError::Migrations(e.to_string()))?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(())
}

/// True when every embedded migration has been applied.
pub fn migrations_current(conn: &mut DbConnection) -> bool {
    match conn {
        DbConnection::Postgresql(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
    }
    .map(|pending| !pending)
    .unwrap_or(false)
}

pub fn backend_of(conn: &DbConnection) -> Backend {
    match conn {
        DbConnection::Postgresql(_) => Backend::Postgres,
        DbConnection::Sqlite(_) => Backend::Sqlite,
    }
}

static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A write transaction that serialises with every other one taking the same path:
/// `BEGIN IMMEDIATE` on SQLite (the write lock is taken up front, so no upgrade can fail
/// half-way); a plain transaction on PostgreSQL, where callers lock the rows they decide on.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    // SQLite has one writer: writers of this process queue here, in order, instead of
    // meeting SQLite's busy handler, which sleeps whole milliseconds between attempts.
    let _writer = (matches!(conn, DbConnection::Sqlite(_)) && !in_transaction())
        .then(|| SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner()));
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Postgresql(_) => {
            <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?
        }
    }
    begun();
    let result = match f(conn).and_then(|value| Ok(record_pending(conn).map(|()| value)?)) {
        Ok(value) => {
            match <DbConnection as Connection>::TransactionManager::commit_transaction(conn) {
                Ok(()) => Ok(value),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => {
            // SQLite rolls back on its own after a full disk or an I/O error, and ROLLBACK
            // then fails ("no transaction is active"): the cause is the error to answer
            // with (a full disk is a 503). A connection left in a transaction is marked
            // broken by diesel and replaced by the pool.
            if let Err(rollback) =
                <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::warn!(error = %rollback, "rollback after a failed transaction");
            }
            Err(e)
        }
    };
    // What changed is told only once it is committed (pages are never cached from data that
    // is not).
    ended(result.is_ok());
    result
}

/// A filter that keeps a query from being kept prepared, so PostgreSQL plans it with the
/// values of each run. Diesel keeps statements prepared, and after five runs PostgreSQL may
/// switch to a generic plan made from the statistics of that moment: the batch lookups of a
/// stop's addresses and ticket codes (`= ANY($2)`), planned while the table was nearly empty,
/// slowed from 0.3 to 7 ms as a rush of registrations filled it.
pub fn planned_each_time() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql("TRUE")
}

/// Now, in UTC, at the precision both backends keep (microseconds), so what is written
/// reads back equal and compares correctly as text on SQLite (the app's clock, which a test
/// may run ahead: `crate::clock`).
pub fn now() -> NaiveDateTime {
    crate::clock::now()
}

/// A new row id: a UUID v7, time-ordered, so that rows written together land side by side in
/// the primary-key index (an append at its end) instead of on a random page each, which on a
/// rush of registrations is most of what a commit writes. 74 of its bits are random; ids are
/// not secrets either way (tokens are).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The pool as handlers use it: runs blocking diesel work off the async threads.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// Told what the work run through `run` changed, once committed (the page cache).
    on_commit: CommitHook,
    /// One permit per pooled connection: requests queue here, as cheap waiting tasks, rather
    /// than as blocking threads parked on the pool, where each returned connection woke
    /// threads that found it taken (under a rush, most of the time went to switching).
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    /// Connections kept for the batches that decide registrations and check-ins (`run_batch`):
    /// behind the requests' queue, each batch waited as long as it took to run.
    batch_permits: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Of the pool's connections, this many are for batches (when the pool has room for them).
const BATCH_CONNECTIONS: usize = 2;

impl Db {
    pub fn new(pool: Pool, on_commit: CommitHook) -> Self {
        let size = pool.max_size() as usize;
        let batches = if size > BATCH_CONNECTIONS {
            BATCH_CONNECTIONS
        } else {
            1
        };
        Db {
            pool,
            on_commit,
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(
                size.saturating_sub(batches).max(1),
            )),
            batch_permits: std::sync::Arc::new(tokio::sync::Semaphore::new(batches)),
        }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn get(&self) -> Result<PooledConnection, AppError> {
        self.pool.get().map_err(AppError::unexpected)
    }

    /// On SQLite, checkpoints the write-ahead log five times a second, off the writers' path:
    /// PASSIVE copies what no reader still needs and never waits for readers or writers.
    /// (Under the registration bench every 500 ms gave a p99 of 80-110 ms, the checkpoints'
    /// writes arriving in bursts; every 200 ms, 45-57 ms at the same rate; every 100 ms cost
    /// a sixth of the rate.)
    pub fn spawn_checkpointer(&self) {
        let db = self.clone();
        actix_web::rt::spawn(async move {
            loop {
                actix_web::rt::time::sleep(CHECKPOINT_EVERY).await;
                let done = db
                    .run(|conn| match conn {
                        DbConnection::Sqlite(c) => Ok(c
                            .batch_execute("PRAGMA wal_checkpoint(PASSIVE)")
                            .map(|_| true)?),
                        DbConnection::Postgresql(_) => Ok(false),
                    })
                    .await;
                match done {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => tracing::warn!(error = ?e, "SQLite checkpoint"),
                }
            }
        });
    }

    /// Runs `f` with a pooled connection on the runtime's blocking thread pool (tokio's, which
    /// actix's `web::block` is too).
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(AppError::unexpected)?;
        self.run_now(f).await
    }

    /// `run` for the batches of registrations and check-ins, which many requests wait for.
    pub async fn run_batch<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let _permit = self
            .batch_permits
            .acquire()
            .await
            .map_err(AppError::unexpected)?;
        self.run_now(f).await
    }

    async fn run_now<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let hook = self.on_commit.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(AppError::unexpected)?;
            let result = with_hook(hook, || f(&mut conn));
            if result.as_ref().is_err_and(AppError::lost_connection) {
                // The pool then drops this connection instead of handing it out again.
                BROKEN.with(|b| b.set(true));
            }
            result
        })
        .await
        .map_err(AppError::unexpected)?
    }
}
