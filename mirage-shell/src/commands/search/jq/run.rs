//! Running a jq program over its inputs, with jq 1.6's exit statuses and messages.
//!
//! jaq values are reference counted without atomics, so everything touching them runs on one
//! blocking thread; output travels back to the command in chunks over a bounded channel (a
//! reader that goes away stops the program).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use jaq_core::{Ctx, Vars};
use jaq_json::{Map, Rc, Val};
use jaq_std::input::RcIter;
use tokio::sync::mpsc::{Receiver, Sender};

use super::args::{Args, HINT, Positional};
use super::errors::message;
use super::format::{self, Style};
use super::input::{Feed, Source};
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
    /// The input as the command reads it (`None` when the program reads none).
    pub input: Option<Receiver<Feed>>,
    pub named: Vec<(String, Named)>,
    pub env: BTreeMap<String, String>,
}

const OUT_CHUNK: usize = 64 * 1024;

/// Output waiting to be sent to the command, shared with the input side, which sends it
/// before it waits for more input (so output never waits behind a slow producer).
#[derive(Clone)]
struct Pending {
    tx: Sender<Chunk>,
    out: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
    closed: std::rc::Rc<std::cell::Cell<bool>>,
    /// When the oldest byte in `out` was written.
    since: std::rc::Rc<std::cell::Cell<Option<Instant>>>,
}

impl Pending {
    /// Output has waited long enough.
    fn stale(&self) -> bool {
        self.since.get().is_some_and(|t| t.elapsed() >= OUT_DELAY)
    }

    fn flush(&self) {
        self.since.set(None);
        let data = std::mem::take(&mut *self.out.borrow_mut());
        if !data.is_empty() && self.tx.blocking_send(Chunk::Out(data)).is_err() {
            self.closed.set(true);
        }
    }
}

/// Output waits at most this long for more to join it, however busy the input keeps jq.
const OUT_DELAY: Duration = Duration::from_millis(20);

/// Buffers output and sends it to the command.
struct Emitter {
    pending: Pending,
    closed: bool,
}

impl Emitter {
    fn out(&mut self, data: &[u8]) {
        let full = {
            let mut out = self.pending.out.borrow_mut();
            out.extend_from_slice(data);
            out.len() >= OUT_CHUNK
        };
        if self.pending.since.get().is_none() {
            self.pending.since.set(Some(Instant::now()));
        }
        if full || self.pending.stale() {
            self.flush();
        }
    }

    fn err(&mut self, data: &[u8]) {
        self.flush();
        if !data.is_empty()
            && self
                .pending
                .tx
                .blocking_send(Chunk::Err(data.to_vec()))
                .is_err()
        {
            self.closed = true;
        }
    }

    fn flush(&mut self) {
        self.pending.flush();
        if self.pending.closed.get() {
            self.closed = true;
        }
    }

    /// Moves messages written by `debug`, `stderr` and `halt_error` to stderr.
    fn side_effects(&mut self) {
        let msgs = SIDE.with(|s| std::mem::take(&mut s.borrow_mut().stderr));
        if !msgs.is_empty() {
            self.err(&msgs);
        }
        if self.pending.closed.get() {
            self.closed = true;
        }
    }
}

/// How processing one input ended.
enum Step {
    Status(i32),
    Halt(i32),
}

/// Runs the job; returns the exit status.
pub fn run(mut job: Job, tx: Sender<Chunk>) -> i32 {
    SIDE.with(|s| *s.borrow_mut() = program::Side::default());
    let mut em = Emitter {
        pending: Pending {
            tx,
            out: Default::default(),
            closed: Default::default(),
            since: Default::default(),
        },
        closed: false,
    };
    let status = run_inner(&mut job, &mut em);
    em.side_effects();
    em.flush();
    status
}

fn run_inner(job: &mut Job, em: &mut Emitter) -> i32 {
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
    let mut failed = std::rc::Rc::new(std::cell::Cell::new(false));
    let source: Box<dyn Iterator<Item = Result<Val, String>>> = match job.input.take() {
        Some(rx) => {
            let pending = em.pending.clone();
            let source = Source::new(
                rx,
                Box::new(move |now| {
                    if now || pending.stale() {
                        pending.flush();
                    }
                }),
            );
            failed = source.failed.clone();
            inputs(&job.args, source)
        }
        None => Box::new(std::iter::empty()),
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
        // jq 1.6 reads no further input once one could not be read: the value it was
        // reading is the last.
        while !failed.get() {
            let next = (&inputs).next();
            match next {
                None => break,
                Some(Ok(v)) => match process(v, em) {
                    Step::Status(s) => ret = s,
                    Step::Halt(code) => return code,
                },
                Some(Err(msg)) => {
                    // Messages about inputs that could not be opened come first.
                    em.side_effects();
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
    if failed.get() {
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
    SIDE.with(|s| {
        s.borrow()
            .location
            .as_ref()
            .map_or_else(|| "<unknown>".to_string(), |(n, l)| format!("{n}:{l}"))
    })
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
/// values in one array (`-s`), read as the program asks for them. Each value records its
/// location for error messages.
fn inputs(a: &Args, mut source: Source) -> Box<dyn Iterator<Item = Result<Val, String>>> {
    source.keep_end = a.slurp;
    if a.raw_input {
        if a.slurp {
            let mut once = Some(source);
            return Box::new(std::iter::from_fn(move || {
                let mut source = once.take()?;
                Some(Ok(parse::string_val(&source.rest())))
            }));
        }
        return Box::new(std::iter::from_fn(move || {
            source.next_line().map(|line| Ok(parse::string_val(&line)))
        }));
    }
    if a.stream {
        source.set_stream();
    }
    if a.slurp {
        let mut slurped = false;
        return Box::new(std::iter::from_fn(move || {
            if slurped {
                // What jq 1.6 leaves over after slurping (see `slurp_stops`).
                return source.next_value();
            }
            slurped = true;
            let mut all = Vec::new();
            while let Some(r) = source.next_value() {
                match r {
                    Ok(v) => all.push(v),
                    Err(e) => return Some(Err(e)),
                }
                if source.slurp_stops() {
                    break;
                }
            }
            Some(Ok(Val::Arr(Rc::new(all))))
        }));
    }
    Box::new(std::iter::from_fn(move || source.next_value()))
}
