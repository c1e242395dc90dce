//! A small SMTP server on loopback for the e-mail tests: it records what it receives and can
//! refuse the first messages with a temporary error.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

#[derive(Clone)]
pub struct TestSmtp {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
}

impl TestSmtp {
    /// Starts the server; the first `refuse_first` messages get "451 try again later".
    pub async fn start(refuse_first: usize) -> TestSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = TestSmtp {
            port,
            received: Arc::new(Mutex::new(Vec::new())),
            refuse: Arc::new(AtomicUsize::new(refuse_first)),
        };
        let s = server.clone();
        // A thread of its own, so it keeps answering whatever the test's runtime is doing.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener.into_std().unwrap()).unwrap();
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
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn refuse_next(&self, n: usize) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test.smtp ESMTP ready\r\n").await?;
        let mut current: Option<Received> = None;
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                write
                    .write_all(b"250-test.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?;
            } else if upper.starts_with("MAIL FROM:") {
                let refused = self
                    .refuse
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if refused {
                    write.write_all(b"451 4.3.0 try again later\r\n").await?;
                } else {
                    current = Some(Received {
                        mail_from: line[10..].trim().to_owned(),
                        rcpt_to: Vec::new(),
                        data: String::new(),
                    });
                    write.write_all(b"250 OK\r\n").await?;
                }
            } else if upper.starts_with("RCPT TO:") {
                if let Some(c) = current.as_mut() {
                    c.rcpt_to.push(line[8..].trim().to_owned());
                }
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("DATA") {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l).await? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    data.push_str(&l);
                }
                if let Some(mut c) = current.take() {
                    c.data = data;
                    self.received.lock().unwrap().push(c);
                }
                write.write_all(b"250 OK queued\r\n").await?;
            } else if upper.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else if upper.starts_with("RSET") {
                current = None;
                write.write_all(b"250 OK\r\n").await?;
            } else {
                write.write_all(b"250 OK\r\n").await?;
            }
        }
    }
}
