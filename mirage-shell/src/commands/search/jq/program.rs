//! Compiling jq programs with jaq, adjusted to behave like jq 1.6.
//!
//! jaq's standard library is used as is, except for the filters whose output must match jq
//! 1.6 byte for byte or that must not touch the host process: `tostring`/`tojson` (number
//! format), `env` (the shell's environment, not the host's), `debug`/`stderr`/`halt_error`
//! (written to the command's stderr), and `input`/`inputs`/`input_filename` (our inputs).

use std::cell::RefCell;

use jaq_core::box_iter::box_once;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::native::{Fun, v};
use jaq_core::{Bind, Compiler, Cv, DataT, Exn, Lut, Native, RunPtr, ValXs, data};
use jaq_json::Val;
use jaq_std::input::{HasInputs, Inputs};

use super::format;

/// The kind of data our filters run on.
pub struct DataKind;

impl DataT for DataKind {
    type V<'a> = Val;
    type Data<'a> = &'a Data<'a>;
}

/// Global data of one run: the look-up table and the shared input stream.
pub struct Data<'a> {
    pub lut: &'a Lut<DataKind>,
    pub inputs: Inputs<'a, Val>,
}

impl<'a> data::HasLut<'a, DataKind> for &'a Data<'a> {
    fn lut(&self) -> &'a Lut<DataKind> {
        self.lut
    }
}

impl<'a> HasInputs<'a, Val> for &'a Data<'a> {
    fn inputs(&self) -> Inputs<'a, Val> {
        self.inputs
    }
}

/// A compiled program.
pub type Filter = jaq_core::Filter<DataKind>;

thread_local! {
    /// Messages for the command's stderr written by `debug`, `stderr` and `halt_error`, and
    /// the name of the input being read (for `input_filename`). The jq program runs on one
    /// thread, which drains this after each step.
    pub static SIDE: RefCell<Side> = RefCell::new(Side::default());
}

/// Side effects of running a program.
#[derive(Default)]
pub struct Side {
    pub stderr: Vec<u8>,
    pub filename: Option<String>,
    /// `NAME:LINE` of the input read last, for error messages.
    pub location: Option<String>,
}

/// Definitions replacing jaq's where jq 1.6 differs. Each replaces the definition of the same
/// name and arity in place, so later definitions that use it see the replacement.
const REPLACEMENTS: &str = r#"
def tostring: __jq_tostring;
def halt_error($exit_code): __jq_halt_error, halt($exit_code);
"#;

/// Definitions added after the standard library.
const EXTRA: &str = r#"
def env: $ENV;
def leaf_paths: paths(scalars);
def tonumber: if type == "number" then . else __jq_parse end;
"#;

/// Names of jaq natives replaced by ours (name, arity).
const DROPPED_NATIVES: &[(&str, usize)] = &[
    ("tojson", 0),
    ("fromjson", 0),
    ("env", 0),
    ("stderr_empty", 0),
    ("debug_empty", 0),
    ("input", 0),
    ("inputs", 0),
];

fn side<T>(f: impl FnOnce(&mut Side) -> T) -> T {
    SIDE.with(|s| f(&mut s.borrow_mut()))
}

fn empty<'a>() -> ValXs<'a, Val> {
    Box::new(core::iter::empty())
}

/// Text of a value as jq's `tostring` gives it.
pub fn tostring(v: &Val) -> Vec<u8> {
    match v {
        Val::TStr(s) | Val::BStr(s) => s.to_vec(),
        other => format::to_compact(other).into_bytes(),
    }
}

fn natives() -> Vec<Fun<DataKind>> {
    let own: Vec<(&'static str, Box<[Bind]>, RunPtr<DataKind>)> = vec![
        ("tojson", v(0), |cv: Cv<DataKind>| box_once(Ok(Val::utf8_str(format::to_compact(&cv.1).into_bytes())))),
        ("__jq_tostring", v(0), |cv: Cv<DataKind>| box_once(Ok(Val::utf8_str(tostring(&cv.1))))),
        ("stderr_empty", v(0), |cv: Cv<DataKind>| {
            let text = format::to_compact(&cv.1);
            side(|s| s.stderr.extend_from_slice(text.as_bytes()));
            empty()
        }),
        ("debug_empty", v(0), |cv: Cv<DataKind>| {
            let text = format!("[\"DEBUG:\",{}]\n", format::to_compact(&cv.1));
            side(|s| s.stderr.extend_from_slice(text.as_bytes()));
            empty()
        }),
        ("__jq_halt_error", v(0), |cv: Cv<DataKind>| {
            let text = match &cv.1 {
                Val::TStr(s) | Val::BStr(s) => s.to_vec(),
                other => format!("{}\n", format::to_compact(other)).into_bytes(),
            };
            side(|s| s.stderr.extend_from_slice(&text));
            empty()
        }),
        ("@csv", v(0), |cv: Cv<DataKind>| box_once(super::formats::csv(&cv.1).map_err(Exn::from))),
        ("@tsv", v(0), |cv: Cv<DataKind>| box_once(super::formats::tsv(&cv.1).map_err(Exn::from))),
        ("fromjson", v(0), |cv: Cv<DataKind>| box_once(super::formats::parse_text(&cv.1).map_err(Exn::from))),
        ("__jq_parse", v(0), |cv: Cv<DataKind>| box_once(super::formats::parse_text(&cv.1).map_err(Exn::from))),
        ("input_filename", v(0), |_cv: Cv<DataKind>| {
            let name = side(|s| s.filename.clone());
            box_once(Ok(name.map_or(Val::Null, |n| Val::utf8_str(n.into_bytes()))))
        }),
    ];
    let dropped = |name: &str, arity: usize| DROPPED_NATIVES.contains(&(name, arity));
    let base = jaq_core::funs::<DataKind>()
        .chain(jaq_std::funs::<DataKind>())
        .chain(jaq_json::funs::<DataKind>())
        .filter(move |(name, args, _)| !dropped(name, args.len()));
    let inputs = jaq_std::input::funs::<DataKind>().into_vec().into_iter().map(jaq_core::native::run::<DataKind>);
    let own = own.into_iter().map(|(name, args, f)| (name, args, Native::<DataKind>::new(f)));
    base.chain(inputs).chain(own).collect()
}

/// jaq's standard definitions with ours swapped in.
fn definitions() -> Vec<load::parse::Def<&'static str>> {
    let replacements: Vec<load::parse::Def<&'static str>> = load::parse(REPLACEMENTS, |p| p.defs()).unwrap_or_default();
    let extra: Vec<load::parse::Def<&'static str>> = load::parse(EXTRA, |p| p.defs()).unwrap_or_default();
    let mut out = Vec::new();
    for def in jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs()) {
        match replacements.iter().find(|r| r.name == def.name && r.args.len() == def.args.len()) {
            Some(r) => out.push(r.clone()),
            None => out.push(def),
        }
    }
    out.extend(extra);
    out
}

/// A compile failure, already in jq's words.
pub struct CompileError {
    pub messages: Vec<String>,
}

/// Compiles `code` with the given global variable names (each starting with `$`).
pub fn compile(code: &str, globals: &[String]) -> Result<Filter, CompileError> {
    let arena = Arena::default();
    let loader = Loader::new(definitions());
    let modules = loader.load(&arena, File { path: (), code }).map_err(|errs| load_errors(code, errs))?;
    Compiler::default()
        .with_funs(natives())
        .with_global_vars(globals.iter().map(String::as_str))
        .compile(modules)
        .map_err(|errs| {
            let mut messages = Vec::new();
            for (_file, list) in errs {
                for (name, undef) in list {
                    let what = match undef {
                        jaq_core::compile::Undefined::Filter(arity) => format!("{name}/{arity}"),
                        _ => name.to_string(),
                    };
                    messages.push(format!("{what} is not defined at <top-level>, line {}:\n{code}", line_of(code, name)));
                }
            }
            CompileError { messages }
        })
}

/// The 1-based line of `part` (a slice of `code`) in `code`.
fn line_of(code: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(code.as_ptr() as usize).min(code.len());
    code.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1
}

fn load_errors(code: &str, errs: load::Errors<&str, ()>) -> CompileError {
    let mut messages = Vec::new();
    for (_file, err) in errs {
        match err {
            load::Error::Io(list) => {
                for (path, e) in list {
                    messages.push(format!("{e} (module {path})"));
                }
            }
            load::Error::Lex(list) => {
                for (_expect, found) in list {
                    messages.push(syntax_error(code, found));
                }
            }
            load::Error::Parse(list) => {
                for (_expect, found) in list {
                    messages.push(syntax_error(code, found));
                }
            }
        }
    }
    if messages.is_empty() {
        messages.push(syntax_error(code, ""));
    }
    CompileError { messages }
}

/// A syntax error in jq 1.6's shape. jq's exact bison wording cannot be reproduced from jaq's
/// parser; the token and the line are.
fn syntax_error(code: &str, found: &str) -> String {
    let token = found.chars().next().map_or("$end".to_string(), |c| {
        if c.is_alphanumeric() || c == '_' {
            "IDENT".to_string()
        } else {
            format!("'{c}'")
        }
    });
    let line = if found.is_empty() { code.lines().count().max(1) } else { line_of(code, found) };
    format!("syntax error, unexpected {token} (Unix shell quoting issues?) at <top-level>, line {line}:\n{code}")
}
