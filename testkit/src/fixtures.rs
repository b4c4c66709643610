//! Replays the bash fixtures recorded from GNU bash + coreutils (`cargo xtask record-fixtures`)
//! against a workspace, for every mount kind that claims to behave like a POSIX directory (the
//! facade's tests replay them on RAM, Disk and Redis; each resource crate on its own backend).
//!
//! Every case gets a fresh copy of the seed tree mounted at `/data` and a fresh session whose
//! cwd is `/data`, exactly as the recorder ran it. stdout, stderr and the exit status must match
//! byte for byte. All failures are collected and reported together, so one run shows every
//! divergence; `MIRAGE_FIXTURE_FILTER=substring` limits the run to cases whose `group/name`
//! contains the substring (e.g. `MIRAGE_FIXTURE_FILTER=grep/` or `=heredoc`).

use std::fmt::Write as _;
use std::fs::{File, FileTimes};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use futures::StreamExt;
use mirage::core::{Resource, VPath, WriteMode, stream_from_bytes};
use mirage::{MountMode, Workspace};

/// The mtime of everything in a fresh seed: 2024-01-02T03:04:05Z. Must equal `SEED_MTIME` in
/// `xtask/src/fixtures/seed.rs`, which recorded the expectations with it.
const SEED_MTIME: u64 = 1_704_164_645;

/// A case that runs longer than this is reported as hung instead of stalling the suite (GNU
/// ran every case in milliseconds).
const CASE_TIMEOUT: Duration = Duration::from_secs(10);

/// Cases replayed at once.
const PARALLEL_CASES: usize = 4;

const FILTER_VAR: &str = "MIRAGE_FIXTURE_FILTER";

/// `mirage/tests/fixtures` in the source tree.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../mirage/tests/fixtures")
}

/// One recorded case.
struct Case {
    group: String,
    name: String,
    cmd: String,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: i32,
}

impl Case {
    fn id(&self) -> String {
        format!("{}/{}", self.group, self.name)
    }
}

/// Every expected file, groups sorted by name, cases in file order, filtered by the env var.
fn load_cases() -> Vec<Case> {
    let dir = fixtures_dir().join("expected");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "reading {}: {e} (run `cargo xtask record-fixtures`)",
                dir.display()
            )
        })
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let filter = std::env::var(FILTER_VAR).ok();
    let mut cases = Vec::new();
    for path in files {
        let group = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 file name")
            .to_string();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let value: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
        for entry in value
            .as_array()
            .unwrap_or_else(|| panic!("{}: expected an array", path.display()))
        {
            let case =
                parse_case(&group, entry).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if filter.as_deref().is_none_or(|f| case.id().contains(f)) {
                cases.push(case);
            }
        }
    }
    cases
}

fn parse_case(group: &str, v: &serde_json::Value) -> Result<Case, String> {
    let text = |key: &str| {
        v[key]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("case without string `{key}`: {v}"))
    };
    let name = text("name")?;
    Ok(Case {
        group: group.to_string(),
        cmd: text("cmd")?,
        stdout: output_bytes(&v["stdout"]).map_err(|e| format!("{name}: stdout: {e}"))?,
        stderr: output_bytes(&v["stderr"]).map_err(|e| format!("{name}: stderr: {e}"))?,
        status: v["status"]
            .as_i64()
            .ok_or_else(|| format!("{name}: no integer status"))? as i32,
        name,
    })
}

/// A recorded stream: a JSON string, or `{"base64": "..."}` when it was not valid UTF-8.
fn output_bytes(v: &serde_json::Value) -> Result<Vec<u8>, String> {
    match v {
        serde_json::Value::String(s) => Ok(s.as_bytes().to_vec()),
        serde_json::Value::Object(m) => {
            let b64 = m
                .get("base64")
                .and_then(|b| b.as_str())
                .ok_or("object without `base64`")?;
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| e.to_string())
        }
        other => Err(format!("unexpected value {other}")),
    }
}

/// The seed tree read once from disk: directories parents-first, then files.
pub struct Seed {
    pub dirs: Vec<String>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Seed {
    pub fn load() -> Seed {
        let base = fixtures_dir();
        let mut seed = Seed {
            dirs: Vec::new(),
            files: Vec::new(),
        };
        walk(&base.join("seed"), "", &mut seed);
        let list =
            std::fs::read_to_string(base.join("seed.empty_dirs")).expect("reading seed.empty_dirs");
        for line in list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            // Ancestors first, so a nested empty dir can be created one level at a time.
            let mut prefix = String::new();
            for comp in line.split('/').filter(|c| !c.is_empty()) {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(comp);
                if !seed.dirs.contains(&prefix) {
                    seed.dirs.push(prefix.clone());
                }
            }
        }
        seed
    }

    pub fn mtime() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(SEED_MTIME)
    }

    /// Writes the seed into `r` (fresh and empty) through the Resource trait, with the
    /// recorder's modification times where the resource can set them.
    pub async fn write_into(&self, r: &dyn Resource) -> Result<(), String> {
        for d in &self.dirs {
            r.mkdir(&vpath(d))
                .await
                .map_err(|e| format!("{} mkdir {d}: {e}", r.kind()))?;
        }
        for (f, data) in &self.files {
            r.write(
                &vpath(f),
                stream_from_bytes(data.clone()),
                WriteMode::Truncate,
            )
            .await
            .map_err(|e| format!("{} write {f}: {e}", r.kind()))?;
        }
        if !r.capabilities().set_modified {
            return Ok(());
        }
        let when = Self::mtime();
        for path in self
            .files
            .iter()
            .map(|(f, _)| f)
            .chain(self.dirs.iter().rev())
        {
            r.set_modified(&vpath(path), when)
                .await
                .map_err(|e| format!("{} set_modified {path}: {e}", r.kind()))?;
        }
        // The root of a mount may have no time of its own; that is not an error.
        let _ = r.set_modified(&VPath::root(), when).await;
        Ok(())
    }

    /// A fresh temporary directory holding the seed, times fixed like the recorder's copy.
    pub fn disk(&self) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        for d in &self.dirs {
            std::fs::create_dir(tmp.path().join(d)).unwrap_or_else(|e| panic!("mkdir {d}: {e}"));
        }
        for (f, data) in &self.files {
            std::fs::write(tmp.path().join(f), data).unwrap_or_else(|e| panic!("write {f}: {e}"));
        }
        let times = FileTimes::new()
            .set_accessed(Self::mtime())
            .set_modified(Self::mtime());
        let paths = self
            .files
            .iter()
            .map(|(f, _)| f.as_str())
            .chain(self.dirs.iter().rev().map(String::as_str));
        for rel in paths.chain(std::iter::once("")) {
            let p = tmp.path().join(rel);
            File::open(&p)
                .and_then(|f| f.set_times(times))
                .unwrap_or_else(|e| panic!("times {}: {e}", p.display()));
        }
        tmp
    }
}

fn walk(dir: &Path, rel: &str, seed: &mut Seed) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("seed entry"))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().into_string().expect("seed names are UTF-8");
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.file_type().expect("file type").is_dir() {
            seed.dirs.push(child.clone());
            walk(&e.path(), &child, seed);
        } else {
            seed.files
                .push((child, std::fs::read(e.path()).expect("reading a seed file")));
        }
    }
}

fn vpath(rel: &str) -> VPath {
    VPath::new(&format!("/{rel}"))
}

/// What one replay produced, or why it produced nothing.
enum Outcome {
    Ran {
        stdout: Vec<u8>,
        stderr: Vec<u8>,
        status: i32,
    },
    Broken(String),
}

/// Runs one case in a fresh session on `ws`. The case runs in its own task so a panic or a hang
/// is reported as that case's failure instead of ending the whole replay.
async fn replay(ws: Workspace, cmd: String) -> Outcome {
    let task = tokio::spawn(async move {
        let mut sh = ws.session();
        // As the recorder's `cd /data && exec bash -c CASE`; `: bash` leaves `$_` as a new
        // bash has it (its own name) rather than the `cd`'s argument.
        let cd = sh.execute("cd /data && : bash").await;
        if cd.status != 0 {
            return Err(format!(
                "`cd /data` failed: {}",
                String::from_utf8_lossy(&cd.stderr)
            ));
        }
        Ok(sh.execute(&cmd).await)
    });
    let abort = task.abort_handle();
    match tokio::time::timeout(CASE_TIMEOUT, task).await {
        Ok(Ok(Ok(out))) => Outcome::Ran {
            stdout: out.stdout,
            stderr: out.stderr,
            status: out.status,
        },
        Ok(Ok(Err(e))) => Outcome::Broken(e),
        Ok(Err(join)) if join.is_panic() => {
            Outcome::Broken(format!("panicked: {}", panic_text(join.into_panic())))
        }
        Ok(Err(join)) => Outcome::Broken(format!("task failed: {join}")),
        Err(_) => {
            abort.abort();
            Outcome::Broken(format!("did not finish within {CASE_TIMEOUT:?}"))
        }
    }
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_string())
}

/// Bytes shown as a Rust string literal when they are UTF-8, as a byte-string literal otherwise.
fn show(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("b\"{}\"", b.escape_ascii()),
    }
}

/// Compares one outcome with the recording; `None` when they agree.
fn compare(case: &Case, outcome: &Outcome) -> Option<String> {
    let mut report = String::new();
    let _ = writeln!(report, "--- {}", case.id());
    for line in case.cmd.lines() {
        let _ = writeln!(report, "    $ {line}");
    }
    match outcome {
        Outcome::Broken(why) => {
            let _ = writeln!(report, "    {why}");
        }
        Outcome::Ran {
            stdout,
            stderr,
            status,
        } => {
            if *stdout == case.stdout && *stderr == case.stderr && *status == case.status {
                return None;
            }
            for (what, want, got) in [
                ("stdout", &case.stdout, stdout),
                ("stderr", &case.stderr, stderr),
            ] {
                if want != got {
                    let _ = writeln!(report, "    {what} expected: {}", show(want));
                    let _ = writeln!(report, "    {what} got:      {}", show(got));
                }
            }
            if *status != case.status {
                let _ = writeln!(report, "    status expected {}, got {status}", case.status);
            }
        }
    }
    Some(report)
}

/// Replays every case on mounts made by `mount` and fails with a full report if any differ.
///
/// `mount` builds a fresh workspace with the seed at `/data` for one case, plus anything that
/// must live as long as the case (a temporary directory, a key prefix to clean up).
pub async fn replay_all<F, Fut, Keep>(label: &str, mut mount: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (Workspace, Keep)>,
{
    let cases = load_cases();
    if cases.is_empty() {
        if std::env::var(FILTER_VAR).is_ok() {
            eprintln!("[{label}] no fixture case matches {FILTER_VAR}");
            return;
        }
        panic!("no fixture cases found under {}", fixtures_dir().display());
    }
    // A few cases at a time: each has its own workspace, and a hung case then costs its
    // timeout without holding up the others. `buffered` keeps the reports in case order.
    let outcomes: Vec<Outcome> = futures::stream::iter(cases.iter())
        .map(|case| {
            let mounted = mount();
            async move {
                // Whatever the mount needs (a temporary directory) must outlive the replay.
                let (ws, keep) = mounted.await;
                let outcome = replay(ws, case.cmd.clone()).await;
                drop(keep);
                outcome
            }
        })
        .buffered(PARALLEL_CASES)
        .collect()
        .await;
    let known = known_divergences();
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut now_passing: Vec<String> = Vec::new();
    let mut known_failing = 0;
    for (case, outcome) in cases.iter().zip(&outcomes) {
        // An entry applies to both mounts, or to one when prefixed `ram:` / `disk:`.
        let listed =
            known.contains(&case.id()) || known.contains(&format!("{label}:{}", case.id()));
        match compare(case, outcome) {
            Some(_) if listed => known_failing += 1,
            Some(report) => failures.push((case.group.clone(), report)),
            None if listed => now_passing.push(case.id()),
            None => {}
        }
    }
    if !now_passing.is_empty() {
        eprintln!(
            "[{label}] these listed cases pass now; remove them from {KNOWN_FILE}:\n{}",
            now_passing.join("\n")
        );
    }
    if failures.is_empty() {
        eprintln!(
            "[{label}] {} of {} fixture cases match GNU bash; {known_failing} listed in {KNOWN_FILE} still diverge",
            cases.len() - known_failing,
            cases.len()
        );
        return;
    }
    let mut text = String::new();
    for (_, report) in &failures {
        text.push_str(report);
    }
    let mut per_group: Vec<(String, usize)> = Vec::new();
    for (group, _) in &failures {
        match per_group.iter_mut().find(|(g, _)| g == group) {
            Some((_, n)) => *n += 1,
            None => per_group.push((group.clone(), 1)),
        }
    }
    let summary: Vec<String> = per_group.iter().map(|(g, n)| format!("{g}: {n}")).collect();
    eprintln!("{text}");
    if !now_passing.is_empty() {
        eprintln!(
            "[{label}] these cases pass now; remove them from {KNOWN_FILE}:\n{}",
            now_passing.join("\n")
        );
    }
    panic!(
        "[{label}] {} of {} fixture cases differ from GNU bash ({}), {} listed as known divergences now pass; set {FILTER_VAR}=group/name to rerun a subset",
        failures.len(),
        cases.len(),
        summary.join(", "),
        now_passing.len()
    );
}

/// Replays every case on fresh resources made by `fresh` (empty, writable), each seeded through
/// the Resource trait and mounted read-write at `/data`. What a resource crate calls to prove
/// its backend runs the bash fixtures like a local directory.
pub async fn replay_on<F, Fut>(label: &str, mut fresh: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Arc<dyn Resource>>,
{
    let seed = Arc::new(Seed::load());
    replay_all(label, || {
        let seed = seed.clone();
        let made = fresh();
        async move {
            let resource = made.await;
            seed.write_into(resource.as_ref())
                .await
                .unwrap_or_else(|e| panic!("seeding: {e}"));
            let ws = Workspace::builder()
                .mount_arc("/data", resource, MountMode::Write)
                .build()
                .unwrap_or_else(|e| panic!("workspace: {e}"));
            (ws, ())
        }
    })
    .await;
}

/// Cases that are known to differ from GNU today, one `group/name` a line. Listed cases still
/// run; the summary counts them and names the ones that started passing (to be removed from
/// the list). Any unlisted difference fails the run.
const KNOWN_FILE: &str = "known_divergences.txt";

fn known_divergences() -> std::collections::HashSet<String> {
    let path = fixtures_dir().join(KNOWN_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
        Err(_) => Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::Seed;

    #[test]
    fn seed_loads_and_matches_the_recorder_layout() {
        let seed = Seed::load();
        assert!(seed.files.iter().any(|(f, _)| f == "my file.txt"));
        assert!(
            seed.files
                .iter()
                .any(|(f, d)| f == "binary.bin" && d.contains(&0))
        );
        assert!(seed.dirs.iter().any(|d| d == "empty_dir"));
        // Parents come before children so they can be created in order.
        for (i, d) in seed.dirs.iter().enumerate() {
            if let Some((parent, _)) = d.rsplit_once('/') {
                assert!(
                    seed.dirs[..i].iter().any(|p| p == parent),
                    "{d} listed before {parent}"
                );
            }
        }
    }
}
