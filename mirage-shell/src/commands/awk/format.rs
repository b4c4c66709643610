//! `printf`/`sprintf` formatting and number-to-string conversion (C printf semantics for the
//! conversions awk supports: c d i o x X u e E f F g G s %).

use super::interp::Value;

/// Formats `x` like C's `%e` with `prec` digits after the point.
pub fn fmt_e(x: f64, prec: usize, upper: bool) -> String {
    if !x.is_finite() {
        return nonfinite(x, upper);
    }
    let s = format!("{:.*e}", prec, x);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let e = if upper { 'E' } else { 'e' };
    format!("{mant}{e}{sign}{:02}", exp.abs())
}

/// gawk's own spelling of infinities and NaN in output (`+inf`, `-nan`).
fn nonfinite_awk(x: f64) -> String {
    let sign = if x.is_sign_negative() { '-' } else { '+' };
    if x.is_nan() {
        format!("{sign}nan")
    } else {
        format!("{sign}inf")
    }
}

fn nonfinite(x: f64, upper: bool) -> String {
    let s = if x.is_nan() {
        if x.is_sign_negative() { "-nan" } else { "nan" }
    } else if x < 0.0 {
        "-inf"
    } else {
        "inf"
    };
    if upper {
        s.to_uppercase()
    } else {
        s.to_string()
    }
}

/// Formats `x` like C's `%f`.
pub fn fmt_f(x: f64, prec: usize) -> String {
    if !x.is_finite() {
        return nonfinite(x, false);
    }
    format!("{:.*}", prec, x)
}

/// Formats `x` like C's `%g` (`alt` is the `#` flag: keep trailing zeros).
pub fn fmt_g(x: f64, prec: usize, alt: bool, upper: bool) -> String {
    if !x.is_finite() {
        return nonfinite(x, upper);
    }
    let p = if prec == 0 { 1 } else { prec };
    let probe = format!("{:.*e}", p - 1, x);
    let exp: i32 = probe
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let s = fmt_e(x, p - 1, upper);
        if alt {
            return s;
        }
        let (mant, rest) = s.split_at(s.find(['e', 'E']).unwrap_or(s.len()));
        format!("{}{}", strip_zeros(mant), rest)
    } else {
        let s = format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x);
        if alt { s } else { strip_zeros(&s).to_string() }
    }
}

fn strip_zeros(s: &str) -> &str {
    if !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.')
}

/// Converts a number to its awk string form: integers print as integers, others via `fmt`
/// (CONVFMT or OFMT).
pub fn num_to_str(x: f64, fmt: &str) -> String {
    if !x.is_finite() {
        return nonfinite_awk(x);
    }
    if x == x.trunc() {
        // gawk prints integral values exactly, however large.
        if x == 0.0 {
            return "0".into();
        }
        return format!("{x:.0}");
    }
    sprintf(fmt, &[Value::Num(x)], "%.6g").unwrap_or_default()
}

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// Implements `sprintf(fmt, args...)`. Running out of arguments is gawk's fatal error, whose
/// message (with the caret under the conversion) is returned as `Err`.
pub fn sprintf(fmt: &str, args: &[Value], convfmt: &str) -> Result<String, String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut ai = 0;
    let mut i = 0;
    let mut missing: Option<usize> = None;
    let mut next_arg = |ai: &mut usize, at: usize| -> Value {
        let v = args.get(*ai).cloned();
        *ai += 1;
        if v.is_none() && missing.is_none() {
            missing = Some(at);
        }
        v.unwrap_or(Value::Uninit)
    };
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut sp = Spec::default();
        while i < chars.len() {
            match chars[i] {
                '-' => sp.left = true,
                '+' => sp.plus = true,
                ' ' => sp.space = true,
                '#' => sp.alt = true,
                '0' => sp.zero = true,
                _ => break,
            }
            i += 1;
        }
        if i < chars.len() && chars[i] == '*' {
            let w = next_arg(&mut ai, start).to_num() as i64;
            if w < 0 {
                sp.left = true;
            }
            sp.width = w.unsigned_abs() as usize;
            i += 1;
        } else {
            while i < chars.len() && chars[i].is_ascii_digit() {
                sp.width = sp.width * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
                i += 1;
            }
        }
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = 0usize;
            if i < chars.len() && chars[i] == '*' {
                p = next_arg(&mut ai, start).to_num().max(0.0) as usize;
                i += 1;
            } else {
                while i < chars.len() && chars[i].is_ascii_digit() {
                    p = p * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
                    i += 1;
                }
            }
            sp.prec = Some(p);
        }
        // Length modifiers are accepted and ignored, as gawk does.
        while i < chars.len() && matches!(chars[i], 'h' | 'l' | 'L' | 'q' | 'j' | 'z' | 't') {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.extend(&chars[start..]);
            break;
        };
        i += 1;
        match conv {
            '%' => out.push('%'),
            'c' => {
                let v = next_arg(&mut ai, start);
                let s = match &v {
                    Value::Num(n) | Value::StrNum(_, n) => char::from_u32(*n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    other => other
                        .to_str(convfmt)
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                out.push_str(&pad(&s, &sp, false));
            }
            's' => {
                let mut s = next_arg(&mut ai, start).to_str(convfmt);
                if let Some(p) = sp.prec {
                    s = s.chars().take(p).collect();
                }
                out.push_str(&pad(&s, &sp, false));
            }
            'd' | 'i' => {
                let x = next_arg(&mut ai, start).to_num();
                let body = if x.is_finite() {
                    let mut d = format!("{:.0}", x.trunc().abs());
                    if let Some(p) = sp.prec {
                        if p == 0 && d == "0" {
                            d.clear();
                        }
                        while d.len() < p {
                            d.insert(0, '0');
                        }
                    }
                    d
                } else {
                    nonfinite(x.abs(), false)
                };
                out.push_str(&signed(&body, x < 0.0 && x.trunc() != 0.0, &sp));
            }
            'o' | 'x' | 'X' | 'u' => {
                let x = next_arg(&mut ai, start).to_num();
                let n = if x < 0.0 { (x as i64) as u64 } else { x as u64 };
                let mut d = match conv {
                    'o' => format!("{n:o}"),
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    _ => format!("{n}"),
                };
                if let Some(p) = sp.prec {
                    while d.len() < p {
                        d.insert(0, '0');
                    }
                }
                if sp.alt && n != 0 {
                    match conv {
                        'o' if !d.starts_with('0') => d.insert(0, '0'),
                        'x' => d.insert_str(0, "0x"),
                        'X' => d.insert_str(0, "0X"),
                        _ => {}
                    }
                }
                out.push_str(&numeric_pad(&d, "", &sp));
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = next_arg(&mut ai, start).to_num();
                let p = sp.prec.unwrap_or(6);
                let body = match conv {
                    'e' | 'E' => fmt_e(x.abs(), p, conv == 'E'),
                    'f' | 'F' => fmt_f(x.abs(), p),
                    _ => fmt_g(x.abs(), p, sp.alt, conv == 'G'),
                };
                let body = if x.is_nan() {
                    body.trim_start_matches('-').to_string()
                } else {
                    body
                };
                out.push_str(&signed(
                    &body,
                    x.is_sign_negative() && !x.is_nan() && x != 0.0
                        || (x == 0.0 && x.is_sign_negative()),
                    &sp,
                ));
            }
            _ => {
                out.extend(&chars[start..i]);
            }
        }
    }
    match missing {
        Some(at) => Err(format!(
            "not enough arguments to satisfy format string\n\t`{fmt}'\n\t{}^ ran out for this one",
            " ".repeat(chars[..at].iter().collect::<String>().len() + 1)
        )),
        None => Ok(out),
    }
}

/// Adds the sign (or `+`/space flag) and pads a numeric body.
fn signed(body: &str, neg: bool, sp: &Spec) -> String {
    let sign = if neg {
        "-"
    } else if sp.plus {
        "+"
    } else if sp.space {
        " "
    } else {
        ""
    };
    numeric_pad(body, sign, sp)
}

fn numeric_pad(body: &str, sign: &str, sp: &Spec) -> String {
    let len = sign.chars().count() + body.chars().count();
    if len >= sp.width {
        return format!("{sign}{body}");
    }
    let fill = sp.width - len;
    let finite = body.chars().next().is_some_and(|c| c.is_ascii_digit());
    if sp.left {
        format!("{sign}{body}{}", " ".repeat(fill))
    } else if sp.zero && finite && sp.prec.is_none_or(|_| true) {
        format!("{sign}{}{body}", "0".repeat(fill))
    } else {
        format!("{}{sign}{body}", " ".repeat(fill))
    }
}

fn pad(s: &str, sp: &Spec, _numeric: bool) -> String {
    let len = s.chars().count();
    if len >= sp.width {
        return s.to_string();
    }
    let fill = " ".repeat(sp.width - len);
    if sp.left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}
