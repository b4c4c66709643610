//! `xxd` (vim): hex dump (`-c` columns, `-g` group size, `-u` upper case, `-l` length, `-s`
//! start offset), binary digits with `-b`, plain hex with `-p`, a C include file with `-i`
//! (`-n` name, `-C` capitals), and `-r -p` to turn plain hex back into bytes. Input
//! is streamed a line's worth at a time. Options take their argument separately or attached
//! (`-c8`), as xxd's own parser does.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};
use tokio::io::{AsyncBufReadExt, AsyncReadExt};

use super::support::{open_input, unsupported};

pub struct Xxd;

#[derive(Default)]
struct Opts {
    cols: Option<usize>,
    group: Option<usize>,
    upper: bool,
    len: Option<u64>,
    seek: u64,
    plain: bool,
    reverse: bool,
    /// `-i`: C include file style.
    include: bool,
    /// `-b`: binary digits instead of hex.
    bits: bool,
    /// `-C`: capital variable names with `-i`.
    capitalize: bool,
    /// `-n`: the variable name with `-i`.
    var_name: Option<String>,
    files: Vec<String>,
}

/// xxd's numbers: decimal, `0x` hex or leading-0 octal; garbage reads as 0 like `strtol`.
fn number(s: &str) -> i64 {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        let end = h.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(h.len());
        i64::from_str_radix(&h[..end], 16).unwrap_or(0)
    } else if t.len() > 1 && t.starts_with('0') {
        let end = t
            .find(|c: char| !('0'..='7').contains(&c))
            .unwrap_or(t.len());
        i64::from_str_radix(&t[..end], 8).unwrap_or(0)
    } else {
        let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        t[..end].parse().unwrap_or(0)
    };
    if neg { -v } else { v }
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            o.files.extend(args[i..].iter().cloned());
            break;
        }
        if !a.starts_with('-') || a == "-" {
            o.files.push(a.clone());
            continue;
        }
        let name = a.trim_start_matches('-');
        let with_value = ["c", "g", "l", "s", "o"]
            .iter()
            .find(|k| name.starts_with(**k) && !name.is_empty());
        match name {
            "p" | "ps" | "postscript" | "plain" => {
                (o.plain, o.include, o.bits) = (true, false, false)
            }
            "i" | "include" => (o.plain, o.include, o.bits) = (false, true, false),
            "b" | "bits" => (o.plain, o.include, o.bits) = (false, false, true),
            "C" | "capitalize" => o.capitalize = true,
            "n" | "name" => {
                let Some(v) = args.get(i) else {
                    return Err(format!("-{name}"));
                };
                i += 1;
                o.var_name = Some(v.clone());
            }
            _ if name.starts_with('n') && !name.starts_with("na") => {
                o.var_name = Some(name[1..].to_string());
            }
            "r" | "revert" => o.reverse = true,
            "u" => o.upper = true,
            "rp" | "pr" => {
                o.plain = true;
                o.reverse = true;
            }
            _ => {
                let Some(k) = with_value else {
                    return Err(format!("-{name}"));
                };
                let attached = &name[k.len()..];
                let value = if !attached.is_empty()
                    && attached
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
                {
                    attached.to_string()
                } else if attached.is_empty()
                    || ["cols", "groupsize", "len", "seek"].contains(&name)
                {
                    let Some(v) = args.get(i) else {
                        return Err(format!("-{name}"));
                    };
                    i += 1;
                    v.clone()
                } else {
                    return Err(format!("-{name}"));
                };
                let n = number(&value);
                match *k {
                    "c" => o.cols = Some(n.max(0) as usize),
                    "g" => o.group = Some(n.max(0) as usize),
                    "l" => o.len = Some(n.max(0) as u64),
                    "s" => {
                        if n < 0 {
                            return Err("-s -N".into());
                        }
                        o.seek = n as u64;
                    }
                    _ => return Err(format!("-{name}")),
                }
            }
        }
    }
    Ok(o)
}

/// Appends the two hex digits of `b` (no formatting machinery: xxd writes millions of them).
fn push_hex(out: &mut String, b: u8, upper: bool) {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    out.push(digits[usize::from(b >> 4)] as char);
    out.push(digits[usize::from(b & 0x0f)] as char);
}

/// Appends the eight binary digits of `b` (`-b`).
fn push_bits(out: &mut String, b: u8) {
    for shift in (0..8).rev() {
        out.push(if (b >> shift) & 1 == 1 { '1' } else { '0' });
    }
}

/// Appends one dump line for `data` at `offset` to `out`.
fn dump_line(o: &Opts, offset: u64, data: &[u8], cols: usize, out: &mut String) {
    use std::fmt::Write;
    let group = match o.group {
        Some(0) => cols,
        Some(g) => g,
        None if o.bits => 1,
        None => 2,
    };
    let _ = write!(out, "{offset:08x}: ");
    let hex_start = out.len();
    for (i, &b) in data.iter().enumerate() {
        if o.bits {
            push_bits(out, b);
        } else {
            push_hex(out, b, o.upper);
        }
        if (i + 1) % group == 0 || i + 1 == cols {
            out.push(' ');
        }
    }
    let digits = if o.bits { 8 } else { 2 };
    let width = cols * digits + cols.div_ceil(group);
    let written = out.len() - hex_start;
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(written)));
    out.push(' ');
    out.extend(data.iter().map(|&b| {
        if (0x20..0x7f).contains(&b) {
            b as char
        } else {
            '.'
        }
    }));
    out.push('\n');
}

async fn fill(r: &mut Reader, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = r.read(&mut buf[got..]).await?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

/// `-r -p`: hex digit pairs anywhere in the input become bytes.
async fn revert_plain(ctx: &mut CommandContext, r: &mut Reader) -> std::io::Result<()> {
    let mut high: Option<u8> = None;
    let mut out = Vec::new();
    loop {
        let chunk = r.fill_buf().await?;
        if chunk.is_empty() {
            break;
        }
        for &c in chunk {
            let Some(v) = (c as char).to_digit(16) else {
                continue;
            };
            match high.take() {
                None => high = Some(v as u8),
                Some(h) => out.push(h << 4 | v as u8),
            }
        }
        let n = chunk.len();
        r.consume(n);
        ctx.stdout.write_all(&out).await?;
        out.clear();
    }
    Ok(())
}

#[async_trait]
impl Command for Xxd {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let o = match parse(&args) {
            Ok(o) => o,
            Err(opt) => return unsupported(ctx, &opt).await,
        };
        if o.files.len() > 1 {
            return unsupported(ctx, "OUTFILE operand").await;
        }
        if o.reverse && !o.plain {
            return unsupported(ctx, "-r without -p").await;
        }
        let name = o.files.first().cloned().unwrap_or_else(|| "-".into());
        let mut reader = match open_input(ctx, &name).await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!("{name}: {e}")).await?;
                return Ok(2);
            }
        };
        if o.reverse {
            revert_plain(ctx, &mut reader).await?;
            return Ok(0);
        }
        if o.cols.is_some_and(|c| c > 256) && !o.plain && !o.include {
            ctx.error("invalid number of columns (max. 256).").await?;
            return Ok(1);
        }
        // Plain hex with `-c 0` is one line; long plain lines are read in chunks.
        let line_len = match o.cols {
            Some(0) if o.plain => None,
            Some(c) if c > 0 => Some(c),
            _ if o.plain => Some(30),
            _ if o.include => Some(12),
            _ if o.bits => Some(6),
            _ => Some(16),
        };
        let cols = match line_len {
            Some(c) if !o.plain => c.min(1 << 20),
            Some(c) if c <= 4096 => c,
            _ => 4096,
        };
        let mut line_pos = 0usize;
        // `-i` names its array after the file (not for standard input).
        let variable = if !o.include || name == "-" {
            None
        } else {
            let raw = o.var_name.clone().unwrap_or_else(|| name.clone());
            let mut v = String::new();
            if o.var_name.is_none() && raw.starts_with(|c: char| c.is_ascii_digit()) {
                v.push_str("__");
            }
            v.extend(
                raw.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
            );
            if o.capitalize {
                v.make_ascii_uppercase();
            }
            Some(v)
        };
        if let Some(v) = &variable {
            let head = format!("unsigned char {v}[] = {{\n");
            ctx.stdout.write_all(head.as_bytes()).await?;
        }
        let mut total = 0u64;
        // Skip the `-s` bytes by reading them.
        let mut skip = o.seek;
        let mut scratch = vec![0u8; 4096];
        while skip > 0 {
            let want = skip.min(scratch.len() as u64) as usize;
            let n = fill(&mut reader, &mut scratch[..want]).await?;
            if n == 0 {
                break;
            }
            skip -= n as u64;
        }
        let mut remaining = o.len.unwrap_or(u64::MAX);
        let mut offset = o.seek;
        let mut buf = vec![0u8; cols];
        loop {
            let want = (cols as u64).min(remaining) as usize;
            if want == 0 {
                break;
            }
            let n = fill(&mut reader, &mut buf[..want]).await?;
            if n == 0 {
                break;
            }
            remaining -= n as u64;
            let line = if o.include {
                let x = if o.upper { "0X" } else { "0x" };
                let items: Vec<String> = buf[..n]
                    .iter()
                    .map(|b| {
                        if o.upper {
                            format!("{x}{b:02X}")
                        } else {
                            format!("{x}{b:02x}")
                        }
                    })
                    .collect();
                let lead = if total == 0 { "" } else { ",\n" };
                format!("{lead}  {}", items.join(", "))
            } else if o.plain {
                let mut s = String::with_capacity(n * 2 + n / 30 + 1);
                for &b in &buf[..n] {
                    push_hex(&mut s, b, o.upper);
                    line_pos += 1;
                    if line_len == Some(line_pos) {
                        s.push('\n');
                        line_pos = 0;
                    }
                }
                s
            } else {
                let mut s = String::with_capacity(cols * 4 + 24);
                dump_line(&o, offset, &buf[..n], cols, &mut s);
                s
            };
            ctx.stdout.write_all(line.as_bytes()).await?;
            offset += n as u64;
            total += n as u64;
        }
        if (o.include && total > 0) || line_pos > 0 || (o.plain && line_len.is_none()) {
            ctx.stdout.write_all(b"\n").await?;
        }
        if let Some(v) = &variable {
            let len = if o.capitalize { "_LEN" } else { "_len" };
            let tail = format!("}};\nunsigned int {v}{len} = {total};\n");
            ctx.stdout.write_all(tail.as_bytes()).await?;
        }
        Ok(0)
    }
}
