//! The search commands inside real shell pipelines: streaming, early exit of the reader
//! (SIGPIPE-like status), and commands run by xargs. Expected outputs are GNU bash's.

use std::sync::Arc;
use std::time::Duration;

use mirage_core::VPath;

use super::test_support::fs_with;
use crate::interp::Session;

async fn session() -> Session {
    let big: Vec<u8> = (1..=200_000)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    let fs = fs_with(&[
        ("big", big),
        ("a.txt", b"foo\nbar\n".to_vec()),
        ("b.txt", b"foo\n".to_vec()),
    ])
    .await;
    Session::new(fs, Arc::new(crate::builtin_registry()), VPath::new("/data"))
}

/// Runs a line with a time limit, so a command that does not stop after its reader left fails
/// the test instead of hanging it.
async fn run(line: &str) -> (String, String, i32) {
    let mut s = session().await;
    let out = tokio::time::timeout(Duration::from_secs(60), s.execute(line))
        .await
        .expect("pipeline finished");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status,
    )
}

#[tokio::test]
async fn grep_stops_when_head_is_done() {
    let (out, err, status) = run("grep line big | head -n 2; echo ${PIPESTATUS[@]}").await;
    assert_eq!(
        (out.as_str(), err.as_str(), status),
        ("line 1\nline 2\n141 0\n", "", 0)
    );
}

#[tokio::test]
async fn jq_stops_when_head_is_done() {
    let (out, err, status) =
        run("jq -n 'range(100000000)' | head -n 2; echo ${PIPESTATUS[@]}").await;
    assert_eq!(
        (out.as_str(), err.as_str(), status),
        ("0\n1\n141 0\n", "", 0)
    );
}

#[tokio::test]
async fn xargs_runs_registered_commands() {
    let (out, err, status) = run("printf 'a.txt\\nb.txt\\n' | xargs grep -c foo").await;
    assert_eq!(
        (out.as_str(), err.as_str(), status),
        ("a.txt:1\nb.txt:1\n", "", 0)
    );
    let (out, _, status) = run("printf 'a.txt\\nnone\\n' | xargs -n1 cat; echo $?").await;
    assert_eq!((out.as_str(), status), ("foo\nbar\n123\n", 0));
}

#[tokio::test]
async fn pipeline_through_all_three() {
    let (out, err, status) =
        run("grep -n foo a.txt b.txt | jq -R -c 'split(\":\")' | xargs -0 echo").await;
    assert_eq!(
        (out.as_str(), err.as_str(), status),
        (
            "[\"a.txt\",\"1\",\"foo\"]\n[\"b.txt\",\"1\",\"foo\"]\n\n",
            "",
            0
        )
    );
}
