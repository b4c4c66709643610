//! Test fixtures for the text commands: a RAM mount at `/data` seeded with files.

use std::sync::Arc;

use mirage_core::{MountMode, MountTable, Resource, VPath, WriteMode, stream_from_bytes};
use mirage_resource_ram::RamResource;

use crate::testing::{Captured, run_argv};

/// A mount table with a RAM resource at `/data` holding `files` (paths relative to `/data`;
/// a path ending in `/` makes a directory).
pub async fn fs_with(files: &[(&str, &[u8])]) -> Arc<MountTable> {
    let ram = RamResource::new();
    for (path, data) in files {
        let p = VPath::new(&format!("/{path}"));
        if path.ends_with('/') {
            ram.mkdir(&p).await.expect("mkdir in test fixture");
        } else {
            ram.write(&p, stream_from_bytes(data.to_vec()), WriteMode::Truncate)
                .await
                .expect("write in test fixture");
        }
    }
    let mut table = MountTable::new();
    table
        .add(VPath::new("/data"), Arc::new(ram), MountMode::Write)
        .expect("mount in test fixture");
    Arc::new(table)
}

/// Runs `argv` in `/data` over `files` with `stdin`.
pub async fn run(files: &[(&str, &[u8])], argv: &[&str], stdin: &[u8]) -> Captured {
    let fs = fs_with(files).await;
    run_argv(fs, "/data", argv, stdin).await
}

/// Runs `argv` with no files.
pub async fn run_in(argv: &[&str], stdin: &[u8]) -> Captured {
    run(&[], argv, stdin).await
}

/// Asserts stdout, stderr and status at once.
#[track_caller]
pub fn check(c: &Captured, stdout: &str, stderr: &str, status: i32) {
    assert_eq!(
        (c.out().as_str(), c.err().as_str(), c.status),
        (stdout, stderr, status)
    );
}
