//! A private redis-server for one test binary: started on a free port, no persistence, killed
//! by PID when dropped.

use std::process::{Child, Command, Stdio};

use super::{free_port, wait_for_port};

pub struct RedisServer {
    child: Option<Child>,
    port: u16,
}

impl RedisServer {
    /// Starts `redis-server` on 127.0.0.1. Fails (never skips) when the binary is missing.
    pub fn start() -> Result<Self, String> {
        let port = free_port()?;
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--protected-mode", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start redis-server ({e}); run scripts/install-test-deps.sh to install it"
                )
            })?;
        let mut server = RedisServer {
            child: Some(child),
            port,
        };
        if let Err(e) = wait_for_port(port, 10) {
            server.stop();
            return Err(format!("redis-server did not come up: {e}"));
        }
        Ok(server)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT/DB`
    pub fn url(&self, db: u8) -> String {
        format!("redis://127.0.0.1:{}/{db}", self.port)
    }

    /// Kills the server (by its PID) and waits for it; later calls do nothing.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
