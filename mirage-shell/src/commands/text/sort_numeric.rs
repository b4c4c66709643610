//! The non-textual orderings of `sort`: `-n` (exact decimal comparison, no conversion),
//! `-h` (SI suffix first, then the number), `-g` (floating point, errors first, then NaN),
//! `-M` (month abbreviations) and `-V` (gnulib's `filevercmp`).

use std::cmp::Ordering;

/// `sort`'s blanks: space, tab and newline (newline is a blank under `-z`).
pub fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| is_blank(b)).count();
    &s[n..]
}

/// A decimal number as `-n` reads it: sign, integer digits without leading zeros, fraction
/// digits without trailing zeros. No thousands separator exists in C.UTF-8.
struct Decimal<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
}

impl<'a> Decimal<'a> {
    fn parse(s: &'a [u8]) -> Self {
        let (negative, rest) = match s.first() {
            Some(b'-') => (true, &s[1..]),
            _ => (false, s),
        };
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let int = &rest[..digits];
        let int = &int[int.iter().take_while(|&&b| b == b'0').count()..];
        let after = &rest[digits..];
        let frac = match after.first() {
            Some(b'.') => {
                let f = &after[1..];
                let n = f.iter().take_while(|b| b.is_ascii_digit()).count();
                let f = &f[..n];
                &f[..f.len() - f.iter().rev().take_while(|&&b| b == b'0').count()]
            }
            _ => &after[..0],
        };
        Decimal {
            negative,
            int,
            frac,
        }
    }

    fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    fn magnitude_cmp(&self, other: &Self) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(other.int))
            .then_with(|| self.frac.cmp(other.frac))
    }
}

/// `-n`: compares the leading numbers of `a` and `b` exactly; a missing number is zero.
pub fn numeric_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (x, y) = (
        Decimal::parse(skip_blanks(a)),
        Decimal::parse(skip_blanks(b)),
    );
    let sign = |d: &Decimal| {
        if d.is_zero() {
            0
        } else if d.negative {
            -1
        } else {
            1
        }
    };
    let (sx, sy) = (sign(&x), sign(&y));
    if sx != sy {
        return sx.cmp(&sy);
    }
    match sx {
        0 => Ordering::Equal,
        1 => x.magnitude_cmp(&y),
        _ => y.magnitude_cmp(&x),
    }
}

/// The order of magnitude of the unit after the number (`K`/`k` 1 ... `Y` 8), negative for
/// negative numbers and 0 for zero or no number.
fn unit_order(s: &[u8]) -> i32 {
    let (negative, rest) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let mut i = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut max_digit = rest[..i].iter().copied().max().unwrap_or(0);
    if rest.get(i) == Some(&b'.') {
        let n = rest[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        max_digit = max_digit.max(rest[i + 1..i + 1 + n].iter().copied().max().unwrap_or(0));
        i += 1 + n;
    }
    if max_digit <= b'0' {
        return 0;
    }
    let order = match rest.get(i) {
        Some(b'K' | b'k') => 1,
        Some(b'M') => 2,
        Some(b'G') => 3,
        Some(b'T') => 4,
        Some(b'P') => 5,
        Some(b'E') => 6,
        Some(b'Z') => 7,
        Some(b'Y') => 8,
        _ => 0,
    };
    if negative { -order } else { order }
}

/// `-h`: unit first, then the number.
pub fn human_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (skip_blanks(a), skip_blanks(b));
    unit_order(a)
        .cmp(&unit_order(b))
        .then_with(|| numeric_cmp(a, b))
}

/// `-M`: 1..=12 for a key starting (after blanks) with a month abbreviation, else 0.
pub fn month_of(s: &[u8]) -> u8 {
    const MONTHS: [&[u8; 3]; 12] = [
        b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
        b"DEC",
    ];
    let s = skip_blanks(s);
    if s.len() < 3 {
        return 0;
    }
    let head = [
        s[0].to_ascii_uppercase(),
        s[1].to_ascii_uppercase(),
        s[2].to_ascii_uppercase(),
    ];
    MONTHS
        .iter()
        .position(|m| **m == head)
        .map_or(0, |i| i as u8 + 1)
}

/// `-g`: the leading floating-point number as `strtold` reads it, or None when there is none.
pub fn parse_float_prefix(s: &[u8]) -> Option<f64> {
    let t = {
        let n = s
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
            .count();
        &s[n..]
    };
    let (negative, body) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower: Vec<u8> = body.iter().take(8).map(u8::to_ascii_lowercase).collect();
    let value = if lower.starts_with(b"inf") {
        f64::INFINITY
    } else if lower.starts_with(b"nan") {
        f64::NAN
    } else if lower.starts_with(b"0x")
        && body
            .get(2)
            .is_some_and(|b| b.is_ascii_hexdigit() || *b == b'.')
    {
        parse_hex_float(&body[2..])?
    } else {
        parse_dec_float(body)?
    };
    Some(if negative { -value } else { value })
}

fn parse_dec_float(s: &[u8]) -> Option<f64> {
    let int = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut end = int;
    let mut frac = 0;
    if s.get(end) == Some(&b'.') {
        frac = s[end + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        end += 1 + frac;
    }
    if int + frac == 0 {
        return None;
    }
    if matches!(s.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let digits = s[j.min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 {
            end = j + digits;
        }
    }
    std::str::from_utf8(&s[..end]).ok()?.parse::<f64>().ok()
}

fn parse_hex_float(s: &[u8]) -> Option<f64> {
    let mut value = 0f64;
    let mut i = 0;
    let mut any = false;
    while let Some(d) = s.get(i).and_then(|b| (*b as char).to_digit(16)) {
        value = value * 16.0 + f64::from(d);
        i += 1;
        any = true;
    }
    let mut scale = 0i32;
    if s.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = s.get(i).and_then(|b| (*b as char).to_digit(16)) {
            value = value * 16.0 + f64::from(d);
            scale -= 4;
            i += 1;
            any = true;
        }
    }
    if !any {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let rest = &s[i + 1..];
        let (neg, digits) = match rest.first() {
            Some(b'-') => (true, &rest[1..]),
            Some(b'+') => (false, &rest[1..]),
            _ => (false, rest),
        };
        let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
        if n > 0 {
            let e: i32 = std::str::from_utf8(&digits[..n])
                .ok()?
                .parse()
                .unwrap_or(i32::MAX / 2);
            scale = scale.saturating_add(if neg { -e } else { e });
        }
    }
    Some(value * 2f64.powi(scale))
}

/// `-g`: conversion errors first, then NaNs, then numbers in order (-0 equals 0).
pub fn general_cmp(a: &[u8], b: &[u8]) -> Ordering {
    match (parse_float_prefix(a), parse_float_prefix(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match x.partial_cmp(&y) {
            Some(o) => o,
            None => x.is_nan().cmp(&y.is_nan()).reverse(),
        },
    }
}

/// `filevercmp`'s character order: digits 0, letters themselves, `~` first of all, the end
/// before everything but `~`, other bytes after letters.
fn ver_order(s: &[u8], pos: usize) -> i32 {
    match s.get(pos) {
        None => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(*c),
        Some(b'~') => -2,
        Some(c) => i32::from(*c) + 256,
    }
}

/// Debian's version comparison over two byte strings.
fn verrevcmp(a: &[u8], b: &[u8]) -> i32 {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (x, y) = (ver_order(a, i), ver_order(b, j));
            if x != y {
                return x - y;
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let mut first_diff = 0;
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first_diff == 0 {
                first_diff = i32::from(a[i]) - i32::from(b[j]);
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return -1;
        }
        if first_diff != 0 {
            return first_diff;
        }
    }
    0
}

/// Length of `s` without its file suffix: the longest tail matching `(\.[A-Za-z~][A-Za-z0-9~]*)*`.
fn prefix_len(s: &[u8]) -> usize {
    let n = s.len();
    let mut i = 0;
    loop {
        let prefix = i;
        while i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        }
        if i >= n {
            return prefix;
        }
        i += 1;
    }
}

/// `-V`: gnulib's `filenvercmp` (version sort with file-suffix and leading-dot rules).
pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    if a[0] == b'.' {
        if b[0] != b'.' {
            return Ordering::Less;
        }
        let (adot, bdot) = (a.len() == 1, b.len() == 1);
        if adot || bdot {
            return bdot.cmp(&adot);
        }
        let (add, bdd) = (a == b"..", b == b"..");
        if add || bdd {
            return bdd.cmp(&add);
        }
    } else if b[0] == b'.' {
        return Ordering::Greater;
    }
    let (ap, bp) = (prefix_len(a), prefix_len(b));
    let one_pass = ap == a.len() && bp == b.len();
    let mut r = verrevcmp(&a[..ap], &b[..bp]);
    if r == 0 && !one_pass {
        r = verrevcmp(a, b);
    }
    r.cmp(&0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn numeric() {
        assert_eq!(numeric_cmp(b"10", b"9"), Greater);
        assert_eq!(numeric_cmp(b"-0", b"0"), Equal);
        assert_eq!(numeric_cmp(b"-.0", b""), Equal);
        assert_eq!(numeric_cmp(b"  1.50", b"1.5"), Equal);
        assert_eq!(numeric_cmp(b"-2", b"-10"), Greater);
        assert_eq!(numeric_cmp(b"0.05", b"0.5"), Less);
        assert_eq!(numeric_cmp(b"abc", b"-1"), Greater);
        assert_eq!(numeric_cmp(b"+5", b"0"), Equal);
    }

    #[test]
    fn human_and_month() {
        assert_eq!(human_cmp(b"10K", b"1M"), Less);
        assert_eq!(human_cmp(b"2k", b"512"), Greater);
        assert_eq!(human_cmp(b"0K", b"512"), Less);
        assert_eq!(human_cmp(b"-1G", b"0K"), Less);
        assert_eq!(month_of(b" mar"), 3);
        assert_eq!(month_of(b"JANUARY"), 1);
        assert_eq!(month_of(b"xyz"), 0);
    }

    #[test]
    fn general() {
        assert_eq!(general_cmp(b"abc", b"nan"), Less);
        assert_eq!(general_cmp(b"nan", b"-inf"), Less);
        assert_eq!(general_cmp(b"0x10", b"1e3"), Less);
        assert_eq!(general_cmp(b"5", b"0x10"), Less);
    }

    #[test]
    fn versions() {
        assert_eq!(version_cmp(b"v1.2", b"v1.10"), Less);
        assert_eq!(version_cmp(b"v1.9", b"v1.9a"), Less);
        assert_eq!(version_cmp(b"v1.9a", b"v1.10"), Less);
        assert_eq!(version_cmp(b".", b".."), Less);
        assert_eq!(version_cmp(b".a", b"a"), Less);
        assert_eq!(version_cmp(b"a.tar.gz", b"a1.tar.gz"), Less);
        assert_eq!(version_cmp(b"1.0~rc1", b"1.0"), Less);
    }
}
