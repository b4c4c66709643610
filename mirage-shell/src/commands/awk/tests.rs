//! Unit tests for awk; expectations are what GNU awk 5.2 printed on this machine.

use std::sync::Arc;

use mirage_core::{MountMode, MountTable, VPath};
use mirage_resource_ram::RamResource;

use crate::testing::{Captured, run_argv};

async fn run(argv: &[&str], stdin: &[u8]) -> Captured {
    let mut table = MountTable::new();
    table
        .add(
            VPath::new("/data"),
            Arc::new(RamResource::new()),
            MountMode::Write,
        )
        .expect("mount in test");
    run_argv(Arc::new(table), "/data", argv, stdin).await
}

#[tokio::test]
async fn sums_a_column() {
    let c = run(&["awk", "{s+=$2} END{print s}"], b"1 2\n3 4\n").await;
    assert_eq!((c.out().as_str(), c.status), ("6\n", 0));
}

#[tokio::test]
async fn printf_formats() {
    let c = run(
        &["awk", r#"BEGIN{printf "%5.2f|%-3s|\n", 3.14159, "a"}"#],
        b"",
    )
    .await;
    assert_eq!(c.out(), " 3.14|a  |\n");
}

#[tokio::test]
async fn dedupes_with_array() {
    let c = run(&["awk", "!seen[$0]++"], b"b\na\nb\n").await;
    assert_eq!(c.out(), "b\na\n");
}

#[tokio::test]
async fn syntax_error_like_gawk() {
    let c = run(&["awk", "BEGIN { if (x) }"], b"").await;
    assert_eq!(
        (c.err().as_str(), c.status),
        (
            "awk: cmd. line:1: BEGIN { if (x) }\nawk: cmd. line:1:                ^ syntax error\n",
            1
        )
    );
}
