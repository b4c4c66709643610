//! `strings` (binutils): print runs of at least `-n` (default 4) printable ASCII characters
//! (tab included) found anywhere in the input, optionally with `-t o|d|x` offsets. Input is
//! streamed; only the current run is held.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, inputs, open_input, parse_opts, refuse_help, unsupported};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Strings;

const SPEC: OptSpec = OptSpec {
    short: "adfhn:wot:e:T:Vs:0123456789",
    long: &[
        LongOpt {
            name: "all",
            has_arg: HasArg::No,
            key: "a",
        },
        LongOpt {
            name: "bytes",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "radix",
            has_arg: HasArg::Required,
            key: "t",
        },
        LongOpt {
            name: "print-file-name",
            has_arg: HasArg::No,
            key: "f",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

fn printable(b: u8) -> bool {
    b == b'\t' || (32..127).contains(&b)
}

struct Scanner {
    min: usize,
    radix: Option<u8>,
    run: Vec<u8>,
    start: u64,
    offset: u64,
}

impl Scanner {
    fn end_run(&mut self, out: &mut Vec<u8>) {
        if self.run.len() >= self.min {
            let prefix = match self.radix {
                Some(b'o') => format!("{:>7o} ", self.start),
                Some(b'x') => format!("{:>7x} ", self.start),
                Some(_) => format!("{:>7} ", self.start),
                None => String::new(),
            };
            out.extend_from_slice(prefix.as_bytes());
            out.extend_from_slice(&self.run);
            out.push(b'\n');
        }
        self.run.clear();
    }

    fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) {
        for &b in data {
            if printable(b) {
                if self.run.is_empty() {
                    self.start = self.offset;
                }
                self.run.push(b);
            } else {
                self.end_run(out);
            }
            self.offset += 1;
        }
    }
}

#[async_trait]
impl Command for Strings {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut min = "4".to_string();
        let mut digits = String::new();
        let mut radix = None;
        for o in &parsed.opts {
            let k = o.key.as_str();
            if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() {
                digits.push_str(k);
                min = digits.clone();
                continue;
            }
            digits.clear();
            match k {
                "n" => min = o.value.clone().unwrap_or_default(),
                "t" => match o.value.as_deref() {
                    Some(v @ ("o" | "d" | "x")) => radix = Some(v.as_bytes()[0]),
                    _ => {
                        ctx.error("invalid radix").await?;
                        return Ok(1);
                    }
                },
                "a" => {}
                _ => return unsupported(ctx, &format!("-{k}")).await,
            }
        }
        let min = match min.parse::<usize>() {
            Ok(0) => {
                ctx.error("invalid minimum string length 0").await?;
                return Ok(1);
            }
            Ok(n) => n,
            Err(_) => {
                ctx.error(format!("invalid integer argument {min}")).await?;
                return Ok(1);
            }
        };
        let mut status = 0;
        let mut out = Vec::new();
        for op in inputs(&parsed.operands) {
            let mut reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(_) => {
                    ctx.error(format!("'{op}': No such file")).await?;
                    status = 1;
                    continue;
                }
            };
            let mut s = Scanner {
                min,
                radix,
                run: Vec::new(),
                start: 0,
                offset: 0,
            };
            loop {
                let chunk = reader.fill_buf().await?;
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len();
                s.feed(chunk, &mut out);
                reader.consume(n);
                ctx.stdout.write_all(&out).await?;
                out.clear();
            }
            s.end_run(&mut out);
            ctx.stdout.write_all(&out).await?;
            out.clear();
        }
        Ok(status)
    }
}
