//! Rate limits per client address and the sign-in backoff.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

async fn app_with_limits(trusted_proxies: &str) -> TestApp {
    let proxies = trusted_proxies.to_owned();
    spawn_app_with(Backend::Sqlite, move |s| {
        s.abuse.rate_limits = "on".into();
        s.abuse.rate_limit_registrations = 3;
        s.abuse.rate_limit_sign_in_links = 2;
        s.abuse.trusted_proxies = proxies;
    })
    .await
    .unwrap()
}

async fn register_from(
    app: &TestApp,
    stop_id: &str,
    n: usize,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .api
        .post(app.url(&format!("/api/v1/stops/{stop_id}/registrations")))
        .json(&json!({"name": "Someone", "email": format!("person{n}@example.org")}));
    if let Some(ip) = forwarded_for {
        req = req.header("X-Forwarded-For", ip);
    }
    req.send().await.unwrap()
}

#[actix_web::test]
async fn registrations_over_the_limit_get_429_with_retry_after() {
    let app = app_with_limits("").await;
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    for n in 0..3 {
        assert_eq!(
            register_from(&app, &stop.stop_id, n, None).await.status(),
            201
        );
    }
    let res = register_from(&app, &stop.stop_id, 3, None).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
    // Nothing was written for the refused attempt.
    assert_eq!(app.stats(&org, &stop.stop_id).await["confirmed"], 3);

    // The browser form is limited too, and its error page keeps Retry-After.
    let b = app.browser();
    let res = b
        .client
        .post(app.url(&format!("/stops/{}/register", stop.stop_id)))
        .header("origin", &app.address)
        .form(&[("name", "Form"), ("email", "form@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429, "{:?}", res.text().await);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("<html"));

    // X-Forwarded-For from a peer that is not a trusted proxy changes nothing.
    let res = register_from(&app, &stop.stop_id, 4, Some("203.0.113.9")).await;
    assert_eq!(res.status(), 429);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_limit() {
    let app = app_with_limits("127.0.0.1/32, ::1").await;
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    for n in 0..3 {
        assert_eq!(
            register_from(&app, &stop.stop_id, n, Some("203.0.113.1"))
                .await
                .status(),
            201
        );
    }
    assert_eq!(
        register_from(&app, &stop.stop_id, 3, Some("203.0.113.1"))
            .await
            .status(),
        429
    );
    // Another client behind the same proxy; a spoofed left-most entry does not help the first.
    assert_eq!(
        register_from(&app, &stop.stop_id, 4, Some("203.0.113.2"))
            .await
            .status(),
        201
    );
    assert_eq!(
        register_from(&app, &stop.stop_id, 5, Some("198.51.100.7, 203.0.113.1"))
            .await
            .status(),
        429
    );
}

#[actix_web::test]
async fn sign_in_link_requests_are_limited() {
    let app = app_with_limits("").await;
    let b = app.browser();
    let mut statuses = vec![];
    for n in 0..3 {
        let csrf = b.csrf_of("/volunteer/login").await;
        let res = b
            .post_form(
                "/volunteer/login",
                &[("_csrf", &csrf), ("email", &format!("v{n}@example.org"))],
            )
            .await;
        statuses.push(res.status().as_u16());
    }
    assert_ne!(statuses[0], 429);
    assert_ne!(statuses[1], 429);
    assert_eq!(statuses[2], 429, "{statuses:?}");
}

#[actix_web::test]
async fn switched_off_there_is_no_limit() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.abuse.rate_limits = "off".into();
        s.abuse.rate_limit_registrations = 1;
    })
    .await
    .unwrap();
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    for n in 0..5 {
        assert_eq!(
            register_from(&app, &stop.stop_id, n, None).await.status(),
            201
        );
    }
}

async fn token_attempt(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.api
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

both_backends! {
    async fn repeated_wrong_passwords_lock_sign_in_for_a_while(app: TestApp) {
        app.organizer("hui@example.org").await;
        for _ in 0..4 {
            assert_eq!(token_attempt(&app, "hui@example.org", "wrong password!").await.status(), 401);
        }
        let res = token_attempt(&app, "HUI@example.org", "wrong password!").await;
        assert_eq!(res.status(), 429, "the fifth failure in a row locks");
        assert_eq!(res.headers()["retry-after"], "30");
        // While locked even the right password is refused, in the browser too.
        assert_eq!(token_attempt(&app, "hui@example.org", PASSWORD).await.status(), 429);
        let b = app.browser();
        let csrf = b.csrf_of("/login").await;
        let res = b.post_form("/login", &[("_csrf", &csrf), ("email", "hui@example.org"), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), 429);
        // Unknown addresses behave the same, so the lock reveals no account.
        for _ in 0..4 {
            assert_eq!(token_attempt(&app, "nobody@example.org", "x").await.status(), 401);
        }
        assert_eq!(token_attempt(&app, "nobody@example.org", "x").await.status(), 429);

        // Once the lock has run out, the right password works and clears the count.
        app.db(|conn| {
            use diesel::prelude::*;
            diesel::sql_query("UPDATE sign_in_failures SET locked_until = NULL").execute(conn).unwrap();
        }).await;
        assert_eq!(token_attempt(&app, "hui@example.org", PASSWORD).await.status(), 201);
        assert_eq!(token_attempt(&app, "hui@example.org", "wrong password!").await.status(), 401);
    }
}

// ----- slow and greedy clients -----

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

fn socket_addr(app: &TestApp) -> std::net::SocketAddr {
    app.address.trim_start_matches("http://").parse().unwrap()
}

/// A connection from a chosen loopback address (all of 127.0.0.0/8 reaches the server).
async fn connect_from(app: &TestApp, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(socket_addr(app)).await.unwrap()
}

/// Everything the server sends until it closes the connection, or None if it is still open
/// after `within`.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|_| String::from_utf8_lossy(&out).into_owned())
}

/// The first bytes of the answer, while the connection may stay open.
async fn read_answer(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    match tokio::time::timeout(within, stream.read(&mut buf)).await {
        Ok(Ok(n)) if n > 0 => Some(String::from_utf8_lossy(&buf[..n]).into_owned()),
        _ => None,
    }
}

async fn healthz_from(app: &TestApp, from: &str) -> Option<String> {
    let mut stream = connect_from(app, from).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: roadshow\r\n\r\n")
        .await
        .ok()?;
    read_answer(&mut stream, Duration::from_secs(3)).await
}

#[actix_web::test]
async fn a_client_that_stalls_its_body_is_answered_408_and_cut_off() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.connections.body_idle_timeout_secs = 1
    })
    .await
    .unwrap();
    let mut stream = TcpStream::connect(socket_addr(&app)).await.unwrap();
    stream
        .write_all(
            b"POST /api/v1/tokens HTTP/1.1\r\nHost: roadshow\r\nContent-Type: application/json\r\n\
              Content-Length: 100000\r\n\r\n{\"email\": ",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(20))
        .await
        .expect("the server closes a connection whose body stalls");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[actix_web::test]
async fn a_client_that_trickles_its_body_is_cut_off_at_the_deadline() {
    // 100 000 bytes at 100 000 bytes/s: due within 10 s + 1 s, while one byte every 200 ms
    // never trips the idle timeout.
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.connections.body_idle_timeout_secs = 5;
        s.connections.body_min_bytes_per_sec = 100_000;
    })
    .await
    .unwrap();
    let org = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&org, 100, Some(1.0), 10).await;
    let mut stream = TcpStream::connect(socket_addr(&app)).await.unwrap();
    let head = format!(
        "POST /api/v1/stops/{}/registrations HTTP/1.1\r\nHost: roadshow\r\n\
         Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
        stop.stop_id
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = None;
    while started.elapsed() < Duration::from_secs(25) {
        if stream.write_all(b" ").await.is_err() {
            break;
        }
        if let Some(a) = read_answer(&mut stream, Duration::from_millis(200)).await {
            answer = Some(a);
            break;
        }
    }
    let answer = answer.expect("an answer before the trickle ends");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[actix_web::test]
async fn connections_beyond_the_cap_from_one_address_are_refused_while_others_are_served() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.connections.max_connections_per_client = 4;
        s.connections.http_head_timeout_secs = 60;
    })
    .await
    .unwrap();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from(&app, "127.0.0.1").await);
    }
    // Until the server has accepted them, a fifth one might still get in.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        healthz_from(&app, "127.0.0.1").await,
        None,
        "the fifth connection is closed unanswered"
    );
    let other = healthz_from(&app, "127.0.0.2").await.expect("an answer");
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    // A connection given back makes room again.
    drop(held.pop());
    let mut served = false;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if healthz_from(&app, "127.0.0.1")
            .await
            .is_some_and(|a| a.starts_with("HTTP/1.1 200"))
        {
            served = true;
            break;
        }
    }
    assert!(served);
}

#[actix_web::test]
async fn a_trusted_proxy_is_not_held_to_the_connection_cap() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.connections.max_connections_per_client = 2;
        s.connections.http_head_timeout_secs = 60;
        s.abuse.trusted_proxies = "127.0.0.1".into();
    })
    .await
    .unwrap();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from(&app, "127.0.0.1").await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answer = healthz_from(&app, "127.0.0.1").await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

const BOUNDARY: &str = "roadshowtestboundary";

/// A multipart request head and the start of its body, declaring `total` body bytes with a
/// PDF of `file_bytes`; `fields` go before the file.
fn multipart_start(
    path: &str,
    extra_headers: &str,
    fields: &[(&str, &str)],
    file_bytes: usize,
) -> (Vec<u8>, Vec<u8>, usize) {
    let mut start = Vec::new();
    for (name, value) in fields {
        start.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    start.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
        .as_bytes(),
    );
    let padding = file_bytes.saturating_sub(9);
    let end = format!("\r\n--{BOUNDARY}--\r\n").into_bytes();
    let total = start.len() + padding + end.len();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: roadshow\r\n{extra_headers}\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {total}\r\n\r\n"
    );
    let mut first = head.into_bytes();
    first.extend_from_slice(&start);
    let mut rest = vec![b'x'; padding];
    rest.extend_from_slice(&end);
    (first, rest, total)
}

fn temp_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_path.join("tmp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[actix_web::test]
async fn a_stranger_s_upload_is_refused_before_its_body_is_read() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let any = uuid::Uuid::new_v4();
    for (path, expected) in [
        (format!("/volunteer/materials/{any}"), "HTTP/1.1 303"),
        (
            format!("/manage/stops/{any}/materials/{any}"),
            "HTTP/1.1 303",
        ),
        (format!("/speaker/slots/{any}/slides"), "HTTP/1.1 303"),
        (format!("/api/v1/stops/{any}/materials"), "HTTP/1.1 401"),
    ] {
        // 40 MB declared; only the first 256 KiB are ever sent.
        let (first, rest, _) = multipart_start(&path, "", &[("_csrf", "x")], 40_000_000);
        let mut stream = TcpStream::connect(socket_addr(&app)).await.unwrap();
        stream.write_all(&first).await.unwrap();
        stream.write_all(&rest[..256 * 1024]).await.unwrap();
        let answer = read_answer(&mut stream, Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("{path}: answered before the body is complete"));
        assert!(answer.starts_with(expected), "{path}: {answer}");
        assert_eq!(temp_files(&app), 0, "{path}: nothing spooled");
        assert!(
            read_until_closed(&mut stream, Duration::from_secs(5))
                .await
                .is_some(),
            "{path}: the unread rest is not waited for"
        );
    }
    // Chunked, without a length: answered, and the connection closed, not drained.
    let mut stream = TcpStream::connect(socket_addr(&app)).await.unwrap();
    let head = format!(
        "POST /api/v1/stops/{any}/materials HTTP/1.1\r\nHost: roadshow\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n\
         a\r\n0123456789\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_answer(&mut stream, Duration::from_secs(5))
        .await
        .expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(
        read_until_closed(&mut stream, Duration::from_secs(8))
            .await
            .is_some(),
        "closed after the answer"
    );
}

#[actix_web::test]
async fn uploads_spool_in_the_data_folder_within_a_quota() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.storage.max_upload_bytes_in_flight = 2 * 1024 * 1024;
        s.connections.body_idle_timeout_secs = 30;
    })
    .await
    .unwrap();
    let hui = app.organizer("hui@example.org").await;
    let stop = app.open_stop(&hui, 10, None, 5).await;
    let path = format!("/api/v1/stops/{}/materials", stop.stop_id);
    let auth = format!("Authorization: Bearer {}\r\n", hui.token);
    // A 1.5 MiB upload takes the whole quota (2 MiB, counted in whole MiB) while it arrives.
    let (first, rest, _) = multipart_start(&path, &auth, &[("kind", "other")], 1_500_000);
    let mut slow = TcpStream::connect(socket_addr(&app)).await.unwrap();
    slow.write_all(&first).await.unwrap();
    slow.write_all(&rest[..rest.len() / 2]).await.unwrap();
    let mut spooled = false;
    for _ in 0..50 {
        if temp_files(&app) > 0 {
            spooled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(spooled, "the file is spooled under data/tmp");

    let small = || {
        let form = reqwest::multipart::Form::new().text("kind", "other").part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("b.pdf"),
        );
        app.api
            .post(app.url(&path))
            .bearer_auth(&hui.token)
            .multipart(form)
            .send()
    };
    let res = small().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));

    slow.write_all(&rest[rest.len() / 2..]).await.unwrap();
    let answer = read_answer(&mut slow, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert_eq!(
        small().await.unwrap().status(),
        201,
        "the quota is free again"
    );
    assert_eq!(temp_files(&app), 0, "temp files go when the upload is done");
}
