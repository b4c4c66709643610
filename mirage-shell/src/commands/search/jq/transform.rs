//! Rewrites of a parsed jq program so that jaq runs it with jq 1.6's semantics.
//!
//! - The assignment operators (`=`, `|=`, `+=`, ..., `//=`) become calls to our definitions,
//!   which update through jq's `setpath`/`delpaths` rules (see `paths`): jaq's own update
//!   cannot descend into `null`, where jq creates the missing objects and arrays.
//! - Arithmetic and comparisons whose sides both may yield several outputs loop over the
//!   right side first, as jq does (`[(1,2) + (10,20)]` is `[11,12,21,22]`).
//! - Division goes through `__jq_div`, which raises jq's error for a zero divisor (a literal
//!   one is a compile error, as in jq), and `%` through `__jq_rem`, which truncates its
//!   operands to integers as jq 1.6 does.
//! - An index that is a number literal or a variable (`.[0]`, `.[$i]`) goes through
//!   `__jq_index`, which raises jq's `Cannot index object with number` where jaq yields null.

use std::cell::Cell;

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Def, Pattern, Term};
use jaq_core::ops::Math;
use jaq_core::path::{Opt, Part, Path};

type T<'s> = Term<&'s str>;

thread_local! {
    /// Whether binary operations are reordered (see `right_first`): only in the user's
    /// program, since binding both sides costs in-place appends in library loops.
    static REORDER: Cell<bool> = const { Cell::new(false) };
}

/// Rewrites the user's program.
pub fn program<'s>(t: T<'s>) -> T<'s> {
    REORDER.with(|r| r.set(true));
    let t = term(t);
    REORDER.with(|r| r.set(false));
    t
}

/// Formats jq 1.6 knows (or that are defined to fail as in jq 1.6).
const KNOWN_FORMATS: &[&str] = &[
    "@text", "@json", "@html", "@uri", "@csv", "@tsv", "@sh", "@base64", "@base64d", "@base32",
    "@base32d",
];

/// `error("NAME is not a valid format")` for the format `@NAME`.
fn format_error(fmt: &str) -> T<'_> {
    let text = |s| Term::Str(None, vec![StrPart::Str(s)]);
    let name = fmt.get(1..).unwrap_or(fmt);
    let msg = Term::BinOp(
        Box::new(text(name)),
        BinaryOp::Math(Math::Add),
        Box::new(text(" is not a valid format")),
    );
    Term::Call("error", vec![msg])
}

/// Rewrites a library definition.
pub fn library_def(d: Def<&str>) -> Def<&str> {
    REORDER.with(|r| r.set(false));
    def(d)
}

fn term<'s>(t: T<'s>) -> T<'s> {
    match t {
        Term::BinOp(l, op, r) => {
            let (l, r) = (term(*l), term(*r));
            let call = |name: &'s str, l: T<'s>, r: T<'s>| Term::Call(name, vec![l, r]);
            match op {
                BinaryOp::Assign => call("__jq_assign", l, r),
                BinaryOp::Update => call("__jq_modify", l, r),
                BinaryOp::UpdateAlt => call("__jq_update_alt", l, r),
                BinaryOp::UpdateMath(m) => {
                    let name = match m {
                        Math::Add => "__jq_update_add",
                        Math::Sub => "__jq_update_sub",
                        Math::Mul => "__jq_update_mul",
                        Math::Div => "__jq_update_div",
                        Math::Rem => "__jq_update_rem",
                    };
                    call(name, l, r)
                }
                BinaryOp::Pipe(Some(p)) => {
                    Term::BinOp(Box::new(l), BinaryOp::Pipe(Some(pattern(p))), Box::new(r))
                }
                BinaryOp::Math(m @ (Math::Div | Math::Rem)) => match (&l, &r) {
                    (Term::Num(a), Term::Num(b)) if matches!(m, Math::Div) && is_zero(b) => {
                        if is_zero(a) {
                            // jq folds `0 / 0` to nan.
                            Term::BinOp(Box::new(l), BinaryOp::Math(Math::Div), Box::new(r))
                        } else {
                            // An undefined filter named like the number: compiling reports
                            // jq's "Division by zero?" at the dividend.
                            Term::Call(a, Vec::new())
                        }
                    }
                    _ => {
                        let (native, reordered) = match m {
                            Math::Div => ("__jq_divide", "__jq_div"),
                            _ => ("__jq_remainder", "__jq_rem"),
                        };
                        if single(&l) || single(&r) {
                            call(native, l, r)
                        } else {
                            call(reordered, l, r)
                        }
                    }
                },
                op @ (BinaryOp::Math(_) | BinaryOp::Cmp(_))
                    if REORDER.with(Cell::get) && !single(&l) && !single(&r) =>
                {
                    right_first(l, op, r)
                }
                op => Term::BinOp(Box::new(l), op, Box::new(r)),
            }
        }
        Term::Str(Some(fmt), parts) if !KNOWN_FORMATS.contains(&fmt) => {
            // jq applies an unknown format only to interpolations, failing there.
            let parts = parts.into_iter().map(|p| match p {
                StrPart::Term(_) => StrPart::Term(format_error(fmt)),
                other => other,
            });
            Term::Str(None, parts.collect())
        }
        Term::Str(fmt, parts) => Term::Str(fmt, parts.into_iter().map(str_part).collect()),
        Term::Call(name, args)
            if args.is_empty() && name.starts_with('@') && !KNOWN_FORMATS.contains(&name) =>
        {
            format_error(name)
        }
        Term::Arr(a) => Term::Arr(a.map(|a| Box::new(term(*a)))),
        Term::Obj(kvs) => Term::Obj(
            kvs.into_iter()
                .map(|(k, v)| (term(k), v.map(term)))
                .collect(),
        ),
        Term::Neg(t) => Term::Neg(Box::new(term(*t))),
        Term::Label(l, t) => Term::Label(l, Box::new(term(*t))),
        Term::Fold(name, xs, p, args) => Term::Fold(
            name,
            Box::new(term(*xs)),
            pattern(p),
            args.into_iter().map(term).collect(),
        ),
        Term::TryCatch(t, c) => Term::TryCatch(Box::new(term(*t)), c.map(|c| Box::new(term(*c)))),
        Term::IfThenElse(branches, els) => Term::IfThenElse(
            branches
                .into_iter()
                .map(|(c, t)| (term(c), term(t)))
                .collect(),
            els.map(|e| Box::new(term(*e))),
        ),
        Term::Def(defs, t) => Term::Def(defs.into_iter().map(def).collect(), Box::new(term(*t))),
        Term::Call(name, args) => Term::Call(name, args.into_iter().map(term).collect()),
        Term::Path(head, path) => path_term(term(*head), path),
        t @ (Term::Id | Term::Recurse | Term::Num(_) | Term::Break(_) | Term::Var(_)) => t,
    }
}

fn is_zero(num: &str) -> bool {
    num.parse::<f64>().is_ok_and(|n| n == 0.0)
}

/// `L op R` with R's outputs in the outer loop, as jq runs it:
/// `R as $r | L as $l | $l op $r`.
fn right_first<'s>(l: T<'s>, op: BinaryOp<&'s str>, r: T<'s>) -> T<'s> {
    let bind = |x: T<'s>, var: &'s str, rest: T<'s>| {
        Term::BinOp(
            Box::new(x),
            BinaryOp::Pipe(Some(Pattern::Var(var))),
            Box::new(rest),
        )
    };
    let (lv, rv) = ("$__jq_l", "$__jq_r");
    let body = Term::BinOp(Box::new(Term::Var(lv)), op, Box::new(Term::Var(rv)));
    bind(r, rv, bind(l, lv, body))
}

/// Builtins without arguments that yield at most one output (and whose result does not
/// depend on when they run, unlike `now` and `input`).
const SINGLE_BUILTINS: &[&str] = &[
    "null",
    "true",
    "false",
    "empty",
    "not",
    "length",
    "utf8bytelength",
    "type",
    "keys",
    "keys_unsorted",
    "values",
    "tostring",
    "tojson",
    "fromjson",
    "tonumber",
    "ascii_downcase",
    "ascii_upcase",
    "floor",
    "ceil",
    "round",
    "sqrt",
    "fabs",
    "add",
    "min",
    "max",
    "sort",
    "unique",
    "reverse",
    "first",
    "last",
    "to_entries",
    "from_entries",
    "explode",
    "implode",
    "ltrimstr",
    "rtrimstr",
    "todate",
    "fromdate",
    "nulls",
    "numbers",
    "strings",
    "arrays",
    "objects",
    "scalars",
    "iterables",
    "booleans",
];

/// True when a term yields at most one output whatever its input, so that the order of a
/// binary operation's outputs does not depend on which side loops first.
fn single(t: &T<'_>) -> bool {
    match t {
        Term::Id | Term::Num(_) | Term::Var(_) | Term::Arr(_) => true,
        Term::Str(_, parts) => parts.iter().all(|p| match p {
            StrPart::Term(t) => single(t),
            _ => true,
        }),
        Term::Neg(t) => single(t),
        Term::Obj(kvs) => kvs
            .iter()
            .all(|(k, v)| single(k) && v.as_ref().is_none_or(single)),
        Term::BinOp(l, BinaryOp::Math(_) | BinaryOp::Cmp(_) | BinaryOp::Pipe(None), r) => {
            single(l) && single(r)
        }
        Term::IfThenElse(branches, els) => {
            branches.iter().all(|(c, t)| single(c) && single(t))
                && els.as_ref().is_none_or(|e| single(e))
        }
        Term::Call(name, args) => args.is_empty() && SINGLE_BUILTINS.contains(name),
        Term::Path(head, path) => {
            single(head)
                && path.0.iter().all(|(part, _)| match part {
                    Part::Index(i) => single(i),
                    Part::Range(None, None) => false,
                    Part::Range(from, upto) => {
                        from.as_ref().is_none_or(single) && upto.as_ref().is_none_or(single)
                    }
                })
        }
        _ => false,
    }
}

/// Rewrites the body of a definition.
fn def(d: Def<&str>) -> Def<&str> {
    Def {
        name: d.name,
        args: d.args,
        body: term(d.body),
    }
}

fn str_part<'s>(p: StrPart<&'s str, T<'s>>) -> StrPart<&'s str, T<'s>> {
    match p {
        StrPart::Term(t) => StrPart::Term(term(t)),
        other => other,
    }
}

fn pattern(p: Pattern<&str>) -> Pattern<&str> {
    match p {
        Pattern::Var(v) => Pattern::Var(v),
        Pattern::Arr(ps) => Pattern::Arr(ps.into_iter().map(pattern).collect()),
        Pattern::Obj(kvs) => Pattern::Obj(
            kvs.into_iter()
                .map(|(k, p)| (term(k), pattern(p)))
                .collect(),
        ),
    }
}

/// True for index terms that do not depend on the value being indexed, so that they may be
/// evaluated against it instead of against the path's input.
fn guarded_index(t: &T<'_>) -> bool {
    match t {
        Term::Num(_) | Term::Var(_) => true,
        Term::Neg(t) => matches!(**t, Term::Num(_)),
        _ => false,
    }
}

/// An index term other than a literal: numbers go through `__jq_key` (jq 1.6 indexes arrays
/// with fractions and integral floats).
fn index_key(t: T<'_>) -> T<'_> {
    let literal_str = matches!(&t, Term::Str(None, parts)
        if parts.iter().all(|p| !matches!(p, StrPart::Term(_))));
    if literal_str || guarded_index(&t) {
        return t;
    }
    Term::BinOp(
        Box::new(t),
        BinaryOp::Pipe(None),
        Box::new(Term::Call("__jq_key", Vec::new())),
    )
}

/// A slice bound rounded as jq 1.6 rounds it (the start down, the end up), unless it is an
/// integer literal.
fn slice_bound<'s>(t: T<'s>, name: &'s str) -> T<'s> {
    if let Term::Num(n) = &t
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        return t;
    }
    Term::BinOp(
        Box::new(t),
        BinaryOp::Pipe(None),
        Box::new(Term::Call(name, Vec::new())),
    )
}

/// `HEAD[PARTS]`, with number and variable indices routed through `__jq_index`.
fn path_term<'s>(head: T<'s>, path: Path<T<'s>>) -> T<'s> {
    let mut current = head;
    let mut pending: Vec<(Part<T<'s>>, Opt)> = Vec::new();
    for (part, opt) in path.0 {
        let part = match part {
            Part::Index(i) => Part::Index(index_key(term(i))),
            Part::Range(from, upto) => Part::Range(
                from.map(|t| slice_bound(term(t), "__jq_slice_start")),
                upto.map(|t| slice_bound(term(t), "__jq_slice_end")),
            ),
        };
        match part {
            Part::Index(i) if guarded_index(&i) => {
                if !pending.is_empty() {
                    current = Term::Path(Box::new(current), Path(std::mem::take(&mut pending)));
                }
                let name = match opt {
                    Opt::Essential => "__jq_index",
                    Opt::Optional => "__jq_index_opt",
                };
                let call = Term::Call(name, vec![i]);
                current = match current {
                    Term::Id => call,
                    other => Term::BinOp(Box::new(other), BinaryOp::Pipe(None), Box::new(call)),
                };
            }
            part => pending.push((part, opt)),
        }
    }
    if pending.is_empty() {
        current
    } else {
        Term::Path(Box::new(current), Path(pending))
    }
}
