//! `seq`: print a sequence of numbers (`FIRST [INCREMENT] LAST`, `-s`, `-w`, `-f`). Like GNU,
//! whole non-negative numbers go through exact decimal-string counting (so huge integers are
//! exact), and everything else is computed as `first + i * step` in 80-bit long doubles and
//! printed with a `%Lg` or `%.NLf` format derived from the operands' spelling.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::longdouble::{self, Kind, Ld, Spec, strtold};
use super::support::{HELP, VERSION, lquote, refuse_help, usage_error};
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};

pub struct Seq;

const SPEC: OptSpec = OptSpec {
    short: "f:s:w",
    long: &[
        LongOpt {
            name: "equal-width",
            has_arg: HasArg::No,
            key: "w",
        },
        LongOpt {
            name: "format",
            has_arg: HasArg::Required,
            key: "f",
        },
        LongOpt {
            name: "separator",
            has_arg: HasArg::Required,
            key: "s",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: true,
};

/// Largest step the exact integer path takes.
const FAST_STEP_LIMIT: u64 = 200;

/// An operand: its value and the width/precision its spelling asks for.
#[derive(Clone, Copy, Debug)]
struct Operand {
    value: Ld,
    width: usize,
    /// None: unknown (use `%g`).
    precision: Option<usize>,
}

/// A user `-f` format split around its one floating-point directive.
#[derive(Clone, Debug)]
struct Layout {
    prefix: String,
    spec: Spec,
    conv: char,
    suffix: String,
}

impl Layout {
    fn render(&self, v: Ld) -> String {
        format!(
            "{}{}{}",
            self.prefix,
            longdouble::format(v, self.conv, &self.spec),
            self.suffix
        )
    }

    /// Just the number part of `render`.
    fn number(&self, v: Ld) -> String {
        longdouble::format(v, self.conv, &self.spec)
    }
}

/// Text outside the directive, with `%%` printed as `%`.
fn literal(s: &str) -> String {
    s.replace("%%", "%")
}

/// Validates `-f FORMAT` like GNU's `long_double_format`.
fn parse_format(fmt: &str) -> Result<Layout, String> {
    let b = fmt.as_bytes();
    let q = lquote(fmt);
    let mut i = 0;
    loop {
        match (b.get(i), b.get(i + 1)) {
            (None, _) => return Err(format!("format {q} has no % directive")),
            (Some(b'%'), Some(b'%')) => i += 2,
            (Some(b'%'), _) => break,
            _ => i += 1,
        }
    }
    let start = i;
    i += 1;
    let mut spec = Spec::default();
    while let Some(&c) = b.get(i) {
        match c {
            b'-' => spec.left = true,
            b'+' => spec.plus = true,
            b'#' => spec.alt = true,
            b'0' => spec.zero = true,
            b' ' => spec.space = true,
            b'\'' => {}
            _ => break,
        }
        i += 1;
    }
    let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    spec.width = fmt[i..i + n].parse().unwrap_or(0);
    i += n;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        spec.precision = Some(fmt[i..i + n].parse().unwrap_or(0));
        i += n;
    }
    if b.get(i) == Some(&b'L') {
        i += 1;
    }
    let Some(&conv) = b.get(i) else {
        return Err(format!("format {q} ends in %"));
    };
    if !b"efgaEFGA".contains(&conv) {
        let shown = fmt[i..].chars().next().unwrap_or('?');
        return Err(format!("format {q} has unknown %{shown} directive"));
    }
    let rest = &fmt[i + 1..];
    let rb = rest.as_bytes();
    let mut k = 0;
    while k < rb.len() {
        if rb[k] == b'%' {
            if rb.get(k + 1) != Some(&b'%') {
                return Err(format!("format {q} has too many % directives"));
            }
            k += 2;
        } else {
            k += 1;
        }
    }
    Ok(Layout {
        prefix: literal(&fmt[..start]),
        spec,
        conv: conv as char,
        suffix: literal(rest),
    })
}

/// `xstrtold` with the whole string consumed and no overflow.
fn parse_value(arg: &str) -> Option<Ld> {
    let p = strtold(arg.as_bytes())?;
    if p.len != arg.len() || p.len == 0 || (p.range_error && !p.value.is_zero()) {
        return None;
    }
    Some(p.value)
}

/// GNU's `scan_arg`: the value plus the width and precision implied by how it is written.
fn scan_arg(arg: &str) -> Result<Operand, String> {
    let value = parse_value(arg)
        .ok_or_else(|| format!("invalid floating point argument: {}", lquote(arg)))?;
    if value.is_nan() {
        return Err(format!(
            "invalid {} argument: {}",
            lquote("not-a-number"),
            lquote(arg)
        ));
    }
    let a = arg.trim_start_matches(|c: char| {
        matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '+')
    });
    let mut op = Operand {
        value,
        width: 0,
        precision: None,
    };
    let point = a.find('.');
    if point.is_none() && !a.contains('p') {
        op.precision = Some(0);
    }
    let finite = matches!(value.kind, Kind::Zero | Kind::Num { .. });
    if a.contains(['x', 'X']) || !finite {
        return Ok(op);
    }
    let mut width = a.len() as i64;
    let mut precision = op.precision.map(|p| p as i64);
    let mut fraction_len = 0i64;
    if let Some(p) = point {
        let after = &a[p + 1..];
        fraction_len = after.find(['e', 'E']).unwrap_or(after.len()) as i64;
        precision = Some(fraction_len);
        let digit_before = p > 0 && a.as_bytes()[p - 1].is_ascii_digit();
        width += if fraction_len == 0 {
            -1
        } else {
            i64::from(!digit_before)
        };
    }
    if let Some(e) = a.find('e').or_else(|| a.find('E')) {
        let exponent = leading_long(&a[e + 1..]);
        let prec = precision.unwrap_or(0);
        precision = Some(if exponent < 0 {
            prec - exponent
        } else {
            prec - prec.min(exponent)
        });
        width -= (a.len() - e) as i64;
        let mut exponent = exponent;
        if exponent < 0 {
            match point {
                Some(p) if e == p + 1 => width += 1,
                Some(_) => {}
                None => width += 1,
            }
            exponent = -exponent;
        } else {
            if point.is_some() && precision == Some(0) && fraction_len > 0 {
                width -= 1;
            }
            exponent -= fraction_len.min(exponent);
        }
        width += exponent;
    }
    op.width = width.max(0) as usize;
    op.precision = precision.map(|p| p.max(0) as usize);
    Ok(op)
}

/// `strtol(s, NULL, 10)` clamped.
fn leading_long(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = body.chars().take_while(char::is_ascii_digit).collect();
    let v = digits
        .parse::<i64>()
        .unwrap_or(if digits.is_empty() { 0 } else { i64::MAX });
    if neg { -v } else { v }
}

/// GNU's `get_default_format`.
fn default_layout(first: &Operand, step: &Operand, last: &Operand, equal_width: bool) -> Layout {
    let plain = |spec: Spec, conv| Layout {
        prefix: String::new(),
        spec,
        conv,
        suffix: String::new(),
    };
    let (Some(fp), Some(sp), Some(lp)) = (first.precision, step.precision, last.precision) else {
        return plain(Spec::default(), 'g');
    };
    let prec = fp.max(sp);
    if !equal_width {
        return plain(
            Spec {
                precision: Some(prec),
                ..Spec::default()
            },
            'f',
        );
    }
    let mut first_width = first.width + (prec - fp);
    let mut last_width = (last.width + prec).saturating_sub(lp);
    if lp > 0 && prec == 0 {
        last_width = last_width.saturating_sub(1);
    }
    if lp == 0 && prec > 0 {
        last_width += 1;
    }
    if fp == 0 && prec > 0 {
        first_width += 1;
    }
    plain(
        Spec {
            zero: true,
            width: first_width.max(last_width),
            precision: Some(prec),
            ..Spec::default()
        },
        'f',
    )
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Adds one to a decimal digit string.
fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

fn digits_le(a: &[u8], b: &[u8]) -> bool {
    a.len() < b.len() || (a.len() == b.len() && a <= b)
}

fn trim_zeros(s: &str) -> Vec<u8> {
    let t = s.trim_start_matches('0');
    if t.is_empty() {
        b"0".to_vec()
    } else {
        t.as_bytes().to_vec()
    }
}

/// GNU's `seq_fast`: exact counting on digit strings. Returns false (printing nothing) when
/// `a > b`, so the caller falls back to the general code.
async fn seq_fast(
    ctx: &mut CommandContext,
    a: &str,
    b: &str,
    step: u64,
    sep: u8,
) -> std::io::Result<bool> {
    let infinite = b == "inf";
    let mut p = trim_zeros(a);
    let q = if infinite { Vec::new() } else { trim_zeros(b) };
    if !infinite && !digits_le(&p, &q) {
        return Ok(false);
    }
    let mut buf = p.clone();
    loop {
        for _ in 0..step {
            increment(&mut p);
        }
        if !infinite && !digits_le(&p, &q) {
            break;
        }
        buf.push(sep);
        buf.extend_from_slice(&p);
        if buf.len() >= 64 * 1024 {
            ctx.stdout.write_all(&buf).await?;
            buf.clear();
        }
    }
    buf.push(b'\n');
    ctx.stdout.write_all(&buf).await?;
    Ok(true)
}

/// GNU's `print_numbers`: `first + i * step` in long doubles, with the rule that one value
/// past LAST is still printed when it prints as LAST (rounding in the last step).
async fn print_numbers(
    ctx: &mut CommandContext,
    layout: &Layout,
    first: Ld,
    step: Ld,
    last: Ld,
    sep: &str,
) -> std::io::Result<()> {
    let beyond = |x: &Ld| {
        if step.lt(&Ld::ZERO) {
            x.lt(&last)
        } else {
            last.lt(x)
        }
    };
    let mut out_of_range = beyond(&first);
    if out_of_range {
        return Ok(());
    }
    let mut x = first;
    let mut buf = String::new();
    let mut i: i128 = 1;
    loop {
        let x0 = x;
        buf.push_str(&layout.render(x));
        if out_of_range {
            break;
        }
        x = first.add(Ld::from_i128(i).mul(step));
        i += 1;
        out_of_range = beyond(&x);
        if out_of_range {
            let shown = layout.number(x);
            let equal_last = strtold(shown.as_bytes()).is_some_and(|p| {
                p.len == shown.len()
                    && p.value.partial_cmp(&last) == Some(std::cmp::Ordering::Equal)
            });
            if !(equal_last && layout.number(x0) != shown) {
                break;
            }
        }
        buf.push_str(sep);
        if buf.len() >= 64 * 1024 {
            ctx.stdout.write_all(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    buf.push('\n');
    ctx.stdout.write_all(buf.as_bytes()).await
}

/// Where options end: GNU checks for a negative number before each getopt call, and `-f`/`-s`
/// take the next argument when nothing is attached.
fn options_end(args: &[String]) -> usize {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_bytes();
        if a.first() != Some(&b'-') || a.len() == 1 {
            return i;
        }
        if a[1] == b'.' || a[1].is_ascii_digit() {
            return i;
        }
        if &args[i] == "--" {
            return i + 1;
        }
        let takes_next = if let Some(long) = args[i].strip_prefix("--") {
            !long.contains('=')
                && ["format", "separator"]
                    .iter()
                    .any(|n| !long.is_empty() && n.starts_with(long))
        } else {
            let cluster = &args[i][1..];
            cluster
                .char_indices()
                .find(|(_, c)| matches!(c, 'f' | 's'))
                .is_some_and(|(k, _)| k + 1 == cluster.len())
        };
        i += 1 + usize::from(takes_next);
    }
    args.len()
}

#[async_trait]
impl Command for Seq {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let end = options_end(&args).min(args.len());
        let parsed = match getopt::parse(&SPEC, &args[..end]) {
            Ok(p) => p,
            Err(msg) => return usage_error(ctx, &msg, 1).await,
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let mut operands = parsed.operands.clone();
        operands.extend(args[end..].iter().cloned());
        let equal_width = parsed.has("w");
        let sep = parsed.last("s").unwrap_or("\n").to_string();
        if operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        if operands.len() > 3 {
            return usage_error(ctx, &format!("extra operand {}", lquote(&operands[3])), 1).await;
        }
        let layout = match parsed.last("f") {
            Some(f) => match parse_format(f) {
                Ok(l) => Some(l),
                Err(msg) => {
                    ctx.error(msg).await?;
                    return Ok(1);
                }
            },
            None => None,
        };
        if layout.is_some() && equal_width {
            return usage_error(
                ctx,
                "format string may not be specified when printing equal width strings",
                1,
            )
            .await;
        }
        let plain = !equal_width && layout.is_none() && sep.len() == 1;
        let n = operands.len();
        let fast_step = if n == 3 {
            let s = &operands[1];
            all_digits(s)
                && parse_value(s).is_some_and(|v| {
                    Ld::ZERO.lt(&v) && !Ld::from_i128(i128::from(FAST_STEP_LIMIT)).lt(&v)
                })
        } else {
            true
        };
        if plain
            && all_digits(&operands[0])
            && (n == 1 || all_digits(&operands[1]))
            && (n < 3 || (fast_step && all_digits(&operands[2])))
        {
            let first = if n == 1 { "1" } else { &operands[0] };
            let step = if n == 3 {
                operands[1].parse().unwrap_or(1)
            } else {
                1
            };
            if seq_fast(ctx, first, &operands[n - 1], step, sep.as_bytes()[0]).await? {
                return Ok(0);
            }
        }
        let one = Operand {
            value: Ld::from_i128(1),
            width: 1,
            precision: Some(0),
        };
        let (mut first, mut step) = (one, one);
        let scanned: Result<Operand, String> = (|| {
            let mut last = scan_arg(&operands[0])?;
            if n > 1 {
                first = last;
                last = scan_arg(&operands[1])?;
                if n > 2 {
                    step = last;
                    if step.value.is_zero() {
                        return Err(format!(
                            "invalid Zero increment value: {}",
                            lquote(&operands[1])
                        ));
                    }
                    last = scan_arg(&operands[2])?;
                }
            }
            Ok(last)
        })();
        let last = match scanned {
            Ok(l) => l,
            Err(msg) => return usage_error(ctx, &msg, 1).await,
        };
        let all_integers =
            first.precision == Some(0) && step.precision == Some(0) && last.precision == Some(0);
        let limit = Ld::from_i128(i128::from(FAST_STEP_LIMIT));
        if all_integers
            && plain
            && first.value.is_finite()
            && !first.value.lt(&Ld::ZERO)
            && !last.value.lt(&Ld::ZERO)
            && Ld::ZERO.lt(&step.value)
            && !limit.lt(&step.value)
        {
            let whole = Spec {
                precision: Some(0),
                ..Spec::default()
            };
            let s1 = longdouble::format(first.value, 'f', &whole);
            let s2 = if last.value.is_finite() {
                longdouble::format(last.value, 'f', &whole)
            } else {
                "inf".to_string()
            };
            let step_n = longdouble::format(step.value, 'f', &whole)
                .parse()
                .unwrap_or(1);
            if !s1.starts_with('-')
                && !s2.starts_with('-')
                && seq_fast(ctx, &s1, &s2, step_n, sep.as_bytes()[0]).await?
            {
                return Ok(0);
            }
        }
        let layout = layout.unwrap_or_else(|| default_layout(&first, &step, &last, equal_width));
        print_numbers(ctx, &layout, first.value, step.value, last.value, &sep).await?;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run_in};

    async fn seq(args: &[&str]) -> String {
        let mut argv = vec!["seq"];
        argv.extend_from_slice(args);
        let c = run_in(&argv, b"").await;
        assert_eq!((c.err().as_str(), c.status), ("", 0), "{args:?}");
        c.out()
    }

    /// Outputs recorded from GNU seq 9.1.
    #[tokio::test]
    async fn sequences() {
        assert_eq!(seq(&["3"]).await, "1\n2\n3\n");
        assert_eq!(seq(&["2", "4"]).await, "2\n3\n4\n");
        assert_eq!(seq(&["1", "2", "7"]).await, "1\n3\n5\n7\n");
        assert_eq!(seq(&["5", "1"]).await, "");
        assert_eq!(seq(&["0", "0.1", "0.3"]).await, "0.0\n0.1\n0.2\n0.3\n");
        assert_eq!(seq(&["-w", "8", "11"]).await, "08\n09\n10\n11\n");
        assert_eq!(seq(&["-s,", "1", "3"]).await, "1,2,3\n");
        assert_eq!(seq(&["-s", "", "1", "3"]).await, "123\n");
        assert_eq!(seq(&["-f", "%03g", "1", "3"]).await, "001\n002\n003\n");
        assert_eq!(seq(&["1.5", "3"]).await, "1.5\n2.5\n");
        assert_eq!(seq(&["-w", "1.5", "0.25", "2"]).await, "1.50\n1.75\n2.00\n");
        assert_eq!(seq(&["1e2", "1e2"]).await, "100\n");
        assert_eq!(seq(&["-w", "-1", "1"]).await, "-1\n00\n01\n");
        assert_eq!(
            seq(&["0.000001", "0.000001", "0.000003"]).await,
            "0.000001\n0.000002\n0.000003\n"
        );
        assert_eq!(
            seq(&["0", "0.000001", "0.000003"]).await,
            "0.000000\n0.000001\n0.000002\n0.000003\n"
        );
        assert_eq!(seq(&["--", "-1"]).await, "");
        assert_eq!(seq(&["-1", "-3"]).await, "");
        assert_eq!(seq(&["10", "-3", "1"]).await, "10\n7\n4\n1\n");
        assert_eq!(seq(&["-s", "ab", "1", "3"]).await, "1ab2ab3\n");
        assert_eq!(seq(&["-s", "-1", "3"]).await, "1-12-13\n");
        assert_eq!(seq(&[".5", "1.5"]).await, "0.5\n1.5\n");
        assert_eq!(seq(&["-w", ".5", "1.5"]).await, "0.5\n1.5\n");
        assert_eq!(seq(&["-w", "1", "0.5", "2.0"]).await, "1.0\n1.5\n2.0\n");
        assert_eq!(seq(&["1", "1.0", "3"]).await, "1.0\n2.0\n3.0\n");
        assert_eq!(seq(&["2e0", "4"]).await, "2\n3\n4\n");
        assert_eq!(
            seq(&["18446744073709551616", "18446744073709551618"]).await,
            "18446744073709551616\n18446744073709551617\n18446744073709551618\n"
        );
        assert_eq!(
            seq(&["-f", "x%%%5.2f%%y", "1", "2"]).await,
            "x% 1.00%y\nx% 2.00%y\n"
        );
        assert_eq!(
            seq(&["-w", "0.1", "0.1", "1"])
                .await
                .lines()
                .rev()
                .take(2)
                .collect::<Vec<_>>(),
            ["1.0", "0.9"]
        );
        assert_eq!(seq(&["-f", "%-5g|", "1", "2"]).await, "1    |\n2    |\n");
        assert_eq!(seq(&["1", "0.1", "1.3"]).await, "1.0\n1.1\n1.2\n1.3\n");
        assert_eq!(seq(&["-w", "99", "100"]).await, "099\n100\n");
        assert_eq!(
            seq(&["-w", "1e1", "1e2"])
                .await
                .lines()
                .take(2)
                .collect::<Vec<_>>(),
            ["010", "011"]
        );
        assert_eq!(seq(&["-w", "0.5e1", "6"]).await, "05\n06\n");
        assert_eq!(seq(&["-0", "2"]).await, "-0\n1\n2\n");
        assert_eq!(seq(&["+1", "2"]).await, "1\n2\n");
        assert_eq!(seq(&[" 1", "2"]).await, "1\n2\n");
        assert_eq!(seq(&["-w", " 1", "10"]).await.lines().next(), Some("01"));
        assert_eq!(seq(&["5", "-1.5", "1"]).await, "5.0\n3.5\n2.0\n");
        assert_eq!(seq(&["-f", "%a", "1", "2"]).await, "0x8p-3\n0x8p-2\n");
        assert_eq!(
            seq(&["-f", "%e", "1", "2"]).await,
            "1.000000e+00\n2.000000e+00\n"
        );
        assert_eq!(
            seq(&["-w", "5", "-1", "-5"])
                .await
                .lines()
                .take(3)
                .collect::<Vec<_>>(),
            ["05", "04", "03"]
        );
        assert_eq!(seq(&["0x10", "0x12"]).await, "16\n17\n18\n");
        assert_eq!(seq(&["1", "0x2", "5"]).await, "1\n3\n5\n");
        assert_eq!(seq(&["-w", "0x10", "0x12"]).await, "16\n17\n18\n");
    }

    #[tokio::test]
    async fn errors() {
        let hint = "Try 'seq --help' for more information.\n";
        let q = |s: &str| format!("\u{2018}{s}\u{2019}");
        let usage: &[(&[&str], String)] = &[
            (
                &["1", "0", "2"],
                format!("invalid Zero increment value: {}", q("0")),
            ),
            (
                &["x"],
                format!("invalid floating point argument: {}", q("x")),
            ),
            (
                &["nan"],
                format!("invalid {} argument: {}", q("not-a-number"), q("nan")),
            ),
            (&[], "missing operand".into()),
            (&["1", "2", "3", "4"], format!("extra operand {}", q("4"))),
            (
                &["-w", "-f", "%g", "1"],
                "format string may not be specified when printing equal width strings".into(),
            ),
            (
                &["1e5000"],
                format!("invalid floating point argument: {}", q("1e5000")),
            ),
        ];
        for (args, msg) in usage {
            let mut argv = vec!["seq"];
            argv.extend_from_slice(args);
            check(
                &run_in(&argv, b"").await,
                "",
                &format!("seq: {msg}\n{hint}"),
                1,
            );
        }
        let plain: &[(&[&str], String)] = &[
            (
                &["-f", "%d", "1"],
                format!("format {} has unknown %d directive", q("%d")),
            ),
            (
                &["-f", "a", "1"],
                format!("format {} has no % directive", q("a")),
            ),
            (
                &["-f", "%g %g", "1"],
                format!("format {} has too many % directives", q("%g %g")),
            ),
            (&["-f", "%", "1"], format!("format {} ends in %", q("%"))),
        ];
        for (args, msg) in plain {
            let mut argv = vec!["seq"];
            argv.extend_from_slice(args);
            check(&run_in(&argv, b"").await, "", &format!("seq: {msg}\n"), 1);
        }
    }
}
