//! `join`: join lines of two sorted files on a common field (`-1 -2 -j`, `-t`, `-a -v`,
//! `-o` with `auto`, `-e`, `-i`, `--header`). Follows GNU's merge loop, including the unsorted-input
//! warnings (`FILE:N: is not sorted: LINE`) and `--check-order`. Inputs are streamed; only
//! the run of lines sharing one key is held.

use std::cmp::Ordering;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Reader};

use super::support::{
    HELP, VERSION, open_input, parse_opts, read_line, refuse_help, unsupported, usage_error,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Join;

const SPEC: OptSpec = OptSpec {
    short: "a:e:i1:2:j:o:t:v:z",
    long: &[
        LongOpt {
            name: "ignore-case",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "check-order",
            has_arg: HasArg::No,
            key: "check",
        },
        LongOpt {
            name: "nocheck-order",
            has_arg: HasArg::No,
            key: "nocheck",
        },
        LongOpt {
            name: "header",
            has_arg: HasArg::No,
            key: "header",
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

#[derive(PartialEq, Clone, Copy)]
enum Check {
    Default,
    On,
    Off,
}

/// One input line split into fields.
#[derive(Clone, Debug)]
struct Line {
    text: Vec<u8>,
    fields: Vec<(usize, usize)>,
}

impl Line {
    fn field(&self, i: usize) -> &[u8] {
        match self.fields.get(i) {
            Some(&(s, e)) => &self.text[s..e],
            None => b"",
        }
    }
}

fn split(text: Vec<u8>, sep: Option<u8>) -> Line {
    let mut fields = Vec::new();
    match sep {
        Some(t) => {
            let mut start = 0;
            for (i, &c) in text.iter().enumerate() {
                if c == t {
                    fields.push((start, i));
                    start = i + 1;
                }
            }
            if !text.is_empty() {
                fields.push((start, text.len()));
            }
        }
        None => {
            let blank = |c: u8| c == b' ' || c == b'\t';
            let mut i = 0;
            while i < text.len() {
                while i < text.len() && blank(text[i]) {
                    i += 1;
                }
                if i >= text.len() {
                    break;
                }
                let s = i;
                while i < text.len() && !blank(text[i]) {
                    i += 1;
                }
                fields.push((s, i));
            }
        }
    }
    Line { text, fields }
}

struct Input {
    name: String,
    reader: Reader,
    field: usize,
    number: u64,
    prev: Option<Line>,
    warned: bool,
}

struct Joiner {
    sep: Option<u8>,
    ignore_case: bool,
    check: Check,
    seen_unpairable: bool,
    unpaired: [bool; 2],
    pairs: bool,
    empty: Option<Vec<u8>>,
    /// `-o` list: (file 0/1/2 where 0 is the join field, field index).
    format: Option<Vec<(usize, usize)>>,
    auto: bool,
    /// `--header`: the first lines are joined as a heading, whatever their keys.
    header: bool,
    out: Vec<u8>,
}

impl Joiner {
    fn cmp_keys(&self, a: &Line, fa: usize, b: &Line, fb: usize) -> Ordering {
        let (x, y) = (a.field(fa), b.field(fb));
        if self.ignore_case {
            x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
        } else {
            x.cmp(y)
        }
    }

    /// Reads the next line of input `w` (0 or 1), checking its order against the previous.
    async fn get_line(
        &mut self,
        ctx: &mut CommandContext,
        inp: &mut Input,
    ) -> std::io::Result<Result<Option<Line>, i32>> {
        let mut buf = Vec::new();
        if !read_line(&mut inp.reader, &mut buf).await? {
            return Ok(Ok(None));
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        inp.number += 1;
        let line = split(buf, self.sep);
        if let Some(prev) = &inp.prev
            && self.check != Check::Off
            && (self.check == Check::On || self.seen_unpairable)
            && !inp.warned
            && self.cmp_keys(prev, inp.field, &line, inp.field) == Ordering::Greater
        {
            let msg = format!(
                "{}:{}: is not sorted: {}",
                inp.name,
                inp.number,
                String::from_utf8_lossy(&line.text)
            );
            // GNU's error() flushes what was joined so far first.
            ctx.stdout.write_all(&self.out).await?;
            self.out.clear();
            ctx.stdout.flush().await?;
            ctx.error(msg).await?;
            inp.warned = true;
            if self.check == Check::On {
                return Ok(Err(1));
            }
        }
        inp.prev = Some(line.clone());
        Ok(Ok(Some(line)))
    }

    fn put_field(&mut self, f: &[u8], first: &mut bool) {
        if !*first {
            self.out.push(self.sep.unwrap_or(b' '));
        }
        *first = false;
        self.out.extend_from_slice(f);
    }

    /// Prints one output line from `l1`/`l2` (either may be missing for unpaired lines).
    fn print(&mut self, l1: Option<&Line>, l2: Option<&Line>, f1: usize, f2: usize) {
        let mut first = true;
        if let Some(fmt) = self.format.clone() {
            for (file, idx) in fmt {
                let (line, jf) = match file {
                    0 => match (l1, l2) {
                        (Some(l), _) => (Some(l), f1),
                        (None, l) => (l, f2),
                    },
                    1 => (l1, idx),
                    _ => (l2, idx),
                };
                let field = match (file, line) {
                    (0, Some(l)) => Some(l.field(jf).to_vec()),
                    (_, Some(l)) if idx < l.fields.len() => Some(l.field(idx).to_vec()),
                    _ => None,
                };
                let text = field.or_else(|| self.empty.clone()).unwrap_or_default();
                self.put_field(&text, &mut first);
            }
        } else {
            let (line, jf) = match (l1, l2) {
                (Some(l), _) => (Some(l), f1),
                (None, l) => (l, f2),
            };
            let key = match line {
                Some(l) if jf < l.fields.len() => l.field(jf).to_vec(),
                _ => self.empty.clone().unwrap_or_default(),
            };
            self.put_field(&key, &mut first);
            for (line, jf) in [(l1, f1), (l2, f2)] {
                if let Some(l) = line {
                    for i in 0..l.fields.len() {
                        if i != jf {
                            let f = l.field(i).to_vec();
                            self.put_field(&f, &mut first);
                        }
                    }
                }
            }
        }
        self.out.push(b'\n');
    }

    fn single(&mut self, which: usize, line: &Line, f: [usize; 2]) {
        if which == 0 {
            self.print(Some(line), None, f[0], f[1]);
        } else {
            self.print(None, Some(line), f[0], f[1]);
        }
    }
}

/// Parses an `-o` list (`0`, `N.M`, separated by commas or blanks).
fn parse_format(spec: &str, list: &mut Vec<(usize, usize)>) -> Result<(), String> {
    for item in spec.split([',', ' ', '\t']).filter(|s| !s.is_empty()) {
        if item == "0" {
            list.push((0, 0));
            continue;
        }
        let (file, field) = item.split_once('.').unwrap_or((item, ""));
        let file_n = match file {
            "1" => 1,
            "2" => 2,
            _ => {
                return Err(format!(
                    "invalid file number in field spec: {}",
                    lquote(item)
                ));
            }
        };
        match field.parse::<usize>() {
            Ok(n) if n > 0 => list.push((file_n, n - 1)),
            _ => return Err(format!("invalid field number: {}", lquote(field))),
        }
    }
    Ok(())
}

fn parse_field(v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n - 1),
        _ => Err(format!("invalid field number: {}", lquote(v))),
    }
}

#[async_trait]
impl Command for Join {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        if parsed.has("z") {
            return unsupported(ctx, "-z").await;
        }
        let mut j = Joiner {
            sep: None,
            ignore_case: parsed.has("i"),
            check: Check::Default,
            seen_unpairable: false,
            unpaired: [false; 2],
            pairs: true,
            empty: None,
            format: None,
            auto: false,
            header: parsed.has("header"),
            out: Vec::new(),
        };
        let mut fields = [0usize, 0];
        let mut format = Vec::new();
        for o in &parsed.opts {
            let v = o.value.as_deref().unwrap_or("");
            let r: Result<(), String> = match o.key.as_str() {
                "a" | "v" => match v {
                    "1" | "2" => {
                        j.unpaired[usize::from(v == "2")] = true;
                        if o.key == "v" {
                            j.pairs = false;
                        }
                        Ok(())
                    }
                    _ => Err(format!("invalid field number: {}", lquote(v))),
                },
                "e" => {
                    j.empty = Some(v.as_bytes().to_vec());
                    Ok(())
                }
                "1" => parse_field(v).map(|n| fields[0] = n),
                "2" => parse_field(v).map(|n| fields[1] = n),
                "j" => parse_field(v).map(|n| fields = [n, n]),
                "o" if v == "auto" => {
                    j.auto = true;
                    Ok(())
                }
                "o" => parse_format(v, &mut format),
                "t" => {
                    let tab = match v.as_bytes() {
                        [] => Ok(b'\n'),
                        [b] => Ok(*b),
                        b"\\0" => Ok(0),
                        _ => Err(format!("multi-character tab {}", lquote(v))),
                    };
                    match tab {
                        Ok(t) if j.sep.is_some_and(|old| old != t) => {
                            Err("incompatible tabs".to_string())
                        }
                        Ok(t) => {
                            j.sep = Some(t);
                            Ok(())
                        }
                        Err(m) => Err(m),
                    }
                }
                "check" => {
                    j.check = Check::On;
                    Ok(())
                }
                "nocheck" => {
                    j.check = Check::Off;
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(m) = r {
                ctx.error(m).await?;
                return Ok(1);
            }
        }
        if parsed.has("o") && !j.auto {
            j.format = Some(format);
        }
        let ops = &parsed.operands;
        if ops.len() < 2 {
            let m = match ops.first() {
                None => "missing operand".to_string(),
                Some(a) => format!("missing operand after {}", lquote(a)),
            };
            return usage_error(ctx, &m, 1).await;
        }
        if ops.len() > 2 {
            let m = format!("extra operand '{}'", ops[2]);
            return usage_error(ctx, &m, 1).await;
        }
        let mut inputs = Vec::new();
        for (k, op) in ops.iter().enumerate() {
            match open_input(ctx, op).await {
                Ok(reader) => inputs.push(Input {
                    name: op.clone(),
                    reader,
                    field: fields[k],
                    number: 0,
                    prev: None,
                    warned: false,
                }),
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    return Ok(1);
                }
            }
        }
        let status = run_join(ctx, &mut j, &mut inputs, fields).await?;
        ctx.stdout.write_all(&j.out).await?;
        if status != 0 {
            return Ok(status);
        }
        if j.check != Check::Off && inputs.iter().any(|i| i.warned) {
            ctx.stdout.flush().await?;
            ctx.error("input is not in sorted order").await?;
            return Ok(1);
        }
        Ok(0)
    }
}

macro_rules! get {
    ($j:expr, $ctx:expr, $inp:expr) => {
        match $j.get_line($ctx, $inp).await? {
            Ok(l) => l,
            Err(s) => return Ok(s),
        }
    };
}

/// GNU's merge loop over the two inputs; output accumulates in `j.out` and is flushed often.
async fn run_join(
    ctx: &mut CommandContext,
    j: &mut Joiner,
    inputs: &mut [Input],
    f: [usize; 2],
) -> std::io::Result<i32> {
    let (a, b) = inputs.split_at_mut(1);
    let (in1, in2) = (&mut a[0], &mut b[0]);
    let mut seq1: Vec<Line> = get!(j, ctx, in1).into_iter().collect();
    let mut seq2: Vec<Line> = get!(j, ctx, in2).into_iter().collect();
    if j.auto {
        let n1 = seq1.first().map_or(0, |l| l.fields.len());
        let n2 = seq2.first().map_or(0, |l| l.fields.len());
        let mut fmt = vec![(0, 0)];
        fmt.extend((0..n1).filter(|&i| i != f[0]).map(|i| (1, i)));
        fmt.extend((0..n2).filter(|&i| i != f[1]).map(|i| (2, i)));
        j.format = Some(fmt);
    }
    if j.header && (!seq1.is_empty() || !seq2.is_empty()) {
        j.print(seq1.first(), seq2.first(), f[0], f[1]);
        // The heading is no predecessor for the order check.
        in1.prev = None;
        in2.prev = None;
        if !seq1.is_empty() {
            seq1 = get!(j, ctx, in1).into_iter().collect();
        }
        if !seq2.is_empty() {
            seq2 = get!(j, ctx, in2).into_iter().collect();
        }
    }
    while !seq1.is_empty() && !seq2.is_empty() {
        if j.out.len() > 8192 {
            ctx.stdout.write_all(&j.out).await?;
            j.out.clear();
        }
        match j.cmp_keys(&seq1[0], f[0], &seq2[0], f[1]) {
            Ordering::Less => {
                if j.unpaired[0] {
                    j.single(0, &seq1[0], f);
                }
                j.seen_unpairable = true;
                seq1 = get!(j, ctx, in1).into_iter().collect();
                continue;
            }
            Ordering::Greater => {
                if j.unpaired[1] {
                    j.single(1, &seq2[0], f);
                }
                j.seen_unpairable = true;
                seq2 = get!(j, ctx, in2).into_iter().collect();
                continue;
            }
            Ordering::Equal => {}
        }
        let (mut eof1, mut eof2) = (false, false);
        let mut next1 = None;
        loop {
            match get!(j, ctx, in1) {
                None => {
                    eof1 = true;
                    break;
                }
                Some(l) => {
                    if j.cmp_keys(&l, f[0], &seq2[0], f[1]) == Ordering::Equal {
                        seq1.push(l);
                    } else {
                        next1 = Some(l);
                        break;
                    }
                }
            }
        }
        let mut next2 = None;
        loop {
            match get!(j, ctx, in2) {
                None => {
                    eof2 = true;
                    break;
                }
                Some(l) => {
                    if j.cmp_keys(&seq1[0], f[0], &l, f[1]) == Ordering::Equal {
                        seq2.push(l);
                    } else {
                        next2 = Some(l);
                        break;
                    }
                }
            }
        }
        if j.pairs {
            for l1 in &seq1 {
                for l2 in &seq2 {
                    j.print(Some(l1), Some(l2), f[0], f[1]);
                }
            }
        }
        seq1 = if eof1 {
            Vec::new()
        } else {
            next1.into_iter().collect()
        };
        seq2 = if eof2 {
            Vec::new()
        } else {
            next2.into_iter().collect()
        };
    }
    let checktail = j.check != Check::Off && !(in1.warned && in2.warned);
    for (k, seq, inp) in [(0, seq1, &mut *in1), (1, seq2, &mut *in2)] {
        if !(j.unpaired[k] || checktail) || seq.is_empty() {
            continue;
        }
        if j.unpaired[k] {
            j.single(k, &seq[0], f);
        }
        while let Some(l) = get!(j, ctx, inp) {
            if j.unpaired[k] {
                j.single(k, &l, f);
            }
            if inp.warned && !j.unpaired[k] {
                break;
            }
        }
    }
    Ok(0)
}
