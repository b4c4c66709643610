//! `uniq`: report or omit repeated adjacent lines (`-c -d -D -u -i -f -s -w -z`,
//! `--all-repeated[=METHOD]`, `--group[=METHOD]`, obsolete `-N`/`+N`, and an OUTPUT operand).
//! Lines are read and written one at a time; the state is the previous line only.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError, Reader, WriteMode};
use tokio::io::AsyncBufReadExt;

use super::file_sink::FileSink;
use super::quoting::shell_quote;
use super::support::{HELP, VERSION, lquote, open_input, refuse_help, usage_error};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};

pub struct Uniq;

const SPEC: OptSpec = OptSpec {
    short: "0123456789Dcdf:is:uw:z",
    long: &[
        LongOpt {
            name: "count",
            has_arg: HasArg::No,
            key: "c",
        },
        LongOpt {
            name: "repeated",
            has_arg: HasArg::No,
            key: "d",
        },
        LongOpt {
            name: "all-repeated",
            has_arg: HasArg::Optional,
            key: "D",
        },
        LongOpt {
            name: "group",
            has_arg: HasArg::Optional,
            key: "group",
        },
        LongOpt {
            name: "ignore-case",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "unique",
            has_arg: HasArg::No,
            key: "u",
        },
        LongOpt {
            name: "skip-fields",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "skip-chars",
            has_arg: HasArg::Required,
            key: "s",
        },
        LongOpt {
            name: "check-chars",
            has_arg: HasArg::Required,
            key: "w",
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Delimit {
    None,
    Prepend,
    Separate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grouping {
    None,
    Prepend,
    Append,
    Separate,
    Both,
}

#[derive(Debug)]
struct Settings {
    skip_fields: usize,
    skip_chars: usize,
    check_chars: usize,
    output_unique: bool,
    output_first_repeated: bool,
    output_later_repeated: bool,
    count: bool,
    ignore_case: bool,
    delimit: Delimit,
    grouping: Grouping,
    delim: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            skip_fields: 0,
            skip_chars: 0,
            check_chars: usize::MAX,
            output_unique: true,
            output_first_repeated: true,
            output_later_repeated: false,
            count: false,
            ignore_case: false,
            delimit: Delimit::None,
            grouping: Grouping::None,
            delim: b'\n',
        }
    }
}

/// `xstrtoumax(s, NULL, 10, &n, "")` accepting overflow (saturated), as uniq's `size_opt`.
fn size_opt(s: &str) -> Option<usize> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(t.parse().unwrap_or(usize::MAX))
}

enum ArgError {
    /// `uniq: MESSAGE`, status 1.
    Plain(String),
    /// With the `Try` hint, status 1.
    Usage(String),
}

fn argmatch_error(value: &str, option: &str, valid: &[&str]) -> ArgError {
    let mut msg = format!(
        "invalid argument {} for {}\nValid arguments are:",
        lquote(value),
        lquote(option)
    );
    for v in valid {
        msg.push_str(&format!("\n  - {}", lquote(v)));
    }
    ArgError::Usage(msg)
}

fn pick<T: Copy>(value: &str, choices: &[(&str, T)]) -> Option<T> {
    if let Some((_, t)) = choices.iter().find(|(n, _)| *n == value) {
        return Some(*t);
    }
    let found: Vec<&(&str, T)> = choices
        .iter()
        .filter(|(n, _)| n.starts_with(value))
        .collect();
    (found.len() == 1 && !value.is_empty()).then(|| found[0].1)
}

/// Applies options in order; returns the (input, output) operands.
fn parse_settings(parsed: &Parsed, s: &mut Settings) -> Result<(String, String), ArgError> {
    let mut option_used = false;
    let mut obsolete_fields = false;
    for opt in &parsed.opts {
        let value = opt.value.as_deref().unwrap_or_default();
        match opt.key.as_str() {
            d if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() => {
                if !obsolete_fields {
                    s.skip_fields = 0;
                }
                let digit = usize::from(d.as_bytes()[0] - b'0');
                s.skip_fields = s
                    .skip_fields
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(digit))
                    .unwrap_or(usize::MAX);
                obsolete_fields = true;
            }
            "c" => {
                s.count = true;
                option_used = true;
            }
            "d" => {
                s.output_unique = false;
                option_used = true;
            }
            "D" => {
                s.output_unique = false;
                s.output_later_repeated = true;
                s.delimit = match &opt.value {
                    None => Delimit::None,
                    Some(v) => pick(
                        v,
                        &[
                            ("none", Delimit::None),
                            ("prepend", Delimit::Prepend),
                            ("separate", Delimit::Separate),
                        ],
                    )
                    .ok_or_else(|| {
                        argmatch_error(v, "--all-repeated", &["none", "prepend", "separate"])
                    })?,
                };
                option_used = true;
            }
            "group" => {
                s.grouping = match &opt.value {
                    None => Grouping::Separate,
                    Some(v) => pick(
                        v,
                        &[
                            ("prepend", Grouping::Prepend),
                            ("append", Grouping::Append),
                            ("separate", Grouping::Separate),
                            ("both", Grouping::Both),
                        ],
                    )
                    .ok_or_else(|| {
                        argmatch_error(v, "--group", &["prepend", "append", "separate", "both"])
                    })?,
                };
            }
            "f" => {
                obsolete_fields = false;
                s.skip_fields = size_opt(value).ok_or_else(|| {
                    ArgError::Plain(format!("{value}: invalid number of fields to skip"))
                })?;
            }
            "i" => s.ignore_case = true,
            "s" => {
                s.skip_chars = size_opt(value).ok_or_else(|| {
                    ArgError::Plain(format!("{value}: invalid number of bytes to skip"))
                })?
            }
            "u" => {
                s.output_first_repeated = false;
                option_used = true;
            }
            "w" => {
                s.check_chars = size_opt(value).ok_or_else(|| {
                    ArgError::Plain(format!("{value}: invalid number of bytes to compare"))
                })?
            }
            "z" => s.delim = 0,
            _ => {}
        }
    }
    let mut files: Vec<String> = Vec::new();
    for op in &parsed.operands {
        let skip = op
            .strip_prefix('+')
            .filter(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
        if let Some(n) = skip {
            s.skip_chars = n.parse().unwrap_or(usize::MAX);
        } else if files.len() == 2 {
            return Err(ArgError::Usage(format!("extra operand {}", lquote(op))));
        } else {
            files.push(op.clone());
        }
    }
    if s.grouping != Grouping::None && option_used {
        return Err(ArgError::Usage(
            "--group is mutually exclusive with -c/-d/-D/-u".into(),
        ));
    }
    if s.count && s.output_later_repeated {
        return Err(ArgError::Usage(
            "printing all duplicated lines and repeat counts is meaningless".into(),
        ));
    }
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let output = files.get(1).cloned().unwrap_or_else(|| "-".into());
    Ok((input, output))
}

fn is_field_sep(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

/// Where comparison starts in `line` (after skipped fields and characters).
fn find_field(line: &[u8], s: &Settings) -> usize {
    let mut i = 0;
    let mut count = 0;
    while count < s.skip_fields && i < line.len() {
        while i < line.len() && is_field_sep(line[i]) {
            i += 1;
        }
        while i < line.len() && !is_field_sep(line[i]) {
            i += 1;
        }
        count += 1;
    }
    i + s.skip_chars.min(line.len() - i)
}

fn different(a: &[u8], b: &[u8], s: &Settings) -> bool {
    let a = &a[..a.len().min(s.check_chars)];
    let b = &b[..b.len().min(s.check_chars)];
    if s.ignore_case {
        !a.eq_ignore_ascii_case(b)
    } else {
        a != b
    }
}

/// Where output goes: stdout, or a file written as lines come.
enum Dest {
    Stdout,
    File(FileSink),
}

struct Out<'a> {
    ctx: &'a mut CommandContext,
    dest: Dest,
    buf: Vec<u8>,
}

impl Out<'_> {
    async fn flush(&mut self) -> std::io::Result<bool> {
        let ok = match &mut self.dest {
            Dest::Stdout => {
                self.ctx.stdout.write_all(&self.buf).await?;
                true
            }
            Dest::File(sink) => self.buf.is_empty() || sink.write(&self.buf).await,
        };
        self.buf.clear();
        Ok(ok)
    }

    async fn maybe_flush(&mut self) -> std::io::Result<bool> {
        if self.buf.len() >= 64 * 1024 {
            self.flush().await
        } else {
            Ok(true)
        }
    }
}

async fn next_line(reader: &mut Reader, delim: u8, line: &mut Vec<u8>) -> std::io::Result<bool> {
    line.clear();
    let n = reader.read_until(delim, line).await?;
    if n == 0 {
        return Ok(false);
    }
    if line.last() == Some(&delim) {
        line.pop();
    }
    Ok(true)
}

fn write_line(out: &mut Vec<u8>, line: &[u8], matched: bool, match_count: u64, s: &Settings) {
    let wanted = if match_count == 0 {
        s.output_unique
    } else if !matched {
        s.output_first_repeated
    } else {
        s.output_later_repeated
    };
    if !wanted {
        return;
    }
    if s.count {
        out.extend_from_slice(format!("{:>7} ", match_count + 1).as_bytes());
    }
    out.extend_from_slice(line);
    out.push(s.delim);
}

/// GNU's `check_file` loop; returns false if the output file stopped accepting data.
async fn run_uniq(reader: &mut Reader, out: &mut Out<'_>, s: &Settings) -> std::io::Result<bool> {
    let mut this = Vec::new();
    let mut prev = Vec::new();
    if s.output_unique && s.output_first_repeated && !s.count {
        let mut have_prev = false;
        let mut first_group_printed = false;
        while next_line(reader, s.delim, &mut this).await? {
            let new_group = !have_prev
                || different(
                    &this[find_field(&this, s)..],
                    &prev[find_field(&prev, s)..],
                    s,
                );
            let separator = match s.grouping {
                Grouping::Prepend | Grouping::Both => true,
                Grouping::Append | Grouping::Separate => first_group_printed,
                Grouping::None => false,
            };
            if new_group && s.grouping != Grouping::None && separator {
                out.buf.push(s.delim);
            }
            if new_group || s.grouping != Grouping::None {
                out.buf.extend_from_slice(&this);
                out.buf.push(s.delim);
                std::mem::swap(&mut prev, &mut this);
                have_prev = true;
                first_group_printed = true;
            }
            if !out.maybe_flush().await? {
                return Ok(false);
            }
        }
        if matches!(s.grouping, Grouping::Both | Grouping::Append) && first_group_printed {
            out.buf.push(s.delim);
        }
        return Ok(true);
    }
    if !next_line(reader, s.delim, &mut prev).await? {
        return Ok(true);
    }
    let mut match_count: u64 = 0;
    let mut first_delimiter = true;
    while next_line(reader, s.delim, &mut this).await? {
        let matched = !different(
            &this[find_field(&this, s)..],
            &prev[find_field(&prev, s)..],
            s,
        );
        if matched {
            match_count = match_count.saturating_add(1);
        }
        if s.delimit != Delimit::None {
            if !matched {
                if match_count > 0 {
                    first_delimiter = false;
                }
            } else if match_count == 1
                && (s.delimit == Delimit::Prepend
                    || (s.delimit == Delimit::Separate && !first_delimiter))
            {
                out.buf.push(s.delim);
            }
        }
        if !matched || s.output_later_repeated {
            write_line(&mut out.buf, &prev, matched, match_count, s);
            std::mem::swap(&mut prev, &mut this);
            if !matched {
                match_count = 0;
            }
        }
        if !out.maybe_flush().await? {
            return Ok(false);
        }
    }
    write_line(&mut out.buf, &prev, false, match_count, s);
    Ok(true)
}

#[async_trait]
impl Command for Uniq {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let mut s = Settings::default();
        let (input, output) = match parse_settings(&parsed, &mut s) {
            Ok(files) => files,
            Err(ArgError::Plain(msg)) => {
                ctx.error(msg).await?;
                return Ok(1);
            }
            Err(ArgError::Usage(msg)) => return usage_error(ctx, &msg, 1).await,
        };
        let mut reader = match open_input(ctx, &input).await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!("{}: {e}", shell_quote(&input, false)))
                    .await?;
                return Ok(1);
            }
        };
        let dest = if output == "-" {
            Dest::Stdout
        } else {
            let path = ctx.path(&output);
            Dest::File(FileSink::open(ctx.fs.clone(), path, WriteMode::Truncate))
        };
        let mut out = Out {
            ctx,
            dest,
            buf: Vec::new(),
        };
        let result = run_uniq(&mut reader, &mut out, &s).await;
        let flushed = match &result {
            Ok(true) => out.flush().await?,
            _ => false,
        };
        let Out { ctx, dest, .. } = out;
        let file_result = match dest {
            Dest::File(sink) => sink.finish().await.map(|_| ()),
            Dest::Stdout => Ok(()),
        };
        if let Err(e) = file_result {
            ctx.error(format!("{}: {e}", shell_quote(&output, false)))
                .await?;
            return Ok(1);
        }
        match result {
            Ok(_) if flushed => Ok(0),
            Ok(_) => Ok(1),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(e),
            Err(e) => {
                let e = FsError::from(e);
                ctx.error(format!("error reading {}: {e}", shell_quote(&input, true)))
                    .await?;
                Ok(1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, fs_with, run};
    use crate::testing::run_argv;

    const FILES: &[(&str, &[u8])] = &[("uq", b"a\na\nb\nc\nc\nc\nd")];

    async fn uniq(args: &[&str], stdin: &str) -> String {
        let mut argv = vec!["uniq"];
        argv.extend_from_slice(args);
        let c = run(FILES, &argv, stdin.as_bytes()).await;
        assert_eq!((c.err().as_str(), c.status), ("", 0), "{args:?}");
        c.out()
    }

    #[tokio::test]
    async fn modes() {
        assert_eq!(uniq(&["uq"], "").await, "a\nb\nc\nd\n");
        assert_eq!(
            uniq(&["-c", "uq"], "").await,
            "      2 a\n      1 b\n      3 c\n      1 d\n"
        );
        assert_eq!(uniq(&["-d", "uq"], "").await, "a\nc\n");
        assert_eq!(uniq(&["-u", "uq"], "").await, "b\nd\n");
        assert_eq!(uniq(&["-D", "uq"], "").await, "a\na\nc\nc\nc\n");
        assert_eq!(uniq(&["-cd", "uq"], "").await, "      2 a\n      3 c\n");
        assert_eq!(uniq(&["-D", "-u", "uq"], "").await, "a\nc\nc\n");
        assert_eq!(uniq(&["-d", "-u", "uq"], "").await, "");
        assert_eq!(
            uniq(&["--all-repeated=separate", "uq"], "").await,
            "a\na\n\nc\nc\nc\n"
        );
        assert_eq!(
            uniq(&["--all-repeated=prepend", "uq"], "").await,
            "\na\na\n\nc\nc\nc\n"
        );
        assert_eq!(
            uniq(&["--group", "uq"], "").await,
            "a\na\n\nb\n\nc\nc\nc\n\nd\n"
        );
        assert_eq!(
            uniq(&["--group=both", "uq"], "").await,
            "\na\na\n\nb\n\nc\nc\nc\n\nd\n\n"
        );
        assert_eq!(
            uniq(&["--group=prepend", "uq"], "").await,
            "\na\na\n\nb\n\nc\nc\nc\n\nd\n"
        );
        assert_eq!(
            uniq(&["--group=append", "uq"], "").await,
            "a\na\n\nb\n\nc\nc\nc\n\nd\n\n"
        );
    }

    #[tokio::test]
    async fn comparing_parts() {
        assert_eq!(uniq(&["-f1"], "x a\ny a\nz b\n").await, "x a\nz b\n");
        assert_eq!(uniq(&["-1"], "x a\ny a\nz b\n").await, "x a\nz b\n");
        assert_eq!(uniq(&["-12"], "x a\ny a\nz b\n").await, "x a\n");
        assert_eq!(uniq(&["-s1"], "xa\nya\nzb\n").await, "xa\nzb\n");
        assert_eq!(uniq(&["+1"], "xa\nya\nzb\n").await, "xa\nzb\n");
        assert_eq!(uniq(&["-w1"], "ab\nac\nbc\n").await, "ab\nbc\n");
        assert_eq!(uniq(&["-i"], "A\na\nB\n").await, "A\nB\n");
        assert_eq!(uniq(&["-ic"], "A\na\nB\n").await, "      2 A\n      1 B\n");
        assert_eq!(uniq(&["-f1", "-c"], " a\n\ta\n").await, "      2  a\n");
        assert_eq!(uniq(&["-w2"], "a\u{e9}\na\u{e8}\n").await, "a\u{e9}\n");
        assert_eq!(uniq(&[], "a\na").await, "a\n");
        let c = run(FILES, &["uniq", "-z"], b"a\0a\0b").await;
        assert_eq!(c.stdout, b"a\0b\0");
    }

    #[tokio::test]
    async fn output_operand() {
        let fs = fs_with(FILES).await;
        check(
            &run_argv(fs.clone(), "/data", &["uniq", "uq", "out1"], b"").await,
            "",
            "",
            0,
        );
        check(
            &run_argv(fs, "/data", &["cat", "out1"], b"").await,
            "a\nb\nc\nd\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn errors() {
        let hint = "Try 'uniq --help' for more information.\n";
        check(
            &run(FILES, &["uniq", "-cD", "uq"], b"").await,
            "",
            &format!(
                "uniq: printing all duplicated lines and repeat counts is meaningless\n{hint}"
            ),
            1,
        );
        check(
            &run(FILES, &["uniq", "-f", "x", "uq"], b"").await,
            "",
            "uniq: x: invalid number of fields to skip\n",
            1,
        );
        check(
            &run(FILES, &["uniq", "-s", "-1", "uq"], b"").await,
            "",
            "uniq: -1: invalid number of bytes to skip\n",
            1,
        );
        check(
            &run(FILES, &["uniq", "-w", "x", "uq"], b"").await,
            "",
            "uniq: x: invalid number of bytes to compare\n",
            1,
        );
        check(
            &run(FILES, &["uniq", "uq", "o", "extra"], b"").await,
            "",
            &format!("uniq: extra operand \u{2018}extra\u{2019}\n{hint}"),
            1,
        );
        check(
            &run(FILES, &["uniq", "nope"], b"").await,
            "",
            "uniq: nope: No such file or directory\n",
            1,
        );
        check(
            &run(FILES, &["uniq", "--group", "-c", "uq"], b"").await,
            "",
            &format!("uniq: --group is mutually exclusive with -c/-d/-D/-u\n{hint}"),
            1,
        );
        let want = format!(
            "uniq: invalid argument \u{2018}x\u{2019} for \u{2018}--group\u{2019}\nValid arguments are:\n  - \u{2018}prepend\u{2019}\n  - \u{2018}append\u{2019}\n  - \u{2018}separate\u{2019}\n  - \u{2018}both\u{2019}\n{hint}"
        );
        check(
            &run(FILES, &["uniq", "--group=x", "uq"], b"").await,
            "",
            &want,
            1,
        );
        check(
            &run(FILES, &["uniq", "uq", "/data/no/dir"], b"").await,
            "",
            "uniq: /data/no/dir: No such file or directory\n",
            1,
        );
    }
}
