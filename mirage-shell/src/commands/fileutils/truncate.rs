//! `truncate`: shrink or extend files to a size (`-s [<>/%+-]N[KMG...]`, `-r FILE`, `-c`).
//! Extending appends zeros as a stream; shrinking rewrites the kept prefix (Mirage resources
//! have no ftruncate), which holds that prefix in memory.

use std::io;

use async_trait::async_trait;
use bytes::Bytes;
use mirage_core::{
    ByteRange, Command, CommandContext, CommandResult, ErrorKind, FsError, WriteMode,
    collect_stream, empty_stream,
};

use crate::commands::common::{HELP, VERSION, parse_opts, unsupported, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, shell_quote};

pub struct Truncate;

const SPEC: OptSpec = OptSpec {
    short: "cor:s:",
    long: &[
        LongOpt {
            name: "no-create",
            has_arg: HasArg::No,
            key: "c",
        },
        LongOpt {
            name: "io-blocks",
            has_arg: HasArg::No,
            key: "o",
        },
        LongOpt {
            name: "reference",
            has_arg: HasArg::Required,
            key: "r",
        },
        LongOpt {
            name: "size",
            has_arg: HasArg::Required,
            key: "s",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// How `-s` relates the new size to the current one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rel {
    Absolute,
    Add,
    Sub,
    AtMost,
    AtLeast,
    RoundDown,
    RoundUp,
}

/// Why a `-s` argument was refused.
#[derive(Debug, PartialEq, Eq)]
enum SizeError {
    Invalid,
    TooLarge,
    MultipleRel,
}

/// Parses a `-s` argument into its mode and magnitude.
fn parse_size(arg: &str) -> Result<(Rel, u64), SizeError> {
    let s = arg.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (mut rel, s) = match s.as_bytes().first() {
        Some(b'<') => (Rel::AtMost, &s[1..]),
        Some(b'>') => (Rel::AtLeast, &s[1..]),
        Some(b'/') => (Rel::RoundDown, &s[1..]),
        Some(b'%') => (Rel::RoundUp, &s[1..]),
        _ => (Rel::Absolute, s),
    };
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'+') => (Some(Rel::Add), &s[1..]),
        Some(b'-') => (Some(Rel::Sub), &s[1..]),
        _ => (None, s),
    };
    if let Some(sign) = sign {
        if rel != Rel::Absolute {
            return Err(SizeError::MultipleRel);
        }
        rel = sign;
    }
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        return Err(SizeError::Invalid);
    }
    let n: u64 = digits[..end].parse().map_err(|_| SizeError::TooLarge)?;
    let mult = suffix_multiplier(&digits[end..]).ok_or(SizeError::Invalid)?;
    let n = n.checked_mul(mult).ok_or(SizeError::TooLarge)?;
    if n > i64::MAX as u64 {
        return Err(SizeError::TooLarge);
    }
    Ok((rel, n))
}

/// `K`, `KiB` (1024) and `KB` (1000) style suffixes, as `xstrtoimax` accepts them.
fn suffix_multiplier(suffix: &str) -> Option<u64> {
    if suffix.is_empty() {
        return Some(1);
    }
    let mut chars = suffix.chars();
    let letter = chars.next()?;
    let power = match letter {
        'k' | 'K' => 1,
        'm' | 'M' => 2,
        'g' | 'G' => 3,
        't' | 'T' => 4,
        'P' => 5,
        'E' => 6,
        'Z' => 7,
        'Y' => 8,
        'R' => 9,
        'Q' => 10,
        _ => return None,
    };
    let base: u64 = match chars.as_str() {
        "" | "iB" => 1024,
        "B" => 1000,
        _ => return None,
    };
    Some(base.checked_pow(power).unwrap_or(u64::MAX))
}

/// The new size of a file currently `cur` bytes long.
fn new_size(rel: Rel, n: u64, cur: u64) -> Option<u64> {
    Some(match rel {
        Rel::Absolute => n,
        Rel::Add => cur.checked_add(n)?,
        Rel::Sub => cur.saturating_sub(n),
        Rel::AtMost => cur.min(n),
        Rel::AtLeast => cur.max(n),
        Rel::RoundDown => cur / n.max(1) * n,
        Rel::RoundUp => cur.div_ceil(n.max(1)).checked_mul(n)?,
    })
}

/// A stream of `len` zero bytes in 64 KiB chunks.
fn zeros(len: u64) -> mirage_core::ByteStream {
    const CHUNK: u64 = 64 * 1024;
    let chunks = len.div_ceil(CHUNK);
    Box::pin(futures::stream::iter((0..chunks).map(move |i| {
        let size = CHUNK.min(len - i * CHUNK) as usize;
        Ok(Bytes::from(vec![0u8; size]))
    })))
}

/// Resizes one file; `Ok(false)` after printing a per-file error.
async fn resize(
    ctx: &mut CommandContext,
    operand: &str,
    no_create: bool,
    size: (Rel, u64),
    reference: Option<u64>,
) -> io::Result<bool> {
    let path = ctx.path(operand);
    let stat = if operand.is_empty() {
        Err(FsError::not_found())
    } else {
        ctx.fs.stat(&path).await
    };
    let cur = match stat {
        Ok(st) if st.is_dir() => return open_error(ctx, operand, &FsError::is_dir()).await,
        Ok(st) => st.size.unwrap_or(0),
        Err(e) if e.kind == ErrorKind::NotFound && no_create => return Ok(true),
        Err(e) if e.kind == ErrorKind::NotFound && !operand.is_empty() => {
            if let Err(e) = ctx
                .fs
                .write(&path, empty_stream(), WriteMode::Truncate)
                .await
            {
                return open_error(ctx, operand, &e).await;
            }
            0
        }
        Err(e) => return open_error(ctx, operand, &e).await,
    };
    let (rel, n) = size;
    let base = reference.unwrap_or(cur);
    let Some(target) = new_size(rel, n, base) else {
        let msg = format!(
            "overflow extending size of file {}",
            shell_quote(operand, true)
        );
        ctx.error(msg).await?;
        return Ok(false);
    };
    let result = if target > cur {
        ctx.fs
            .write(&path, zeros(target - cur), WriteMode::Append)
            .await
            .map(|_| ())
    } else if target < cur {
        shrink(ctx, &path, target).await
    } else {
        Ok(())
    };
    if let Err(e) = result {
        let msg = format!(
            "failed to truncate {} at {target} bytes: {e}",
            shell_quote(operand, true)
        );
        ctx.error(msg).await?;
        return Ok(false);
    }
    Ok(true)
}

/// Keeps the first `len` bytes of `path`.
async fn shrink(
    ctx: &mut CommandContext,
    path: &mirage_core::VPath,
    len: u64,
) -> Result<(), FsError> {
    let range = ByteRange {
        start: 0,
        end: Some(len),
    };
    let kept = collect_stream(ctx.fs.read(path, Some(range)).await?).await?;
    ctx.fs
        .write(
            path,
            mirage_core::stream_from_bytes(kept),
            WriteMode::Truncate,
        )
        .await
        .map(|_| ())
}

async fn open_error(ctx: &mut CommandContext, operand: &str, e: &FsError) -> io::Result<bool> {
    let msg = format!(
        "cannot open {} for writing: {e}",
        shell_quote(operand, true)
    );
    ctx.error(msg).await?;
    Ok(false)
}

#[async_trait]
impl Command for Truncate {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        for (key, shown) in [("help", "--help"), ("version", "--version"), ("o", "-o")] {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        let size_arg = parsed.last("s").map(str::to_string);
        let reference = parsed.last("r").map(str::to_string);
        let size = match &size_arg {
            None => None,
            Some(arg) => match parse_size(arg) {
                Ok(s) => Some(s),
                Err(SizeError::MultipleRel) => {
                    return usage_error(ctx, "multiple relative modifiers specified", 1).await;
                }
                Err(SizeError::Invalid) => {
                    ctx.error(format!("Invalid number: {}", lquote(arg)))
                        .await?;
                    return Ok(1);
                }
                Err(SizeError::TooLarge) => {
                    let msg = format!(
                        "Invalid number: {}: Value too large for defined data type",
                        lquote(arg)
                    );
                    ctx.error(msg).await?;
                    return Ok(1);
                }
            },
        };
        if let Some((Rel::RoundDown | Rel::RoundUp, 0)) = size {
            ctx.error("division by zero").await?;
            return Ok(1);
        }
        if size.is_none() && reference.is_none() {
            let msg = format!(
                "you must specify either {} or {}",
                lquote("--size"),
                lquote("--reference")
            );
            return usage_error(ctx, &msg, 1).await;
        }
        if let (Some((Rel::Absolute, _)), Some(_)) = (size, &reference) {
            let msg = format!(
                "you must specify a relative {} with {}",
                lquote("--size"),
                lquote("--reference")
            );
            return usage_error(ctx, &msg, 1).await;
        }
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing file operand", 1).await;
        }
        let ref_size = match &reference {
            None => None,
            Some(r) => match ctx.fs.stat(&ctx.path(r)).await {
                Ok(st) => Some(st.size.unwrap_or(0)),
                Err(e) => {
                    ctx.error(format!("cannot stat {}: {e}", shell_quote(r, true)))
                        .await?;
                    return Ok(1);
                }
            },
        };
        // `-r` alone sets the reference's size exactly.
        let size = size.unwrap_or((Rel::Add, 0));
        let no_create = parsed.has("c");
        let mut status = 0;
        for operand in &parsed.operands {
            if !resize(ctx, operand, no_create, size, ref_size).await? {
                status = 1;
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::{Rel, SizeError, parse_size};
    use crate::commands::fileutils::test_support::run_fs;
    use mirage_core::VPath;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1K"), Ok((Rel::Absolute, 1024)));
        assert_eq!(parse_size("1KB"), Ok((Rel::Absolute, 1000)));
        assert_eq!(parse_size(" +1MiB"), Ok((Rel::Add, 1 << 20)));
        assert_eq!(parse_size("%3"), Ok((Rel::RoundUp, 3)));
        assert_eq!(parse_size("1b"), Err(SizeError::Invalid));
        assert_eq!(parse_size("+ 5"), Err(SizeError::Invalid));
        assert_eq!(parse_size("<-5"), Err(SizeError::MultipleRel));
    }

    #[tokio::test]
    async fn extends_and_shrinks() {
        let files: &[(&str, &[u8])] = &[("a", b"hello\n"), ("d/", b"")];
        let (c, fs) = run_fs(files, &["truncate", "-s", "+2", "a", "new", "d"], b"").await;
        assert_eq!(
            c.err(),
            "truncate: cannot open 'd' for writing: Is a directory\n"
        );
        assert_eq!(c.status, 1);
        let a = fs.stat(&VPath::new("/data/a")).await.map(|s| s.size);
        assert_eq!(a, Ok(Some(8)));
        let n = fs.stat(&VPath::new("/data/new")).await.map(|s| s.size);
        assert_eq!(n, Ok(Some(2)));
        let (_, fs) = run_fs(files, &["truncate", "-s", "<3", "a"], b"").await;
        let data = mirage_core::collect_stream(
            fs.read(&VPath::new("/data/a"), None)
                .await
                .unwrap_or_else(|_| mirage_core::empty_stream()),
        )
        .await;
        assert_eq!(data, Ok(b"hel".to_vec()));
    }
}
