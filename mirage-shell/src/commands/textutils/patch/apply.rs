//! Placing hunks in a file the way GNU patch does: the expected line first, then nearer
//! offsets before farther ones (later before earlier), then with more context lines ignored
//! (fuzz); and writing the patched text and the reject file.

use super::parse::{Hunk, Line};

/// The file being patched: its lines (with their terminators) and the output built so far.
pub struct Target {
    pub input: Vec<Vec<u8>>,
    pub out: Vec<u8>,
    pub last_frozen: usize,
    pub in_offset: isize,
    pub out_offset: isize,
    pub after_newline: bool,
    pub zero_output: bool,
    pub ignore_ws: bool,
    /// Messages to print (`misordered hunks!`).
    pub messages: String,
}

/// Splits file content into lines, each keeping its `\n` (the last may lack it).
pub fn split_lines(data: &[u8]) -> Vec<Vec<u8>> {
    data.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

impl Target {
    pub fn new(input: Vec<Vec<u8>>, ignore_ws: bool) -> Self {
        Target {
            input,
            out: Vec::new(),
            last_frozen: 0,
            in_offset: 0,
            out_offset: 0,
            after_newline: true,
            zero_output: true,
            ignore_ws,
            messages: String::new(),
        }
    }

    /// Where hunk `h` applies with `fuzz`, as a 1-based line number; 0 when nowhere.
    pub fn locate(&mut self, h: &Hunk, fuzz: usize) -> usize {
        let input_lines = self.input.len() as isize;
        let first_guess = h.first as isize + self.in_offset;
        let pat_lines = h.pattern.len() as isize;
        let prefix = h.prefix_context as isize;
        let suffix = h.suffix_context as isize;
        let context = prefix.max(suffix);
        let fuzz = fuzz as isize;
        let mut prefix_fuzz = fuzz + prefix - context;
        let suffix_fuzz = fuzz + suffix - context;
        let max_where = input_lines - (pat_lines - suffix_fuzz) + 1;
        let min_where = self.last_frozen as isize + 1;
        let max_pos_offset = max_where - first_guess;
        let mut max_neg_offset = first_guess - min_where;
        let max_offset = max_pos_offset.max(max_neg_offset);
        let last_frozen = self.last_frozen as isize;

        if pat_lines == 0 {
            return first_guess.max(0) as usize;
        }
        if first_guess <= max_neg_offset {
            max_neg_offset = first_guess - 1;
        }
        if prefix_fuzz < 0 && h.first <= 1 {
            if suffix_fuzz < 0 && (pat_lines != input_lines || prefix < last_frozen) {
                return 0;
            }
            let offset = 1 - first_guess;
            if last_frozen <= prefix
                && offset <= max_pos_offset
                && self.matches(h, first_guess + offset, 0, suffix_fuzz.max(0))
            {
                self.in_offset += offset;
                return (first_guess + offset).max(0) as usize;
            }
            return 0;
        } else if prefix_fuzz < 0 {
            prefix_fuzz = 0;
        }
        if suffix_fuzz < 0 {
            let offset = first_guess - (input_lines - pat_lines + 1);
            if offset <= max_neg_offset && self.matches(h, first_guess - offset, prefix_fuzz, 0) {
                self.in_offset -= offset;
                return (first_guess - offset).max(0) as usize;
            }
            return 0;
        }
        let mut offset = 0;
        while offset <= max_offset {
            if offset <= max_pos_offset
                && self.matches(h, first_guess + offset, prefix_fuzz, suffix_fuzz)
            {
                self.in_offset += offset;
                return (first_guess + offset).max(0) as usize;
            }
            if offset <= max_neg_offset
                && self.matches(h, first_guess - offset, prefix_fuzz, suffix_fuzz)
            {
                self.in_offset -= offset;
                return (first_guess - offset).max(0) as usize;
            }
            offset += 1;
        }
        0
    }

    /// Whether the pattern (less `prefix_fuzz` leading and `suffix_fuzz` trailing lines)
    /// matches the input starting at line `at`.
    fn matches(&self, h: &Hunk, at: isize, prefix_fuzz: isize, suffix_fuzz: isize) -> bool {
        let pat_lines = h.pattern.len() as isize - suffix_fuzz;
        let mut pline = 1 + prefix_fuzz;
        while pline <= pat_lines {
            let idx = pline - 1 + at;
            let line: &[u8] = if idx >= 1 && idx as usize <= self.input.len() {
                &self.input[idx as usize - 1]
            } else {
                b""
            };
            let pat = &h.pattern[(pline - 1) as usize].text;
            let same = if self.ignore_ws {
                similar(line, pat)
            } else {
                line == pat.as_slice()
            };
            if !same {
                return false;
            }
            pline += 1;
        }
        true
    }

    fn copy_till(&mut self, last: usize) -> bool {
        if self.last_frozen > last {
            self.messages
                .push_str("misordered hunks! output would be garbled\n");
            return false;
        }
        while self.last_frozen < last {
            self.last_frozen += 1;
            let Some(line) = self.input.get(self.last_frozen - 1) else {
                continue;
            };
            if !line.is_empty() {
                if !self.after_newline {
                    self.out.push(b'\n');
                }
                self.out.extend_from_slice(line);
                self.after_newline = line.ends_with(b"\n");
                self.zero_output = false;
            }
        }
        true
    }

    fn write(&mut self, line: &Line) {
        self.out.extend_from_slice(&line.text);
        self.after_newline = line.text.ends_with(b"\n");
        self.zero_output = false;
    }

    /// Applies `h` at line `at` (from `locate`); false when the hunks are out of order.
    pub fn apply(&mut self, h: &Hunk, at: usize) -> bool {
        let (p, r) = (&h.pattern, &h.replacement);
        let w = at.saturating_sub(1);
        let (mut old, mut new) = (0usize, 0usize);
        while old < p.len() {
            if p[old].kind == b'-' {
                if !self.copy_till(w + old) {
                    return false;
                }
                self.last_frozen += 1;
                old += 1;
            } else if new >= r.len() {
                break;
            } else if r[new].kind == b'+' {
                if !self.copy_till(w + old) {
                    return false;
                }
                self.write(&r[new]);
                new += 1;
            } else {
                old += 1;
                new += 1;
            }
        }
        if new < r.len() && r[new].kind == b'+' {
            if !self.copy_till(w + old) {
                return false;
            }
            while new < r.len() && r[new].kind == b'+' {
                if !self.after_newline {
                    self.out.push(b'\n');
                }
                self.write(&r[new]);
                new += 1;
            }
        }
        self.out_offset += r.len() as isize - p.len() as isize;
        true
    }

    /// Copies the rest of the input after the last hunk.
    pub fn finish(&mut self) -> bool {
        let n = self.input.len();
        if self.last_frozen < n {
            return self.copy_till(n);
        }
        true
    }

    /// GNU's `check_line_endings`: the first pattern line and the input line at `at` differ
    /// in ending with CR LF.
    pub fn different_line_endings(&self, h: &Hunk, at: isize) -> bool {
        let Some(first) = h.pattern.first() else {
            return false;
        };
        if first.text.is_empty() || self.input.is_empty() {
            return false;
        }
        let at = at.min(self.input.len() as isize);
        if at < 1 {
            return false;
        }
        let line = &self.input[at as usize - 1];
        if line.is_empty() {
            return false;
        }
        first.text.ends_with(b"\r\n") != line.ends_with(b"\r\n")
    }
}

/// Lines equal up to runs of blanks (`-l`); the trailing newline is ignored.
fn similar(a: &[u8], b: &[u8]) -> bool {
    let blank = |c: u8| c == b' ' || c == b'\t';
    let a = a.strip_suffix(b"\n").unwrap_or(a);
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    let (mut i, mut j) = (0, 0);
    loop {
        if j >= b.len() || blank(b[j]) {
            while j < b.len() && blank(b[j]) {
                j += 1;
            }
            if i < a.len() {
                if !blank(a[i]) {
                    return false;
                }
                while i < a.len() && blank(a[i]) {
                    i += 1;
                }
            }
            if i >= a.len() || j >= b.len() {
                return (a.len() - i) == (b.len() - j);
            }
        } else if i >= a.len() || a[i] != b[j] {
            return false;
        } else {
            i += 1;
            j += 1;
        }
    }
}

fn unified_range(out: &mut Vec<u8>, start: isize, count: usize) {
    let text = match count {
        0 => format!("{},0", start - 1),
        1 => format!("{start}"),
        _ => format!("{start},{count}"),
    };
    out.extend_from_slice(text.as_bytes());
}

/// Appends hunk `h` to a reject file in unified form; `header` is the `Index:`, `---` and
/// `+++` lines written before the first rejected hunk of a file.
pub fn reject(out: &mut Vec<u8>, h: &Hunk, header: Option<&[String]>, out_offset: isize) {
    if let Some(lines) = header {
        for l in lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"@@ -");
    unified_range(out, h.first as isize + out_offset, h.pattern.len());
    out.extend_from_slice(b" +");
    unified_range(out, h.newfirst as isize + out_offset, h.replacement.len());
    out.extend_from_slice(b" @@");
    out.extend_from_slice(&h.function);
    out.push(b'\n');
    let (p, r) = (&h.pattern, &h.replacement);
    let (mut old, mut new) = (0usize, 0usize);
    loop {
        while old < p.len() && p[old].kind == b'-' {
            out.push(b'-');
            out.extend_from_slice(&p[old].text);
            old += 1;
        }
        while new < r.len() && r[new].kind == b'+' {
            out.push(b'+');
            out.extend_from_slice(&r[new].text);
            new += 1;
        }
        if old >= p.len() {
            break;
        }
        out.push(b' ');
        out.extend_from_slice(&p[old].text);
        old += 1;
        new += 1;
    }
}
