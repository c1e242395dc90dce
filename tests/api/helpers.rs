//! Starts the real app on a free port with a fresh database: a SQLite file in a temporary
//! folder, or a new PostgreSQL database (dropped afterwards) when one is reachable.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use roadshow::config::{AbuseSettings, DatabaseSettings, MailSettings, ServerSettings, Settings};
use roadshow::db::DbConnection;
use roadshow::startup::Application;
use roadshow::state::AppState;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub data_path: std::path::PathBuf,
    pub api: reqwest::Client,
    pub state: AppState,
    backend: Backend,
    handle: actix_web::dev::ServerHandle,
    pg_database: Option<String>,
    _data_dir: tempfile::TempDir,
}

fn postgres_admin_url() -> String {
    std::env::var("ROADSHOW_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_required() -> bool {
    std::env::var("ROADSHOW_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// The URL of a new, empty PostgreSQL database, or None when no server answers.
fn fresh_postgres_database() -> Option<(String, String)> {
    let admin = postgres_admin_url();
    let mut conn = match diesel::PgConnection::establish(&admin) {
        Ok(c) => c,
        Err(e) => {
            if postgres_required() {
                panic!(
                    "PostgreSQL is required (ROADSHOW_TEST_REQUIRE_POSTGRES=1) but {admin} fails: {e}"
                );
            }
            eprintln!("skipping a PostgreSQL test: {admin} is not reachable ({e})");
            return None;
        }
    };
    let name = format!("roadshow_test_{}", uuid::Uuid::new_v4().simple());
    conn.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("bad admin URL {admin}"),
    };
    Some((name, url))
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (pg_database, database_url) = match backend {
        Backend::Sqlite => (
            None,
            format!(
                "sqlite://{}",
                data_dir.path().join("test.sqlite3").display()
            ),
        ),
        Backend::Postgres => {
            let (name, url) = actix_web::rt::task::spawn_blocking(fresh_postgres_database)
                .await
                .expect("join")?;
            (Some(name), url)
        }
    };
    let mut settings = Settings {
        data_dir: data_dir.path().to_path_buf(),
        server: ServerSettings {
            bind: "127.0.0.1:0".into(),
            workers: 2,
            ..ServerSettings::default()
        },
        database: DatabaseSettings {
            database_url: database_url.into(),
            pool_size: 6,
        },
        // Tests drain the outbox on demand (`TestApp::drain`) instead of waiting for the loop.
        mail: MailSettings {
            mail_worker: false,
            ..MailSettings::default()
        },
        // Every test client comes from 127.0.0.1; the limits have their own tests.
        abuse: AbuseSettings {
            rate_limits: "off".into(),
            ..AbuseSettings::default()
        },
        ..Settings::default()
    };
    adjust(&mut settings);
    let app = Application::build(settings).await.expect("app builds");
    let port = app.port();
    let state = app.state().clone();
    let handle = app.handle();
    actix_web::rt::spawn(app.run_until_stopped());
    Some(TestApp {
        address: format!("http://127.0.0.1:{port}"),
        api: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        state,
        backend,
        handle,
        pg_database,
        data_path: data_dir.path().to_path_buf(),
        _data_dir: data_dir,
    })
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(name) = self.pg_database.take()
            && let Ok(mut conn) = diesel::PgConnection::establish(&postgres_admin_url())
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Runs each case on SQLite and on PostgreSQL (skipped, with a note, when none is reachable
/// unless ROADSHOW_TEST_REQUIRE_POSTGRES=1).
#[macro_export]
macro_rules! both_backends {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn case($app: $crate::helpers::TestApp) $body

                #[actix_web::test]
                async fn sqlite() {
                    case($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await.unwrap()).await
                }

                #[actix_web::test]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                        case(app).await
                    }
                }
            }
        )*
    };
}

pub const PASSWORD: &str = "a long enough password";

/// A signed-in organizer, for the API and the pages.
pub struct Organizer {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// A second instance on the same database as `first` (its own data folder and port).
pub async fn spawn_instance_sharing(
    first: &TestApp,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let url = first.state.settings.database_url();
    let mut app = spawn_app_with(Backend::Sqlite, |s| {
        s.database.database_url = url.into();
        adjust(s)
    })
    .await
    .unwrap();
    app.pg_database = None;
    app.backend = first.backend;
    app
}

impl TestApp {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Sends every due message now, as the worker would.
    pub async fn drain(&self) -> usize {
        roadshow::worker::run_pending(&self.state).await.unwrap()
    }

    /// The messages written by the file transport, as raw text.
    pub fn mail_files(&self) -> Vec<String> {
        let dir = self.data_path.join("mail");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// The decoded plain-text and HTML parts of the mail files sent to `to`.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        self.mail_files()
            .iter()
            .map(|raw| Mail::parse(raw))
            .filter(|m| m.to.contains(to))
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> T + Send + 'static,
    ) -> T {
        self.state.db.run(move |conn| Ok(f(conn))).await.unwrap()
    }

    /// Creates an organizer account and an API token for it.
    pub async fn organizer(&self, email: &str) -> Organizer {
        self.organizer_with(email, false).await
    }

    pub async fn organizer_with(&self, email: &str, admin: bool) -> Organizer {
        let email = email.to_owned();
        let e = email.clone();
        let (id, token) = self
            .db(move |conn| {
                let account = roadshow::services::accounts::check_account(
                    &e,
                    "Test Organizer",
                    Some(PASSWORD),
                )
                .unwrap();
                let o = roadshow::services::accounts::add_organizer(conn, account, admin).unwrap();
                let (token, _) =
                    roadshow::services::accounts::create_api_token(conn, &o, "test", None).unwrap();
                (o.id, token)
            })
            .await;
        Organizer { id, email, token }
    }

    pub async fn get(&self, who: &Organizer, path: &str) -> reqwest::Response {
        self.api
            .get(self.url(path))
            .bearer_auth(&who.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, who: &Organizer, path: &str, body: &Value) -> reqwest::Response {
        self.api
            .post(self.url(path))
            .bearer_auth(&who.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, who: &Organizer, path: &str, body: &Value) -> reqwest::Response {
        self.api
            .patch(self.url(path))
            .bearer_auth(&who.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, who: &Organizer, path: &str, body: &Value) -> reqwest::Response {
        self.api
            .put(self.url(path))
            .bearer_auth(&who.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// POSTs and expects `status`; returns the JSON body.
    pub async fn post_ok(&self, who: &Organizer, path: &str, body: &Value, status: u16) -> Value {
        let res = self.post(who, path, body).await;
        let got = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "POST {path}: {body}");
        body
    }

    pub async fn create_tour(&self, who: &Organizer, name: &str) -> Value {
        self.post_ok(who, "/api/v1/tours", &json!({ "name": name, "description": "A *tour*.", "contact_email": "team@example.org" }), 201)
            .await
    }

    pub async fn create_venue(
        &self,
        who: &Organizer,
        name: &str,
        city: &str,
        capacity: i64,
    ) -> Value {
        self.post_ok(
            who,
            "/api/v1/venues",
            &json!({
                "name": name, "city": city, "address": format!("1 {name} Road, {city}"),
                "directions": "Take the lift to the 3rd floor.", "capacity": capacity,
                "kind": "company_office", "cost": "free", "contact": "Ms. Li, 138 0000 0000"
            }),
            201,
        )
        .await
    }

    /// A stop on 16 Sep 2012, 13:30–17:30 Beijing time.
    pub async fn create_stop(
        &self,
        who: &Organizer,
        tour_id: &str,
        venue_id: &str,
        backups: &[&str],
    ) -> Value {
        self.post_ok(
            who,
            &format!("/api/v1/tours/{tour_id}/stops"),
            &json!({
                "city": "北京", "starts_at": "2012-09-16T13:30:00+08:00", "ends_at": "2012-09-16T17:30:00+08:00",
                "timezone": "Asia/Shanghai", "venue_id": venue_id, "backup_venue_ids": backups
            }),
            201,
        )
        .await
    }

    /// A browser: a client with its own cookie jar, not following redirects.
    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.address.clone(),
        }
    }

    /// Signs in with a client that keeps no cookies and returns the session cookie
    /// (`roadshow_session=…`), as someone who copied it would hold it.
    pub async fn session_cookie(&self, who: &Organizer) -> String {
        let b = self.browser();
        let csrf = b.csrf_of("/login").await;
        let res = b
            .client
            .post(self.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("email", who.email.as_str()),
                ("password", PASSWORD),
                ("next", "/manage"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "sign-in failed");
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("roadshow_session="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .expect("a session cookie")
    }

    /// A browser that sends this cookie with every request, whatever the server answers
    /// (a copied cookie, replayed).
    pub fn browser_with_cookie(&self, cookie: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
        Browser {
            client: reqwest::Client::builder()
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.address.clone(),
        }
    }

    pub async fn signed_in_browser(&self, who: &Organizer) -> Browser {
        let b = self.browser();
        let csrf = b.csrf_of("/login").await;
        let res = b
            .post_form(
                "/login",
                &[
                    ("_csrf", csrf.as_str()),
                    ("email", who.email.as_str()),
                    ("password", PASSWORD),
                    ("next", "/manage"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "sign-in failed");
        b
    }
}

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    pub async fn page(&self, path: &str) -> (u16, scraper::Html) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (
            status,
            scraper::Html::parse_document(&res.text().await.unwrap()),
        )
    }

    /// The CSRF token of the first form on a page.
    pub async fn csrf_of(&self, path: &str) -> String {
        let (status, html) = self.page(path).await;
        assert_eq!(status, 200, "GET {path}");
        attr(&html, "input[name=_csrf]", "value").expect("a CSRF field")
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{}", self.base, path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }
}

pub fn select_text(html: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

pub fn attr(html: &scraper::Html, selector: &str, name: &str) -> Option<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    html.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

pub async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A message read back from the file transport.
#[derive(Debug, Clone)]
pub struct Mail {
    pub raw: String,
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    /// The attached calendar files (text/calendar parts), decoded.
    pub ics: String,
}

impl Mail {
    pub fn parse(raw: &str) -> Mail {
        // Headers may be folded over several lines (continuations start with a space).
        let head = raw
            .split("\r\n\r\n")
            .next()
            .unwrap_or(raw)
            .replace("\r\n ", " ")
            .replace("\r\n\t", " ");
        let header = |name: &str| {
            head.lines()
                .find(|l| {
                    l.to_ascii_lowercase()
                        .starts_with(&format!("{}:", name.to_ascii_lowercase()))
                })
                .map(|l| l.split_once(':').unwrap().1.trim().to_owned())
                .unwrap_or_default()
        };
        Mail {
            raw: raw.to_owned(),
            to: header("To"),
            subject: decode_words(&header("Subject")),
            message_id: header("Message-ID"),
            text: decoded_parts(
                raw,
                &["content-type: text/plain", "content-type: text/html"],
            )
            .join("\n"),
            ics: decoded_parts(raw, &["content-type: text/calendar"]).join("\n"),
        }
    }

    /// The first link in the text that contains `fragment`.
    pub fn link(&self, fragment: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(fragment))
            .unwrap_or_else(|| panic!("no link with {fragment} in {}", self.text))
            .to_owned()
    }
}

/// Decodes RFC 2047 encoded words (=?utf-8?b?...?=) in a header.
fn decode_words(value: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut previous_encoded = false;
    for w in value.split_whitespace() {
        let lower = w.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && w.ends_with("?=");
        let joined_to_previous = encoded && previous_encoded;
        if !out.is_empty() && !joined_to_previous {
            out.push(' ');
        }
        if encoded {
            let inner = &w[10..w.len() - 2];
            out.push_str(
                &String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(inner)
                        .unwrap_or_default(),
                )
                .unwrap_or_default(),
            );
        } else {
            out.push_str(w);
        }
        previous_encoded = encoded;
    }
    out
}

/// The bodies of the parts of these types, decoded from base64 or quoted-printable.
fn decoded_parts(raw: &str, types: &[&str]) -> Vec<String> {
    use base64::Engine;
    let mut out = Vec::new();
    // Walk the parts: a header block, a blank line, a body up to the next boundary.
    let normalized = raw.replace("\r\n", "\n");
    let blocks: Vec<&str> = normalized.split("\n--").collect();
    for block in blocks {
        let Some((head, body)) = block.split_once("\n\n") else {
            continue;
        };
        let head_lower = head.to_ascii_lowercase();
        // The message's bodies are read apart from attachments such as the .ics.
        if !types.iter().any(|t| head_lower.contains(t)) {
            continue;
        }
        let body = body.trim_end_matches('-').trim();
        if head_lower.contains("content-transfer-encoding: base64") {
            let joined: String = body.lines().map(str::trim).collect();
            out.push(
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(joined)
                        .unwrap_or_default(),
                )
                .unwrap_or_default(),
            );
        } else if head_lower.contains("quoted-printable") {
            out.push(decode_qp(body));
        } else {
            out.push(body.to_owned());
        }
    }
    out
}

fn decode_qp(s: &str) -> String {
    let mut bytes = Vec::new();
    let mut chars = s.as_bytes().iter().peekable();
    while let Some(&b) = chars.next() {
        if b == b'=' {
            let h1 = chars.next().copied();
            if h1 == Some(b'\n') {
                continue;
            }
            let h2 = chars.next().copied();
            if let (Some(a), Some(c)) = (h1, h2)
                && let Ok(v) = u8::from_str_radix(&format!("{}{}", a as char, c as char), 16)
            {
                bytes.push(v);
                continue;
            }
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A published tour with one open stop `days` from now in a venue of `capacity` seats.
pub struct OpenStop {
    pub tour_id: String,
    pub stop_id: String,
    pub venue_id: String,
}

impl TestApp {
    pub async fn open_stop(
        &self,
        who: &Organizer,
        capacity: i64,
        show_rate: Option<f64>,
        days: i64,
    ) -> OpenStop {
        let tour = self.create_tour(who, "Tour").await;
        let tour_id = tour["id"].as_str().unwrap().to_owned();
        self.open_stop_in(who, &tour_id, capacity, show_rate, days)
            .await
    }

    pub async fn open_stop_in(
        &self,
        who: &Organizer,
        tour_id: &str,
        capacity: i64,
        show_rate: Option<f64>,
        days: i64,
    ) -> OpenStop {
        let venue = self.create_venue(who, "Hall", "北京", capacity).await;
        let venue_id = venue["id"].as_str().unwrap().to_owned();
        let start = chrono::Utc::now() + chrono::Duration::days(days);
        let end = start + chrono::Duration::hours(4);
        let stop = self
            .post_ok(
                who,
                &format!("/api/v1/tours/{tour_id}/stops"),
                &serde_json::json!({
                    "city": "北京", "starts_at": start.to_rfc3339(), "ends_at": end.to_rfc3339(),
                    "timezone": "Asia/Shanghai", "venue_id": venue_id, "show_rate": show_rate, "status": "open"
                }),
                201,
            )
            .await;
        self.patch(
            who,
            &format!("/api/v1/tours/{tour_id}"),
            &serde_json::json!({"status": "published"}),
        )
        .await;
        OpenStop {
            tour_id: tour_id.to_owned(),
            stop_id: stop["id"].as_str().unwrap().to_owned(),
            venue_id,
        }
    }

    /// Registers as the public does; returns (status, body).
    pub async fn register(&self, stop_id: &str, name: &str, email: &str) -> (u16, Value) {
        json(
            self.api
                .post(self.url(&format!("/api/v1/stops/{stop_id}/registrations")))
                .json(&serde_json::json!({"name": name, "email": email}))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn stats(&self, who: &Organizer, stop_id: &str) -> Value {
        let (status, body) = json(
            self.get(who, &format!("/api/v1/stops/{stop_id}/stats"))
                .await,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        body
    }
}
