//! `fmt`: fill and join lines into paragraphs, following GNU fmt's line-breaking model: words
//! keep their spacing (two spaces after a sentence end unless `-u`), and the breaks of each
//! paragraph are chosen to minimise GNU's cost function (squared shortfall from the goal width,
//! raggedness between lines, bonuses and penalties around sentence ends and punctuation).
//! Supports `-w`/`-WIDTH`, `-g`, `-s`, `-u`, `-p`, `-t`, `-c`. Widths count bytes, as GNU does.
//! Input is streamed; at most one paragraph (GNU's 1000 words / 5000 bytes window) is held.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, Output, Reader};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, open_input, refuse_help, usage_error};
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};
use crate::commands::quoting::{lquote, quote_always};

pub struct Fmt;

const SPEC: OptSpec = OptSpec {
    short: "0123456789cstuw:p:g:",
    long: &[
        LongOpt {
            name: "crown-margin",
            has_arg: HasArg::No,
            key: "c",
        },
        LongOpt {
            name: "prefix",
            has_arg: HasArg::Required,
            key: "p",
        },
        LongOpt {
            name: "split-only",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "tagged-paragraph",
            has_arg: HasArg::No,
            key: "t",
        },
        LongOpt {
            name: "uniform-spacing",
            has_arg: HasArg::No,
            key: "u",
        },
        LongOpt {
            name: "width",
            has_arg: HasArg::Required,
            key: "w",
        },
        LongOpt {
            name: "goal",
            has_arg: HasArg::Required,
            key: "g",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

type Cost = i64;

const MAXCHARS: usize = 5000;
const MAXWORDS: usize = 1000;
const TABWIDTH: i64 = 8;
const DEF_INDENT: i64 = 3;
const LEEWAY: i64 = 7;
const EOF: i32 = -1;

const fn equiv(n: i64) -> Cost {
    n * n
}
const fn short_cost(n: i64) -> Cost {
    equiv(n * 10)
}
const fn ragged_cost(n: i64) -> Cost {
    short_cost(n) / 2
}
const LINE_COST: Cost = equiv(70);
const fn widow_cost(n: i64) -> Cost {
    equiv(200) / (n + 2)
}
const fn orphan_cost(n: i64) -> Cost {
    equiv(150) / (n + 2)
}
const SENTENCE_BONUS: Cost = equiv(50);
const NOBREAK_COST: Cost = equiv(600);
const PAREN_BONUS: Cost = equiv(40);
const PUNCT_BONUS: Cost = equiv(40);
const LINE_CREDIT: Cost = equiv(3);

#[derive(Clone, Default)]
struct Word {
    start: usize,
    length: i64,
    space: i64,
    paren: bool,
    period: bool,
    punct: bool,
    final_: bool,
    line_length: i64,
    best_cost: Cost,
    next_break: usize,
}

struct Settings {
    crown: bool,
    tagged: bool,
    split: bool,
    uniform: bool,
    prefix: Vec<u8>,
    prefix_full_length: i64,
    prefix_lead_space: i64,
    max_width: i64,
    goal_width: i64,
}

struct Fmtr<'a> {
    s: &'a Settings,
    reader: Reader,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    read_failed: bool,
    stdout: &'a mut Output,
    out: Vec<u8>,
    tabs: bool,
    prefix_indent: i64,
    first_indent: i64,
    other_indent: i64,
    in_column: i64,
    out_column: i64,
    next_char: i32,
    next_prefix_indent: i64,
    last_line_length: i64,
    parabuf: Vec<u8>,
    /// Words plus one sentinel slot at `word_limit`.
    words: Vec<Word>,
    word_limit: usize,
}

fn isopen(c: u8) -> bool {
    b"(['`\"".contains(&c)
}
fn isclose(c: u8) -> bool {
    b")]'\"".contains(&c)
}
fn isperiod(c: u8) -> bool {
    b".?!".contains(&c)
}
fn is_space(c: i32) -> bool {
    matches!(c, 9..=13 | 32)
}

impl<'a> Fmtr<'a> {
    async fn getc(&mut self) -> i32 {
        if self.pos >= self.buf.len() {
            if self.eof {
                return EOF;
            }
            self.buf.clear();
            self.pos = 0;
            match self.reader.fill_buf().await {
                Ok(chunk) if !chunk.is_empty() => {
                    self.buf.extend_from_slice(chunk);
                    let n = chunk.len();
                    self.reader.consume(n);
                }
                Ok(_) => {
                    self.eof = true;
                    return EOF;
                }
                Err(_) => {
                    self.eof = true;
                    self.read_failed = true;
                    return EOF;
                }
            }
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        b as i32
    }

    /// Writes out what is formatted so far.
    async fn flush_out(&mut self) -> std::io::Result<()> {
        if !self.out.is_empty() {
            self.stdout.write_all(&self.out).await?;
            self.out.clear();
        }
        Ok(())
    }

    fn putc(&mut self, c: u8) {
        self.out.push(c);
    }

    async fn run(&mut self) -> std::io::Result<()> {
        self.tabs = false;
        self.other_indent = 0;
        self.next_char = self.get_prefix().await;
        while self.get_paragraph().await? {
            self.fmt_paragraph();
            self.put_paragraph(self.word_limit);
            self.flush_out().await?;
        }
        self.flush_out().await
    }

    async fn get_space(&mut self, mut c: i32) -> i32 {
        loop {
            if c == b' ' as i32 {
                self.in_column += 1;
            } else if c == b'\t' as i32 {
                self.tabs = true;
                self.in_column = (self.in_column / TABWIDTH + 1) * TABWIDTH;
            } else {
                return c;
            }
            c = self.getc().await;
        }
    }

    async fn get_prefix(&mut self) -> i32 {
        self.in_column = 0;
        let first = self.getc().await;
        let mut c = self.get_space(first).await;
        if self.s.prefix.is_empty() {
            self.next_prefix_indent = self.s.prefix_lead_space.min(self.in_column);
        } else {
            self.next_prefix_indent = self.in_column;
            for i in 0..self.s.prefix.len() {
                let pc = self.s.prefix[i] as i32;
                if c != pc {
                    return c;
                }
                self.in_column += 1;
                c = self.getc().await;
            }
            c = self.get_space(c).await;
        }
        c
    }

    fn same_para(&self, c: i32) -> bool {
        self.next_prefix_indent == self.prefix_indent
            && self.in_column >= self.next_prefix_indent + self.s.prefix_full_length
            && c != b'\n' as i32
            && c != EOF
    }

    fn set_other_indent(&mut self, same: bool) {
        if self.s.split {
            self.other_indent = self.first_indent;
        } else if self.s.crown {
            self.other_indent = if same {
                self.in_column
            } else {
                self.first_indent
            };
        } else if self.s.tagged {
            if same && self.in_column != self.first_indent {
                self.other_indent = self.in_column;
            } else if self.other_indent == self.first_indent {
                self.other_indent = if self.first_indent == 0 {
                    DEF_INDENT
                } else {
                    0
                };
            }
        } else {
            self.other_indent = self.first_indent;
        }
    }

    async fn copy_rest(&mut self, mut c: i32) -> i32 {
        self.out_column = 0;
        if self.in_column > self.next_prefix_indent || (c != b'\n' as i32 && c != EOF) {
            self.put_space(self.next_prefix_indent);
            let mut i = 0;
            while self.out_column != self.in_column && i < self.s.prefix.len() {
                let b = self.s.prefix[i];
                self.putc(b);
                i += 1;
                self.out_column += 1;
            }
            if c != EOF && c != b'\n' as i32 {
                self.put_space(self.in_column - self.out_column);
            }
            if c == EOF && self.in_column >= self.next_prefix_indent + self.s.prefix.len() as i64 {
                self.putc(b'\n');
            }
        }
        while c != b'\n' as i32 && c != EOF {
            self.putc(c as u8);
            c = self.getc().await;
        }
        c
    }

    async fn get_paragraph(&mut self) -> std::io::Result<bool> {
        self.last_line_length = 0;
        let mut c = self.next_char;
        while c == b'\n' as i32
            || c == EOF
            || self.next_prefix_indent < self.s.prefix_lead_space
            || self.in_column < self.next_prefix_indent + self.s.prefix_full_length
        {
            c = self.copy_rest(c).await;
            if c == EOF {
                self.next_char = EOF;
                return Ok(false);
            }
            self.putc(b'\n');
            if self.out.len() >= 1 << 16 {
                self.flush_out().await?;
            }
            c = self.get_prefix().await;
        }
        self.prefix_indent = self.next_prefix_indent;
        self.first_indent = self.in_column;
        self.parabuf.clear();
        self.words.clear();
        self.words.push(Word::default());
        self.word_limit = 0;
        c = self.get_line(c).await;
        let same = self.same_para(c);
        self.set_other_indent(same);
        if self.s.split {
            // Each input line is a paragraph of its own.
        } else if self.s.crown {
            if self.same_para(c) {
                loop {
                    c = self.get_line(c).await;
                    if !(self.same_para(c) && self.in_column == self.other_indent) {
                        break;
                    }
                }
            }
        } else if self.s.tagged {
            if self.same_para(c) && self.in_column != self.first_indent {
                loop {
                    c = self.get_line(c).await;
                    if !(self.same_para(c) && self.in_column == self.other_indent) {
                        break;
                    }
                }
            }
        } else {
            while self.same_para(c) && self.in_column == self.other_indent {
                c = self.get_line(c).await;
            }
        }
        if self.word_limit > 0 {
            let w = &mut self.words[self.word_limit - 1];
            w.period = true;
            w.final_ = true;
        }
        self.next_char = c;
        Ok(true)
    }

    fn check_punctuation(&mut self, wi: usize) {
        let w = &self.words[wi];
        let text = &self.parabuf[w.start..w.start + w.length as usize];
        let Some(&fin) = text.last() else {
            return;
        };
        let paren = isopen(text[0]) || text[0] == 0;
        let punct = fin.is_ascii_punctuation();
        let mut finish = text.len() - 1;
        while finish > 0 && (isclose(text[finish]) || text[finish] == 0) {
            finish -= 1;
        }
        let period = isperiod(text[finish]) || text[finish] == 0;
        let w = &mut self.words[wi];
        w.paren = paren;
        w.punct = punct;
        w.period = period;
    }

    async fn get_line(&mut self, mut c: i32) -> i32 {
        loop {
            let start = self.parabuf.len();
            self.words[self.word_limit].start = start;
            loop {
                if self.parabuf.len() == MAXCHARS {
                    self.set_other_indent(true);
                    self.flush_paragraph();
                }
                self.parabuf.push(c as u8);
                c = self.getc().await;
                if c == EOF || is_space(c) {
                    break;
                }
            }
            let wl = self.word_limit;
            let length = (self.parabuf.len() - self.words[wl].start) as i64;
            self.words[wl].length = length;
            self.in_column += length;
            self.check_punctuation(wl);
            let start_col = self.in_column;
            c = self.get_space(c).await;
            let w = &mut self.words[wl];
            w.space = self.in_column - start_col;
            w.final_ = c == EOF || (w.period && (c == b'\n' as i32 || w.space > 1));
            if c == b'\n' as i32 || c == EOF || self.s.uniform {
                w.space = if w.final_ { 2 } else { 1 };
            }
            // GNU flushes one word before its table is full (measured against fmt 9.1).
            if wl == MAXWORDS - 2 {
                self.set_other_indent(true);
                self.flush_paragraph();
            }
            self.word_limit += 1;
            if self.words.len() <= self.word_limit {
                self.words.push(Word::default());
            }
            if c == b'\n' as i32 || c == EOF {
                break;
            }
        }
        self.get_prefix().await
    }

    fn flush_paragraph(&mut self) {
        if self.word_limit == 0 {
            let buf = std::mem::take(&mut self.parabuf);
            self.out.extend_from_slice(&buf);
            return;
        }
        self.fmt_paragraph();
        let mut split_point = self.word_limit;
        let mut best_break = Cost::MAX;
        let mut w = self.words[0].next_break;
        while w != self.word_limit {
            let nb = self.words[w].next_break;
            let diff = self.words[w].best_cost - self.words[nb].best_cost;
            if diff < best_break {
                split_point = w;
                best_break = diff;
            }
            if best_break <= Cost::MAX - LINE_CREDIT {
                best_break += LINE_CREDIT;
            }
            w = nb;
        }
        self.put_paragraph(split_point);
        let shift = self.words[split_point].start;
        self.parabuf.drain(..shift);
        for w in &mut self.words[split_point..=self.word_limit] {
            w.start -= shift;
        }
        self.words.drain(..split_point);
        for w in &mut self.words {
            w.next_break = w.next_break.saturating_sub(split_point);
        }
        self.word_limit -= split_point;
    }

    fn fmt_paragraph(&mut self) {
        let limit = self.word_limit;
        self.words[limit].best_cost = 0;
        let saved = self.words[limit].length;
        self.words[limit].length = self.s.max_width;
        for start in (0..limit).rev() {
            let mut best = Cost::MAX;
            let mut len = if start == 0 {
                self.first_indent
            } else {
                self.other_indent
            };
            let mut w = start;
            len += self.words[w].length;
            loop {
                w += 1;
                let mut wcost = self
                    .line_cost(w, len)
                    .saturating_add(self.words[w].best_cost);
                if start == 0 && self.last_line_length > 0 {
                    wcost = wcost.saturating_add(ragged_cost(len - self.last_line_length));
                }
                if wcost < best {
                    best = wcost;
                    self.words[start].next_break = w;
                    self.words[start].line_length = len;
                }
                if w == limit {
                    break;
                }
                len += self.words[w - 1].space + self.words[w].length;
                if len >= self.s.max_width {
                    break;
                }
            }
            self.words[start].best_cost = best.saturating_add(self.base_cost(start));
        }
        self.words[limit].length = saved;
    }

    fn base_cost(&self, this: usize) -> Cost {
        let mut cost = LINE_COST;
        let w = &self.words;
        if this > 0 {
            let prev = &w[this - 1];
            if prev.period {
                if prev.final_ {
                    cost -= SENTENCE_BONUS;
                } else {
                    cost += NOBREAK_COST;
                }
            } else if prev.punct {
                cost -= PUNCT_BONUS;
            } else if this > 1 && w[this - 2].final_ {
                cost += widow_cost(prev.length);
            }
        }
        if w[this].paren {
            cost -= PAREN_BONUS;
        } else if w[this].final_ {
            cost += orphan_cost(w[this].length);
        }
        cost
    }

    fn line_cost(&self, next: usize, len: i64) -> Cost {
        if next == self.word_limit {
            return 0;
        }
        let n = self.s.goal_width - len;
        let mut cost = short_cost(n);
        if self.words[next].next_break != self.word_limit {
            let n = len - self.words[next].line_length;
            cost += ragged_cost(n);
        }
        cost
    }

    fn put_paragraph(&mut self, finish: usize) {
        self.put_line(0, self.first_indent);
        let mut w = self.words[0].next_break;
        while w != finish {
            self.put_line(w, self.other_indent);
            w = self.words[w].next_break;
        }
    }

    fn put_line(&mut self, mut w: usize, indent: i64) {
        self.out_column = 0;
        self.put_space(self.prefix_indent);
        let prefix = self.s.prefix.clone();
        self.out.extend_from_slice(&prefix);
        self.out_column += prefix.len() as i64;
        self.put_space(indent - self.out_column);
        let endline = self.words[w].next_break - 1;
        while w != endline {
            self.put_word(w);
            let sp = self.words[w].space;
            self.put_space(sp);
            w += 1;
        }
        self.put_word(w);
        self.last_line_length = self.out_column;
        self.putc(b'\n');
    }

    fn put_word(&mut self, w: usize) {
        let word = &self.words[w];
        let (s, l) = (word.start, word.length as usize);
        self.out.extend_from_slice(&self.parabuf[s..s + l]);
        self.out_column += l as i64;
    }

    fn put_space(&mut self, space: i64) {
        let space_target = self.out_column + space;
        if self.tabs {
            let tab_target = space_target / TABWIDTH * TABWIDTH;
            if self.out_column + 1 < tab_target {
                while self.out_column < tab_target {
                    self.putc(b'\t');
                    self.out_column = (self.out_column / TABWIDTH + 1) * TABWIDTH;
                }
            }
        }
        while self.out_column < space_target {
            self.putc(b' ');
            self.out_column += 1;
        }
    }
}

/// `xdectoumax`-style width: `Err` carries the message tail after `invalid width: 'X'`.
fn parse_width(v: &str, max: i64) -> Result<i64, String> {
    let t = v.trim_start();
    let digits = t.strip_prefix('+').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(String::new());
    }
    match digits.parse::<i64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(": Numerical result out of range".into()),
    }
}

#[async_trait]
impl Command for Fmt {
    async fn run(&self, ctx: &mut CommandContext, mut args: Vec<String>) -> CommandResult {
        let mut width_opt: Option<String> = None;
        if let Some(first) = args.first()
            && first.len() > 1
            && first.starts_with('-')
            && first.as_bytes()[1].is_ascii_digit()
        {
            width_opt = Some(first[1..].to_string());
            args.remove(0);
        }
        let parsed = match getopt::parse(&SPEC, &args) {
            Ok(p) => p,
            Err(m) => return usage_error(ctx, &m, 1).await,
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut prefix: Vec<u8> = Vec::new();
        let mut prefix_lead_space = 0;
        let mut prefix_full_length = 0;
        let mut goal_opt: Option<String> = None;
        for o in &parsed.opts {
            let k = o.key.as_str();
            if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() {
                let msg = format!(
                    "invalid option -- {k}; -WIDTH is recognized only when it is the first\noption; use -w N instead"
                );
                return usage_error(ctx, &msg, 1).await;
            }
            match k {
                "w" => width_opt = o.value.clone(),
                "g" => goal_opt = o.value.clone(),
                "p" => {
                    let p = o.value.clone().unwrap_or_default().into_bytes();
                    let lead = p.iter().take_while(|&&b| b == b' ').count();
                    let rest = &p[lead..];
                    prefix_full_length = rest.len() as i64;
                    let trimmed =
                        rest.len() - rest.iter().rev().take_while(|&&b| b == b' ').count();
                    prefix = rest[..trimmed].to_vec();
                    prefix_lead_space = lead as i64;
                }
                _ => {}
            }
        }
        let mut max_width: i64 = 75;
        if let Some(w) = &width_opt {
            match parse_width(w, (MAXCHARS / 2) as i64) {
                Ok(n) => max_width = n,
                Err(tail) => {
                    ctx.error(format!("invalid width: {}{tail}", lquote(w)))
                        .await?;
                    return Ok(1);
                }
            }
        }
        let goal_width = match &goal_opt {
            Some(g) => match parse_width(g, max_width) {
                Ok(n) => {
                    if width_opt.is_none() {
                        max_width = n + 10;
                    }
                    n
                }
                Err(tail) => {
                    ctx.error(format!("invalid width: {}{tail}", lquote(g)))
                        .await?;
                    return Ok(1);
                }
            },
            None => max_width * (2 * (100 - LEEWAY) + 1) / 200,
        };
        let settings = Settings {
            crown: parsed.has("c"),
            tagged: parsed.has("t"),
            split: parsed.has("s"),
            uniform: parsed.has("u"),
            prefix,
            prefix_full_length,
            prefix_lead_space,
            max_width,
            goal_width,
        };
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands.clone()
        };
        let mut status = 0;
        let mut prefix_indent = 0;
        for op in operands {
            let reader = match open_input(ctx, &op).await {
                Ok(r) => r,
                Err(e) if e.kind == ErrorKind::IsADirectory => {
                    ctx.error("read error").await?;
                    status = 1;
                    continue;
                }
                Err(e) => {
                    ctx.error(format!(
                        "cannot open {} for reading: {e}",
                        quote_always(&op)
                    ))
                    .await?;
                    status = 1;
                    continue;
                }
            };
            let mut f = Fmtr {
                s: &settings,
                reader,
                buf: Vec::new(),
                pos: 0,
                eof: false,
                read_failed: false,
                stdout: &mut ctx.stdout,
                out: Vec::new(),
                tabs: false,
                prefix_indent,
                first_indent: 0,
                other_indent: 0,
                in_column: 0,
                out_column: 0,
                next_char: EOF,
                next_prefix_indent: 0,
                last_line_length: 0,
                parabuf: Vec::new(),
                words: vec![Word::default()],
                word_limit: 0,
            };
            f.run().await?;
            prefix_indent = f.prefix_indent;
            let failed = f.read_failed;
            drop(f);
            if failed {
                ctx.error("read error").await?;
                status = 1;
            }
        }
        Ok(status)
    }
}
