//! `nl`: number lines (`-b -h -f` styles a/t/n/pBRE, `-n ln|rn|rz`, `-w`, `-s`, `-v`, `-i`,
//! `-l`, and the `\:\:\:` / `\:\:` / `\:` section delimiters, changed by `-d`). Lines are
//! streamed.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{
    HELP, VERSION, inputs, open_input, parse_opts, read_line, refuse_help, unsupported, usage_error,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Nl;

const SPEC: OptSpec = OptSpec {
    short: "h:b:f:v:i:pl:s:w:n:d:",
    long: &[
        LongOpt {
            name: "header-numbering",
            has_arg: HasArg::Required,
            key: "h",
        },
        LongOpt {
            name: "body-numbering",
            has_arg: HasArg::Required,
            key: "b",
        },
        LongOpt {
            name: "footer-numbering",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "starting-line-number",
            has_arg: HasArg::Required,
            key: "v",
        },
        LongOpt {
            name: "line-increment",
            has_arg: HasArg::Required,
            key: "i",
        },
        LongOpt {
            name: "no-renumber",
            has_arg: HasArg::No,
            key: "p",
        },
        LongOpt {
            name: "join-blank-lines",
            has_arg: HasArg::Required,
            key: "l",
        },
        LongOpt {
            name: "number-separator",
            has_arg: HasArg::Required,
            key: "s",
        },
        LongOpt {
            name: "number-width",
            has_arg: HasArg::Required,
            key: "w",
        },
        LongOpt {
            name: "number-format",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "section-delimiter",
            has_arg: HasArg::Required,
            key: "d",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, PartialEq)]
enum Style {
    All,
    NonEmpty,
    None,
    /// `pBRE`: lines matching the section's pattern.
    Matching,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Left,
    Right,
    Zeros,
}

struct Settings {
    styles: [Style; 3],
    format: Format,
    width: usize,
    sep: String,
    start: i64,
    incr: i64,
    renumber: bool,
    /// The `pBRE` patterns of header, body and footer.
    patterns: [Option<regex::bytes::Regex>; 3],
    /// `-d`: the section delimiter pair (empty: no delimiter lines).
    delim: Vec<u8>,
    /// `-l`: blank lines joined into one for numbering under style `a`.
    blank_join: u64,
}

fn style(v: &str) -> Option<Style> {
    match v {
        "a" => Some(Style::All),
        "t" => Some(Style::NonEmpty),
        "n" => Some(Style::None),
        _ => None,
    }
}

/// Formats a line number as `-n` asks, padded to `width`.
fn number(n: i64, s: &Settings) -> String {
    let w = s.width;
    match s.format {
        Format::Left => format!("{n:<w$}"),
        Format::Right => format!("{n:>w$}"),
        Format::Zeros => {
            if n < 0 {
                format!("-{:0>width$}", -n, width = w.saturating_sub(1))
            } else {
                format!("{n:0>w$}")
            }
        }
    }
}

/// Which section delimiter (0 header, 1 body, 2 footer) a line is, if any.
fn delimiter(body: &[u8], delim: &[u8]) -> Option<usize> {
    let d = delim.len();
    if d == 0 || !body.len().is_multiple_of(d) || !body.chunks(d).all(|c| c == delim) {
        return None;
    }
    match body.len() / d {
        3 => Some(0),
        2 => Some(1),
        1 => Some(2),
        _ => None,
    }
}

async fn settings(
    ctx: &mut CommandContext,
    parsed: &crate::commands::getopt::Parsed,
) -> Result<Settings, i32> {
    let mut s = Settings {
        styles: [Style::None, Style::NonEmpty, Style::None],
        format: Format::Right,
        width: 6,
        sep: "\t".to_string(),
        start: 1,
        incr: 1,
        renumber: true,
        patterns: [None, None, None],
        delim: b"\\:".to_vec(),
        blank_join: 1,
    };
    for o in &parsed.opts {
        let v = o.value.clone().unwrap_or_default();
        let bad = |what: &str| format!("invalid {what} numbering style: {}", lquote(&v));
        match o.key.as_str() {
            "h" | "b" | "f" => {
                let idx = match o.key.as_str() {
                    "h" => 0,
                    "b" => 1,
                    _ => 2,
                };
                let what = ["header", "body", "footer"][idx];
                if let Some(pat) = v.strip_prefix('p') {
                    match super::bre::compile(pat.as_bytes(), false) {
                        Ok(re) => {
                            s.styles[idx] = Style::Matching;
                            s.patterns[idx] = Some(re);
                        }
                        Err(m) if m.contains("back-reference") => {
                            let what = format!("-{}p with back-references", o.key);
                            return Err(unsupported(ctx, &what).await.unwrap_or(2));
                        }
                        Err(m) => {
                            ctx.error(m).await.map_err(|_| 1)?;
                            return Err(1);
                        }
                    }
                    continue;
                }
                match style(&v) {
                    Some(st) => s.styles[idx] = st,
                    None => return Err(usage_error(ctx, &bad(what), 1).await.unwrap_or(1)),
                }
            }
            "n" => {
                s.format = match v.as_str() {
                    "ln" => Format::Left,
                    "rn" => Format::Right,
                    "rz" => Format::Zeros,
                    _ => {
                        let m = format!("invalid line numbering format: {}", lquote(&v));
                        return Err(usage_error(ctx, &m, 1).await.unwrap_or(1));
                    }
                }
            }
            "w" => match v.trim_start().parse::<i64>() {
                Ok(w) if w > 0 && w <= i32::MAX as i64 => s.width = w as usize,
                r => {
                    let why = match r {
                        Ok(w) if w > 0 => ": Value too large for defined data type",
                        Ok(_) => ": Numerical result out of range",
                        Err(_) => "",
                    };
                    let m = format!("invalid line number field width: {}{why}", lquote(&v));
                    ctx.error(m).await.map_err(|_| 1)?;
                    return Err(1);
                }
            },
            "v" | "i" => match v.trim().parse::<i64>() {
                Ok(n) if o.key == "v" => s.start = n,
                Ok(n) => s.incr = n,
                Err(_) => {
                    let what = if o.key == "v" {
                        "starting line number"
                    } else {
                        "line number increment"
                    };
                    let m = format!("invalid {what}: {}", lquote(&v));
                    ctx.error(m).await.map_err(|_| 1)?;
                    return Err(1);
                }
            },
            "s" => s.sep = v,
            "p" => s.renumber = false,
            "d" => {
                s.delim = v.clone().into_bytes();
                if s.delim.len() == 1 {
                    s.delim.push(b':');
                }
            }
            "l" => match v.trim().parse::<i64>() {
                Ok(n) if n > 0 => s.blank_join = n as u64,
                r => {
                    let range = if r.is_ok() {
                        ": Numerical result out of range"
                    } else {
                        ""
                    };
                    let m = format!("invalid line number of blank lines: {}{range}", lquote(&v));
                    ctx.error(m).await.map_err(|_| 1)?;
                    return Err(1);
                }
            },
            _ => {}
        }
    }
    Ok(s)
}

#[async_trait]
impl Command for Nl {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let s = match settings(ctx, &parsed).await {
            Ok(s) => s,
            Err(st) => return Ok(st),
        };
        let blank = " ".repeat(s.width + s.sep.len());
        let mut n = s.start;
        let mut section = 1;
        let mut blanks = 0u64;
        let mut status = 0;
        let mut line = Vec::new();
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
                let body = line.strip_suffix(b"\n").unwrap_or(&line);
                if let Some(sec) = delimiter(body, &s.delim) {
                    section = sec;
                    if s.renumber {
                        n = s.start;
                    }
                    ctx.stdout.write_all(b"\n").await?;
                    continue;
                }
                let numbered = match s.styles[section] {
                    Style::All if s.blank_join > 1 && body.is_empty() => {
                        blanks += 1;
                        if blanks == s.blank_join {
                            blanks = 0;
                            true
                        } else {
                            false
                        }
                    }
                    Style::All => {
                        blanks = 0;
                        true
                    }
                    Style::NonEmpty => !body.is_empty(),
                    Style::None => false,
                    Style::Matching => s.patterns[section]
                        .as_ref()
                        .is_some_and(|re| re.is_match(body)),
                };
                if numbered {
                    let prefix = format!("{}{}", number(n, &s), s.sep);
                    ctx.stdout.write_all(prefix.as_bytes()).await?;
                    n = n.wrapping_add(s.incr);
                } else {
                    ctx.stdout.write_all(blank.as_bytes()).await?;
                }
                ctx.stdout.write_all(&line).await?;
                if line.last() != Some(&b'\n') {
                    ctx.stdout.write_all(b"\n").await?;
                }
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut s = Settings {
            styles: [Style::None; 3],
            format: Format::Zeros,
            width: 6,
            sep: String::new(),
            start: 1,
            incr: 1,
            renumber: true,
            patterns: [None, None, None],
            delim: b"\\:".to_vec(),
            blank_join: 1,
        };
        assert_eq!(number(1, &s), "000001");
        s.format = Format::Left;
        assert_eq!(number(5, &s), "5     ");
    }
}
