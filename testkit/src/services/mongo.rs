//! A private MongoDB wire-protocol server (SecantusDB) for one test binary: `secantusd-py` from
//! the test venv on a free 127.0.0.1 port, data in memory only, killed by PID when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::{free_port, wait_for_port};

pub struct MongoServer {
    child: Option<Child>,
    port: u16,
}

/// Where `scripts/install-test-deps.sh` puts SecantusDB: `$MIRAGE_TEST_VENV/bin/secantusd-py`,
/// default `~/.cache/mirage/test-venv`.
fn secantus_binary() -> PathBuf {
    let venv = std::env::var_os("MIRAGE_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            PathBuf::from(home).join(".cache/mirage/test-venv")
        });
    venv.join("bin/secantusd-py")
}

impl MongoServer {
    /// Starts `secantusd-py --storage-path :memory:` on 127.0.0.1. Fails (never skips) when the
    /// binary is missing.
    pub fn start() -> Result<Self, String> {
        let bin = secantus_binary();
        if !bin.exists() {
            return Err(format!(
                "cannot start the MongoDB test server: {} is missing; run scripts/install-test-deps.sh to install it",
                bin.display()
            ));
        }
        let port = free_port()?;
        let child = Command::new(&bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--storage-path", ":memory:"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {} ({e}); run scripts/install-test-deps.sh to install it",
                    bin.display()
                )
            })?;
        let mut server = MongoServer {
            child: Some(child),
            port,
        };
        if let Err(e) = wait_for_port(port, 30) {
            server.stop();
            return Err(format!("secantusd-py did not come up: {e}"));
        }
        Ok(server)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `mongodb://127.0.0.1:PORT` (no credentials: the server runs without auth).
    pub fn uri(&self) -> String {
        format!("mongodb://127.0.0.1:{}", self.port)
    }

    /// Kills the server (by its PID) and waits for it; later calls do nothing.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for MongoServer {
    fn drop(&mut self) {
        self.stop();
    }
}
