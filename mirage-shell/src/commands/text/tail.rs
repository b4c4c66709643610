//! `tail`: the last part of files (`-n [+]N`, `-c [+]N`, `-q`, `-v`, `-z`, legacy `-5`/`+5`).
//!
//! A file whose size is known on a mount with ranged reads is read from the end, block by block,
//! so `tail` of a huge remote log fetches only its end. Other input (stdin, pipes, mounts
//! without ranged reads) is streamed, keeping only the chunks that can still hold the answer.

use std::collections::VecDeque;

use async_trait::async_trait;
use mirage_core::{
    ByteRange, Command, CommandContext, CommandResult, ErrorKind, FsError, MountTable, Output,
    Reader, VPath, collect_stream,
};
use tokio::io::AsyncBufReadExt;

use super::quoting::shell_quote;
use super::size::{HEAD_TAIL_SUFFIXES, SizeError, parse_size};
use super::support::{
    CopyError, HELP, VERSION, display_name, first_digit_option, open_input, refuse_help,
    unsupported,
};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};

pub struct Tail;

const SPEC: OptSpec = OptSpec {
    short: "c:n:fFqs:vz0123456789",
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
            name: "follow",
            has_arg: HasArg::Optional,
            key: "follow",
        },
        LongOpt {
            name: "retry",
            has_arg: HasArg::No,
            key: "retry",
        },
        LongOpt {
            name: "sleep-interval",
            has_arg: HasArg::Required,
            key: "s",
        },
        LongOpt {
            name: "pid",
            has_arg: HasArg::Required,
            key: "pid",
        },
        LongOpt {
            name: "max-unchanged-stats",
            has_arg: HasArg::Required,
            key: "max-unchanged-stats",
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

/// Block size for reading a file backwards.
const BLOCK: u64 = 64 * 1024;

#[derive(Clone, Copy, Debug)]
struct Settings {
    lines: bool,
    count: u64,
    /// `+N`: start at line/byte N instead of counting from the end.
    from_start: bool,
    headers: Option<bool>,
    delim: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lines: true,
            count: 10,
            from_start: false,
            headers: None,
            delim: b'\n',
        }
    }
}

fn count_error(lines: bool, value: &str, e: SizeError) -> String {
    e.message(
        if lines {
            "invalid number of lines"
        } else {
            "invalid number of bytes"
        },
        value,
    )
}

/// coreutils' `parse_obsolete_option`: `-N[bcl][f]` or `+N[bcl][f]` as the only option, with
/// at most one file operand. Returns None when the arguments are not in that form.
fn parse_legacy(args: &[String], s: &mut Settings) -> Option<Result<bool, String>> {
    let ok_shape = args.len() == 1
        || (args.len() == 2 && !(args[1].starts_with('-') && args[1].len() > 1))
        || ((2..=3).contains(&args.len()) && args[1] == "--");
    if !ok_shape {
        return None;
    }
    let arg = &args[0];
    let (from_start, body) = match arg.as_bytes().first() {
        Some(b'+') => (true, &arg[1..]),
        Some(b'-') => {
            let body = &arg[1..];
            let probe = if body.starts_with('c') {
                body.get(1..2)
            } else {
                body.get(0..1)
            };
            if probe.is_none_or(str::is_empty) {
                return None;
            }
            (false, body)
        }
        _ => return None,
    };
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = &body[digits..];
    let mut default_count = 10;
    let mut lines = true;
    match rest.as_bytes().first() {
        Some(b'b') => {
            default_count *= 512;
            lines = false;
            rest = &rest[1..];
        }
        Some(b'c') => {
            lines = false;
            rest = &rest[1..];
        }
        Some(b'l') => rest = &rest[1..],
        _ => {}
    }
    let follow = rest == "f";
    if !rest.is_empty() && !follow {
        return None;
    }
    let count = if digits == 0 {
        default_count
    } else {
        match parse_size(&body[..digits], "b") {
            Ok(n) => n,
            Err(_) => {
                return Some(Err(format!(
                    "invalid number: {}",
                    super::support::lquote(arg)
                )));
            }
        }
    };
    s.from_start = from_start;
    s.lines = lines;
    s.count = count;
    Some(Ok(follow))
}

/// Applies the parsed options; returns an unsupported option's name, or an error message.
fn parse_settings(parsed: &Parsed, s: &mut Settings) -> Result<Option<String>, String> {
    for opt in &parsed.opts {
        let value = opt.value.as_deref().unwrap_or_default();
        match opt.key.as_str() {
            key @ ("n" | "c") => {
                s.lines = key == "n";
                let number = match value.strip_prefix('-') {
                    Some(rest) => rest,
                    None => {
                        s.from_start |= value.starts_with('+');
                        value
                    }
                };
                s.count = parse_size(number, HEAD_TAIL_SUFFIXES)
                    .map_err(|e| count_error(s.lines, number, e))?;
            }
            "q" => s.headers = Some(false),
            "v" => s.headers = Some(true),
            "z" => s.delim = 0,
            "f" | "F" | "s" => return Ok(Some(format!("-{}", opt.key))),
            "follow" | "retry" | "pid" | "max-unchanged-stats" => {
                return Ok(Some(format!("--{}", opt.key)));
            }
            d if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() => {
                return Err(format!("option used in invalid context -- {d}"));
            }
            _ => {}
        }
    }
    Ok(None)
}

/// Where the last `n` lines of `data` start (a trailing delimiter does not open a new line).
fn last_lines_start(data: &[u8], n: u64, delim: u8) -> Option<usize> {
    let body = match data.last() {
        Some(&b) if b == delim => &data[..data.len() - 1],
        _ => data,
    };
    let mut seen = 0;
    for pos in memchr::memrchr_iter(delim, body) {
        seen += 1;
        if seen == n {
            return Some(pos + 1);
        }
    }
    None
}

async fn put(out: &mut Output, data: &[u8]) -> Result<(), CopyError> {
    out.write_all(data).await.map_err(CopyError::Write)
}

/// Streams `reader` keeping only the chunks the answer can come from, then prints the tail.
async fn tail_stream(reader: &mut Reader, out: &mut Output, s: &Settings) -> Result<(), CopyError> {
    if s.from_start {
        return skip_then_copy(reader, out, s).await;
    }
    if s.count == 0 {
        return Ok(());
    }
    let mut chunks: VecDeque<(Vec<u8>, u64)> = VecDeque::new();
    let mut held_units: u64 = 0;
    loop {
        let chunk = reader.fill_buf().await.map_err(CopyError::Read)?;
        if chunk.is_empty() {
            break;
        }
        let data = chunk.to_vec();
        reader.consume(data.len());
        let units = if s.lines {
            memchr::memchr_iter(s.delim, &data).count() as u64
        } else {
            data.len() as u64
        };
        held_units += units;
        chunks.push_back((data, units));
        // One delimiter beyond N is needed to know where the N-th last line starts.
        let need = if s.lines {
            s.count.saturating_add(1)
        } else {
            s.count
        };
        while chunks.len() > 1 && held_units - chunks[0].1 >= need {
            held_units -= chunks[0].1;
            chunks.pop_front();
        }
    }
    let data: Vec<u8> = chunks.into_iter().flat_map(|(c, _)| c).collect();
    let start = if s.lines {
        last_lines_start(&data, s.count, s.delim).unwrap_or(0)
    } else {
        data.len()
            .saturating_sub(usize::try_from(s.count).unwrap_or(usize::MAX))
    };
    put(out, &data[start..]).await
}

/// `+N`: drop the first N-1 lines or bytes, then copy the rest as it arrives.
async fn skip_then_copy(
    reader: &mut Reader,
    out: &mut Output,
    s: &Settings,
) -> Result<(), CopyError> {
    let mut skip = s.count.saturating_sub(1);
    loop {
        let chunk = reader.fill_buf().await.map_err(CopyError::Read)?;
        if chunk.is_empty() {
            return Ok(());
        }
        let mut from = 0;
        if skip > 0 {
            if s.lines {
                from = chunk.len();
                for pos in memchr::memchr_iter(s.delim, chunk) {
                    skip -= 1;
                    if skip == 0 {
                        from = pos + 1;
                        break;
                    }
                }
            } else {
                from = chunk.len().min(usize::try_from(skip).unwrap_or(usize::MAX));
                skip -= from as u64;
            }
        }
        let data = chunk[from..].to_vec();
        let n = chunk.len();
        reader.consume(n);
        put(out, &data).await?;
    }
}

/// Reads `[start, end)` of a file in full.
pub(crate) async fn read_range(
    fs: &MountTable,
    path: &VPath,
    start: u64,
    end: Option<u64>,
) -> Result<Vec<u8>, FsError> {
    let stream = fs.read(path, Some(ByteRange { start, end })).await?;
    collect_stream(stream).await
}

/// The tail of a file of known `size` through ranged reads, walking back block by block.
async fn tail_ranged(
    ctx: &mut CommandContext,
    path: &VPath,
    size: u64,
    s: &Settings,
) -> Result<(), CopyError> {
    let read_err = |e: FsError| CopyError::Read(e.into());
    if s.from_start {
        let start = s.count.saturating_sub(1);
        if !s.lines {
            let data = if start >= size {
                Vec::new()
            } else {
                read_range(&ctx.fs, path, start, None)
                    .await
                    .map_err(read_err)?
            };
            return put(&mut ctx.stdout, &data).await;
        }
        let mut reader = ctx.fs.open(path).await.map_err(read_err)?;
        return skip_then_copy(&mut reader, &mut ctx.stdout, s).await;
    }
    if s.count == 0 {
        return Ok(());
    }
    if !s.lines {
        let start = size.saturating_sub(s.count);
        let data = read_range(&ctx.fs, path, start, None)
            .await
            .map_err(read_err)?;
        return put(&mut ctx.stdout, &data).await;
    }
    let mut pos = size;
    let mut data: Vec<u8> = Vec::new();
    while pos > 0 {
        let from = pos.saturating_sub(BLOCK);
        let mut block = read_range(&ctx.fs, path, from, Some(pos))
            .await
            .map_err(read_err)?;
        pos = from;
        block.extend_from_slice(&data);
        data = block;
        if let Some(start) = last_lines_start(&data, s.count, s.delim) {
            return put(&mut ctx.stdout, &data[start..]).await;
        }
    }
    put(&mut ctx.stdout, &data).await
}

/// Whether `path` can be tailed from its end: a regular file of known size on a mount that
/// honours ranged reads.
pub(crate) async fn ranged_size(fs: &MountTable, path: &VPath) -> Result<Option<u64>, FsError> {
    let st = fs.stat(path).await?;
    if st.is_dir() {
        return Err(FsError::is_dir());
    }
    let ranged = fs
        .resolve(path)
        .is_some_and(|r| r.mount.resource.capabilities().ranged_read);
    Ok(if ranged { st.size } else { None })
}

#[async_trait]
impl Command for Tail {
    async fn run(&self, ctx: &mut CommandContext, mut args: Vec<String>) -> CommandResult {
        let mut s = Settings::default();
        match parse_legacy(&args, &mut s) {
            Some(Ok(true)) => return unsupported(ctx, "-f").await,
            Some(Ok(false)) => {
                args.remove(0);
            }
            Some(Err(msg)) => {
                ctx.error(msg).await?;
                return Ok(1);
            }
            None => {}
        }
        if let Some(d) = first_digit_option(&args, &SPEC) {
            ctx.error(format!("option used in invalid context -- {d}"))
                .await?;
            return Ok(1);
        }
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        match parse_settings(&parsed, &mut s) {
            Ok(Some(opt)) => return unsupported(ctx, &opt).await,
            Ok(None) => {}
            Err(msg) => {
                ctx.error(msg).await?;
                return Ok(1);
            }
        }
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands
        };
        let headers = s.headers.unwrap_or(operands.len() > 1);
        let mut status = 0;
        let mut first_header = true;
        for operand in &operands {
            let name = display_name(operand).to_string();
            match tail_operand(ctx, operand, &s, headers, &mut first_header).await? {
                Ok(()) => {}
                Err(Failure::Open(e)) => {
                    ctx.error(format!(
                        "cannot open {} for reading: {e}",
                        shell_quote(&name, true)
                    ))
                    .await?;
                    status = 1;
                }
                Err(Failure::Read(e)) => {
                    ctx.error(format!("error reading {}: {e}", shell_quote(&name, true)))
                        .await?;
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

/// Why one operand failed: GNU words open failures and read failures differently.
enum Failure {
    Open(FsError),
    Read(FsError),
}

impl Failure {
    /// Read failures become `Failure::Read`; write failures end the command.
    fn from_copy(e: CopyError) -> std::io::Result<Failure> {
        e.into_read().map(Failure::Read)
    }
}

/// Tails one operand. The outer error is a write failure (ends the command); the inner one is
/// this operand's failure (reported, and the command goes on).
async fn tail_operand(
    ctx: &mut CommandContext,
    operand: &str,
    s: &Settings,
    headers: bool,
    first_header: &mut bool,
) -> std::io::Result<Result<(), Failure>> {
    let name = display_name(operand).to_string();
    let copied = if operand == "-" || operand.is_empty() {
        let mut reader = match open_input(ctx, operand).await {
            Ok(r) => r,
            Err(e) => return Ok(Err(Failure::Open(e))),
        };
        write_header(ctx, headers, first_header, &name).await?;
        tail_stream(&mut reader, &mut ctx.stdout, s).await
    } else {
        let path = ctx.path(operand);
        match ranged_size(&ctx.fs, &path).await {
            Ok(size) => {
                write_header(ctx, headers, first_header, &name).await?;
                match size {
                    Some(size) => tail_ranged(ctx, &path, size, s).await,
                    None => match ctx.fs.open(&path).await {
                        Ok(mut reader) => tail_stream(&mut reader, &mut ctx.stdout, s).await,
                        Err(e) => return Ok(Err(Failure::Read(e))),
                    },
                }
            }
            Err(e) if e.kind == ErrorKind::IsADirectory => {
                write_header(ctx, headers, first_header, &name).await?;
                return Ok(Err(Failure::Read(e)));
            }
            Err(e) => return Ok(Err(Failure::Open(e))),
        }
    };
    match copied {
        Ok(()) => Ok(Ok(())),
        Err(e) => Failure::from_copy(e).map(Err),
    }
}

/// `==> NAME <==`, with a blank line before every header but the first.
async fn write_header(
    ctx: &mut CommandContext,
    headers: bool,
    first: &mut bool,
    name: &str,
) -> std::io::Result<()> {
    if !headers {
        return Ok(());
    }
    let sep = if *first { "" } else { "\n" };
    *first = false;
    ctx.stdout
        .write_all(format!("{sep}==> {name} <==\n").as_bytes())
        .await
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run};

    const FILES: &[(&str, &[u8])] = &[("n5", b"1\n2\n3\n4\n5\n"), ("ab", b"a\nb"), ("d/", b"")];

    /// Runs each case twice: on the file (ranged reads) and through stdin (streaming).
    async fn both(args: &[&str], file: &str, stdout: &str) {
        let mut argv = vec!["tail"];
        argv.extend_from_slice(args);
        argv.push(file);
        check(&run(FILES, &argv, b"").await, stdout, "", 0);
        let data = FILES
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(_, d)| *d)
            .unwrap_or_default();
        argv.pop();
        check(&run(FILES, &argv, data).await, stdout, "", 0);
    }

    #[tokio::test]
    async fn last_lines_and_bytes() {
        both(&["-n", "2"], "n5", "4\n5\n").await;
        both(&["-2"], "n5", "4\n5\n").await;
        both(&["+4"], "n5", "4\n5\n").await;
        both(&["-n", "+4"], "n5", "4\n5\n").await;
        both(&["-n", "-2"], "n5", "4\n5\n").await;
        both(&["-n", "0"], "n5", "").await;
        both(&["-n", "+0"], "n5", "1\n2\n3\n4\n5\n").await;
        both(&["-n", "1"], "ab", "b").await;
        both(&["-n", "2"], "ab", "a\nb").await;
        both(&["-n", "99"], "ab", "a\nb").await;
        both(&["-c", "3"], "n5", "\n5\n").await;
        both(&["-c", "+8"], "n5", "\n5\n").await;
        both(&["-3c"], "n5", "\n5\n").await;
        both(&["-2l"], "n5", "4\n5\n").await;
        both(&["-c", "99"], "ab", "a\nb").await;
        both(&["-c", "+99"], "ab", "").await;
        both(&["-n", "+2", "-c", "3"], "n5", "2\n3\n4\n5\n").await;
        both(&["-c", "3", "-n", "1"], "n5", "5\n").await;
    }

    #[tokio::test]
    async fn blank_last_line_and_zero() {
        check(
            &run(FILES, &["tail", "-n", "1"], b"a\nb\n\n").await,
            "\n",
            "",
            0,
        );
        check(
            &run(FILES, &["tail", "-z", "-n", "1"], b"a\0b\0c").await,
            "c",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn headers_and_errors() {
        check(
            &run(FILES, &["tail", "-n", "2", "n5", "ab"], b"").await,
            "==> n5 <==\n4\n5\n\n==> ab <==\na\nb",
            "",
            0,
        );
        let c = run(FILES, &["tail", "-n", "1", "nope", "d", "n5"], b"").await;
        check(
            &c,
            "==> d <==\n\n==> n5 <==\n5\n",
            "tail: cannot open 'nope' for reading: No such file or directory\ntail: error reading 'd': Is a directory\n",
            1,
        );
        check(
            &run(FILES, &["tail", "-2x", "n5"], b"").await,
            "",
            "tail: option used in invalid context -- 2\n",
            1,
        );
        check(
            &run(FILES, &["tail", "-5", "-n", "1", "n5"], b"").await,
            "",
            "tail: option used in invalid context -- 5\n",
            1,
        );
        check(
            &run(FILES, &["tail", "-1", "n5", "n5"], b"").await,
            "",
            "tail: option used in invalid context -- 1\n",
            1,
        );
        check(
            &run(FILES, &["tail", "-n", "x", "n5"], b"").await,
            "",
            "tail: invalid number of lines: \u{2018}x\u{2019}\n",
            1,
        );
        check(
            &run(FILES, &["tail", "-c", "+x", "n5"], b"").await,
            "",
            "tail: invalid number of bytes: \u{2018}+x\u{2019}\n",
            1,
        );
        check(
            &run(FILES, &["tail", "-f", "n5"], b"").await,
            "",
            "mirage: tail: unsupported option: -f\n",
            2,
        );
    }

    #[tokio::test]
    async fn long_file_from_the_end() {
        let mut big = String::new();
        for i in 0..50_000 {
            big.push_str(&format!("line {i}\n"));
        }
        let c = run(&[("big", big.as_bytes())], &["tail", "-n", "3", "big"], b"").await;
        check(&c, "line 49997\nline 49998\nline 49999\n", "", 0);
        let c = run(
            &[("big", big.as_bytes())],
            &["tail", "-n", "3"],
            big.as_bytes(),
        )
        .await;
        check(&c, "line 49997\nline 49998\nline 49999\n", "", 0);
        let c = run(
            &[("big", big.as_bytes())],
            &["tail", "-n", "20000", "big"],
            b"",
        )
        .await;
        assert_eq!(
            c.stdout.len(),
            big.lines().skip(30_000).map(|l| l.len() + 1).sum::<usize>()
        );
    }
}
