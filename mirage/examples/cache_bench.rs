//! Warm vs cold `find` and `cat` over a remote-like mount: RAM data behind a fixed per-call
//! latency (what a nearby object store costs), cached by the workspace's default caches.
//!
//! Run: `cargo run --release -p mirage --example cache_bench [LATENCY_MS]`
//! It prints wall time and backend calls per run; nothing here is asserted.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use mirage::core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, FileStat, FsResult, VPath,
    WriteMode, stream_from_bytes,
};
use mirage::{MountMode, MountOptions, RamResource, Resource, Workspace, async_trait};

/// RAM behind a per-call delay, declaring remote cache hints.
struct Slow {
    inner: RamResource,
    delay: Duration,
}

#[async_trait]
impl Resource for Slow {
    fn kind(&self) -> &str {
        "slow"
    }
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    fn cache_hints(&self) -> CacheHints {
        CacheHints::REMOTE
    }
    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        tokio::time::sleep(self.delay).await;
        self.inner.stat(path).await
    }
    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        tokio::time::sleep(self.delay).await;
        self.inner.list(path).await
    }
    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        tokio::time::sleep(self.delay).await;
        self.inner.read(path, range).await
    }
    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        self.inner.write(path, data, mode).await
    }
    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        self.inner.mkdir(path).await
    }
    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        self.inner.set_modified(path, time).await
    }
}

async fn seed(r: &Slow) -> FsResult<()> {
    r.inner.mkdir(&VPath::new("/tree")).await?;
    for d in 0..20 {
        r.inner
            .mkdir(&VPath::new(&format!("/tree/d{d:02}")))
            .await?;
        for f in 0..25 {
            let ext = if f % 5 == 0 { "rs" } else { "txt" };
            let path = VPath::new(&format!("/tree/d{d:02}/f{f:02}.{ext}"));
            r.inner
                .write(
                    &path,
                    stream_from_bytes(format!("file {d} {f}\n").into_bytes()),
                    WriteMode::Truncate,
                )
                .await?;
        }
    }
    let log: Vec<u8> = (0..200_000)
        .flat_map(|i| {
            format!(
                "{{\"n\":{i},\"level\":\"{}\"}}\n",
                if i % 7 == 0 { "alert" } else { "info" }
            )
            .into_bytes()
        })
        .collect();
    r.inner
        .write(
            &VPath::new("/log.jsonl"),
            stream_from_bytes(log),
            WriteMode::Truncate,
        )
        .await?;
    Ok(())
}

#[tokio::main]
async fn main() {
    let ms: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let slow = Slow {
        inner: RamResource::new(),
        delay: Duration::from_millis(ms),
    };
    if let Err(e) = seed(&slow).await {
        eprintln!("seeding failed: {e}");
        std::process::exit(1);
    }
    let ws = match Workspace::builder()
        .mount_with(
            "/s3",
            Arc::new(slow),
            MountMode::Write,
            MountOptions::default(),
        )
        .build()
    {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("per-call latency {ms} ms; 500 files in 20 folders, a 5 MB log");
    println!("{:<44} {:>6} {:>10} {:>7}", "line", "run", "wall", "calls");
    for line in [
        "find /s3/tree -name '*.rs' | wc -l",
        "cat /s3/log.jsonl | wc -l",
        "grep -c alert /s3/log.jsonl",
    ] {
        for run in ["cold", "warm"] {
            let before = ws.stats().mount("/s3").calls.calls();
            let t = Instant::now();
            let out = ws.execute(line).await;
            let wall = t.elapsed();
            let calls = ws.stats().mount("/s3").calls.calls() - before;
            println!(
                "{:<44} {:>6} {:>8.1}ms {:>7}   -> {}",
                line,
                run,
                wall.as_secs_f64() * 1000.0,
                calls,
                String::from_utf8_lossy(&out.stdout).trim()
            );
        }
    }
}
