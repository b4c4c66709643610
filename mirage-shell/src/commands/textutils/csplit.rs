//! `csplit`: split a file into pieces at line numbers (`N`) and regular-expression matches
//! (`/RE/[OFFSET]`, `%RE%[OFFSET]` to skip), each optionally repeated (`{N}`, `{*}`). Pieces are
//! written as PREFIX + suffix (`-f`, `-n`, `-b`) through the mount table and their byte counts
//! printed (unless `-s`). Like GNU, a failure removes the pieces again unless `-k`, and `-z`
//! drops empty pieces, `--suppress-matched` drops the line at each split. The input is held as
//! lines, since patterns may look ahead and back.

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, WriteMode, stream_from_bytes,
};
use regex::bytes::Regex;
use tokio::io::AsyncReadExt;

use super::bre;
use super::support::{HELP, VERSION, open_input, parse_opts, refuse_help, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, quote_always};

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
                if "-+ #0'".contains(f) {
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

/// Parses a decimal `xstrtoumax` would accept (digits only here).
fn parse_unsigned(s: &str) -> Option<u64> {
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
                let (neg, digits) = match rest.as_bytes()[0] {
                    b'+' => (false, &rest[1..]),
                    b'-' => (true, &rest[1..]),
                    _ => (false, rest),
                };
                match parse_unsigned(digits).and_then(|v| i64::try_from(v).ok()) {
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

struct Splitter {
    lines: Vec<Vec<u8>>,
    /// 0-based index of the first line not yet written.
    first: usize,
    /// GNU's `current_line` (1-based, 0 before any).
    current: u64,
    suffix: SuffixFormat,
    prefix: String,
    quiet: bool,
    elide: bool,
    suppress: bool,
    piece: Option<Vec<u8>>,
    created: Vec<String>,
    /// Lines of output (byte counts) waiting to be printed.
    out: Vec<u8>,
}

impl Splitter {
    fn open_piece(&mut self) {
        self.piece = Some(Vec::new());
    }

    fn take_line(&mut self) -> Option<Vec<u8>> {
        let l = self.lines.get(self.first)?.clone();
        self.first += 1;
        // GNU's remove_line: the current line is at least the last one taken.
        self.current = self.current.max(self.first as u64);
        Some(l)
    }

    fn save(&mut self, line: &[u8]) {
        if let Some(p) = self.piece.as_mut() {
            p.extend_from_slice(line);
        }
    }

    async fn close_piece(&mut self, ctx: &mut CommandContext) -> std::io::Result<Result<(), Stop>> {
        let Some(data) = self.piece.take() else {
            return Ok(Ok(()));
        };
        if self.elide && data.is_empty() {
            return Ok(Ok(()));
        }
        let name = format!(
            "{}{}",
            self.prefix,
            self.suffix.render(self.created.len() as u64)
        );
        let size = data.len();
        let path = ctx.path(&name);
        if let Err(e) = ctx
            .fs
            .write(&path, stream_from_bytes(data), WriteMode::Truncate)
            .await
        {
            return Ok(Err(Stop::Die(format!("{}: {e}", quote_always(&name)))));
        }
        self.created.push(name);
        if !self.quiet {
            self.out.extend_from_slice(format!("{size}\n").as_bytes());
            ctx.stdout.write_all(&self.out).await?;
            self.out.clear();
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

    fn process_line(&mut self, c: &Control, n: u64, repetition: u64) -> Result<(), Stop> {
        let last = n.saturating_mul(repetition + 1);
        self.open_piece();
        if self.first >= self.lines.len() {
            if self.suppress {
                return Err(Self::line_error(c, n, repetition));
            }
            return Err(Stop::Die("input disappeared".into()));
        }
        let mut linenum = self.first as u64 + 1;
        while linenum < last {
            linenum += 1;
            let Some(line) = self.take_line() else {
                return Err(Self::line_error(c, n, repetition));
            };
            self.save(&line);
        }
        Ok(())
    }

    fn process_regex(
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
            let idx = self.current as usize - 1;
            let Some(line) = self.lines.get(idx) else {
                if c.forever {
                    if !skip {
                        self.dump_rest();
                    }
                    // Signals "stop successfully" to the caller.
                    return Ok(None);
                }
                if !skip {
                    self.dump_rest();
                }
                return Err(Stop::Fatal(not_found(c)));
            };
            let text = line.strip_suffix(b"\n").unwrap_or(line);
            if re.is_match(text) {
                break;
            }
            if offset >= 0
                && let Some(l) = self.take_line()
                && !skip
            {
                self.save(&l);
            }
        }
        let break_line = self.current as i128 + offset as i128;
        let range_err = || Stop::Fatal(format!("{}: line number out of range", lquote(&c.arg)));
        let first_line = self.first as i128 + 1;
        if first_line > break_line {
            return Err(range_err());
        }
        for _ in 0..(break_line - first_line) {
            let Some(l) = self.take_line() else {
                return Err(range_err());
            };
            if !skip {
                self.save(&l);
            }
        }
        if offset > 0 {
            self.current = break_line as u64;
        }
        Ok(Some(()))
    }

    fn dump_rest(&mut self) {
        while let Some(l) = self.take_line() {
            self.save(&l);
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
        let mut reader = match opened {
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
            lines: Vec::new(),
            first: 0,
            current: 0,
            suffix,
            prefix: parsed.last("f").unwrap_or("xx").to_string(),
            quiet: parsed.has("s") || parsed.has("q"),
            elide: parsed.has("z"),
            suppress: parsed.has("suppress-matched"),
            piece: None,
            created: Vec::new(),
            out: Vec::new(),
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
        let Some(r) = reader.as_mut() else {
            // A directory: GNU opens the first piece, then the read fails.
            sp.open_piece();
            sp.elide = false;
            if let Err(Stop::Die(m) | Stop::Fatal(m)) = sp.close_piece(ctx).await? {
                ctx.error(m).await?;
                return Ok(1);
            }
            ctx.error("read error: Is a directory").await?;
            return cleanup(ctx, &sp, parsed.has("k")).await;
        };
        let mut data = Vec::new();
        if let Err(e) = r.read_to_end(&mut data).await {
            ctx.error(format!("read error: {e}")).await?;
            return Ok(1);
        }
        for l in data.split_inclusive(|&b| b == b'\n') {
            sp.lines.push(l.to_vec());
        }
        drop(data);
        let keep = parsed.has("k");
        for c in &controls {
            let mut rep = 0u64;
            while c.forever || rep <= c.repeat {
                let step = match &c.kind {
                    Kind::Line(n) => {
                        let r = sp.process_line(c, *n, rep);
                        if r.is_ok() {
                            match sp.close_piece(ctx).await? {
                                Ok(()) => {
                                    if sp.first >= sp.lines.len() {
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
                        let r = sp.process_regex(c, re, *offset, *skip, rep);
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
                            let _ = sp.take_line();
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
                        return cleanup(ctx, &sp, keep).await;
                    }
                }
                rep += 1;
            }
        }
        sp.open_piece();
        sp.dump_rest();
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
async fn cleanup(ctx: &mut CommandContext, sp: &Splitter, keep: bool) -> CommandResult {
    if !keep {
        for name in &sp.created {
            let path = ctx.path(name);
            let _ = ctx.fs.remove_file(&path).await;
        }
    }
    Ok(1)
}
