//! Running a jq program over its inputs, with jq 1.6's exit statuses and messages.
//!
//! jaq values are reference counted without atomics, so everything touching them runs on one
//! blocking thread; output travels back to the command in chunks over a bounded channel (a
//! reader that goes away stops the program).

use std::collections::BTreeMap;

use jaq_core::{Ctx, Vars};
use jaq_json::{Map, Rc, Val};
use jaq_std::input::RcIter;
use tokio::sync::mpsc::Sender;

use super::args::{Args, HINT, Positional};
use super::errors::message;
use super::format::{self, Style};
use super::parse::{self, Parser};
use super::program::{self, Data, SIDE};

/// A piece of output for the command's stdout or stderr.
pub enum Chunk {
    Out(Vec<u8>),
    Err(Vec<u8>),
}

/// A named variable's value as read by the command.
pub enum Named {
    Text(String),
    Json(String),
    /// `--slurpfile`: the file's bytes, or the message if it could not be read.
    Slurp(Result<Vec<u8>, String>, String),
    Raw(Vec<u8>),
}

/// Everything the worker needs; all plain data so it can cross to the worker thread.
pub struct Job {
    pub args: Args,
    pub program: String,
    /// All input files concatenated (jq reads them as one stream).
    pub data: Vec<u8>,
    /// (name, start, end) of each input within `data`.
    pub segments: Vec<(String, usize, usize)>,
    pub named: Vec<(String, Named)>,
    pub env: BTreeMap<String, String>,
    /// A file could not be read (exit status 2 at the end).
    pub input_errors: bool,
    /// Where line counting for input locations got to: (segment start, byte offset, lines
    /// before it). Values arrive in order, so each location continues from the last one
    /// instead of recounting the input from its start (which made a 200k-line file quadratic).
    pub line_cursor: std::cell::Cell<(usize, usize, usize)>,
}

const OUT_CHUNK: usize = 64 * 1024;

/// Buffers output and sends it to the command.
struct Emitter {
    tx: Sender<Chunk>,
    out: Vec<u8>,
    closed: bool,
}

impl Emitter {
    fn out(&mut self, data: &[u8]) {
        self.out.extend_from_slice(data);
        if self.out.len() >= OUT_CHUNK {
            self.flush();
        }
    }

    fn err(&mut self, data: &[u8]) {
        self.flush();
        if !data.is_empty() && self.tx.blocking_send(Chunk::Err(data.to_vec())).is_err() {
            self.closed = true;
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            let data = std::mem::take(&mut self.out);
            if self.tx.blocking_send(Chunk::Out(data)).is_err() {
                self.closed = true;
            }
        }
    }

    /// Moves messages written by `debug`, `stderr` and `halt_error` to stderr.
    fn side_effects(&mut self) {
        let msgs = SIDE.with(|s| std::mem::take(&mut s.borrow_mut().stderr));
        if !msgs.is_empty() {
            self.err(&msgs);
        }
    }
}

/// How processing one input ended.
enum Step {
    Status(i32),
    Halt(i32),
}

/// Runs the job; returns the exit status.
pub fn run(job: Job, tx: Sender<Chunk>) -> i32 {
    SIDE.with(|s| *s.borrow_mut() = program::Side::default());
    let mut em = Emitter {
        tx,
        out: Vec::new(),
        closed: false,
    };
    let status = run_inner(&job, &mut em);
    em.side_effects();
    em.flush();
    status
}

fn run_inner(job: &Job, em: &mut Emitter) -> i32 {
    let (names, values) = match globals(job) {
        Ok(v) => v,
        Err(msg) => {
            em.err(msg.as_bytes());
            return 2;
        }
    };
    let filter = match program::compile(&job.program, &names) {
        Ok(f) => f,
        Err(e) => {
            let mut text = String::new();
            for m in &e.messages {
                text.push_str(&format!("jq: error: {m}\n"));
            }
            let n = e.messages.len();
            text.push_str(&format!(
                "jq: {n} compile {}\n",
                if n == 1 { "error" } else { "errors" }
            ));
            em.err(text.as_bytes());
            return 3;
        }
    };
    let a = &job.args;
    let style = Style {
        indent: if a.compact {
            None
        } else if a.tab {
            Some("\t".to_string())
        } else if a.indent == 0 {
            None
        } else {
            Some(" ".repeat(a.indent))
        },
        sort_keys: a.sort_keys,
        ascii: a.ascii,
    };
    let source: Box<dyn Iterator<Item = Result<Val, String>>> = inputs(job);
    let inputs = RcIter::new(source);
    let data = Data {
        lut: &filter.lut,
        inputs: &inputs,
    };
    let ctx = Ctx::<program::DataKind>::new(&data, Vars::new(values));
    let mut ret = 0;
    let process = |v: Val, em: &mut Emitter| -> Step {
        let mut status = 14;
        for out in filter.id.run((ctx.clone(), v)) {
            em.side_effects();
            if em.closed {
                return Step::Halt(crate::exec::STATUS_BROKEN_PIPE);
            }
            match out {
                Ok(val) => {
                    write_output(em, &val, &style, a);
                    status = if matches!(val, Val::Null | Val::Bool(false)) {
                        11
                    } else {
                        0
                    };
                }
                Err(exn) => match exn.get_halt() {
                    Ok(code) => return Step::Halt(code),
                    Err(exn) => {
                        if let Ok(err) = exn.get_err()
                            && let Some(text) = message(err, &location())
                        {
                            em.err(text.as_bytes());
                            status = 5;
                        }
                        break;
                    }
                },
            }
        }
        Step::Status(status)
    };
    if a.null_input {
        match process(Val::Null, em) {
            Step::Status(s) => ret = s,
            Step::Halt(code) => return code,
        }
    } else {
        loop {
            let next = (&inputs).next();
            match next {
                None => break,
                Some(Ok(v)) => match process(v, em) {
                    Step::Status(s) => ret = s,
                    Step::Halt(code) => return code,
                },
                Some(Err(msg)) => {
                    em.err(format!("parse error: {msg}\n").as_bytes());
                    ret = 4;
                    break;
                }
            }
            if em.closed {
                return crate::exec::STATUS_BROKEN_PIPE;
            }
        }
    }
    if job.input_errors {
        ret = 2;
    }
    if ret >= 10 {
        return if a.exit_status { ret - 10 } else { 0 };
    }
    ret
}

fn write_output(em: &mut Emitter, val: &Val, style: &Style, a: &Args) {
    let mut buf = Vec::new();
    match val {
        Val::TStr(s) | Val::BStr(s) if a.raw_output => buf.extend_from_slice(s),
        other => format::write_value(&mut buf, other, style),
    }
    if !a.join_output {
        buf.push(b'\n');
    }
    em.out(&buf);
}

/// The location jq reports in runtime errors: the current input and line.
fn location() -> String {
    SIDE.with(|s| s.borrow().location.clone())
        .unwrap_or_else(|| "<unknown>".to_string())
}

/// Names and values of the global variables: named arguments, `$ENV`, `$ARGS`.
fn globals(job: &Job) -> Result<(Vec<String>, Vec<Val>), String> {
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut named = Map::default();
    for (name, value) in &job.named {
        let v = match value {
            Named::Text(t) => Val::utf8_str(t.clone().into_bytes()),
            Named::Raw(bytes) => parse::string_val(bytes),
            Named::Json(text) => parse::parse_one(text.as_bytes())
                .map_err(|_| format!("jq: invalid JSON text passed to --argjson\n{HINT}"))?,
            Named::Slurp(bytes, file) => {
                let bytes = bytes
                    .as_ref()
                    .map_err(|e| format!("jq: Bad JSON in --slurpfile {name} {file}: {e}\n"))?;
                let mut all = Vec::new();
                let mut p = Parser::new(bytes);
                while let Some(r) = p.next_value() {
                    match r {
                        Ok((v, _)) => all.push(v),
                        Err(e) => {
                            return Err(format!(
                                "jq: Bad JSON in --slurpfile {name} {file}: {e}\n"
                            ));
                        }
                    }
                }
                Val::Arr(Rc::new(all))
            }
        };
        named.insert(Val::utf8_str(name.clone().into_bytes()), v.clone());
        names.push(format!("${name}"));
        values.push(v);
    }
    let env: Map = job
        .env
        .iter()
        .map(|(k, v)| {
            (
                Val::utf8_str(k.clone().into_bytes()),
                Val::utf8_str(v.clone().into_bytes()),
            )
        })
        .collect();
    names.push("$ENV".to_string());
    values.push(Val::obj(env));
    let mut positional = Vec::new();
    for p in &job.args.positional {
        positional.push(match p {
            Positional::Text(t) => Val::utf8_str(t.clone().into_bytes()),
            Positional::Json(t) => parse::parse_one(t.as_bytes())
                .map_err(|_| format!("jq: invalid JSON text passed to --jsonargs\n{HINT}"))?,
        });
    }
    let mut args = Map::default();
    args.insert(
        Val::utf8_str(b"positional".to_vec()),
        Val::Arr(Rc::new(positional)),
    );
    args.insert(Val::utf8_str(b"named".to_vec()), Val::obj(named));
    names.push("$ARGS".to_string());
    values.push(Val::obj(args));
    Ok((names, values))
}

/// The input values: raw lines (`-R`), the whole text (`-R -s`), JSON values, or all JSON
/// values in one array (`-s`). Each value records its location for error messages.
fn inputs(job: &Job) -> Box<dyn Iterator<Item = Result<Val, String>> + '_> {
    let a = &job.args;
    let data = job.data.as_slice();
    if a.raw_input {
        if a.slurp {
            set_location(job, data.len());
            return Box::new(std::iter::once(Ok(parse::string_val(data))));
        }
        let mut pos = 0;
        return Box::new(std::iter::from_fn(move || {
            if pos >= data.len() {
                return None;
            }
            let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
            let line = &data[pos..end];
            pos = (end + 1).min(data.len().max(end + 1));
            set_location(job, pos);
            Some(Ok(parse::string_val(line)))
        }));
    }
    let mut parser = Parser::new(data);
    if a.slurp {
        let mut all = Vec::new();
        while let Some(r) = parser.next_value() {
            match r {
                Ok((v, _)) if a.stream => stream_events(&v, &mut Vec::new(), &mut all),
                Ok((v, _)) => all.push(v),
                Err(e) => return Box::new(std::iter::once(Err(e))),
            }
        }
        set_location(job, data.len());
        return Box::new(std::iter::once(Ok(Val::Arr(Rc::new(all)))));
    }
    if a.stream {
        let mut pending = std::collections::VecDeque::new();
        return Box::new(std::iter::from_fn(move || {
            if let Some(ev) = pending.pop_front() {
                return Some(Ok(ev));
            }
            match parser.next_value()? {
                Ok((v, end)) => {
                    set_location(job, end);
                    let mut evs = Vec::new();
                    stream_events(&v, &mut Vec::new(), &mut evs);
                    pending.extend(evs);
                    pending.pop_front().map(Ok)
                }
                Err(e) => Some(Err(e)),
            }
        }));
    }
    Box::new(std::iter::from_fn(move || {
        let Some(r) = parser.next_value() else {
            // Past the last value jq's location is the end of the input.
            set_location(job, data.len());
            return None;
        };
        Some(r.map(|(v, end)| {
            set_location(job, end);
            v
        }))
    }))
}

/// jq's `--stream` events of a value: `[path, leaf]` for scalars and empty containers, and
/// `[path]` after the last element of each container.
fn stream_events(v: &Val, path: &mut Vec<Val>, out: &mut Vec<Val>) {
    let arr = |items: Vec<Val>| Val::Arr(Rc::new(items));
    let children: Vec<(Val, &Val)> = match v {
        Val::Arr(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (Val::from(i as isize), x))
            .collect(),
        Val::Obj(o) => o.iter().map(|(k, x)| (k.clone(), x)).collect(),
        _ => Vec::new(),
    };
    if children.is_empty() {
        out.push(arr(vec![arr(path.clone()), v.clone()]));
        return;
    }
    let mut last = None;
    for (k, x) in children {
        path.push(k.clone());
        stream_events(x, path, out);
        path.pop();
        last = Some(k);
    }
    if let Some(k) = last {
        let mut p = path.clone();
        p.push(k);
        out.push(arr(vec![arr(p)]));
    }
}

/// Records where the input read so far ends: jq reads line by line, so a value's location is
/// the number of complete lines read up to the end of the line where the value ended.
fn set_location(job: &Job, end: usize) {
    let data = &job.data;
    let at = end.saturating_sub(1);
    let Some((name, start, seg_end)) = job
        .segments
        .iter()
        .find(|(_, s, e)| at >= *s && at < *e)
        .or(job.segments.last())
    else {
        return;
    };
    let line_end = match memchr::memchr(b'\n', &data[at.min(*seg_end)..*seg_end]) {
        Some(i) => at + i + 1,
        None => *seg_end,
    };
    let line_end = line_end.max(*start);
    let (cursor_start, cursor_pos, cursor_lines) = job.line_cursor.get();
    let (from, before) = if cursor_start == *start && cursor_pos <= line_end {
        (cursor_pos, cursor_lines)
    } else {
        (*start, 0)
    };
    let lines = before + memchr::memchr_iter(b'\n', &data[from..line_end]).count();
    job.line_cursor.set((*start, line_end, lines));
    let loc = format!("{name}:{lines}");
    let file = if name == "<stdin>" {
        "<stdin>".to_string()
    } else {
        name.clone()
    };
    SIDE.with(|s| {
        let mut s = s.borrow_mut();
        s.location = Some(loc);
        s.filename = Some(file);
    });
}
