//! `cargo xtask bench`: times the issue-6 workloads through `mirage run` (release build) over a
//! Disk mount and a RAM mount, against GNU bash + coreutils on the same files, and writes the
//! table to BENCHMARKS.md.
//!
//! - GNU and Disk: wall time of the whole process (`bash -c LINE` vs `mirage run -c LINE`),
//!   startup included, and peak RSS from `wait4`.
//! - RAM: one `mirage run` copies the data into a RAM mount, then times the line with the `time`
//!   keyword (`TIMEFORMAT=%3R`), so the copy is not counted; its RSS is reported as the growth
//!   over the same process running `true` after the same copy (the data itself is resident).
//!
//! Every variant's stdout is compared with GNU's; a mismatch is shown in the table.

mod data;
mod measure;
mod report;
mod workloads;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use measure::{Sample, median};
use workloads::{WORKLOADS, Workload};

const TIME_MARKER: &str = "@@mirage-bench ";

struct Options {
    runs: usize,
    only: Option<String>,
    write: bool,
}

/// One workload's results.
pub struct Row {
    pub line: &'static str,
    pub streaming: bool,
    pub gnu: Timing,
    pub disk: Timing,
    pub ram: Timing,
    pub disk_matches: bool,
    pub ram_matches: bool,
}

/// Median wall time and the largest peak RSS over the runs.
pub struct Timing {
    pub median: Duration,
    pub peak_rss_kib: u64,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    build_release(root)?;
    let mirage = root.join("target/release/mirage");
    let data = root.join("target/bench/data");
    data::ensure(&data)?;
    let ram_baseline = ram_runs(&mirage, &data, "true", 1)?
        .iter()
        .map(|s| s.peak_rss_kib)
        .max()
        .unwrap_or(0);
    let mut rows = Vec::new();
    for w in WORKLOADS {
        if options.only.as_deref().is_some_and(|o| !w.line.contains(o)) {
            continue;
        }
        eprintln!("bench: {}", w.line);
        rows.push(measure_workload(
            w,
            &mirage,
            &data,
            options.runs,
            ram_baseline,
        )?);
    }
    let table = report::table(&rows);
    println!("{table}");
    if options.write && options.only.is_none() {
        let path = root.join("BENCHMARKS.md");
        let mut doc = report::document(&table, options.runs, &rows);
        // Hand-written analysis below the marker survives regeneration.
        if let Ok(old) = std::fs::read_to_string(&path)
            && let Some(at) = old.find(report::NOTES_MARKER)
        {
            doc.push('\n');
            doc.push_str(&old[at..]);
        }
        std::fs::write(&path, doc).map_err(|e| format!("writing {}: {e}", path.display()))?;
        eprintln!("bench: wrote {}", path.display());
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        runs: 5,
        only: None,
        write: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                let v = it.next().ok_or("--runs needs a number")?;
                options.runs = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(format!("--runs: not a positive number: {v}"))?;
            }
            "--only" => options.only = Some(it.next().ok_or("--only needs a substring")?.clone()),
            "--no-write" => options.write = false,
            other => {
                return Err(format!(
                    "bench: unknown argument {other}\nusage: cargo xtask bench [--runs N] [--only SUBSTRING] [--no-write]"
                ));
            }
        }
    }
    Ok(options)
}

fn build_release(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "mirage"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("running cargo build: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("cargo build --release -p mirage failed".to_string())
    }
}

fn measure_workload(
    w: &'static Workload,
    mirage: &Path,
    data: &Path,
    runs: usize,
    ram_baseline: u64,
) -> Result<Row, String> {
    let gnu = repeat(runs, || {
        let mut c = Command::new("bash");
        c.args(["-c", w.line]).current_dir(data);
        gnu_env(&mut c);
        measure::run(c)
    })?;
    let disk = repeat(runs, || {
        let mut c = Command::new(mirage);
        c.arg("run")
            .arg("--mount")
            .arg(format!("/data=disk:{}", data.display()))
            .args(["--cwd", "/data", "-c", w.line]);
        gnu_env(&mut c);
        measure::run(c)
    })?;
    let ram = ram_runs(mirage, data, w.line, runs)?;
    let same = |s: &Sample| s.stdout == gnu[0].stdout && s.status == gnu[0].status;
    Ok(Row {
        line: w.line,
        streaming: w.streaming,
        disk_matches: disk.iter().all(same),
        ram_matches: ram.iter().all(same),
        gnu: summarise(&gnu, |s| s.wall, 0),
        disk: summarise(&disk, |s| s.wall, 0),
        ram: summarise(&ram, ram_time, ram_baseline),
    })
}

/// Runs `once` a first time to warm the page cache, then `runs` times for the record.
fn repeat(runs: usize, once: impl Fn() -> Result<Sample, String>) -> Result<Vec<Sample>, String> {
    once()?;
    (0..runs).map(|_| once()).collect()
}

/// Runs `line` on a RAM mount holding a copy of the data, timed by the `time` keyword.
fn ram_runs(mirage: &Path, data: &Path, line: &str, runs: usize) -> Result<Vec<Sample>, String> {
    let script = format!(
        "cp -r /src/big.log /src/events.jsonl /src/tree /data/ && cd /data && \
         TIMEFORMAT='{TIME_MARKER}%3R' && time {{ {line}\n}}"
    );
    repeat(runs, || {
        let mut c = Command::new(mirage);
        c.arg("run")
            .args(["--mount", "/data=ram"])
            .arg("--mount")
            .arg(format!("/src=disk:{}", data.display()))
            .args(["-c", &script]);
        gnu_env(&mut c);
        let sample = measure::run(c)?;
        if ram_seconds(&sample).is_none() {
            return Err(format!(
                "RAM run of `{line}` printed no timing; stderr: {}",
                String::from_utf8_lossy(&sample.stderr)
            ));
        }
        Ok(sample)
    })
}

fn ram_seconds(sample: &Sample) -> Option<f64> {
    let text = String::from_utf8_lossy(&sample.stderr);
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix(TIME_MARKER))
        .and_then(|v| v.trim().parse().ok())
}

fn ram_time(sample: &Sample) -> Duration {
    Duration::from_secs_f64(ram_seconds(sample).unwrap_or(0.0))
}

fn summarise(samples: &[Sample], time: impl Fn(&Sample) -> Duration, rss_base: u64) -> Timing {
    Timing {
        median: median(samples.iter().map(time).collect()),
        peak_rss_kib: samples
            .iter()
            .map(|s| s.peak_rss_kib.saturating_sub(rss_base))
            .max()
            .unwrap_or(0),
    }
}

/// The same environment for both sides: the fixtures' locale and the system PATH.
fn gnu_env(c: &mut Command) {
    c.env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("LC_ALL", "C.UTF-8")
        .env("HOME", std::env::var_os("HOME").unwrap_or_default());
}
