//! `ls` layouts other than one name per line (`-C`, `-x`, `-m`), the display width of names,
//! the `-Q` quoting, and the units of `-s`, `--block-size`, `-h` and `--si`.

/// One cell of a listing: the bytes printed and the columns they take on a terminal.
pub(crate) struct Cell {
    pub text: Vec<u8>,
    pub width: usize,
}

/// Columns a string takes on a terminal in the C.UTF-8 locale: two for East Asian wide and
/// fullwidth characters, none for combining marks and control characters, one otherwise.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let c = c as u32;
    if c < 0x20 || (0x7f..0xa0).contains(&c) {
        return 0;
    }
    if c < 0x300 {
        return 1;
    }
    const ZERO: &[(u32, u32)] = &[
        (0x0300, 0x036f),
        (0x0483, 0x0489),
        (0x0591, 0x05bd),
        (0x0610, 0x061a),
        (0x064b, 0x065f),
        (0x0670, 0x0670),
        (0x06d6, 0x06dc),
        (0x0900, 0x0902),
        (0x093c, 0x093c),
        (0x0941, 0x0948),
        (0x094d, 0x094d),
        (0x0e31, 0x0e31),
        (0x0e34, 0x0e3a),
        (0x0e47, 0x0e4e),
        (0x1ab0, 0x1aff),
        (0x1dc0, 0x1dff),
        (0x200b, 0x200f),
        (0x202a, 0x202e),
        (0x2060, 0x2064),
        (0x20d0, 0x20ff),
        (0xfe00, 0xfe0f),
        (0xfe20, 0xfe2f),
        (0xfeff, 0xfeff),
        (0xe0100, 0xe01ef),
    ];
    const WIDE: &[(u32, u32)] = &[
        (0x1100, 0x115f),
        (0x231a, 0x231b),
        (0x2329, 0x232a),
        (0x23e9, 0x23ec),
        (0x23f0, 0x23f0),
        (0x23f3, 0x23f3),
        (0x25fd, 0x25fe),
        (0x2614, 0x2615),
        (0x2648, 0x2653),
        (0x267f, 0x267f),
        (0x2693, 0x2693),
        (0x26a1, 0x26a1),
        (0x26aa, 0x26ab),
        (0x26bd, 0x26be),
        (0x26c4, 0x26c5),
        (0x26ce, 0x26ce),
        (0x26d4, 0x26d4),
        (0x26ea, 0x26ea),
        (0x26f2, 0x26f3),
        (0x26f5, 0x26f5),
        (0x26fa, 0x26fa),
        (0x26fd, 0x26fd),
        (0x2705, 0x2705),
        (0x270a, 0x270b),
        (0x2728, 0x2728),
        (0x274c, 0x274c),
        (0x274e, 0x274e),
        (0x2753, 0x2755),
        (0x2757, 0x2757),
        (0x2795, 0x2797),
        (0x27b0, 0x27b0),
        (0x27bf, 0x27bf),
        (0x2b1b, 0x2b1c),
        (0x2b50, 0x2b50),
        (0x2b55, 0x2b55),
        (0x2e80, 0x303e),
        (0x3041, 0x33ff),
        (0x3400, 0x4dbf),
        (0x4e00, 0x9fff),
        (0xa000, 0xa4cf),
        (0xa960, 0xa97f),
        (0xac00, 0xd7a3),
        (0xf900, 0xfaff),
        (0xfe10, 0xfe19),
        (0xfe30, 0xfe6f),
        (0xff00, 0xff60),
        (0xffe0, 0xffe6),
        (0x16fe0, 0x16fe4),
        (0x17000, 0x18cff),
        (0x1b000, 0x1b2ff),
        (0x1f004, 0x1f004),
        (0x1f0cf, 0x1f0cf),
        (0x1f18e, 0x1f18e),
        (0x1f191, 0x1f19a),
        (0x1f200, 0x1f251),
        (0x1f300, 0x1f320),
        (0x1f32d, 0x1f335),
        (0x1f337, 0x1f37c),
        (0x1f37e, 0x1f393),
        (0x1f3a0, 0x1f3ca),
        (0x1f3cf, 0x1f3d3),
        (0x1f3e0, 0x1f3f0),
        (0x1f3f4, 0x1f3f4),
        (0x1f3f8, 0x1f43e),
        (0x1f440, 0x1f440),
        (0x1f442, 0x1f4fc),
        (0x1f4ff, 0x1f53d),
        (0x1f54b, 0x1f54e),
        (0x1f550, 0x1f567),
        (0x1f57a, 0x1f57a),
        (0x1f595, 0x1f596),
        (0x1f5a4, 0x1f5a4),
        (0x1f5fb, 0x1f64f),
        (0x1f680, 0x1f6c5),
        (0x1f6cc, 0x1f6cc),
        (0x1f6d0, 0x1f6d2),
        (0x1f6d5, 0x1f6d7),
        (0x1f6eb, 0x1f6ec),
        (0x1f6f4, 0x1f6fc),
        (0x1f7e0, 0x1f7eb),
        (0x1f90c, 0x1f93a),
        (0x1f93c, 0x1f945),
        (0x1f947, 0x1f9ff),
        (0x1fa70, 0x1faff),
        (0x20000, 0x2fffd),
        (0x30000, 0x3fffd),
    ];
    let within = |table: &[(u32, u32)]| {
        table
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    };
    if within(ZERO) {
        0
    } else if within(WIDE) {
        2
    } else {
        1
    }
}

/// `-Q` / `--quoting-style=c`: the name in double quotes with C escapes; without `quotes`
/// (`-b`, `--quoting-style=escape`) the same escapes, a space as `\ ` and `"` as is.
pub(crate) fn c_quote(name: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    if quotes {
        out.push('"');
    }
    for c in name.chars() {
        match c {
            '"' if quotes => out.push_str("\\\""),
            ' ' if !quotes => out.push_str("\\ "),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    if quotes {
        out.push('"');
    }
    out
}

/// Moves the cursor from column `from` to `to` with tabs where a tab stop is crossed, as GNU
/// does (`tabsize` 0 means spaces only).
fn indent(out: &mut Vec<u8>, mut from: usize, to: usize, tabsize: usize) {
    while from < to {
        if tabsize != 0 && to / tabsize > (from + 1) / tabsize {
            out.push(b'\t');
            from += tabsize - from % tabsize;
        } else {
            out.push(b' ');
            from += 1;
        }
    }
}

/// The widths of each column for the widest layout that fits in `line_length` (0: no limit).
/// As in GNU, every column is at least three wide, and a layout is only rejected once a name
/// widens it past the limit.
fn columns(cells: &[Cell], by_columns: bool, line_length: usize) -> Vec<usize> {
    let n = cells.len();
    let line_length = if line_length == 0 {
        usize::MAX
    } else {
        line_length
    };
    let max_idx = line_length / 3 + usize::from(line_length % 3 != 0);
    let max_cols = max_idx.min(n).max(1);
    for cols in (2..=max_cols).rev() {
        let rows = n.div_ceil(cols);
        let mut widths = vec![3usize; cols];
        let mut grew = false;
        for (i, cell) in cells.iter().enumerate() {
            let idx = if by_columns { i / rows } else { i % cols };
            if idx >= cols {
                continue;
            }
            let w = cell.width + if idx == cols - 1 { 0 } else { 2 };
            if w > widths[idx] {
                widths[idx] = w;
                grew = true;
            }
        }
        let total: usize = widths.iter().fold(0usize, |a, w| a.saturating_add(*w));
        if !grew || total < line_length {
            return widths;
        }
    }
    vec![cells.iter().map(|c| c.width).max().unwrap_or(0).max(3)]
}

/// `-C` (down then across) and `-x` (across then down).
pub(crate) fn grid(
    cells: &[Cell],
    by_columns: bool,
    line_length: usize,
    tabsize: usize,
    end: u8,
) -> Vec<u8> {
    let mut out = Vec::new();
    if cells.is_empty() {
        return out;
    }
    let widths = columns(cells, by_columns, line_length);
    // Without a width limit GNU pads with spaces only.
    let tabsize = if line_length == 0 { 0 } else { tabsize };
    let cols = widths.len();
    let n = cells.len();
    if by_columns {
        let rows = n.div_ceil(cols);
        for row in 0..rows {
            let (mut i, mut col, mut pos) = (row, 0, 0);
            loop {
                let cell = &cells[i];
                out.extend_from_slice(&cell.text);
                i += rows;
                if i >= n {
                    break;
                }
                let w = widths.get(col).copied().unwrap_or(0);
                indent(&mut out, pos + cell.width, pos + w, tabsize);
                pos += w;
                col += 1;
            }
            out.push(end);
        }
    } else {
        let mut pos = 0;
        for (i, cell) in cells.iter().enumerate() {
            let col = i % cols;
            if i > 0 {
                if col == 0 {
                    out.push(end);
                    pos = 0;
                } else {
                    let prev = &cells[i - 1];
                    let w = widths.get(col - 1).copied().unwrap_or(0);
                    indent(&mut out, pos + prev.width, pos + w, tabsize);
                    pos += w;
                }
            }
            out.extend_from_slice(&cell.text);
        }
        out.push(end);
    }
    out
}

/// `-m`: names separated by `, `, wrapped before `line_length` (0: never).
pub(crate) fn commas(cells: &[Cell], line_length: usize, end: u8) -> Vec<u8> {
    let mut out = Vec::new();
    if cells.is_empty() {
        return out;
    }
    let mut pos = 0usize;
    for (i, cell) in cells.iter().enumerate() {
        let len = if line_length == 0 { 0 } else { cell.width };
        if i > 0 {
            out.push(b',');
            if line_length == 0 || pos.saturating_add(len).saturating_add(2) < line_length {
                pos += 2;
                out.push(b' ');
            } else {
                pos = 0;
                out.push(end);
            }
        }
        out.extend_from_slice(&cell.text);
        pos = pos.saturating_add(len);
    }
    out.push(end);
    out
}

/// How sizes and block counts are printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Units {
    /// `-h` (powers of 1024) or `--si` (powers of 1000).
    Human { si: bool },
    /// Whole units of `unit` bytes rounded up, followed by `suffix`.
    Fixed { unit: u64, suffix: String },
}

impl Units {
    pub fn bytes() -> Self {
        Units::Fixed {
            unit: 1,
            suffix: String::new(),
        }
    }

    pub fn kib() -> Self {
        Units::Fixed {
            unit: 1024,
            suffix: String::new(),
        }
    }

    pub fn show(&self, bytes: u64) -> String {
        match self {
            Units::Human { si } => human(bytes, if *si { 1000 } else { 1024 }),
            Units::Fixed { unit, suffix } => {
                format!("{}{suffix}", bytes.div_ceil((*unit).max(1)))
            }
        }
    }
}

/// `-h`/`--si`: three significant figures at most, rounded up, with one decimal below ten.
fn human(bytes: u64, base: u128) -> String {
    let letters: [&str; 8] = if base == 1000 {
        ["k", "M", "G", "T", "P", "E", "Z", "Y"]
    } else {
        ["K", "M", "G", "T", "P", "E", "Z", "Y"]
    };
    let n = u128::from(bytes);
    if n < base {
        return bytes.to_string();
    }
    let mut div = base;
    for (i, unit) in letters.iter().enumerate() {
        let tenths = (n * 10).div_ceil(div);
        if tenths < 100 {
            return format!("{}.{}{unit}", tenths / 10, tenths % 10);
        }
        let whole = n.div_ceil(div);
        if whole < base || i + 1 == letters.len() {
            return format!("{whole}{unit}");
        }
        div *= base;
    }
    bytes.to_string()
}

/// Why a `--block-size` value was refused.
pub(crate) enum BlockSizeError {
    Invalid,
    Suffix,
    TooLarge,
}

/// Parses a `--block-size` value as GNU's `human_options` does.
pub(crate) fn parse_block_size(spec: &str) -> Result<Units, BlockSizeError> {
    // A leading quote asks for digit grouping, which the C.UTF-8 locale does not have.
    let spec = spec.strip_prefix('\'').unwrap_or(spec);
    match spec {
        "human-readable" => return Ok(Units::Human { si: false }),
        "si" => return Ok(Units::Human { si: true }),
        _ => {}
    }
    let digits_end = spec
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(spec.len());
    let (digits, rest) = spec.split_at(digits_end);
    if digits.is_empty() && rest.is_empty() {
        return Err(BlockSizeError::Invalid);
    }
    let number: u64 = if digits.is_empty() {
        1
    } else {
        match digits.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return Err(BlockSizeError::TooLarge),
        }
    };
    let mut chars = rest.chars();
    let (power, base, tail) = match chars.next() {
        None => (0, 1024u64, ""),
        Some(c) => {
            let power = match c.to_ascii_uppercase() {
                'K' => 1,
                'M' => 2,
                'G' => 3,
                'T' => 4,
                'P' => 5,
                'E' => 6,
                'Z' => 7,
                'Y' => 8,
                _ if digits.is_empty() => return Err(BlockSizeError::Invalid),
                _ => return Err(BlockSizeError::Suffix),
            };
            let tail = chars.as_str();
            match tail {
                "" => (power, 1024, ""),
                "B" | "D" => (power, 1000, "B"),
                "iB" => (power, 1024, "iB"),
                _ => return Err(BlockSizeError::Suffix),
            }
        }
    };
    let mut unit = u128::from(number);
    for _ in 0..power {
        unit = unit.saturating_mul(u128::from(base));
    }
    if unit > u128::from(u64::MAX) {
        return Err(BlockSizeError::TooLarge);
    }
    if unit == 0 {
        return Err(BlockSizeError::Invalid);
    }
    let unit = unit as u64;
    if !digits.is_empty() || power == 0 {
        return Ok(Units::Fixed {
            unit,
            suffix: String::new(),
        });
    }
    let letter = if base == 1000 && power == 1 {
        "k"
    } else {
        ["", "K", "M", "G", "T", "P", "E", "Z", "Y"][power]
    };
    let suffix = match tail {
        "B" => format!("{letter}B"),
        "iB" => format!("{letter}iB"),
        _ => letter.to_string(),
    };
    Ok(Units::Fixed { unit, suffix })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(names: &[&str]) -> Vec<Cell> {
        names
            .iter()
            .map(|n| Cell {
                text: n.as_bytes().to_vec(),
                width: display_width(n),
            })
            .collect()
    }

    #[test]
    fn widths() {
        assert_eq!(display_width("日本語.txt"), 10);
        assert_eq!(display_width("héllo"), 5);
        assert_eq!(display_width("g\th"), 2);
    }

    #[test]
    fn layouts() {
        let c = cells(&["README.md", "a", "binary.bin", "config", "crlf.txt", "docs"]);
        assert_eq!(
            String::from_utf8_lossy(&grid(&c, true, 30, 8, b'\n')),
            "README.md   config\na\t    crlf.txt\nbinary.bin  docs\n"
        );
        assert_eq!(
            String::from_utf8_lossy(&commas(&c, 20, b'\n')),
            "README.md, a,\nbinary.bin, config,\ncrlf.txt, docs\n"
        );
    }

    #[test]
    fn block_sizes() {
        let show = |s: &str, n: u64| parse_block_size(s).ok().map(|u| u.show(n));
        assert_eq!(show("K", 4096).as_deref(), Some("4K"));
        assert_eq!(show("KB", 4096).as_deref(), Some("5kB"));
        assert_eq!(show("MiB", 4096).as_deref(), Some("1MiB"));
        assert_eq!(show("1K", 4096).as_deref(), Some("4"));
        assert_eq!(show("si", 4096).as_deref(), Some("4.1k"));
        assert!(parse_block_size("0").is_err());
        assert!(parse_block_size("x").is_err());
        assert!(parse_block_size("1x").is_err());
    }
}
