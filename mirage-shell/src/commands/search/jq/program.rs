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
    /// The input read last and how many of its lines were read, for error messages
    /// (`NAME:LINE`) and `input_filename`.
    pub location: Option<(std::rc::Rc<str>, usize)>,
}

/// Definitions replacing jaq's where jq 1.6 differs. Each replaces the definition of the same
/// name and arity in place, so later definitions that use it see the replacement; they may
/// only use natives and what jaq defines before them (`error` comes first: `[][0]` is null).
/// In jq 1.6, `error(null)` behaves like `empty`.
const REPLACEMENTS: &str = r#"
def error: if . == [][0] then empty else error_empty as $x | . end;
def error(msgs): msgs as $m | if $m == [][0] then empty else ($m | error_empty) as $x | . end;
def tostring: __jq_tostring;
def @text: tostring;
def halt_error($exit_code): __jq_halt_error, halt($exit_code);
"#;

/// Helpers for the rewritten program (see `transform`), added after the standard library and
/// not rewritten themselves.
const HELPERS: &str = r#"
def __jq_index($k):
  if type == "object" and ($k | type) != "string" then error("Cannot index object with \($k | type)")
  else .[$k | __jq_key] end;
def __jq_index_opt($k):
  if type == "object" and ($k | type) != "string" then empty else .[$k | __jq_key]? end;
def __jq_assign(p; $v): __jq_assign_paths([path(p)]; $v);
def __jq_modify(p; f): __jq_modify_paths([path(p)]; f);
def __jq_update_add(p; $x): __jq_modify(p; . + $x);
def __jq_update_sub(p; $x): __jq_modify(p; . - $x);
def __jq_update_mul(p; $x): __jq_modify(p; . * $x);
def __jq_update_div(p; $x): __jq_modify(p; . / $x);
def __jq_update_rem(p; $x): __jq_modify(p; . % $x);
def __jq_update_alt(p; $x): __jq_modify(p; . // $x);
def __jq_slice_start: if type == "number" then floor else . end;
def __jq_slice_end: if type == "number" then ceil else . end;
def __jq_div(l; r): r as $r | l as $l | __jq_divide($l; $r);
def __jq_rem(l; r): r as $r | l as $l | __jq_remainder($l; $r);
"#;

/// Definitions added after the standard library: jq 1.6 builtins jaq lacks, and jq 1.6's
/// versions of builtins whose results or errors differ (wrapping jaq's natives, which stay
/// reachable under a `__jaq_` alias).
const EXTRA: &str = r#"
def env: $ENV;
def range($from; $upto):
  if ($from | type) != "number" or ($upto | type) != "number" then error("Range bounds must be numeric")
  else range($from; $upto; 1) end;
def range($upto): range(0; $upto);
def limit($n; f):
  if $n > 0 then __jaq_limit($n; f) elif $n == 0 then first(f) else f end;
def ltrimstr($x): if type == "string" and ($x | type) == "string" then __jaq_ltrimstr($x) else . end;
def rtrimstr($x): if type == "string" and ($x | type) == "string" then __jaq_rtrimstr($x) else . end;
def @base32: error("base32 is not a valid format");
def @base32d: error("base32d is not a valid format");
def scan($re; $flags):
  match($re; "g" + $flags) | if (.captures | length) > 0 then [.captures[].string] else .string end;
def scan($re): scan($re; null);
def strftime($f):
  if type == "number" or type == "array" then __jaq_strftime($f)
  else error("strftime/1 requires parsed datetime inputs") end;
def todate: strftime("%Y-%m-%dT%H:%M:%SZ");
def first: .[0];
def last: .[-1];
def nth($n): .[$n];
def ascii_downcase:
  if type == "string" then __jaq_ascii_downcase else error("explode input must be a string") end;
def ascii_upcase:
  if type == "string" then __jaq_ascii_upcase else error("explode input must be a string") end;
def sort:
  if type == "array" then __jaq_sort else error("\(__jq_describe) cannot be sorted, as it is not an array") end;
def startswith($x):
  if type == "string" and ($x | type) == "string" then __jaq_startswith($x)
  else error("startswith() requires string inputs") end;
def endswith($x):
  if type == "string" and ($x | type) == "string" then __jaq_endswith($x)
  else error("endswith() requires string inputs") end;
def splits($re; flags):
  if type != "string" then error("\(__jq_describe) cannot be matched, as it is not a string")
  elif ($re | type) != "string" then error("\($re | __jq_describe) is not a string")
  else . as $s
    | [0] + [match($re; "g" + flags) | (.offset, .offset + .length)] + [length]
    | range(0; length; 2) as $i | $s[.[$i]:.[$i + 1]] end;
def splits($re): splits($re; null);
def split($re; flags): [splits($re; flags)];
def explode: if type == "string" then __jaq_explode else error("explode input must be a string") end;
def implode: if type == "array" then __jaq_implode else error("implode input must be an array") end;
def has($k):
  if type == "null" then false
  elif (type == "object" and ($k | type) == "string") or (type == "array" and ($k | type) == "number") then __jaq_has($k)
  else error("Cannot check whether \(type) has a \($k | type) key") end;
def join($x): __jq_join($x);
def @sh:
  def one: if type == "string" then "'" + (split("'") | join("'\\''")) + "'"
    elif type == "object" or type == "array" then error("\(__jq_describe) can not be escaped for shell")
    else tojson end;
  if type == "array" then map(one) | join(" ") else one end;
def tonumber: if type == "number" then . else __jq_parse end;
def setpath($p; $x): __jq_setpath($p; $x);
def leaf_paths: paths(scalars);
def delpaths($paths): __jq_delpaths($paths);
def map_values(f): .[] |= f;
def del(f): delpaths([path(f)]);
def input: first(inputs, error("break"));
def getpath($p): if $p | type != "array" then error("Path must be specified as an array") else reduce $p[] as $k (.; .[$k]) end;
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def from_entries:
  map({(.key // .Key // .name // .Name
       | if type == "string" then . else error("Cannot use \(__jq_describe) as object key") end):
      (if has("value") then .value else .Value end)})
  | add + {} // {};
def walk(f): . as $in
  | if type == "object" then reduce keys[] as $key ({}; . + {($key): ($in[$key] | walk(f))}) | f
    elif type == "array" then map(walk(f)) | f
    else f end;
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def tostream: path(def r: (.[]? | r), .; r) as $p | getpath($p) | reduce path(.[]?) as $q ([$p, .]; [$p + $q]);
def fromstream(f): {x: null, e: false} as $init
  | foreach f as $i ($init;
      if .e then $init else . end
      | if $i | length == 2
        then setpath(["e"]; $i[0] | length == 0) | setpath(["x"] + $i[0]; $i[1])
        else setpath(["e"]; $i[0] | length == 1) end;
      if .e then .x else empty end);
def truncate_stream(stream): . as $n | null | stream | . as $input
  | if (.[0] | length) > $n then setpath([0]; .[0][$n:]) else empty end;
"#;

/// jaq natives kept under a second name so that the definitions above can wrap them.
const ALIASES: &[(&str, usize, &str)] = &[
    ("limit", 2, "__jaq_limit"),
    ("ltrimstr", 1, "__jaq_ltrimstr"),
    ("rtrimstr", 1, "__jaq_rtrimstr"),
    ("explode", 0, "__jaq_explode"),
    ("implode", 0, "__jaq_implode"),
    ("has", 1, "__jaq_has"),
    ("ascii_downcase", 0, "__jaq_ascii_downcase"),
    ("ascii_upcase", 0, "__jaq_ascii_upcase"),
    ("sort", 0, "__jaq_sort"),
    ("startswith", 1, "__jaq_startswith"),
    ("endswith", 1, "__jaq_endswith"),
    ("strftime", 1, "__jaq_strftime"),
];

/// Names of jaq natives replaced by ours (name, arity).
const DROPPED_NATIVES: &[(&str, usize)] = &[
    ("tojson", 0),
    ("keys_unsorted", 0),
    ("fromjson", 0),
    ("env", 0),
    ("stderr_empty", 0),
    ("debug_empty", 0),
    ("input", 0),
    ("inputs", 0),
    ("matches", 2),
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

/// One of our natives: name, arguments, implementation.
type OwnNative = (&'static str, Box<[Bind]>, RunPtr<DataKind>);

/// Arguments of a native taking a value and then a filter.
fn var_fun() -> Box<[Bind]> {
    [Bind::Var(()), Bind::Fun(())].into()
}

fn natives() -> Vec<Fun<DataKind>> {
    let own: Vec<OwnNative> = vec![
        ("tojson", v(0), |cv: Cv<DataKind>| {
            box_once(Ok(Val::utf8_str(format::to_compact(&cv.1).into_bytes())))
        }),
        ("__jq_tostring", v(0), |cv: Cv<DataKind>| {
            box_once(Ok(Val::utf8_str(tostring(&cv.1))))
        }),
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
                Val::Null => Vec::new(),
                other => format!("{}\n", format::to_compact(other)).into_bytes(),
            };
            side(|s| s.stderr.extend_from_slice(&text));
            empty()
        }),
        ("@csv", v(0), |cv: Cv<DataKind>| {
            box_once(super::formats::csv(&cv.1).map_err(Exn::from))
        }),
        ("@tsv", v(0), |cv: Cv<DataKind>| {
            box_once(super::formats::tsv(&cv.1).map_err(Exn::from))
        }),
        ("fromjson", v(0), |cv: Cv<DataKind>| {
            box_once(super::formats::parse_text(&cv.1).map_err(Exn::from))
        }),
        ("__jq_parse", v(0), |cv: Cv<DataKind>| {
            box_once(super::formats::parse_text(&cv.1).map_err(Exn::from))
        }),
        ("__jq_describe", v(0), |cv: Cv<DataKind>| {
            box_once(Ok(Val::utf8_str(
                super::errors::described(&cv.1).into_bytes(),
            )))
        }),
        ("keys_unsorted", v(0), |cv: Cv<DataKind>| {
            box_once(super::builtins::keys_unsorted(&cv.1).map_err(Exn::from))
        }),
        ("__jq_setpath", v(2), |mut cv: Cv<DataKind>| {
            let x = cv.0.pop_var();
            let path = cv.0.pop_var();
            box_once(super::paths::setpath(cv.1, &path, x).map_err(Exn::from))
        }),
        ("matches", v(2), |mut cv: Cv<DataKind>| {
            let flags = cv.0.pop_var();
            let re = cv.0.pop_var();
            box_once(super::builtins::matches(&cv.1, &re, &flags).map_err(Exn::from))
        }),
        ("__jq_key", v(0), |cv: Cv<DataKind>| {
            box_once(Ok(super::paths::key(cv.1)))
        }),
        ("__jq_join", v(1), |mut cv: Cv<DataKind>| {
            let sep = cv.0.pop_var();
            box_once(super::builtins::join(&cv.1, &sep).map_err(Exn::from))
        }),
        ("__jq_divide", v(2), |mut cv: Cv<DataKind>| {
            let r = cv.0.pop_var();
            let l = cv.0.pop_var();
            box_once(super::paths::divide(l, r).map_err(Exn::from))
        }),
        ("__jq_remainder", v(2), |mut cv: Cv<DataKind>| {
            let r = cv.0.pop_var();
            let l = cv.0.pop_var();
            box_once(super::paths::remainder(l, r).map_err(Exn::from))
        }),
        ("__jq_delpaths", v(1), |mut cv: Cv<DataKind>| {
            let paths = cv.0.pop_var();
            box_once(super::paths::delpaths(cv.1, &paths).map_err(Exn::from))
        }),
        ("__jq_assign_paths", v(2), |mut cv: Cv<DataKind>| {
            let x = cv.0.pop_var();
            let paths = cv.0.pop_var();
            box_once(super::paths::assign(cv.1, &paths, &x).map_err(Exn::from))
        }),
        ("__jq_modify_paths", var_fun(), |mut cv: Cv<DataKind>| {
            let (f, fc) = cv.0.pop_fun();
            let paths = cv.0.pop_var();
            let update = |v: Val| f.run((fc.clone(), v)).next();
            box_once(super::paths::modify(cv.1, &paths, update))
        }),
        ("input_line_number", v(0), |_cv: Cv<DataKind>| {
            let line = side(|s| s.location.as_ref().map_or(0, |(_, n)| *n));
            box_once(Ok(Val::from(isize::try_from(line).unwrap_or(isize::MAX))))
        }),
        ("input_filename", v(0), |_cv: Cv<DataKind>| {
            let name = side(|s| s.location.as_ref().map(|(n, _)| n.clone()));
            box_once(Ok(
                name.map_or(Val::Null, |n| Val::utf8_str(n.as_bytes().to_vec()))
            ))
        }),
    ];
    let dropped = |name: &str, arity: usize| DROPPED_NATIVES.contains(&(name, arity));
    let base = jaq_core::funs::<DataKind>()
        .chain(jaq_std::funs::<DataKind>())
        .chain(jaq_json::funs::<DataKind>())
        .filter(move |(name, args, _)| !dropped(name, args.len()));
    let aliased = jaq_core::funs::<DataKind>()
        .chain(jaq_std::funs::<DataKind>())
        .chain(jaq_json::funs::<DataKind>())
        .filter_map(|(name, args, f)| {
            let alias = ALIASES
                .iter()
                .find(|(n, a, _)| *n == name && *a == args.len())?;
            Some((alias.2, args, f))
        });
    let inputs = jaq_std::input::funs::<DataKind>()
        .into_vec()
        .into_iter()
        .map(jaq_core::native::run::<DataKind>);
    let own = own
        .into_iter()
        .map(|(name, args, f)| (name, args, Native::<DataKind>::new(f)));
    base.chain(aliased).chain(inputs).chain(own).collect()
}

/// jaq's standard definitions with ours swapped in.
fn definitions() -> Vec<load::parse::Def<&'static str>> {
    let replacements: Vec<load::parse::Def<&'static str>> =
        load::parse(REPLACEMENTS, |p| p.defs()).unwrap_or_default();
    let helpers: Vec<load::parse::Def<&'static str>> =
        load::parse(HELPERS, |p| p.defs()).unwrap_or_default();
    let extra: Vec<load::parse::Def<&'static str>> =
        load::parse(EXTRA, |p| p.defs()).unwrap_or_default();
    let mut out = Vec::new();
    for def in jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
    {
        match replacements
            .iter()
            .find(|r| r.name == def.name && r.args.len() == def.args.len())
        {
            Some(r) => out.push(r.clone()),
            None => out.push(def),
        }
    }
    out.extend(helpers);
    out.extend(extra.into_iter().map(super::transform::library_def));
    out
}

/// Name of the definition holding the user's program.
const MAIN: &str = "__jq_main";

/// A compile failure, already in jq's words.
pub struct CompileError {
    pub messages: Vec<String>,
}

/// Compiles `code` with the given global variable names (each starting with `$`).
pub fn compile(code: &str, globals: &[String]) -> Result<Filter, CompileError> {
    // A program of only comments is `.`, as an empty one is.
    let code = if super::syntax::is_blank(code) {
        "."
    } else {
        code
    };
    let rewritten = super::rewrite::rewrite(code);
    // Errors are reported against the program as written.
    compile_text(&rewritten, globals).or_else(|_| compile_text(code, globals))
}

fn compile_text(code: &str, globals: &[String]) -> Result<Filter, CompileError> {
    let arena = Arena::default();
    let mut defs: Vec<load::parse::Def<&str>> = definitions();
    // The program is parsed here, rewritten (see `transform`) and compiled as the last
    // definition; a program that does not parse goes to the loader as is, which reports the
    // error.
    let main = match load::parse(code, |p| p.term()) {
        Some(term) => {
            defs.push(load::parse::Def {
                name: MAIN,
                args: Vec::new(),
                body: super::transform::program(term),
            });
            MAIN
        }
        None => code,
    };
    let loader = Loader::new(defs);
    let modules = loader
        .load(
            &arena,
            File {
                path: (),
                code: main,
            },
        )
        .map_err(|errs| load_errors(code, errs))?;
    Compiler::default()
        .with_funs(natives())
        .with_global_vars(globals.iter().map(String::as_str))
        .compile(modules)
        .map_err(|errs| {
            let mut messages = Vec::new();
            for (_file, list) in errs {
                for (name, undef) in list {
                    let what = match undef {
                        // A number literal "called" marks a constant division by zero (see
                        // `transform`), which jq reports when compiling.
                        _ if name.starts_with(|c: char| c.is_ascii_digit() || c == '.') => {
                            "Division by zero?".to_string()
                        }
                        jaq_core::compile::Undefined::Filter(arity) => {
                            format!("{name}/{arity} is not defined")
                        }
                        _ => format!("{name} is not defined"),
                    };
                    messages.push(located(&what, code, offset_of(code, name)));
                }
            }
            CompileError { messages }
        })
}

/// Byte offset of `part` (a slice of `code`) in `code`.
fn offset_of(code: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(code.as_ptr() as usize)
        .min(code.len())
}

/// jq's error location: `MSG at <top-level>, line N:` and the line, followed by as many
/// spaces as the error's column (jq meant to print a marker there).
fn located(msg: &str, code: &str, offset: usize) -> String {
    let line_start = code[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = code[offset..].find('\n').map_or(code.len(), |i| offset + i);
    let line_no = code[..offset].matches('\n').count() + 1;
    let column = offset - line_start;
    format!(
        "{msg} at <top-level>, line {line_no}:\n{}{}",
        &code[line_start..line_end],
        " ".repeat(column)
    )
}

fn load_errors(code: &str, errs: load::Errors<&str, ()>) -> CompileError {
    // jq stops at its first syntax error; so does this report.
    let mut messages = Vec::new();
    if let Some((_file, err)) = errs.into_iter().next() {
        let syntax = matches!(err, load::Error::Lex(_) | load::Error::Parse(_));
        if syntax && let Some(found) = super::syntax::messages(code, |m, at| located(m, code, at)) {
            return CompileError { messages: found };
        }
        let first = match err {
            load::Error::Io(list) => list
                .into_iter()
                .next()
                .map(|(path, e)| format!("{e} (module {path})")),
            load::Error::Lex(list) => list
                .into_iter()
                .next()
                .map(|(_, found)| syntax_error(code, found)),
            load::Error::Parse(list) => list
                .into_iter()
                .next()
                .map(|(_, found)| syntax_error(code, found)),
        };
        messages.extend(first);
    }
    if messages.is_empty() {
        messages.push(syntax_error(code, ""));
    }
    CompileError { messages }
}

/// A syntax error in jq 1.6's shape. jq's exact bison wording cannot be reproduced from jaq's
/// parser; the offending token and its place are. At the end of the program, the place is the
/// last token's.
fn syntax_error(code: &str, found: &str) -> String {
    let (token, offset) = match found.chars().next() {
        None => ("$end".to_string(), last_token_start(code)),
        Some(c) if c.is_alphanumeric() || c == '_' => ("IDENT".to_string(), offset_of(code, found)),
        Some(c) => (format!("'{c}'"), offset_of(code, found)),
    };
    located(
        &format!("syntax error, unexpected {token} (Unix shell quoting issues?)"),
        code,
        offset,
    )
}

fn last_token_start(code: &str) -> usize {
    let trimmed = code.trim_end();
    let Some(last) = trimmed.chars().last() else {
        return 0;
    };
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    if word(last) {
        trimmed.trim_end_matches(word).len()
    } else {
        trimmed.len() - last.len_utf8()
    }
}
