//! `diff` (diffutils): compare two files line by line with a Myers shortest edit script, in
//! normal format or `-u`/`-U N` unified format (headers carry the files' modification times as
//! `2024-01-02 03:04:05.000000000 +0000`). `-q` and `-s` report only whether files differ.
//! Both files are read completely. Exit 0 same, 1 different, 2 trouble.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, MountTable, VPath};

use super::support::{HELP, VERSION, parse_opts, read_all, refuse_help, unsupported};
use crate::commands::files::time::{Stamp, format_full};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Diff;

const SPEC: OptSpec = OptSpec {
    short: "abBcC:dEeiNnqrsTtU:uwy",
    long: &[
        LongOpt {
            name: "brief",
            has_arg: HasArg::No,
            key: "q",
        },
        LongOpt {
            name: "report-identical-files",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "unified",
            has_arg: HasArg::Optional,
            key: "U",
        },
        LongOpt {
            name: "recursive",
            has_arg: HasArg::No,
            key: "r",
        },
        LongOpt {
            name: "new-file",
            has_arg: HasArg::No,
            key: "N",
        },
        LongOpt {
            name: "text",
            has_arg: HasArg::No,
            key: "a",
        },
        LongOpt {
            name: "ignore-case",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "ignore-all-space",
            has_arg: HasArg::No,
            key: "w",
        },
        LongOpt {
            name: "ignore-space-change",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "ignore-blank-lines",
            has_arg: HasArg::No,
            key: "B",
        },
        LongOpt {
            name: "side-by-side",
            has_arg: HasArg::No,
            key: "y",
        },
        LongOpt {
            name: "label",
            has_arg: HasArg::Required,
            key: "label",
        },
        LongOpt {
            name: "color",
            has_arg: HasArg::Optional,
            key: "color",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Splits data into lines keeping each terminator (the last line may lack one).
fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' {
            out.push(&data[start..=i]);
            start = i + 1;
        }
    }
    if start < data.len() {
        out.push(&data[start..]);
    }
    out
}

/// A change: lines `a..a_end` of file 1 replaced by `b..b_end` of file 2 (0-based, exclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Change {
    a: usize,
    a_end: usize,
    b: usize,
    b_end: usize,
}

/// Line equality through small integers, so the search compares numbers.
fn equivalence_classes<'a>(x: &[&'a [u8]], y: &[&'a [u8]]) -> (Vec<usize>, Vec<usize>) {
    let mut ids: std::collections::HashMap<&'a [u8], usize> = std::collections::HashMap::new();
    let mut classify = |lines: &[&'a [u8]]| -> Vec<usize> {
        lines
            .iter()
            .map(|&l| {
                let n = ids.len();
                *ids.entry(l).or_insert(n)
            })
            .collect()
    };
    let xs = classify(x);
    let ys = classify(y);
    (xs, ys)
}

/// GNU diff's `compareseq`/`diag`: divide and conquer on the middle snake of Myers' search,
/// which decides which of several shortest scripts is produced.
struct Search<'a> {
    xv: &'a [usize],
    yv: &'a [usize],
    fd: Vec<isize>,
    bd: Vec<isize>,
    off: isize,
    del: Vec<bool>,
    ins: Vec<bool>,
}

impl Search<'_> {
    fn diag(&mut self, xoff: isize, xlim: isize, yoff: isize, ylim: isize) -> (isize, isize) {
        let o = self.off;
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        self.fd[(fmid + o) as usize] = xoff;
        self.bd[(bmid + o) as usize] = xlim;
        loop {
            if fmin > dmin {
                fmin -= 1;
                self.fd[(fmin - 1 + o) as usize] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.fd[(fmax + 1 + o) as usize] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let tlo = self.fd[(d - 1 + o) as usize];
                let thi = self.fd[(d + 1 + o) as usize];
                let x0 = if tlo >= thi { tlo + 1 } else { thi };
                let (mut x, mut y) = (x0, x0 - d);
                while x < xlim && y < ylim && self.xv[x as usize] == self.yv[y as usize] {
                    x += 1;
                    y += 1;
                }
                self.fd[(d + o) as usize] = x;
                if odd && bmin <= d && d <= bmax && self.bd[(d + o) as usize] <= x {
                    return (x, y);
                }
                d -= 2;
            }
            if bmin > dmin {
                bmin -= 1;
                self.bd[(bmin - 1 + o) as usize] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.bd[(bmax + 1 + o) as usize] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let tlo = self.bd[(d - 1 + o) as usize];
                let thi = self.bd[(d + 1 + o) as usize];
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while xoff < x && yoff < y && self.xv[(x - 1) as usize] == self.yv[(y - 1) as usize]
                {
                    x -= 1;
                    y -= 1;
                }
                self.bd[(d + o) as usize] = x;
                if !odd && fmin <= d && d <= fmax && x <= self.fd[(d + o) as usize] {
                    return (x, y);
                }
                d -= 2;
            }
        }
    }

    fn compare(&mut self, mut xoff: isize, mut xlim: isize, mut yoff: isize, mut ylim: isize) {
        while xoff < xlim && yoff < ylim && self.xv[xoff as usize] == self.yv[yoff as usize] {
            xoff += 1;
            yoff += 1;
        }
        while xoff < xlim
            && yoff < ylim
            && self.xv[(xlim - 1) as usize] == self.yv[(ylim - 1) as usize]
        {
            xlim -= 1;
            ylim -= 1;
        }
        if xoff == xlim {
            for y in yoff..ylim {
                self.ins[y as usize] = true;
            }
        } else if yoff == ylim {
            for x in xoff..xlim {
                self.del[x as usize] = true;
            }
        } else {
            let (xmid, ymid) = self.diag(xoff, xlim, yoff, ylim);
            self.compare(xoff, xmid, yoff, ymid);
            self.compare(xmid, xlim, ymid, ylim);
        }
    }
}

/// The shortest edit script as GNU diff chooses it; returns the changes in order.
fn edit_script(x: &[&[u8]], y: &[&[u8]]) -> Vec<Change> {
    let (xv, yv) = equivalence_classes(x, y);
    let size = x.len() + y.len() + 3;
    let mut s = Search {
        xv: &xv,
        yv: &yv,
        fd: vec![0; size],
        bd: vec![0; size],
        off: y.len() as isize + 1,
        del: vec![false; x.len()],
        ins: vec![false; y.len()],
    };
    s.compare(0, x.len() as isize, 0, y.len() as isize);
    let (mut del, ins) = (s.del, s.ins);
    let mut ins = ins;
    shift_boundaries(x, &mut del, &ins);
    shift_boundaries(y, &mut ins, &del);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        if i < x.len() && j < y.len() && !del[i] && !ins[j] {
            i += 1;
            j += 1;
            continue;
        }
        let (a, b) = (i, j);
        while i < x.len() && del[i] {
            i += 1;
        }
        while j < y.len() && ins[j] {
            j += 1;
        }
        if a == i && b == j {
            // Defensive: never loop forever on an inconsistent script.
            i += 1;
            j += 1;
            continue;
        }
        out.push(Change {
            a,
            a_end: i,
            b,
            b_end: j,
        });
    }
    out
}

/// GNU diff's `shift_boundaries`: slide each run of changed lines up to merge with earlier
/// runs, then down as far as possible, then back to line up with a change in the other file,
/// so the output is the same as GNU's among equally short scripts.
fn shift_boundaries(lines: &[&[u8]], changed_in: &mut [bool], other_in: &[bool]) {
    // Padded copies with an unchanged sentinel on each side (GNU's arrays have them too).
    let n = lines.len();
    let mut changed = vec![false; n + 2];
    changed[1..=n].copy_from_slice(changed_in);
    let m = other_in.len();
    let mut other = vec![false; m + 2];
    other[1..=m].copy_from_slice(other_in);
    let eq = |a: usize, b: usize| lines[a - 1] == lines[b - 1];
    let i_end = n + 1;
    let (mut i, mut j) = (1usize, 1usize);
    loop {
        while i < i_end && !changed[i] {
            while other[j] {
                j += 1;
            }
            j += 1;
            i += 1;
        }
        if i == i_end {
            break;
        }
        let mut start = i;
        i += 1;
        while changed[i] {
            i += 1;
        }
        while other[j] {
            j += 1;
        }
        let mut corresponding;
        loop {
            let runlength = i - start;
            while start > 1 && eq(start - 1, i - 1) {
                start -= 1;
                changed[start] = true;
                i -= 1;
                changed[i] = false;
                while changed[start - 1] {
                    start -= 1;
                }
                j -= 1;
                while other[j] {
                    j -= 1;
                }
            }
            corresponding = if other[j - 1] { i } else { i_end };
            while i != i_end && eq(start, i) {
                changed[start] = false;
                start += 1;
                changed[i] = true;
                i += 1;
                while changed[i] {
                    i += 1;
                }
                j += 1;
                while other[j] {
                    j += 1;
                    corresponding = i;
                }
            }
            if runlength == i - start {
                break;
            }
        }
        while corresponding < i {
            start -= 1;
            changed[start] = true;
            i -= 1;
            changed[i] = false;
            j -= 1;
            while other[j] {
                j -= 1;
            }
        }
    }
    changed_in.copy_from_slice(&changed[1..=n]);
}

fn range(start: usize, end: usize) -> String {
    // 1-based inclusive; an empty range names the line before it.
    if end == start {
        start.to_string()
    } else if end - start == 1 {
        end.to_string()
    } else {
        format!("{},{}", start + 1, end)
    }
}

fn push_line(out: &mut Vec<u8>, prefix: &[u8], line: &[u8]) {
    out.extend_from_slice(prefix);
    out.extend_from_slice(line);
    if line.last() != Some(&b'\n') {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

fn normal(x: &[&[u8]], y: &[&[u8]], changes: &[Change]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in changes {
        let op = match (c.a == c.a_end, c.b == c.b_end) {
            (true, _) => 'a',
            (_, true) => 'd',
            _ => 'c',
        };
        let head = format!("{}{op}{}\n", range(c.a, c.a_end), range(c.b, c.b_end));
        out.extend_from_slice(head.as_bytes());
        for l in &x[c.a..c.a_end] {
            push_line(&mut out, b"< ", l);
        }
        if op == 'c' {
            out.extend_from_slice(b"---\n");
        }
        for l in &y[c.b..c.b_end] {
            push_line(&mut out, b"> ", l);
        }
    }
    out
}

fn unified_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

fn unified(x: &[&[u8]], y: &[&[u8]], changes: &[Change], ctx_lines: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        // Group changes whose gaps are at most twice the context.
        let mut j = i;
        while j + 1 < changes.len() && changes[j + 1].a - changes[j].a_end <= 2 * ctx_lines {
            j += 1;
        }
        let first = changes[i];
        let last = changes[j];
        let a0 = first.a.saturating_sub(ctx_lines);
        let b0 = first.b - (first.a - a0);
        let a1 = (last.a_end + ctx_lines).min(x.len());
        let b1 = last.b_end + (a1 - last.a_end);
        let b1 = b1.min(y.len());
        let head = format!(
            "@@ -{} +{} @@\n",
            unified_range(a0, a1 - a0),
            unified_range(b0, b1 - b0)
        );
        out.extend_from_slice(head.as_bytes());
        let mut pos = a0;
        for c in &changes[i..=j] {
            for l in &x[pos..c.a] {
                push_line(&mut out, b" ", l);
            }
            for l in &x[c.a..c.a_end] {
                push_line(&mut out, b"-", l);
            }
            for l in &y[c.b..c.b_end] {
                push_line(&mut out, b"+", l);
            }
            pos = c.a_end;
        }
        for l in &x[pos..a1] {
            push_line(&mut out, b" ", l);
        }
        i = j + 1;
    }
    out
}

async fn stamp(fs: &MountTable, path: VPath, op: &str) -> String {
    let st = if op == "-" {
        None
    } else {
        fs.stat(&path).await.ok()
    };
    let t = match st {
        Some(st) => Stamp::modified(&st),
        None => Stamp::from_system(std::time::SystemTime::now()),
    };
    format_full(t)
}

#[async_trait]
impl Command for Diff {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 2).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        let mut context = None;
        for o in &parsed.opts {
            match o.key.as_str() {
                "q" | "s" => {}
                "u" => context = Some(3),
                "U" => match o.value.as_deref().unwrap_or("3").parse::<usize>() {
                    Ok(n) => context = Some(n),
                    Err(_) => {
                        let v = o.value.clone().unwrap_or_default();
                        ctx.error(format!("invalid context length {}", lquote(&v)))
                            .await?;
                        ctx.error("Try 'diff --help' for more information.").await?;
                        return Ok(2);
                    }
                },
                k => {
                    let name = if k.len() == 1 {
                        format!("-{k}")
                    } else {
                        format!("--{k}")
                    };
                    return unsupported(ctx, &name).await;
                }
            }
        }
        let ops = &parsed.operands;
        if ops.len() != 2 {
            let m = match ops.len() {
                0 => "missing operand after 'diff'".to_string(),
                1 => format!("missing operand after '{}'", ops[0]),
                _ => format!("extra operand '{}'", ops[2]),
            };
            ctx.error(m).await?;
            ctx.error("Try 'diff --help' for more information.").await?;
            return Ok(2);
        }
        let mut data = Vec::new();
        let mut failed = false;
        for op in ops {
            match ctx.fs.stat(&ctx.path(op)).await {
                Ok(st) if st.is_dir() && op != "-" => {
                    return unsupported(ctx, "directory operands").await;
                }
                _ => {}
            }
            match read_all(ctx, op).await {
                Ok(d) => data.push(d),
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    failed = true;
                    data.push(Vec::new());
                }
            }
        }
        if failed {
            return Ok(2);
        }
        let same = data[0] == data[1];
        if same {
            if parsed.has("s") {
                let m = format!("Files {} and {} are identical\n", ops[0], ops[1]);
                ctx.stdout.write_all(m.as_bytes()).await?;
            }
            return Ok(0);
        }
        let binary = data
            .iter()
            .any(|d| d[..d.len().min(32 * 1024)].contains(&0));
        if parsed.has("q") || binary {
            let word = if binary { "Binary files" } else { "Files" };
            let m = format!("{word} {} and {} differ\n", ops[0], ops[1]);
            ctx.stdout.write_all(m.as_bytes()).await?;
            return Ok(1);
        }
        let (x, y) = (lines(&data[0]), lines(&data[1]));
        let changes = edit_script(&x, &y);
        let out = match context {
            None => normal(&x, &y, &changes),
            Some(n) => {
                let mut head = Vec::new();
                for (mark, op) in [("---", &ops[0]), ("+++", &ops[1])] {
                    let line = format!(
                        "{mark} {op}\t{}\n",
                        stamp(&ctx.fs.clone(), ctx.path(op), op).await
                    );
                    head.extend_from_slice(line.as_bytes());
                }
                head.extend(unified(&x, &y, &changes, n));
                head
            }
        };
        ctx.stdout.write_all(&out).await?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        let x = lines(b"a\nb\nc\n");
        let y = lines(b"a\nx\nc\nd\n");
        let c = edit_script(&x, &y);
        assert_eq!(normal(&x, &y, &c), b"2c2\n< b\n---\n> x\n3a4\n> d\n");
    }
}
