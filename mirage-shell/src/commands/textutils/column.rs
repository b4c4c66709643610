//! `column` (util-linux 2.38): lay a list out in columns. Default fill mode fills columns
//! first (`-x` rows first) with tab padding for an 80-column terminal (`-c` changes it);
//! `-t` builds a table split on whitespace (runs merged) or on `-s` characters (every one
//! splits), joined with `-o` (default two spaces). The whole input is needed to size columns.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{
    HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help, unsupported,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Column;

const SPEC: OptSpec = OptSpec {
    short: "c:dE:eH:hi:JLl:N:npO:o:R:rs:T:tW:x",
    long: &[
        LongOpt {
            name: "columns",
            has_arg: HasArg::Required,
            key: "c",
        },
        LongOpt {
            name: "table",
            has_arg: HasArg::No,
            key: "t",
        },
        LongOpt {
            name: "separator",
            has_arg: HasArg::Required,
            key: "s",
        },
        LongOpt {
            name: "output-separator",
            has_arg: HasArg::Required,
            key: "o",
        },
        LongOpt {
            name: "fillrows",
            has_arg: HasArg::No,
            key: "x",
        },
        LongOpt {
            name: "table-columns",
            has_arg: HasArg::Required,
            key: "N",
        },
        LongOpt {
            name: "table-right",
            has_arg: HasArg::Required,
            key: "R",
        },
        LongOpt {
            name: "json",
            has_arg: HasArg::No,
            key: "J",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Splits a table row: greedy on whitespace by default, on every separator with `-s`.
fn split_row<'a>(line: &'a str, seps: Option<&str>) -> Vec<&'a str> {
    match seps {
        None => line.split([' ', '\t']).filter(|f| !f.is_empty()).collect(),
        Some(s) => line.split(|c| s.contains(c)).collect(),
    }
}

fn table(lines: &[String], seps: Option<&str>, osep: &str) -> String {
    let rows: Vec<Vec<&str>> = lines.iter().map(|l| split_row(l, seps)).collect();
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; ncols];
    for r in &rows {
        for (i, f) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(f));
        }
    }
    let mut out = String::new();
    for r in &rows {
        for (i, w) in widths.iter().enumerate() {
            let f = r.get(i).copied().unwrap_or("");
            out.push_str(f);
            if i + 1 < ncols {
                out.push_str(&" ".repeat(w - width(f)));
                out.push_str(osep);
            }
        }
        out.push('\n');
    }
    out
}

/// Tab padding from `chcnt` up to `endcol`, as util-linux does it.
fn pad_tabs(out: &mut String, chcnt: &mut usize, endcol: usize) {
    loop {
        let cnt = (*chcnt + 8) & !7;
        if cnt > endcol {
            break;
        }
        out.push('\t');
        *chcnt = cnt;
    }
}

fn fill(ents: &[String], term: usize, by_rows: bool) -> String {
    let mut out = String::new();
    let maxlen = ents.iter().map(|e| width(e)).max().unwrap_or(0);
    let maxlength = (maxlen + 8) & !7;
    let numcols = term / maxlength.max(1);
    if numcols == 0 || maxlength > term {
        for e in ents {
            out.push_str(e);
            out.push('\n');
        }
        return out;
    }
    if by_rows {
        let (mut chcnt, mut col, mut endcol) = (0, 0, maxlength);
        for (i, e) in ents.iter().enumerate() {
            out.push_str(e);
            chcnt += width(e);
            col += 1;
            if i + 1 == ents.len() {
                break;
            }
            if col == numcols {
                chcnt = 0;
                col = 0;
                endcol = maxlength;
                out.push('\n');
            } else {
                pad_tabs(&mut out, &mut chcnt, endcol);
                endcol += maxlength;
            }
        }
        if chcnt > 0 {
            out.push('\n');
        }
        return out;
    }
    let numrows = ents.len().div_ceil(numcols);
    for row in 0..numrows {
        let mut endcol = maxlength;
        let mut chcnt = 0;
        let mut base = row;
        for _ in 0..numcols {
            let Some(e) = ents.get(base) else { break };
            out.push_str(e);
            chcnt += width(e);
            base += numrows;
            if base >= ents.len() {
                break;
            }
            pad_tabs(&mut out, &mut chcnt, endcol);
            endcol += maxlength;
        }
        out.push('\n');
    }
    out
}

#[async_trait]
impl Command for Column {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        for o in &parsed.opts {
            if !matches!(o.key.as_str(), "c" | "t" | "s" | "o" | "x") {
                let name = if o.key.len() == 1 {
                    format!("-{}", o.key)
                } else {
                    format!("--{}", o.key)
                };
                return unsupported(ctx, &name).await;
            }
        }
        let term = match parsed.last("c") {
            None => 80,
            Some(v) => match v.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    ctx.error(format!("invalid columns argument: '{v}'"))
                        .await?;
                    return Ok(1);
                }
            },
        };
        let mut lines = Vec::new();
        let mut status = 0;
        let mut buf = Vec::new();
        for op in inputs(&parsed.operands) {
            let mut reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    status = 1;
                    continue;
                }
            };
            while read_line(&mut reader, &mut buf).await? {
                let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
                let text = String::from_utf8_lossy(body).into_owned();
                if !text.trim_matches([' ', '\t']).is_empty() || parsed.has("s") && !text.is_empty()
                {
                    lines.push(text);
                }
            }
        }
        let out = if parsed.has("t") {
            let osep = parsed.last("o").unwrap_or("  ");
            table(&lines, parsed.last("s"), osep)
        } else {
            fill(&lines, term, parsed.has("x"))
        };
        ctx.stdout.write_all(out.as_bytes()).await?;
        Ok(status)
    }
}
