//! Developer tasks for the Mirage workspace, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`), so they need nothing but cargo.
//!
//! Tasks:
//! - `record-fixtures [GROUP...]`: runs every case under `mirage/tests/fixtures/cases/` in the
//!   real GNU bash over a fresh copy of the seed tree and writes what it printed to
//!   `mirage/tests/fixtures/expected/`. Needs root (a private mount namespace puts the seed at
//!   `/data`, where Mirage mounts it too).
//! - `bench [--runs N] [--only SUBSTRING] [--no-write]`: the performance table of issue 6,
//!   Mirage (release) against GNU on generated data; writes BENCHMARKS.md (see `bench/mod.rs`).
//! - `redis start|stop|status`: a local redis-server on 127.0.0.1:6390 for trying the `redis`
//!   resource by hand (see `services.rs`).

mod bench;
mod fixtures;
mod services;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask record-fixtures [GROUP...]\n       cargo xtask bench [--runs N] [--only SUBSTRING] [--no-write]\n       cargo xtask redis start|stop|status";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("record-fixtures") => fixtures::record(&workspace_root(), &args[1..]),
        Some("bench") => bench::run(&workspace_root(), &args[1..]),
        Some("redis") => services::redis(&workspace_root(), &args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory, wherever cargo runs from.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
