//! `wc`: newline, word, character, byte and display-width counts (`-l -w -m -c -L`).
//!
//! Words, characters and widths follow coreutils 9.1 under C.UTF-8: a word is a run of
//! printable non-space characters (non-breaking spaces separate words too), non-printable
//! characters and invalid bytes neither start nor end a word, tabs advance to the next multiple
//! of 8 and `\r`/`\f` restart the line. Column widths follow GNU's rule: the digits of the total
//! size of the regular files named, at least 7 when a pipe or other non-file is read, and 1 for
//! a single count of a single input. `--files0-from=F` takes the NUL-separated names from F
//! (`-` = stdin); names read from a pipe get width 1, as GNU reads them one at a time.

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, MountTable, Reader, VPath,
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt};

use super::quoting::{quote_always, shell_quote};
use super::support::{HELP, VERSION, open_input, refuse_help};
use super::wcwidth::class_of;
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Wc;

const SPEC: OptSpec = OptSpec {
    short: "clLmw",
    long: &[
        LongOpt {
            name: "bytes",
            has_arg: HasArg::No,
            key: "c",
        },
        LongOpt {
            name: "chars",
            has_arg: HasArg::No,
            key: "m",
        },
        LongOpt {
            name: "lines",
            has_arg: HasArg::No,
            key: "l",
        },
        LongOpt {
            name: "files0-from",
            has_arg: HasArg::Required,
            key: "files0-from",
        },
        LongOpt {
            name: "max-line-length",
            has_arg: HasArg::No,
            key: "L",
        },
        LongOpt {
            name: "words",
            has_arg: HasArg::No,
            key: "w",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, Debug, Default)]
struct Which {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    max_len: bool,
}

impl Which {
    fn how_many(&self) -> usize {
        [self.lines, self.words, self.chars, self.bytes, self.max_len]
            .iter()
            .filter(|b| **b)
            .count()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    max_len: u64,
}

/// coreutils treats these as word separators besides `iswspace` (unless POSIXLY_CORRECT).
fn is_nbspace(c: u32) -> bool {
    matches!(c, 0xA0 | 0x2007 | 0x202F | 0x2060)
}

/// Streaming counter; bytes of a character split across chunks wait in `carry`.
#[derive(Default)]
struct Counter {
    counts: Counts,
    decode: bool,
    in_word: bool,
    line_pos: u64,
    carry: Vec<u8>,
}

impl Counter {
    fn new(which: Which) -> Self {
        Counter {
            decode: which.words || which.chars || which.max_len,
            ..Default::default()
        }
    }

    fn feed(&mut self, data: &[u8]) {
        self.counts.bytes += data.len() as u64;
        if !self.decode {
            self.counts.lines += memchr::memchr_iter(b'\n', data).count() as u64;
            return;
        }
        if self.carry.is_empty() {
            let rest = self.decode_some(data);
            self.carry.extend_from_slice(rest);
        } else {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(data);
            let rest = self.decode_some(&joined).to_vec();
            self.carry = rest;
        }
    }

    /// Counts everything decodable in `data`; returns an incomplete trailing sequence.
    fn decode_some<'a>(&mut self, mut data: &'a [u8]) -> &'a [u8] {
        while !data.is_empty() {
            match std::str::from_utf8(data) {
                Ok(s) => {
                    self.count_str(s);
                    return &[];
                }
                Err(e) => {
                    let (good, bad) = data.split_at(e.valid_up_to());
                    // `good` is valid UTF-8 by construction.
                    self.count_str(std::str::from_utf8(good).unwrap_or_default());
                    match e.error_len() {
                        // Invalid bytes count for nothing but bytes.
                        Some(n) => data = &bad[n..],
                        None => return bad,
                    }
                }
            }
        }
        &[]
    }

    fn separator(&mut self) {
        self.counts.words += u64::from(self.in_word);
        self.in_word = false;
    }

    fn end_line(&mut self) {
        self.counts.max_len = self.counts.max_len.max(self.line_pos);
        self.line_pos = 0;
    }

    fn count_str(&mut self, s: &str) {
        for c in s.chars() {
            self.counts.chars += 1;
            match c {
                '\n' => {
                    self.counts.lines += 1;
                    self.end_line();
                    self.separator();
                }
                '\r' | '\x0c' => {
                    self.end_line();
                    self.separator();
                }
                '\t' => {
                    self.line_pos += 8 - self.line_pos % 8;
                    self.separator();
                }
                ' ' => {
                    self.line_pos += 1;
                    self.separator();
                }
                '\x0b' => self.separator(),
                '!'..='~' => {
                    self.line_pos += 1;
                    self.in_word = true;
                }
                c if (c as u32) < 0x80 => {}
                c => {
                    let class = class_of(c as u32);
                    if class.printable {
                        self.line_pos += u64::from(class.width);
                        if class.space || is_nbspace(c as u32) {
                            self.separator();
                        } else {
                            self.in_word = true;
                        }
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Counts {
        // An incomplete sequence at the end is invalid: bytes only.
        self.end_line();
        self.separator();
        self.counts
    }
}

async fn count(reader: &mut Reader, which: Which) -> std::io::Result<Counts> {
    let mut counter = Counter::new(which);
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(counter.finish());
        }
        let n = chunk.len();
        counter.feed(chunk);
        reader.consume(n);
    }
}

fn format_counts(c: &Counts, which: Which, width: usize, name: Option<&str>) -> String {
    let mut fields = Vec::new();
    for (on, value) in [
        (which.lines, c.lines),
        (which.words, c.words),
        (which.chars, c.chars),
        (which.bytes, c.bytes),
        (which.max_len, c.max_len),
    ] {
        if on {
            fields.push(format!("{value:>width$}"));
        }
    }
    let mut line = fields.join(" ");
    if let Some(name) = name {
        line.push(' ');
        if name.contains('\n') {
            line.push_str(&shell_quote(name, false));
        } else {
            line.push_str(name);
        }
    }
    line.push('\n');
    line
}

/// What is known about an operand before reading it: its size if it is a regular file.
enum Probe {
    Regular(u64),
    Other,
    Failed,
}

async fn probe(fs: &MountTable, cwd: &VPath, operand: &str, stdin_size: Option<u64>) -> Probe {
    if operand == "-" {
        // A pipe gets at least 7 columns; a file redirected to stdin counts by its size.
        return stdin_size.map_or(Probe::Other, Probe::Regular);
    }
    if operand.is_empty() {
        return Probe::Failed;
    }
    match fs.stat(&cwd.join(operand)).await {
        Ok(st) if st.is_file() => st.size.map_or(Probe::Other, Probe::Regular),
        Ok(_) => Probe::Other,
        Err(_) => Probe::Failed,
    }
}

/// GNU's `compute_number_width`.
fn number_width(probes: &[Probe], single: bool) -> usize {
    if single || probes.is_empty() {
        return 1;
    }
    let mut minimum = 1;
    let mut total: u64 = 0;
    for p in probes {
        match p {
            Probe::Regular(size) => total = total.saturating_add(*size),
            Probe::Other => minimum = 7,
            Probe::Failed => {}
        }
    }
    total.to_string().len().max(minimum)
}

fn which_of(parsed: &crate::commands::getopt::Parsed) -> Which {
    let mut w = Which {
        lines: parsed.has("l"),
        words: parsed.has("w"),
        chars: parsed.has("m"),
        bytes: parsed.has("c"),
        max_len: parsed.has("L"),
    };
    if w.how_many() == 0 {
        (w.lines, w.words, w.bytes) = (true, true, true);
    }
    w
}

#[async_trait]
impl Command for Wc {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let which = which_of(&parsed);
        let files0 = parsed.last("files0-from").map(str::to_string);
        let mut streamed = false;
        let (named, operands) = match &files0 {
            Some(src) => {
                if let Some(extra) = parsed.operands.first() {
                    ctx.error(format!("extra operand {}", quote_always(extra)))
                        .await?;
                    ctx.stderr
                        .write_all(
                            b"file operands cannot be combined with --files0-from\n\
                              Try 'wc --help' for more information.\n",
                        )
                        .await?;
                    return Ok(1);
                }
                let mut list = Vec::new();
                let read = match open_input(ctx, src).await {
                    Ok(mut r) => r.read_to_end(&mut list).await.map_err(FsError::from),
                    Err(e) => Err(e),
                };
                if let Err(e) = read {
                    // GNU opens a directory fine and fails on the read.
                    let m = if e.kind == ErrorKind::IsADirectory {
                        format!("{}: read error: {e}", shell_quote(src, false))
                    } else {
                        format!("cannot open {} for reading: {e}", shell_quote(src, true))
                    };
                    ctx.error(m).await?;
                    return Ok(1);
                }
                streamed = if src == "-" {
                    ctx.stdin_size.is_none()
                } else {
                    src.starts_with("/dev/fd/")
                        || !matches!(ctx.fs.stat(&ctx.path(src)).await, Ok(st) if st.is_file())
                };
                let names: Vec<String> = if list.is_empty() {
                    Vec::new()
                } else {
                    let body = list.strip_suffix(b"\0").unwrap_or(&list);
                    body.split(|&b| b == 0)
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .collect()
                };
                (true, names)
            }
            None if parsed.operands.is_empty() => (false, vec!["-".to_string()]),
            None => (true, parsed.operands.clone()),
        };
        let mut probes = Vec::with_capacity(operands.len());
        for op in &operands {
            probes.push(probe(&ctx.fs, &ctx.cwd, op, ctx.stdin_size).await);
        }
        let width = if streamed {
            1
        } else {
            number_width(&probes, operands.len() == 1 && which.how_many() == 1)
        };
        let bytes_only = which.bytes && which.how_many() == 1;
        let mut total = Counts::default();
        let mut status = 0;
        for (i, (operand, probe)) in operands.iter().zip(&probes).enumerate() {
            if let Some(src) = &files0 {
                let bad = if operand.is_empty() {
                    Some(format!("{src}:{}: invalid zero-length file name", i + 1))
                } else if src == "-" && operand == "-" {
                    Some("when reading file names from stdin, no file name of '-' allowed".into())
                } else {
                    None
                };
                if let Some(m) = bad {
                    ctx.stdout.flush().await?;
                    ctx.error(m).await?;
                    status = 1;
                    continue;
                }
            }
            let result = match probe {
                Probe::Regular(size) if bytes_only && operand != "-" => Ok(Counts {
                    bytes: *size,
                    ..Counts::default()
                }),
                _ => count_operand(ctx, operand, which).await,
            };
            let counts = match result {
                Ok(c) => c,
                Err(e) => {
                    status = 1;
                    // GNU's error() flushes the counts printed so far first.
                    ctx.stdout.flush().await?;
                    if operand.is_empty() {
                        ctx.error("invalid zero-length file name").await?;
                        continue;
                    }
                    ctx.error(format!("{}: {e}", shell_quote(operand, false)))
                        .await?;
                    if e.kind != ErrorKind::IsADirectory {
                        continue;
                    }
                    Counts::default()
                }
            };
            total.lines += counts.lines;
            total.words += counts.words;
            total.chars += counts.chars;
            total.bytes += counts.bytes;
            total.max_len = total.max_len.max(counts.max_len);
            let name = named.then_some(operand.as_str());
            ctx.stdout
                .write_all(format_counts(&counts, which, width, name).as_bytes())
                .await?;
        }
        if operands.len() > 1 {
            ctx.stdout
                .write_all(format_counts(&total, which, width, Some("total")).as_bytes())
                .await?;
        }
        Ok(status)
    }
}

async fn count_operand(
    ctx: &mut CommandContext,
    operand: &str,
    which: Which,
) -> Result<Counts, FsError> {
    let mut reader = open_input(ctx, operand).await?;
    count(&mut reader, which).await.map_err(FsError::from)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run};

    const FILES: &[(&str, &[u8])] = &[
        ("n5", b"1\n2\n3\n4\n5\n"),
        ("ab", b"a\nb"),
        ("a b", b"x"),
        ("d/", b""),
    ];

    #[tokio::test]
    async fn widths_like_gnu() {
        check(
            &run(FILES, &["wc"], b"hi\n").await,
            "      1       1       3\n",
            "",
            0,
        );
        check(&run(FILES, &["wc", "-l"], b"hi\n").await, "1\n", "", 0);
        check(
            &run(FILES, &["wc", "-lw"], b"hi\n").await,
            "      1       1\n",
            "",
            0,
        );
        check(
            &run(FILES, &["wc", "n5"], b"").await,
            " 5  5 10 n5\n",
            "",
            0,
        );
        check(&run(FILES, &["wc", "-l", "n5"], b"").await, "5 n5\n", "", 0);
        check(
            &run(FILES, &["wc", "n5", "ab"], b"").await,
            " 5  5 10 n5\n 1  2  3 ab\n 6  7 13 total\n",
            "",
            0,
        );
        check(
            &run(FILES, &["wc", "-c", "n5", "ab"], b"").await,
            "10 n5\n 3 ab\n13 total\n",
            "",
            0,
        );
        check(
            &run(FILES, &["wc", "a b", "n5"], b"").await,
            " 0  1  1 a b\n 5  5 10 n5\n 5  6 11 total\n",
            "",
            0,
        );
        check(
            &run(FILES, &["wc", "-", "n5"], b"hi\n").await,
            "      1       1       3 -\n      5       5      10 n5\n      6       6      13 total\n",
            "",
            0,
        );
        check(
            &run(FILES, &["wc", "-lwmcL", "n5"], b"").await,
            " 5  5 10 10  1 n5\n",
            "",
            0,
        );
        check(
            &run(FILES, &["wc", "-L", "n5", "ab"], b"").await,
            " 1 n5\n 1 ab\n 1 total\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn errors() {
        let c = run(FILES, &["wc", "n5", "nope"], b"").await;
        check(
            &c,
            " 5  5 10 n5\n 5  5 10 total\n",
            "wc: nope: No such file or directory\n",
            1,
        );
        let c = run(FILES, &["wc", "nope", "n5"], b"").await;
        check(
            &c,
            " 5  5 10 n5\n 5  5 10 total\n",
            "wc: nope: No such file or directory\n",
            1,
        );
        let c = run(FILES, &["wc", "d", "n5"], b"").await;
        check(
            &c,
            "      0       0       0 d\n      5       5      10 n5\n      5       5      10 total\n",
            "wc: d: Is a directory\n",
            1,
        );
        check(
            &run(FILES, &["wc", "-l", "d"], b"").await,
            "0 d\n",
            "wc: d: Is a directory\n",
            1,
        );
        check(
            &run(FILES, &["wc", "", "n5"], b"").await,
            " 5  5 10 n5\n 5  5 10 total\n",
            "wc: invalid zero-length file name\n",
            1,
        );
        check(
            &run(FILES, &["wc", "a c"], b"").await,
            "",
            "wc: 'a c': No such file or directory\n",
            1,
        );
    }

    /// (input, `wc -lwmcL` output) recorded from GNU wc 9.1 under C.UTF-8.
    const CASES: &[(&[u8], &str)] = &[
        (b"\x01", "0 0 1 1 0"),
        (b"\xff", "0 0 0 1 0"),
        (b"a\x01b", "0 1 3 3 2"),
        (b"\x01 \x01", "0 0 3 3 1"),
        (b"\xc3", "0 0 0 1 0"),
        (b"a\x7f", "0 1 2 2 1"),
        (b"\xe2\x80\x83", "0 0 1 3 1"),
        (b"a\xc2\xa0b", "0 2 3 4 3"),
        (b"\xe4\xb8\xad\xe6\x96\x87", "0 1 2 6 4"),
        (b"ab\rc", "0 2 4 4 2"),
        (b"a\x0cb", "0 2 3 3 1"),
        (b"a\x0bb", "0 2 3 3 2"),
        (b"\t", "0 0 1 1 8"),
        (b"x\x08y", "0 1 3 3 2"),
        (b"\xcc\x81", "0 1 1 2 0"),
        (b"a\xe2\x80\x8bb", "0 1 3 5 2"),
        (b"a\xffb", "0 1 2 3 2"),
        (b"\xff a", "0 1 2 3 2"),
        (b"\xe2\x80a", "0 1 1 3 1"),
        (b"a\xe2\x80 b", "0 2 3 5 3"),
        (b"\xf0\x9f\x98\x80", "0 1 1 4 2"),
        (b"\xe2\x80\xa8", "0 0 1 3 0"),
        (b"a\xe2\x80\xafb", "0 2 3 5 3"),
        (b"a\xe2\x81\xa0b", "0 2 3 5 2"),
        (b"a\xe2\x80\x87b", "0 2 3 5 3"),
        (b"a\xe1\x9a\x80b", "0 2 3 5 3"),
        (b"a\xe2\x80\xa8b", "0 1 3 5 2"),
        (b"a\xe3\x80\x80b", "0 2 3 5 4"),
        (b"a\tb\n\xc3\xa9\xff x\r\n", "2 4 9 11 9"),
    ];

    #[tokio::test]
    async fn unicode_classes() {
        for (input, want) in CASES {
            let c = run(FILES, &["wc", "-lwmcL"], input).await;
            let got: Vec<String> = c.out().split_whitespace().map(str::to_string).collect();
            assert_eq!(got.join(" "), *want, "{input:?}");
        }
    }

    #[test]
    fn split_sequences_across_chunks() {
        use super::{Counter, Which};
        let which = Which {
            words: true,
            chars: true,
            ..Which::default()
        };
        let mut c = Counter::new(which);
        c.feed(b"a \xe4\xb8");
        c.feed(b"\xad b");
        let counts = c.finish();
        assert_eq!((counts.words, counts.chars, counts.bytes), (3, 5, 7));
    }
}
