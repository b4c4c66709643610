//! A private S3 server (moto) for one test binary: `moto_server` from the test venv on a free
//! 127.0.0.1 port, reset between tests through its admin API, killed by PID when dropped.
//!
//! moto accepts any credentials, so tests that need an authentication failure put a proxy in
//! front of it instead.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::{ServerProcess, free_port};

/// Credentials moto accepts (it accepts any); the values are the ones its docs use.
pub const ACCESS_KEY_ID: &str = "testing";
pub const SECRET_ACCESS_KEY: &str = "testing";
pub const REGION: &str = "us-east-1";

pub struct S3Server {
    child: ServerProcess,
    port: u16,
}

impl S3Server {
    /// Starts `moto_server` on 127.0.0.1. Fails (never skips) when the binary is missing.
    pub fn start() -> Result<Self, String> {
        let port = free_port()?;
        let child = ServerProcess::start_venv(
            "S3",
            "moto_server",
            &["-H", "127.0.0.1", "-p", &port.to_string()].map(String::from),
            port,
            30,
        )?;
        Ok(S3Server { child, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn access_key_id(&self) -> &'static str {
        ACCESS_KEY_ID
    }

    pub fn secret_access_key(&self) -> &'static str {
        SECRET_ACCESS_KEY
    }

    pub fn region(&self) -> &'static str {
        REGION
    }

    /// A JSON config block for the `s3` resource on `bucket` at this server (path-style, the
    /// test credentials). Add or replace keys as a test needs.
    pub fn config(&self, bucket: &str) -> serde_json::Value {
        serde_json::json!({
            "bucket": bucket,
            "endpoint_url": self.endpoint(),
            "region": REGION,
            "path_style": true,
            "access_key_id": ACCESS_KEY_ID,
            "secret_access_key": SECRET_ACCESS_KEY,
        })
    }

    /// Forgets every bucket and object (`POST /moto-api/reset`).
    pub fn reset(&self) -> Result<(), String> {
        let status = self.request("POST", "/moto-api/reset")?;
        if status == 200 {
            Ok(())
        } else {
            Err(format!("moto reset answered HTTP {status}"))
        }
    }

    /// Creates `bucket` (in us-east-1, which needs no location constraint). An existing bucket
    /// owned by us is fine.
    pub fn create_bucket(&self, bucket: &str) -> Result<(), String> {
        let status = self.request("PUT", &format!("/{bucket}"))?;
        if status == 200 || status == 409 {
            Ok(())
        } else {
            Err(format!("creating bucket {bucket} answered HTTP {status}"))
        }
    }

    /// A bare HTTP/1.1 request with an empty body; returns the status code. moto does not check
    /// signatures, so no signing is needed for these admin calls.
    fn request(&self, method: &str, path: &str) -> Result<u16, String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))
            .map_err(|e| format!("cannot reach moto on port {}: {e}", self.port))?;
        let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        s.write_all(req.as_bytes())
            .map_err(|e| format!("moto request failed: {e}"))?;
        let mut out = Vec::new();
        s.read_to_end(&mut out)
            .map_err(|e| format!("moto response failed: {e}"))?;
        let text = String::from_utf8_lossy(&out);
        text.split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| format!("moto sent no HTTP status: {text:.200}"))
    }

    /// Kills the server (by its PID) and waits for it; later calls do nothing.
    pub fn stop(&mut self) {
        self.child.stop();
    }
}
