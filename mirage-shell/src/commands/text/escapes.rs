//! Backslash escapes as bash's `echo -e`, `printf` formats and `printf %b` expand them. The three
//! differ in small ways (which octal forms count, whether `\c` stops output, whether `\"` loses
//! its backslash), so one expander takes the dialect as a parameter.

/// Which bash escape dialect to expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `echo -e`: octal only as `\0NNN`; `\c` stops all output.
    Echo,
    /// `printf %b`: octal as `\0NNN` or `\NNN`; `\c` stops all output.
    PercentB,
    /// A `printf` format string: octal as `\NNN` (the leading 0 counts as a digit); `\"`, `\'`
    /// and `\?` lose their backslash; `\c` is not special.
    Format,
}

/// What expanding one escape produced.
pub struct Expanded {
    /// Bytes of input consumed after the backslash.
    pub consumed: usize,
    /// `\c` was seen: the caller stops producing output.
    pub stop: bool,
    /// A diagnostic bash prints (e.g. `missing hex digit for \x`), without the name prefix.
    pub warning: Option<&'static str>,
}

/// Expands the escape whose text starts right after a backslash (`rest`), appending its bytes to
/// `out`. An unknown escape is kept with its backslash, as bash does.
pub fn expand_one(rest: &[u8], dialect: Dialect, out: &mut Vec<u8>) -> Expanded {
    let plain = |consumed| Expanded {
        consumed,
        stop: false,
        warning: None,
    };
    let Some(&c) = rest.first() else {
        out.push(b'\\');
        return plain(0);
    };
    let simple = match c {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'e' | b'E' => Some(0x1b),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' => Some(b'\\'),
        b'"' | b'\'' | b'?' if dialect == Dialect::Format => Some(c),
        _ => None,
    };
    if let Some(byte) = simple {
        out.push(byte);
        return plain(1);
    }
    match c {
        b'c' if dialect != Dialect::Format => Expanded {
            consumed: 1,
            stop: true,
            warning: None,
        },
        b'0'..=b'7' => expand_octal(rest, dialect, out),
        b'x' => expand_hex(rest, 2, dialect, out, "missing hex digit for \\x"),
        b'u' => expand_hex(rest, 4, dialect, out, "missing unicode digit for \\u"),
        b'U' => expand_hex(rest, 8, dialect, out, "missing unicode digit for \\U"),
        _ => {
            out.push(b'\\');
            out.push(c);
            plain(1)
        }
    }
}

fn expand_octal(rest: &[u8], dialect: Dialect, out: &mut Vec<u8>) -> Expanded {
    // Where the octal digits start and how many may follow.
    let (start, max) = match (dialect, rest[0]) {
        (Dialect::Format, _) => (0, 3),
        (_, b'0') => (1, 3),
        (Dialect::PercentB, _) => (0, 3),
        (Dialect::Echo, _) => {
            out.push(b'\\');
            out.push(rest[0]);
            return Expanded {
                consumed: 1,
                stop: false,
                warning: None,
            };
        }
    };
    let digits = rest[start..]
        .iter()
        .take(max)
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count();
    let value = rest[start..start + digits]
        .iter()
        .fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
    out.push((value & 0xff) as u8);
    Expanded {
        consumed: start + digits,
        stop: false,
        warning: None,
    }
}

fn expand_hex(
    rest: &[u8],
    max: usize,
    dialect: Dialect,
    out: &mut Vec<u8>,
    missing: &'static str,
) -> Expanded {
    let digits = rest[1..]
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if digits == 0 {
        out.push(b'\\');
        out.push(rest[0]);
        let warning = if dialect == Dialect::Echo {
            None
        } else {
            Some(missing)
        };
        return Expanded {
            consumed: 1,
            stop: false,
            warning,
        };
    }
    let value = rest[1..1 + digits]
        .iter()
        .fold(0u32, |v, d| v * 16 + hex_value(*d));
    if rest[0] == b'x' {
        out.push(value as u8);
    } else {
        push_utf8_extended(value, out);
    }
    Expanded {
        consumed: 1 + digits,
        stop: false,
        warning: None,
    }
}

fn hex_value(d: u8) -> u32 {
    match d {
        b'0'..=b'9' => u32::from(d - b'0'),
        b'a'..=b'f' => u32::from(d - b'a' + 10),
        _ => u32::from(d - b'A' + 10),
    }
}

/// Encodes a code point the way bash's `u32toutf8` does: the original 1-6 byte UTF-8 scheme,
/// so surrogates and values past U+10FFFF still produce bytes; above 0x7FFFFFFF nothing.
pub fn push_utf8_extended(c: u32, out: &mut Vec<u8>) {
    let (len, first_mark) = match c {
        0..=0x7f => {
            out.push(c as u8);
            return;
        }
        0x80..=0x7ff => (2, 0xc0u32),
        0x800..=0xffff => (3, 0xe0),
        0x1_0000..=0x1f_ffff => (4, 0xf0),
        0x20_0000..=0x3ff_ffff => (5, 0xf8),
        0x400_0000..=0x7fff_ffff => (6, 0xfc),
        _ => return,
    };
    let shift = 6 * (len - 1);
    out.push((first_mark | (c >> shift)) as u8);
    for i in (0..len - 1).rev() {
        out.push((0x80 | ((c >> (6 * i)) & 0x3f)) as u8);
    }
}

/// Expands every escape in `s`; returns whether `\c` stopped it, and the first warning.
pub fn expand_all(s: &[u8], dialect: Dialect, out: &mut Vec<u8>) -> (bool, Vec<&'static str>) {
    let mut warnings = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match memchr::memchr(b'\\', &s[i..]) {
            None => {
                out.extend_from_slice(&s[i..]);
                break;
            }
            Some(off) => {
                out.extend_from_slice(&s[i..i + off]);
                let e = expand_one(&s[i + off + 1..], dialect, out);
                if let Some(w) = e.warning {
                    warnings.push(w);
                }
                if e.stop {
                    return (true, warnings);
                }
                i += off + 1 + e.consumed;
            }
        }
    }
    (false, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(s: &str, d: Dialect) -> Vec<u8> {
        let mut out = Vec::new();
        expand_all(s.as_bytes(), d, &mut out);
        out
    }

    /// Expected bytes recorded from bash 5.2 (`echo -ne`, `printf %b`, `printf FORMAT`).
    #[test]
    fn dialects_match_bash() {
        use Dialect::*;
        type Case<'a> = (&'a str, &'a [u8], &'a [u8], &'a [u8]);
        let cases: &[Case] = &[
            ("\\e", b"\x1b", b"\x1b", b"\x1b"),
            ("\\'", b"\\'", b"\\'", b"'"),
            ("\\\"", b"\\\"", b"\\\"", b"\""),
            ("\\?", b"\\?", b"\\?", b"?"),
            ("\\q", b"\\q", b"\\q", b"\\q"),
            ("\\0", b"\0", b"\0", b"\0"),
            ("\\0123", b"S", b"S", b"\n3"),
            ("\\01234", b"S4", b"S4", b"\n34"),
            ("\\1", b"\\1", b"\x01", b"\x01"),
            ("\\1234", b"\\1234", b"S4", b"S4"),
            ("\\8", b"\\8", b"\\8", b"\\8"),
            ("\\x414", b"A4", b"A4", b"A4"),
            ("\\xG", b"\\xG", b"\\xG", b"\\xG"),
            ("\\u004142", b"A42", b"A42", b"A42"),
            ("\\c", b"", b"", b"\\c"),
            ("a\\", b"a\\", b"a\\", b"a\\"),
            ("\\0777", b"\xff", b"\xff", b"?7"),
            ("\\ud800", b"\xed\xa0\x80", b"\xed\xa0\x80", b"\xed\xa0\x80"),
            (
                "\\U7fffffff",
                b"\xfd\xbf\xbf\xbf\xbf\xbf",
                b"\xfd\xbf\xbf\xbf\xbf\xbf",
                b"\xfd\xbf\xbf\xbf\xbf\xbf",
            ),
            ("\\U80000000", b"", b"", b""),
        ];
        for (input, echo, pb, fmt) in cases {
            assert_eq!(ex(input, Echo), *echo, "echo {input}");
            assert_eq!(ex(input, PercentB), *pb, "%b {input}");
            assert_eq!(ex(input, Format), *fmt, "format {input}");
        }
    }
}
