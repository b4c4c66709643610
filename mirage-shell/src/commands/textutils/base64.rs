//! `base64`: encode (wrapping at `-w` columns, default 76) or decode (`-d`, `-i` to skip
//! garbage). Both directions stream; a decode error keeps the bytes decoded before it, as GNU.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Base64;

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

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn encode_group(g: &[u8], out: &mut Vec<u8>) {
    let b = [g[0], *g.get(1).unwrap_or(&0), *g.get(2).unwrap_or(&0)];
    let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
    for k in 0..4 {
        if k <= g.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize]);
        } else {
            out.push(b'=');
        }
    }
}

async fn encode(ctx: &mut CommandContext, reader: &mut Reader, wrap: usize) -> std::io::Result<()> {
    super::block_encode::encode_stream(ctx, reader, wrap, 3, encode_group).await
}

/// Decoder state: the current quad of 6-bit values and how many `=` were seen in it.
#[derive(Default)]
struct Decoder {
    quad: Vec<u8>,
    pads: usize,
}

impl Decoder {
    fn flush_partial(&mut self, out: &mut Vec<u8>) {
        let q = &self.quad;
        let n = q.iter().fold(0u32, |acc, &v| acc << 6 | v as u32) << (6 * (4 - q.len()));
        let bytes = match q.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => 0,
        };
        for k in 0..bytes {
            out.push((n >> (16 - 8 * k)) as u8);
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
            if self.quad.len() < 2 {
                return garbage;
            }
            self.pads += 1;
            if self.quad.len() + self.pads == 4 {
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
                if self.quad.len() == 4 {
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
    let complete = d.quad.is_empty() && d.pads == 0;
    out.clear();
    d.flush_partial(&mut out);
    ctx.stdout.write_all(&out).await?;
    Ok(complete)
}

#[async_trait]
impl Command for Base64 {
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
