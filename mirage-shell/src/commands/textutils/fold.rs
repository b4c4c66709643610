//! `fold`: wrap lines to a width (`-w`), at blanks with `-s`, counting bytes with `-b`.
//! Like GNU 9.1 it works on bytes: tabs advance to the next multiple of 8, backspace moves
//! back and carriage return resets the column. Input is streamed byte by byte.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, inputs, open_input, parse_opts, refuse_help};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Fold;

const SPEC: OptSpec = OptSpec {
    short: "bsw:0123456789",
    long: &[
        LongOpt {
            name: "bytes",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "spaces",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "width",
            has_arg: HasArg::Required,
            key: "w",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

struct Folder {
    width: u64,
    bytes: bool,
    spaces: bool,
    line: Vec<u8>,
    column: u64,
}

impl Folder {
    fn adjust(&self, column: u64, c: u8) -> u64 {
        if self.bytes {
            return column + 1;
        }
        match c {
            8 => column.saturating_sub(1),
            b'\r' => 0,
            b'\t' => column + 8 - column % 8,
            _ => column + 1,
        }
    }

    /// Feeds one byte, appending finished output to `out`.
    fn push(&mut self, c: u8, out: &mut Vec<u8>) {
        if c == b'\n' {
            self.line.push(c);
            out.append(&mut self.line);
            self.column = 0;
            return;
        }
        loop {
            self.column = self.adjust(self.column, c);
            if self.column <= self.width {
                break;
            }
            if self.spaces
                && let Some(pos) = self.line.iter().rposition(|&b| b == b' ' || b == b'\t')
            {
                let end = pos + 1;
                out.extend_from_slice(&self.line[..end]);
                out.push(b'\n');
                self.line.drain(..end);
                let mut col = 0;
                for &b in &self.line {
                    col = self.adjust(col, b);
                }
                self.column = col;
                continue;
            }
            if self.line.is_empty() {
                break;
            }
            out.append(&mut self.line);
            out.push(b'\n');
            self.column = 0;
        }
        self.line.push(c);
    }
}

fn parse_width(v: &str) -> Option<u64> {
    match v.parse::<u64>() {
        Ok(n) if n > 0 => Some(n),
        _ => None,
    }
}

#[async_trait]
impl Command for Fold {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        // `-w N` and the obsolete `-N` digits (which accumulate into one number).
        let mut width = "80".to_string();
        let mut digits = String::new();
        for o in &parsed.opts {
            if o.key.len() == 1 && o.key.as_bytes()[0].is_ascii_digit() {
                digits.push_str(&o.key);
                width = digits.clone();
            } else {
                digits.clear();
                if o.key == "w" {
                    width = o.value.clone().unwrap_or_default();
                }
            }
        }
        let Some(width) = parse_width(&width) else {
            let range = width.bytes().all(|b| b.is_ascii_digit()) && !width.is_empty();
            let tail = if range {
                ": Numerical result out of range"
            } else {
                ""
            };
            ctx.error(format!(
                "invalid number of columns: {}{tail}",
                lquote(&width)
            ))
            .await?;
            return Ok(1);
        };
        let mut f = Folder {
            width,
            bytes: parsed.has("b"),
            spaces: parsed.has("s"),
            line: Vec::new(),
            column: 0,
        };
        let mut status = 0;
        let mut out = Vec::new();
        for op in inputs(&parsed.operands) {
            let mut reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    status = 1;
                    continue;
                }
            };
            loop {
                let chunk = reader.fill_buf().await?;
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len();
                for &c in chunk {
                    f.push(c, &mut out);
                }
                reader.consume(n);
                ctx.stdout.write_all(&out).await?;
                out.clear();
            }
            ctx.stdout.write_all(&f.line).await?;
            f.line.clear();
            f.column = 0;
        }
        Ok(status)
    }
}
