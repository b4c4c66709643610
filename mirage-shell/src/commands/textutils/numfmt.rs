//! `numfmt`: convert numbers to/from human-readable sizes (`--from`/`--to` si, iec, iec-i,
//! `--from=auto`), with `--suffix`, `--padding`, `--field`, `--format` and `--grouping` (a no-op
//! in the C locale). Rounds away from zero as GNU's
//! default `--round=from-zero`. Lines are streamed; the first invalid number aborts (status 2).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::support::{
    HELP, VERSION, open_input, parse_opts, read_line, refuse_help, unsupported, usage_error,
};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Numfmt;

const SPEC: OptSpec = OptSpec {
    short: "d:z",
    long: &[
        LongOpt {
            name: "from",
            has_arg: HasArg::Required,
            key: "from",
        },
        LongOpt {
            name: "to",
            has_arg: HasArg::Required,
            key: "to",
        },
        LongOpt {
            name: "suffix",
            has_arg: HasArg::Required,
            key: "suffix",
        },
        LongOpt {
            name: "padding",
            has_arg: HasArg::Required,
            key: "padding",
        },
        LongOpt {
            name: "field",
            has_arg: HasArg::Required,
            key: "field",
        },
        LongOpt {
            name: "delimiter",
            has_arg: HasArg::Required,
            key: "d",
        },
        LongOpt {
            name: "from-unit",
            has_arg: HasArg::Required,
            key: "from-unit",
        },
        LongOpt {
            name: "to-unit",
            has_arg: HasArg::Required,
            key: "to-unit",
        },
        LongOpt {
            name: "round",
            has_arg: HasArg::Required,
            key: "round",
        },
        LongOpt {
            name: "format",
            has_arg: HasArg::Required,
            key: "format",
        },
        LongOpt {
            name: "grouping",
            has_arg: HasArg::No,
            key: "grouping",
        },
        LongOpt {
            name: "header",
            has_arg: HasArg::Optional,
            key: "header",
        },
        LongOpt {
            name: "invalid",
            has_arg: HasArg::Required,
            key: "invalid",
        },
        LongOpt {
            name: "zero-terminated",
            has_arg: HasArg::No,
            key: "z",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[derive(Clone, Copy, PartialEq)]
enum Scale {
    None,
    Si,
    Iec,
    IecI,
    Auto,
}

const UNITS: &[u8] = b"KMGTPEZY";

struct Conf {
    from: Scale,
    to: Scale,
    suffix: String,
    padding: i64,
    field: usize,
    format: Option<Format>,
}

/// `--format=PREFIX%[0]['][-][N][.N]fSUFFIX`.
#[derive(Default)]
struct Format {
    prefix: String,
    suffix: String,
    width: usize,
    left: bool,
    zero: bool,
    precision: Option<usize>,
}

fn parse_format(f: &str) -> Result<Format, String> {
    let invalid = || {
        format!(
            "invalid format {}, directive must be %[0]['][-][N][.][N]f",
            lquote(f)
        )
    };
    let b = f.as_bytes();
    let mut i = 0;
    let mut prefix = String::new();
    loop {
        if i >= b.len() {
            return Err(format!("format {} has no % directive", lquote(f)));
        }
        if b[i] == b'%' {
            if b.get(i + 1) == Some(&b'%') {
                prefix.push('%');
                i += 2;
                continue;
            }
            break;
        }
        let ch = f[i..].chars().next().unwrap_or(' ');
        prefix.push(ch);
        i += ch.len_utf8();
    }
    i += 1;
    let mut out = Format {
        prefix,
        ..Format::default()
    };
    while i < b.len() && matches!(b[i], b'0' | b'\'' | b'-') {
        match b[i] {
            b'0' => out.zero = true,
            b'-' => out.left = true,
            _ => {}
        }
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    out.width = f[start..i].parse().unwrap_or(0);
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        out.precision = Some(f[start..i].parse().unwrap_or(0));
    }
    if b.get(i) != Some(&b'f') {
        return Err(invalid());
    }
    out.suffix = f[i + 1..].to_string();
    let rest = out.suffix.replace("%%", "");
    if rest.contains('%') {
        return Err(format!("format {} has too many % directives", lquote(f)));
    }
    Ok(out)
}

/// Rounds the decimal text `num` to `p` fraction digits, away from zero (GNU's default).
fn round_text(num: &str, p: usize) -> String {
    let (neg, body) = match num.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, num),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let int = if int.is_empty() { "0" } else { int };
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(p)).collect();
    while digits.len() < int.len() + p {
        digits.push(b'0');
    }
    let up = frac.bytes().skip(p).any(|d| d != b'0');
    if up {
        let mut k = digits.len();
        loop {
            if k == 0 {
                digits.insert(0, b'1');
                break;
            }
            k -= 1;
            if digits[k] == b'9' {
                digits[k] = b'0';
            } else {
                digits[k] += 1;
                break;
            }
        }
    }
    let cut = digits.len() - p;
    let (i, f) = digits.split_at(cut);
    let mut out = String::new();
    let zero = digits.iter().all(|d| *d == b'0');
    if neg && !zero {
        out.push('-');
    }
    out.push_str(&String::from_utf8_lossy(i));
    if p > 0 {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(f));
    }
    out
}

/// Parses one number with an optional unit suffix; `Err` is GNU's message.
fn parse_value(s: &str, from: Scale) -> Result<(f64, usize, bool), String> {
    let t = s.strip_suffix('B').filter(|_| false).unwrap_or(s);
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
        .map_or(t.len(), |(i, _)| i);
    let (num, rest) = t.split_at(end);
    let value: f64 = match num.parse() {
        Ok(v) if !num.is_empty() => v,
        _ => return Err(format!("invalid number: {}", lquote(s))),
    };
    let prec = num.split_once('.').map_or(0, |(_, f)| f.len());
    if rest.is_empty() {
        return Ok((value, prec, false));
    }
    let mut chars = rest.chars();
    let unit = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
    let Some(power) = UNITS.iter().position(|&u| u as char == unit) else {
        return Err(format!("invalid suffix in input: {}", lquote(s)));
    };
    if from == Scale::None {
        return Err(format!(
            "rejecting suffix in input: {} (consider using --from)",
            lquote(s)
        ));
    }
    let tail = chars.as_str();
    // As GNU: `auto` takes an optional `i` (then 1024), `iec-i` requires it; anything left
    // after the unit is reported on its own.
    let (base, left) = match from {
        Scale::Si => (1000f64, tail),
        Scale::Iec => (1024f64, tail),
        Scale::Auto => match tail.strip_prefix('i') {
            Some(rest) => (1024f64, rest),
            None => (1000f64, tail),
        },
        Scale::IecI => match tail.strip_prefix('i') {
            Some(rest) => (1024f64, rest),
            None => {
                return Err(format!(
                    "missing 'i' suffix in input: {} (e.g Ki/Mi/Gi)",
                    lquote(s)
                ));
            }
        },
        Scale::None => return Err(format!("invalid suffix in input: {}", lquote(s))),
    };
    if !left.is_empty() {
        return Err(format!(
            "invalid suffix in input {}: {}",
            lquote(s),
            lquote(left)
        ));
    }
    Ok((value * base.powi(power as i32 + 1), 0, true))
}

fn round_from_zero(v: f64) -> f64 {
    if v < 0.0 { v.floor() } else { v.ceil() }
}

fn to_human(v: f64, to: Scale, precision: Option<usize>) -> Result<String, ()> {
    let base = if to == Scale::Si { 1000.0 } else { 1024.0 };
    let mut val = v;
    let mut power = 0usize;
    while val.abs() >= base {
        val /= base;
        power += 1;
    }
    let adjust = match precision {
        Some(p) => 10f64.powi(p as i32),
        None if val.abs() < 10.0 => 10.0,
        None => 1.0,
    };
    val = round_from_zero(val * adjust) / adjust;
    if val.abs() >= base {
        val /= base;
        power += 1;
    }
    if power > UNITS.len() {
        return Err(());
    }
    let decimals =
        precision.unwrap_or_else(|| usize::from(val != 0.0 && val.abs() < 10.0 && power > 0));
    let mut s = format!("{val:.decimals$}");
    if power > 0 {
        s.push(UNITS[power - 1] as char);
        if to == Scale::IecI {
            s.push('i');
        }
    }
    Ok(s)
}

fn convert(token: &str, c: &Conf) -> Result<String, String> {
    let (v, prec, scaled) = parse_value(token, c.from)?;
    let precision = c.format.as_ref().and_then(|f| f.precision);
    let mut out = if c.to == Scale::None {
        match (scaled, precision) {
            (true, Some(p)) => format!("{:.p$}", round_from_zero(v)),
            (true, None) => format!("{:.0}", round_from_zero(v)),
            (false, Some(p)) => {
                let end = token
                    .char_indices()
                    .find(|&(i, ch)| !(ch.is_ascii_digit() || ch == '.' || (i == 0 && ch == '-')))
                    .map_or(token.len(), |(i, _)| i);
                round_text(&token[..end], p)
            }
            (false, None) => format!("{v:.prec$}"),
        }
    } else {
        to_human(v, c.to, precision)
            .map_err(|_| format!("value too large to be converted: {}", lquote(token)))?
    };
    out.push_str(&c.suffix);
    let (prefix, suffix) = match &c.format {
        Some(f) => (f.prefix.as_str(), f.suffix.as_str()),
        None => ("", ""),
    };
    // A width in --format wins over --padding.
    if let Some(f) = &c.format
        && (f.width > 0 || c.padding == 0)
    {
        let w = f.width;
        out = if f.left {
            format!("{out:<w$}")
        } else if f.zero && out.len() < w {
            match out.strip_prefix('-') {
                Some(rest) => format!("-{rest:0>x$}", x = w - 1),
                None => format!("{out:0>w$}"),
            }
        } else {
            format!("{out:>w$}")
        };
        return Ok(format!("{prefix}{out}{suffix}"));
    }
    let w = c.padding.unsigned_abs() as usize;
    let padded = match c.padding {
        p if p > 0 => format!("{out:>w$}"),
        p if p < 0 => format!("{out:<w$}"),
        _ => out,
    };
    Ok(format!("{prefix}{padded}{suffix}"))
}

/// Converts field `c.field` (1-based, blank separated) of a line, keeping the rest as is.
fn convert_line(line: &str, c: &Conf) -> Result<String, String> {
    let mut n = 0;
    let mut i = 0;
    let b = line.as_bytes();
    while i < b.len() {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
            i += 1;
        }
        if start == i {
            break;
        }
        n += 1;
        if n == c.field {
            let conv = convert(&line[start..i], c)?;
            return Ok(format!("{}{conv}{}", &line[..start], &line[i..]));
        }
    }
    Ok(line.to_string())
}

fn scale(v: &str) -> Option<Scale> {
    match v {
        "none" => Some(Scale::None),
        "si" => Some(Scale::Si),
        "iec" => Some(Scale::Iec),
        "iec-i" => Some(Scale::IecI),
        "auto" => Some(Scale::Auto),
        _ => None,
    }
}

#[async_trait]
impl Command for Numfmt {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut c = Conf {
            from: Scale::None,
            to: Scale::None,
            suffix: String::new(),
            padding: 0,
            field: 1,
            format: None,
        };
        for o in &parsed.opts {
            let v = o.value.as_deref().unwrap_or("");
            match o.key.as_str() {
                "from" | "to" => {
                    let valid: &[&str] = if o.key == "to" {
                        &["none", "si", "iec", "iec-i"]
                    } else {
                        &["none", "auto", "si", "iec", "iec-i"]
                    };
                    match scale(v).filter(|_| valid.contains(&v)) {
                        Some(s) if o.key == "from" => c.from = s,
                        Some(s) => c.to = s,
                        None => {
                            let mut m = format!(
                                "invalid argument {} for {}\nValid arguments are:",
                                lquote(v),
                                lquote(&format!("--{}", o.key))
                            );
                            for a in valid {
                                m.push_str(&format!("\n  - {}", lquote(a)));
                            }
                            return usage_error(ctx, &m, 1).await;
                        }
                    }
                }
                "suffix" => c.suffix = v.to_string(),
                "format" => match parse_format(v) {
                    Ok(f) => c.format = Some(f),
                    Err(m) => {
                        ctx.error(m).await?;
                        return Ok(1);
                    }
                },
                // Grouping uses the locale's separator, and C.UTF-8 has none.
                "grouping" => {}
                "padding" => match v.parse::<i64>() {
                    Ok(p) if p != 0 => c.padding = p,
                    _ => {
                        ctx.error(format!("invalid padding value {}", lquote(v)))
                            .await?;
                        return Ok(1);
                    }
                },
                "field" => match v.parse::<usize>() {
                    Ok(f) if f > 0 => c.field = f,
                    _ => return unsupported(ctx, &format!("--field={v}")).await,
                },
                k => {
                    let name = if k.len() == 1 {
                        format!("-{k}")
                    } else {
                        format!("--{k}")
                    };
                    return unsupported(ctx, &name).await;
                }
            }
        }
        if !parsed.operands.is_empty() {
            for op in &parsed.operands {
                match convert(op, &c) {
                    Ok(s) => ctx.stdout.write_all(format!("{s}\n").as_bytes()).await?,
                    Err(m) => {
                        ctx.error(m).await?;
                        return Ok(2);
                    }
                }
            }
            return Ok(0);
        }
        let mut reader = match open_input(ctx, "-").await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!("-: {e}")).await?;
                return Ok(2);
            }
        };
        let mut buf = Vec::new();
        while read_line(&mut reader, &mut buf).await? {
            let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let line = String::from_utf8_lossy(body).into_owned();
            match convert_line(&line, &c) {
                Ok(s) => ctx.stdout.write_all(format!("{s}\n").as_bytes()).await?,
                Err(m) => {
                    ctx.error(m).await?;
                    return Ok(2);
                }
            }
        }
        Ok(0)
    }
}
