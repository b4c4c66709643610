//! `numfmt`: convert numbers to/from human-readable sizes (`--from`/`--to` si, iec, iec-i,
//! `--from=auto`), with `--suffix`, `--padding`, `--field`, `--format` and `--grouping` (a no-op
//! in the C locale). Rounds away from zero as GNU's
//! default `--round=from-zero`. Lines are streamed; the first invalid number aborts (status 2).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use tokio::io::AsyncBufReadExt;

use super::support::{
    HELP, VERSION, open_input, parse_opts, refuse_help, unsupported, usage_error,
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
    /// `--field` ranges (inclusive); empty means field 1.
    fields: Vec<(usize, usize)>,
    format: Option<Format>,
    /// `-d`: the field delimiter; `None` is GNU's default (runs of blanks).
    delimiter: Option<u8>,
    round: Round,
    from_unit: f64,
    to_unit: f64,
    invalid: Invalid,
}

/// `--round`.
#[derive(Clone, Copy, PartialEq)]
enum Round {
    Up,
    Down,
    FromZero,
    TowardsZero,
    Nearest,
}

/// `--invalid`: what a number that cannot be converted does.
#[derive(Clone, Copy, PartialEq)]
enum Invalid {
    Abort,
    Fail,
    Warn,
    Ignore,
}

impl Conf {
    fn includes(&self, field: usize) -> bool {
        if self.fields.is_empty() {
            return field == 1;
        }
        self.fields
            .iter()
            .any(|&(lo, hi)| lo <= field && field <= hi)
    }
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

/// GNU's `simple_round` for the `--round` method.
fn round_with(v: f64, r: Round) -> f64 {
    match r {
        Round::Up => v.ceil(),
        Round::Down => v.floor(),
        Round::FromZero if v < 0.0 => v.floor(),
        Round::FromZero => v.ceil(),
        Round::TowardsZero => v.trunc(),
        Round::Nearest => v.round(),
    }
}

fn to_human(v: f64, to: Scale, precision: Option<usize>, round: Round) -> Result<String, ()> {
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
    val = round_with(val * adjust, round) / adjust;
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

/// Converts one number; `pad` is the padding width (negative: left aligned, 0: none).
fn convert(token: &str, c: &Conf, pad: i64) -> Result<String, String> {
    let (v, prec, scaled) = parse_value(token, c.from)?;
    let units = c.from_unit != 1.0 || c.to_unit != 1.0;
    let v = if units {
        v * c.from_unit / c.to_unit
    } else {
        v
    };
    let precision = c.format.as_ref().and_then(|f| f.precision);
    let mut out = if c.to == Scale::None {
        match (scaled, precision) {
            (true, Some(p)) => format!("{:.p$}", round_with(v, c.round)),
            (true, None) => format!("{:.0}", round_with(v, c.round)),
            (false, p) if units => {
                let p = p.unwrap_or(prec);
                let scale = 10f64.powi(p as i32);
                format!("{:.p$}", round_with(v * scale, c.round) / scale)
            }
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
        to_human(v, c.to, precision, c.round)
            .map_err(|_| format!("value too large to be converted: {}", lquote(token)))?
    };
    out.push_str(&c.suffix);
    let (prefix, suffix) = match &c.format {
        Some(f) => (f.prefix.as_str(), f.suffix.as_str()),
        None => ("", ""),
    };
    // A width in --format wins over --padding.
    if let Some(f) = &c.format
        && f.width > 0
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
    let w = pad.unsigned_abs() as usize;
    let padded = match pad {
        p if p > 0 => format!("{out:>w$}"),
        p if p < 0 => format!("{out:<w$}"),
        _ => out,
    };
    Ok(format!("{prefix}{padded}{suffix}"))
}

/// Splits a line into GNU's fields: with the default delimiter a field is its leading blanks
/// plus a word, and the one blank after it is the separator (written back as a space).
fn split_fields(line: &[u8], delimiter: Option<u8>) -> Vec<&[u8]> {
    let blank = |b: u8| b == b' ' || b == b'\t';
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        let start = pos;
        match delimiter {
            Some(d) => {
                while pos < line.len() && line[pos] != d {
                    pos += 1;
                }
            }
            None => {
                while pos < line.len() && blank(line[pos]) {
                    pos += 1;
                }
                while pos < line.len() && !blank(line[pos]) {
                    pos += 1;
                }
            }
        }
        fields.push(&line[start..pos]);
        if pos >= line.len() {
            return fields;
        }
        pos += 1;
    }
}

/// Converts one selected field (1-based `field`) as GNU's `process_suffixed_number`: the
/// suffix is trimmed, leading blanks skipped, and the width kept when padding is automatic.
fn convert_field(text: &str, field: usize, c: &Conf) -> Result<String, String> {
    let text = match text.strip_suffix(c.suffix.as_str()) {
        Some(t) if !c.suffix.is_empty() && !t.is_empty() => t,
        _ => text,
    };
    let number = text.trim_start_matches([' ', '\t']);
    // GNU pads to the field's own width when it had blanks before it or is not the first.
    let auto = c.padding == 0 && c.delimiter.is_none();
    let pad = match auto {
        true if number.len() != text.len() || field > 1 => text.len() as i64,
        true => 0,
        false => c.padding,
    };
    convert(number, c, pad)
}

/// Writes a converted line; returns false when some field could not be converted (and, when
/// aborting, stops at that field).
async fn process_line(
    ctx: &mut CommandContext,
    line: &[u8],
    newline: Option<u8>,
    c: &Conf,
) -> std::io::Result<bool> {
    let sep = c.delimiter.unwrap_or(b' ');
    let fields = split_fields(line, c.delimiter);
    let last = fields.len() - 1;
    let mut out = Vec::new();
    let mut valid = true;
    for (i, raw) in fields.into_iter().enumerate() {
        let text = String::from_utf8_lossy(raw);
        if c.includes(i + 1) {
            match convert_field(&text, i + 1, c) {
                Ok(s) => out.extend_from_slice(s.as_bytes()),
                Err(m) => {
                    valid = false;
                    if c.invalid != Invalid::Ignore {
                        // glibc's error() flushes stdout first.
                        ctx.stdout.write_all(&out).await?;
                        ctx.stdout.flush().await?;
                        out.clear();
                        ctx.error(m).await?;
                    }
                    if c.invalid == Invalid::Abort {
                        return Ok(false);
                    }
                    out.extend_from_slice(raw);
                }
            }
        } else {
            out.extend_from_slice(raw);
        }
        if i < last {
            out.push(sep);
        }
    }
    if let Some(nl) = newline {
        out.push(nl);
    }
    ctx.stdout.write_all(&out).await?;
    Ok(valid)
}

/// Parses `--field`'s list (`N`, `N-M`, `N-`, `-M`, `-`, comma separated).
fn parse_fields(spec: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut out = Vec::new();
    for part in spec.split([',', ' ']) {
        let num = |t: &str| -> Result<Option<usize>, String> {
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<usize>() {
                Ok(0) => Err("fields are numbered from 1".into()),
                Ok(n) => Ok(Some(n)),
                Err(_) => Err(format!("invalid field value {}", lquote(t))),
            }
        };
        let range = match part.split_once('-') {
            None => match num(part)? {
                Some(n) => (n, n),
                None => return Err(format!("invalid field value {}", lquote(part))),
            },
            Some((lo, hi)) => {
                let lo = num(lo)?.unwrap_or(1);
                let hi = num(hi)?.unwrap_or(usize::MAX);
                if hi < lo {
                    return Err("invalid decreasing range".into());
                }
                (lo, hi)
            }
        };
        out.push(range);
    }
    Ok(out)
}

/// `--from-unit`/`--to-unit`: a positive integer, or a unit (`K` = 1000, `Ki` = 1024) with an
/// optional count before it.
fn parse_unit(v: &str) -> Option<f64> {
    let end = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (num, unit) = v.split_at(end);
    let n: f64 = if num.is_empty() {
        1.0
    } else {
        num.parse().ok()?
    };
    let mult = if unit.is_empty() {
        1.0
    } else {
        let mut ch = unit.chars();
        let power = UNITS.iter().position(|&u| Some(u as char) == ch.next())? as i32 + 1;
        match ch.as_str() {
            "" => 1000f64.powi(power),
            "i" => 1024f64.powi(power),
            _ => return None,
        }
    };
    let size = n * mult;
    (size >= 1.0).then_some(size)
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

/// argmatch's complaint for an invalid `--OPTION` value, listing the valid ones.
async fn bad_choice(ctx: &mut CommandContext, v: &str, opt: &str, valid: &[&str]) -> CommandResult {
    let mut m = format!(
        "invalid argument {} for {}\nValid arguments are:",
        lquote(v),
        lquote(&format!("--{opt}"))
    );
    for a in valid {
        m.push_str(&format!("\n  - {}", lquote(a)));
    }
    usage_error(ctx, &m, 1).await
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
            fields: Vec::new(),
            format: None,
            delimiter: None,
            round: Round::FromZero,
            from_unit: 1.0,
            to_unit: 1.0,
            invalid: Invalid::Abort,
        };
        let mut header = 0usize;
        let mut field_seen = false;
        let mut line_delim = b'\n';
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
                        None => return bad_choice(ctx, v, &o.key, valid).await,
                    }
                }
                "round" => {
                    let choices = [
                        ("up", Round::Up),
                        ("down", Round::Down),
                        ("from-zero", Round::FromZero),
                        ("towards-zero", Round::TowardsZero),
                        ("nearest", Round::Nearest),
                    ];
                    match choices.iter().find(|(n, _)| *n == v) {
                        Some((_, r)) => c.round = *r,
                        None => {
                            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                            return bad_choice(ctx, v, "round", &names).await;
                        }
                    }
                }
                "invalid" => {
                    let choices = [
                        ("abort", Invalid::Abort),
                        ("fail", Invalid::Fail),
                        ("warn", Invalid::Warn),
                        ("ignore", Invalid::Ignore),
                    ];
                    match choices.iter().find(|(n, _)| *n == v) {
                        Some((_, i)) => c.invalid = *i,
                        None => {
                            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                            return bad_choice(ctx, v, "invalid", &names).await;
                        }
                    }
                }
                "from-unit" | "to-unit" => match parse_unit(v) {
                    Some(u) if o.key == "from-unit" => c.from_unit = u,
                    Some(u) => c.to_unit = u,
                    None => {
                        ctx.error(format!("invalid unit size: {}", lquote(v)))
                            .await?;
                        return Ok(1);
                    }
                },
                "header" => match o.value.as_deref() {
                    None => header = 1,
                    Some(h) => match h.parse::<usize>() {
                        Ok(n) if n > 0 => header = n,
                        _ => {
                            ctx.error(format!("invalid header value {}", lquote(h)))
                                .await?;
                            return Ok(1);
                        }
                    },
                },
                "d" => {
                    if v.len() > 1 {
                        ctx.error("the delimiter must be a single character")
                            .await?;
                        return Ok(1);
                    }
                    c.delimiter = Some(v.bytes().next().unwrap_or(0));
                }
                "z" => line_delim = 0,
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
                "field" => {
                    if field_seen {
                        ctx.error("multiple field specifications").await?;
                        return Ok(1);
                    }
                    field_seen = true;
                    match parse_fields(v) {
                        Ok(f) => c.fields = f,
                        Err(m) => return usage_error(ctx, &m, 1).await,
                    }
                }
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
        let failed_status = if c.invalid == Invalid::Fail || c.invalid == Invalid::Abort {
            2
        } else {
            0
        };
        let mut all_valid = true;
        if !parsed.operands.is_empty() {
            for op in &parsed.operands {
                let ok = process_line(ctx, op.as_bytes(), Some(b'\n'), &c).await?;
                if !ok && c.invalid == Invalid::Abort {
                    return Ok(2);
                }
                all_valid &= ok;
            }
            return Ok(if all_valid { 0 } else { failed_status });
        }
        let mut reader = match open_input(ctx, "-").await {
            Ok(r) => r,
            Err(e) => {
                ctx.error(format!("-: {e}")).await?;
                return Ok(2);
            }
        };
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if reader.read_until(line_delim, &mut buf).await? == 0 {
                break;
            }
            if header > 0 {
                header -= 1;
                ctx.stdout.write_all(&buf).await?;
                continue;
            }
            let (body, newline) = match buf.strip_suffix(&[line_delim]) {
                Some(b) => (b, Some(line_delim)),
                None => (buf.as_slice(), None),
            };
            let ok = process_line(ctx, body, newline, &c).await?;
            if !ok && c.invalid == Invalid::Abort {
                return Ok(2);
            }
            all_valid &= ok;
        }
        Ok(if all_valid { 0 } else { failed_status })
    }
}
