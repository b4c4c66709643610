//! jq 1.6 builtins that jaq lacks or words differently: `@csv`, `@tsv`, and the text parsing
//! behind `tonumber` and `fromjson`.

use jaq_json::{Error, Val};

use super::format::{format_num, to_compact, trunc_dump};
use super::parse;

/// The jq type name of a value.
pub fn kind(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

fn row<'a>(v: &'a Val, what: &str) -> Result<&'a [Val], Error> {
    match v {
        Val::Arr(a) => Ok(a.as_slice()),
        other => Err(Error::str(format!(
            "{} ({}) cannot be {what}-formatted, only array",
            kind(other),
            trunc_dump(other)
        ))),
    }
}

fn cell_error(v: &Val) -> Error {
    Error::str(format!(
        "{} ({}) is not valid in a csv row",
        kind(v),
        trunc_dump(v)
    ))
}

/// `@csv`: numbers bare, strings quoted with doubled quotes, booleans, null as nothing.
pub fn csv(v: &Val) -> Result<Val, Error> {
    let cells = match v {
        Val::Arr(a) => a.as_slice(),
        other => {
            return Err(Error::str(format!(
                "{} ({}) cannot be csv-formatted, only array",
                kind(other),
                trunc_dump(other)
            )));
        }
    };
    let mut out = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match c {
            Val::Num(n) => out.extend_from_slice(format_num(n).as_bytes()),
            Val::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Val::Null => {}
            Val::TStr(s) | Val::BStr(s) => {
                out.push(b'"');
                for b in s.iter() {
                    if *b == b'"' {
                        out.push(b'"');
                    }
                    out.push(*b);
                }
                out.push(b'"');
            }
            other => return Err(cell_error(other)),
        }
    }
    Ok(Val::utf8_str(out))
}

/// `@tsv`: cells joined by tabs, with `\t`, `\n`, `\r` and `\\` escaped in strings.
pub fn tsv(v: &Val) -> Result<Val, Error> {
    let cells = row(v, "tsv")?;
    let mut out = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match c {
            Val::Num(n) => out.extend_from_slice(format_num(n).as_bytes()),
            Val::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Val::Null => {}
            Val::TStr(s) | Val::BStr(s) => {
                for b in s.iter() {
                    match b {
                        b'\t' => out.extend_from_slice(b"\\t"),
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        b'\\' => out.extend_from_slice(b"\\\\"),
                        b => out.push(*b),
                    }
                }
            }
            other => return Err(cell_error(other)),
        }
    }
    Ok(Val::utf8_str(out))
}

/// `tonumber` / `fromjson`: parses a string as a JSON text, with jq's error message.
pub fn parse_text(v: &Val) -> Result<Val, Error> {
    let (Val::TStr(s) | Val::BStr(s)) = v else {
        return Err(Error::str(format!(
            "{} ({}) cannot be parsed as a number",
            kind(v),
            to_compact(v)
        )));
    };
    parse::parse_one(s).map_err(|e| {
        Error::str(format!(
            "{e} (while parsing '{}')",
            String::from_utf8_lossy(s)
        ))
    })
}
