//! A private MongoDB wire-protocol server (SecantusDB) for one test binary: `secantusd-py` from
//! the test venv on a free 127.0.0.1 port, data in memory only, killed by PID when dropped.

use super::{ServerProcess, free_port};

pub struct MongoServer {
    child: ServerProcess,
    port: u16,
}

impl MongoServer {
    /// Starts `secantusd-py --storage-path :memory:` on 127.0.0.1. Fails (never skips) when the
    /// binary is missing.
    pub fn start() -> Result<Self, String> {
        let port = free_port()?;
        let child = ServerProcess::start_venv(
            "MongoDB",
            "secantusd-py",
            &[
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--storage-path",
                ":memory:",
            ]
            .map(String::from),
            port,
            30,
        )?;
        Ok(MongoServer { child, port })
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
        self.child.stop();
    }
}
