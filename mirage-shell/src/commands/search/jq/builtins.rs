//! Natives whose jq 1.6 behaviour jaq's versions do not have: `keys_unsorted` (jq's "has no
//! keys" error) and `join` (jq 1.6's conversions and errors, without copying the text built
//! so far for every element), and `matches` (behind `match`, `test`, `capture` and `scan`:
//! jq 1.6 lists unmatched capture groups and names unnamed ones null). The path builtins are
//! in `paths`.

use jaq_json::{Error, Map, Rc, Val};

use super::errors::described;

/// Keys of an object (in order) or indices of an array.
pub fn keys_unsorted(v: &Val) -> Result<Val, Error> {
    match v {
        Val::Obj(o) => Ok(Val::Arr(Rc::new(o.keys().cloned().collect()))),
        Val::Arr(a) => Ok(Val::Arr(Rc::new(
            (0..a.len()).map(|i| Val::from(i as isize)).collect(),
        ))),
        other => Err(Error::str(format!("{} has no keys", described(other)))),
    }
}

/// `join($sep)` as jq 1.6 defines it, in effect:
/// `reduce .[] as $i (null; (if . == null then "" else . + $sep end) + ($i | if . == null
/// then "" elif type == "boolean" or type == "number" then tojson else . end)) // ""`.
pub fn join(v: &Val, sep: &Val) -> Result<Val, Error> {
    let items: Box<dyn Iterator<Item = &Val>> = match v {
        Val::Arr(a) => Box::new(a.iter()),
        Val::Obj(o) => Box::new(o.values()),
        other => {
            return Err(Error::str(format!(
                "Cannot iterate over {}",
                described(other)
            )));
        }
    };
    let text = |b: &[u8]| Val::utf8_str(b.to_vec());
    let added = |l: &[u8], r: &Val| {
        Error::str(format!(
            "{} and {} cannot be added",
            described(&text(l)),
            described(r)
        ))
    };
    let mut out: Vec<u8> = Vec::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            match sep {
                Val::TStr(s) | Val::BStr(s) => out.extend_from_slice(s),
                Val::Null => {}
                other => return Err(added(&out, other)),
            }
        }
        match item {
            Val::Null => {}
            Val::TStr(s) | Val::BStr(s) => out.extend_from_slice(s),
            Val::Bool(_) | Val::Num(_) => {
                out.extend_from_slice(super::format::to_compact(item).as_bytes())
            }
            other => return Err(added(&out, other)),
        }
    }
    Ok(Val::utf8_str(out))
}

/// Options of a jq 1.6 regex (`g`, `i`, `x`, `n`, `s`, `l`, `p`).
struct ReFlags {
    global: bool,
    skip_empty: bool,
    case_insensitive: bool,
    extended: bool,
    dot_all: bool,
}

fn re_flags(flags: &Val) -> Result<ReFlags, Error> {
    let text = match flags {
        Val::Null => Vec::new(),
        Val::TStr(s) | Val::BStr(s) => s.to_vec(),
        other => return Err(Error::str(format!("{} is not a string", described(other)))),
    };
    let mut f = ReFlags {
        global: false,
        skip_empty: false,
        case_insensitive: false,
        extended: false,
        dot_all: false,
    };
    for c in &text {
        match c {
            b'g' => f.global = true,
            b'n' => f.skip_empty = true,
            b'i' => f.case_insensitive = true,
            b'x' => f.extended = true,
            b'p' => f.dot_all = true,
            b's' | b'l' => {}
            _ => {
                return Err(Error::str(format!(
                    "{} is not a valid modifier string",
                    String::from_utf8_lossy(&text)
                )));
            }
        }
    }
    Ok(f)
}

/// Character offset of byte `pos` in `s`.
fn char_offset(s: &[u8], pos: usize) -> usize {
    s[..pos.min(s.len())]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count()
}

/// `matches(RE; FLAGS)`: for every match (jq 1.6's search loop), the whole match followed by
/// every capture group, an unmatched group as `{"offset":-1,"string":null,...}`; jq gives a
/// zero-width match no captures.
pub fn matches(v: &Val, re: &Val, flags: &Val) -> Result<Val, Error> {
    let (Val::TStr(s) | Val::BStr(s)) = v else {
        return Err(Error::str(format!(
            "{} cannot be matched, as it is not a string",
            described(v)
        )));
    };
    let (Val::TStr(pattern) | Val::BStr(pattern)) = re else {
        return Err(Error::str(format!("{} is not a string", described(re))));
    };
    let f = re_flags(flags)?;
    let pattern = String::from_utf8_lossy(pattern);
    let regex = regex::bytes::RegexBuilder::new(&pattern)
        .case_insensitive(f.case_insensitive)
        .ignore_whitespace(f.extended)
        .dot_matches_new_line(f.dot_all)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            let last = text.lines().last().unwrap_or_default().trim().to_string();
            Error::str(format!("Regex failure: {last}"))
        })?;
    let names: Vec<Option<&str>> = regex.capture_names().collect();
    let key = |k: &str| Val::utf8_str(k.as_bytes().to_vec());
    let num = |n: usize| Val::from(n as isize);
    let text = |b: &[u8]| Val::utf8_str(b.to_vec());
    let name_val = |n: Option<&str>| n.map_or(Val::Null, key);
    let s: &[u8] = s;
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        if start > s.len() {
            break;
        }
        let Some(caps) = regex.captures_at(s, start) else {
            break;
        };
        let Some(whole) = caps.get(0) else { break };
        let mut groups = Vec::new();
        let offset = char_offset(s, whole.start());
        let mut obj = Map::default();
        obj.insert(key("offset"), num(offset));
        obj.insert(
            key("length"),
            num(char_offset(whole.as_bytes(), whole.len())),
        );
        obj.insert(key("string"), text(whole.as_bytes()));
        groups.push(Val::obj(obj));
        if whole.is_empty() {
            start += 1;
            if !f.skip_empty {
                out.push(Val::Arr(Rc::new(groups)));
            }
        } else {
            for (i, name) in names.iter().enumerate().skip(1) {
                let mut obj = Map::default();
                match caps.get(i) {
                    Some(m) => {
                        obj.insert(key("offset"), num(char_offset(s, m.start())));
                        obj.insert(key("length"), num(char_offset(m.as_bytes(), m.len())));
                        obj.insert(key("string"), text(m.as_bytes()));
                    }
                    None => {
                        obj.insert(key("offset"), Val::from(-1isize));
                        obj.insert(key("string"), Val::Null);
                        obj.insert(key("length"), num(0));
                    }
                }
                obj.insert(key("name"), name_val(*name));
                groups.push(Val::obj(obj));
            }
            start = whole.end();
            out.push(Val::Arr(Rc::new(groups)));
        }
        if !f.global || start == s.len() {
            break;
        }
    }
    Ok(Val::Arr(Rc::new(out)))
}
