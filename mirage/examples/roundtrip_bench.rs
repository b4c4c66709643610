//! A 200 MB file copied RAM -> S3 -> SSH -> RAM through the shell, checked byte-identical,
//! with wall time and peak RSS after each hop. Starts its own moto and sshd (testkit).
//!
//! Run: `cargo run --release -p mirage --features s3,ssh --example roundtrip_bench [MB]`
//! Peak RSS is the process high-water mark (VmHWM); the RAM mount itself holds the source and
//! the final copy, so "flat" means the hops add little beyond those two. The file cache is off
//! for the remote mounts (with it on, a read keeps a copy in the RAM cache, up to its limit).

use std::sync::Arc;
use std::time::Instant;

use mirage::core::{VPath, WriteMode, stream_from_bytes};
use mirage::{MountMode, MountOptions, RamResource, Resource, Workspace};
use mirage_testkit::services::s3::S3Server;
use mirage_testkit::services::ssh::SshServer;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("roundtrip_bench: {msg}");
    std::process::exit(1)
}

#[tokio::main]
async fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let s3 = S3Server::start().unwrap_or_else(|e| fail(e));
    s3.create_bucket("bench").unwrap_or_else(|e| fail(e));
    let ssh = SshServer::start().unwrap_or_else(|e| fail(e));
    let root = ssh.fresh_root().unwrap_or_else(|e| fail(e));
    let s3_mount =
        mirage::config::build_resource("s3", &s3.config("bench")).unwrap_or_else(|e| fail(e));
    let ssh_mount =
        mirage::config::build_resource("ssh", &ssh.config(root.path())).unwrap_or_else(|e| fail(e));

    let ram = RamResource::new();
    let data: Vec<u8> = (0..mb * 1024 * 1024)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    ram.write(
        &VPath::new("/src.bin"),
        stream_from_bytes(data),
        WriteMode::Truncate,
    )
    .await
    .unwrap_or_else(|e| fail(e));
    // The RAM file cache would keep a copy of what is read (by design, up to its limit); the
    // point here is what the copies themselves hold, so bytes are not cached.
    let no_file_cache = MountOptions {
        file_cache: Some(false),
        ..MountOptions::default()
    };
    let ws = Workspace::builder()
        .mount_arc("/mem", Arc::new(ram), MountMode::Write)
        .mount_with("/s3", s3_mount, MountMode::Write, no_file_cache)
        .mount_with("/ssh", ssh_mount, MountMode::Write, no_file_cache)
        .build()
        .unwrap_or_else(|e| fail(e));
    println!(
        "{mb} MB file; peak RSS after seeding RAM: {:.0} MB",
        peak_rss_mb()
    );
    for (line, what) in [
        ("cp /mem/src.bin /s3/a.bin", "RAM -> S3"),
        ("cat /s3/a.bin | wc -c", "S3 read"),
        ("cp /mem/src.bin /ssh/c.bin", "RAM -> SSH"),
        ("cp /s3/a.bin /ssh/b.bin", "S3 -> SSH"),
        ("cp /ssh/b.bin /mem/back.bin", "SSH -> RAM"),
        (
            "cmp /mem/src.bin /mem/back.bin && echo identical",
            "compare",
        ),
    ] {
        let t = Instant::now();
        let out = ws.execute(line).await;
        if out.status != 0 {
            fail(format!("{line}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        println!(
            "{what:<12} {:>8.2} s   peak RSS {:>6.0} MB   {}",
            t.elapsed().as_secs_f64(),
            peak_rss_mb(),
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }
}
