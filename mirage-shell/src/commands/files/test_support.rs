//! Test fixtures for the file commands: a RAM mount at `/data` seeded with files, directories
//! and modification times, mirroring the directories the GNU expectations were recorded in.

use std::sync::Arc;

use mirage_core::{
    MountMode, MountTable, Resource, VPath, WriteMode, collect_stream, stream_from_bytes,
};
use mirage_resource_ram::RamResource;

use super::time::Stamp;
use crate::testing::{Captured, run_argv};

/// A mount table with a writable RAM resource at `/data` holding `files` (paths relative to
/// `/data`; a path ending in `/` makes a directory, parents are created as needed).
pub async fn fs_with(files: &[(&str, &str)]) -> Arc<MountTable> {
    let ram = RamResource::new();
    seed(&ram, files).await;
    let mut table = MountTable::new();
    table
        .add(VPath::new("/data"), Arc::new(ram), MountMode::Write)
        .expect("mount in test fixture");
    Arc::new(table)
}

/// Writes `files` into `ram` (see [`fs_with`]).
pub async fn seed(ram: &RamResource, files: &[(&str, &str)]) {
    for (path, data) in files {
        let p = VPath::new(&format!("/{path}"));
        let mut cur = VPath::root();
        let comps: Vec<String> = p.components().map(str::to_string).collect();
        let dirs = if path.ends_with('/') {
            comps.len()
        } else {
            comps.len().saturating_sub(1)
        };
        for comp in &comps[..dirs] {
            cur = cur.child(comp);
            if ram.stat(&cur).await.is_err() {
                ram.mkdir(&cur).await.expect("mkdir in test fixture");
            }
        }
        if !path.ends_with('/') {
            let bytes = data.as_bytes().to_vec();
            ram.write(&p, stream_from_bytes(bytes), WriteMode::Truncate)
                .await
                .expect("write in test fixture");
        }
    }
}

/// Sets the modification time of `/data/PATH` to `secs` after the epoch.
pub async fn set_time(fs: &MountTable, path: &str, secs: i64) {
    let t = Stamp { secs, nanos: 0 }.to_system();
    fs.set_modified(&VPath::new(&format!("/data/{path}")), t)
        .await
        .expect("set time in test fixture");
}

/// Runs `argv` in `/data` over `fs`.
pub async fn run_on(fs: &Arc<MountTable>, argv: &[&str]) -> Captured {
    run_argv(fs.clone(), "/data", argv, b"").await
}

/// Runs `argv` in `/data` over a fresh tree holding `files`.
pub async fn run(files: &[(&str, &str)], argv: &[&str]) -> Captured {
    let fs = fs_with(files).await;
    run_on(&fs, argv).await
}

/// The content of `/data/PATH`, or `None` when it cannot be read.
pub async fn content(fs: &MountTable, path: &str) -> Option<String> {
    let stream = fs
        .read(&VPath::new(&format!("/data/{path}")), None)
        .await
        .ok()?;
    collect_stream(stream)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// True when `/data/PATH` exists.
pub async fn exists(fs: &MountTable, path: &str) -> bool {
    fs.stat(&VPath::new(&format!("/data/{path}"))).await.is_ok()
}

/// Every path below `/data`, sorted, directories with a trailing `/` (like `find` output).
pub async fn tree(fs: &MountTable) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![VPath::new("/data")];
    while let Some(dir) = stack.pop() {
        for e in fs.list(&dir).await.unwrap_or_default() {
            let p = dir.child(&e.name);
            let rel = p.as_str().trim_start_matches("/data/").to_string();
            if e.stat.is_dir() {
                out.push(format!("{rel}/"));
                stack.push(p);
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Asserts stdout, stderr and status at once.
#[track_caller]
pub fn check(c: &Captured, stdout: &str, stderr: &str, status: i32) {
    assert_eq!(
        (c.out().as_str(), c.err().as_str(), c.status),
        (stdout, stderr, status)
    );
}
