//! `cat`: concatenate files (`-n -b -s -E -T -v -A -e -t -u`). Without formatting options the
//! bytes are copied chunk by chunk; with them a small state machine (carried across files, as in
//! GNU, so numbering and squeezing continue from one file to the next) rewrites each chunk.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};
use tokio::io::AsyncBufReadExt;

use super::quoting::shell_quote;
use super::support::{HELP, VERSION, refuse_help};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Cat;

const SPEC: OptSpec = OptSpec {
    short: "AbeEnstTuv",
    long: &[
        LongOpt {
            name: "show-all",
            has_arg: HasArg::No,
            key: "A",
        },
        LongOpt {
            name: "number-nonblank",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "show-ends",
            has_arg: HasArg::No,
            key: "E",
        },
        LongOpt {
            name: "number",
            has_arg: HasArg::No,
            key: "n",
        },
        LongOpt {
            name: "squeeze-blank",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "show-tabs",
            has_arg: HasArg::No,
            key: "T",
        },
        LongOpt {
            name: "show-nonprinting",
            has_arg: HasArg::No,
            key: "v",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, Default)]
struct Options {
    number: bool,
    number_nonblank: bool,
    squeeze: bool,
    show_ends: bool,
    show_tabs: bool,
    nonprinting: bool,
}

impl Options {
    fn plain(&self) -> bool {
        !(self.number
            || self.number_nonblank
            || self.squeeze
            || self.show_ends
            || self.show_tabs
            || self.nonprinting)
    }
}

/// The formatter's state, kept across files like GNU's `newlines`/line counter.
struct Formatter {
    opts: Options,
    /// Newlines seen since the last line with content: -1 inside a line, 0 at the start of a
    /// line that follows content, 1+ after blank lines.
    newlines: i32,
    line: u64,
    /// `-E` without `-v`: a CR that ended a chunk, shown as `^M` if a newline follows it.
    pending_cr: bool,
}

impl Formatter {
    fn new(opts: Options) -> Self {
        Formatter {
            opts,
            newlines: 0,
            line: 0,
            pending_cr: false,
        }
    }

    fn push_number(&mut self, out: &mut Vec<u8>) {
        self.line += 1;
        out.extend_from_slice(format!("{:>6}\t", self.line).as_bytes());
    }

    /// Formats one chunk of input into `out`.
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            let end = memchr::memchr(b'\n', input).unwrap_or(input.len());
            let (content, rest) = input.split_at(end);
            if !content.is_empty() {
                if self.pending_cr {
                    out.push(b'\r');
                    self.pending_cr = false;
                }
                if self.newlines >= 0 && (self.opts.number || self.opts.number_nonblank) {
                    self.push_number(out);
                }
                self.newlines = -1;
                self.push_content(content, !rest.is_empty(), out);
            }
            if rest.is_empty() {
                break;
            }
            self.newline(out);
            input = &rest[1..];
        }
    }

    fn newline(&mut self, out: &mut Vec<u8>) {
        self.newlines += 1;
        if self.newlines > 0 {
            if self.newlines >= 2 {
                self.newlines = 2;
                if self.opts.squeeze {
                    return;
                }
            }
            if self.opts.number && !self.opts.number_nonblank {
                self.push_number(out);
            }
        }
        if self.opts.show_ends {
            if self.pending_cr {
                out.extend_from_slice(b"^M");
                self.pending_cr = false;
            }
            out.push(b'$');
        }
        out.push(b'\n');
    }

    /// Writes a run of non-newline bytes; `newline_follows` says whether a newline comes
    /// right after it in this chunk. GNU 9.1 shows a CR before a newline as `^M` under `-E`.
    fn push_content(&mut self, content: &[u8], newline_follows: bool, out: &mut Vec<u8>) {
        let mut content = content;
        let mut cr_suffix = false;
        if self.opts.show_ends && !self.opts.nonprinting && content.last() == Some(&b'\r') {
            content = &content[..content.len() - 1];
            cr_suffix = true;
        }
        self.push_visible_run(content, out);
        if cr_suffix {
            if newline_follows {
                out.extend_from_slice(b"^M");
            } else {
                self.pending_cr = true;
            }
        }
    }

    /// A CR still pending at the very end of the input is printed as itself.
    fn finish(&mut self, out: &mut Vec<u8>) {
        if self.pending_cr {
            out.push(b'\r');
            self.pending_cr = false;
        }
    }

    fn push_visible_run(&self, content: &[u8], out: &mut Vec<u8>) {
        if !self.opts.nonprinting && !self.opts.show_tabs {
            out.extend_from_slice(content);
            return;
        }
        for &b in content {
            match b {
                b'\t' if self.opts.show_tabs => out.extend_from_slice(b"^I"),
                b'\t' => out.push(b),
                _ if self.opts.nonprinting => push_visible(b, out),
                _ => out.push(b),
            }
        }
    }
}

/// `-v` notation: `^X` for controls, `^?` for DEL, `M-` for bytes with the high bit set.
fn push_visible(b: u8, out: &mut Vec<u8>) {
    let low = if b >= 128 {
        out.extend_from_slice(b"M-");
        b - 128
    } else {
        b
    };
    match low {
        0..=31 => out.extend_from_slice(&[b'^', low + 64]),
        127 => out.extend_from_slice(b"^?"),
        _ => out.push(low),
    }
}

fn options_of(parsed: &crate::commands::getopt::Parsed) -> Options {
    let mut o = Options::default();
    for opt in &parsed.opts {
        match opt.key.as_str() {
            "A" => (o.nonprinting, o.show_ends, o.show_tabs) = (true, true, true),
            "b" => o.number_nonblank = true,
            "e" => (o.nonprinting, o.show_ends) = (true, true),
            "E" => o.show_ends = true,
            "n" => o.number = true,
            "s" => o.squeeze = true,
            "t" => (o.nonprinting, o.show_tabs) = (true, true),
            "T" => o.show_tabs = true,
            "v" => o.nonprinting = true,
            _ => {}
        }
    }
    o
}

/// Copies one input to stdout, formatting when options ask for it.
async fn copy(
    ctx: &mut CommandContext,
    reader: &mut Reader,
    fmt: &mut Option<Formatter>,
) -> std::io::Result<()> {
    let mut out = Vec::new();
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(());
        }
        let n = chunk.len();
        match fmt {
            None => ctx.stdout.write_all(chunk).await?,
            Some(f) => {
                out.clear();
                f.feed(chunk, &mut out);
                ctx.stdout.write_all(&out).await?;
            }
        }
        reader.consume(n);
    }
}

#[async_trait]
impl Command for Cat {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let opts = options_of(&parsed);
        let mut fmt = if opts.plain() {
            None
        } else {
            Some(Formatter::new(opts))
        };
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands
        };
        let mut status = 0;
        for operand in &operands {
            let mut reader = match super::support::open_input(ctx, operand).await {
                Ok(r) => r,
                Err(e) => {
                    // GNU cat writes each buffer as it goes, so earlier output precedes the
                    // message when both streams share a destination.
                    ctx.stdout.flush().await?;
                    ctx.error(format!("{}: {e}", shell_quote(operand, false)))
                        .await?;
                    status = 1;
                    continue;
                }
            };
            if let Err(e) = copy(ctx, &mut reader, &mut fmt).await {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return Err(e);
                }
                ctx.stdout.flush().await?;
                let e = mirage_core::FsError::from(e);
                ctx.error(format!("{}: {e}", shell_quote(operand, false)))
                    .await?;
                status = 1;
            }
        }
        if let Some(f) = &mut fmt {
            let mut out = Vec::new();
            f.finish(&mut out);
            ctx.stdout.write_all(&out).await?;
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run};

    const FILES: &[(&str, &[u8])] = &[
        ("f1", b"a"),
        ("f2", b"b\n\n\n\nc\n"),
        ("f3", b"\n\n"),
        ("d/", b""),
    ];

    #[tokio::test]
    async fn numbering_continues_across_files() {
        let c = run(FILES, &["cat", "-n", "f1", "f2", "f3"], b"").await;
        check(
            &c,
            "     1\tab\n     2\t\n     3\t\n     4\t\n     5\tc\n     6\t\n     7\t\n",
            "",
            0,
        );
        let c = run(FILES, &["cat", "-b", "f1", "f2", "f3"], b"").await;
        check(&c, "     1\tab\n\n\n\n     2\tc\n\n\n", "", 0);
        let c = run(FILES, &["cat", "-n", "-b", "f2"], b"").await;
        check(&c, "     1\tb\n\n\n\n     2\tc\n", "", 0);
    }

    #[tokio::test]
    async fn squeeze_across_files() {
        check(
            &run(FILES, &["cat", "-s", "f3", "f3", "f2"], b"").await,
            "\nb\n\nc\n",
            "",
            0,
        );
        check(
            &run(FILES, &["cat", "-sn", "f2", "f3"], b"").await,
            "     1\tb\n     2\t\n     3\tc\n     4\t\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn show_nonprinting() {
        let input = b"x\ty\x01\x7f\x80\x9f\xa0\xff\xc3\xa9\r\n";
        check(
            &run(FILES, &["cat", "-A"], input).await,
            "x^Iy^A^?M-^@M-^_M- M-^?M-CM-)^M$\n",
            "",
            0,
        );
        check(
            &run(FILES, &["cat", "-vT"], b"x\ty\n").await,
            "x^Iy\n",
            "",
            0,
        );
        check(
            &run(FILES, &["cat", "-e"], b"x\ty\n").await,
            "x\ty$\n",
            "",
            0,
        );
    }

    /// coreutils 9.1 shows CR LF as `^M$` under `-E`, also across files and chunks.
    #[tokio::test]
    async fn show_ends_marks_crlf() {
        let files: &[(&str, &[u8])] = &[
            ("crlf", b"alpha\r\nbeta\r\n"),
            ("cr", b"x\r"),
            ("lf", b"\ny\r"),
        ];
        check(
            &run(files, &["cat", "-E", "crlf"], b"").await,
            "alpha^M$\nbeta^M$\n",
            "",
            0,
        );
        check(
            &run(files, &["cat", "-E", "cr", "lf"], b"").await,
            "x^M$\ny\r",
            "",
            0,
        );
        check(
            &run(files, &["cat", "-E", "cr", "cr"], b"").await,
            "x\rx\r",
            "",
            0,
        );
        check(
            &run(files, &["cat", "-A", "crlf"], b"").await,
            "alpha^M$\nbeta^M$\n",
            "",
            0,
        );
        check(
            &run(files, &["cat", "-n"], b"a\r\n").await,
            "     1\ta\r\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn errors_continue() {
        let c = run(FILES, &["cat", "nope", "f1", "d"], b"").await;
        check(
            &c,
            "a",
            "cat: nope: No such file or directory\ncat: d: Is a directory\n",
            1,
        );
        let c = run(FILES, &["cat", "-z"], b"").await;
        check(
            &c,
            "",
            "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n",
            1,
        );
        let c = run(FILES, &["cat", "", "a b"], b"").await;
        check(
            &c,
            "",
            "cat: '': No such file or directory\ncat: 'a b': No such file or directory\n",
            1,
        );
    }

    #[tokio::test]
    async fn stdin_and_dash() {
        check(
            &run(FILES, &["cat", "f1", "-", "f1"], b"in\n").await,
            "ain\na",
            "",
            0,
        );
        check(
            &run(FILES, &["cat"], b"\xff\x00bin").await,
            "\u{fffd}\0bin",
            "",
            0,
        );
    }
}
