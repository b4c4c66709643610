//! Test fixtures for the search commands: a RAM mount at `/data` seeded with files, and a
//! runner for tables of cases recorded from the GNU tools.

use std::sync::Arc;

use mirage_core::{MountMode, MountTable, Resource, VPath, WriteMode, stream_from_bytes};
use mirage_resource_ram::RamResource;

use crate::testing::run_argv;

/// A mount table with a RAM resource at `/data` holding `files` (paths relative to `/data`;
/// parent directories are created as needed).
pub async fn fs_with(files: &[(&str, Vec<u8>)]) -> Arc<MountTable> {
    let ram = RamResource::new();
    for (path, data) in files {
        let p = VPath::new(&format!("/{path}"));
        let mut dir = VPath::root();
        let comps: Vec<String> = p.components().map(str::to_string).collect();
        for comp in &comps[..comps.len().saturating_sub(1)] {
            dir = dir.child(comp);
            if ram.stat(&dir).await.is_err() {
                ram.mkdir(&dir).await.expect("mkdir in test fixture");
            }
        }
        ram.write(&p, stream_from_bytes(data.clone()), WriteMode::Truncate)
            .await
            .expect("write in test fixture");
    }
    let mut table = MountTable::new();
    table
        .add(VPath::new("/data"), Arc::new(ram), MountMode::Write)
        .expect("mount in test fixture");
    Arc::new(table)
}

/// One recorded case: argv (name first), stdin, stdout, stderr, exit status.
pub type Case = (
    &'static [&'static str],
    &'static [u8],
    &'static [u8],
    &'static [u8],
    i32,
);

/// Runs every case in `/data` over `files` and fails listing every mismatch, except the cases
/// whose argv is in `known` (documented divergences from GNU).
pub async fn check_cases(files: &[(&str, Vec<u8>)], cases: &[Case], known: &[&[&str]]) {
    let fs = fs_with(files).await;
    let mut failures = Vec::new();
    for (argv, stdin, out, err, status) in cases {
        if known.contains(argv) {
            continue;
        }
        let got = run_argv(fs.clone(), "/data", argv, stdin).await;
        if got.stdout != *out || got.stderr != *err || got.status != *status {
            failures.push(format!(
                "{argv:?}\n  want out={:?} err={:?} status={status}\n  got  out={:?} err={:?} status={}",
                String::from_utf8_lossy(out),
                String::from_utf8_lossy(err),
                got.out(),
                got.err(),
                got.status
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
