//! Builds the application: pool, migrations, routes, middleware. `Application::build` can
//! bind port 0, so tests start the real app on a free port.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, web};
use base64::Engine;
use rand::RngCore;
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Settings;
use crate::db::{self, Db};
use crate::error::{AppError, ErrorCode, StartupError};
use crate::services::accounts;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

/// Content Security Policy: no inline scripts or styles, no framing.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| StartupError::folder(&settings.data_dir, e))?;
        crate::limits::raise_open_file_limit();
        crate::http::uploads::prepare_temp_dir(&settings.data_dir)
            .map_err(|e| StartupError::folder(&settings.data_dir, e))?;
        let pool = open_database(&settings, settings.database.pool_size)?;
        let setup_token = {
            let mut conn = pool
                .get()
                .map_err(|e| StartupError::database(&settings.database_url(), e))?;
            accounts::setup_link_if_empty(&mut conn)?
        };
        let key = session_key(&settings)?;
        let listen = |e| StartupError::Listen {
            bind: settings.server.bind.clone(),
            source: e,
        };
        let listener = TcpListener::bind(&settings.server.bind).map_err(listen)?;
        let address = listener.local_addr().map_err(listen)?;
        let base_url = if settings.server.base_url.trim().is_empty() {
            format!("http://{address}")
        } else {
            settings.base_url()
        };
        if let Some(token) = setup_token {
            let link = format!("{base_url}/setup/{token}");
            tracing::info!(%link, "no organizer yet: open the setup link to create the first one");
            println!(
                "\n  roadshow is running. Create the first organizer (site admin) here:\n\n    {link}\n"
            );
        }
        // One TLS provider for every rustls client in the process (SMTP, S3).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let disk = crate::disk::DiskWatch::new(&settings);
        let mailer = crate::email::transport::Mailer::from_settings(&settings, disk.clone())?;
        tracing::info!(transport = %mailer.describe(), "e-mail");
        let pages = crate::cache::PageCache::new();
        let db = Db::new(pool, pages.hook());
        let env =
            crate::services::Env::new(crate::email::Links::new(&base_url), &settings, key.master());
        let app = crate::services::context::Context {
            intake: crate::services::intake::intake(db.clone(), env.clone()),
            door: crate::services::intake::door(db.clone(), env.clone()),
            callers: Arc::new(crate::services::caller::ApiCallers::new(
                db.clone(),
                pages.clone(),
            )),
            pages,
            metrics: Arc::default(),
            db,
            settings: Arc::new(settings.clone()),
            mailer: Arc::new(mailer),
            storage: {
                let storage = crate::storage::Storage::from_settings(&settings)?;
                tracing::info!(storage = %storage.description, "uploads");
                storage
            },
            env,
        };
        let state = AppState {
            app,
            limits: Arc::new(crate::ratelimit::RateLimits::from_settings(&settings)?),
        };
        crate::cache::spawn_poller(state.db.clone(), state.pages.clone());
        state.db.spawn_checkpointer();
        let limits = state.limits.clone();
        actix_web::rt::spawn(async move {
            loop {
                actix_web::rt::time::sleep(std::time::Duration::from_secs(60)).await;
                limits.forget_quiet();
            }
        });
        if !settings.server.test_clock_file.is_empty() {
            tracing::warn!(file = %settings.server.test_clock_file, "the clock follows a test's file");
            crate::clock::follow_file(settings.server.test_clock_file.clone().into());
        }
        if settings.mail.mail_worker {
            crate::worker::spawn(state.clone());
        }
        let server = build_server(state.clone(), listener, key, &settings, disk)?;
        tracing::info!(%address, database = %crate::error::redact_url(&settings.database_url()), "roadshow listening");
        Ok(Application {
            port: address.port(),
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Runs until SIGINT/SIGTERM, then finishes the requests in flight (graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn build_server(
    state: AppState,
    listener: TcpListener,
    key: Key,
    settings: &Settings,
    disk: Arc<crate::disk::DiskWatch>,
) -> Result<Server, StartupError> {
    use crate::limits::{BodyGuard, ConnectionLimit, UploadSlots};
    let secure = settings.server.secure_cookies;
    let uploads = Arc::new(UploadSlots::new(
        settings.storage.max_upload_bytes_in_flight,
    ));
    let body_guard = Arc::new(BodyGuard::new(settings, uploads, disk.clone()));
    let connections = ConnectionLimit::new(
        settings.connections.max_connections_per_client,
        state.limits.clone(),
    );
    let temp_files = crate::http::uploads::temp_file_config(&settings.data_dir);
    let workers = if settings.server.workers == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    } else {
        settings.server.workers
    };
    let server = HttpServer::new(move || {
        let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("roadshow_session".into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(
                PersistentSession::default()
                    .session_ttl(actix_web::cookie::time::Duration::days(14)),
            )
            .build();
        App::new()
            .app_data(web::Data::new(state.clone()))
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                AppError::bad_request(
                    ErrorCode::BadQuery,
                    format!("the query string is not valid: {err}"),
                )
                .into()
            }))
            .app_data(crate::http::uploads::multipart_config(
                state.settings.storage.max_upload_bytes,
            ))
            .app_data(temp_files.clone())
            .app_data(web::Data::from(disk.clone()))
            .app_data(
                web::PathConfig::default().error_handler(|_, _| AppError::not_found("page").into()),
            )
            // Inside the error pages, so its 408/503 answers render for browsers too.
            .wrap_fn({
                let body_guard = body_guard.clone();
                move |req, srv| crate::limits::guard(&body_guard, req, srv)
            })
            .wrap(ErrorHandlers::new().default_handler(crate::web::errors::render_error_page))
            .wrap(session)
            .wrap(
                DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::CONTENT_SECURITY_POLICY, CSP)),
            )
            .wrap_fn(|req, srv| {
                let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut()
                            .insert(header::HeaderName::from_static("x-request-id"), id);
                    }
                    Ok(res)
                }
            })
            .wrap_fn({
                let metrics = state.metrics.clone();
                move |req, srv| {
                    let started = std::time::Instant::now();
                    let method = req.method().clone();
                    let fut = srv.call(req);
                    let metrics = metrics.clone();
                    async move {
                        let res = fut.await?;
                        metrics.observe(
                            &method,
                            res.request().match_pattern(),
                            res.status(),
                            started.elapsed(),
                        );
                        Ok(res)
                    }
                }
            })
            .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
            .wrap_fn(|req, srv| {
                let fut = srv.call(req);
                async move { Ok(crate::limits::close_marked(fut.await?)) }
            })
            .route("/metrics", web::get().to(crate::api::metrics))
            .route("/healthz", web::get().to(crate::api::healthz))
            .route("/healthz", web::head().to(crate::api::healthz))
            .route("/readyz", web::get().to(crate::api::readyz))
            .route("/static/style.css", web::get().to(stylesheet))
            .configure(crate::api::routes)
            .configure(crate::web::routes)
            .default_service(web::to(not_found))
    })
    .workers(workers)
    // Set on purpose rather than left to the defaults: idle connections and slow request
    // heads are closed after a few seconds, and a connection that keeps sending after its
    // answer gets CLIENT_DISCONNECT to stop. Bodies have their own deadlines (BodyGuard).
    .keep_alive(std::time::Duration::from_secs(
        settings.connections.http_keep_alive_secs,
    ))
    .client_request_timeout(std::time::Duration::from_secs(
        settings.connections.http_head_timeout_secs.max(1),
    ))
    .client_disconnect_timeout(CLIENT_DISCONNECT)
    .on_connect(move |io, ext| connections.on_connect(io, ext))
    .shutdown_timeout(10)
    .listen(listener)
    .map_err(|e| StartupError::Listen {
        bind: settings.server.bind.clone(),
        source: e,
    })?
    .run();
    Ok(server)
}

/// The pool of the settings' database, brought up to date (migrations run once, here).
pub fn open_database(settings: &Settings, size: u32) -> Result<db::Pool, StartupError> {
    let url = settings.database_url();
    let pool = db::build_pool(&url, size).map_err(|e| StartupError::database(&url, e))?;
    let mut conn = pool.get().map_err(|e| StartupError::database(&url, e))?;
    db::run_migrations(&mut conn).map_err(|e| match e {
        db::OpenError::Migrations(why) => StartupError::Migrations(why),
        e => StartupError::database(&url, e),
    })?;
    Ok(pool)
}

/// How long a finished connection may linger before it is dropped.
const CLIENT_DISCONNECT: std::time::Duration = std::time::Duration::from_secs(2);

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::not_found("page"))
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../static/style.css"))
}

/// The key that signs and encrypts session cookies: from the settings, else generated once
/// into the data folder (readable by the owner only).
fn session_key(settings: &Settings) -> Result<Key, StartupError> {
    let engine = base64::engine::general_purpose::STANDARD;
    if !settings.server.secret_key.expose_secret().trim().is_empty() {
        let bytes = engine
            .decode(settings.server.secret_key.expose_secret().trim())
            .map_err(|_| StartupError::bad_setting("secret_key", "must be base64"))?;
        return Key::try_from(bytes.as_slice())
            .map_err(|_| StartupError::bad_setting("secret_key", "must hold at least 64 bytes"));
    }
    let path = settings.data_dir.join("session.key");
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Ok(bytes) = engine.decode(text.trim())
        && let Ok(key) = Key::try_from(bytes.as_slice())
    {
        return Ok(key);
    }
    let mut bytes = [0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    write_private(&path, &engine.encode(bytes))
        .map_err(|e| StartupError::folder(&settings.data_dir, e))?;
    Ok(Key::from(&bytes))
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(content.as_bytes())
}
