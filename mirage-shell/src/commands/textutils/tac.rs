//! `tac`: print files with their lines (or `-s` records) in reverse order. `-b` puts the
//! separator before each record. A file on a mount that serves ranged reads is read backwards
//! block by block, so `tac big.log | head` reads only its end and memory stays at a block plus
//! the longest line; other inputs (stdin, `-b`, separators longer than a byte) are read whole.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError, VPath};

use super::support::{HELP, VERSION, inputs, parse_opts, read_all, refuse_help, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::quote_always;

pub struct Tac;

const SPEC: OptSpec = OptSpec {
    short: "brs:",
    long: &[
        LongOpt {
            name: "before",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "regex",
            has_arg: HasArg::No,
            key: "r",
        },
        LongOpt {
            name: "separator",
            has_arg: HasArg::Required,
            key: "s",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Splits `data` into records ending with `sep` (the last one may lack it).
fn records<'a>(data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= data.len() {
        if &data[i..i + sep.len()] == sep {
            out.push(&data[start..i]);
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    if start < data.len() {
        out.push(&data[start..]);
    }
    out
}

/// The reversed output of one input.
fn reverse(data: &[u8], sep: &[u8], before: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    if before {
        // Records begin with the separator; text before the first separator is its own record.
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut starts = vec![0];
        let mut i = 0;
        while i + sep.len() <= data.len() {
            if &data[i..i + sep.len()] == sep {
                if i != 0 {
                    starts.push(i);
                }
                i += sep.len();
            } else {
                i += 1;
            }
        }
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(data.len());
            parts.push(&data[s..e]);
        }
        for p in parts.iter().rev() {
            out.extend_from_slice(p);
        }
        return out;
    }
    let ends_with_sep = data.ends_with(sep);
    let recs = records(data, sep);
    for (k, r) in recs.iter().enumerate().rev() {
        out.extend_from_slice(r);
        let last = k + 1 == recs.len();
        if !last || ends_with_sep {
            out.extend_from_slice(sep);
        }
    }
    out
}

/// Bytes read per step when walking a file backwards.
const BLOCK: u64 = 64 * 1024;

/// Writes the records of the file at `path` (`size` bytes, separator `sep`) last first, reading
/// it backwards block by block. Each step keeps the part of its block before the first
/// separator (a record that starts further back) and prints the complete records after it.
async fn reverse_from_end(
    ctx: &mut CommandContext,
    path: &VPath,
    size: u64,
    sep: u8,
) -> std::io::Result<Result<(), FsError>> {
    let mut pos = size;
    let mut carry: Vec<u8> = Vec::new();
    while pos > 0 {
        let start = pos.saturating_sub(BLOCK);
        let block = crate::commands::text::tail::read_range(&ctx.fs, path, start, Some(pos)).await;
        let mut buf = match block {
            Ok(b) => b,
            Err(e) => return Ok(Err(e)),
        };
        buf.extend_from_slice(&carry);
        pos = start;
        if pos == 0 {
            carry = buf;
            break;
        }
        match memchr::memchr(sep, &buf) {
            // A record longer than what was read so far: read further back.
            None => carry = buf,
            Some(i) => {
                ctx.stdout
                    .write_all(&reverse(&buf[i + 1..], &[sep], false))
                    .await?;
                buf.truncate(i + 1);
                carry = buf;
            }
        }
    }
    ctx.stdout
        .write_all(&reverse(&carry, &[sep], false))
        .await?;
    Ok(Ok(()))
}

#[async_trait]
impl Command for Tac {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        if parsed.has("r") {
            return unsupported(ctx, "-r").await;
        }
        let sep = parsed.last("s").unwrap_or("\n").as_bytes().to_vec();
        let before = parsed.has("b");
        let mut status = 0;
        for op in inputs(&parsed.operands) {
            if let [single] = sep.as_slice()
                && !before
                && op != "-"
            {
                let path = ctx.path(&op);
                let size = crate::commands::text::tail::ranged_size(&ctx.fs, &path).await;
                if let Ok(Some(size)) = size {
                    if let Err(e) = reverse_from_end(ctx, &path, size, *single).await? {
                        let msg = format!("{}: read error: {e}", quote_always(&op));
                        ctx.error(msg).await?;
                        status = 1;
                    }
                    continue;
                }
            }
            match read_all(ctx, &op).await {
                Ok(data) => {
                    let out = if sep.is_empty() {
                        data
                    } else {
                        reverse(&data, &sep, before)
                    };
                    ctx.stdout.write_all(&out).await?;
                }
                Err(e) => {
                    let msg = format!("failed to open {} for reading: {e}", quote_always(&op));
                    ctx.error(msg).await?;
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverses_lines() {
        assert_eq!(reverse(b"a\nb", b"\n", false), b"ba\n");
        assert_eq!(reverse(b"a\nb\n", b"\n", false), b"b\na\n");
        assert_eq!(reverse(b"a\nb\n", b"\n", true), b"\n\nba");
    }
}
