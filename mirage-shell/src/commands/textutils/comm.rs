//! `comm`: compare two sorted files line by line, printing lines only in file 1, only in
//! file 2, and in both as three tab-indented columns (`-1 -2 -3` hide them). Unsorted input is
//! reported as GNU does (a warning per file by default, fatal with `--check-order`).
//! `--total` ends with the three counts; `-z` reads and writes NUL-terminated lines.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};

use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Comm;

const SPEC: OptSpec = OptSpec {
    short: "123z",
    long: &[
        LongOpt {
            name: "check-order",
            has_arg: HasArg::No,
            key: "check",
        },
        LongOpt {
            name: "nocheck-order",
            has_arg: HasArg::No,
            key: "nocheck",
        },
        LongOpt {
            name: "output-delimiter",
            has_arg: HasArg::Required,
            key: "delim",
        },
        LongOpt {
            name: "total",
            has_arg: HasArg::No,
            key: "total",
        },
        LongOpt {
            name: "zero-terminated",
            has_arg: HasArg::No,
            key: "z",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(PartialEq, Clone, Copy)]
enum Check {
    Default,
    Strict,
    Off,
}

/// One input with its current line and the previous one (for the order check).
struct Side {
    reader: Reader,
    line: Vec<u8>,
    prev: Vec<u8>,
    has_prev: bool,
    live: bool,
    warned: bool,
}

impl Side {
    async fn advance(&mut self, eol: u8) -> std::io::Result<()> {
        if self.live {
            std::mem::swap(&mut self.prev, &mut self.line);
            self.has_prev = true;
        }
        self.line.clear();
        self.live = self.reader.read_until(eol, &mut self.line).await? > 0;
        if self.live && self.line.last() == Some(&eol) {
            self.line.pop();
        }
        Ok(())
    }
}

struct Out {
    show: [bool; 3],
    delim: Vec<u8>,
    eol: u8,
}

async fn emit(ctx: &mut CommandContext, o: &Out, col: usize, line: &[u8]) -> std::io::Result<()> {
    if !o.show[col] {
        return Ok(());
    }
    let mut buf = Vec::new();
    for c in 0..col {
        if o.show[c] {
            buf.extend_from_slice(&o.delim);
        }
    }
    buf.extend_from_slice(line);
    buf.push(o.eol);
    ctx.stdout.write_all(&buf).await
}

#[async_trait]
impl Command for Comm {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let eol = if parsed.has("z") { b'\0' } else { b'\n' };
        let ops = &parsed.operands;
        if ops.len() < 2 {
            let m = match ops.first() {
                None => "missing operand".to_string(),
                Some(a) => format!("missing operand after {}", lquote(a)),
            };
            return usage_error(ctx, &m, 1).await;
        }
        if ops.len() > 2 {
            let m = format!("extra operand {}", lquote(&ops[2]));
            return usage_error(ctx, &m, 1).await;
        }
        let mut check = Check::Default;
        for o in &parsed.opts {
            match o.key.as_str() {
                "check" => check = Check::Strict,
                "nocheck" => check = Check::Off,
                _ => {}
            }
        }
        let delim = parsed.last("delim").unwrap_or("\t").as_bytes().to_vec();
        // The totals line joins with the delimiter as given (an empty one adds nothing).
        let total_sep = delim.clone();
        let o = Out {
            show: [!parsed.has("1"), !parsed.has("2"), !parsed.has("3")],
            delim: if delim.is_empty() { vec![0] } else { delim },
            eol,
        };
        let mut totals = [0u64; 3];
        let mut sides = Vec::new();
        for op in ops.iter() {
            match open_input(ctx, op).await {
                Ok(reader) => sides.push(Side {
                    reader,
                    line: Vec::new(),
                    prev: Vec::new(),
                    has_prev: false,
                    live: false,
                    warned: false,
                }),
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    return Ok(1);
                }
            }
        }
        let (a, b) = sides.split_at_mut(1);
        let (a, b) = (&mut a[0], &mut b[0]);
        a.advance(eol).await?;
        b.advance(eol).await?;
        let mut disorder = false;
        // GNU checks the order by default only once a line has gone unpaired.
        let mut seen_unpairable = false;
        while a.live || b.live {
            let order = if !a.live {
                std::cmp::Ordering::Greater
            } else if !b.live {
                std::cmp::Ordering::Less
            } else {
                a.line.cmp(&b.line)
            };
            let (col, line) = match order {
                std::cmp::Ordering::Less => (0, a.line.clone()),
                std::cmp::Ordering::Greater => (1, b.line.clone()),
                std::cmp::Ordering::Equal => (2, a.line.clone()),
            };
            totals[col] += 1;
            if col != 2 {
                seen_unpairable = true;
            }
            emit(ctx, &o, col, &line).await?;
            let movers: &mut [(&mut Side, usize)] = &mut [(a, 1), (b, 2)];
            for (side, n) in movers.iter_mut() {
                let moves = match order {
                    std::cmp::Ordering::Less => *n == 1,
                    std::cmp::Ordering::Greater => *n == 2,
                    std::cmp::Ordering::Equal => true,
                };
                if !moves {
                    continue;
                }
                side.advance(eol).await?;
                if (check == Check::Strict || check == Check::Default && seen_unpairable)
                    && side.live
                    && side.has_prev
                    && side.line < side.prev
                    && !side.warned
                {
                    side.warned = true;
                    disorder = true;
                    ctx.stdout.flush().await?;
                    ctx.error(format!("file {n} is not in sorted order"))
                        .await?;
                    if check == Check::Strict {
                        return Ok(1);
                    }
                }
            }
        }
        if parsed.has("total") {
            let mut line = Vec::new();
            for t in totals {
                line.extend_from_slice(t.to_string().as_bytes());
                line.extend_from_slice(&total_sep);
            }
            line.extend_from_slice(b"total");
            line.push(eol);
            ctx.stdout.write_all(&line).await?;
        }
        if disorder {
            ctx.stdout.flush().await?;
            ctx.error("input is not in sorted order").await?;
            return Ok(1);
        }
        Ok(0)
    }
}
