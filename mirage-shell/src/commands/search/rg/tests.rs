//! Mirage-only behaviour of `rg` (refusals, stdin detection); ripgrep's own output is covered
//! by the recorded fixtures in `mirage/tests/fixtures/cases/rg.cases`.

use crate::commands::search::test_support::fs_with;
use crate::testing::run_argv;

fn files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("data/a.txt", b"hello\nworld\n".to_vec()),
        ("data/sub/b.txt", b"hello there\n".to_vec()),
    ]
}

#[tokio::test]
async fn refuses_what_it_does_not_implement() {
    let fs = fs_with(&files()).await;
    for (argv, opt) in [
        (&["rg", "--json", "x"][..], "--json"),
        (&["rg", "-U", "x"][..], "--multiline"),
        (&["rg", "--type-list"][..], "--type-list"),
        (&["rg", "-P", "x"][..], "--pcre2"),
        (&["rg", "--sortr", "path", "x"][..], "--sortr path"),
        (&["rg", "--passthru", "x"][..], "--passthru"),
    ] {
        let c = run_argv(fs.clone(), "/data", argv, b"").await;
        assert_eq!(c.status, 2, "{argv:?}");
        assert_eq!(c.err(), format!("mirage: rg: unsupported option: {opt}\n"));
        assert_eq!(c.out(), "");
    }
}

#[tokio::test]
async fn searches_stdin_with_data_else_the_cwd() {
    let fs = fs_with(&files()).await;
    let c = run_argv(fs.clone(), "/data/data", &["rg", "hello"], b"a hello\n").await;
    assert_eq!(c.out(), "a hello\n");
    let c = run_argv(fs, "/data/data", &["rg", "hello"], b"").await;
    assert_eq!(c.out(), "a.txt:hello\nsub/b.txt:hello there\n");
    assert_eq!(c.status, 0);
}

#[tokio::test]
async fn no_panic_on_odd_input() {
    let fs = fs_with(&[("data/w", b"\xff\xfe abc \x00\n\r\n".to_vec())]).await;
    for argv in [
        &["rg", "-o", "", "w"][..],
        &["rg", "-w", "-o", "", "w"][..],
        &["rg", "-r", "$9$x${", "-o", "b", "w"][..],
        &["rg", "-C", "99999999999", "abc", "w"][..],
        &["rg", "-g", "**/[!", "x"][..],
        &["rg", "-e"][..],
        &["rg", "--max-depth"][..],
        &["rg", "-vx", "^$", "w"][..],
    ] {
        let _ = run_argv(fs.clone(), "/data/data", argv, b"").await;
    }
}
