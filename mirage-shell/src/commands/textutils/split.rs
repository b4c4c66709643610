//! `split`: write pieces of a file to PREFIXaa, PREFIXab, ... (`-l` lines, `-b` bytes, `-n`
//! equal chunks, `l/` whole-line chunks, `r/` round robin, `K/N` one chunk to stdout; `-d` numeric and `-a` length of suffixes, `--additional-suffix`). Pieces are
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
    /// `-n [K/]N`: N byte ranges (only the Kth, to standard output, with K).
    Chunks(Option<u64>, u64),
    /// `-n l/[K/]N`: N chunks of whole lines.
    LineChunks(Option<u64>, u64),
    /// `-n r/[K/]N`: lines dealt round robin.
    RoundRobin(Option<u64>, u64),
}

/// Parses `-n`'s CHUNKS; `Err` is GNU's message.
fn parse_chunks(v: &str) -> Result<Mode, String> {
    let (kind, rest) = match v.split_at_checked(2) {
        Some(("l/", rest)) => ('l', rest),
        Some(("r/", rest)) => ('r', rest),
        _ => ('b', v),
    };
    let (k, n) = match rest.split_once('/') {
        Some((k, n)) => (Some(k), n),
        None => (None, rest),
    };
    let n = match n.parse::<u64>() {
        Ok(0) => {
            return Err(format!(
                "invalid number of chunks: {}: Numerical result out of range",
                lquote(n)
            ));
        }
        Ok(n) => n,
        Err(_) => return Err(format!("invalid number of chunks: {}", lquote(n))),
    };
    let k = match k {
        None => None,
        Some(k) => match k.parse::<u64>() {
            Ok(x) if x > 0 && x <= n => Some(x),
            Ok(_) => {
                return Err(format!(
                    "invalid chunk number: {}: Numerical result out of range",
                    lquote(k)
                ));
            }
            Err(_) => return Err(format!("invalid chunk number: {}", lquote(k))),
        },
    };
    Ok(match kind {
        'l' => Mode::LineChunks(k, n),
        'r' => Mode::RoundRobin(k, n),
        _ => Mode::Chunks(k, n),
    })
}

/// GNU's `lines_chunk_split`: chunk i nominally ends at byte i*size/N - 1; a line belongs to
/// the chunk in which it starts, and a chunk takes lines until one reaches its end.
fn line_chunks(data: &[u8], n: u64) -> Vec<Vec<u8>> {
    let size = data.len() as i64;
    let chunk_size = size / n as i64;
    let mut files = vec![Vec::new(); n as usize];
    let mut chunk = 0usize;
    let mut chunk_end = if n == 1 { size - 1 } else { chunk_size - 1 };
    let mut pos = 0usize;
    while pos < data.len() {
        let from = (chunk_end.max(pos as i64) as usize).min(data.len());
        let end = data[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |i| from + i + 1);
        files[chunk].extend_from_slice(&data[pos..end]);
        pos = end;
        while chunk + 1 < files.len() && chunk_end < pos as i64 {
            chunk += 1;
            chunk_end = if chunk + 1 == files.len() {
                size - 1
            } else {
                chunk_end + chunk_size
            };
        }
    }
    files
}

/// `-n r/N`: line i goes to file i mod N.
fn round_robin(data: &[u8], n: u64) -> Vec<Vec<u8>> {
    let mut files = vec![Vec::new(); n as usize];
    for (i, line) in data.split_inclusive(|&b| b == b'\n').enumerate() {
        files[i % n as usize].extend_from_slice(line);
    }
    files
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
                "n" => match parse_chunks(v) {
                    Ok(m) => mode = m,
                    Err(m) => {
                        ctx.error(m).await?;
                        return Ok(1);
                    }
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
        if let Mode::Chunks(k, n) | Mode::LineChunks(k, n) | Mode::RoundRobin(k, n) = mode {
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
            let files = match mode {
                Mode::LineChunks(..) => line_chunks(&data, n),
                Mode::RoundRobin(..) => round_robin(&data, n),
                _ => {
                    let per = data.len() as u64 / n;
                    (0..n)
                        .map(|i| {
                            let start = (i * per) as usize;
                            let end = if i + 1 == n {
                                data.len()
                            } else {
                                ((i + 1) * per) as usize
                            };
                            data[start..end].to_vec()
                        })
                        .collect()
                }
            };
            if let Some(k) = k {
                let piece = files.into_iter().nth(k as usize - 1).unwrap_or_default();
                ctx.stdout.write_all(&piece).await?;
                return Ok(0);
            }
            for piece in files {
                if let Err(s) = emit(ctx, &mut namer, piece).await? {
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
                    Mode::Chunks(..) | Mode::LineChunks(..) | Mode::RoundRobin(..) => false,
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
