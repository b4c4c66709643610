//! Searching one input: line splitting, selection, context, counts and GNU's binary-file rules.
//!
//! Input is read in blocks of 96 KiB, the buffer size GNU grep reads with, because GNU decides
//! that a file is binary (it contains a NUL byte) one buffer at a time: lines of earlier buffers
//! are printed normally, and from the buffer holding the first NUL on nothing more is printed
//! and `binary file matches` is reported instead. Lines that would be printed but are not valid
//! UTF-8 are suppressed the same way. Output for each block is gathered and written in one go.

use std::collections::VecDeque;
use std::io;

use mirage_core::{Output, Reader};
use tokio::io::AsyncBufReadExt;

use super::matcher::Matcher;

/// GNU grep's read size.
const BLOCK: usize = 96 * 1024;

/// What to do with binary files (`--binary-files`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryMode {
    /// Detect NUL bytes and encoding errors (the default).
    Binary,
    /// `-a`: treat everything as text.
    Text,
    /// `-I`: a binary file never matches.
    WithoutMatch,
}

/// Which file names to list instead of lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListMode {
    None,
    /// `-l`
    Matching,
    /// `-L`
    NonMatching,
}

/// Output settings shared by every input.
#[derive(Clone, Debug)]
pub struct ScanOpts {
    pub invert: bool,
    pub count: bool,
    pub list: ListMode,
    pub quiet: bool,
    pub only_matching: bool,
    pub line_number: bool,
    pub byte_offset: bool,
    pub with_filename: bool,
    /// `-Z`: a NUL after file names instead of `:`.
    pub null_after_name: bool,
    /// `-m`: stop after this many selected lines.
    pub max_count: Option<u64>,
    pub before: usize,
    pub after: usize,
    /// Any context option was given (even 0): groups are separated.
    pub context: bool,
    pub group_separator: Option<Vec<u8>>,
    pub binary: BinaryMode,
    /// Line terminator: `\n`, or NUL with `-z`.
    pub eol: u8,
    /// `-T`: numbers padded to `align_width` columns and a tab before the line.
    pub align_tabs: bool,
    /// GNU pads to the number of digits of the input's size (19 when unknown, as for pipes).
    pub align_width: usize,
}

impl ScanOpts {
    /// True when no lines are printed (GNU's `out_quiet`).
    fn out_quiet(&self) -> bool {
        self.quiet || self.count || self.list != ListMode::None
    }
}

/// State that spans inputs.
#[derive(Default)]
pub struct Shared {
    /// Some line was printed already (group separators go between groups of any files).
    pub used: bool,
}

/// What searching one input found.
pub struct Outcome {
    /// Selected lines.
    pub selected: u64,
    /// Binary data matched and was not printed (`binary file matches`).
    pub binary_matched: bool,
}

/// One buffered line of before-context.
struct Held {
    number: u64,
    offset: u64,
    text: Vec<u8>,
}

struct Scan<'a> {
    opts: &'a ScanOpts,
    name: &'a [u8],
    matcher: &'a mut Matcher,
    shared: &'a mut Shared,
    out: Vec<u8>,
    /// Number of the line being processed (1-based) and its byte offset.
    number: u64,
    offset: u64,
    held: VecDeque<Held>,
    /// Number of the last line output (context lines included), in this input.
    last_out: Option<u64>,
    /// Trailing context lines still to print.
    pending: usize,
    selected: u64,
    /// Set once a NUL was seen: lines are no longer printed.
    nul_binary: bool,
    selected_before_nul: u64,
    encoding_error_output: bool,
    /// Reading can stop.
    done: bool,
}

/// Searches `reader`, writing results to `out`. `name` is the display name of the input.
pub async fn scan(
    mut reader: Reader,
    name: &[u8],
    opts: &ScanOpts,
    matcher: &mut Matcher,
    shared: &mut Shared,
    out: &mut Output,
) -> io::Result<Outcome> {
    let mut s = Scan {
        opts,
        name,
        matcher,
        shared,
        out: Vec::new(),
        number: 0,
        offset: 0,
        held: VecDeque::new(),
        last_out: None,
        pending: 0,
        selected: 0,
        nul_binary: false,
        selected_before_nul: 0,
        encoding_error_output: false,
        done: opts.max_count == Some(0),
    };
    let mut data: Vec<u8> = Vec::new();
    let mut eof = false;
    while !s.done && !eof {
        let residue = data.len();
        eof = read_block(&mut reader, &mut data, BLOCK).await?;
        if opts.binary != BinaryMode::Text
            && opts.eol != 0
            && !s.nul_binary
            && memchr::memchr(0, &data[residue..]).is_some()
        {
            if opts.binary == BinaryMode::WithoutMatch {
                // A binary file never matches, whatever was found before.
                s.selected = 0;
                break;
            }
            s.nul_binary = true;
            s.selected_before_nul = s.selected;
        }
        if s.nul_binary {
            // GNU treats NUL bytes of binary data as line ends.
            for b in &mut data[residue..] {
                if *b == 0 {
                    *b = opts.eol;
                }
            }
        }
        let mut start = 0;
        while !s.done {
            let Some(i) = memchr::memchr(opts.eol, &data[start..]) else {
                break;
            };
            let end = start + i;
            s.line(&data[start..end], i + 1);
            start = end + 1;
        }
        data.drain(..start);
        if eof && !s.done && !data.is_empty() {
            let line = std::mem::take(&mut data);
            s.line(&line, line.len());
        }
        if !s.out.is_empty() {
            out.write_all(&s.out).await?;
            s.out.clear();
        }
    }
    s.finish(out).await?;
    let binary_matched = !opts.out_quiet()
        && (s.encoding_error_output || (s.nul_binary && s.selected > s.selected_before_nul));
    Ok(Outcome {
        selected: s.selected,
        binary_matched,
    })
}

/// Appends up to `size` more bytes to `data`; returns true at end of input.
async fn read_block(reader: &mut Reader, data: &mut Vec<u8>, size: usize) -> io::Result<bool> {
    let mut want = size;
    while want > 0 {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(true);
        }
        let n = chunk.len().min(want);
        data.extend_from_slice(&chunk[..n]);
        reader.consume(n);
        want -= n;
    }
    Ok(false)
}

impl Scan<'_> {
    /// Handles one line (without its terminator); `len` is its length in the input including
    /// the terminator.
    fn line(&mut self, text: &[u8], len: usize) {
        self.number += 1;
        let selected = self.matcher.is_match(text) != self.opts.invert;
        let limit_reached = self.opts.max_count.is_some_and(|m| self.selected >= m);
        if limit_reached {
            // After -m's last match only trailing context remains.
            if self.pending > 0 {
                self.pending -= 1;
                self.print_line(text, b'-');
            }
            if self.pending == 0 {
                self.done = true;
            }
        } else if selected {
            self.selected += 1;
            self.on_selected(text);
        } else if self.pending > 0 {
            self.pending -= 1;
            self.print_line(text, b'-');
        } else if self.opts.before > 0 && !self.opts.out_quiet() {
            self.hold(text);
        }
        self.offset += len as u64;
        if !self.done
            && self.opts.max_count.is_some_and(|m| self.selected >= m)
            && self.pending == 0
        {
            self.done = true;
        }
    }

    fn hold(&mut self, text: &[u8]) {
        if self.held.len() == self.opts.before {
            self.held.pop_front();
        }
        self.held.push_back(Held {
            number: self.number,
            offset: self.offset,
            text: text.to_vec(),
        });
    }

    fn on_selected(&mut self, text: &[u8]) {
        let opts = self.opts;
        if opts.quiet || opts.list != ListMode::None || (self.nul_binary && !opts.count) {
            self.done = true;
            return;
        }
        if opts.count {
            return;
        }
        // Leading context and the group separator.
        let held: Vec<Held> = self
            .held
            .drain(..)
            .filter(|h| self.last_out.is_none_or(|l| h.number > l))
            .collect();
        let first = held.first().map_or(self.number, |h| h.number);
        if opts.context
            && self.shared.used
            && self.last_out.is_none_or(|l| first != l + 1)
            && let Some(sep) = &opts.group_separator
        {
            self.out.extend_from_slice(sep);
            self.out.push(b'\n');
        }
        let (number, offset) = (self.number, self.offset);
        for h in held {
            self.number = h.number;
            self.offset = h.offset;
            self.print_line(&h.text, b'-');
        }
        self.number = number;
        self.offset = offset;
        if opts.only_matching {
            if !opts.invert {
                self.print_matches(text);
            }
            self.last_out = Some(self.number);
        } else {
            self.print_line(text, b':');
        }
        self.pending = opts.after;
        self.shared.used = true;
    }

    /// Prints a whole line (selected with `:`, context with `-`). Context lines print nothing
    /// under `-o` but still count as output for group separators.
    fn print_line(&mut self, text: &[u8], sep: u8) {
        if self.opts.only_matching {
            self.last_out = Some(self.number);
            return;
        }
        if self.has_encoding_errors(text) {
            self.encoding_error_output = true;
            return;
        }
        self.prefix(sep, self.offset, !text.is_empty());
        self.out.extend_from_slice(text);
        self.out.push(self.opts.eol);
        self.last_out = Some(self.number);
    }

    fn print_matches(&mut self, text: &[u8]) {
        let mut pos = 0;
        while pos <= text.len() {
            let Some((s, e)) = self.matcher.find(text, pos) else {
                break;
            };
            if e == s {
                pos = s + 1;
                continue;
            }
            let part = &text[s..e];
            if self.has_encoding_errors(part) {
                self.encoding_error_output = true;
            } else {
                self.prefix(b':', self.offset + s as u64, true);
                self.out.extend_from_slice(part);
                self.out.push(self.opts.eol);
            }
            pos = e;
        }
    }

    fn has_encoding_errors(&self, text: &[u8]) -> bool {
        self.opts.binary != BinaryMode::Text && std::str::from_utf8(text).is_err()
    }

    fn prefix(&mut self, sep: u8, offset: u64, nonempty: bool) {
        let opts = self.opts;
        let width = opts.align_width;
        let number = |n: u64| {
            if opts.align_tabs {
                format!("{n:>width$}")
            } else {
                n.to_string()
            }
        };
        if opts.with_filename {
            self.out.extend_from_slice(self.name);
            self.out.push(if opts.null_after_name { 0 } else { sep });
        }
        if opts.line_number {
            self.out.extend_from_slice(number(self.number).as_bytes());
            self.out.push(sep);
        }
        if opts.byte_offset {
            self.out.extend_from_slice(number(offset).as_bytes());
            self.out.push(sep);
        }
        if opts.align_tabs
            && (opts.with_filename || opts.line_number || opts.byte_offset)
            && nonempty
        {
            self.out.push(b'\t');
        }
    }

    /// Writes the per-input summary lines of `-c`, `-l` and `-L`.
    async fn finish(&mut self, out: &mut Output) -> io::Result<()> {
        let opts = self.opts;
        if opts.quiet {
            return Ok(());
        }
        let mut line = Vec::new();
        let name_end = |line: &mut Vec<u8>| line.push(if opts.null_after_name { 0 } else { b'\n' });
        match opts.list {
            ListMode::Matching if self.selected > 0 => {
                line.extend_from_slice(self.name);
                name_end(&mut line);
            }
            ListMode::NonMatching if self.selected == 0 => {
                line.extend_from_slice(self.name);
                name_end(&mut line);
            }
            ListMode::None if opts.count => {
                if opts.with_filename {
                    line.extend_from_slice(self.name);
                    line.push(if opts.null_after_name { 0 } else { b':' });
                }
                line.extend_from_slice(format!("{}\n", self.selected).as_bytes());
            }
            _ => {}
        }
        out.write_all(&line).await
    }
}
