//! `tr`: translate, delete (`-d`) or squeeze (`-s`) bytes from stdin, with complemented sets
//! (`-c`/`-C`), `-t`, ranges, `[:class:]`, `[=c=]`, `[c*n]`/`[c*]` and backslash escapes.
//! Works on bytes as coreutils 9.1 does; character classes cover ASCII only in C.UTF-8.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncBufReadExt;

use super::support::{HELP, VERSION, lquote, refuse_help, usage_error};
use crate::commands::common::{parse_opts, take_stdin};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Tr;

const SPEC: OptSpec = OptSpec {
    short: "AcCdst",
    long: &[
        LongOpt {
            name: "complement",
            has_arg: HasArg::No,
            key: "c",
        },
        LongOpt {
            name: "delete",
            has_arg: HasArg::No,
            key: "d",
        },
        LongOpt {
            name: "squeeze-repeats",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "truncate-set1",
            has_arg: HasArg::No,
            key: "t",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: true,
};

/// Largest `[c*n]` count GNU accepts.
const REPEAT_MAX: u64 = u32::MAX as u64 - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Alnum,
    Alpha,
    Blank,
    Cntrl,
    Digit,
    Graph,
    Lower,
    Print,
    Punct,
    Space,
    Upper,
    Xdigit,
}

impl Class {
    fn named(name: &[u8]) -> Option<Class> {
        Some(match name {
            b"alnum" => Class::Alnum,
            b"alpha" => Class::Alpha,
            b"blank" => Class::Blank,
            b"cntrl" => Class::Cntrl,
            b"digit" => Class::Digit,
            b"graph" => Class::Graph,
            b"lower" => Class::Lower,
            b"print" => Class::Print,
            b"punct" => Class::Punct,
            b"space" => Class::Space,
            b"upper" => Class::Upper,
            b"xdigit" => Class::Xdigit,
            _ => return None,
        })
    }

    /// Membership as C.UTF-8's single-byte ctype defines it (ASCII only).
    fn contains(self, b: u8) -> bool {
        match self {
            Class::Alnum => b.is_ascii_alphanumeric(),
            Class::Alpha => b.is_ascii_alphabetic(),
            Class::Blank => b == b' ' || b == b'\t',
            Class::Cntrl => b < 0x20 || b == 0x7f,
            Class::Digit => b.is_ascii_digit(),
            Class::Graph => b.is_ascii_graphic(),
            Class::Lower => b.is_ascii_lowercase(),
            Class::Print => (0x20..0x7f).contains(&b),
            Class::Punct => b.is_ascii_punctuation(),
            Class::Space => matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'),
            Class::Upper => b.is_ascii_uppercase(),
            Class::Xdigit => b.is_ascii_hexdigit(),
        }
    }

    fn len(self) -> u64 {
        (0..=255u8).filter(|&b| self.contains(b)).count() as u64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    Char(u8),
    Range(u8, u8),
    Class(Class),
    Equiv(u8),
    /// `[c*n]`; a count of 0 is `[c*]` (fill) until resolved.
    Repeat(u8, u64),
}

/// Which case class a byte came from (for `[:lower:]`/`[:upper:]` pairing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CaseClass {
    None,
    Lower,
    Upper,
}

/// A parsed set with the statistics `validate` needs.
#[derive(Debug)]
struct Set {
    elems: Vec<Elem>,
    length: u64,
    indefinite: Vec<usize>,
    has_equiv: bool,
    has_restricted_class: bool,
    has_class: bool,
}

/// Walks a set's expansion one byte at a time (GNU's `get_next`), able to skip the rest of the
/// current construct.
struct Cursor<'a> {
    elems: &'a [Elem],
    idx: usize,
    /// Position inside the current element; None at its start.
    state: Option<u64>,
}

impl<'a> Cursor<'a> {
    fn new(elems: &'a [Elem]) -> Self {
        Cursor {
            elems,
            idx: 0,
            state: None,
        }
    }

    fn at_new_element(&self) -> bool {
        self.state.is_none()
    }

    fn advance(&mut self) {
        self.idx += 1;
        self.state = None;
    }

    fn next(&mut self) -> Option<(u8, CaseClass)> {
        loop {
            let elem = *self.elems.get(self.idx)?;
            match elem {
                Elem::Char(c) | Elem::Equiv(c) => {
                    self.advance();
                    return Some((c, CaseClass::None));
                }
                Elem::Range(lo, hi) => {
                    let cur = self.state.map_or(u64::from(lo), |s| s + 1);
                    if cur == u64::from(hi) {
                        self.advance();
                    } else {
                        self.state = Some(cur);
                    }
                    return Some((cur as u8, CaseClass::None));
                }
                Elem::Class(class) => {
                    let case = match class {
                        Class::Lower => CaseClass::Lower,
                        Class::Upper => CaseClass::Upper,
                        _ => CaseClass::None,
                    };
                    let start = self.state.map_or(0, |s| s + 1);
                    let Some(b) = (start..256).find(|&b| class.contains(b as u8)) else {
                        self.advance();
                        continue;
                    };
                    if (b + 1..256).any(|n| class.contains(n as u8)) {
                        self.state = Some(b);
                    } else {
                        self.advance();
                    }
                    return Some((b as u8, case));
                }
                Elem::Repeat(c, n) => {
                    if n == 0 {
                        self.advance();
                        continue;
                    }
                    let done = self.state.map_or(0, |s| s) + 1;
                    if done == n {
                        self.advance();
                    } else {
                        self.state = Some(done);
                    }
                    return Some((c, CaseClass::None));
                }
            }
        }
    }
}

/// Printable form of a byte for messages (`make_printable_char`).
fn printable(c: u8) -> String {
    match c {
        b'\\' => "\\".into(),
        0x07 => "\\a".into(),
        0x08 => "\\b".into(),
        0x0c => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        0x0b => "\\v".into(),
        0x20..=0x7e => (c as char).to_string(),
        _ => format!("\\{c:03o}"),
    }
}

fn printable_str(s: &[u8]) -> String {
    s.iter().map(|&c| printable(c)).collect()
}

/// First pass: backslash escapes. Returns bytes, which of them were escaped, and warnings.
fn unquote(s: &[u8], warnings: &mut Vec<String>) -> (Vec<u8>, Vec<bool>) {
    let (mut out, mut escaped) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' {
            out.push(s[i]);
            escaped.push(false);
            i += 1;
            continue;
        }
        let Some(&next) = s.get(i + 1) else {
            warnings
                .push("warning: an unescaped backslash at end of string is not portable".into());
            out.push(b'\\');
            escaped.push(false);
            break;
        };
        let (c, used) = match next {
            b'a' => (0x07, 2),
            b'b' => (0x08, 2),
            b'f' => (0x0c, 2),
            b'n' => (b'\n', 2),
            b'r' => (b'\r', 2),
            b't' => (b'\t', 2),
            b'v' => (0x0b, 2),
            b'0'..=b'7' => {
                let mut value = u32::from(next - b'0');
                let mut used = 2;
                let digit = |k: usize| {
                    s.get(k)
                        .filter(|b| (b'0'..=b'7').contains(b))
                        .map(|b| u32::from(b - b'0'))
                };
                if let Some(d) = digit(i + 2) {
                    value = value * 8 + d;
                    used = 3;
                    if let Some(d3) = digit(i + 3) {
                        if value * 8 + d3 < 256 {
                            value = value * 8 + d3;
                            used = 4;
                        } else {
                            let (a, b, c) = (s[i + 1] as char, s[i + 2] as char, s[i + 3] as char);
                            warnings.push(format!(
                                "warning: the ambiguous octal escape \\{a}{b}{c} is being\n\tinterpreted as the 2-byte sequence \\0{a}{b}, {c}"
                            ));
                        }
                    }
                }
                (value as u8, used)
            }
            other => (other, 2),
        };
        out.push(c);
        escaped.push(true);
        i += used;
    }
    (out, escaped)
}

/// Second pass: the constructs (GNU's `build_spec_list`). Errors are GNU's messages.
fn build_elems(s: &[u8], esc: &[bool]) -> Result<Vec<Elem>, String> {
    let is = |i: usize, c: u8| s.get(i) == Some(&c) && !esc[i];
    let mut elems = Vec::new();
    let mut i = 0;
    while i + 2 < s.len() {
        if is(i, b'[') {
            if is(i + 1, b':') || is(i + 1, b'=') {
                let delim = s[i + 1];
                let close = (i + 2..s.len().saturating_sub(1))
                    .find(|&k| s[k] == delim && s[k + 1] == b']' && !esc[k] && !esc[k + 1]);
                if let Some(close) = close {
                    let operand = &s[i + 2..close];
                    if operand.is_empty() {
                        return Err((if delim == b':' {
                            "missing character class name '[::]'"
                        } else {
                            "missing equivalence class character '[==]'"
                        })
                        .into());
                    }
                    let ok = if delim == b':' {
                        Class::named(operand)
                            .map(|c| elems.push(Elem::Class(c)))
                            .is_some()
                    } else if operand.len() == 1 {
                        elems.push(Elem::Equiv(operand[0]));
                        true
                    } else {
                        false
                    };
                    if ok {
                        i = close + 2;
                        continue;
                    }
                    if !star_digits_close(s, esc, i + 2) {
                        return Err(if delim == b':' {
                            format!(
                                "invalid character class {}",
                                lquote(&printable_str(operand))
                            )
                        } else {
                            format!(
                                "{}: equivalence class operand must be a single character",
                                printable_str(operand)
                            )
                        });
                    }
                }
            }
            if let Some((c, n, close)) = bracketed_repeat(s, esc, i + 1)? {
                elems.push(Elem::Repeat(c, n));
                i = close + 1;
                continue;
            }
        }
        if is(i + 1, b'-') {
            let (lo, hi) = (s[i], s[i + 2]);
            if hi < lo {
                return Err(format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    printable(lo),
                    printable(hi)
                ));
            }
            elems.push(Elem::Range(lo, hi));
            i += 3;
        } else {
            elems.push(Elem::Char(s[i]));
            i += 1;
        }
    }
    elems.extend(s[i..].iter().map(|&c| Elem::Char(c)));
    Ok(elems)
}

/// Whether `s[idx..]` is `*` digits `]` (unescaped).
fn star_digits_close(s: &[u8], esc: &[bool], idx: usize) -> bool {
    if s.get(idx) != Some(&b'*') || esc[idx] {
        return false;
    }
    for k in idx + 1..s.len() {
        if !s[k].is_ascii_digit() || esc[k] {
            return s[k] == b']' && !esc[k];
        }
    }
    false
}

/// `[c*n]` starting with `c` at `start`: Some((c, n, index of `]`)), None if not that shape.
fn bracketed_repeat(
    s: &[u8],
    esc: &[bool],
    start: usize,
) -> Result<Option<(u8, u64, usize)>, String> {
    if s.get(start + 1) != Some(&b'*') || esc[start + 1] {
        return Ok(None);
    }
    let mut k = start + 2;
    while k < s.len() && !esc[k] {
        if s[k] == b']' {
            let digits = &s[start + 2..k];
            let n = if digits.is_empty() {
                0
            } else {
                let radix = if digits[0] == b'0' { 8 } else { 10 };
                std::str::from_utf8(digits)
                    .ok()
                    .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|d| u64::from_str_radix(d, radix).ok())
                    .filter(|n| *n <= REPEAT_MAX)
                    .ok_or_else(|| {
                        format!(
                            "invalid repeat count {} in [c*n] construct",
                            lquote(&printable_str(digits))
                        )
                    })?
            };
            return Ok(Some((s[start], n, k)));
        }
        k += 1;
    }
    Ok(None)
}

fn parse_set(arg: &str, warnings: &mut Vec<String>) -> Result<Set, String> {
    let (s, esc) = unquote(arg.as_bytes(), warnings);
    let elems = build_elems(&s, &esc)?;
    let mut set = Set {
        elems,
        length: 0,
        indefinite: Vec::new(),
        has_equiv: false,
        has_restricted_class: false,
        has_class: false,
    };
    let mut length: u64 = 0;
    for (k, e) in set.elems.iter().enumerate() {
        let len = match e {
            Elem::Char(_) => 1,
            Elem::Range(lo, hi) => u64::from(hi - lo) + 1,
            Elem::Class(c) => {
                set.has_class = true;
                if !matches!(c, Class::Upper | Class::Lower) {
                    set.has_restricted_class = true;
                }
                c.len()
            }
            Elem::Equiv(_) => {
                set.has_equiv = true;
                1
            }
            Elem::Repeat(_, 0) => {
                set.indefinite.push(k);
                0
            }
            Elem::Repeat(_, n) => *n,
        };
        length = length
            .checked_add(len)
            .filter(|l| *l <= REPEAT_MAX)
            .ok_or("too many characters in set")?;
    }
    set.length = length;
    Ok(set)
}

fn membership(set: &Set, complement: bool) -> [bool; 256] {
    let mut member = [false; 256];
    let mut cur = Cursor::new(&set.elems);
    while let Some((c, _)) = cur.next() {
        member[usize::from(c)] = true;
    }
    if complement {
        for m in member.iter_mut() {
            *m = !*m;
        }
    }
    member
}

/// GNU's `validate_case_classes`: case-class pairs count as one character each, and must line up.
fn validate_case_classes(s1: &mut Set, s2: &mut Set) -> Result<(), String> {
    let (mut c1, mut c2) = (Cursor::new(&s1.elems), Cursor::new(&s2.elems));
    let (mut new1, mut new2) = (true, true);
    let (mut adjust1, mut adjust2) = (0u64, 0u64);
    loop {
        let a = c1.next();
        let b = c2.next();
        let class1 = a.map_or(CaseClass::None, |x| x.1);
        let class2 = b.map_or(CaseClass::None, |x| x.1);
        if new2 && class2 != CaseClass::None && !(new1 && class1 != CaseClass::None) {
            return Err("misaligned [:upper:] and/or [:lower:] construct".into());
        }
        if class2 != CaseClass::None {
            c1.advance();
            c2.advance();
            adjust1 += Class::Upper.len() - 1;
            adjust2 += Class::Upper.len() - 1;
        }
        new1 = c1.at_new_element();
        new2 = c2.at_new_element();
        if a.is_none() || b.is_none() {
            break;
        }
    }
    s1.length -= adjust1.min(s1.length);
    s2.length -= adjust2.min(s2.length);
    Ok(())
}

fn homogeneous(set: &Set) -> bool {
    let mut cur = Cursor::new(&set.elems);
    let Some((first, _)) = cur.next() else {
        return false;
    };
    while let Some((c, _)) = cur.next() {
        if c != first {
            return false;
        }
    }
    true
}

struct Flags {
    complement: bool,
    delete: bool,
    squeeze: bool,
    truncate: bool,
}

/// Checks the sets against the mode and resolves `[c*]` and set2 extension (GNU `validate`).
fn validate(
    s1: &mut Set,
    s2: Option<&mut Set>,
    f: &Flags,
    translating: bool,
) -> Result<(), String> {
    if f.complement {
        let m = membership(s1, true);
        s1.length = m.iter().filter(|b| **b).count() as u64;
    }
    if !s1.indefinite.is_empty() {
        return Err("the [c*] repeat construct may not appear in string1".into());
    }
    let Some(s2) = s2 else {
        return Ok(());
    };
    if s1.length >= s2.length && s2.indefinite.len() == 1 {
        let k = s2.indefinite[0];
        if let Elem::Repeat(c, _) = s2.elems[k] {
            s2.elems[k] = Elem::Repeat(c, s1.length - s2.length);
        }
        s2.length = s1.length;
    }
    if s2.indefinite.len() > 1 {
        return Err("only one [c*] repeat construct may appear in string2".into());
    }
    if !translating {
        if !s2.indefinite.is_empty() {
            return Err("the [c*] construct may appear in string2 only when translating".into());
        }
        return Ok(());
    }
    if s2.has_equiv {
        return Err("[=c=] expressions may not appear in string2 when translating".into());
    }
    if s2.has_restricted_class {
        return Err("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'".into());
    }
    if !f.complement && s2.has_class {
        validate_case_classes(s1, s2)?;
    }
    if s1.length > s2.length && !f.truncate {
        if s2.length == 0 {
            return Err("when not truncating set1, string2 must be non-empty".into());
        }
        let last = match s2.elems.last() {
            Some(Elem::Char(c)) | Some(Elem::Repeat(c, _)) => *c,
            Some(Elem::Range(_, hi)) => *hi,
            _ => return Err("when translating with string1 longer than string2,\nthe latter string must not end with a character class".into()),
        };
        s2.elems.push(Elem::Repeat(last, s1.length - s2.length));
        s2.length = s1.length;
    }
    if f.complement && s1.has_class && !(s2.length == s1.length && homogeneous(s2)) {
        return Err("when translating with complemented character classes,\nstring2 must map all characters in the domain to one".into());
    }
    Ok(())
}

/// The byte map for translation.
fn translation(s1: &Set, s2: &Set, complement: bool) -> [u8; 256] {
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    if complement {
        let in_s1 = membership(s1, false);
        let mut c2 = Cursor::new(&s2.elems);
        for i in 0..256 {
            if !in_s1[i] {
                match c2.next() {
                    Some((c, _)) => map[i] = c,
                    None => break,
                }
            }
        }
        return map;
    }
    let (mut c1, mut c2) = (Cursor::new(&s1.elems), Cursor::new(&s2.elems));
    loop {
        let a = c1.next();
        let b = c2.next();
        let class1 = a.map_or(CaseClass::None, |x| x.1);
        let class2 = b.map_or(CaseClass::None, |x| x.1);
        match (class1, class2) {
            (CaseClass::Lower, CaseClass::Upper) => {
                for c in b'a'..=b'z' {
                    map[usize::from(c)] = c.to_ascii_uppercase();
                }
            }
            (CaseClass::Upper, CaseClass::Lower) => {
                for c in b'A'..=b'Z' {
                    map[usize::from(c)] = c.to_ascii_lowercase();
                }
            }
            _ => match (a, b) {
                (Some((x, _)), Some((y, _))) => map[usize::from(x)] = y,
                _ => break,
            },
        }
        if class2 != CaseClass::None {
            c1.advance();
            c2.advance();
        }
    }
    map
}

/// What to do with each input byte.
struct Filter {
    delete: Option<[bool; 256]>,
    map: Option<[u8; 256]>,
    squeeze: Option<[bool; 256]>,
    last: Option<u8>,
}

impl Filter {
    fn apply(&mut self, input: &[u8], out: &mut Vec<u8>) {
        // Plain translation (`tr a-z A-Z`), the common case: one table lookup per byte.
        if let (None, Some(map), None) = (&self.delete, &self.map, &self.squeeze) {
            out.extend(input.iter().map(|&b| map[usize::from(b)]));
            return;
        }
        out.reserve(input.len());
        // The tables are borrowed, never copied per byte (they are 256 bytes each).
        for &b in input {
            if self.delete.as_ref().is_some_and(|d| d[usize::from(b)]) {
                continue;
            }
            let c = self.map.as_ref().map_or(b, |m| m[usize::from(b)]);
            if let Some(sq) = &self.squeeze {
                if sq[usize::from(c)] && self.last == Some(c) {
                    continue;
                }
                self.last = Some(c);
            }
            out.push(c);
        }
    }
}

fn build_filter(
    operands: &[String],
    f: &Flags,
    warnings: &mut Vec<String>,
) -> Result<Filter, String> {
    let translating = operands.len() == 2 && !f.delete;
    let mut s1 = parse_set(&operands[0], warnings)?;
    let mut s2 = match operands.get(1) {
        Some(arg) => Some(parse_set(arg, warnings)?),
        None => None,
    };
    validate(&mut s1, s2.as_mut(), f, translating)?;
    let mut filter = Filter {
        delete: None,
        map: None,
        squeeze: None,
        last: None,
    };
    match (&s2, f.delete, f.squeeze) {
        (None, false, true) => filter.squeeze = Some(membership(&s1, f.complement)),
        (None, true, _) => filter.delete = Some(membership(&s1, f.complement)),
        (Some(s2), true, true) => {
            filter.delete = Some(membership(&s1, f.complement));
            filter.squeeze = Some(membership(s2, false));
        }
        (Some(s2), _, _) if translating => {
            filter.map = Some(translation(&s1, s2, f.complement));
            if f.squeeze {
                filter.squeeze = Some(membership(s2, false));
            }
        }
        _ => {}
    }
    Ok(filter)
}

#[async_trait]
impl Command for Tr {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let f = Flags {
            complement: parsed.has("c") || parsed.has("C"),
            delete: parsed.has("d"),
            squeeze: parsed.has("s"),
            truncate: parsed.has("t"),
        };
        let ops = &parsed.operands;
        let min = 1 + usize::from(f.delete == f.squeeze);
        let max = 1 + usize::from(!f.delete || f.squeeze);
        if ops.len() < min {
            if ops.is_empty() {
                return usage_error(ctx, "missing operand", 1).await;
            }
            let why = if f.squeeze {
                "Two strings must be given when both deleting and squeezing repeats."
            } else {
                "Two strings must be given when translating."
            };
            let msg = format!(
                "missing operand after {}\n{why}",
                lquote(&ops[ops.len() - 1])
            );
            return usage_error(ctx, &msg, 1).await;
        }
        if ops.len() > max {
            let mut msg = format!("extra operand {}", lquote(&ops[max]));
            if ops.len() == 2 {
                msg.push_str(
                    "\nOnly one string may be given when deleting without squeezing repeats.",
                );
            }
            return usage_error(ctx, &msg, 1).await;
        }
        let mut warnings = Vec::new();
        let built = build_filter(ops, &f, &mut warnings);
        for w in warnings {
            ctx.error(w).await?;
        }
        let mut filter = match built {
            Ok(filter) => filter,
            Err(msg) => {
                ctx.error(msg).await?;
                return Ok(1);
            }
        };
        let mut input = take_stdin(ctx);
        let mut out = Vec::new();
        loop {
            let chunk = input.fill_buf().await?;
            if chunk.is_empty() {
                break;
            }
            out.clear();
            filter.apply(chunk, &mut out);
            let n = chunk.len();
            input.consume(n);
            ctx.stdout.write_all(&out).await?;
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run_in};

    async fn tr(args: &[&str], stdin: &[u8]) -> Vec<u8> {
        let mut argv = vec!["tr"];
        argv.extend_from_slice(args);
        let c = run_in(&argv, stdin).await;
        assert_eq!((c.err().as_str(), c.status), ("", 0), "{args:?}");
        c.stdout
    }

    #[tokio::test]
    async fn modes_like_gnu() {
        assert_eq!(
            tr(&["a-z", "A-Z"], b"hello world\n").await,
            b"HELLO WORLD\n"
        );
        assert_eq!(tr(&["-d", "l"], b"hello\n").await, b"heo\n");
        assert_eq!(tr(&["-s", "a-c"], b"aabbccdd\n").await, b"abcdd\n");
        assert_eq!(
            tr(&["-c", "a-z", "_"], b"hello world\n").await,
            b"hello_world_"
        );
        assert_eq!(tr(&["-s", " "], b"aa  bb\n").await, b"aa bb\n");
        assert_eq!(tr(&["-ds", "l", "o"], b"hello\n").await, b"heo\n");
        assert_eq!(tr(&["abc", "x"], b"abc\n").await, b"xxx\n");
        assert_eq!(tr(&["-t", "abc", "x"], b"abc\n").await, b"xbc\n");
        assert_eq!(
            tr(&["[:upper:][:lower:]", "[:lower:][:upper:]"], b"Hello\n").await,
            b"hELLO\n"
        );
        assert_eq!(tr(&["-d", "[:digit:]"], b"a1b2\n").await, b"ab\n");
        assert_eq!(tr(&["a-c", "[x*]"], b"abc\n").await, b"xxx\n");
        assert_eq!(tr(&["a-f", "x[y*2]z"], b"abcdef\n").await, b"xyyzzz\n");
        assert_eq!(tr(&["-c", "[:alpha:]", "\\n"], b"ab\n").await, b"ab\n");
        assert_eq!(tr(&["-d", "\\303"], "\u{e9}\n".as_bytes()).await, b"\xa9\n");
        assert_eq!(tr(&["\\\\", "/"], b"a\\b\n").await, b"a/b\n");
        assert_eq!(tr(&["\\t", " "], b"a\tb\n").await, b"a b\n");
        assert_eq!(tr(&["\\141", "X"], b"abc\n").await, b"Xbc\n");
        assert_eq!(
            tr(&["-cs", "a-z", "\\n"], b"ab  cd!!e\n").await,
            b"ab\ncd\ne\n"
        );
        assert_eq!(tr(&["a-z", "A-Z"], b"\xff\x00z").await, b"\xff\x00Z");
        assert_eq!(tr(&["-c", "a", "[x*]"], b"abc\n").await, b"axxx");
        assert_eq!(tr(&["-s", "l"], b"hello\n").await, b"helo\n");
        assert_eq!(
            tr(&["[:upper:]", "[:lower:]"], b"HELLO\n").await,
            b"hello\n"
        );
        assert_eq!(
            tr(&["[:lower:][:digit:]", "[:upper:]x"], b"Hi 1\n").await,
            b"HI x\n"
        );
        assert_eq!(tr(&["-d", "-c", "b"], b"abc\n").await, b"b");
    }

    #[tokio::test]
    async fn errors_like_gnu() {
        let hint = "Try 'tr --help' for more information.\n";
        let q = |s: &str| format!("\u{2018}{s}\u{2019}");
        let usage: &[(&[&str], String)] = &[
            (&[], "tr: missing operand\n".into()),
            (
                &["a"],
                format!(
                    "tr: missing operand after {}\nTwo strings must be given when translating.\n",
                    q("a")
                ),
            ),
            (
                &["-d", "a", "b"],
                format!(
                    "tr: extra operand {}\nOnly one string may be given when deleting without squeezing repeats.\n",
                    q("b")
                ),
            ),
            (&["a", "b", "c"], format!("tr: extra operand {}\n", q("c"))),
            (
                &["-ds", "a"],
                format!(
                    "tr: missing operand after {}\nTwo strings must be given when both deleting and squeezing repeats.\n",
                    q("a")
                ),
            ),
        ];
        for (args, err) in usage {
            let mut argv = vec!["tr"];
            argv.extend_from_slice(args);
            check(&run_in(&argv, b"").await, "", &format!("{err}{hint}"), 1);
        }
        let plain: &[(&[&str], String)] = &[
            (&["z-a", "x"], "range-endpoints of 'z-a' are in reverse collating sequence order".into()),
            (&["[:foo:]", "x"], format!("invalid character class {}", q("foo"))),
            (&["a", "[:digit:]"], "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'".into()),
            (&["abc", ""], "when not truncating set1, string2 must be non-empty".into()),
            (&["[a*x]", "y"], format!("invalid repeat count {} in [c*n] construct", q("x"))),
            (&["a", "[b*][c*]"], "only one [c*] repeat construct may appear in string2".into()),
            (&["[a*]", "b"], "the [c*] repeat construct may not appear in string1".into()),
            (&["[=ab=]", "x"], "ab: equivalence class operand must be a single character".into()),
            (&["-c", "[:alpha:]", "xy"], "when translating with complemented character classes,\nstring2 must map all characters in the domain to one".into()),
            (&["ab", "[:upper:]"], "misaligned [:upper:] and/or [:lower:] construct".into()),
            (&["a-z", "[:upper:]"], "misaligned [:upper:] and/or [:lower:] construct".into()),
        ];
        for (args, err) in plain {
            let mut argv = vec!["tr"];
            argv.extend_from_slice(args);
            check(&run_in(&argv, b"").await, "", &format!("tr: {err}\n"), 1);
        }
        let c = run_in(&["tr", "a\\", "x"], b"a\\").await;
        check(
            &c,
            "xx",
            "tr: warning: an unescaped backslash at end of string is not portable\n",
            0,
        );
    }
}
