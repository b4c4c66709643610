//! The sed cycle: read a line into the pattern space, run the script over it, print it (unless
//! `-n`), then output what `a`, `r` and `R` queued. Output goes to a byte buffer the caller
//! drains after each cycle (to stdout, or to the file being edited in place).

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use mirage_core::CommandContext;
use tokio::io::AsyncReadExt;

use super::input::Input;
use super::parse::{Addr, Addr2, CaseOp, Cmd, Kind, Repl, Script, Subst};
use super::regex::{Matcher, Spans};

/// Options that change the cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub quiet: bool,
    pub posix: bool,
    pub sep: u8,
    pub line_wrap: usize,
}

/// How a cycle ended.
enum Flow {
    /// End of script (or `d`): autoprint unless `false`.
    End(bool),
    /// `D` with a newline: restart without reading.
    Restart,
    /// `q`/`Q` or end of input inside `n`/`N`.
    Quit(bool, i32),
}

#[derive(Clone, Copy, Default)]
struct Range {
    active: bool,
    end: usize,
}

/// Something queued for the end of the cycle.
enum Queued {
    Text(Vec<u8>),
    File(String),
    Line(String),
}

/// A sink that remembers whether its last write lacked the final newline, to add it before the
/// next write exactly as GNU does.
#[derive(Default)]
pub struct Sink {
    pub buf: Vec<u8>,
    missing_nl: bool,
}

impl Sink {
    fn emit(&mut self, data: &[u8], nl: bool, sep: u8) {
        if self.missing_nl {
            self.buf.push(sep);
        }
        self.buf.extend_from_slice(data);
        if nl {
            self.buf.push(sep);
        }
        self.missing_nl = !nl;
    }
}

pub struct Exec {
    script: Script,
    /// The commands, shared so a cycle can walk them while mutating the rest of `self`.
    cmds: Arc<Vec<Cmd>>,
    opts: Opts,
    ps: Vec<u8>,
    ps_nl: bool,
    hold: Vec<u8>,
    pub line_no: usize,
    last_re: Option<Matcher>,
    ranges: Vec<Range>,
    queue: Vec<Queued>,
    tflag: bool,
    pub out: Sink,
    pub wfiles: Vec<Sink>,
    rlines: HashMap<String, (Vec<u8>, usize)>,
    /// Set once `q`/`Q` ran: the exit status.
    pub quit: Option<i32>,
    /// A runtime error message (e.g. no previous regular expression).
    pub error: Option<String>,
}

impl Exec {
    pub fn new(mut script: Script, opts: Opts) -> Self {
        let n = script.cmds.len();
        let w = script.wfiles.len();
        let cmds = Arc::new(std::mem::take(&mut script.cmds));
        Exec {
            script,
            cmds,
            opts,
            ps: Vec::new(),
            ps_nl: true,
            hold: Vec::new(),
            line_no: 0,
            last_re: None,
            ranges: vec![Range::default(); n],
            queue: Vec::new(),
            tflag: false,
            out: Sink::default(),
            wfiles: (0..w).map(|_| Sink::default()).collect(),
            rlines: HashMap::new(),
            quit: None,
            error: None,
        }
    }

    pub fn wfile_names(&self) -> &[String] {
        &self.script.wfiles
    }

    /// Resets per-file state for `-s`/`-i`: line numbers restart with each file.
    pub fn new_file(&mut self) {
        self.line_no = 0;
        self.ranges.iter_mut().for_each(|r| *r = Range::default());
    }

    /// Runs cycles until the input (of this file, when separate) ends or `q` runs. Output is
    /// drained through `drain` after each cycle.
    pub async fn run(
        &mut self,
        ctx: &mut CommandContext,
        input: &mut Input,
        to_stdout: bool,
    ) -> io::Result<()> {
        let mut restart = false;
        loop {
            if !restart {
                let Some(line) = input.read(ctx).await? else {
                    return Ok(());
                };
                self.ps = line.data;
                self.ps_nl = line.nl;
                self.line_no += 1;
                self.tflag = false;
            }
            restart = false;
            let flow = self.cycle(ctx, input).await?;
            match flow {
                Flow::End(print) => {
                    if print && !self.opts.quiet {
                        self.out.emit(&self.ps, self.ps_nl, self.opts.sep);
                    }
                }
                Flow::Restart => restart = true,
                Flow::Quit(print, code) => {
                    if print && !self.opts.quiet {
                        self.out.emit(&self.ps, self.ps_nl, self.opts.sep);
                    }
                    self.quit = Some(code);
                }
            }
            self.flush_queue(ctx).await?;
            if to_stdout {
                self.drain(ctx).await?;
            }
            if self.quit.is_some() || self.error.is_some() {
                return Ok(());
            }
        }
    }

    /// Moves buffered output to stdout.
    pub async fn drain(&mut self, ctx: &mut CommandContext) -> io::Result<()> {
        if !self.out.buf.is_empty() {
            ctx.stdout.write_all(&self.out.buf).await?;
            self.out.buf.clear();
        }
        Ok(())
    }

    async fn flush_queue(&mut self, ctx: &mut CommandContext) -> io::Result<()> {
        for q in std::mem::take(&mut self.queue) {
            match q {
                Queued::Text(t) => {
                    self.out.emit(&t, false, self.opts.sep);
                    self.out.missing_nl = false;
                }
                Queued::File(name) => {
                    if let Some(data) = read_whole(ctx, &name).await
                        && !data.is_empty()
                    {
                        let nl = data.last() == Some(&b'\n');
                        self.out.emit(&data, false, self.opts.sep);
                        self.out.missing_nl = !nl;
                    }
                }
                Queued::Line(name) => {
                    if !self.rlines.contains_key(&name) {
                        let data = read_whole(ctx, &name).await.unwrap_or_default();
                        self.rlines.insert(name.clone(), (data, 0));
                    }
                    if let Some((data, pos)) = self.rlines.get_mut(&name)
                        && *pos < data.len()
                    {
                        let rest = &data[*pos..];
                        let (line, used, nl) = match memchr::memchr(b'\n', rest) {
                            Some(i) => (&rest[..i], i + 1, true),
                            None => (rest, rest.len(), false),
                        };
                        *pos += used;
                        let line = line.to_vec();
                        self.out.emit(&line, nl, b'\n');
                    }
                }
            }
        }
        Ok(())
    }

    fn regex(&mut self, re: &Option<Matcher>) -> Option<Matcher> {
        match re {
            Some(r) => {
                self.last_re = Some(r.clone());
                Some(r.clone())
            }
            None => {
                if self.last_re.is_none() {
                    self.error = Some("no previous regular expression".into());
                }
                self.last_re.clone()
            }
        }
    }

    fn re_match(&mut self, re: &Option<Matcher>) -> bool {
        match self.regex(re) {
            Some(r) => r.is_match(&self.ps),
            None => false,
        }
    }

    fn match1(&mut self, a: &Addr, input: &Input) -> bool {
        match a {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => input.is_last(),
            Addr::Re(re) => self.re_match(re),
            Addr::Step(first, step) => {
                if *step == 0 {
                    self.line_no == *first
                } else {
                    self.line_no >= *first && (self.line_no - first).is_multiple_of(*step)
                }
            }
            Addr::Zero => false,
        }
    }

    fn matches(&mut self, i: usize, input: &Input) -> bool {
        let cmds = Arc::clone(&self.cmds);
        let cmd: &Cmd = &cmds[i];
        let m = match (&cmd.a1, &cmd.a2) {
            (None, _) => true,
            (Some(a), None) => self.match1(a, input),
            (Some(a), Some(b)) => self.match_range(i, a, b, input),
        };
        m != cmd.neg
    }

    fn match_range(&mut self, i: usize, a: &Addr, b: &Addr2, input: &Input) -> bool {
        let line = self.line_no;
        if self.ranges[i].active {
            let done = match b {
                Addr2::Line(_) | Addr2::Plus(_) | Addr2::Tilde(_) => {
                    let end = self.ranges[i].end;
                    if line > end {
                        self.ranges[i].active = false;
                        return false;
                    }
                    line >= end
                }
                Addr2::Last => input.is_last(),
                Addr2::Re(re) => self.re_match(re),
            };
            if done {
                self.ranges[i].active = false;
            }
            return true;
        }
        if matches!(a, Addr::Zero) {
            if line != 1 {
                return false;
            }
            if let Addr2::Re(re) = b
                && !self.re_match(re)
            {
                self.ranges[i].active = true;
            }
            return true;
        }
        if !self.match1(a, input) {
            return false;
        }
        let end = match b {
            Addr2::Line(n) => Some(*n),
            Addr2::Plus(n) => Some(line.saturating_add(*n)),
            Addr2::Tilde(n) => {
                if *n == 0 {
                    Some(line)
                } else {
                    Some(line.div_ceil(*n).saturating_mul(*n))
                }
            }
            Addr2::Last => (!input.is_last()).then_some(usize::MAX),
            Addr2::Re(_) => Some(usize::MAX),
        };
        if let Some(end) = end
            && end > line
        {
            self.ranges[i] = Range { active: true, end };
        }
        true
    }

    async fn cycle(&mut self, ctx: &mut CommandContext, input: &mut Input) -> io::Result<Flow> {
        let cmds = Arc::clone(&self.cmds);
        let mut pc = 0;
        while pc < cmds.len() {
            if self.error.is_some() {
                return Ok(Flow::End(false));
            }
            let matched = self.matches(pc, input);
            let kind = &cmds[pc].kind;
            if !matched {
                pc = match kind {
                    Kind::Block(end) => *end,
                    _ => pc + 1,
                };
                continue;
            }
            pc += 1;
            let sep = self.opts.sep;
            match kind {
                Kind::Block(_) | Kind::BlockEnd | Kind::Label => {}
                Kind::Subst(sub) => self.substitute(sub),
                Kind::Translit(map) => self.translit(map),
                Kind::Append(t) => self.queue.push(Queued::Text(t.clone())),
                Kind::Insert(t) => {
                    self.out.emit(t, false, sep);
                    self.out.missing_nl = false;
                }
                Kind::Change(t) => {
                    let cmd = &cmds[pc - 1];
                    let in_range = cmd.a2.is_some() && !cmd.neg && self.ranges[pc - 1].active;
                    if !in_range {
                        self.out.emit(t, false, sep);
                        self.out.missing_nl = false;
                    }
                    return Ok(Flow::End(false));
                }
                Kind::Branch(c, target) => {
                    let jump = match *c {
                        b'b' => true,
                        b't' => std::mem::take(&mut self.tflag),
                        _ => !std::mem::take(&mut self.tflag),
                    };
                    if jump {
                        pc = target.unwrap_or(cmds.len());
                    }
                }
                Kind::Quit(print, code) => return Ok(Flow::Quit(*print, *code)),
                Kind::List(n) => self.list(n.unwrap_or(self.opts.line_wrap)),
                Kind::ReadFile(name) => self.queue.push(Queued::File(name.clone())),
                Kind::ReadLine(name) => self.queue.push(Queued::Line(name.clone())),
                Kind::Write(i) => {
                    let ps = self.ps.clone();
                    self.write_to(*i, &ps);
                }
                Kind::WriteFirst(i) => {
                    let first = self
                        .ps
                        .split(|b| *b == b'\n')
                        .next()
                        .unwrap_or(&[])
                        .to_vec();
                    self.write_to(*i, &first);
                }
                Kind::Simple(c) => {
                    if let Some(flow) = self.simple(*c, ctx, input).await? {
                        return Ok(flow);
                    }
                }
                Kind::Exec(Some(cmd)) => {
                    let out = shell_output(ctx, cmd).await?;
                    self.out.buf.extend_from_slice(&out);
                }
                Kind::Exec(None) => {
                    let script = String::from_utf8_lossy(&self.ps).into_owned();
                    let mut out = shell_output(ctx, &script).await?;
                    if out.last() == Some(&b'\n') {
                        out.pop();
                    }
                    self.ps = out;
                }
            }
        }
        Ok(Flow::End(true))
    }

    async fn simple(
        &mut self,
        c: u8,
        ctx: &mut CommandContext,
        input: &mut Input,
    ) -> io::Result<Option<Flow>> {
        let sep = self.opts.sep;
        match c {
            b'=' => {
                let s = format!("{}", self.line_no);
                self.out.emit(s.as_bytes(), true, b'\n');
            }
            b'd' => return Ok(Some(Flow::End(false))),
            b'D' => match memchr::memchr(sep, &self.ps) {
                None => return Ok(Some(Flow::End(false))),
                Some(i) => {
                    self.ps.drain(..=i);
                    return Ok(Some(Flow::Restart));
                }
            },
            b'p' => self.out.emit(&self.ps, self.ps_nl, sep),
            b'P' => match memchr::memchr(sep, &self.ps) {
                Some(i) => {
                    let first = self.ps[..i].to_vec();
                    self.out.emit(&first, true, sep);
                }
                None => self.out.emit(&self.ps, self.ps_nl, sep),
            },
            b'n' | b'N' => {
                if input.is_last() {
                    let print = !(c == b'N' && self.opts.posix);
                    return Ok(Some(Flow::Quit(print, 0)));
                }
                if c == b'n' && !self.opts.quiet {
                    self.out.emit(&self.ps, self.ps_nl, sep);
                }
                self.flush_queue(ctx).await?;
                if let Some(line) = input.read(ctx).await? {
                    self.line_no += 1;
                    if c == b'n' {
                        self.ps = line.data;
                    } else {
                        self.ps.push(sep);
                        self.ps.extend_from_slice(&line.data);
                    }
                    self.ps_nl = line.nl;
                }
            }
            b'h' => self.hold.clone_from(&self.ps),
            b'H' => {
                self.hold.push(sep);
                self.hold.extend_from_slice(&self.ps);
            }
            b'g' => self.ps.clone_from(&self.hold),
            b'G' => {
                self.ps.push(sep);
                let hold = self.hold.clone();
                self.ps.extend_from_slice(&hold);
            }
            b'x' => std::mem::swap(&mut self.ps, &mut self.hold),
            b'z' => self.ps.clear(),
            b'F' => {
                let name = input.cur_name.clone();
                self.out.emit(name.as_bytes(), true, b'\n');
            }
            _ => {}
        }
        Ok(None)
    }

    fn translit(&mut self, map: &HashMap<char, char>) {
        let mut out = Vec::with_capacity(self.ps.len());
        for chunk in self.ps.utf8_chunks() {
            for ch in chunk.valid().chars() {
                let m = map.get(&ch).copied().unwrap_or(ch);
                let mut b = [0u8; 4];
                out.extend_from_slice(m.encode_utf8(&mut b).as_bytes());
            }
            out.extend_from_slice(chunk.invalid());
        }
        self.ps = out;
    }

    /// `l`: unambiguous form, C escapes and octal for the rest, lines wrapped with `\`.
    fn list(&mut self, width: usize) {
        let mut out = Vec::new();
        let mut col = 0;
        for &b in &self.ps {
            let piece: Vec<u8> = match b {
                b'\\' => b"\\\\".to_vec(),
                0x07 => b"\\a".to_vec(),
                0x08 => b"\\b".to_vec(),
                0x0c => b"\\f".to_vec(),
                b'\n' => b"\\n".to_vec(),
                b'\r' => b"\\r".to_vec(),
                b'\t' => b"\\t".to_vec(),
                0x0b => b"\\v".to_vec(),
                0x20..=0x7e => vec![b],
                _ => format!("\\{b:03o}").into_bytes(),
            };
            if width > 1 && col + piece.len() > width - 1 {
                out.extend_from_slice(b"\\\n");
                col = 0;
            }
            col += piece.len();
            out.extend_from_slice(&piece);
        }
        out.push(b'$');
        self.out.emit(&out, true, b'\n');
    }

    fn substitute(&mut self, sub: &Subst) {
        let Some(re) = self.regex(&sub.re) else {
            return;
        };
        let mut result = Vec::new();
        let mut last = 0;
        let mut count = 0;
        let mut replaced = false;
        let mut pos = 0;
        let mut prev_end: Option<usize> = None;
        while pos <= self.ps.len() {
            let Some(caps) = re.captures_at(&self.ps, pos) else {
                break;
            };
            let Some(Some((m_start, m_end))) = caps.first().copied() else {
                break;
            };
            let empty = m_start == m_end;
            if empty && prev_end == Some(m_start) {
                // An empty match right after the previous match does not count (GNU).
                pos = step_char(&self.ps, m_start);
                continue;
            }
            count += 1;
            let take = if sub.global {
                count >= sub.nth.max(1)
            } else {
                count == sub.nth.max(1)
            };
            if take {
                result.extend_from_slice(&self.ps[last..m_start]);
                expand(&sub.repl, &caps, &self.ps, &mut result);
                last = m_end;
                replaced = true;
                if !sub.global {
                    break;
                }
            }
            prev_end = Some(m_end);
            pos = if empty {
                step_char(&self.ps, m_end)
            } else {
                m_end
            };
        }
        if !replaced {
            return;
        }
        result.extend_from_slice(&self.ps[last..]);
        self.ps = result;
        self.tflag = true;
        let sep = self.opts.sep;
        if sub.print {
            self.out.emit(&self.ps, self.ps_nl, sep);
        }
        if let Some(i) = sub.wfile {
            let ps = self.ps.clone();
            self.write_to(i, &ps);
        }
    }

    /// `w` output: `/dev/stdout` interleaves with normal output; other files are collected.
    fn write_to(&mut self, i: usize, data: &[u8]) {
        let sep = self.opts.sep;
        if self
            .script
            .wfiles
            .get(i)
            .is_some_and(|n| n == "/dev/stdout")
        {
            self.out.emit(data, true, sep);
        } else if let Some(w) = self.wfiles.get_mut(i) {
            w.emit(data, true, sep);
        }
    }
}

/// The offset just past the character at `p` (one byte for invalid UTF-8), so empty matches
/// never split a character.
fn step_char(data: &[u8], p: usize) -> usize {
    let rest = data.get(p..).unwrap_or(&[]);
    let chunk = rest.get(..rest.len().min(4)).unwrap_or(&[]);
    match chunk.utf8_chunks().next() {
        Some(c) => match c.valid().chars().next() {
            Some(ch) => p + ch.len_utf8(),
            None => p + 1,
        },
        None => p + 1,
    }
}

/// Builds one replacement, applying GNU's case conversions.
fn expand(repl: &[Repl], caps: &Spans, hay: &[u8], out: &mut Vec<u8>) {
    let mut mode: Option<CaseOp> = None;
    let mut one: Option<CaseOp> = None;
    let mut push = |text: &[u8], mode: Option<CaseOp>, one: &mut Option<CaseOp>| {
        let s = String::from_utf8_lossy(text);
        let valid = std::str::from_utf8(text).is_ok();
        if !valid || (mode.is_none() && one.is_none()) {
            out.extend_from_slice(text);
            if !text.is_empty() {
                *one = None;
            }
            return;
        }
        let mut chars = s.chars();
        if let Some(op) = one.take()
            && let Some(first) = chars.next()
        {
            match op {
                CaseOp::UpperOne => out.extend(first.to_uppercase().to_string().bytes()),
                _ => out.extend(first.to_lowercase().to_string().bytes()),
            }
        }
        let rest: String = chars.collect();
        match mode {
            Some(CaseOp::Upper) => out.extend_from_slice(rest.to_uppercase().as_bytes()),
            Some(CaseOp::Lower) => out.extend_from_slice(rest.to_lowercase().as_bytes()),
            _ => out.extend_from_slice(rest.as_bytes()),
        }
    };
    for part in repl {
        match part {
            Repl::Lit(t) => push(t, mode, &mut one),
            Repl::Group(n) => {
                let text = match caps.get(*n).copied().flatten() {
                    Some((a, b)) => hay.get(a..b).unwrap_or(&[]),
                    None => &[],
                };
                push(text, mode, &mut one);
            }
            Repl::Case(op) => match op {
                CaseOp::Upper | CaseOp::Lower => {
                    mode = Some(*op);
                    one = None;
                }
                CaseOp::End => {
                    mode = None;
                    one = None;
                }
                CaseOp::UpperOne | CaseOp::LowerOne => one = Some(*op),
            },
        }
    }
}

/// Reads a whole file for `r`/`R` (GNU silently ignores files it cannot read).
async fn read_whole(ctx: &mut CommandContext, name: &str) -> Option<Vec<u8>> {
    let path = ctx.path(name);
    let mut reader = ctx.fs.open(&path).await.ok()?;
    let mut data = Vec::new();
    reader.read_to_end(&mut data).await.ok()?;
    Some(data)
}

/// Runs `script` with `sh -c` (as GNU's popen does) and returns what it wrote to standard
/// output; its errors go to sed's standard error.
async fn shell_output(ctx: &mut CommandContext, script: &str) -> io::Result<Vec<u8>> {
    let Some(sh) = ctx.commands.resolve("sh", None, None) else {
        return Ok(Vec::new());
    };
    let shared = Arc::new(std::sync::Mutex::new(Vec::new()));
    let capture = mirage_core::Output::new(Box::pin(crate::commands::capture::SharedBuf(
        shared.clone(),
    )));
    let saved = std::mem::replace(&mut ctx.stdout, capture);
    let args = vec!["-c".to_string(), script.to_string()];
    crate::exec::run_child(ctx, sh, "sh".to_string(), args, false, None).await;
    let mut captured = std::mem::replace(&mut ctx.stdout, saved);
    captured.flush().await?;
    let out = std::mem::take(&mut *shared.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(out)
}
