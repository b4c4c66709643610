//! `head`: the first part of files (`-n [-]N`, `-c [-]N`, `-q`, `-v`, `-z`, legacy `-5`).
//! Reading stops as soon as enough has been printed, so `head -1` on a huge remote file fetches
//! one chunk. `-n -N`/`-c -N` hold back only the last N lines/bytes.

use std::collections::VecDeque;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, Output, Reader};
use tokio::io::AsyncBufReadExt;

use super::quoting::shell_quote;
use super::size::{HEAD_TAIL_SUFFIXES, parse_size};
use super::support::{
    CopyError, HELP, VERSION, display_name, first_digit_option, open_input, refuse_help,
    usage_error,
};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Head;

const SPEC: OptSpec = OptSpec {
    short: "c:n:qvz0123456789",
    long: &[
        LongOpt {
            name: "bytes",
            has_arg: HasArg::Required,
            key: "c",
        },
        LongOpt {
            name: "lines",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "quiet",
            has_arg: HasArg::No,
            key: "q",
        },
        LongOpt {
            name: "silent",
            has_arg: HasArg::No,
            key: "q",
        },
        LongOpt {
            name: "verbose",
            has_arg: HasArg::No,
            key: "v",
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
enum Headers {
    Auto,
    Never,
    Always,
}

#[derive(Clone, Copy, Debug)]
struct Settings {
    lines: bool,
    count: u64,
    /// `-n -N` / `-c -N`: print all but the last N.
    elide: bool,
    headers: Headers,
    delim: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lines: true,
            count: 10,
            elide: false,
            headers: Headers::Auto,
            delim: b'\n',
        }
    }
}

/// What went wrong while reading the command line: a message plus whether GNU adds the
/// `Try --help` hint.
struct ArgError {
    message: String,
    hint: bool,
}

fn count_error(lines: bool, value: &str, e: super::size::SizeError) -> ArgError {
    let what = if lines {
        "invalid number of lines"
    } else {
        "invalid number of bytes"
    };
    ArgError {
        message: e.message(what, value),
        hint: false,
    }
}

/// The legacy first argument `-NUM[bcklmqvz]...`; returns None when `arg` is not of that form.
fn parse_legacy(arg: &str, s: &mut Settings) -> Option<Result<(), ArgError>> {
    let body = arg.strip_prefix('-')?;
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let mut number = body[..digits].to_string();
    let mut multiplier = None;
    for c in body[digits..].chars() {
        match c {
            'c' => (s.lines, multiplier) = (false, None),
            'b' | 'k' | 'm' => (s.lines, multiplier) = (false, Some(c)),
            'l' => s.lines = true,
            'q' => s.headers = Headers::Never,
            'v' => s.headers = Headers::Always,
            'z' => s.delim = 0,
            other => {
                return Some(Err(ArgError {
                    message: format!("invalid trailing option -- {other}"),
                    hint: true,
                }));
            }
        }
    }
    if let Some(m) = multiplier {
        number.push(m);
    }
    Some(match parse_size(&number, HEAD_TAIL_SUFFIXES) {
        Ok(n) => {
            s.count = n;
            Ok(())
        }
        Err(e) => Err(count_error(s.lines, &number, e)),
    })
}

fn parse_settings(
    parsed: &crate::commands::getopt::Parsed,
    s: &mut Settings,
) -> Result<(), ArgError> {
    for opt in &parsed.opts {
        let value = opt.value.as_deref().unwrap_or_default();
        match opt.key.as_str() {
            key @ ("n" | "c") => {
                s.lines = key == "n";
                s.elide = value.starts_with('-');
                let number = value.strip_prefix('-').unwrap_or(value);
                s.count = parse_size(number, HEAD_TAIL_SUFFIXES)
                    .map_err(|e| count_error(s.lines, number, e))?;
            }
            "q" => s.headers = Headers::Never,
            "v" => s.headers = Headers::Always,
            "z" => s.delim = 0,
            d if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() => {
                return Err(ArgError {
                    message: format!("invalid trailing option -- {d}"),
                    hint: true,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reads the next buffered chunk, classifying failures as read errors.
async fn next_chunk(reader: &mut Reader) -> Result<Vec<u8>, CopyError> {
    let chunk = reader.fill_buf().await.map_err(CopyError::Read)?;
    let data = chunk.to_vec();
    reader.consume(data.len());
    Ok(data)
}

async fn put(out: &mut Output, data: &[u8]) -> Result<(), CopyError> {
    out.write_all(data).await.map_err(CopyError::Write)
}

/// The first `n` lines: scan each chunk for delimiters and stop at the n-th.
async fn first_lines(
    reader: &mut Reader,
    out: &mut Output,
    mut n: u64,
    delim: u8,
) -> Result<(), CopyError> {
    while n > 0 {
        let chunk = reader.fill_buf().await.map_err(CopyError::Read)?;
        if chunk.is_empty() {
            return Ok(());
        }
        let mut take = chunk.len();
        for pos in memchr::memchr_iter(delim, chunk) {
            n -= 1;
            if n == 0 {
                take = pos + 1;
                break;
            }
        }
        let data = chunk[..take].to_vec();
        reader.consume(take);
        put(out, &data).await?;
    }
    Ok(())
}

async fn first_bytes(reader: &mut Reader, out: &mut Output, mut n: u64) -> Result<(), CopyError> {
    while n > 0 {
        let chunk = reader.fill_buf().await.map_err(CopyError::Read)?;
        if chunk.is_empty() {
            return Ok(());
        }
        let take = chunk.len().min(usize::try_from(n).unwrap_or(usize::MAX));
        let data = chunk[..take].to_vec();
        reader.consume(take);
        n -= take as u64;
        put(out, &data).await?;
    }
    Ok(())
}

/// All but the last `n` bytes: bytes leave the window once more than `n` follow them.
async fn all_but_bytes(reader: &mut Reader, out: &mut Output, n: u64) -> Result<(), CopyError> {
    let mut window: VecDeque<u8> = VecDeque::new();
    loop {
        let data = next_chunk(reader).await?;
        if data.is_empty() {
            return Ok(());
        }
        window.extend(data);
        let excess = (window.len() as u64).saturating_sub(n);
        if excess > 0 {
            let emitted: Vec<u8> = window.drain(..excess as usize).collect();
            put(out, &emitted).await?;
        }
    }
}

/// All but the last `n` lines: complete lines wait in a queue of at most `n`.
async fn all_but_lines(
    reader: &mut Reader,
    out: &mut Output,
    n: u64,
    delim: u8,
) -> Result<(), CopyError> {
    let mut queue: VecDeque<Vec<u8>> = VecDeque::new();
    let mut partial = Vec::new();
    loop {
        let data = next_chunk(reader).await?;
        if data.is_empty() {
            // A final line without a delimiter still counts as a line to hold back.
            if !partial.is_empty() {
                queue.push_back(partial);
            }
            let mut emitted = Vec::new();
            while queue.len() as u64 > n {
                if let Some(line) = queue.pop_front() {
                    emitted.extend_from_slice(&line);
                }
            }
            return put(out, &emitted).await;
        }
        let mut start = 0;
        let mut emitted = Vec::new();
        for pos in memchr::memchr_iter(delim, &data) {
            partial.extend_from_slice(&data[start..=pos]);
            start = pos + 1;
            queue.push_back(std::mem::take(&mut partial));
            if queue.len() as u64 > n
                && let Some(line) = queue.pop_front()
            {
                emitted.extend_from_slice(&line);
            }
        }
        partial.extend_from_slice(&data[start..]);
        if n == 0 && !partial.is_empty() {
            emitted.extend_from_slice(&std::mem::take(&mut partial));
        }
        put(out, &emitted).await?;
    }
}

async fn head_one(reader: &mut Reader, out: &mut Output, s: &Settings) -> Result<(), CopyError> {
    match (s.lines, s.elide) {
        (true, false) => first_lines(reader, out, s.count, s.delim).await,
        (false, false) => first_bytes(reader, out, s.count).await,
        (true, true) => all_but_lines(reader, out, s.count, s.delim).await,
        (false, true) => all_but_bytes(reader, out, s.count).await,
    }
}

#[async_trait]
impl Command for Head {
    async fn run(&self, ctx: &mut CommandContext, mut args: Vec<String>) -> CommandResult {
        let mut s = Settings::default();
        if let Some(first) = args.first().cloned()
            && let Some(result) = parse_legacy(&first, &mut s)
        {
            if let Err(e) = result {
                return report_arg_error(ctx, e).await;
            }
            args.remove(0);
        }
        if let Some(d) = first_digit_option(&args, &SPEC) {
            return usage_error(ctx, &format!("invalid trailing option -- {d}"), 1).await;
        }
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        if let Err(e) = parse_settings(&parsed, &mut s) {
            return report_arg_error(ctx, e).await;
        }
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands
        };
        let headers = match s.headers {
            Headers::Auto => operands.len() > 1,
            Headers::Never => false,
            Headers::Always => true,
        };
        let mut status = 0;
        let mut first_header = true;
        for operand in &operands {
            let name = display_name(operand).to_string();
            let opened = open_input(ctx, operand).await;
            let read_failed_at_open =
                matches!(&opened, Err(e) if e.kind == ErrorKind::IsADirectory);
            if (opened.is_ok() || read_failed_at_open) && headers {
                let sep = if first_header { "" } else { "\n" };
                ctx.stdout
                    .write_all(format!("{sep}==> {name} <==\n").as_bytes())
                    .await?;
                first_header = false;
            }
            let mut reader = match opened {
                Ok(r) => r,
                Err(e) if read_failed_at_open => {
                    ctx.error(format!("error reading {}: {e}", shell_quote(&name, true)))
                        .await?;
                    status = 1;
                    continue;
                }
                Err(e) => {
                    ctx.error(format!(
                        "cannot open {} for reading: {e}",
                        shell_quote(&name, true)
                    ))
                    .await?;
                    status = 1;
                    continue;
                }
            };
            if let Err(e) = head_one(&mut reader, &mut ctx.stdout, &s).await {
                let e = e.into_read()?;
                ctx.error(format!("error reading {}: {e}", shell_quote(&name, true)))
                    .await?;
                status = 1;
            }
        }
        Ok(status)
    }
}

async fn report_arg_error(ctx: &mut CommandContext, e: ArgError) -> CommandResult {
    if e.hint {
        return usage_error(ctx, &e.message, 1).await;
    }
    ctx.error(&e.message).await?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run};

    const FILES: &[(&str, &[u8])] = &[("n5", b"1\n2\n3\n4\n5\n"), ("ab", b"a\nb"), ("d/", b"")];

    #[tokio::test]
    async fn lines_and_headers() {
        check(
            &run(FILES, &["head", "-n", "2", "n5", "ab"], b"").await,
            "==> n5 <==\n1\n2\n\n==> ab <==\na\nb",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-2", "n5"], b"").await,
            "1\n2\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-n", "-3", "n5"], b"").await,
            "1\n2\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-n", "-0", "n5"], b"").await,
            "1\n2\n3\n4\n5\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-n", "+2", "n5"], b"").await,
            "1\n2\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-n1", "-", "n5"], b"a\nb").await,
            "==> standard input <==\na\n\n==> n5 <==\n1\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-qn1", "n5", "ab"], b"").await,
            "1\na\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-vn1", "n5"], b"").await,
            "==> n5 <==\n1\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-v", "-q", "n5", "n5"], b"").await,
            "1\n2\n3\n4\n5\n1\n2\n3\n4\n5\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-n", "-1", "ab"], b"").await,
            "a\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn bytes() {
        check(
            &run(FILES, &["head", "-c", "3", "n5"], b"").await,
            "1\n2",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-c", "-3", "n5"], b"").await,
            "1\n2\n3\n4",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-5c", "n5"], b"").await,
            "1\n2\n3",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-c", "2", "-n", "1", "n5"], b"").await,
            "1\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-n1", "-c2", "n5"], b"").await,
            "1\n",
            "",
            0,
        );
        check(
            &run(FILES, &["head", "-z", "-n", "1"], b"a\0b\0c").await,
            "a\0",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn errors() {
        let c = run(FILES, &["head", "nope", "n5", "-n1"], b"").await;
        check(
            &c,
            "==> n5 <==\n1\n",
            "head: cannot open 'nope' for reading: No such file or directory\n",
            1,
        );
        let c = run(FILES, &["head", "-v", "d", "n5", "-n1"], b"").await;
        check(
            &c,
            "==> d <==\n\n==> n5 <==\n1\n",
            "head: error reading 'd': Is a directory\n",
            1,
        );
        check(
            &run(FILES, &["head", "-n", "x", "n5"], b"").await,
            "",
            "head: invalid number of lines: \u{2018}x\u{2019}\n",
            1,
        );
        check(
            &run(FILES, &["head", "-c", "-x", "n5"], b"").await,
            "",
            "head: invalid number of bytes: \u{2018}x\u{2019}\n",
            1,
        );
        check(
            &run(FILES, &["head", "-n", "99999999999999999999999", "n5"], b"").await,
            "",
            "head: invalid number of lines: \u{2018}99999999999999999999999\u{2019}: Value too large for defined data type\n",
            1,
        );
        let hint = "Try 'head --help' for more information.\n";
        check(
            &run(FILES, &["head", "-n", "3", "-5", "n5"], b"").await,
            "",
            &format!("head: invalid trailing option -- 5\n{hint}"),
            1,
        );
        check(
            &run(FILES, &["head", "-2x", "n5"], b"").await,
            "",
            &format!("head: invalid trailing option -- x\n{hint}"),
            1,
        );
        check(
            &run(FILES, &["head", ""], b"").await,
            "",
            "head: cannot open '' for reading: No such file or directory\n",
            1,
        );
    }

    #[tokio::test]
    async fn stops_reading_early() {
        // 2 MiB of lines; head -1 must return after the first chunk without error.
        let big = "x\n".repeat(1 << 20);
        let c = run(&[("big", big.as_bytes())], &["head", "-1", "big"], b"").await;
        check(&c, "x\n", "", 0);
    }
}
