//! The benchmark's input files, generated deterministically (same bytes on every machine) so
//! runs can be compared: a ~100 MB log of 1.5M lines, a 200k-line JSONL of events, and a tree of
//! 5,000 small source files in 100 folders.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Bumped whenever the generated content changes, so stale data is regenerated.
const DATA_VERSION: &str = "1";
pub const LOG_LINES: usize = 1_500_000;
pub const EVENT_LINES: usize = 200_000;
pub const TREE_DIRS: usize = 100;
pub const FILES_PER_DIR: usize = 50;

/// A small, fast, deterministic generator (xorshift64*); quality is irrelevant here.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Creates the data under `dir` unless a complete copy of this version is already there.
pub fn ensure(dir: &Path) -> Result<(), String> {
    let stamp = dir.join(".complete");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(DATA_VERSION) {
        return Ok(());
    }
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("removing old {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    eprintln!("bench: generating data in {}", dir.display());
    write_log(&dir.join("big.log"))?;
    write_events(&dir.join("events.jsonl"))?;
    write_tree(&dir.join("tree"))?;
    fs::write(&stamp, DATA_VERSION).map_err(|e| format!("writing {}: {e}", stamp.display()))
}

fn create(path: &Path) -> Result<BufWriter<fs::File>, String> {
    fs::File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| format!("creating {}: {e}", path.display()))
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("writing {}: {e}", path.display())
}

/// Lines like `2026-05-06T08:15:42Z web-07 INFO api: request served in 35ms id=123456`;
/// about 3% carry an `alert`, the level (field 3) takes four values.
fn write_log(path: &Path) -> Result<(), String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = create(path)?;
    let levels = [
        "INFO", "INFO", "INFO", "INFO", "DEBUG", "DEBUG", "WARN", "ERROR",
    ];
    let services = ["api", "auth", "billing", "search", "worker", "gateway"];
    let messages = [
        "request served in",
        "cache miss for key",
        "user session refreshed after",
        "queue depth sampled at",
        "retrying upstream call in",
        "payload validated in",
    ];
    for i in 0..LOG_LINES {
        let secs = i as u64 * 86_400 / LOG_LINES as u64;
        let host = rng.below(24);
        let level = rng.pick(&levels);
        let service = rng.pick(&services);
        let n = rng.below(1000);
        let id = rng.below(1_000_000);
        if rng.below(100) < 3 {
            writeln!(
                out,
                "2026-05-06T{:02}:{:02}:{:02}Z web-{host:02} {level} {service}: alert disk usage at {n}% id={id}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            )
        } else {
            let message = rng.pick(&messages);
            writeln!(
                out,
                "2026-05-06T{:02}:{:02}:{:02}Z web-{host:02} {level} {service}: {message} {n}ms id={id}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            )
        }
        .map_err(io_err(path))?;
    }
    out.flush().map_err(io_err(path))
}

/// One JSON object per line with an integer `amount` (cents), so the sum is exact everywhere.
fn write_events(path: &Path) -> Result<(), String> {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut out = create(path)?;
    let kinds = ["purchase", "refund", "view", "signup", "login"];
    for i in 0..EVENT_LINES {
        let kind = rng.pick(&kinds);
        let user = rng.below(5000);
        let amount = rng.below(100_000);
        writeln!(
            out,
            r#"{{"id":{i},"user":"u{user}","type":"{kind}","amount":{amount},"tags":["t{}","t{}"],"ok":{}}}"#,
            rng.below(10),
            rng.below(10),
            rng.below(2) == 0
        )
        .map_err(io_err(path))?;
    }
    out.flush().map_err(io_err(path))
}

/// `tree/dNN/file_NNNN.{rs,py,md,txt}`, 200-1,000 bytes each; about one file in five has a TODO.
fn write_tree(root: &Path) -> Result<(), String> {
    let mut rng = Rng(0x94D0_49BB_1331_11EB);
    let extensions = ["rs", "py", "md", "txt"];
    for d in 0..TREE_DIRS {
        let dir = root.join(format!("d{d:02}"));
        fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        for f in 0..FILES_PER_DIR {
            let n = d * FILES_PER_DIR + f;
            let ext = rng.pick(&extensions);
            let path = dir.join(format!("file_{n:04}.{ext}"));
            let mut body = String::new();
            let lines = 5 + rng.below(20);
            for l in 0..lines {
                if l == 2 && rng.below(5) == 0 {
                    body.push_str("// TODO: handle the error case properly\n");
                } else {
                    body.push_str(&format!(
                        "let value_{l} = compute({n}, {});\n",
                        rng.below(999)
                    ));
                }
            }
            fs::write(&path, body).map_err(io_err(&path))?;
        }
    }
    Ok(())
}
