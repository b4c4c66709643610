//! `cargo xtask redis start|stop|status`: a local redis-server for trying the `redis` resource
//! by hand, on 127.0.0.1:6390 without persistence. Its pidfile, log and working directory live
//! under `target/services/redis/`; it is stopped by the PID in that pidfile.
//! (Tests start their own private servers; they do not use this one.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PORT: u16 = 6390;
pub const USAGE: &str = "cargo xtask redis start|stop|status";

pub fn redis(root: &Path, args: &[String]) -> Result<(), String> {
    let dir = root.join("target/services/redis");
    let pidfile = dir.join("redis.pid");
    match args.first().map(String::as_str) {
        Some("start") => start(&dir, &pidfile),
        Some("stop") => stop(&pidfile),
        Some("status") => {
            match running(&pidfile) {
                Some(pid) => println!(
                    "redis: running (pid {pid}) on redis://127.0.0.1:{PORT}/0, {}",
                    if ping() { "answering" } else { "not answering" }
                ),
                None => println!("redis: not running"),
            }
            Ok(())
        }
        _ => Err(format!("usage: {USAGE}")),
    }
}

fn start(dir: &Path, pidfile: &Path) -> Result<(), String> {
    if let Some(pid) = running(pidfile) {
        println!("redis: already running (pid {pid}) on redis://127.0.0.1:{PORT}/0");
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let status = Command::new("redis-server")
        .args(["--port", &PORT.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "yes"])
        .arg("--dir")
        .arg(dir)
        .arg("--pidfile")
        .arg(pidfile)
        .arg("--logfile")
        .arg(dir.join("redis.log"))
        .status()
        .map_err(|e| {
            format!("cannot run redis-server ({e}); install it with `apt-get install redis-server`")
        })?;
    if !status.success() {
        return Err(format!(
            "redis-server failed ({status}); see {}/redis.log",
            dir.display()
        ));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while !ping() {
        if Instant::now() >= deadline {
            return Err(format!(
                "redis-server did not answer on port {PORT} within 5 s; see {}/redis.log",
                dir.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = running(pidfile).map_or_else(|| "?".to_string(), |p| p.to_string());
    println!("redis: started (pid {pid}) on redis://127.0.0.1:{PORT}/0");
    Ok(())
}

fn stop(pidfile: &Path) -> Result<(), String> {
    let Some(pid) = running(pidfile) else {
        println!("redis: not running");
        let _ = std::fs::remove_file(pidfile);
        return Ok(());
    };
    let status = Command::new("kill")
        .arg(pid.to_string())
        .status()
        .map_err(|e| format!("kill {pid}: {e}"))?;
    if !status.success() {
        return Err(format!("kill {pid} failed ({status})"));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while proc_dir(pid).exists() {
        if Instant::now() >= deadline {
            return Err(format!(
                "redis-server (pid {pid}) is still running after 5 s"
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_file(pidfile);
    println!("redis: stopped (pid {pid})");
    Ok(())
}

/// The PID from the pidfile when that process is alive and is a redis-server.
fn running(pidfile: &Path) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(pidfile).ok()?.trim().parse().ok()?;
    let comm = std::fs::read_to_string(proc_dir(pid).join("comm")).ok()?;
    comm.starts_with("redis-server").then_some(pid)
}

fn proc_dir(pid: u32) -> PathBuf {
    PathBuf::from(format!("/proc/{pid}"))
}

fn ping() -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", PORT)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}
