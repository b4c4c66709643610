//! Real servers on 127.0.0.1, each started as a child process on a free port and killed by PID
//! when dropped. A server whose binary is missing fails the test with a message saying how to
//! install it; it never lets a test pass silently.

pub mod mongo;
pub mod redis;
pub mod s3;
pub mod ssh;

/// A free TCP port on 127.0.0.1 (bound, then released for the server to take).
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// Waits until something accepts TCP connections on `port`, up to `seconds`.
pub fn wait_for_port(port: u16, seconds: u64) -> Result<(), String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Err(format!(
        "nothing listens on 127.0.0.1:{port} after {seconds} s"
    ))
}

/// A server binary installed by `scripts/install-test-deps.sh` in the test virtualenv:
/// `$MIRAGE_TEST_VENV/bin/NAME`, default `~/.cache/mirage/test-venv/bin/NAME`.
pub fn venv_binary(name: &str) -> std::path::PathBuf {
    let venv = std::env::var_os("MIRAGE_TEST_VENV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            std::path::PathBuf::from(home).join(".cache/mirage/test-venv")
        });
    venv.join("bin").join(name)
}

/// A server child process, killed by its PID when stopped or dropped.
pub struct ServerProcess(Option<std::process::Child>);

impl ServerProcess {
    /// Starts the venv binary `name` with `args` (which bind it to 127.0.0.1:`port`) and waits
    /// up to `seconds` for the port. `what` names the server in errors. Fails (never skips)
    /// when the binary is missing.
    pub fn start_venv(
        what: &str,
        name: &str,
        args: &[String],
        port: u16,
        seconds: u64,
    ) -> Result<Self, String> {
        let bin = venv_binary(name);
        if !bin.exists() {
            return Err(format!(
                "cannot start the {what} test server: {} is missing; run scripts/install-test-deps.sh to install it",
                bin.display()
            ));
        }
        let child = std::process::Command::new(&bin)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {} ({e}); run scripts/install-test-deps.sh to install it",
                    bin.display()
                )
            })?;
        let mut process = ServerProcess(Some(child));
        if let Err(e) = wait_for_port(port, seconds) {
            process.stop();
            return Err(format!("{name} did not come up: {e}"));
        }
        Ok(process)
    }

    /// Kills the process (by its PID) and waits for it; later calls do nothing.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}
