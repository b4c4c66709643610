//! Writing values the way jq 1.6 prints them: its indentation, its string escapes (`\u007f`,
//! `-a`), its key sorting (`-S`), and its number format (doubles printed with the shortest
//! round-trip digits, `1e+100`, `1e-05`, integers up to 1e17 written out).

use jaq_json::{Num, Val};

/// How to print.
#[derive(Clone, Debug)]
pub struct Style {
    /// None: compact; Some(unit): one `unit` per level.
    pub indent: Option<String>,
    pub sort_keys: bool,
    pub ascii: bool,
}

impl Style {
    pub fn compact() -> Self {
        Style {
            indent: None,
            sort_keys: false,
            ascii: false,
        }
    }
}

/// Appends `v` to `out`.
pub fn write_value(out: &mut Vec<u8>, v: &Val, style: &Style) {
    write_at(out, v, style, 0);
}

/// `v` as jq's compact text (used by `tojson`, `tostring`, messages).
pub fn to_compact(v: &Val) -> String {
    let mut out = Vec::new();
    write_value(&mut out, v, &Style::compact());
    String::from_utf8_lossy(&out).into_owned()
}

/// jq's `jv_dump_string_trunc` into a 15-byte buffer, used in error messages: the compact
/// text, cut to 11 bytes plus `...` when longer than 14.
pub fn trunc_dump(v: &Val) -> String {
    let s = to_compact(v);
    if s.len() <= 14 {
        return s;
    }
    let mut cut = 11;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...", &s[..cut])
}

fn newline(out: &mut Vec<u8>, style: &Style, level: usize) {
    if let Some(unit) = &style.indent {
        out.push(b'\n');
        for _ in 0..level {
            out.extend_from_slice(unit.as_bytes());
        }
    }
}

fn write_at(out: &mut Vec<u8>, v: &Val, style: &Style, level: usize) {
    match v {
        Val::Null => out.extend_from_slice(b"null"),
        Val::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Val::Num(n) => out.extend_from_slice(format_num(n).as_bytes()),
        Val::TStr(s) | Val::BStr(s) => write_string(out, s, style.ascii),
        Val::Arr(a) => {
            if a.is_empty() {
                out.extend_from_slice(b"[]");
                return;
            }
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, style, level + 1);
                write_at(out, x, style, level + 1);
            }
            newline(out, style, level);
            out.push(b']');
        }
        Val::Obj(o) => {
            if o.is_empty() {
                out.extend_from_slice(b"{}");
                return;
            }
            out.push(b'{');
            let mut entries: Vec<(&Val, &Val)> = o.iter().collect();
            if style.sort_keys {
                entries.sort_by(|a, b| key_bytes(a.0).cmp(key_bytes(b.0)));
            }
            for (i, (k, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, style, level + 1);
                match k {
                    Val::TStr(s) | Val::BStr(s) => write_string(out, s, style.ascii),
                    other => write_string(out, to_compact(other).as_bytes(), style.ascii),
                }
                out.push(b':');
                if style.indent.is_some() {
                    out.push(b' ');
                }
                write_at(out, x, style, level + 1);
            }
            newline(out, style, level);
            out.push(b'}');
        }
    }
}

fn key_bytes(k: &Val) -> &[u8] {
    match k {
        Val::TStr(s) | Val::BStr(s) => s,
        _ => b"",
    }
}

/// A JSON string literal with jq's escapes.
pub fn write_string(out: &mut Vec<u8>, s: &[u8], ascii: bool) {
    out.push(b'"');
    let text = String::from_utf8_lossy(s);
    for c in text.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c if ascii && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.extend_from_slice(format!("\\u{:04x}", u).as_bytes());
                }
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// The value of a jaq number as jq's double.
pub fn num_f64(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::Float(f) => *f,
        Num::BigInt(_) | Num::Dec(_) => n.to_string().parse().unwrap_or(f64::NAN),
    }
}

/// jq 1.6's number text.
pub fn format_num(n: &Num) -> String {
    if let Num::Int(i) = n
        && i.unsigned_abs() < 1_000_000_000_000_000
    {
        return i.to_string();
    }
    format_f64(num_f64(n))
}

/// Formats a double like jq 1.6 (`jvp_dtoa_fmt`): NaN prints as `null`, infinities as the
/// largest double, otherwise the shortest round-trip digits, in exponent form when the decimal
/// exponent is below -4 or more than 15 digits past the significant ones.
pub fn format_f64(d: f64) -> String {
    if d.is_nan() {
        return "null".to_string();
    }
    let d = d.clamp(f64::MIN, f64::MAX);
    if d == 0.0 {
        return if d.is_sign_negative() {
            "-0".to_string()
        } else {
            "0".to_string()
        };
    }
    // Shortest round-trip digits and the decimal exponent, from Rust's `{:e}`.
    let sci = format!("{:e}", d.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let decpt = exp + 1;
    let ndigits = digits.len() as i32;
    let mut out = String::new();
    if d < 0.0 {
        out.push('-');
    }
    if decpt <= -4 || decpt > ndigits + 15 {
        out.push_str(&digits[..1]);
        if ndigits > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        let e = decpt - 1;
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", e.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if decpt >= ndigits {
        out.push_str(&digits);
        for _ in 0..(decpt - ndigits) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_f64;

    #[test]
    fn numbers_like_jq_1_6() {
        // Recorded from `echo X | jq .` with jq 1.6.
        let cases = [
            (1.0, "1"),
            (1e100, "1e+100"),
            (12345678901234567890.0, "12345678901234567000"),
            (1e17, "1e+17"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000"),
            (123456789012345678.0, "123456789012345680"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (-0.0, "-0"),
            (2.75, "2.75"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (f64::INFINITY, "1.7976931348623157e+308"),
            (f64::NEG_INFINITY, "-1.7976931348623157e+308"),
            (0.1, "0.1"),
            (1.23, "1.23"),
            (1e20, "1e+20"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (d, want) in cases {
            assert_eq!(format_f64(d), want, "{d}");
        }
    }
}
