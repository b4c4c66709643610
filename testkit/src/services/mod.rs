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
