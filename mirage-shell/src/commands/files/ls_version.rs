//! `ls -v`: gnulib's version order of file names (`filevercmp`): `.` and `..` and hidden
//! names first, digit runs compared as numbers, `~` before everything, and file suffixes
//! (`.tar.gz`) only consulted to break ties.

use std::cmp::Ordering;

/// Where a trailing run of `.suffix` parts (a letter or `~` after the dot, then letters,
/// digits or `~`) begins.
fn suffix_start(s: &[u8]) -> usize {
    let n = s.len();
    let mut i = 0;
    let mut start = n;
    let mut in_suffix = false;
    while i < n {
        if s[i] == b'.' && i + 1 < n && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            if !in_suffix {
                start = i;
                in_suffix = true;
            }
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        } else {
            in_suffix = false;
            start = n;
            i += 1;
        }
    }
    if in_suffix { start } else { n }
}

/// The weight of the byte at `pos` in a non-digit run.
fn order(s: &[u8], pos: usize) -> i32 {
    match s.get(pos) {
        None => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(*c),
        Some(b'~') => -2,
        Some(c) => i32::from(*c) + 256,
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], p: usize| s.get(p).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let (x, y) = (order(a, i), order(b, j));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

/// `filevercmp`, then plain byte order to break ties (as `ls` does).
pub(super) fn version_order(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    filevercmp(a, b).then_with(|| a.cmp(b))
}

fn filevercmp(a: &[u8], b: &[u8]) -> Ordering {
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
    let (ap, bp) = (suffix_start(a), suffix_start(b));
    let one_pass = ap == a.len() && bp == b.len();
    let first = verrevcmp(&a[..ap], &b[..bp]);
    if first != Ordering::Equal || one_pass {
        first
    } else {
        verrevcmp(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::version_order;

    #[test]
    fn version_sorting() {
        let mut v = vec![
            "file10",
            "file2",
            "a~",
            "a b",
            "file1.txt",
            ".x",
            ".",
            "..",
            "x.tar.gz",
            "a",
        ];
        v.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            v,
            [
                ".",
                "..",
                ".x",
                "a~",
                "a",
                "a b",
                "file1.txt",
                "file2",
                "file10",
                "x.tar.gz"
            ]
        );
    }
}
