//! Test fixtures for the fileutils commands: a RAM mount at `/data` holding given files.

use std::sync::Arc;

use mirage_core::{MountMode, MountTable, Resource, VPath, WriteMode, stream_from_bytes};
use mirage_resource_ram::RamResource;

use crate::testing::{Captured, run_argv};

/// Runs `argv` in `/data` over `files` (a path ending in `/` is a directory) with `stdin`;
/// returns the captured output and the mount table to inspect afterwards.
pub async fn run_fs(
    files: &[(&str, &[u8])],
    argv: &[&str],
    stdin: &[u8],
) -> (Captured, Arc<MountTable>) {
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
    let fs = Arc::new(table);
    (run_argv(fs.clone(), "/data", argv, stdin).await, fs)
}

/// Runs `argv` in `/data` over `files` with `stdin`.
pub async fn run(files: &[(&str, &[u8])], argv: &[&str], stdin: &[u8]) -> Captured {
    run_fs(files, argv, stdin).await.0
}
