//! `split`: write pieces of a file to PREFIXaa, PREFIXab, ... (`-l` lines, `-b` bytes, `-n`
//! equal chunks; `-d` numeric and `-a` length of suffixes, `--additional-suffix`). Pieces are
//! written through the mount table as each one completes. Unlike GNU, suffixes do not widen
//! automatically past `yz` (GNU continues with `zaaa`).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, WriteMode, stream_from_bytes};
use tokio::io::AsyncBufReadExt;

use super::support::{
    HELP, VERSION, open_input, parse_opts, read_all, refuse_help, unsupported, usage_error,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, quote_always};

pub struct Split;

const SPEC: OptSpec = OptSpec {
    short: "a:b:C:del:n:tx",
    long: &[
        LongOpt {
            name: "suffix-length",
            has_arg: HasArg::Required,
            key: "a",
        },
        LongOpt {
            name: "bytes",
            has_arg: HasArg::Required,
            key: "b",
        },
        LongOpt {
            name: "line-bytes",
            has_arg: HasArg::Required,
            key: "C",
        },
        LongOpt {
            name: "lines",
            has_arg: HasArg::Required,
            key: "l",
        },
        LongOpt {
            name: "number",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "numeric-suffixes",
            has_arg: HasArg::Optional,
            key: "d",
        },
        LongOpt {
            name: "hex-suffixes",
            has_arg: HasArg::Optional,
            key: "x",
        },
        LongOpt {
            name: "additional-suffix",
            has_arg: HasArg::Required,
            key: "suffix",
        },
        LongOpt {
            name: "verbose",
            has_arg: HasArg::No,
            key: "verbose",
        },
        LongOpt {
            name: "elide-empty-files",
            has_arg: HasArg::No,
            key: "e",
        },
        LongOpt {
            name: "filter",
            has_arg: HasArg::Required,
            key: "filter",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy)]
enum Mode {
    Lines(u64),
    Bytes(u64),
    Chunks(u64),
}

/// `-b` sizes: a number with an optional K/M/G (1024) or KB/MB/GB (1000) suffix.
fn parse_size(s: &str) -> Option<u64> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match suffix {
        "" => 1,
        "b" => 512,
        "K" | "KiB" | "k" => 1 << 10,
        "KB" | "kB" => 1000,
        "M" | "MiB" => 1 << 20,
        "MB" => 1_000_000,
        "G" | "GiB" => 1 << 30,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&v| v > 0)
}

struct Namer {
    prefix: String,
    extra: String,
    numeric: bool,
    width: usize,
    next: u64,
}

impl Namer {
    fn name(&mut self) -> Option<String> {
        let base: u64 = if self.numeric { 10 } else { 26 };
        let mut n = self.next;
        let mut digits = vec![0u8; self.width];
        for d in digits.iter_mut().rev() {
            let v = (n % base) as u8;
            *d = if self.numeric { b'0' + v } else { b'a' + v };
            n /= base;
        }
        if n > 0 {
            return None;
        }
        self.next += 1;
        Some(format!(
            "{}{}{}",
            self.prefix,
            String::from_utf8_lossy(&digits),
            self.extra
        ))
    }
}

/// Writes one piece; `Err(status)` after reporting a failure.
async fn emit(
    ctx: &mut CommandContext,
    namer: &mut Namer,
    data: Vec<u8>,
) -> std::io::Result<Result<(), i32>> {
    let Some(name) = namer.name() else {
        ctx.error("output file suffixes exhausted").await?;
        return Ok(Err(1));
    };
    let path = ctx.path(&name);
    if let Err(e) = ctx
        .fs
        .write(&path, stream_from_bytes(data), WriteMode::Truncate)
        .await
    {
        ctx.error(format!("{}: {e}", quote_always(&name))).await?;
        return Ok(Err(1));
    }
    Ok(Ok(()))
}

#[async_trait]
impl Command for Split {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut mode = Mode::Lines(1000);
        let mut width = 2;
        for o in &parsed.opts {
            let v = o.value.as_deref().unwrap_or("");
            match o.key.as_str() {
                "l" => match v.parse::<u64>() {
                    Ok(n) if n > 0 => mode = Mode::Lines(n),
                    _ => {
                        let tail = if v.parse::<u64>().is_ok() {
                            ": Numerical result out of range"
                        } else {
                            ""
                        };
                        ctx.error(format!("invalid number of lines: {}{tail}", lquote(v)))
                            .await?;
                        return Ok(1);
                    }
                },
                "b" => match parse_size(v) {
                    Some(n) => mode = Mode::Bytes(n),
                    None => {
                        ctx.error(format!("invalid number of bytes: {}", lquote(v)))
                            .await?;
                        return Ok(1);
                    }
                },
                "n" => match v.parse::<u64>() {
                    Ok(n) if n > 0 => mode = Mode::Chunks(n),
                    _ => return unsupported(ctx, &format!("-n {v}")).await,
                },
                "a" => match v.parse::<usize>() {
                    Ok(n) if n > 0 => width = n,
                    _ => {
                        ctx.error(format!("invalid suffix length: {}", lquote(v)))
                            .await?;
                        return Ok(1);
                    }
                },
                "d" if o.value.is_none() => {}
                "suffix" => {}
                k => {
                    let name = if k.len() == 1 {
                        format!("-{k}")
                    } else {
                        format!("--{k}")
                    };
                    return unsupported(ctx, &name).await;
                }
            }
        }
        let ops = &parsed.operands;
        if ops.len() > 2 {
            return usage_error(ctx, &format!("extra operand {}", lquote(&ops[2])), 1).await;
        }
        let input = ops.first().cloned().unwrap_or_else(|| "-".into());
        let mut namer = Namer {
            prefix: ops.get(1).cloned().unwrap_or_else(|| "x".into()),
            extra: parsed.last("suffix").unwrap_or("").to_string(),
            numeric: parsed.has("d"),
            width,
            next: 0,
        };
        if let Mode::Chunks(n) = mode {
            let data = match read_all(ctx, &input).await {
                Ok(d) => d,
                Err(e) => {
                    ctx.error(format!(
                        "cannot open {} for reading: {e}",
                        quote_always(&input)
                    ))
                    .await?;
                    return Ok(1);
                }
            };
            let size = data.len() as u64;
            let per = size / n;
            for k in 0..n {
                let start = (k * per) as usize;
                let end = if k + 1 == n {
                    data.len()
                } else {
                    ((k + 1) * per) as usize
                };
                if let Err(s) = emit(ctx, &mut namer, data[start..end].to_vec()).await? {
                    return Ok(s);
                }
            }
            return Ok(0);
        }
        let mut reader = match open_input(ctx, &input).await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!(
                    "cannot open {} for reading: {e}",
                    quote_always(&input)
                ))
                .await?;
                return Ok(1);
            }
        };
        let mut piece: Vec<u8> = Vec::new();
        let mut count = 0u64;
        loop {
            let chunk = reader.fill_buf().await?;
            if chunk.is_empty() {
                break;
            }
            let chunk = chunk.to_vec();
            reader.consume(chunk.len());
            for &b in &chunk {
                piece.push(b);
                let full = match mode {
                    Mode::Lines(n) => {
                        if b == b'\n' {
                            count += 1;
                        }
                        count == n
                    }
                    Mode::Bytes(n) => piece.len() as u64 == n,
                    Mode::Chunks(_) => false,
                };
                if full {
                    count = 0;
                    if let Err(s) = emit(ctx, &mut namer, std::mem::take(&mut piece)).await? {
                        return Ok(s);
                    }
                }
            }
        }
        if !piece.is_empty()
            && let Err(s) = emit(ctx, &mut namer, piece).await?
        {
            return Ok(s);
        }
        Ok(0)
    }
}
