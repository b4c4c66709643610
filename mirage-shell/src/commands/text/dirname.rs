//! `dirname`: strip the last component of each operand (`-z`).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{HELP, VERSION, refuse_help, usage_error};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Dirname;

const SPEC: OptSpec = OptSpec {
    short: "z",
    long: &[
        LongOpt {
            name: "zero",
            has_arg: HasArg::No,
            key: "z",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Byte index where the last component of `name` starts (gnulib's `last_component`): leading
/// slashes are skipped, then the start of the last run of non-slashes wins.
fn last_component(name: &[u8]) -> usize {
    let mut base = name.iter().take_while(|&&b| b == b'/').count();
    let mut after_slash = false;
    for (i, &b) in name.iter().enumerate().skip(base) {
        if b == b'/' {
            after_slash = true;
        } else if after_slash {
            base = i;
            after_slash = false;
        }
    }
    base
}

/// The directory part of `name` as gnulib's `dir_name` computes it: the last component and the
/// slashes before it removed, keeping a leading `/`; `.` when nothing is left.
pub fn dir_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let prefix = usize::from(bytes.first() == Some(&b'/'));
    let mut len = last_component(bytes);
    while len > prefix && bytes[len - 1] == b'/' {
        len -= 1;
    }
    if len == 0 {
        ".".to_string()
    } else {
        name[..len].to_string()
    }
}

#[async_trait]
impl Command for Dirname {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let end = if parsed.has("z") { "\0" } else { "\n" };
        for name in &parsed.operands {
            let line = format!("{}{end}", dir_name(name));
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run_in};
    use super::dir_name;

    #[test]
    fn names_like_gnu() {
        let cases = [
            ("", "."),
            ("/", "/"),
            ("//", "/"),
            ("///", "/"),
            ("a/", "."),
            ("/a/b/", "/a"),
            ("a", "."),
            ("//a//b//", "//a"),
            (".", "."),
            ("..", "."),
            ("a/b.txt", "a"),
        ];
        for (input, want) in cases {
            assert_eq!(dir_name(input), want, "{input:?}");
        }
    }

    #[tokio::test]
    async fn operands() {
        check(
            &run_in(&["dirname", "a/b", "c/d"], b"").await,
            "a\nc\n",
            "",
            0,
        );
        check(&run_in(&["dirname", "-z", "a/b"], b"").await, "a\0", "", 0);
        check(
            &run_in(&["dirname"], b"").await,
            "",
            "dirname: missing operand\nTry 'dirname --help' for more information.\n",
            1,
        );
    }
}
