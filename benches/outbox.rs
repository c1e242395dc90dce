//! The e-mail worker's send rate: queue messages in the outbox, then time
//! `worker::run_pending` draining them, to the file transport and to an SMTP server on
//! loopback (a minimal sink in this file, so the figure is roadshow's and lettre's cost, not
//! a real relay's).
//!
//! ```sh
//! cargo bench --bench outbox
//! ROADSHOW_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench outbox
//! OUTBOX_BENCH_MESSAGES=5000 cargo bench --bench outbox
//! ```
//!
//! Every run gets a fresh app: a SQLite file in a temporary folder or, when
//! ROADSHOW_BENCH_POSTGRES_URL is set, a new database created on that server (and dropped
//! afterwards) for the PostgreSQL rows.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::Connection;
use diesel::connection::SimpleConnection;
use roadshow::config::{DatabaseSettings, MailSettings, ServerSettings, Settings};
use roadshow::email::{self, Email, Mail};
use roadshow::i18n::Lang;
use roadshow::models::outbox::OutboxMessage;
use roadshow::startup::Application;
use roadshow::state::AppState;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Transport {
    File,
    Smtp,
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Transport::File => "file",
            Transport::Smtp => "smtp (loopback)",
        }
    }
}

struct Outcome {
    backend: &'static str,
    transport: Transport,
    messages: usize,
    enqueue: Duration,
    send: Duration,
}

#[actix_web::main]
async fn main() {
    let messages: usize = std::env::var("OUTBOX_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let postgres = std::env::var("ROADSHOW_BENCH_POSTGRES_URL")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let sink = SmtpSink::start();

    let mut backends: Vec<(&'static str, Option<&str>)> = vec![("sqlite", None)];
    match &postgres {
        Some(url) => backends.push(("postgres", Some(url.as_str()))),
        None => {
            eprintln!("outbox bench: ROADSHOW_BENCH_POSTGRES_URL is not set; PostgreSQL is skipped")
        }
    }

    let mut outcomes = Vec::new();
    for (backend, admin_url) in backends {
        for transport in [Transport::File, Transport::Smtp] {
            let outcome = run_case(backend, admin_url, transport, &sink, messages).await;
            println!(
                "outbox {backend:<8} {:<16} {messages} messages: enqueued in {:>8.1} ms ({:>7.0}/s), sent in {:>8.1} ms ({:>7.0} messages/s)",
                transport.name(),
                ms(outcome.enqueue),
                rate(messages, outcome.enqueue),
                ms(outcome.send),
                rate(messages, outcome.send),
            );
            outcomes.push(outcome);
        }
    }

    println!();
    println!(
        "| backend | transport | messages | enqueue/s (one transaction each) | sent messages/s |"
    );
    println!("| --- | --- | ---: | ---: | ---: |");
    for o in &outcomes {
        println!(
            "| {} | {} | {} | {:.0} | {:.0} |",
            o.backend,
            o.transport.name(),
            o.messages,
            rate(o.messages, o.enqueue),
            rate(o.messages, o.send)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

async fn run_case(
    backend: &'static str,
    admin_url: Option<&str>,
    transport: Transport,
    sink: &SmtpSink,
    messages: usize,
) -> Outcome {
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let pg = admin_url.map(|url| {
        let url = url.to_owned();
        std::thread::spawn(move || PgDatabase::create(&url))
            .join()
            .expect("creating the database")
    });
    let database_url = match &pg {
        Some(db) => db.url.clone(),
        None => format!(
            "sqlite://{}",
            data_dir.path().join("bench.sqlite3").display()
        ),
    };
    let settings = Settings {
        data_dir: data_dir.path().to_path_buf(),
        server: ServerSettings {
            bind: "127.0.0.1:0".into(),
            workers: 2,
            ..ServerSettings::default()
        },
        database: DatabaseSettings {
            database_url: database_url.into(),
            ..DatabaseSettings::default()
        },
        mail: MailSettings {
            mail_worker: false,
            smtp_url: match transport {
                Transport::File => String::new(),
                Transport::Smtp => sink.url(),
            }
            .into(),
            ..MailSettings::default()
        },
        ..Settings::default()
    };
    // An organizer first, so the app has no setup link to print.
    let url = settings.database_url();
    std::thread::spawn(move || {
        let pool = roadshow::db::build_pool(&url, 1).expect("the database");
        let mut conn = pool.get().expect("a connection");
        roadshow::db::run_migrations(&mut conn).expect("migrations");
        let account = roadshow::services::accounts::check_account(
            "bench@example.org",
            "Bench",
            Some("a bench password, long enough"),
        )
        .expect("an account");
        roadshow::services::accounts::add_organizer(&mut conn, account, true)
            .expect("an organizer");
    })
    .join()
    .expect("preparing the database");
    let app = Application::build(settings).await.expect("the app builds");
    let state = app.state().clone();
    let handle = app.handle();
    actix_web::rt::spawn(app.run_until_stopped());

    let enqueue = enqueue_all(&state, messages).await;

    let sink_before = sink.snapshot();
    let started = Instant::now();
    let sent = roadshow::worker::run_pending(&state)
        .await
        .expect("run_pending");
    let send = started.elapsed();

    // Everything went out, once.
    assert_eq!(sent, messages, "run_pending attempted {sent} of {messages}");
    let counts = state
        .db
        .run(|conn| Ok(OutboxMessage::counts(conn, None)?))
        .await
        .expect("outbox counts");
    assert_eq!(
        (counts.sent, counts.queued, counts.failed),
        (messages as i64, 0, 0),
        "the outbox after the run (sent, queued, failed)"
    );
    match transport {
        Transport::File => assert_eq!(mail_files(&data_dir.path().join("mail")), messages),
        Transport::Smtp => {
            let after = sink.snapshot();
            let received = after.received - sink_before.received;
            assert_eq!(received, messages, "messages the SMTP sink received");
            let data_ns = after.data_ns - sink_before.data_ns;
            eprintln!(
                "outbox bench: the SMTP sink saw {} new connections; from DATA's 354 to the final \".\" took {:.2} ms per message on average",
                after.connections - sink_before.connections,
                data_ns as f64 / 1e6 / received.max(1) as f64
            );
        }
    }

    handle.stop(false).await;
    drop(state);
    if let Some(db) = pg {
        std::thread::spawn(move || drop(db))
            .join()
            .expect("dropping the database");
    }
    Outcome {
        backend,
        transport,
        messages,
        enqueue,
        send,
    }
}

/// Queues `n` messages like the app does: each in its own committed transaction.
async fn enqueue_all(state: &AppState, n: usize) -> Duration {
    let links = state.env.links.clone();
    let started = Instant::now();
    state
        .db
        .run(move |conn| {
            for i in 0..n {
                let name = format!("Person {i}");
                let mail = Mail::Bulk {
                    subject: format!("Your place at the Beijing stop ({i})"),
                    body: format!(
                        "You are registered for the OpenStack China Tour in Beijing, \
                         Sunday 16 September 2012, 13:30–17:30.\n\n[Your ticket]({})",
                        links.url(&format!("/r/bench-token-{i}"))
                    ),
                    tour: "OpenStack China Tour",
                    test: None,
                };
                email::enqueue(
                    conn,
                    &links,
                    Email::new(mail, Lang::En, &format!("person{i}@example.org"), &name),
                )?;
            }
            Ok(())
        })
        .await
        .expect("enqueue");
    started.elapsed()
}

fn mail_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

/// A fresh PostgreSQL database, dropped with this value.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin_url: &str) -> PgDatabase {
        let mut conn = diesel::PgConnection::establish(admin_url)
            .unwrap_or_else(|e| panic!("ROADSHOW_BENCH_POSTGRES_URL {admin_url}: {e}"));
        let name = format!("roadshow_bench_{}", uuid::Uuid::new_v4().simple());
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE");
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("ROADSHOW_BENCH_POSTGRES_URL needs a database part: {admin_url}"),
        };
        PgDatabase {
            admin_url: admin_url.to_owned(),
            name,
            url,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        match diesel::PgConnection::establish(&self.admin_url) {
            Ok(mut conn) => {
                if let Err(e) = conn.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                )) {
                    eprintln!("outbox bench: could not drop {}: {e}", self.name);
                }
            }
            Err(e) => eprintln!("outbox bench: could not drop {}: {e}", self.name),
        }
    }
}

/// An SMTP server on loopback that accepts every message and only counts them: 220 greeting,
/// EHLO/HELO → 250 (8BITMIME, SMTPUTF8), MAIL/RCPT → 250, DATA → 354 then everything up to
/// the lone "." → 250, QUIT → 221, anything else → 250.
#[derive(Clone)]
struct SmtpSink {
    port: u16,
    received: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    /// Nanoseconds spent between "354" and the end of the message, summed over messages.
    data_ns: Arc<AtomicU64>,
}

#[derive(Clone, Copy)]
struct SinkCounts {
    received: usize,
    connections: usize,
    data_ns: u64,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        listener.set_nonblocking(true).expect("non-blocking");
        let sink = SmtpSink {
            port: listener.local_addr().expect("local address").port(),
            received: Arc::new(AtomicUsize::new(0)),
            connections: Arc::new(AtomicUsize::new(0)),
            data_ns: Arc::new(AtomicU64::new(0)),
        };
        let s = sink.clone();
        // Its own thread and runtime, so it answers whatever the measured runtime is doing.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the SMTP sink's runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let s = s.clone();
                    tokio::spawn(async move {
                        let _ = s.session(stream).await;
                    });
                }
            });
        });
        sink
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn snapshot(&self) -> SinkCounts {
        SinkCounts {
            received: self.received.load(Ordering::SeqCst),
            connections: self.connections.load(Ordering::SeqCst),
            data_ns: self.data_ns.load(Ordering::SeqCst),
        }
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        self.connections.fetch_add(1, Ordering::SeqCst);
        stream.set_nodelay(true)?;
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read);
        write.write_all(b"220 bench.smtp ESMTP ready\r\n").await?;
        let mut line = Vec::with_capacity(256);
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).await? == 0 {
                return Ok(());
            }
            let verb: Vec<u8> = line
                .iter()
                .take(4)
                .map(|b| b.to_ascii_uppercase())
                .collect();
            match verb.as_slice() {
                b"EHLO" | b"HELO" => {
                    write
                        .write_all(b"250-bench.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                        .await?
                }
                b"DATA" => {
                    write.write_all(b"354 go ahead\r\n").await?;
                    let started = Instant::now();
                    loop {
                        line.clear();
                        if reader.read_until(b'\n', &mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == b".\r\n" || line == b".\n" {
                            break;
                        }
                    }
                    self.data_ns
                        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::SeqCst);
                    self.received.fetch_add(1, Ordering::SeqCst);
                    write.write_all(b"250 OK queued\r\n").await?;
                }
                b"QUIT" => {
                    write.write_all(b"221 bye\r\n").await?;
                    return Ok(());
                }
                _ => write.write_all(b"250 OK\r\n").await?,
            }
        }
    }
}
