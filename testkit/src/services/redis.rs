//! A private redis-server for one test: started as a child process, killed by PID when dropped.
//!
//! ```ignore
//! let server = RedisServer::start().expect("redis-server");   // fails loudly if not installed
//! let url = server.url();                                     // redis://127.0.0.1:PORT/0
//! ```
//!
//! Each server is private to the test that started it (its own free port, no persistence), so
//! tests run in parallel without sharing state. Tests that need a service must fail when it
//! cannot start, never pass without it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a starting server may take to answer.
const READY_TIMEOUT: Duration = Duration::from_secs(5);

/// A throwaway `redis-server` on 127.0.0.1, without persistence. Killed on drop.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    /// Working directory and log file; removed with the server.
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts `redis-server` on a free port and waits until it answers `PING`. Errors say what
    /// went wrong (not installed, exited early, never answered).
    pub fn start() -> Result<RedisServer, String> {
        let mut last = String::new();
        // A port found free can be taken by someone else before the server binds it: retry.
        for _ in 0..3 {
            match Self::try_start() {
                Ok(server) => return Ok(server),
                Err((e, retry)) if retry => last = e,
                Err((e, _)) => return Err(e),
            }
        }
        Err(last)
    }

    /// `redis://127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        self.url_db(0)
    }

    /// `redis://127.0.0.1:PORT/DB`: tests sharing a server keep apart by database.
    pub fn url_db(&self, db: u8) -> String {
        format!("redis://127.0.0.1:{}/{db}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server (by its PID) and waits for it to exit; later calls do nothing. Clients
    /// then get `Connection refused`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Err((message, worth retrying with another port)).
    fn try_start() -> Result<RedisServer, (String, bool)> {
        let port = super::free_port().map_err(|e| (e, false))?;
        let dir = tempfile::tempdir().map_err(|e| (format!("tempdir: {e}"), false))?;
        let log = dir.path().join("redis.log");
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .arg("--logfile")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                let msg = if e.kind() == std::io::ErrorKind::NotFound {
                    "redis-server is not installed (or not on PATH): the Redis tests need it; \
                     run scripts/install-test-deps.sh"
                        .to_string()
                } else {
                    format!("starting redis-server: {e}")
                };
                (msg, false)
            })?;
        let mut server = RedisServer {
            child: Some(child),
            port,
            dir,
        };
        server.wait_ready(&log)?;
        Ok(server)
    }

    fn wait_ready(&mut self, log: &Path) -> Result<(), (String, bool)> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                let text = std::fs::read_to_string(log).unwrap_or_default();
                return Err((
                    format!(
                        "redis-server on port {} exited ({status}) before answering; log:\n{text}",
                        self.port
                    ),
                    true,
                ));
            }
            if ping(self.port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                self.stop();
                return Err((
                    format!(
                        "redis-server on port {} did not answer PING within {READY_TIMEOUT:?} (dir {})",
                        self.port,
                        self.dir.path().display()
                    ),
                    false,
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// True when the server on `port` answers `PING` with `+PONG`.
fn ping(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 7];
    s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}
