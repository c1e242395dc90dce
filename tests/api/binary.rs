//! The real `roadshow` binary, started as a separate process for the tests that kill it or
//! run several instances.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `roadshow serve` binary, on its own port, against the test's database.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(database_url: &str, data_dir: &Path) -> Server {
        Server::start_with(database_url, data_dir, None, &[]).await
    }

    /// `base_url`: the address links are built from (one name for several instances);
    /// `env`: more settings.
    pub async fn start_with(
        database_url: &str,
        data_dir: &Path,
        base_url: Option<&str>,
        env: &[(&str, &str)],
    ) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_roadshow"))
            .arg("serve")
            .env("ROADSHOW_DATABASE_URL", database_url)
            .env("ROADSHOW_DATA_DIR", data_dir)
            .env("ROADSHOW_BIND", format!("127.0.0.1:{port}"))
            .env("ROADSHOW_BASE_URL", base_url.unwrap_or(&base))
            .env("ROADSHOW_RATE_LIMITS", "off")
            .env("ROADSHOW_WORKERS", "2")
            .env("ROADSHOW_MAIL_POLL_MS", "50")
            // A message being sent when the process dies is sent again after this.
            .env("ROADSHOW_MAIL_LEASE_SECS", "2")
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the roadshow binary starts");
        let server = Server { child, base };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = client.get(format!("{}/readyz", server.base)).send().await
                && res.status() == 200
            {
                return server;
            }
            assert!(Instant::now() < deadline, "roadshow did not become ready");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn kill(&mut self) {
        // SIGKILL: no graceful shutdown, no flushing.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
