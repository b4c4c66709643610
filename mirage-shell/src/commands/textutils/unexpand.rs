//! `unexpand`: convert runs of blanks to tabs. Leading blanks only by default; `-a` (or any
//! `-t`) converts every run, `--first-only` limits it to leading blanks again. Follows GNU
//! 9.1's byte-based state machine, including its handling of a single blank before a stop.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::expand::tab_stops;
use super::support::{HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help};
use super::tabstops::TabStops;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Unexpand;

const SPEC: OptSpec = OptSpec {
    short: "at:0123456789",
    long: &[
        LongOpt {
            name: "all",
            has_arg: HasArg::No,
            key: "a",
        },
        LongOpt {
            name: "first-only",
            has_arg: HasArg::No,
            key: "first",
        },
        LongOpt {
            name: "tabs",
            has_arg: HasArg::Required,
            key: "t",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Converts one line (with its newline, if any) into `out`.
fn unexpand_line(line: &[u8], stops: &TabStops, all: bool, out: &mut Vec<u8>) {
    let mut convert = true;
    let mut column = 0u64;
    let mut pending: Vec<u8> = Vec::new();
    let mut one_blank_before_stop = false;
    let mut prev_blank = true;
    // `None` plays the part of GNU's EOF character: it flushes what is pending.
    let chars = line.iter().map(|&c| Some(c)).chain(std::iter::once(None));
    for c in chars {
        let mut c = c;
        if convert {
            let blank = matches!(c, Some(b' ') | Some(b'\t'));
            if blank {
                let next = stops.next(column);
                if next.is_none() {
                    convert = false;
                }
                if let Some(next) = next {
                    if c == Some(b'\t') {
                        column = next;
                        if !pending.is_empty() {
                            pending[0] = b'\t';
                        }
                    } else {
                        column += 1;
                        if !(prev_blank && column == next) {
                            if column == next {
                                one_blank_before_stop = true;
                            }
                            pending.push(b' ');
                            prev_blank = true;
                            continue;
                        }
                        c = Some(b'\t');
                        if !pending.is_empty() {
                            pending[0] = b'\t';
                        }
                    }
                    pending.truncate(usize::from(one_blank_before_stop));
                }
            } else if c == Some(8) {
                column = column.saturating_sub(1);
            } else {
                column += 1;
            }
            if !pending.is_empty() {
                if pending.len() > 1 && one_blank_before_stop {
                    pending[0] = b'\t';
                }
                out.append(&mut pending);
                one_blank_before_stop = false;
            }
            prev_blank = blank;
            convert &= all || blank;
        }
        if let Some(c) = c {
            out.push(c);
        }
    }
}

#[async_trait]
impl Command for Unexpand {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let stops = match tab_stops(&parsed) {
            Ok(s) => s,
            Err(m) => {
                ctx.error(m).await?;
                return Ok(1);
            }
        };
        let explicit = parsed
            .opts
            .iter()
            .any(|o| o.key == "t" || o.key.as_bytes()[0].is_ascii_digit());
        let all = (parsed.has("a") || explicit) && !parsed.has("first");
        let mut status = 0;
        let mut line = Vec::new();
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
            while read_line(&mut reader, &mut line).await? {
                out.clear();
                unexpand_line(&line, &stops, all, &mut out);
                ctx.stdout.write_all(&out).await?;
            }
        }
        Ok(status)
    }
}
