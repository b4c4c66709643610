//! `basename`: strip directory components and an optional suffix (`-a`, `-s`, `-z`).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{HELP, VERSION, lquote, refuse_help, usage_error};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Basename;

const SPEC: OptSpec = OptSpec {
    short: "as:z",
    long: &[
        LongOpt {
            name: "multiple",
            has_arg: HasArg::No,
            key: "a",
        },
        LongOpt {
            name: "suffix",
            has_arg: HasArg::Required,
            key: "s",
        },
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

/// The last component of `name` as coreutils computes it: trailing slashes ignored, a name made
/// only of slashes is `/`, and the suffix is removed only when something is left before it.
pub fn base_name(name: &str, suffix: Option<&str>) -> String {
    if name.is_empty() {
        return String::new();
    }
    let trimmed = name.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    let base = match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    match suffix {
        Some(s) if !s.is_empty() && base.len() > s.len() && base.ends_with(s) => {
            base[..base.len() - s.len()].to_string()
        }
        _ => base.to_string(),
    }
}

#[async_trait]
impl Command for Basename {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let suffix = parsed.last("s").map(str::to_string);
        let multiple = parsed.has("a") || suffix.is_some();
        let ops = &parsed.operands;
        if ops.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let end = if parsed.has("z") { "\0" } else { "\n" };
        let (names, suffix): (&[String], Option<String>) = if multiple {
            (ops, suffix)
        } else {
            if ops.len() > 2 {
                return usage_error(ctx, &format!("extra operand {}", lquote(&ops[2])), 1).await;
            }
            (&ops[..1], ops.get(1).cloned())
        };
        for name in names {
            let line = format!("{}{end}", base_name(name, suffix.as_deref()));
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run_in};
    use super::base_name;

    #[test]
    fn names_like_gnu() {
        let cases = [
            ("", ""),
            ("/", "/"),
            ("//", "/"),
            ("///", "/"),
            ("a/", "a"),
            ("/a/b/", "b"),
            ("a", "a"),
            ("//a//b//", "b"),
            (".", "."),
            ("..", ".."),
            ("a/b.txt", "b.txt"),
        ];
        for (input, want) in cases {
            assert_eq!(base_name(input, None), want, "{input:?}");
        }
        assert_eq!(base_name("a.txt", Some(".txt")), "a");
        assert_eq!(base_name(".txt", Some(".txt")), ".txt");
        assert_eq!(base_name("/a/b/", Some("b")), "b");
    }

    #[tokio::test]
    async fn operands_and_options() {
        check(
            &run_in(&["basename", "a.txt", ".txt"], b"").await,
            "a\n",
            "",
            0,
        );
        check(
            &run_in(&["basename", "-a", "a/b", "c/d"], b"").await,
            "b\nd\n",
            "",
            0,
        );
        check(
            &run_in(&["basename", "-s", ".txt", "a.txt", "b.txt"], b"").await,
            "a\nb\n",
            "",
            0,
        );
        check(
            &run_in(&["basename", "-z", "a", "b"], b"").await,
            "a\0",
            "",
            0,
        );
        check(&run_in(&["basename", "--", "-a"], b"").await, "-a\n", "", 0);
        check(
            &run_in(&["basename", "-s", "", "a"], b"").await,
            "a\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn usage_errors() {
        let try_hint = "Try 'basename --help' for more information.\n";
        check(
            &run_in(&["basename"], b"").await,
            "",
            &format!("basename: missing operand\n{try_hint}"),
            1,
        );
        check(
            &run_in(&["basename", "-s", "x"], b"").await,
            "",
            &format!("basename: missing operand\n{try_hint}"),
            1,
        );
        check(
            &run_in(&["basename", "a", "b", "c"], b"").await,
            "",
            &format!("basename: extra operand \u{2018}c\u{2019}\n{try_hint}"),
            1,
        );
        check(
            &run_in(&["basename", "-x"], b"").await,
            "",
            &format!("basename: invalid option -- 'x'\n{try_hint}"),
            1,
        );
    }
}
