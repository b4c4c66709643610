//! jq against outputs recorded from jq 1.6 on this machine (LC_ALL=C.UTF-8).

use super::cases::{CASES, FILES};
use crate::commands::search::test_support::check_cases;

/// Cases where Mirage knowingly differs from jq 1.6 (each one says why).
const KNOWN: &[&[&str]] = &[
    // jaq indexes objects with non-strings as null; jq 1.6 raises an error.
    &["jq", "-nc", "{}|.[0]"],
    &["jq", "-nc", "{}|.[[1]]"],
    // jq 1.6 truncates both operands of `%` to integers; jaq keeps the fraction.
    &["jq", "-nc", "5.5%2"],
];

#[tokio::test]
async fn matches_jq_1_6() {
    let files: Vec<(&str, Vec<u8>)> = FILES.iter().map(|(n, d)| (*n, d.to_vec())).collect();
    check_cases(&files, CASES, KNOWN).await;
}

/// jq prints a value's output while its input is still open: the first value's result must
/// arrive before the writer sends anything more or closes stdin.
#[tokio::test]
async fn output_streams_before_input_ends() {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::time::Duration;

    use mirage_core::{Command, CommandContext, MountTable, Output, VPath};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (stdin_r, mut stdin_w) = crate::interp::io::pipe(1 << 16);
    let (mut out_r, out_w) = crate::interp::io::pipe(1 << 16);
    let (_err_r, err_w) = crate::interp::io::pipe(1 << 16);
    let mut ctx = CommandContext {
        stdin_size: None,
        name: "jq".to_string(),
        stdin: Box::pin(tokio::io::BufReader::new(stdin_r)),
        stdout: Output::new(Box::pin(out_w)),
        stderr: Output::unbuffered(Box::pin(err_w)),
        cwd: VPath::new("/"),
        env: Arc::new(BTreeMap::new()),
        fs: Arc::new(MountTable::new()),
        commands: Arc::new(crate::builtin_registry()),
        shell_prefix: None,
    };
    let task = tokio::spawn(async move {
        let args = vec!["-c".to_string(), ".a".to_string()];
        let status = super::Jq.run(&mut ctx, args).await;
        let _ = ctx.stdout.flush().await;
        status.ok()
    });
    stdin_w.write_all(b"{\"a\":1}\n").await.ok();
    let mut got = [0u8; 2];
    let first = tokio::time::timeout(Duration::from_secs(10), out_r.read_exact(&mut got)).await;
    assert!(
        matches!(first, Ok(Ok(_))),
        "no output while the input is still open"
    );
    assert_eq!(&got, b"1\n");
    stdin_w.write_all(b"{\"a\":2}").await.ok();
    drop(stdin_w);
    let mut rest = Vec::new();
    out_r.read_to_end(&mut rest).await.ok();
    assert_eq!(rest, b"2\n");
    assert_eq!(task.await.ok().flatten(), Some(0));
}
