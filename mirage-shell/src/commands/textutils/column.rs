//! `column` (util-linux 2.38): lay a list out in columns. Default fill mode fills columns
//! first (`-x` rows first) with tab padding for an 80-column terminal (`-c` changes it);
//! `-t` builds a table split on whitespace (runs merged) or on `-s` characters (every one
//! splits), joined with `-o` (default two spaces); `-N` names the columns (a heading line
//! unless `-d`), `-R`/`-H`/`-O` right-align, hide and reorder columns by name or number.
//! The whole input is needed to size columns.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{
    HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help, unsupported,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::text::wcwidth::class_of;

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
            name: "table-hide",
            has_arg: HasArg::Required,
            key: "H",
        },
        LongOpt {
            name: "table-order",
            has_arg: HasArg::Required,
            key: "O",
        },
        LongOpt {
            name: "table-noheadings",
            has_arg: HasArg::No,
            key: "d",
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

/// Terminal columns of `s` as glibc's `wcwidth` counts them (CJK and emoji take two).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| usize::from(class_of(c as u32).width))
        .sum()
}

/// Splits a table row: greedy on whitespace by default, on every separator with `-s`.
fn split_row<'a>(line: &'a str, seps: Option<&str>) -> Vec<&'a str> {
    match seps {
        None => line.split([' ', '\t']).filter(|f| !f.is_empty()).collect(),
        Some(s) => line.split(|c| s.contains(c)).collect(),
    }
}

/// What `-N`, `-d`, `-R`, `-H` and `-O` ask of a table.
struct TableOpts<'a> {
    names: Vec<&'a str>,
    headings: bool,
    right: Option<&'a str>,
    hide: Option<&'a str>,
    order: Option<&'a str>,
}

/// Resolves a comma-separated list of column names or 1-based numbers (util-linux: a string
/// of digits is a number, `0` meaning every column; anything else must be a `-N` name, the
/// first one that matches). `-` (for `-H`) stands for the columns without a name.
fn resolve(list: &str, names: &[&str], ncols: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for item in list.split(',').filter(|s| !s.is_empty()) {
        if item.bytes().all(|b| b.is_ascii_digit()) {
            match item.parse::<usize>() {
                Ok(0) => out.extend(0..ncols),
                Ok(n) if n <= ncols => out.push(n - 1),
                Ok(_) => {}
                Err(_) => return Err(format!("failed to parse column: '{item}'")),
            }
        } else if let Some(i) = names.iter().position(|n| *n == item) {
            out.push(i);
        } else {
            return Err(format!("undefined column name '{item}'"));
        }
    }
    Ok(out)
}

fn table(
    lines: &[String],
    seps: Option<&str>,
    osep: &str,
    topts: &TableOpts,
) -> Result<String, String> {
    let mut rows: Vec<Vec<&str>> = lines.iter().map(|l| split_row(l, seps)).collect();
    let ncols = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(topts.names.len());
    let mut right = vec![false; ncols];
    if let Some(list) = topts.right {
        for i in resolve(list, &topts.names, ncols)? {
            right[i] = true;
        }
    }
    let mut hidden = vec![false; ncols];
    if let Some(list) = topts.hide {
        let unnamed = list.split(',').any(|s| s == "-");
        let rest: Vec<&str> = list.split(',').filter(|s| *s != "-").collect();
        for i in resolve(&rest.join(","), &topts.names, ncols)? {
            hidden[i] = true;
        }
        if unnamed {
            for h in hidden.iter_mut().skip(topts.names.len()) {
                *h = true;
            }
        }
    }
    let mut order: Vec<usize> = Vec::new();
    if let Some(list) = topts.order {
        for i in resolve(list, &topts.names, ncols)? {
            if !order.contains(&i) {
                order.push(i);
            }
        }
    }
    for i in 0..ncols {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    let visible: Vec<usize> = order.into_iter().filter(|&i| !hidden[i]).collect();
    if !rows.is_empty() && !topts.names.is_empty() && topts.headings {
        rows.insert(0, topts.names.clone());
    }
    let mut widths = vec![0; ncols];
    for r in &rows {
        for (i, f) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(f));
        }
    }
    let mut out = String::new();
    for r in &rows {
        for (k, &i) in visible.iter().enumerate() {
            let f = r.get(i).copied().unwrap_or("");
            let pad = " ".repeat(widths[i] - width(f));
            let last = k + 1 == visible.len();
            if last && r.get(i).is_none() {
                // util-linux prints nothing for a missing last cell, even right-aligned.
            } else if right[i] {
                out.push_str(&pad);
                out.push_str(f);
            } else {
                out.push_str(f);
                if !last {
                    out.push_str(&pad);
                }
            }
            if !last {
                out.push_str(osep);
            }
        }
        out.push('\n');
    }
    Ok(out)
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
            if !matches!(
                o.key.as_str(),
                "c" | "t" | "s" | "o" | "x" | "N" | "d" | "R" | "H" | "O"
            ) {
                let name = if o.key.len() == 1 {
                    format!("-{}", o.key)
                } else {
                    format!("--{}", o.key)
                };
                return unsupported(ctx, &name).await;
            }
        }
        if !parsed.has("t") && ["N", "R", "H", "O"].iter().any(|k| parsed.has(k)) {
            ctx.error("option --table required for all --table-*")
                .await?;
            return Ok(1);
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
            let topts = TableOpts {
                names: parsed
                    .last("N")
                    .map(|n| n.split(',').filter(|s| !s.is_empty()).collect())
                    .unwrap_or_default(),
                headings: !parsed.has("d"),
                right: parsed.last("R"),
                hide: parsed.last("H"),
                order: parsed.last("O"),
            };
            match table(&lines, parsed.last("s"), osep, &topts) {
                Ok(t) => t,
                Err(msg) => {
                    ctx.error(msg).await?;
                    return Ok(1);
                }
            }
        } else {
            fill(&lines, term, parsed.has("x"))
        };
        ctx.stdout.write_all(out.as_bytes()).await?;
        Ok(status)
    }
}
