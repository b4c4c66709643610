//! `csplit`: split a file into pieces at line numbers (`N`) and regular-expression matches
//! (`/RE/[OFFSET]`, `%RE%[OFFSET]` to skip), each optionally repeated (`{N}`, `{*}`). Pieces are
//! written as PREFIX + suffix (`-f`, `-n`, `-b`) through the mount table and their byte counts
//! printed (unless `-s`). Like GNU, a failure removes the pieces again unless `-k`, and `-z`
//! drops empty pieces, `--suppress-matched` drops the line at each split. Input is read a line
//! at a time (only lines a negative offset may still need are held) and pieces are streamed to
//! their files.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::commands::text::file_sink::FileSink;
use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, MountTable, Reader, VPath,
    WriteMode,
};
use regex::bytes::Regex;
use tokio::io::AsyncBufReadExt;

use super::bre;
use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, quote_always, quote_if_needed};

pub struct Csplit;

const SPEC: OptSpec = OptSpec {
    short: "b:f:kn:sqz",
    long: &[
        LongOpt {
            name: "suffix-format",
            has_arg: HasArg::Required,
            key: "b",
        },
        LongOpt {
            name: "prefix",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "keep-files",
            has_arg: HasArg::No,
            key: "k",
        },
        LongOpt {
            name: "digits",
            has_arg: HasArg::Required,
            key: "n",
        },
        LongOpt {
            name: "quiet",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "silent",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "elide-empty-files",
            has_arg: HasArg::No,
            key: "z",
        },
        LongOpt {
            name: "suppress-matched",
            has_arg: HasArg::No,
            key: "suppress-matched",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

enum Kind {
    Line(u64),
    Regex { re: Regex, offset: i64, skip: bool },
}

struct Control {
    kind: Kind,
    repeat: u64,
    forever: bool,
    /// The operand as typed (for messages).
    arg: String,
}

/// A printf-style integer conversion for `-b`: flags, width, precision, one of `diuoxX`.
struct SuffixFormat {
    before: String,
    flags: String,
    width: usize,
    precision: Option<usize>,
    conv: char,
    after: String,
}

impl SuffixFormat {
    fn digits(n: usize) -> Self {
        SuffixFormat {
            before: String::new(),
            flags: "0".into(),
            width: n,
            precision: None,
            conv: 'd',
            after: String::new(),
        }
    }

    fn parse(s: &str) -> Result<Self, String> {
        let chars: Vec<char> = s.chars().collect();
        let mut found: Option<SuffixFormat> = None;
        let mut lit = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                lit.push(c);
                i += 1;
                continue;
            }
            if chars.get(i + 1) == Some(&'%') {
                lit.push('%');
                i += 2;
                continue;
            }
            if found.is_some() {
                return Err("too many % conversion specifications in suffix".into());
            }
            i += 1;
            let mut flags = String::new();
            while let Some(&f) = chars.get(i) {
                if "-#0'".contains(f) {
                    flags.push(f);
                    i += 1;
                } else {
                    break;
                }
            }
            let mut width = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                width = width.saturating_mul(10).saturating_add(d as usize);
                i += 1;
            }
            let mut precision = None;
            if chars.get(i) == Some(&'.') {
                i += 1;
                let mut p = 0usize;
                while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                    p = p.saturating_mul(10).saturating_add(d as usize);
                    i += 1;
                }
                precision = Some(p);
            }
            let Some(&conv) = chars.get(i) else {
                return Err("missing conversion specifier in suffix".into());
            };
            if !"diuoxX".contains(conv) {
                return Err(format!("invalid conversion specifier in suffix: {conv}"));
            }
            if flags.contains('#') && "diu".contains(conv) {
                return Err(format!(
                    "invalid flags in conversion specification: %#{conv}"
                ));
            }
            if width > 4096 || precision.is_some_and(|p| p > 4096) {
                return Err("invalid conversion specifier in suffix".into());
            }
            i += 1;
            found = Some(SuffixFormat {
                before: std::mem::take(&mut lit),
                flags,
                width,
                precision,
                conv,
                after: String::new(),
            });
        }
        match found {
            Some(mut f) => {
                f.after = lit;
                Ok(f)
            }
            None => Err("missing % conversion specification in suffix".into()),
        }
    }

    fn render(&self, n: u64) -> String {
        let alt = self.flags.contains('#');
        let mut digits = match self.conv {
            'o' => format!("{n:o}"),
            'x' => format!("{n:x}"),
            'X' => format!("{n:X}"),
            _ => n.to_string(),
        };
        if let Some(p) = self.precision {
            while digits.len() < p {
                digits.insert(0, '0');
            }
            if p == 0 && n == 0 {
                digits.clear();
            }
        }
        let mut prefix = String::new();
        if matches!(self.conv, 'd' | 'i') {
            if self.flags.contains('+') {
                prefix.push('+');
            } else if self.flags.contains(' ') {
                prefix.push(' ');
            }
        }
        if alt {
            match self.conv {
                'o' if !digits.starts_with('0') => digits.insert(0, '0'),
                'x' if n != 0 => prefix.push_str("0x"),
                'X' if n != 0 => prefix.push_str("0X"),
                _ => {}
            }
        }
        let len = prefix.len() + digits.len();
        let body = if len >= self.width {
            format!("{prefix}{digits}")
        } else if self.flags.contains('-') {
            format!("{prefix}{digits}{}", " ".repeat(self.width - len))
        } else if self.flags.contains('0') && self.precision.is_none() {
            format!("{prefix}{}{digits}", "0".repeat(self.width - len))
        } else {
            format!("{}{prefix}{digits}", " ".repeat(self.width - len))
        };
        format!("{}{body}{}", self.before, self.after)
    }
}

/// Parses a decimal as `xstrtoumax` does (leading blanks and one `+` allowed).
fn parse_unsigned(s: &str) -> Option<u64> {
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}');
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_patterns(args: &[String]) -> Result<Vec<Control>, String> {
    let mut out: Vec<Control> = Vec::new();
    let mut last_line = 0u64;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let kind = if arg.starts_with('/') || arg.starts_with('%') {
            let delim = arg.as_bytes()[0];
            let body = &arg[1..];
            let Some(close) = body.rfind(delim as char) else {
                return Err(format!(
                    "{arg}: closing delimiter '{}' missing",
                    delim as char
                ));
            };
            let pat = &body[..close];
            let rest = &body[close + 1..];
            let offset = if rest.is_empty() {
                0
            } else {
                let t = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}');
                let (neg, digits) = match t.as_bytes().first() {
                    Some(b'+') => (false, &t[1..]),
                    Some(b'-') => (true, &t[1..]),
                    _ => (false, t),
                };
                let strict = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                match digits.parse::<i64>().ok().filter(|_| strict) {
                    Some(v) if neg => -v,
                    Some(v) => v,
                    None => {
                        return Err(format!("{}: integer expected after delimiter", lquote(arg)));
                    }
                }
            };
            let re = match bre::compile(pat.as_bytes(), false) {
                Ok(r) => r,
                Err(e) => {
                    let e = if e.starts_with("Unmatched [") {
                        "Invalid regular expression".to_string()
                    } else {
                        e
                    };
                    return Err(format!("{}: invalid regular expression: {e}", lquote(arg)));
                }
            };
            Kind::Regex {
                re,
                offset,
                skip: delim == b'%',
            }
        } else {
            let Some(n) = parse_unsigned(arg) else {
                return Err(format!("{}: invalid pattern", lquote(arg)));
            };
            if n == 0 {
                return Err(format!("{arg}: line number must be greater than zero"));
            }
            if n < last_line {
                return Err(format!(
                    "line number {} is smaller than preceding line number, {last_line}",
                    lquote(arg)
                ));
            }
            if n == last_line {
                // A warning only; printed by the caller in order.
                out.push(Control {
                    kind: Kind::Line(n),
                    repeat: 0,
                    forever: false,
                    arg: format!("\u{0}warn{arg}"),
                });
            } else {
                out.push(Control {
                    kind: Kind::Line(n),
                    repeat: 0,
                    forever: false,
                    arg: arg.clone(),
                });
            }
            last_line = n;
            i += 1;
            if let Some(next) = args.get(i)
                && next.starts_with('{')
            {
                parse_repeat(next, out.last_mut())?;
                i += 1;
            }
            continue;
        };
        out.push(Control {
            kind,
            repeat: 0,
            forever: false,
            arg: arg.clone(),
        });
        i += 1;
        if let Some(next) = args.get(i)
            && next.starts_with('{')
        {
            parse_repeat(next, out.last_mut())?;
            i += 1;
        }
    }
    Ok(out)
}

fn parse_repeat(s: &str, control: Option<&mut Control>) -> Result<(), String> {
    let Some(c) = control else {
        return Ok(());
    };
    if s.len() < 2 || !s.ends_with('}') {
        return Err(format!("{}: '}}' is required in repeat count", lquote(s)));
    }
    let inner = &s[1..s.len() - 1];
    if inner == "*" {
        c.forever = true;
        return Ok(());
    }
    match parse_unsigned(inner).filter(|&v| v <= i64::MAX as u64) {
        Some(v) => {
            c.repeat = v;
            Ok(())
        }
        None => Err(format!(
            "{}}}: integer required between '{{' and '}}'",
            lquote(&s[..s.len() - 1])
        )),
    }
}

/// Why the run stopped early.
enum Stop {
    /// A message, then clean up the pieces (unless `-k`), status 1.
    Fatal(String),
    /// A message, leaving the files as they are (GNU's `input disappeared`), status 1.
    Die(String),
}

/// Bytes gathered before a chunk is sent to the piece's writer.
const CHUNK: usize = 64 * 1024;

/// A piece being written through a [`FileSink`], so a piece never has to be held whole.
struct Piece {
    name: String,
    path: VPath,
    sink: FileSink,
    pending: Vec<u8>,
    size: u64,
}

impl Piece {
    fn open(fs: Arc<MountTable>, name: String, path: VPath) -> Self {
        let sink = FileSink::open(fs, path.clone(), WriteMode::Truncate);
        Piece {
            name,
            path,
            sink,
            pending: Vec::new(),
            size: 0,
        }
    }

    async fn send_pending(&mut self) {
        if !self.pending.is_empty() {
            // A stopped writer is reported by `finish`.
            self.sink.write(&self.pending).await;
            self.pending.clear();
        }
    }

    async fn save(&mut self, line: &[u8]) {
        self.pending.extend_from_slice(line);
        self.size += line.len() as u64;
        if self.pending.len() >= CHUNK {
            self.send_pending().await;
        }
    }

    async fn finish(mut self) -> Result<u64, FsError> {
        self.send_pending().await;
        self.sink.finish().await.map(|_| self.size)
    }
}

struct Splitter {
    reader: Reader,
    eof: bool,
    /// Lines read but not yet written or dropped; the first is line `first_no`.
    buf: VecDeque<Vec<u8>>,
    first_no: u64,
    /// GNU's `current_line` (1-based, 0 before any).
    current: u64,
    suffix: SuffixFormat,
    prefix: String,
    quiet: bool,
    elide: bool,
    suppress: bool,
    fs: Arc<MountTable>,
    cwd: VPath,
    piece: Option<Piece>,
    created: Vec<String>,
}

impl Splitter {
    /// Reads one more line into the buffer; false at the end of the input.
    async fn load_one(&mut self) -> bool {
        if self.eof {
            return false;
        }
        let mut line = Vec::new();
        match self.reader.read_until(b'\n', &mut line).await {
            Ok(n) if n > 0 => {
                self.buf.push_back(line);
                true
            }
            _ => {
                self.eof = true;
                false
            }
        }
    }

    /// Whether line `n` (1-based) matches, reading ahead as needed; `None` past the end.
    async fn line_matches(&mut self, n: u64, re: &Regex) -> Option<bool> {
        while self.first_no + (self.buf.len() as u64) <= n {
            if !self.load_one().await {
                return None;
            }
        }
        let idx = usize::try_from(n.checked_sub(self.first_no)?).ok()?;
        let line = self.buf.get(idx)?;
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        Some(re.is_match(text))
    }

    async fn no_more_lines(&mut self) -> bool {
        self.buf.is_empty() && !self.load_one().await
    }

    fn open_piece(&mut self) {
        let name = format!(
            "{}{}",
            self.prefix,
            self.suffix.render(self.created.len() as u64)
        );
        let path = self.cwd.join(&name);
        self.piece = Some(Piece::open(self.fs.clone(), name, path));
    }

    /// GNU's remove_line: takes the first buffered line (reading one if needed).
    async fn take_line(&mut self) -> Option<Vec<u8>> {
        if self.buf.is_empty() && !self.load_one().await {
            return None;
        }
        let l = self.buf.pop_front()?;
        self.first_no += 1;
        // The current line is at least the last one taken.
        self.current = self.current.max(self.first_no - 1);
        Some(l)
    }

    async fn save(&mut self, line: &[u8]) {
        if let Some(p) = self.piece.as_mut() {
            p.save(line).await;
        }
    }

    async fn close_piece(&mut self, ctx: &mut CommandContext) -> std::io::Result<Result<(), Stop>> {
        let Some(piece) = self.piece.take() else {
            return Ok(Ok(()));
        };
        let name = piece.name.clone();
        let path = piece.path.clone();
        let size = match piece.finish().await {
            Ok(n) => n,
            Err(e) => {
                return Ok(Err(Stop::Die(format!("{}: {e}", quote_if_needed(&name)))));
            }
        };
        if self.elide && size == 0 {
            let _ = self.fs.remove_file(&path).await;
            return Ok(Ok(()));
        }
        self.created.push(name);
        if !self.quiet {
            ctx.stdout.write_all(format!("{size}\n").as_bytes()).await?;
        }
        Ok(Ok(()))
    }

    fn line_error(c: &Control, n: u64, repetition: u64) -> Stop {
        let _ = c;
        let mut m = format!("{}: line number out of range", lquote(&n.to_string()));
        if repetition > 0 {
            m.push_str(&format!(" on repetition {repetition}"));
        }
        Stop::Fatal(m)
    }

    async fn process_line(&mut self, c: &Control, n: u64, repetition: u64) -> Result<(), Stop> {
        let last = n.saturating_mul(repetition + 1);
        self.open_piece();
        if self.no_more_lines().await {
            if self.suppress {
                return Err(Self::line_error(c, n, repetition));
            }
            return Err(Stop::Die("input disappeared".into()));
        }
        let mut linenum = self.first_no;
        while linenum < last {
            linenum += 1;
            let Some(line) = self.take_line().await else {
                return Err(Self::line_error(c, n, repetition));
            };
            self.save(&line).await;
        }
        Ok(())
    }

    async fn process_regex(
        &mut self,
        c: &Control,
        re: &Regex,
        offset: i64,
        skip: bool,
        repetition: u64,
    ) -> Result<Option<()>, Stop> {
        if !skip {
            self.open_piece();
        }
        let not_found = |c: &Control| {
            let mut m = format!("{}: match not found", lquote(&c.arg));
            if repetition > 0 {
                m.push_str(&format!(" on repetition {repetition}"));
            }
            m
        };
        loop {
            self.current += 1;
            let Some(matched) = self.line_matches(self.current, re).await else {
                if c.forever {
                    if !skip {
                        self.dump_rest().await;
                    }
                    // Signals "stop successfully" to the caller.
                    return Ok(None);
                }
                if !skip {
                    self.dump_rest().await;
                }
                return Err(Stop::Fatal(not_found(c)));
            };
            if matched {
                break;
            }
            if offset >= 0
                && let Some(l) = self.take_line().await
                && !skip
            {
                self.save(&l).await;
            }
        }
        let break_line = self.current as i128 + offset as i128;
        let range_err = || Stop::Fatal(format!("{}: line number out of range", lquote(&c.arg)));
        let first_line = self.first_no as i128;
        if first_line > break_line {
            return Err(range_err());
        }
        for _ in 0..(break_line - first_line) {
            let Some(l) = self.take_line().await else {
                return Err(range_err());
            };
            if !skip {
                self.save(&l).await;
            }
        }
        if offset > 0 {
            self.current = break_line as u64;
        }
        Ok(Some(()))
    }

    async fn dump_rest(&mut self) {
        while let Some(l) = self.take_line().await {
            self.save(&l).await;
        }
    }
}

#[async_trait]
impl Command for Csplit {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut digits = 2usize;
        let mut format: Option<String> = None;
        for o in &parsed.opts {
            let v = o.value.as_deref().unwrap_or("");
            match o.key.as_str() {
                "n" => match parse_unsigned(v).and_then(|n| usize::try_from(n).ok()) {
                    Some(n) if n <= 4096 => digits = n,
                    _ => {
                        ctx.error(format!("invalid number: {}", lquote(v))).await?;
                        return Ok(1);
                    }
                },
                "b" => format = Some(v.to_string()),
                _ => {}
            }
        }
        let suffix = match &format {
            Some(f) => match SuffixFormat::parse(f) {
                Ok(s) => s,
                Err(m) => {
                    ctx.error(m).await?;
                    return Ok(1);
                }
            },
            None => SuffixFormat::digits(digits),
        };
        let ops = &parsed.operands;
        match ops.len() {
            0 => return usage_error(ctx, "missing operand", 1).await,
            1 => {
                return usage_error(
                    ctx,
                    &format!("missing operand after {}", lquote(&ops[0])),
                    1,
                )
                .await;
            }
            _ => {}
        }
        let input = ops[0].clone();
        let opened = open_input(ctx, &input).await;
        let is_dir = matches!(&opened, Err(e) if e.kind == ErrorKind::IsADirectory);
        let reader = match opened {
            Ok(r) => Some(r),
            Err(e) if e.kind == ErrorKind::IsADirectory => None,
            Err(e) => {
                ctx.error(format!(
                    "cannot open {} for reading: {e}",
                    quote_always(&input)
                ))
                .await?;
                return Ok(1);
            }
        };
        let controls = match parse_patterns(&ops[1..]) {
            Ok(c) => c,
            Err(m) => {
                ctx.error(m).await?;
                return Ok(1);
            }
        };
        let mut sp = Splitter {
            reader: reader.unwrap_or_else(|| Box::pin(tokio::io::empty())),
            eof: false,
            buf: VecDeque::new(),
            first_no: 1,
            current: 0,
            suffix,
            prefix: parsed.last("f").unwrap_or("xx").to_string(),
            quiet: parsed.has("s") || parsed.has("q"),
            elide: parsed.has("z"),
            suppress: parsed.has("suppress-matched"),
            fs: ctx.fs.clone(),
            cwd: ctx.cwd.clone(),
            piece: None,
            created: Vec::new(),
        };
        for c in &controls {
            if let Some(a) = c.arg.strip_prefix("\u{0}warn") {
                ctx.error(format!(
                    "warning: line number {} is the same as preceding line number",
                    lquote(a)
                ))
                .await?;
            }
        }
        if is_dir {
            // A directory: GNU opens the first piece, then the read fails.
            sp.open_piece();
            sp.elide = false;
            if let Err(Stop::Die(m) | Stop::Fatal(m)) = sp.close_piece(ctx).await? {
                ctx.error(m).await?;
                return Ok(1);
            }
            ctx.error("read error: Is a directory").await?;
            return cleanup(ctx, &sp.created, parsed.has("k")).await;
        }
        let keep = parsed.has("k");
        for c in &controls {
            let mut rep = 0u64;
            while c.forever || rep <= c.repeat {
                let step = match &c.kind {
                    Kind::Line(n) => {
                        let r = sp.process_line(c, *n, rep).await;
                        if r.is_ok() {
                            match sp.close_piece(ctx).await? {
                                Ok(()) => {
                                    if sp.no_more_lines().await {
                                        Err(Splitter::line_error(c, *n, rep))
                                    } else {
                                        Ok(Some(()))
                                    }
                                }
                                Err(s) => Err(s),
                            }
                        } else {
                            r.map(Some)
                        }
                    }
                    Kind::Regex { re, offset, skip } => {
                        let r = sp.process_regex(c, re, *offset, *skip, rep).await;
                        match r {
                            Ok(Some(())) if !*skip => match sp.close_piece(ctx).await? {
                                Ok(()) => Ok(Some(())),
                                Err(s) => Err(s),
                            },
                            Ok(None) => {
                                if let Err(s) = sp.close_piece(ctx).await? {
                                    Err(s)
                                } else {
                                    return Ok(0);
                                }
                            }
                            other => other,
                        }
                    }
                };
                match step {
                    Ok(_) => {
                        // `--suppress-matched`: the line at the split point goes nowhere.
                        if sp.suppress {
                            let _ = sp.take_line().await;
                        }
                    }
                    Err(Stop::Die(m)) => {
                        ctx.error(m).await?;
                        // The opened piece stays behind as an empty file, as in GNU.
                        if sp.piece.is_some() {
                            sp.elide = false;
                            let _ = sp.close_piece_silent(ctx).await;
                        }
                        return Ok(1);
                    }
                    Err(Stop::Fatal(m)) => {
                        if let Err(Stop::Die(m2) | Stop::Fatal(m2)) = sp.close_piece(ctx).await? {
                            ctx.error(m2).await?;
                        }
                        ctx.error(m).await?;
                        return cleanup(ctx, &sp.created, keep).await;
                    }
                }
                rep += 1;
            }
        }
        sp.open_piece();
        sp.dump_rest().await;
        if let Err(Stop::Die(m) | Stop::Fatal(m)) = sp.close_piece(ctx).await? {
            ctx.error(m).await?;
            return Ok(1);
        }
        Ok(0)
    }
}

impl Splitter {
    /// Writes the open piece without printing its size (left behind by a fatal read error).
    async fn close_piece_silent(&mut self, ctx: &mut CommandContext) -> std::io::Result<()> {
        let quiet = self.quiet;
        self.quiet = true;
        let r = self.close_piece(ctx).await;
        self.quiet = quiet;
        r.map(|_| ())
    }
}

/// Removes the pieces written so far (unless `-k`); returns status 1.
async fn cleanup(ctx: &mut CommandContext, created: &[String], keep: bool) -> CommandResult {
    if !keep {
        for name in created {
            let path = ctx.path(name);
            let _ = ctx.fs.remove_file(&path).await;
        }
    }
    Ok(1)
}
