//! TEMPORARY: replays the lead's recorded fixtures for the files/find groups (not to commit).
#![allow(clippy::all)]
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use mirage_core::{MountMode, MountTable, Resource, VPath, WriteMode, stream_from_bytes};
use mirage_resource_ram::RamResource;

fn walk(dir: &Path, rel: &str, dirs: &mut Vec<String>, files: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().into_string().unwrap();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.file_type().unwrap().is_dir() {
            dirs.push(child.clone());
            walk(&e.path(), &child, dirs, files);
        } else {
            files.push((child, std::fs::read(e.path()).unwrap()));
        }
    }
}

#[tokio::test]
#[ignore]
async fn replay_fixtures() {
    let base = Path::new("/work/main/mirage/tests/fixtures");
    let (mut dirs, mut files) = (Vec::new(), Vec::new());
    walk(&base.join("seed"), "", &mut dirs, &mut files);
    for line in std::fs::read_to_string(base.join("seed.empty_dirs"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut prefix = String::new();
        for comp in line.split('/').filter(|c| !c.is_empty()) {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(comp);
            if !dirs.contains(&prefix) {
                dirs.push(prefix.clone());
            }
        }
    }
    let groups = std::env::var("FX_GROUPS").unwrap_or("files,find".into());
    let mut bad = 0;
    let mut total = 0;
    for group in groups.split(',') {
        let text = std::fs::read_to_string(base.join(format!("expected/{group}.json"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for case in v.as_array().unwrap() {
            let (Some(out), Some(err)) = (case["stdout"].as_str(), case["stderr"].as_str()) else {
                continue;
            };
            total += 1;
            let ram = RamResource::new();
            for d in &dirs {
                ram.mkdir(&VPath::new(&format!("/{d}"))).await.unwrap();
            }
            for (f, data) in &files {
                ram.write(
                    &VPath::new(&format!("/{f}")),
                    stream_from_bytes(data.clone()),
                    WriteMode::Truncate,
                )
                .await
                .unwrap();
            }
            let when = UNIX_EPOCH + Duration::from_secs(1_704_164_645);
            for p in files.iter().map(|(f, _)| f).chain(dirs.iter().rev()) {
                ram.set_modified(&VPath::new(&format!("/{p}")), when)
                    .await
                    .unwrap();
            }
            ram.set_modified(&VPath::root(), when).await.unwrap();
            let mut table = MountTable::new();
            table
                .add(VPath::new("/data"), Arc::new(ram), MountMode::Write)
                .unwrap();
            let mut sh = crate::Session::new(
                Arc::new(table),
                Arc::new(crate::builtin_registry()),
                VPath::new("/data"),
            );
            let orig = case["cmd"].as_str().unwrap();
            let sorted = orig.contains(" | sort");
            let cmd_s = orig.replace(" | sort", "");
            let cmd = cmd_s.as_str();
            let mut got = sh.execute(cmd).await;
            if sorted {
                let mut lines: Vec<&[u8]> = got.stdout.split_inclusive(|b| *b == b'\n').collect();
                lines.sort();
                got.stdout = lines.concat();
            }
            let status = case["status"].as_i64().unwrap() as i32;
            if got.stdout != out.as_bytes() || got.stderr != err.as_bytes() || got.status != status
            {
                bad += 1;
                println!(
                    "--- {group}/{}\n    $ {}",
                    case["name"].as_str().unwrap(),
                    cmd.replace('\n', "\n    $ ")
                );
                if got.stdout != out.as_bytes() {
                    println!(
                        "    stdout want: {:?}\n    stdout got:  {:?}",
                        out,
                        String::from_utf8_lossy(&got.stdout)
                    );
                }
                if got.stderr != err.as_bytes() {
                    println!(
                        "    stderr want: {:?}\n    stderr got:  {:?}",
                        err,
                        String::from_utf8_lossy(&got.stderr)
                    );
                }
                if got.status != status {
                    println!("    status want {status} got {}", got.status);
                }
            }
        }
    }
    println!("{bad} of {total} differ");
}
