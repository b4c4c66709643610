//! Searching one input line by line and printing what ripgrep prints for it.

use std::collections::VecDeque;
use std::io;

use mirage_core::{Output, Reader};
use regex::bytes::{Regex, RegexBuilder};
use tokio::io::AsyncReadExt;

use super::options::{Case, Mode, Opts};

/// Bytes ripgrep looks at before deciding a file is binary (its buffer size).
const BINARY_PROBE: usize = 64 * 1024;

/// The compiled pattern(s).
pub struct Matcher {
    re: Option<Regex>,
    /// For `-w`: the pattern alone, to expand `-r` replacements against the word.
    inner: Option<Regex>,
    word: bool,
}

fn has_uppercase_literal(pat: &str) -> bool {
    let mut chars = pat.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            // An escape (`\W`, `\S`, `\B`, `\p{Lu}`...) is not a literal.
            if let Some(n) = chars.next()
                && (n == 'p' || n == 'P')
            {
                // `\p{Lu}` or the one-letter `\pL`.
                if chars.next() == Some('{') {
                    for c2 in chars.by_ref() {
                        if c2 == '}' {
                            break;
                        }
                    }
                }
            }
            continue;
        }
        if c.is_uppercase() {
            return true;
        }
    }
    false
}

/// ripgrep's text for a regex error, with its PCRE2 hint where it applies.
fn explain(e: regex::Error) -> String {
    let msg = e.to_string();
    if msg.contains("look-around") || msg.contains("backreferences are not supported") {
        format!(
            "{msg}\n\nConsider enabling PCRE2 with the --pcre2 flag, which can handle \
             backreferences\nand look-around."
        )
    } else {
        msg
    }
}

impl Matcher {
    pub fn new(patterns: &[String], opts: &Opts) -> Result<Matcher, String> {
        if patterns.is_empty() {
            return Ok(Matcher {
                re: None,
                inner: None,
                word: false,
            });
        }
        let parts: Vec<String> = patterns
            .iter()
            .map(|p| {
                if opts.fixed {
                    regex::escape(p)
                } else {
                    p.clone()
                }
            })
            .collect();
        let insensitive = match opts.case {
            Case::Sensitive => false,
            Case::Insensitive => true,
            Case::Smart => !parts.iter().any(|p| has_uppercase_literal(p)),
        };
        let joined = if parts.len() == 1 {
            parts[0].clone()
        } else {
            parts
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|")
        };
        // Check the pattern alone first so errors point into what the user typed.
        let build = |src: &str| {
            RegexBuilder::new(src)
                .case_insensitive(insensitive)
                .size_limit(100 * (1 << 20))
                .dfa_size_limit(1000 * (1 << 20))
                .build()
        };
        let inner = build(&joined).map_err(explain)?;
        let (re, inner) = if opts.word {
            let w = build(&format!(r"(?:^|\W)((?:{joined}))(?:$|\W)")).map_err(explain)?;
            (w, Some(inner))
        } else if opts.line {
            let l = build(&format!("^(?:{joined})$")).map_err(explain)?;
            (l, None)
        } else {
            (inner, None)
        };
        Ok(Matcher {
            re: Some(re),
            inner,
            word: opts.word,
        })
    }

    /// Byte ranges of the matches in `line` (which has no terminator), iterated as ripgrep
    /// does: after an empty match the search resumes one byte further, an empty match right
    /// after a match is skipped, and no match may start past the line's terminator (or at the
    /// very end of an unterminated last line).
    pub fn find_all(&self, line: &[u8], limit_one: bool, terminated: bool) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let Some(re) = &self.re else {
            return out;
        };
        let limit = if terminated {
            line.len() + 1
        } else {
            line.len()
        };
        let mut at = 0;
        let mut last_end = None;
        while at <= line.len() {
            let (s, e) = if self.word {
                match re.captures_at(line, at).and_then(|c| c.get(1)) {
                    Some(m) => (m.start(), m.end()),
                    None => break,
                }
            } else {
                match re.find_at(line, at) {
                    Some(m) => (m.start(), m.end()),
                    None => break,
                }
            };
            if s >= limit && !(s == 0 && e == 0) {
                break;
            }
            if s == e {
                at = e + 1;
                if last_end == Some(e) {
                    continue;
                }
            } else {
                at = e;
            }
            last_end = Some(e);
            out.push((s, e));
            if limit_one {
                break;
            }
        }
        out
    }

    pub fn is_match(&self, line: &[u8]) -> bool {
        match &self.re {
            Some(re) if !self.word => re.is_match(line),
            Some(_) => !self.find_all(line, true, true).is_empty(),
            None => false,
        }
    }

    /// The replacement text for the match at `range` of `line`.
    fn expand(&self, line: &[u8], range: (usize, usize), replacement: &str, out: &mut Vec<u8>) {
        let re = if self.word { &self.inner } else { &self.re };
        let Some(re) = re else {
            return;
        };
        let hay = if self.word {
            &line[range.0..range.1]
        } else {
            line
        };
        let start = if self.word { 0 } else { range.0 };
        if let Some(caps) = re.captures_at(hay, start) {
            caps.expand(replacement.as_bytes(), out);
        }
    }
}

/// State kept across inputs.
#[derive(Default)]
pub struct Shared {
    /// Some line was printed (for the `--` between context groups of different files).
    pub printed_lines: bool,
    /// Some file's output was printed (for the blank line between `--heading` groups).
    pub printed_file: bool,
}

/// What searching one input found.
#[derive(Default)]
pub struct Outcome {
    pub matched: bool,
}

pub struct Input<'a> {
    pub reader: Reader,
    pub display: &'a str,
    pub with_filename: bool,
    /// Named on the command line (binary files are searched, with a notice) rather than found
    /// by the walk (binary files are skipped).
    pub explicit: bool,
    /// Searched as a memory map (see `LineSource`).
    pub mmap: bool,
}

struct Printer<'a> {
    opts: &'a Opts,
    matcher: &'a Matcher,
    out: &'a mut Output,
    shared: &'a mut Shared,
    display: &'a str,
    with_filename: bool,
    line_numbers: bool,
    last_printed: Option<u64>,
    printed_here: bool,
    /// Byte offset of the current line in the input (for `-b`).
    line_offset: u64,
    /// Start of the match being printed with `-o` (for `-b`).
    match_start: usize,
}

impl Printer<'_> {
    /// `--heading` (which `--vimgrep` turns off) with file names shown.
    fn heading(&self) -> bool {
        self.opts.heading && !self.opts.vimgrep && self.with_filename
    }

    fn context_on(&self) -> bool {
        self.opts.before > 0 || self.opts.after > 0
    }

    async fn start_file(&mut self) -> io::Result<()> {
        if self.printed_here {
            return Ok(());
        }
        self.printed_here = true;
        if self.heading() {
            if self.shared.printed_file {
                self.out.write_all(b"\n").await?;
            }
            let mut head = self.display.as_bytes().to_vec();
            head.push(if self.opts.null { 0 } else { b'\n' });
            self.out.write_all(&head).await?;
        }
        self.shared.printed_file = true;
        Ok(())
    }

    /// The `--` between non-adjacent groups.
    async fn separator(&mut self, line_no: u64) -> io::Result<()> {
        if !self.context_on() {
            return Ok(());
        }
        let need = match self.last_printed {
            Some(last) => line_no > last + 1,
            None => self.shared.printed_lines && !self.heading(),
        };
        if need {
            self.out.write_all(b"--\n").await?;
        }
        Ok(())
    }

    fn prefix(&self, buf: &mut Vec<u8>, line_no: u64, column: Option<usize>, sep: u8) {
        if self.with_filename && !self.heading() {
            buf.extend_from_slice(self.display.as_bytes());
            buf.push(if self.opts.null { 0 } else { sep });
        }
        if self.line_numbers {
            buf.extend_from_slice(line_no.to_string().as_bytes());
            buf.push(sep);
        }
        if let Some(c) = column {
            buf.extend_from_slice((c + 1).to_string().as_bytes());
            buf.push(sep);
        }
        if self.opts.byte_offset {
            let at = self.line_offset + self.match_start as u64;
            buf.extend_from_slice(at.to_string().as_bytes());
            buf.push(sep);
        }
    }

    async fn context_line(&mut self, line_no: u64, text: &[u8]) -> io::Result<()> {
        self.start_file().await?;
        self.separator(line_no).await?;
        let mut buf = Vec::with_capacity(text.len() + 32);
        self.prefix(&mut buf, line_no, None, b'-');
        buf.extend_from_slice(text);
        buf.push(b'\n');
        self.out.write_all(&buf).await?;
        self.last_printed = Some(line_no);
        self.shared.printed_lines = true;
        Ok(())
    }

    async fn match_line(&mut self, line_no: u64, text: &[u8], terminated: bool) -> io::Result<()> {
        self.start_file().await?;
        self.separator(line_no).await?;
        let opts = self.opts;
        let ranges = if opts.invert {
            Vec::new()
        } else {
            self.matcher.find_all(text, false, terminated)
        };
        let mut buf = Vec::with_capacity(text.len() + 32);
        if opts.only_matching && !opts.invert && !ranges.is_empty() {
            for &(s, e) in &ranges {
                let col = opts.column.then_some(s);
                self.match_start = s;
                self.prefix(&mut buf, line_no, col, b':');
                match &opts.replace {
                    Some(r) => self.matcher.expand(text, (s, e), r, &mut buf),
                    None => buf.extend_from_slice(&text[s..e]),
                }
                buf.push(b'\n');
            }
        } else if opts.vimgrep && !opts.invert {
            for &(s, _) in &ranges {
                self.prefix(&mut buf, line_no, Some(s), b':');
                self.body(&mut buf, text, &ranges);
                buf.push(b'\n');
            }
        } else {
            let col = if opts.column {
                Some(ranges.first().map_or(0, |r| r.0))
            } else {
                None
            };
            self.prefix(&mut buf, line_no, col, b':');
            self.body(&mut buf, text, &ranges);
            buf.push(b'\n');
        }
        self.out.write_all(&buf).await?;
        self.last_printed = Some(line_no);
        self.shared.printed_lines = true;
        Ok(())
    }

    /// The line itself, or with `-r` its matches replaced.
    fn body(&self, buf: &mut Vec<u8>, text: &[u8], ranges: &[(usize, usize)]) {
        match &self.opts.replace {
            Some(r) if !ranges.is_empty() => {
                let mut at = 0;
                for &(s, e) in ranges {
                    buf.extend_from_slice(&text[at..s]);
                    self.matcher.expand(text, (s, e), r, buf);
                    at = e;
                }
                buf.extend_from_slice(&text[at..]);
            }
            _ => buf.extend_from_slice(text),
        }
    }
}

/// Lines of one input, read the way ripgrep reads them. A memory-mapped file (a command-line
/// file, when at most 10 paths are given and all are files) is one slice whose first 64 KiB
/// decide whether it is binary. Otherwise ripgrep's line buffer reads: through a BOM sniffer
/// whose first read returns 3 bytes, then one read at a time until the new bytes hold a line
/// terminator, checking each read for NUL. A binary file found by the walk (`quit`) stops
/// before the lines of the read that showed the NUL; a command-line one has its NULs turned
/// into line terminators and is reported as binary once something matches.
struct LineSource {
    reader: Reader,
    buf: Vec<u8>,
    pos: usize,
    abs: u64,
    eof: bool,
    detect: bool,
    quit: bool,
    mmap: bool,
    first: bool,
    binary_at: Option<u64>,
    quit_at: Option<u64>,
    /// Size of the line buffer (grows when a line does not fit).
    cap: usize,
    reads: u64,
}

impl LineSource {
    /// Reads more: like ripgrep's line buffer, one read at a time until the new bytes hold a
    /// line terminator. Files found by the walk go through ripgrep's BOM sniffer, whose first
    /// read returns 3 bytes; a command-line file is searched as one mapped slice whose first
    /// 64 KiB decide whether it is binary.
    async fn fill(&mut self) -> io::Result<()> {
        self.buf.drain(..self.pos);
        self.abs += self.pos as u64;
        self.pos = 0;
        let check_all = !self.mmap;
        loop {
            if self.buf.len() >= self.cap {
                self.cap *= 2;
            }
            let free = self.cap - self.buf.len();
            let want = if !self.mmap && self.reads == 0 {
                free.min(3)
            } else {
                free
            };
            self.reads += 1;
            let old = self.buf.len();
            self.buf.resize(old + want, 0);
            let mut filled = old;
            while filled < self.buf.len() {
                let n = self.reader.read(&mut self.buf[filled..]).await?;
                if n == 0 {
                    self.eof = true;
                    break;
                }
                filled += n;
            }
            self.buf.truncate(filled);
            if self.detect
                && (check_all || self.first)
                && let Some(i) = self.buf[old..].iter().position(|&b| b == 0)
            {
                let at = self.abs + (old + i) as u64;
                if self.binary_at.is_none() {
                    self.binary_at = Some(at);
                }
                if self.quit {
                    self.quit_at = Some(at);
                    return Ok(());
                }
                if !self.mmap {
                    for b in &mut self.buf[old..] {
                        if *b == 0 {
                            *b = b'\n';
                        }
                    }
                }
            }
            if self.eof || self.buf[old..].contains(&b'\n') {
                break;
            }
        }
        self.first = false;
        Ok(())
    }

    /// The next line with its terminator; false at the end (or when a binary window quits).
    async fn next_line(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            if self.quit_at.is_some() {
                return Ok(false);
            }
            let rest = &self.buf[self.pos..];
            if let Some(i) = rest.iter().position(|&b| b == b'\n') {
                out.clear();
                out.extend_from_slice(&rest[..=i]);
                self.pos += i + 1;
                return Ok(true);
            }
            if self.eof {
                if rest.is_empty() {
                    return Ok(false);
                }
                out.clear();
                out.extend_from_slice(rest);
                self.pos = self.buf.len();
                return Ok(true);
            }
            self.fill().await?;
        }
    }
}

/// Searches one input and prints its results.
pub async fn search(
    input: Input<'_>,
    opts: &Opts,
    matcher: &Matcher,
    out: &mut Output,
    shared: &mut Shared,
) -> io::Result<Outcome> {
    let mut src = LineSource {
        reader: input.reader,
        buf: Vec::new(),
        pos: 0,
        abs: 0,
        eof: false,
        detect: !opts.text,
        quit: !input.explicit,
        mmap: input.mmap,
        first: true,
        binary_at: None,
        quit_at: None,
        cap: BINARY_PROBE,
        reads: 0,
    };

    let line_numbers = opts.line_number.unwrap_or(false) || opts.column;
    let with_filename = input.with_filename;
    let mut p = Printer {
        opts,
        matcher,
        out,
        shared,
        display: input.display,
        with_filename,
        line_numbers,
        last_printed: None,
        printed_here: false,
        line_offset: 0,
        match_start: 0,
    };
    let print_lines = opts.mode == Mode::Lines && !opts.quiet;
    let mut before: VecDeque<(u64, u64, Vec<u8>)> = VecDeque::new();
    let mut next_offset: u64 = 0;
    let mut after_left = 0usize;
    let mut selected: u64 = 0;
    let mut match_count: u64 = 0;
    let mut reached_max = false;
    let mut line_no: u64 = 0;
    let mut buf = Vec::new();
    loop {
        if !src.next_line(&mut buf).await? {
            break;
        }
        line_no += 1;
        let terminated = buf.ends_with(b"\n");
        let line_offset = next_offset;
        next_offset += buf.len() as u64;
        p.line_offset = line_offset;
        p.match_start = 0;
        let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let is_match = matcher.is_match(text) != opts.invert;
        if is_match && !reached_max {
            selected += 1;
            if opts.mode == Mode::CountMatches {
                match_count += if opts.invert {
                    1
                } else {
                    matcher.find_all(text, false, terminated).len() as u64
                };
            }
            if opts.quiet || matches!(opts.mode, Mode::FilesWithMatches | Mode::FilesWithoutMatch) {
                break;
            }
            if print_lines {
                if let Some(at) = src.binary_at {
                    p.start_file().await?;
                    let mut msg = Vec::new();
                    if with_filename {
                        msg.extend_from_slice(input.display.as_bytes());
                        msg.extend_from_slice(b": ");
                    }
                    msg.extend_from_slice(
                        format!("binary file matches (found \"\\0\" byte around offset {at})\n")
                            .as_bytes(),
                    );
                    p.out.write_all(&msg).await?;
                    break;
                }
                while let Some((n, off, t)) = before.pop_front() {
                    p.line_offset = off;
                    p.context_line(n, &t).await?;
                }
                p.line_offset = line_offset;
                p.match_line(line_no, text, terminated).await?;
                after_left = opts.after;
            }
            if opts.max_count.is_some_and(|m| selected >= m) {
                reached_max = true;
                if after_left == 0 {
                    break;
                }
            }
        } else if print_lines && after_left > 0 {
            if is_match {
                p.match_line(line_no, text, terminated).await?;
            } else {
                p.context_line(line_no, text).await?;
            }
            after_left -= 1;
            if reached_max && after_left == 0 {
                break;
            }
        } else if reached_max {
            break;
        } else if print_lines && opts.before > 0 {
            if before.len() == opts.before {
                before.pop_front();
            }
            before.push_back((line_no, line_offset, text.to_vec()));
        }
    }
    if let Some(at) = src.quit_at {
        // A binary file found by the walk: what was printed stays, counts are dropped.
        if print_lines && selected > 0 {
            let mut msg = Vec::new();
            if with_filename {
                msg.extend_from_slice(input.display.as_bytes());
                msg.extend_from_slice(b": ");
            }
            msg.extend_from_slice(
                format!(
                    "WARNING: stopped searching binary file after match (found \"\\0\" byte \
                     around offset {at})\n"
                )
                .as_bytes(),
            );
            p.out.write_all(&msg).await?;
        }
        return Ok(Outcome {
            matched: print_lines && selected > 0,
        });
    }
    let outcome = Outcome {
        matched: selected > 0,
    };
    if opts.quiet {
        return Ok(outcome);
    }
    let term: &[u8] = if opts.null { b"\0" } else { b"\n" };
    match opts.mode {
        Mode::FilesWithMatches if selected > 0 => {
            let mut l = input.display.as_bytes().to_vec();
            l.extend_from_slice(term);
            p.out.write_all(&l).await?;
        }
        Mode::FilesWithoutMatch if selected == 0 => {
            let mut l = input.display.as_bytes().to_vec();
            l.extend_from_slice(term);
            p.out.write_all(&l).await?;
        }
        Mode::Count | Mode::CountMatches if selected > 0 || opts.include_zero => {
            let n = if opts.mode == Mode::Count {
                selected
            } else {
                match_count
            };
            let mut l = Vec::new();
            if with_filename {
                l.extend_from_slice(input.display.as_bytes());
                l.push(if opts.null { 0 } else { b':' });
            }
            l.extend_from_slice(n.to_string().as_bytes());
            l.push(b'\n');
            p.out.write_all(&l).await?;
        }
        _ => {}
    }
    Ok(outcome)
}
