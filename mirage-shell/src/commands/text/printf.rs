//! `printf`: bash's builtin printf. The format is reused while arguments remain, missing
//! arguments read as empty or zero, numbers accept C forms (`0x1f`, `010`, `'a`), floats are
//! 80-bit long doubles as in bash, and `%b`/`%q` are bash's own conversions.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::escapes::{Dialect, expand_all, expand_one};
use super::longdouble::{self, Ld, Spec, pad, strtold};
use super::printf_quote::shell_quote;

pub struct Printf;

const USAGE: &str = "printf: usage: printf [-v var] format [arguments]\n";

/// printf is a bash builtin: its diagnostics carry the shell's prefix (`bash: line 3: `, from
/// the context), except the usage line, as in bash.
fn shell_prefix(ctx: &CommandContext) -> &str {
    ctx.shell_prefix.as_deref().unwrap_or("bash: ")
}

/// How the run ended early, if it did.
enum Stop {
    /// `\c` in `%b`: stop silently.
    Quiet,
    /// A format error (already reported): status 1.
    Failed,
    /// A conversion Mirage does not implement.
    Unsupported(String),
}

/// The state of one printf run.
struct Printer {
    args: Vec<String>,
    next: usize,
    out: Vec<u8>,
    /// Diagnostics, each with how much of `out` a line-buffered stdout had written before it.
    messages: Vec<(usize, String)>,
    conversion_error: bool,
}

/// `strtoimax`/`strtoumax` with base 0: (negative, magnitude, overflowed, bytes consumed).
fn scan_c_integer(s: &[u8]) -> (bool, u128, bool, usize) {
    let mut i = s
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let (radix, start) = if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        (16, i + 2)
    } else if s.get(i) == Some(&b'0') {
        (8, i)
    } else {
        (10, i)
    };
    let mut value: u128 = 0;
    let mut overflow = false;
    let mut j = start;
    while let Some(d) = s.get(j).and_then(|b| (*b as char).to_digit(radix)) {
        value = value * u128::from(radix) + u128::from(d);
        if value > u128::from(u64::MAX) {
            overflow = true;
            value = u128::from(u64::MAX) + 1;
        }
        j += 1;
    }
    if j == start {
        return (false, 0, false, 0);
    }
    (neg, value, overflow, j)
}

/// The first character's code for `'a` / `"a` arguments (bash's `asciicode`).
fn char_code(word: &str) -> i128 {
    let rest = &word.as_bytes()[1..];
    match rest.first() {
        None => 0,
        Some(&b) if b < 0x80 => i128::from(b),
        Some(&b) => match std::str::from_utf8(rest).ok().or_else(|| {
            let len = match b {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => 0,
            };
            rest.get(..len).and_then(|c| std::str::from_utf8(c).ok())
        }) {
            Some(t) => t
                .chars()
                .next()
                .map_or(i128::from(b), |c| i128::from(c as u32)),
            None => i128::from(b),
        },
    }
}

fn invalid_number_message(word: &str) -> String {
    let b = word.as_bytes();
    let kind = match (b.first(), b.get(1)) {
        (Some(b'0'), Some(d)) if d.is_ascii_digit() => "invalid octal number",
        (Some(b'0'), Some(b'x')) => "invalid hex number",
        _ => "invalid number",
    };
    format!("printf: {word}: {kind}")
}

impl Printer {
    /// Records a diagnostic. bash's stdout is line buffered, so everything up to the last
    /// newline written so far comes out before the message.
    fn say(&mut self, message: String) {
        let flushed = memchr::memrchr(b'\n', &self.out).map_or(0, |i| i + 1);
        self.messages.push((flushed, message));
    }

    fn take(&mut self) -> Option<String> {
        let a = self.args.get(self.next).cloned();
        if a.is_some() {
            self.next += 1;
        }
        a
    }

    fn range_warning(&mut self, word: &str) {
        self.say(format!(
            "printf: warning: {word}: Numerical result out of range"
        ));
    }

    /// A signed argument (`%d`, `*` widths); missing is 0.
    fn get_int(&mut self) -> i64 {
        let Some(word) = self.take() else { return 0 };
        if word.starts_with(['\'', '"']) {
            return char_code(&word) as i64;
        }
        let (neg, mag, overflow, used) = scan_c_integer(word.as_bytes());
        let limit = if neg { 1u128 << 63 } else { (1u128 << 63) - 1 };
        let value = if neg {
            -(mag.min(limit) as i128)
        } else {
            mag.min(limit) as i128
        } as i64;
        if used < word.len() {
            self.say(invalid_number_message(&word));
            self.conversion_error = true;
        } else if overflow || mag > limit {
            self.range_warning(&word);
        }
        value
    }

    /// An unsigned argument (`%u %o %x %X`): negative values wrap as `strtoumax` does.
    fn get_uint(&mut self) -> u64 {
        let Some(word) = self.take() else { return 0 };
        if word.starts_with(['\'', '"']) {
            return char_code(&word) as u64;
        }
        let (neg, mag, overflow, used) = scan_c_integer(word.as_bytes());
        let value = if overflow {
            u64::MAX
        } else if neg {
            (mag as u64).wrapping_neg()
        } else {
            mag as u64
        };
        if used < word.len() {
            self.say(invalid_number_message(&word));
            self.conversion_error = true;
        } else if overflow {
            self.range_warning(&word);
        }
        value
    }

    fn get_float(&mut self) -> Ld {
        let Some(word) = self.take() else {
            return Ld::ZERO;
        };
        if word.starts_with(['\'', '"']) {
            return Ld::from_i128(char_code(&word));
        }
        let parsed = strtold(word.as_bytes());
        let (value, used, range) =
            parsed.map_or((Ld::ZERO, 0, false), |p| (p.value, p.len, p.range_error));
        if used < word.len() {
            self.say(invalid_number_message(&word));
            self.conversion_error = true;
        } else if range {
            self.range_warning(&word);
        }
        value
    }

    /// A `*` width or precision (an int; out-of-range values are clamped with a warning).
    fn get_star(&mut self) -> i64 {
        let v = self.get_int();
        if v > i64::from(i32::MAX) || v < i64::from(i32::MIN) {
            let name = self.args.get(self.next).cloned().unwrap_or_default();
            self.range_warning(&name);
            return v.clamp(i64::from(i32::MIN), i64::from(i32::MAX));
        }
        v
    }

    /// Pads a byte string (`%s %b %q %c`): precision truncates, width pads with spaces.
    fn put_text(&mut self, text: &[u8], spec: &Spec) {
        let text = match spec.precision {
            Some(p) if p < text.len() => &text[..p],
            _ => text,
        };
        let fill = spec.width.saturating_sub(text.len());
        if !spec.left {
            self.out.extend(std::iter::repeat_n(b' ', fill));
        }
        self.out.extend_from_slice(text);
        if spec.left {
            self.out.extend(std::iter::repeat_n(b' ', fill));
        }
    }

    fn put_int(&mut self, conv: u8, spec: &Spec) {
        let (neg, mag): (bool, u64) = if matches!(conv, b'd' | b'i') {
            let v = self.get_int();
            (v < 0, v.unsigned_abs())
        } else {
            (false, self.get_uint())
        };
        let mut digits = match conv {
            b'o' => format!("{mag:o}"),
            b'x' => format!("{mag:x}"),
            b'X' => format!("{mag:X}"),
            _ => mag.to_string(),
        };
        if spec.precision == Some(0) && mag == 0 {
            digits.clear();
        }
        if let Some(p) = spec.precision
            && digits.len() < p
        {
            digits = format!("{}{digits}", "0".repeat(p - digits.len()));
        }
        if spec.alt {
            match conv {
                b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
                b'x' if mag != 0 => digits.insert_str(0, "0x"),
                b'X' if mag != 0 => digits.insert_str(0, "0X"),
                _ => {}
            }
        }
        let sign = if !matches!(conv, b'd' | b'i') {
            ""
        } else if neg {
            "-"
        } else if spec.plus {
            "+"
        } else if spec.space {
            " "
        } else {
            ""
        };
        let s = pad(sign, &digits, spec, spec.precision.is_none());
        self.out.extend_from_slice(s.as_bytes());
    }

    /// Handles one conversion starting after its `%` at `fmt[i]`; returns the index after it.
    fn conversion(&mut self, fmt: &[u8], start: usize) -> Result<usize, Stop> {
        let mut i = start + 1;
        let mut spec = Spec::default();
        while let Some(&c) = fmt.get(i) {
            match c {
                b'#' => spec.alt = true,
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'0' => spec.zero = true,
                b'\'' => {}
                _ => break,
            }
            i += 1;
        }
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let w = self.get_star();
            if w < 0 {
                spec.left = true;
            }
            spec.width = w.unsigned_abs() as usize;
        } else {
            let n = fmt[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            spec.width = std::str::from_utf8(&fmt[i..i + n])
                .ok()
                .and_then(|d| d.parse().ok())
                .unwrap_or(0);
            i += n;
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let p = self.get_star();
                spec.precision = (p >= 0).then_some(p as usize);
            } else {
                let negative = fmt.get(i) == Some(&b'-');
                if negative {
                    i += 1;
                }
                let n = fmt[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let p = std::str::from_utf8(&fmt[i..i + n])
                    .ok()
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(0);
                spec.precision = (!negative).then_some(p);
                i += n;
            }
        }
        while fmt.get(i).is_some_and(|c| b"hjlLtz".contains(c)) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            let text = String::from_utf8_lossy(&fmt[start..]);
            self.say(format!("printf: `{text}': missing format character"));
            return Err(Stop::Failed);
        };
        match conv {
            b'c' => {
                let arg = self.take().unwrap_or_default();
                let byte = [arg.as_bytes().first().copied().unwrap_or(0)];
                self.put_text(
                    &byte,
                    &Spec {
                        precision: None,
                        ..spec
                    },
                );
            }
            b's' => {
                let arg = self.take().unwrap_or_default();
                self.put_text(arg.as_bytes(), &spec);
            }
            b'b' => {
                let arg = self.take().unwrap_or_default();
                let mut expanded = Vec::new();
                let (stop, warnings) = expand_all(arg.as_bytes(), Dialect::PercentB, &mut expanded);
                for w in warnings {
                    self.say(format!("printf: {w}"));
                }
                self.put_text(&expanded, &spec);
                if stop {
                    return Err(Stop::Quiet);
                }
            }
            b'q' => {
                let arg = self.take().unwrap_or_default();
                self.put_text(&shell_quote(arg.as_bytes()), &spec);
            }
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => self.put_int(conv, &spec),
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                let v = self.get_float();
                let s = longdouble::format(v, conv as char, &spec);
                self.out.extend_from_slice(s.as_bytes());
            }
            b'n' => return Err(Stop::Unsupported("%n".into())),
            b'(' => {
                // `%(FORMAT)T`: the argument (seconds since the epoch; none, -1 or -2 mean
                // now) formatted by strftime, in UTC like Mirage's date.
                let Some(close) = fmt[i + 1..].iter().position(|&c| c == b')') else {
                    return Err(Stop::Unsupported("%(...)T".into()));
                };
                let end = i + 1 + close;
                if fmt.get(end + 1) != Some(&b'T') {
                    return Err(Stop::Unsupported("%(...)T".into()));
                }
                let tfmt = String::from_utf8_lossy(&fmt[i + 1..end]).into_owned();
                let secs = match self.args.get(self.next) {
                    None => -1,
                    Some(a) if a.is_empty() => {
                        self.next += 1;
                        -1
                    }
                    Some(_) => self.get_int(),
                };
                let stamp = if secs == -1 || secs == -2 {
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap_or_default();
                    now.as_secs() as i64
                } else {
                    secs
                };
                use crate::commands::files::time::{Stamp, date_format};
                let tm = date_format::tm_of(Stamp {
                    secs: stamp,
                    nanos: 0,
                });
                let text = date_format::strftime(&tfmt, &tm);
                self.put_text(
                    text.as_bytes(),
                    &Spec {
                        precision: spec.precision,
                        ..spec
                    },
                );
                return Ok(end + 2);
            }
            other => {
                let shown = String::from_utf8_lossy(&[other]).into_owned();
                self.say(format!("printf: `{shown}': invalid format character"));
                return Err(Stop::Failed);
            }
        }
        Ok(i + 1)
    }

    /// One pass over the format.
    fn pass(&mut self, fmt: &[u8]) -> Result<(), Stop> {
        let mut i = 0;
        while i < fmt.len() {
            match fmt[i] {
                b'\\' => {
                    let e = expand_one(&fmt[i + 1..], Dialect::Format, &mut self.out);
                    if let Some(w) = e.warning {
                        self.say(format!("printf: {w}"));
                    }
                    i += 1 + e.consumed;
                }
                b'%' if fmt.get(i + 1) == Some(&b'%') => {
                    self.out.push(b'%');
                    i += 2;
                }
                b'%' => i = self.conversion(fmt, i)?,
                b => {
                    self.out.push(b);
                    i += 1;
                }
            }
        }
        Ok(())
    }

    /// Runs the format, reusing it while a pass consumed arguments and some remain.
    fn run(&mut self, fmt: &[u8]) -> Result<(), Stop> {
        loop {
            let before = self.next;
            self.pass(fmt)?;
            if self.next >= self.args.len() || self.next == before {
                return Ok(());
            }
        }
    }
}

#[async_trait]
impl Command for Printf {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut args = args.as_slice();
        if let Some(first) = args.first() {
            if first == "--" {
                args = &args[1..];
            } else if first == "--help" {
                return super::support::unsupported(ctx, "--help").await;
            } else if first.len() > 1 && first.starts_with('-') {
                let opt = &first[..first.char_indices().nth(2).map_or(first.len(), |(i, _)| i)];
                let msg = if opt == "-v" {
                    if args.len() < 2 {
                        format!(
                            "{}printf: -v: option requires an argument\n",
                            shell_prefix(ctx)
                        )
                    } else {
                        return super::support::unsupported(ctx, "-v").await;
                    }
                } else {
                    format!("{}printf: {opt}: invalid option\n", shell_prefix(ctx))
                };
                ctx.stderr.write_all(msg.as_bytes()).await?;
                ctx.stderr.write_all(USAGE.as_bytes()).await?;
                return Ok(2);
            }
        }
        let Some((format, rest)) = args.split_first() else {
            ctx.stderr.write_all(USAGE.as_bytes()).await?;
            return Ok(2);
        };
        let mut p = Printer {
            args: rest.to_vec(),
            next: 0,
            out: Vec::new(),
            messages: Vec::new(),
            conversion_error: false,
        };
        let result = p.run(format.as_bytes());
        let mut written = 0;
        for (flushed, m) in &p.messages {
            if *flushed > written {
                ctx.stdout.write_all(&p.out[written..*flushed]).await?;
                ctx.stdout.flush().await?;
                written = *flushed;
            }
            let line = format!("{}{m}\n", shell_prefix(ctx));
            ctx.stderr.write_all(line.as_bytes()).await?;
        }
        ctx.stdout.write_all(&p.out[written..]).await?;
        match result {
            Ok(()) | Err(Stop::Quiet) => Ok(i32::from(p.conversion_error)),
            Err(Stop::Failed) => Ok(1),
            Err(Stop::Unsupported(what)) => {
                let line = format!("mirage: printf: unsupported format: {what}\n");
                ctx.stderr.write_all(line.as_bytes()).await?;
                Ok(super::support::UNSUPPORTED_STATUS)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run_in};

    async fn printf(args: &[&str]) -> (Vec<u8>, String, i32) {
        let mut argv = vec!["printf"];
        argv.extend_from_slice(args);
        let c = run_in(&argv, b"").await;
        (c.stdout.clone(), c.err(), c.status)
    }

    async fn ok(args: &[&str]) -> String {
        let (out, err, status) = printf(args).await;
        assert_eq!((err.as_str(), status), ("", 0), "{args:?}");
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Outputs recorded from bash 5.2's builtin printf.
    #[tokio::test]
    async fn conversions() {
        assert_eq!(
            ok(&[
                "%d|%i|%u|%x|%X|%o|%c|%f|%e|%g\n",
                "42",
                "-7",
                "-1",
                "255",
                "255",
                "8",
                "hello",
                "3.14159",
                "31415.9",
                "0.0001"
            ])
            .await,
            "42|-7|18446744073709551615|ff|FF|10|h|3.141590|3.141590e+04|0.0001\n"
        );
        assert_eq!(
            ok(&[
                "%5s|%-5s|%.2s|%05d|%+d|% d|%#x|%#o|%*d|%-*d|%.*f\n",
                "ab",
                "ab",
                "abc",
                "42",
                "42",
                "42",
                "255",
                "8",
                "6",
                "42",
                "4",
                "7",
                "2",
                "3.14159"
            ])
            .await,
            "   ab|ab   |ab|00042|+42| 42|0xff|010|    42|7   |3.14\n"
        );
        assert_eq!(
            ok(&["%05s|%c|%-05d|%+x|% u|%+s|%#s|%05c|%.0s|%5.0f|%-+7.2f|%#.0e|%+.3g|%#5x|%-#8o|%08.3d\n", "ab", "", "42", "255", "7", "str", "str", "q", "hide", "2.5", "3.14159", "5", "0.000123456", "0", "8", "42"]).await,
            "   ab|\0|42   |ff|7|str|str|    q||    2|+3.14  |5.e+00|+0.000123|    0|010     |     042\n"
        );
        assert_eq!(
            ok(&[
                "%*d|%-*d|%.*s|%*s|\n",
                "-5",
                "42",
                "3",
                "7",
                "2",
                "abcdef",
                "",
                "x"
            ])
            .await,
            "42   |7  |ab|x|\n"
        );
        assert_eq!(ok(&["%.*d|\n", "-3", "7"]).await, "7|\n");
        assert_eq!(ok(&["%i\n", "-0x10", " -010", "+7"]).await, "-16\n-8\n7\n");
        assert_eq!(
            ok(&["%x %o %X %u\n", "-1", "-1", "255", "-5"]).await,
            "ffffffffffffffff 1777777777777777777777 FF 18446744073709551611\n"
        );
        assert_eq!(
            ok(&["%d|", "0x1f", "010", "'a", "\"b", "'", "'\u{e9}", "", "+5"]).await,
            "31|8|97|98|0|233|0|5|"
        );
        assert_eq!(
            ok(&["%.3s|%5.1s|%-4c|\n", "abcdef", "xyz", "q"]).await,
            "abc|    x|q   |\n"
        );
        assert_eq!(
            ok(&["%a %a %a %A\n", "1", "0.1", "-3", "255"]).await,
            "0x8p-3 0xc.ccccccccccccccdp-7 -0xcp-2 0XF.FP+4\n"
        );
        assert_eq!(
            ok(&[
                "%f %f %e %g %5.1f|%-8f|%08.2f|%+f\n",
                "inf",
                "-nan",
                "nan",
                "-inf",
                "inf",
                "inf",
                "inf",
                "nan"
            ])
            .await,
            "inf -nan nan -inf   inf|inf     |     inf|+nan\n"
        );
        assert_eq!(
            ok(&["%.20f %.30g\n", "0.1", "0.1"]).await,
            "0.10000000000000000000 0.100000000000000000001355252716\n"
        );
    }

    #[tokio::test]
    async fn reuse_and_missing_arguments() {
        assert_eq!(ok(&["%s %s\n", "a", "b", "c"]).await, "a b\nc \n");
        assert_eq!(ok(&["%d %d\n", "1", "2", "3"]).await, "1 2\n3 0\n");
        assert_eq!(ok(&["x\n", "a", "b"]).await, "x\n");
        assert_eq!(ok(&["%s-%s\n"]).await, "-\n");
        assert_eq!(ok(&["%s"]).await, "");
        assert_eq!(ok(&["--", "%s\n", "a"]).await, "a\n");
        assert_eq!(ok(&["-"]).await, "-");
        assert_eq!(ok(&["%s\n", "-x"]).await, "-x\n");
    }

    #[tokio::test]
    async fn escapes_and_b_q() {
        let (out, _, _) = printf(&["\\101\\0101\\1011\\08\\\"\\?\\'\\q\\x41\\u00e9\\c|\\n"]).await;
        assert_eq!(out, "A\x081A1\08\"?'\\qA\u{e9}\\c|\n".as_bytes());
        assert_eq!(
            ok(&["%b|", "\\101", "\\0101", "\\01011", "\\q", "\\x41"]).await,
            "A|A|A1|\\q|A|"
        );
        assert_eq!(ok(&["%b\n", "a\\cb", "c"]).await, "a");
        assert_eq!(ok(&["x\\cy %s\n", "a"]).await, "x\\cy a\n");
        assert_eq!(
            ok(&["%q\n", "a b", "it's", "$x", ""]).await,
            "a\\ b\nit\\'s\n\\$x\n''\n"
        );
        assert_eq!(
            ok(&["%10q|%-6q|%.2q|\n", "a b", "x", "abc"]).await,
            "      a\\ b|x     |ab|\n"
        );
        let (out, err, status) = printf(&["\\x"]).await;
        assert_eq!(
            (out.as_slice(), err.as_str(), status),
            (&b"\\x"[..], "bash: printf: missing hex digit for \\x\n", 0)
        );
    }

    #[tokio::test]
    async fn number_errors() {
        let cases: &[(&str, &str, &str)] = &[
            ("12abc", "12", "bash: printf: 12abc: invalid number\n"),
            ("-", "0", "bash: printf: -: invalid number\n"),
            ("1.5", "1", "bash: printf: 1.5: invalid number\n"),
            ("x", "0", "bash: printf: x: invalid number\n"),
            ("  -3  ", "-3", "bash: printf:   -3  : invalid number\n"),
            ("0x", "0", "bash: printf: 0x: invalid hex number\n"),
            ("09", "0", "bash: printf: 09: invalid octal number\n"),
            ("- 3", "0", "bash: printf: - 3: invalid number\n"),
        ];
        for (arg, out, err) in cases {
            let (o, e, s) = printf(&["%d", arg]).await;
            assert_eq!(
                (String::from_utf8_lossy(&o).as_ref(), e.as_str(), s),
                (*out, *err, 1),
                "{arg}"
            );
        }
        let (o, e, s) = printf(&["%d", "99999999999999999999"]).await;
        assert_eq!(
            (o.as_slice(), e.as_str(), s),
            (
                &b"9223372036854775807"[..],
                "bash: printf: warning: 99999999999999999999: Numerical result out of range\n",
                0
            )
        );
        let (o, e, s) = printf(&["%d", "-99999999999999999999"]).await;
        assert_eq!(
            (o.as_slice(), e.as_str(), s),
            (
                &b"-9223372036854775808"[..],
                "bash: printf: warning: -99999999999999999999: Numerical result out of range\n",
                0
            )
        );
        let (o, e, s) = printf(&["%f\n", "1e5000"]).await;
        assert_eq!(
            (o.as_slice(), e.as_str(), s),
            (
                &b"inf\n"[..],
                "bash: printf: warning: 1e5000: Numerical result out of range\n",
                0
            )
        );
        let (o, e, s) = printf(&["%f\n", "abc"]).await;
        assert_eq!(
            (o.as_slice(), e.as_str(), s),
            (&b"0.000000\n"[..], "bash: printf: abc: invalid number\n", 1)
        );
    }

    #[tokio::test]
    async fn format_errors() {
        check(
            &run_in(&["printf", "%z"], b"").await,
            "",
            "bash: printf: `%z': missing format character\n",
            1,
        );
        check(
            &run_in(&["printf", "a%5"], b"").await,
            "a",
            "bash: printf: `%5': missing format character\n",
            1,
        );
        check(
            &run_in(&["printf", "ab%yc\n"], b"").await,
            "ab",
            "bash: printf: `y': invalid format character\n",
            1,
        );
        check(
            &run_in(&["printf", "%5%|\n"], b"").await,
            "",
            "bash: printf: `%': invalid format character\n",
            1,
        );
        let usage = "printf: usage: printf [-v var] format [arguments]\n";
        check(&run_in(&["printf"], b"").await, "", usage, 2);
        check(&run_in(&["printf", "--"], b"").await, "", usage, 2);
        check(
            &run_in(&["printf", "-x"], b"").await,
            "",
            &format!("bash: printf: -x: invalid option\n{usage}"),
            2,
        );
        check(
            &run_in(&["printf", "-5"], b"").await,
            "",
            &format!("bash: printf: -5: invalid option\n{usage}"),
            2,
        );
        check(
            &run_in(&["printf", "-v"], b"").await,
            "",
            &format!("bash: printf: -v: option requires an argument\n{usage}"),
            2,
        );
        check(
            &run_in(&["printf", "-v", "x", "a"], b"").await,
            "",
            "mirage: printf: unsupported option: -v\n",
            2,
        );
    }
}
