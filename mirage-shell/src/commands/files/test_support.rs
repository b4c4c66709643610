//! Test fixtures for the file commands: a RAM mount at `/data` seeded with files, directories
//! and modification times, mirroring the directories the GNU expectations were recorded in.

use std::sync::Arc;

use mirage_core::{
    MountMode, MountTable, Resource, VPath, WriteMode, collect_stream, stream_from_bytes,
};
use mirage_resource_ram::RamResource;

use super::time::Stamp;
use crate::testing::{Captured, run_argv};

/// The tree the `ls` and `find` GNU expectations were recorded in (`/tmp/filesgnu.*`). GNU's
/// `find` printed it in readdir order; Mirage prints each directory's entries in byte order.
pub const LISTING_TREE: &[(&str, &str)] = &[
    ("d/f1", "x\n"),
    ("d/sub/g", "abcdef"),
    ("e/", ""),
    ("a.txt", "hello\n"),
    ("B", ""),
    ("c", ""),
    (".hid", ""),
];

/// The tree the `cp` and `mv` GNU expectations were recorded in: a nested directory, an empty
/// one and two files with different content.
pub const COPY_TREE: &[(&str, &str)] = &[
    ("d/f1", "x\n"),
    ("d/sub/g", "abcdef"),
    ("e/", ""),
    ("a", "A\n"),
    ("b", "B\n"),
];

/// A mount table with a writable RAM resource at `/data` holding `files` (paths relative to
/// `/data`; a path ending in `/` makes a directory, parents are created as needed).
pub async fn fs_with(files: &[(&str, &str)]) -> Arc<MountTable> {
    mounts(&[("/data", files, MountMode::Write)]).await
}

/// Files to seed a RAM resource with: `(path, content)`, see [`fs_with`].
pub type Files<'a> = &'a [(&'a str, &'a str)];

/// A mount table with one fresh RAM resource per `(mount point, files, mode)`, for the tests
/// that cross mounts or write to a read-only one.
pub async fn mounts(specs: &[(&str, Files<'_>, MountMode)]) -> Arc<MountTable> {
    let mut table = MountTable::new();
    for (point, files, mode) in specs {
        let ram = RamResource::new();
        seed(&ram, files).await;
        table
            .add(VPath::new(point), Arc::new(ram), *mode)
            .expect("mount in test fixture");
    }
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

/// Owned copies of `v`, to compare with [`tree`].
pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Asserts the common success shape: `stdout` on stdout, nothing on stderr, exit status 0.
#[track_caller]
pub fn succeeds(c: &Captured, stdout: &str) {
    check(c, stdout, "", 0);
}

/// Asserts the common failure shape: nothing on stdout, `stderr` on stderr, exit status 1.
#[track_caller]
pub fn fails(c: &Captured, stderr: &str) {
    check(c, "", stderr, 1);
}

/// Asserts stdout, stderr and status at once.
#[track_caller]
pub fn check(c: &Captured, stdout: &str, stderr: &str, status: i32) {
    assert_eq!(
        (c.out().as_str(), c.err().as_str(), c.status),
        (stdout, stderr, status)
    );
}
