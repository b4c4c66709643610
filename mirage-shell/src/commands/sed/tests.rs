//! Unit tests for `sed`; expectations are what GNU sed 4.9 printed on this machine.

use std::sync::Arc;

use mirage_core::{MountMode, MountTable, Resource, VPath, WriteMode, stream_from_bytes};
use mirage_resource_ram::RamResource;

use crate::testing::{Captured, run_argv};

async fn run(files: &[(&str, &[u8])], argv: &[&str], stdin: &[u8]) -> (Captured, Arc<MountTable>) {
    let ram = RamResource::new();
    for (path, data) in files {
        let p = VPath::new(&format!("/{path}"));
        ram.write(&p, stream_from_bytes(data.to_vec()), WriteMode::Truncate)
            .await
            .expect("seed file");
    }
    let mut table = MountTable::new();
    table
        .add(VPath::new("/data"), Arc::new(ram), MountMode::Write)
        .expect("mount");
    let fs = Arc::new(table);
    (run_argv(fs.clone(), "/data", argv, stdin).await, fs)
}

async fn sed(argv: &[&str], stdin: &[u8]) -> Captured {
    run(&[], argv, stdin).await.0
}

#[tokio::test]
async fn substitute_and_groups() {
    let c = sed(&["sed", "-n", r"s/\(b\)/[\1]/p"], b"abc\n").await;
    assert_eq!(c.out(), "a[b]c\n");
    assert_eq!(c.status, 0);
}

#[tokio::test]
async fn invalid_utf8_passes_through() {
    let c = sed(&["sed", "s/b/c/"], b"a\xffb\n").await;
    assert_eq!(c.stdout, b"a\xffc\n");
    let c = sed(&["sed", "-n", "l"], b"a\xffb\n").await;
    assert_eq!(c.out(), "a\\377b$\n");
}

#[tokio::test]
async fn n_and_d_restart() {
    let c = sed(&["sed", "$!{N;D}"], b"a\nb\n").await;
    assert_eq!(c.out(), "b\n");
}

#[tokio::test]
async fn hash_n_first_line_is_quiet() {
    let c = sed(&["sed", "#n\np"], b"x\n").await;
    assert_eq!(c.out(), "x\n");
    let c = sed(&["sed", "-e", "#n", "-e", "p"], b"x\n").await;
    assert_eq!(c.out(), "x\n");
}

#[tokio::test]
async fn parse_errors_match_gnu() {
    let c = sed(&["sed", "s/a/b"], b"").await;
    assert_eq!(
        c.err(),
        "sed: -e expression #1, char 5: unterminated `s' command\n"
    );
    assert_eq!(c.status, 1);
    let c = sed(&["sed", "b foo"], b"").await;
    assert_eq!(c.err(), "sed: can't find label for jump to `foo'\n");
    assert_eq!(c.status, 4);
}

#[tokio::test]
async fn missing_file_status_two() {
    let c = sed(&["sed", "p", "x"], b"").await;
    assert_eq!(c.err(), "sed: can't read x: No such file or directory\n");
    assert_eq!(c.status, 2);
}

#[tokio::test]
async fn in_place_rewrites_file() {
    let (c, fs) = run(&[("f", b"one\ntwo\n")], &["sed", "-i", "s/o/0/g", "f"], b"").await;
    assert_eq!(c.status, 0);
    assert_eq!(c.out(), "");
    let c = run_argv(fs, "/data", &["sed", "", "f"], b"").await;
    assert_eq!(c.out(), "0ne\ntw0\n");
}

#[tokio::test]
async fn unsupported_features_fail_loudly() {
    let c = sed(&["sed", "s/x/y/e"], b"x\n").await;
    assert_eq!(c.err(), "mirage: sed: unsupported command: s///e\n");
    assert_eq!(c.status, 2);
    let (c, _) = run(&[("f", b"x\n")], &["sed", "-id/x", "p", "f"], b"").await;
    assert_eq!(c.err(), "mirage: sed: unsupported option: -id/x\n");
    assert_eq!(c.status, 2);
}

#[tokio::test]
async fn back_references_use_backtracking_engine() {
    let c = sed(&["sed", r"s/\(a\)\1/X/"], b"aa ab\n").await;
    assert_eq!(c.out(), "X ab\n");
    let c = sed(&["sed", r"s/\(a\)\2/x/"], b"x\n").await;
    assert_eq!(
        c.err(),
        "sed: -e expression #1, char 12: Invalid back reference\n"
    );
    assert_eq!(c.status, 1);
}
