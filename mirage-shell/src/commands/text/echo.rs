//! `echo`: bash's builtin echo. Options are only `-n`, `-e`, `-E` (clustered like `-ne`); any
//! other word, `--` and `--help` included, is printed.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::escapes::{Dialect, expand_all};

pub struct Echo;

/// True when `arg` is an echo option word: `-` followed only by `n`, `e` or `E`.
fn is_option(arg: &str) -> bool {
    arg.len() > 1
        && arg.starts_with('-')
        && arg[1..].bytes().all(|b| matches!(b, b'n' | b'e' | b'E'))
}

/// The bytes echo prints for `args`.
fn render(args: &[String]) -> Vec<u8> {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 0;
    for arg in args {
        if !is_option(arg) {
            break;
        }
        for b in arg.bytes().skip(1) {
            match b {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    let mut out = Vec::new();
    for (i, arg) in args[first..].iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            let (stop, _) = expand_all(arg.as_bytes(), Dialect::Echo, &mut out);
            if stop {
                return out;
            }
        } else {
            out.extend_from_slice(arg.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    out
}

#[async_trait]
impl Command for Echo {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        ctx.stdout.write_all(&render(&args)).await?;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::run_in;

    async fn echo(args: &[&str]) -> Vec<u8> {
        let mut argv = vec!["echo"];
        argv.extend_from_slice(args);
        let c = run_in(&argv, b"").await;
        assert_eq!((c.status, c.stderr.as_slice()), (0, &b""[..]));
        c.stdout
    }

    #[tokio::test]
    async fn options_like_bash() {
        assert_eq!(echo(&[]).await, b"\n");
        assert_eq!(echo(&["-n"]).await, b"");
        assert_eq!(echo(&["-ne"]).await, b"");
        assert_eq!(echo(&["-nx", "a"]).await, b"-nx a\n");
        assert_eq!(echo(&["--", "a"]).await, b"-- a\n");
        assert_eq!(echo(&["--help"]).await, b"--help\n");
        assert_eq!(echo(&["-E", "-e", "\\n"]).await, b"\n\n");
        assert_eq!(echo(&["-e", "-E", "\\n"]).await, b"\\n\n");
        assert_eq!(echo(&["-", "a"]).await, b"- a\n");
    }

    #[tokio::test]
    async fn escapes_like_bash() {
        assert_eq!(
            echo(&[
                "-e",
                "a\\tb\\x41\\x4g\\u00e9\\U0001F600\\0101\\101\\c after"
            ])
            .await,
            b"a\tbA\x04g\xc3\xa9\xf0\x9f\x98\x80A\\101"
        );
        assert_eq!(echo(&["-e", "a\\cb", "c"]).await, b"a");
        assert_eq!(echo(&["-e", "x\\"]).await, b"x\\\n");
        assert_eq!(echo(&["a\\tb"]).await, b"a\\tb\n");
    }
}
