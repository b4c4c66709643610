//! The `mirage` binary in the exact form held-out tests use:
//! `mirage run --mount /data=disk:DIR -c LINE`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn mirage(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mirage"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mirage binary runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin).expect("stdin accepted");
    }
    child.wait_with_output().expect("mirage finishes")
}

fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("log.txt"),
        "ok one\nalert two\nalert three\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    dir
}

#[test]
fn run_line_over_a_disk_mount_and_exit_with_its_status() {
    let dir = data_dir();
    let spec = format!("/data=disk:{}", dir.path().display());
    let out = mirage(
        &[
            "run",
            "--mount",
            &spec,
            "-c",
            "grep -c alert /data/log.txt; ls /data; cat /data/nope",
        ],
        b"",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\nlog.txt\nsub\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cat: /data/nope: No such file or directory\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn default_cwd_is_root_and_mounts_are_listed() {
    let dir = data_dir();
    let spec = format!("/data=disk:{}", dir.path().display());
    let out = mirage(
        &[
            "run", "--mount", &spec, "--mount", "/mem=ram", "-c", "pwd; ls",
        ],
        b"",
    );
    // An in-memory /tmp is mounted unless something else is there (or --no-tmp), and the
    // devices at /dev.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/\ndata\ndev\nmem\ntmp\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn scratch_tmp_works_and_can_be_left_out() {
    let out = mirage(
        &[
            "run",
            "-c",
            "d=$(mktemp -d) && echo hi > $d/f && cat $d/f && ls / && df /tmp | wc -l",
        ],
        b"",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\ndev\ntmp\n2\n");
    let out = mirage(&["run", "--no-tmp", "-c", "mktemp -d; echo $?"], b"");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    let out = mirage(&["run", "--mount", "/tmp=ram", "-c", "ls /"], b"");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "dev\ntmp\n",
        "a configured /tmp is used as is"
    );
}

#[test]
fn script_from_stdin_and_stdin_for_a_line() {
    let out = mirage(
        &["run", "--mount", "/m=ram"],
        b"cd /m\necho hi > f\ncat f\nexit 3\n",
    );
    assert_eq!(
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            out.status.code()
        ),
        ("hi\n".to_string(), Some(3))
    );
    let out = mirage(&["run", "-c", "wc -l"], b"a\nb\n");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n");
}

#[test]
fn read_only_spec_refuses_writes_and_changes_nothing() {
    let dir = data_dir();
    let spec = format!("/data=disk:{}:ro", dir.path().display());
    let out = mirage(
        &["run", "--mount", &spec, "-c", "echo x > /data/log.txt"],
        b"",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bash: line 1: /data/log.txt: Read-only file system\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("log.txt")).unwrap(),
        "ok one\nalert two\nalert three\n"
    );
}

#[test]
fn bad_specs_and_unknown_commands_are_clear() {
    let out = mirage(
        &[
            "run",
            "--mount",
            "/x=disk:/definitely/not/here",
            "-c",
            "true",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("mirage: mount /x: "),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = mirage(&["run", "--mount", "nonsense", "-c", "true"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = mirage(&["run", "-c", "frobnicate"], b"");
    assert_eq!(
        (
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code()
        ),
        (
            "bash: line 1: frobnicate: command not found\n".to_string(),
            Some(127)
        )
    );
}

#[test]
fn binary_output_is_passed_through_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let data: Vec<u8> = (0..=255u8).rev().cycle().take(70_000).collect();
    std::fs::write(dir.path().join("b.bin"), &data).unwrap();
    let spec = format!("/d=disk:{}", dir.path().display());
    let out = mirage(&["run", "--mount", &spec, "-c", "cat /d/b.bin | cat"], b"");
    assert_eq!(out.stdout, data);
}
