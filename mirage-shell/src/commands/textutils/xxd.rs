//! `xxd` (vim): hex dump (`-c` columns, `-g` group size, `-u` upper case, `-l` length, `-s`
//! start offset), plain hex with `-p`, and `-r -p` to turn plain hex back into bytes. Input
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
            "p" | "ps" | "postscript" | "plain" => o.plain = true,
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

/// One dump line for `data` at `offset`.
fn dump_line(o: &Opts, offset: u64, data: &[u8], cols: usize) -> String {
    let group = match o.group {
        Some(0) => cols,
        Some(g) => g,
        None => 2,
    };
    let mut hex = String::new();
    for (i, b) in data.iter().enumerate() {
        if o.upper {
            hex.push_str(&format!("{b:02X}"));
        } else {
            hex.push_str(&format!("{b:02x}"));
        }
        if (i + 1) % group == 0 || i + 1 == cols {
            hex.push(' ');
        }
    }
    let width = cols * 2 + cols.div_ceil(group);
    let ascii: String = data
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    format!("{offset:08x}: {hex:<width$} {ascii}\n")
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
        let cols = match o.cols {
            Some(c) if c > 0 => c.min(256),
            _ if o.plain => 30,
            _ => 16,
        };
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
            let line = if o.plain {
                let mut s: String = buf[..n]
                    .iter()
                    .map(|b| {
                        if o.upper {
                            format!("{b:02X}")
                        } else {
                            format!("{b:02x}")
                        }
                    })
                    .collect();
                s.push('\n');
                s
            } else {
                dump_line(&o, offset, &buf[..n], cols)
            };
            ctx.stdout.write_all(line.as_bytes()).await?;
            offset += n as u64;
        }
        Ok(0)
    }
}
