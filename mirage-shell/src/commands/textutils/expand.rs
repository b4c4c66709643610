//! `expand`: convert tabs to spaces (`-t` stops, `-i` only leading tabs). Byte based like
//! GNU 9.1: every byte is one column and backspace moves back. Lines are streamed.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help};
use super::tabstops::TabStops;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Expand;

const SPEC: OptSpec = OptSpec {
    short: "it:0123456789",
    long: &[
        LongOpt {
            name: "initial",
            has_arg: HasArg::No,
            key: "i",
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

/// Collects `-t` values and obsolete `-N` digits into tab stops.
pub fn tab_stops(parsed: &crate::commands::getopt::Parsed) -> Result<TabStops, String> {
    let mut stops = TabStops::default();
    let mut digits = String::new();
    for o in &parsed.opts {
        if o.key.len() == 1 && o.key.as_bytes()[0].is_ascii_digit() {
            digits.push_str(&o.key);
            continue;
        }
        if !digits.is_empty() {
            stops.add(&std::mem::take(&mut digits))?;
        }
        if o.key == "t" {
            stops.add(o.value.as_deref().unwrap_or(""))?;
        }
    }
    if !digits.is_empty() {
        stops.add(&digits)?;
    }
    Ok(stops.finish())
}

fn expand_line(line: &[u8], stops: &TabStops, initial: bool, out: &mut Vec<u8>) {
    let mut column = 0u64;
    let mut leading = true;
    for &c in line {
        if c == b'\t' && (leading || !initial) {
            let next = stops.next(column).unwrap_or(column + 1);
            for _ in column..next {
                out.push(b' ');
            }
            column = next;
            continue;
        }
        if c == 8 {
            column = column.saturating_sub(1);
        } else {
            column += 1;
        }
        if c != b' ' && c != b'\t' {
            leading = false;
        }
        out.push(c);
    }
}

#[async_trait]
impl Command for Expand {
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
        let initial = parsed.has("i");
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
                expand_line(&line, &stops, initial, &mut out);
                ctx.stdout.write_all(&out).await?;
            }
        }
        Ok(status)
    }
}
