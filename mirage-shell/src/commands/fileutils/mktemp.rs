//! `mktemp`: create a uniquely named file or directory (`-d -p DIR -t -u -q --suffix`). The
//! default directory is `$TMPDIR` or `/tmp`, which must exist in the mount table. Names are
//! random, so only their shape and existence can be compared with GNU.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, WriteMode, empty_stream};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Mktemp;

const SPEC: OptSpec = OptSpec {
    short: "dp:qtu",
    long: &[
        LongOpt {
            name: "directory",
            has_arg: HasArg::No,
            key: "d",
        },
        LongOpt {
            name: "dry-run",
            has_arg: HasArg::No,
            key: "u",
        },
        LongOpt {
            name: "quiet",
            has_arg: HasArg::No,
            key: "q",
        },
        LongOpt {
            name: "suffix",
            has_arg: HasArg::Required,
            key: "suffix",
        },
        LongOpt {
            name: "tmpdir",
            has_arg: HasArg::Optional,
            key: "p",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A fresh random character for an `X` (std's randomly keyed hasher as the entropy source).
fn random_char(state: &RandomState, counter: u64) -> char {
    let mut h = state.build_hasher();
    h.write_u64(counter);
    CHARS[(h.finish() % CHARS.len() as u64) as usize] as char
}

/// Splits a template into (head, number of X's, suffix); the X run is the last one.
fn split_template(template: &str, suffix: Option<&str>) -> (String, usize, String) {
    let (body, suf) = match suffix {
        Some(s) => (template.to_string(), s.to_string()),
        None => match template.rfind('X') {
            Some(i) => (template[..=i].to_string(), template[i + 1..].to_string()),
            None => (template.to_string(), String::new()),
        },
    };
    let xs = body.len() - body.trim_end_matches('X').len();
    (body[..body.len() - xs].to_string(), xs, suf)
}

#[async_trait]
impl Command for Mktemp {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        for (key, shown) in [("help", "--help"), ("version", "--version")] {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        if parsed.operands.len() > 1 {
            return usage_error(ctx, "too many templates", 1).await;
        }
        let explicit = parsed.operands.first().cloned();
        let template = explicit
            .clone()
            .unwrap_or_else(|| "tmp.XXXXXXXXXX".to_string());
        let in_tmpdir = explicit.is_none() || parsed.has("t") || parsed.has("p");
        let (head, xs, suffix) = split_template(&template, parsed.last("suffix"));
        if xs < 3 {
            ctx.error(format!("too few X's in template {}", lquote(&template)))
                .await?;
            return Ok(1);
        }
        let full = if in_tmpdir {
            let dir = parsed
                .last("p")
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .or_else(|| ctx.env.get("TMPDIR").filter(|d| !d.is_empty()).cloned())
                .unwrap_or_else(|| "/tmp".to_string());
            format!("{}/{head}", dir.trim_end_matches('/'))
        } else {
            head
        };
        let shown_template = format!("{full}{}{suffix}", "X".repeat(xs));
        create(ctx, &parsed, &full, xs, &suffix, &shown_template).await
    }
}

/// Tries random names until one is free, then creates it (unless `-u`).
async fn create(
    ctx: &mut CommandContext,
    parsed: &crate::commands::getopt::Parsed,
    head: &str,
    xs: usize,
    suffix: &str,
    shown_template: &str,
) -> io::Result<i32> {
    let state = RandomState::new();
    let dir = parsed.has("d");
    let mut counter = 0u64;
    // A missing directory is `No such file or directory` (outside any mount the table would
    // answer read-only).
    let parent = ctx.path(&format!("{head}X")).parent();
    let mut last_err = match ctx.fs.stat(&parent).await {
        Ok(st) if st.is_dir() => None,
        Ok(_) => Some(mirage_core::FsError::not_dir()),
        Err(e) => Some(e),
    };
    let tries = if last_err.is_some() { 0 } else { 100 };
    for _ in 0..tries {
        let mut name = head.to_string();
        for _ in 0..xs {
            counter += 1;
            name.push(random_char(&state, counter));
        }
        name.push_str(suffix);
        let path = ctx.path(&name);
        match ctx.fs.stat(&path).await {
            Ok(_) => continue,
            Err(e) if e.kind != ErrorKind::NotFound => {
                last_err = Some(e);
                break;
            }
            Err(_) => {}
        }
        if parsed.has("u") {
            ctx.stdout.write_all(format!("{name}\n").as_bytes()).await?;
            return Ok(0);
        }
        let made = if dir {
            ctx.fs.mkdir(&path).await
        } else {
            ctx.fs
                .write(&path, empty_stream(), WriteMode::Truncate)
                .await
                .map(|_| ())
        };
        match made {
            Ok(()) => {
                ctx.stdout.write_all(format!("{name}\n").as_bytes()).await?;
                return Ok(0);
            }
            Err(e) => {
                last_err = Some(e);
                break;
            }
        }
    }
    if !parsed.has("q") {
        let what = if dir { "directory" } else { "file" };
        let reason = last_err
            .map(|e| e.to_string())
            .unwrap_or_else(|| "File exists".to_string());
        let msg = format!(
            "failed to create {what} via template {}: {reason}",
            lquote(shown_template)
        );
        ctx.error(msg).await?;
    }
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::split_template;
    use crate::commands::fileutils::test_support::run;

    #[test]
    fn templates() {
        assert_eq!(
            split_template("fooXXX.txt", None),
            ("foo".into(), 3, ".txt".into())
        );
        assert_eq!(
            split_template("barXXXX", Some(".t")),
            ("bar".into(), 4, ".t".into())
        );
    }

    #[tokio::test]
    async fn creates_and_fails() {
        let c = run(&[], &["mktemp", "-p", ".", "-d"], b"").await;
        assert!(
            c.out().starts_with("./tmp.") && c.out().len() == 17,
            "{}",
            c.out()
        );
        let c = run(&[], &["mktemp"], b"").await;
        assert_eq!(
            c.err(),
            "mktemp: failed to create file via template ‘/tmp/tmp.XXXXXXXXXX’: No such file or directory\n"
        );
        let c = run(&[], &["mktemp", "abc"], b"").await;
        assert_eq!(c.err(), "mktemp: too few X's in template ‘abc’\n");
    }
}
