//! `diff -c` (context) and `diff -y` (side by side) output formats.

use super::{Change, push_line, range};

/// Groups changes whose gaps are at most twice the context into hunks: (first, last) indexes.
pub fn hunks(changes: &[Change], ctx_lines: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        let mut j = i;
        while j + 1 < changes.len() && changes[j + 1].a - changes[j].a_end <= 2 * ctx_lines {
            j += 1;
        }
        out.push((i, j));
        i = j + 1;
    }
    out
}

/// The context-format body (after the two header lines).
pub fn context(x: &[&[u8]], y: &[&[u8]], changes: &[Change], ctx_lines: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, j) in hunks(changes, ctx_lines) {
        let group = &changes[i..=j];
        let (first, last) = (group[0], group[group.len() - 1]);
        let a0 = first.a.saturating_sub(ctx_lines);
        let b0 = first.b - (first.a - a0);
        let a1 = (last.a_end + ctx_lines).min(x.len());
        let b1 = (last.b_end + (a1 - last.a_end)).min(y.len());
        out.extend_from_slice(b"***************\n");
        out.extend_from_slice(format!("*** {} ****\n", range(a0, a1)).as_bytes());
        if group.iter().any(|c| c.a < c.a_end) {
            let mut pos = a0;
            for c in group {
                for l in &x[pos..c.a] {
                    push_line(&mut out, b"  ", l);
                }
                let mark: &[u8] = if c.b < c.b_end { b"! " } else { b"- " };
                for l in &x[c.a..c.a_end] {
                    push_line(&mut out, mark, l);
                }
                pos = c.a_end;
            }
            for l in &x[pos..a1] {
                push_line(&mut out, b"  ", l);
            }
        }
        out.extend_from_slice(format!("--- {} ----\n", range(b0, b1)).as_bytes());
        if group.iter().any(|c| c.b < c.b_end) {
            let mut pos = b0;
            for c in group {
                for l in &y[pos..c.b] {
                    push_line(&mut out, b"  ", l);
                }
                let mark: &[u8] = if c.a < c.a_end { b"! " } else { b"+ " };
                for l in &y[c.b..c.b_end] {
                    push_line(&mut out, mark, l);
                }
                pos = c.b_end;
            }
            for l in &y[pos..b1] {
                push_line(&mut out, b"  ", l);
            }
        }
    }
    out
}

/// `diff -e`: an ed script, changes from the last to the first.
pub fn ed(y: &[&[u8]], changes: &[Change]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in changes.iter().rev() {
        let head = if c.a == c.a_end {
            format!("{}a\n", c.a)
        } else {
            let r = if c.a_end - c.a == 1 {
                c.a_end.to_string()
            } else {
                format!("{},{}", c.a + 1, c.a_end)
            };
            format!("{r}{}\n", if c.b == c.b_end { 'd' } else { 'c' })
        };
        out.extend_from_slice(head.as_bytes());
        if c.b < c.b_end {
            let mut insert_mode = true;
            for l in &y[c.b..c.b_end] {
                if !insert_mode {
                    out.extend_from_slice(b"a\n");
                    insert_mode = true;
                }
                if *l == b".\n" {
                    // A lone `.` would end the insertion: GNU doubles it and fixes it up.
                    out.extend_from_slice(b"..\n.\ns/.//\n");
                    insert_mode = false;
                } else {
                    out.extend_from_slice(l);
                    if l.last() != Some(&b'\n') {
                        out.push(b'\n');
                    }
                }
            }
            if insert_mode {
                out.extend_from_slice(b".\n");
            }
        }
    }
    out
}

/// Display width of a character in a terminal column count (East Asian wide = 2).
fn char_width(c: char) -> usize {
    let u = c as u32;
    if matches!(u, 0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f) {
        return 0;
    }
    let wide = matches!(u,
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1f64f
        | 0x1f900..=0x1f9ff
        | 0x20000..=0x3fffd);
    if wide { 2 } else { 1 }
}

const TAB: usize = 8;

/// Side-by-side column layout for a total width, as diffutils computes it.
pub fn widths(width: usize) -> (usize, usize) {
    let off = (width + TAB + 3) / (2 * TAB) * TAB;
    let half = off.saturating_sub(3).min(width.saturating_sub(off));
    let col2 = if half > 0 { off } else { width };
    (half, col2)
}

fn tab_from_to(out: &mut Vec<u8>, mut from: usize, to: usize) -> usize {
    let mut tab = from + TAB - from % TAB;
    while tab <= to {
        out.push(b'\t');
        from = tab;
        tab += TAB;
    }
    while from < to {
        out.push(b' ');
        from += 1;
    }
    to
}

/// Prints up to `bound` columns of `line` starting at column `indent`; returns the column.
fn half_line(out: &mut Vec<u8>, line: &[u8], indent: usize, bound: usize) -> usize {
    let text = String::from_utf8_lossy(line);
    let (mut in_pos, mut out_pos) = (indent, indent);
    let bound = indent + bound;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match c {
            '\n' => break,
            '\t' => {
                let spaces = TAB - in_pos % TAB;
                if in_pos == out_pos {
                    let stop = out_pos + spaces;
                    if stop < bound {
                        out_pos = stop;
                        out.push(b'\t');
                    }
                }
                in_pos += spaces;
            }
            '\r' => {
                out.push(b'\r');
                in_pos = 0;
                out_pos = 0;
            }
            _ => {
                let w = char_width(c);
                if in_pos + w <= bound {
                    out_pos = in_pos + w;
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                in_pos += w;
            }
        }
    }
    out_pos
}

fn one_line(
    out: &mut Vec<u8>,
    left: Option<&[u8]>,
    sep: u8,
    right: Option<&[u8]>,
    (half, col2): (usize, usize),
) {
    let mut col = 0;
    let mut newline = false;
    if let Some(l) = left {
        newline |= l.last() == Some(&b'\n');
        col = half_line(out, l, 0, half);
    }
    if sep != b' ' {
        col = tab_from_to(out, col, (half + col2 - 1) / 2) + 1;
        let mut sep = sep;
        if sep == b'|'
            && let Some(r) = right
            && newline != (r.last() == Some(&b'\n'))
        {
            sep = if newline { b'/' } else { b'\\' };
        }
        out.push(sep);
    }
    if let Some(r) = right {
        newline |= r.last() == Some(&b'\n');
        if r.first() != Some(&b'\n') {
            col = tab_from_to(out, col, col2);
            half_line(out, r, col, half);
        }
    }
    if newline {
        out.push(b'\n');
    }
}

/// The side-by-side listing of both files.
pub fn side_by_side(
    x: &[&[u8]],
    y: &[&[u8]],
    changes: &[Change],
    width: usize,
    suppress_common: bool,
) -> Vec<u8> {
    let w = widths(width);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let common = |out: &mut Vec<u8>, i: usize, j: usize| {
        if !suppress_common {
            one_line(out, Some(x[i]), b' ', Some(y[j]), w);
        }
    };
    for c in changes {
        while i < c.a {
            common(&mut out, i, j);
            i += 1;
            j += 1;
        }
        let (n, m) = (c.a_end - c.a, c.b_end - c.b);
        for k in 0..n.max(m) {
            match (k < n, k < m) {
                (true, true) => one_line(&mut out, Some(x[c.a + k]), b'|', Some(y[c.b + k]), w),
                (true, false) => one_line(&mut out, Some(x[c.a + k]), b'<', None, w),
                _ => one_line(&mut out, None, b'>', Some(y[c.b + k]), w),
            }
        }
        i = c.a_end;
        j = c.b_end;
    }
    while i < x.len() && j < y.len() {
        common(&mut out, i, j);
        i += 1;
        j += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(widths(130), (61, 64));
        assert_eq!(widths(40), (16, 24));
    }
}
