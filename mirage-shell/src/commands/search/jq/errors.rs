//! Runtime error messages in jq 1.6's words.
//!
//! jaq raises its own errors for type mistakes (`cannot index 1 with "a"`); jq 1.6 words them
//! differently (`Cannot index number with string "a"`). jaq's error keeps its parts private
//! but prints them in a fixed shape with the values as JSON, so the shape is matched here and
//! the values re-read to rebuild jq's message. Errors raised by the program itself
//! (`error(...)`) are printed as jq prints them.

use jaq_core::Error;
use jaq_json::Val;

use super::format::{to_compact, trunc_dump};
use super::formats::kind;
use super::parse::Parser;

/// The text to print for an uncaught error (None for `error(null)`, which jq 1.6 ignores).
pub fn message(err: Error<Val>, location: &str) -> Option<String> {
    let internal = format!("{err:?}").starts_with("Error(Str(");
    if internal {
        return Some(format!(
            "jq: error (at {location}): {}\n",
            translate(&err.to_string())
        ));
    }
    match err.into_val() {
        Val::Null => None,
        // jaq words some of its own errors as plain strings (`true has no length`).
        Val::TStr(s) | Val::BStr(s) => Some(format!(
            "jq: error (at {location}): {}\n",
            translate(&String::from_utf8_lossy(&s))
        )),
        other => Some(format!(
            "jq: error (at {location}) (not a string): {}\n",
            to_compact(&other)
        )),
    }
}

/// Reads one value at the start of `text`; returns it and the rest of the text.
fn value_prefix(text: &str) -> Option<(Val, &str)> {
    let mut p = Parser::new(text.as_bytes());
    let (v, mut end) = p.next_value()?.ok()?;
    // A number is only complete at the character after it, which the parser consumed.
    if end > 0
        && end <= text.len()
        && text.as_bytes()[end - 1] == b' '
        && matches!(v, Val::Num(_) | Val::Null | Val::Bool(_))
    {
        end -= 1;
    }
    Some((v, text.get(end..)?))
}

/// `kind (value)` as jq describes values in messages.
pub fn described(v: &Val) -> String {
    format!("{} ({})", kind(v), trunc_dump(v))
}

/// Rewrites one of jaq's messages into jq 1.6's; unknown shapes pass through.
pub fn translate(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("cannot index ")
        && let Some(msg) = index_error(rest)
    {
        return msg;
    }
    if let Some(rest) = text.strip_prefix("cannot use ")
        && let Some(msg) = use_error(rest)
    {
        return msg;
    }
    if let Some(rest) = text.strip_prefix("cannot calculate ")
        && let Some(msg) = math_error(rest)
    {
        return msg;
    }
    if let Some((v, _)) = text.strip_suffix(" has no length").and_then(value_prefix) {
        return format!("{} has no length", described(&v));
    }
    text.to_string()
}

/// `L with R` after `cannot index `.
fn index_error(rest: &str) -> Option<String> {
    let (l, rest) = value_prefix(rest)?;
    let (r, _) = value_prefix(rest.strip_prefix(" with ")?)?;
    Some(match &r {
        Val::TStr(s) | Val::BStr(s) => format!(
            "Cannot index {} with string \"{}\"",
            kind(&l),
            String::from_utf8_lossy(s)
        ),
        other => format!("Cannot index {} with {}", kind(&l), kind(other)),
    })
}

/// `V as TYPE` after `cannot use `.
fn use_error(rest: &str) -> Option<String> {
    let (v, rest) = value_prefix(rest)?;
    let what = rest.strip_prefix(" as ").unwrap_or(rest);
    if what.starts_with("iterable") {
        Some(format!("Cannot iterate over {}", described(&v)))
    } else if what.starts_with("rangeable") {
        Some(format!("Cannot index {} with object", kind(&v)))
    } else if what == "integer" {
        Some("Start and end indices of an array slice must be numbers".to_string())
    } else if what == "string" {
        Some(format!(
            "{} cannot be matched, as it is not a string",
            described(&v)
        ))
    } else {
        None
    }
}

/// `L OP R` after `cannot calculate `.
fn math_error(rest: &str) -> Option<String> {
    let (l, rest) = value_prefix(rest)?;
    let (op, r_text) = rest.trim_start().split_once(' ')?;
    let (r, _) = value_prefix(r_text)?;
    let verb = match op {
        "+" => "added",
        "-" => "subtracted",
        "*" => "multiplied",
        "/" => "divided",
        _ => "divided (remainder)",
    };
    let zero = matches!(&l, Val::Num(_))
        && matches!(&r, Val::Num(n) if super::format::num_f64(n) == 0.0)
        && matches!(op, "/" | "%");
    let tail = if zero {
        " because the divisor is zero"
    } else {
        ""
    };
    Some(format!(
        "{} and {} cannot be {verb}{tail}",
        described(&l),
        described(&r)
    ))
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn jaq_shapes_to_jq_words() {
        assert_eq!(
            translate("cannot index 1 with \"b\""),
            "Cannot index number with string \"b\""
        );
        assert_eq!(
            translate("cannot index {} with 0"),
            "Cannot index object with number"
        );
        assert_eq!(
            translate("cannot use 1 as iterable (array or object)"),
            "Cannot iterate over number (1)"
        );
        assert_eq!(
            translate("cannot calculate 1 + \"x\""),
            "number (1) and string (\"x\") cannot be added"
        );
        assert_eq!(
            translate("cannot use \"abcdefghijklmnopqrstuvwxyz\" as iterable (array or object)"),
            "Cannot iterate over string (\"abcdefghij...)"
        );
    }
}
