//! `cut`: select bytes (`-b`, and `-c`, which GNU 9.1 treats as bytes) or delimited fields
//! (`-f -d -s`) of each line, with `--complement`, `--output-delimiter` and `-z`. Works line by
//! line on bytes, so any data passes through.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError, Reader};
use tokio::io::AsyncBufReadExt;

use super::quoting::shell_quote;
use super::support::{HELP, VERSION, lquote, open_input, refuse_help, usage_error};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Cut;

const SPEC: OptSpec = OptSpec {
    short: "b:c:d:f:nsz",
    long: &[
        LongOpt {
            name: "bytes",
            has_arg: HasArg::Required,
            key: "b",
        },
        LongOpt {
            name: "characters",
            has_arg: HasArg::Required,
            key: "c",
        },
        LongOpt {
            name: "delimiter",
            has_arg: HasArg::Required,
            key: "d",
        },
        LongOpt {
            name: "fields",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "only-delimited",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "output-delimiter",
            has_arg: HasArg::Required,
            key: "output-delimiter",
        },
        LongOpt {
            name: "complement",
            has_arg: HasArg::No,
            key: "complement",
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

/// Inclusive 1-based ranges, sorted and merged where they overlap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranges(Vec<(u64, u64)>);

impl Ranges {
    fn contains(&self, i: u64) -> bool {
        self.0.iter().any(|&(lo, hi)| lo <= i && i <= hi)
    }

    fn is_range_start(&self, i: u64) -> bool {
        self.0.iter().any(|&(lo, _)| lo == i)
    }

    fn complement(self) -> Ranges {
        let mut out = Vec::new();
        let mut next = 1u64;
        for (lo, hi) in self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi.saturating_add(1);
            if hi == u64::MAX {
                return Ranges(out);
            }
        }
        out.push((next, u64::MAX));
        Ranges(out)
    }
}

/// Parses a LIST like coreutils' `set_fields`; `positions` selects the byte wording of errors.
pub fn parse_list(list: &str, positions: bool) -> Result<Ranges, String> {
    let from_one = if positions {
        "byte/character positions are numbered from 1"
    } else {
        "fields are numbered from 1"
    };
    let mut pairs: Vec<(u64, u64)> = Vec::new();
    let mut initial = 1u64;
    let mut value = 0u64;
    let (mut lhs, mut rhs, mut dash) = (false, false, false);
    let bytes = list.as_bytes();
    let mut i = 0;
    let mut num_start = 0;
    let mut in_digits = false;
    loop {
        let c = bytes.get(i).copied();
        match c {
            Some(b'-') => {
                in_digits = false;
                if dash {
                    return Err((if positions {
                        "invalid byte or character range"
                    } else {
                        "invalid field range"
                    })
                    .into());
                }
                dash = true;
                if lhs && value == 0 {
                    return Err(from_one.into());
                }
                initial = if lhs { value } else { 1 };
                value = 0;
            }
            None | Some(b',' | b' ' | b'\t') => {
                in_digits = false;
                if dash {
                    dash = false;
                    if !lhs && !rhs {
                        return Err("invalid range with no endpoint: -".into());
                    }
                    if !rhs {
                        pairs.push((initial, u64::MAX));
                    } else {
                        if value < initial {
                            return Err("invalid decreasing range".into());
                        }
                        pairs.push((initial, value));
                    }
                } else {
                    if value == 0 {
                        return Err(from_one.into());
                    }
                    pairs.push((value, value));
                }
                value = 0;
                if c.is_none() {
                    break;
                }
                lhs = false;
                rhs = false;
            }
            Some(d) if d.is_ascii_digit() => {
                if !in_digits {
                    num_start = i;
                }
                in_digits = true;
                if dash {
                    rhs = true;
                } else {
                    lhs = true;
                }
                match value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(d - b'0')))
                    .filter(|v| *v != u64::MAX)
                {
                    Some(v) => value = v,
                    None => {
                        let n = bytes[num_start..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit())
                            .count();
                        let num = &list[num_start..num_start + n];
                        return Err(if positions {
                            format!("byte/character offset {} is too large", lquote(num))
                        } else {
                            format!("field number {} is too large", lquote(num))
                        });
                    }
                }
            }
            Some(_) => {
                let rest = &list[i..];
                return Err(if positions {
                    format!("invalid byte/character position {}", lquote(rest))
                } else {
                    format!("invalid field value {}", lquote(rest))
                });
            }
        }
        i += 1;
    }
    if pairs.is_empty() {
        return Err((if positions {
            "missing list of byte/character positions"
        } else {
            "missing list of fields"
        })
        .into());
    }
    pairs.sort();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (lo, hi) in pairs {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    Ok(Ranges(merged))
}

struct Settings {
    ranges: Ranges,
    bytes_mode: bool,
    delim: u8,
    /// `None`: the default (the input delimiter, and nothing between byte ranges).
    out_delim: Option<Vec<u8>>,
    only_delimited: bool,
    line_delim: u8,
}

fn cut_bytes_line(line: &[u8], s: &Settings, out: &mut Vec<u8>) {
    let mut printed = false;
    for (k, &b) in line.iter().enumerate() {
        let idx = k as u64 + 1;
        if s.ranges.contains(idx) {
            if let Some(d) = &s.out_delim {
                if printed && s.ranges.is_range_start(idx) {
                    out.extend_from_slice(d);
                }
                printed = true;
            }
            out.push(b);
        }
    }
    out.push(s.line_delim);
}

fn cut_fields_line(line: &[u8], s: &Settings, out: &mut Vec<u8>) {
    if memchr::memchr(s.delim, line).is_none() {
        if !s.only_delimited {
            out.extend_from_slice(line);
            out.push(s.line_delim);
        }
        return;
    }
    let default_delim = [s.delim];
    let out_delim: &[u8] = s.out_delim.as_deref().unwrap_or(&default_delim);
    let mut first = true;
    for (k, field) in line.split(|&b| b == s.delim).enumerate() {
        if s.ranges.contains(k as u64 + 1) {
            if !first {
                out.extend_from_slice(out_delim);
            }
            first = false;
            out.extend_from_slice(field);
        }
    }
    out.push(s.line_delim);
}

async fn cut_stream(
    ctx: &mut CommandContext,
    reader: &mut Reader,
    s: &Settings,
) -> Result<(), std::io::Error> {
    if !s.bytes_mode && s.delim == s.line_delim {
        return cut_single_record(ctx, reader, s).await;
    }
    let mut line = Vec::new();
    let mut out = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_until(s.line_delim, &mut line)
            .await
            .map_err(read_error)?;
        if n == 0 {
            break;
        }
        if line.last() == Some(&s.line_delim) {
            line.pop();
        }
        if s.bytes_mode {
            cut_bytes_line(&line, s, &mut out);
        } else {
            cut_fields_line(&line, s, &mut out);
        }
        if out.len() >= 64 * 1024 {
            ctx.stdout.write_all(&out).await?;
            out.clear();
        }
    }
    ctx.stdout.write_all(&out).await
}

/// `-d` equal to the line delimiter: the whole input is one record whose fields are lines
/// (a final delimiter does not open another field).
async fn cut_single_record(
    ctx: &mut CommandContext,
    reader: &mut Reader,
    s: &Settings,
) -> Result<(), std::io::Error> {
    let mut data = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(reader, &mut data)
        .await
        .map_err(read_error)?;
    if data.is_empty() {
        return Ok(());
    }
    if data.last() == Some(&s.line_delim) {
        data.pop();
    }
    let mut out = Vec::new();
    cut_fields_line(&data, s, &mut out);
    ctx.stdout.write_all(&out).await
}

/// Marks read failures so they are reported per file rather than ending the command.
#[derive(Debug)]
struct ReadError(FsError);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ReadError {}

fn read_error(e: std::io::Error) -> std::io::Error {
    std::io::Error::other(ReadError(FsError::from(e)))
}

#[async_trait]
impl Command for Cut {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let mut list: Option<String> = None;
        let mut bytes_mode = false;
        let mut delim: Option<u8> = None;
        let mut out_delim = None;
        let mut only_delimited = false;
        let mut line_delim = b'\n';
        let mut complement = false;
        for opt in &parsed.opts {
            let value = opt.value.clone().unwrap_or_default();
            match opt.key.as_str() {
                k @ ("b" | "c" | "f") => {
                    bytes_mode |= k != "f";
                    if list.is_some() {
                        return usage_error(ctx, "only one list may be specified", 1).await;
                    }
                    list = Some(value);
                }
                "d" => {
                    if value.len() > 1 {
                        return usage_error(ctx, "the delimiter must be a single character", 1)
                            .await;
                    }
                    delim = Some(value.bytes().next().unwrap_or(0));
                }
                "output-delimiter" => {
                    out_delim = Some(if value.is_empty() {
                        vec![0]
                    } else {
                        value.into_bytes()
                    })
                }
                "s" => only_delimited = true,
                "z" => line_delim = 0,
                "complement" => complement = true,
                _ => {}
            }
        }
        let Some(list) = list else {
            return usage_error(
                ctx,
                "you must specify a list of bytes, characters, or fields",
                1,
            )
            .await;
        };
        if bytes_mode && delim.is_some() {
            return usage_error(
                ctx,
                "an input delimiter may be specified only when operating on fields",
                1,
            )
            .await;
        }
        if bytes_mode && only_delimited {
            return usage_error(
                ctx,
                "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
                1,
            )
            .await;
        }
        let ranges = match parse_list(&list, bytes_mode) {
            Ok(r) if complement => r.complement(),
            Ok(r) => r,
            Err(msg) => return usage_error(ctx, &msg, 1).await,
        };
        let s = Settings {
            ranges,
            bytes_mode,
            delim: delim.unwrap_or(b'\t'),
            out_delim,
            only_delimited,
            line_delim,
        };
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands
        };
        let mut status = 0;
        for operand in &operands {
            let result = match open_input(ctx, operand).await {
                Ok(mut reader) => cut_stream(ctx, &mut reader, &s).await,
                Err(e) => Err(read_error(e.into())),
            };
            if let Err(e) = result {
                let Some(ReadError(fs_err)) = e
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<ReadError>())
                else {
                    return Err(e);
                };
                ctx.error(format!("{}: {fs_err}", shell_quote(operand, false)))
                    .await?;
                status = 1;
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run};

    const FILES: &[(&str, &[u8])] = &[("cf", b"a:b:c\nnodelim\nx:y\n"), ("d/", b"")];

    async fn cut(args: &[&str], stdin: &[u8]) -> Vec<u8> {
        let mut argv = vec!["cut"];
        argv.extend_from_slice(args);
        let c = run(FILES, &argv, stdin).await;
        assert_eq!((c.err().as_str(), c.status), ("", 0), "{args:?}");
        c.stdout
    }

    #[tokio::test]
    async fn fields() {
        assert_eq!(cut(&["-d:", "-f2", "cf"], b"").await, b"b\nnodelim\ny\n");
        assert_eq!(cut(&["-d:", "-f2", "-s", "cf"], b"").await, b"b\ny\n");
        assert_eq!(
            cut(&["-d:", "-f1,3", "cf"], b"").await,
            b"a:c\nnodelim\nx\n"
        );
        assert_eq!(cut(&["-d:", "-f2-", "cf"], b"").await, b"b:c\nnodelim\ny\n");
        assert_eq!(
            cut(&["-d:", "-f-2", "cf"], b"").await,
            b"a:b\nnodelim\nx:y\n"
        );
        assert_eq!(
            cut(&["-d:", "--complement", "-f2", "cf"], b"").await,
            b"a:c\nnodelim\nx\n"
        );
        assert_eq!(
            cut(&["-d:", "-f1,3", "--output-delimiter=XX", "cf"], b"").await,
            b"aXXc\nnodelim\nx\n"
        );
        assert_eq!(cut(&["-d:", "-f5"], b"a:b\n").await, b"\n");
        assert_eq!(cut(&["-d:", "-f1"], b"a:b").await, b"a\n");
        assert_eq!(cut(&["-f2"], b"a\tb\n").await, b"b\n");
        assert_eq!(cut(&["-d:", "-f3,1"], b"a:b:c\n").await, b"a:c\n");
        assert_eq!(cut(&["-d:", "-f1-2,2-3"], b"a:b:c\n").await, b"a:b:c\n");
        assert_eq!(cut(&["-d\n", "-f2"], b"a\nb\nc\n").await, b"b\n");
        assert_eq!(cut(&["-d\n", "-f1,3"], b"a\nb\nc\n").await, b"a\nc\n");
        assert_eq!(cut(&["-d\n", "-f3"], b"a\nb\nc").await, b"c\n");
    }

    #[tokio::test]
    async fn bytes() {
        assert_eq!(cut(&["-c2-3", "cf"], b"").await, b":b\nod\n:y\n");
        assert_eq!(cut(&["-b1,3", "cf"], b"").await, b"ab\nnd\nxy\n");
        assert_eq!(cut(&["-c1-2"], "h\u{e9}llo\n".as_bytes()).await, b"h\xc3\n");
        assert_eq!(
            cut(&["-b1-2,3-4", "--output-delimiter=X"], b"abcdef\n").await,
            b"abXcd\n"
        );
        assert_eq!(
            cut(&["-b1-3,2-4", "--output-delimiter=X"], b"abcdef\n").await,
            b"abcd\n"
        );
        assert_eq!(
            cut(&["-b1-2,4-", "--output-delimiter="], b"abcdef\n").await,
            b"ab\0def\n"
        );
        assert_eq!(cut(&["-c1"], b"ab").await, b"a\n");
        assert_eq!(cut(&["-c1"], b"").await, b"");
        assert_eq!(cut(&["--complement", "-c2"], b"abc\n").await, b"ac\n");
    }

    #[tokio::test]
    async fn errors() {
        let hint = "Try 'cut --help' for more information.\n";
        let cases: &[(&[&str], &str)] = &[
            (&["-c3-2"], "invalid decreasing range"),
            (
                &[],
                "you must specify a list of bytes, characters, or fields",
            ),
            (&["-f1", "-c1"], "only one list may be specified"),
            (
                &["-d", "ab", "-f1"],
                "the delimiter must be a single character",
            ),
            (
                &["-c1", "-d:"],
                "an input delimiter may be specified only when operating on fields",
            ),
            (
                &["-s", "-c1"],
                "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
            ),
            (&["-f0"], "fields are numbered from 1"),
            (&["-f", "x"], "invalid field value \u{2018}x\u{2019}"),
            (&["-f", ""], "fields are numbered from 1"),
            (&["-f", "1,,2"], "fields are numbered from 1"),
            (&["-f-"], "invalid range with no endpoint: -"),
            (
                &["-c", "99999999999999999999999"],
                "byte/character offset \u{2018}99999999999999999999999\u{2019} is too large",
            ),
        ];
        for (args, msg) in cases {
            let mut argv = vec!["cut"];
            argv.extend_from_slice(args);
            argv.push("cf");
            check(
                &run(FILES, &argv, b"").await,
                "",
                &format!("cut: {msg}\n{hint}"),
                1,
            );
        }
        let c = run(FILES, &["cut", "-f1", "nope", "d", "cf"], b"").await;
        check(
            &c,
            "a:b:c\nnodelim\nx:y\n",
            "cut: nope: No such file or directory\ncut: d: Is a directory\n",
            1,
        );
    }
}
