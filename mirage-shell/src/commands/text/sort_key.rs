//! `sort` keys: parsing `-k POS1[,POS2]` and the global ordering flags, locating a key inside a
//! line (coreutils' `begfield`/`limfield`), and comparing two lines key by key.

use std::cmp::Ordering;

use super::sort_numeric::{general_cmp, human_cmp, is_blank, month_of, numeric_cmp, version_cmp};

/// Characters a key drops before comparing (`-d` keeps alphanumerics and blanks, `-i` keeps
/// printable ASCII).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignore {
    NonDictionary,
    NonPrinting,
}

/// One key, with the same meaning as coreutils' `struct keyfield`. `None` word positions mean
/// "from the start of the line" / "to the end of the line".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Key {
    pub sword: Option<usize>,
    pub schar: usize,
    pub eword: Option<usize>,
    pub echar: usize,
    pub skip_start_blanks: bool,
    pub skip_end_blanks: bool,
    pub ignore: Option<Ignore>,
    pub fold: bool,
    pub numeric: bool,
    pub general: bool,
    pub human: bool,
    pub month: bool,
    pub version: bool,
    pub random: bool,
    pub reverse: bool,
    /// `-R`: the 16 bytes GNU feeds MD5 before each key (from `--random-source` or random).
    pub salt: [u8; 16],
}

/// Which blanks a `b` flag affects.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BlankType {
    Start,
    End,
    Both,
}

impl Key {
    /// A key with no ordering option of its own (then it inherits the global ones).
    pub fn is_default(&self) -> bool {
        !(self.ignore.is_some()
            || self.fold
            || self.skip_start_blanks
            || self.skip_end_blanks
            || self.numeric
            || self.general
            || self.human
            || self.month
            || self.version
            || self.random)
    }

    /// Applies ordering letters from `s`; returns the rest, starting at the first non-letter.
    pub fn set_ordering<'a>(&mut self, s: &'a str, blanks: BlankType) -> &'a str {
        for (i, c) in s.char_indices() {
            match c {
                'b' => {
                    if blanks != BlankType::End {
                        self.skip_start_blanks = true;
                    }
                    if blanks != BlankType::Start {
                        self.skip_end_blanks = true;
                    }
                }
                'd' => self.ignore = Some(Ignore::NonDictionary),
                'f' => self.fold = true,
                'g' => self.general = true,
                'h' => self.human = true,
                'i' => {
                    if self.ignore.is_none() {
                        self.ignore = Some(Ignore::NonPrinting);
                    }
                }
                'M' => self.month = true,
                'n' => self.numeric = true,
                'R' => self.random = true,
                'r' => self.reverse = true,
                'V' => self.version = true,
                _ => return &s[i..],
            }
        }
        ""
    }

    /// The option letters set on this key, in coreutils' `key_to_opts` order.
    pub fn option_letters(&self) -> String {
        let mut s = String::new();
        for (on, c) in [
            (self.skip_start_blanks || self.skip_end_blanks, 'b'),
            (self.ignore == Some(Ignore::NonDictionary), 'd'),
            (self.fold, 'f'),
            (self.general, 'g'),
            (self.human, 'h'),
            (self.ignore == Some(Ignore::NonPrinting), 'i'),
            (self.month, 'M'),
            (self.numeric, 'n'),
            (self.random, 'R'),
            (self.reverse, 'r'),
            (self.version, 'V'),
        ] {
            if on {
                s.push(c);
            }
        }
        s
    }

    /// `Some(letters)` when the key combines orderings that exclude each other.
    pub fn incompatibility(&self) -> Option<String> {
        let n = [
            self.numeric,
            self.general,
            self.human,
            self.month,
            self.version || self.random || self.ignore.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if n <= 1 {
            return None;
        }
        let mut shown = self.clone();
        shown.skip_start_blanks = false;
        shown.skip_end_blanks = false;
        shown.reverse = false;
        Some(shown.option_letters())
    }

    /// Takes every ordering option of `global` (a key with none of its own does this).
    pub fn inherit(&mut self, global: &Key) {
        self.ignore = global.ignore;
        self.fold = global.fold;
        self.skip_start_blanks = global.skip_start_blanks;
        self.skip_end_blanks = global.skip_end_blanks;
        self.month = global.month;
        self.numeric = global.numeric;
        self.general = global.general;
        self.human = global.human;
        self.version = global.version;
        self.random = global.random;
        self.reverse = global.reverse;
    }
}

/// Leading count of a field spec (`strtoumax` with any suffix allowed); too large saturates.
fn field_count(s: &str) -> Option<(usize, &str)> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix('+').unwrap_or(t);
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let value = t[..n].parse::<usize>().unwrap_or(usize::MAX);
    Some((value, &t[n..]))
}

/// Parses a `-k` argument; the error is GNU's message.
pub fn parse_key(spec: &str) -> Result<Key, String> {
    let q = super::support::lquote;
    let invalid_count =
        |what: &str, at: &str| format!("{what}: invalid count at start of {}", q(at));
    let bad = |what: &str| format!("{what}: invalid field specification {}", q(spec));
    let mut key = Key::default();
    let (sword, mut s) =
        field_count(spec).ok_or_else(|| invalid_count("invalid number at field start", spec))?;
    if sword == 0 {
        return Err(bad("field number is zero"));
    }
    let mut sword = sword - 1;
    if let Some(rest) = s.strip_prefix('.') {
        let (schar, r) =
            field_count(rest).ok_or_else(|| invalid_count("invalid number after '.'", rest))?;
        if schar == 0 {
            return Err(bad("character offset is zero"));
        }
        key.schar = schar - 1;
        s = r;
    }
    if sword == 0 && key.schar == 0 {
        sword = usize::MAX;
    }
    key.sword = (sword != usize::MAX).then_some(sword);
    s = key.set_ordering(s, BlankType::Start);
    if let Some(rest) = s.strip_prefix(',') {
        let (eword, r) =
            field_count(rest).ok_or_else(|| invalid_count("invalid number after ','", rest))?;
        if eword == 0 {
            return Err(bad("field number is zero"));
        }
        key.eword = Some(eword - 1);
        s = r;
        if let Some(rest) = s.strip_prefix('.') {
            let (echar, r) =
                field_count(rest).ok_or_else(|| invalid_count("invalid number after '.'", rest))?;
            key.echar = echar;
            s = r;
        }
        s = key.set_ordering(s, BlankType::End);
    }
    if !s.is_empty() {
        return Err(bad("stray character in field spec"));
    }
    Ok(key)
}

/// The field separator: a byte given with `-t`, or runs of blanks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Blanks,
    Byte(u8),
}

/// Start of the key in `line` (coreutils `begfield`).
fn begfield(line: &[u8], key: &Key, sword: usize, tab: Tab) -> usize {
    let lim = line.len();
    let mut p = 0;
    let mut words = sword;
    match tab {
        Tab::Byte(t) => {
            while p < lim && words > 0 {
                words -= 1;
                while p < lim && line[p] != t {
                    p += 1;
                }
                if p < lim {
                    p += 1;
                }
            }
        }
        Tab::Blanks => {
            while p < lim && words > 0 {
                words -= 1;
                while p < lim && is_blank(line[p]) {
                    p += 1;
                }
                while p < lim && !is_blank(line[p]) {
                    p += 1;
                }
            }
        }
    }
    if key.skip_start_blanks {
        while p < lim && is_blank(line[p]) {
            p += 1;
        }
    }
    lim.min(p.saturating_add(key.schar))
}

/// End (exclusive) of the key in `line` (coreutils `limfield`).
fn limfield(line: &[u8], key: &Key, eword: usize, tab: Tab) -> usize {
    let lim = line.len();
    let mut words = if key.echar == 0 {
        eword.saturating_add(1)
    } else {
        eword
    };
    let mut p = 0;
    match tab {
        Tab::Byte(t) => {
            while p < lim && words > 0 {
                words -= 1;
                while p < lim && line[p] != t {
                    p += 1;
                }
                if p < lim && (words > 0 || key.echar > 0) {
                    p += 1;
                }
            }
        }
        Tab::Blanks => {
            while p < lim && words > 0 {
                words -= 1;
                while p < lim && is_blank(line[p]) {
                    p += 1;
                }
                while p < lim && !is_blank(line[p]) {
                    p += 1;
                }
            }
        }
    }
    if key.echar != 0 {
        if key.skip_end_blanks {
            while p < lim && is_blank(line[p]) {
                p += 1;
            }
        }
        p = lim.min(p.saturating_add(key.echar));
    }
    p
}

/// The bytes of `line` that `key` compares.
pub fn key_slice<'a>(line: &'a [u8], key: &Key, tab: Tab) -> &'a [u8] {
    let (beg, lim) = key_span(line, key, tab);
    &line[beg..lim]
}

/// Where in `line` the bytes `key` compares start and end. Sorting finds these once per line
/// up front: finding them again in every comparison was two thirds of `sort -k`'s time.
pub fn key_span(line: &[u8], key: &Key, tab: Tab) -> (usize, usize) {
    let lim = match key.eword {
        Some(e) => limfield(line, key, e, tab),
        None => line.len(),
    };
    let beg = match key.sword {
        Some(s) => begfield(line, key, s, tab),
        None => {
            let mut p = 0;
            if key.skip_start_blanks {
                while p < lim && is_blank(line[p]) {
                    p += 1;
                }
            }
            p
        }
    };
    (beg, lim.max(beg))
}

fn keep(b: u8, ignore: Option<Ignore>) -> bool {
    match ignore {
        None => true,
        Some(Ignore::NonDictionary) => b.is_ascii_alphanumeric() || is_blank(b),
        Some(Ignore::NonPrinting) => (0x20..0x7f).contains(&b),
    }
}

/// The key text after `-d`/`-i` removal and `-f` folding.
fn transformed(text: &[u8], key: &Key) -> Vec<u8> {
    text.iter()
        .filter(|&&b| keep(b, key.ignore))
        .map(|&b| if key.fold { b.to_ascii_uppercase() } else { b })
        .collect()
}

/// GNU's `compare_random` hash of a key: MD5 over the salt and then the key as strxfrm pieces
/// (C.UTF-8 transforms to the same bytes), each with its terminating NUL. An empty key adds
/// nothing, and a key ending in NUL has that NUL as its last terminator.
fn random_digest(text: &[u8], salt: &[u8; 16]) -> [u8; 16] {
    use md5::{Digest, Md5};
    let mut h = Md5::new();
    h.update(salt);
    if !text.is_empty() {
        h.update(text);
        if text.last() != Some(&0) {
            h.update([0u8]);
        }
    }
    h.finalize().into()
}

/// Compares two key texts under `key`'s ordering (not yet reversed).
fn compare_texts(a: &[u8], b: &[u8], key: &Key) -> Ordering {
    let owned;
    let (a, b) = if key.ignore.is_some() || key.fold {
        owned = (transformed(a, key), transformed(b, key));
        (owned.0.as_slice(), owned.1.as_slice())
    } else {
        (a, b)
    };
    if key.numeric {
        numeric_cmp(a, b)
    } else if key.general {
        general_cmp(a, b)
    } else if key.human {
        human_cmp(a, b)
    } else if key.month {
        month_of(a).cmp(&month_of(b))
    } else if key.version {
        version_cmp(a, b)
    } else if key.random {
        random_digest(a, &key.salt)
            .cmp(&random_digest(b, &key.salt))
            .then_with(|| a.cmp(b))
    } else {
        // C.UTF-8 collation is code point order, which is byte order.
        a.cmp(b)
    }
}

/// Compares two lines key by key from their precomputed [`key_span`]s (one per key).
pub fn compare_spans(
    a: &[u8],
    a_spans: &[(usize, usize)],
    b: &[u8],
    b_spans: &[(usize, usize)],
    keys: &[Key],
) -> Ordering {
    for ((key, &(ab, ae)), &(bb, be)) in keys.iter().zip(a_spans).zip(b_spans) {
        let o = compare_texts(&a[ab..ae], &b[bb..be], key);
        if o != Ordering::Equal {
            return if key.reverse { o.reverse() } else { o };
        }
    }
    Ordering::Equal
}

/// Compares two lines (without their terminators) key by key.
pub fn compare_keys(a: &[u8], b: &[u8], keys: &[Key], tab: Tab) -> Ordering {
    for key in keys {
        let o = compare_texts(key_slice(a, key, tab), key_slice(b, key, tab), key);
        if o != Ordering::Equal {
            return if key.reverse { o.reverse() } else { o };
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_specs() {
        let k = parse_key("2,2n").unwrap();
        assert_eq!((k.sword, k.eword, k.numeric), (Some(1), Some(1), true));
        let k = parse_key("1.3b,1.5").unwrap();
        assert_eq!(
            (k.sword, k.schar, k.eword, k.echar, k.skip_start_blanks),
            (Some(0), 2, Some(0), 5, true)
        );
        assert_eq!(
            parse_key("0").unwrap_err(),
            "field number is zero: invalid field specification \u{2018}0\u{2019}"
        );
        assert_eq!(
            parse_key("1.0").unwrap_err(),
            "character offset is zero: invalid field specification \u{2018}1.0\u{2019}"
        );
        assert_eq!(
            parse_key("1,0").unwrap_err(),
            "field number is zero: invalid field specification \u{2018}1,0\u{2019}"
        );
        assert_eq!(
            parse_key("x").unwrap_err(),
            "invalid number at field start: invalid count at start of \u{2018}x\u{2019}"
        );
        assert_eq!(
            parse_key("1x").unwrap_err(),
            "stray character in field spec: invalid field specification \u{2018}1x\u{2019}"
        );
        assert_eq!(
            parse_key("1.x").unwrap_err(),
            "invalid number after '.': invalid count at start of \u{2018}x\u{2019}"
        );
        assert_eq!(
            parse_key("1,x").unwrap_err(),
            "invalid number after ',': invalid count at start of \u{2018}x\u{2019}"
        );
    }

    #[test]
    fn fields() {
        let k = parse_key("2").unwrap();
        assert_eq!(key_slice(b"x  b", &k, Tab::Blanks), b"  b");
        let k = parse_key("2b").unwrap();
        assert_eq!(key_slice(b"x  b", &k, Tab::Blanks), b"b");
        let k = parse_key("2,2").unwrap();
        assert_eq!(key_slice(b"a:3:x", &k, Tab::Byte(b':')), b"3");
        assert_eq!(key_slice(b"a b c", &k, Tab::Blanks), b" b");
        let k = parse_key("1.2,1.3").unwrap();
        assert_eq!(key_slice(b"abcdef", &k, Tab::Blanks), b"bc");
        let k = parse_key("3").unwrap();
        assert_eq!(key_slice(b"a", &k, Tab::Blanks), b"");
    }
}
