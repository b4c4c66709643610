//! `cmp` (diffutils): compare two files byte by byte. Reports the first difference
//! (`x y differ: byte N, line M`), all differences with `-l`, byte values with `-b`, nothing
//! with `-s`; EOF on the shorter file is reported on stderr. Exit 0 same, 1 differ, 2 trouble.
//! `-i SKIP[:SKIP2]` and the SKIP operands skip leading bytes; offsets count from there.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, MountTable, Reader, VPath};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Cmp;

const SPEC: OptSpec = OptSpec {
    short: "bci:ln:sv",
    long: &[
        LongOpt {
            name: "print-bytes",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "ignore-initial",
            has_arg: HasArg::Required,
            key: "i",
        },
        LongOpt {
            name: "verbose",
            has_arg: HasArg::No,
            key: "l",
        },
        LongOpt {
            name: "bytes",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "quiet",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "silent",
            has_arg: HasArg::No,
            key: "s",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// A byte as `cat -v` shows it (`M-^?` style), for `-b`.
fn visible(c: u8) -> String {
    let mut s = String::new();
    let mut c = c;
    if c >= 128 {
        s.push_str("M-");
        c -= 128;
    }
    if c < 32 {
        s.push('^');
        s.push((c + 64) as char);
    } else if c == 127 {
        s.push_str("^?");
    } else {
        s.push(c as char);
    }
    s
}

/// Parses a SKIP value as diffutils' `xstrtoumax` (base 0: `0x` hex, leading-0 octal) with an
/// optional multiplier: `K`/`k`, `M`, `G`... (powers of 1024; `KiB` too), `kB`, `MB`... (1000).
fn parse_skip(v: &str) -> Option<u64> {
    let (radix, body) = if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        (16, h)
    } else if v.len() > 1 && v.starts_with('0') {
        (8, &v[1..])
    } else {
        (10, v)
    };
    let digits = body.chars().take_while(|c| c.is_digit(radix)).count();
    if digits == 0 {
        return None;
    }
    let n = u64::from_str_radix(&body[..digits], radix).ok()?;
    let suffix = &body[digits..];
    let mut chars = suffix.chars();
    let Some(unit) = chars.next() else {
        return Some(n);
    };
    let power = "KMGTPEZY".find(unit.to_ascii_uppercase())? as u32 + 1;
    let base: u64 = match chars.as_str() {
        "" | "iB" => 1024,
        "B" => 1000,
        _ => return None,
    };
    n.checked_mul(base.checked_pow(power)?)
}

/// Reads and drops up to `n` bytes.
async fn skip_bytes(r: &mut Reader, mut n: u64) -> std::io::Result<()> {
    while n > 0 {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            break;
        }
        let k = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
        r.consume(k);
        n -= k as u64;
    }
    Ok(())
}

/// Prints `cmp: MSG` followed by cmp's own `Try` line (diffutils prefixes it too).
async fn usage(ctx: &mut CommandContext, msg: &str) -> std::io::Result<i32> {
    ctx.error(msg).await?;
    ctx.error("Try 'cmp --help' for more information.").await?;
    Ok(2)
}

/// The byte count GNU bounds `-l` offsets by: a regular file's size, else the largest `off_t`
/// (so two pipes give 19-digit offsets). Process substitutions (`/dev/fd/N`) are pipes in bash.
async fn size_of(fs: &MountTable, path: VPath, stdin_size: Option<u64>, op: &str) -> u64 {
    const OFF_T_MAX: u64 = i64::MAX as u64;
    if op == "-" {
        return stdin_size.unwrap_or(OFF_T_MAX).min(OFF_T_MAX);
    }
    if op.starts_with("/dev/fd/") {
        return OFF_T_MAX;
    }
    match fs.stat(&path).await {
        Ok(st) if st.is_file() => st.size.unwrap_or(OFF_T_MAX).min(OFF_T_MAX),
        _ => OFF_T_MAX,
    }
}

/// Reads one byte from a buffered reader (`None` at EOF).
async fn next_byte(r: &mut Reader) -> std::io::Result<Option<u8>> {
    let buf = r.fill_buf().await?;
    let Some(&b) = buf.first() else {
        return Ok(None);
    };
    r.consume(1);
    Ok(Some(b))
}

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    First,
    All,
    Silent,
}

#[async_trait]
impl Command for Cmp {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 2).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        for k in ["c", "v"] {
            if parsed.has(k) {
                return unsupported(ctx, &format!("-{k}")).await;
            }
        }
        let mut mode = Mode::First;
        for o in &parsed.opts {
            match o.key.as_str() {
                "l" => mode = Mode::All,
                "s" => mode = Mode::Silent,
                _ => {}
            }
        }
        let print_bytes = parsed.has("b");
        let limit = match parsed.last("n") {
            None => u64::MAX,
            Some(v) => match v.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    let m = format!("invalid --bytes value '{v}'");
                    return usage(ctx, &m).await;
                }
            },
        };
        let mut skips = [0u64; 2];
        if let Some(v) = parsed.last("i") {
            let (a, b) = v.split_once(':').unwrap_or((v, v));
            for (k, part) in [a, b].into_iter().enumerate() {
                match parse_skip(part) {
                    Some(n) => skips[k] = n,
                    None => {
                        let m = format!("invalid --ignore-initial value '{part}'");
                        return usage(ctx, &m).await;
                    }
                }
            }
        }
        let ops = &parsed.operands;
        for (k, op) in ops.iter().skip(2).take(2).enumerate() {
            match parse_skip(op) {
                Some(n) => skips[k] = n,
                None => {
                    let m = format!("invalid --ignore-initial value '{op}'");
                    return usage(ctx, &m).await;
                }
            }
        }
        match ops.len() {
            0 => return usage(ctx, "missing operand after 'cmp'").await,
            1..=4 => {}
            _ => {
                let m = format!("extra operand '{}'", ops[4]);
                return usage(ctx, &m).await;
            }
        }
        let names = [
            ops[0].clone(),
            ops.get(1).cloned().unwrap_or_else(|| "-".into()),
        ];
        let mut readers = Vec::new();
        for n in &names {
            match open_input(ctx, n).await {
                Ok(r) => readers.push(r),
                Err(e) => {
                    if mode != Mode::Silent {
                        ctx.error(format!("{n}: {e}")).await?;
                    }
                    return Ok(2);
                }
            }
        }
        let width = {
            let fs = ctx.fs.clone();
            let (p0, p1) = (ctx.path(&names[0]), ctx.path(&names[1]));
            let s0 = size_of(&fs, p0, ctx.stdin_size, &names[0]).await;
            let s1 = size_of(&fs, p1, ctx.stdin_size, &names[1]).await;
            // A regular file's remaining bytes; a pipe stays unbounded.
            let left = |s: u64, k: u64| {
                if s == i64::MAX as u64 {
                    s
                } else {
                    s.saturating_sub(k)
                }
            };
            let (s0, s1) = (left(s0, skips[0]), left(s1, skips[1]));
            let m = s0.min(s1).min(limit);
            m.to_string().len()
        };
        let (mut offset, mut line) = (0u64, 1u64);
        let mut differ = false;
        // The line of the last byte compared: a newline belongs to the line it ends.
        let mut last_line = 1u64;
        let (r0, r1) = readers.split_at_mut(1);
        skip_bytes(&mut r0[0], skips[0]).await?;
        skip_bytes(&mut r1[0], skips[1]).await?;
        loop {
            if offset >= limit {
                break;
            }
            let a = next_byte(&mut r0[0]).await?;
            let b = next_byte(&mut r1[0]).await?;
            let (a, b) = match (a, b) {
                (Some(a), Some(b)) => (a, b),
                (None, None) => break,
                (x, _) => {
                    let short = if x.is_none() { &names[0] } else { &names[1] };
                    if mode != Mode::Silent {
                        ctx.stdout.flush().await?;
                        let msg = if offset == 0 {
                            format!("EOF on {short} which is empty")
                        } else if mode == Mode::All {
                            format!("EOF on {short} after byte {offset}")
                        } else {
                            format!("EOF on {short} after byte {offset}, line {last_line}")
                        };
                        ctx.error(msg).await?;
                    }
                    return Ok(1);
                }
            };
            offset += 1;
            last_line = line;
            if a != b {
                differ = true;
                match mode {
                    Mode::Silent => return Ok(1),
                    Mode::First => {
                        let mut msg = format!(
                            "{} {} differ: byte {offset}, line {line}",
                            names[0], names[1]
                        );
                        if print_bytes {
                            msg.push_str(&format!(
                                " is {a:3o} {} {b:3o} {}",
                                visible(a),
                                visible(b)
                            ));
                        }
                        msg.push('\n');
                        ctx.stdout.write_all(msg.as_bytes()).await?;
                        return Ok(1);
                    }
                    Mode::All => {
                        let msg = if print_bytes {
                            format!(
                                "{offset:>width$} {a:3o} {:<4} {b:3o} {}\n",
                                visible(a),
                                visible(b)
                            )
                        } else {
                            format!("{offset:>width$} {a:3o} {b:3o}\n")
                        };
                        ctx.stdout.write_all(msg.as_bytes()).await?;
                    }
                }
            }
            if a == b'\n' {
                line += 1;
            }
        }
        Ok(i32::from(differ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_bytes() {
        assert_eq!(visible(0xff), "M-^?");
        assert_eq!(visible(0x80), "M-^@");
        assert_eq!(visible(b'a'), "a");
    }
}
