//! `base32` (RFC 4648 alphabet): encode (wrapping at `-w` columns, default 76) or decode
//! (`-d`, `-i` to skip garbage). Both directions stream; a decode error keeps the bytes decoded
//! before it, as GNU. Same layout as `base64.rs`, with 5-byte groups and 8-character quanta.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Base32;

const SPEC: OptSpec = OptSpec {
    short: "diw:",
    long: &[
        LongOpt {
            name: "decode",
            has_arg: HasArg::No,
            key: "d",
        },
        LongOpt {
            name: "ignore-garbage",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "wrap",
            has_arg: HasArg::Required,
            key: "w",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'2'..=b'7' => Some(c - b'2' + 26),
        _ => None,
    }
}

/// Characters carrying data for a group of 1..=5 bytes.
fn chars_for(bytes: usize) -> usize {
    (bytes * 8).div_ceil(5)
}

fn encode_group(g: &[u8], out: &mut Vec<u8>) {
    let mut n: u64 = 0;
    for k in 0..5 {
        n = n << 8 | u64::from(*g.get(k).unwrap_or(&0));
    }
    let used = chars_for(g.len());
    for k in 0..8 {
        if k < used {
            out.push(ALPHABET[(n >> (35 - 5 * k) & 31) as usize]);
        } else {
            out.push(b'=');
        }
    }
}

async fn encode(ctx: &mut CommandContext, reader: &mut Reader, wrap: usize) -> std::io::Result<()> {
    super::block_encode::encode_stream(ctx, reader, wrap, 5, encode_group).await
}

/// Decoder state: the current quantum of 5-bit values and how many `=` were seen in it.
#[derive(Default)]
struct Decoder {
    quad: Vec<u8>,
    pads: usize,
}

impl Decoder {
    fn flush_partial(&mut self, out: &mut Vec<u8>) {
        let q = &self.quad;
        let n = q.iter().fold(0u64, |acc, &v| acc << 5 | u64::from(v)) << (5 * (8 - q.len()));
        let bytes = q.len() * 5 / 8;
        for k in 0..bytes {
            out.push((n >> (32 - 8 * k)) as u8);
        }
        self.quad.clear();
        self.pads = 0;
    }

    /// Feeds one byte; `false` on invalid input.
    fn push(&mut self, c: u8, garbage: bool, out: &mut Vec<u8>) -> bool {
        if c == b'\n' {
            return true;
        }
        if c == b'=' {
            if !matches!(self.quad.len(), 2 | 4 | 5 | 7) {
                return garbage;
            }
            self.pads += 1;
            if self.quad.len() + self.pads == 8 {
                self.flush_partial(out);
            }
            return true;
        }
        match value(c) {
            Some(v) => {
                if self.pads > 0 {
                    return false;
                }
                self.quad.push(v);
                if self.quad.len() == 8 {
                    self.flush_partial(out);
                }
                true
            }
            None => garbage,
        }
    }
}

async fn decode(
    ctx: &mut CommandContext,
    reader: &mut Reader,
    garbage: bool,
) -> std::io::Result<bool> {
    let mut d = Decoder::default();
    let mut out = Vec::new();
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        out.clear();
        let mut ok = true;
        for &c in chunk {
            if !d.push(c, garbage, &mut out) {
                ok = false;
                break;
            }
        }
        reader.consume(n);
        if !ok {
            d.flush_partial(&mut out);
            ctx.stdout.write_all(&out).await?;
            return Ok(false);
        }
        ctx.stdout.write_all(&out).await?;
    }
    // Unlike an invalid character, an unfinished last quantum yields none of its bytes.
    Ok(d.quad.is_empty() && d.pads == 0)
}

#[async_trait]
impl Command for Base32 {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let wrap = match parsed.last("w") {
            None => 76,
            Some(w) => match w.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    ctx.error(format!("invalid wrap size: {}", lquote(w)))
                        .await?;
                    return Ok(1);
                }
            },
        };
        if parsed.operands.len() > 1 {
            let m = format!("extra operand {}", lquote(&parsed.operands[1]));
            return usage_error(ctx, &m, 1).await;
        }
        let op = parsed
            .operands
            .first()
            .cloned()
            .unwrap_or_else(|| "-".into());
        let mut reader = match open_input(ctx, &op).await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!("{op}: {e}")).await?;
                return Ok(1);
            }
        };
        if parsed.has("d") {
            if !decode(ctx, &mut reader, parsed.has("i")).await? {
                ctx.stdout.flush().await?;
                ctx.error("invalid input").await?;
                return Ok(1);
            }
            return Ok(0);
        }
        encode(ctx, &mut reader, wrap).await?;
        Ok(0)
    }
}
