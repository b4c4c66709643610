//! Counts with multiplier suffixes, parsed like gnulib's `xstrtoumax` (`10K`, `2MB`, `1GiB`,
//! `b` = 512), which head, tail and friends use for `-n`/`-c`.

/// Why a count was refused; the caller prints `invalid number of lines: ‘x’` and, for
/// overflow, the strerror text after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeError {
    Invalid,
    Overflow,
}

impl SizeError {
    /// The message GNU prints for `what` (e.g. "invalid number of lines") and the operand.
    pub fn message(self, what: &str, operand: &str) -> String {
        let q = super::support::lquote(operand);
        match self {
            SizeError::Invalid => format!("{what}: {q}"),
            SizeError::Overflow => format!("{what}: {q}: Value too large for defined data type"),
        }
    }
}

/// Splits leading decimal digits (after C `isspace` and an optional `+`) from the rest, as
/// `strtoumax(s, &end, 10)` would; `None` digits means no number was found.
fn split_number(s: &str) -> (Option<&str>, &str) {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let unsigned = t.strip_prefix('+').unwrap_or(t);
    let digits = unsigned.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (None, s);
    }
    (Some(&unsigned[..digits]), &unsigned[digits..])
}

/// Parses `s` with the suffix letters allowed by `suffixes` (gnulib's `valid_suffixes`; a `0`
/// in it allows the `B`/`iB` second suffix that switches between powers of 1000 and 1024).
pub fn parse_size(s: &str, suffixes: &str) -> Result<u64, SizeError> {
    let lead = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    if lead.starts_with('-') {
        return Err(SizeError::Invalid);
    }
    let (digits, rest) = split_number(s);
    let mut overflow = false;
    let mut value = match digits {
        Some(d) => d.parse::<u64>().unwrap_or_else(|_| {
            overflow = true;
            u64::MAX
        }),
        None => {
            // No number but a valid suffix means one unit (`-n K` is 1024 lines).
            match rest.chars().next() {
                Some(c) if suffixes.contains(c) => 1,
                _ => return Err(SizeError::Invalid),
            }
        }
    };
    let rest = if digits.is_some() { rest } else { s };
    let Some(letter) = rest.chars().next() else {
        return if overflow {
            Err(SizeError::Overflow)
        } else {
            Ok(value)
        };
    };
    if !suffixes.contains(letter) {
        return Err(SizeError::Invalid);
    }
    let mut base: u64 = 1024;
    let mut used = 1;
    if "EGgkKMmPQRTtYZ".contains(letter) && suffixes.contains('0') {
        let after = &rest[1..];
        if after.starts_with("iB") {
            used += 2;
        } else if after.starts_with('B') || after.starts_with('D') {
            base = 1000;
            used += 1;
        }
    }
    let (factor, power) = match letter {
        'b' => (512, 1),
        'B' => (1024, 1),
        'c' => (1, 1),
        'w' => (2, 1),
        'k' | 'K' => (base, 1),
        'M' | 'm' => (base, 2),
        'G' | 'g' => (base, 3),
        'T' | 't' => (base, 4),
        'P' => (base, 5),
        'E' => (base, 6),
        'Z' => (base, 7),
        'Y' => (base, 8),
        'R' => (base, 9),
        'Q' => (base, 10),
        _ => return Err(SizeError::Invalid),
    };
    for _ in 0..power {
        match value.checked_mul(factor) {
            Some(v) => value = v,
            None => {
                overflow = true;
                value = u64::MAX;
            }
        }
    }
    if rest.len() > used {
        return Err(SizeError::Invalid);
    }
    if overflow {
        Err(SizeError::Overflow)
    } else {
        Ok(value)
    }
}

/// The suffixes head and tail accept for `-n` and `-c` in coreutils 9.1.
pub const HEAD_TAIL_SUFFIXES: &str = "bkKmMGTPEZY0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_like_gnulib() {
        let p = |s| parse_size(s, HEAD_TAIL_SUFFIXES);
        assert_eq!(p("10"), Ok(10));
        assert_eq!(p(" +2"), Ok(2));
        assert_eq!(p("010"), Ok(10));
        assert_eq!(p("1k"), Ok(1024));
        assert_eq!(p("2kB"), Ok(2000));
        assert_eq!(p("2KiB"), Ok(2048));
        assert_eq!(p("2b"), Ok(1024));
        assert_eq!(p("K"), Ok(1024));
        assert_eq!(p("x"), Err(SizeError::Invalid));
        assert_eq!(p(""), Err(SizeError::Invalid));
        assert_eq!(p("2 "), Err(SizeError::Invalid));
        assert_eq!(p("0x10"), Err(SizeError::Invalid));
        assert_eq!(p("1R"), Err(SizeError::Invalid));
        assert_eq!(p("1e"), Err(SizeError::Invalid));
        assert_eq!(p("-1"), Err(SizeError::Invalid));
        assert_eq!(p("1Y"), Err(SizeError::Overflow));
        assert_eq!(p("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(p("18446744073709551616"), Err(SizeError::Overflow));
    }
}
