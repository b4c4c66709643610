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

#[path = "diff_fmt.rs"]
mod diff_fmt;

pub struct Diff;

const SPEC: OptSpec = OptSpec {
    short: "abBcC:dEeiI:NnqrsTtU:uwW:y",
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
            name: "width",
            has_arg: HasArg::Required,
            key: "W",
        },
        LongOpt {
            name: "suppress-common-lines",
            has_arg: HasArg::No,
            key: "suppress-common-lines",
        },
        LongOpt {
            name: "context",
            has_arg: HasArg::Optional,
            key: "C",
        },
        LongOpt {
            name: "normal",
            has_arg: HasArg::No,
            key: "normal",
        },
        LongOpt {
            name: "ed",
            has_arg: HasArg::No,
            key: "e",
        },
        LongOpt {
            name: "minimal",
            has_arg: HasArg::No,
            key: "d",
        },
        LongOpt {
            name: "ignore-matching-lines",
            has_arg: HasArg::Required,
            key: "I",
        },
        LongOpt {
            name: "strip-trailing-cr",
            has_arg: HasArg::No,
            key: "strip-trailing-cr",
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

async fn stamp(fs: &MountTable, path: VPath, op: &str, missing: bool) -> String {
    if missing {
        return format_full(Stamp::EPOCH);
    }
    let st = if op == "-" {
        None
    } else {
        fs.stat(&path).await.ok()
    };
    let t = match st.and_then(|st| st.modified) {
        Some(t) => Stamp::from_system(t),
        None => Stamp::from_system(std::time::SystemTime::now()),
    };
    format_full(t)
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Normal,
    Unified(usize),
    Context(usize),
    Side { width: usize, suppress: bool },
    Ed,
}

struct Opts {
    brief: bool,
    report_same: bool,
    format: Format,
    icase: bool,
    ws_all: bool,
    ws_change: bool,
    blank: bool,
    new_file: bool,
    recursive: bool,
    text: bool,
    /// `diff` and the options as given, for the line before each file pair in a directory.
    header: String,
    /// `--label`s: shown instead of the names and times in unified and context headers.
    labels: Vec<String>,
    /// `--strip-trailing-cr`: a CR before a newline is not part of the line.
    strip_cr: bool,
    /// `-I RE`: changes whose lines all match one of these (or are blank with `-B`) are
    /// left out.
    ignore: Vec<regex::bytes::Regex>,
}

impl Opts {
    /// Whether `-B`/`-I` let this line go unreported.
    fn ignorable(&self, line: &[u8]) -> bool {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        self.blank && body.iter().all(u8::is_ascii_whitespace)
            || self.ignore.iter().any(|re| re.is_match(body))
    }
}

/// Drops the CR of each CRLF (not a final CR without a newline), as `--strip-trailing-cr`.
fn strip_cr(data: Vec<u8>) -> Vec<u8> {
    if !data.windows(2).any(|w| w == b"\r\n") {
        return data;
    }
    let mut out = Vec::with_capacity(data.len());
    for (i, &b) in data.iter().enumerate() {
        if b == b'\r' && data.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// The comparison key of a line under `-i`, `-w` and `-b`.
fn key(o: &Opts, line: &[u8]) -> Vec<u8> {
    let (body, nl) = match line.strip_suffix(b"\n") {
        Some(b) => (b, true),
        None => (line, false),
    };
    let mut out: Vec<u8> = Vec::with_capacity(line.len());
    if o.ws_all {
        out.extend(body.iter().filter(|b| !b.is_ascii_whitespace()));
    } else if o.ws_change {
        let mut in_space = false;
        for &b in body {
            if b.is_ascii_whitespace() {
                in_space = true;
            } else {
                if in_space && !out.is_empty() {
                    out.push(b' ');
                }
                in_space = false;
                out.push(b);
            }
        }
        if in_space && out.is_empty() && !body.is_empty() {
            out.push(b' ');
        }
    } else {
        out.extend_from_slice(body);
    }
    if o.icase {
        out = String::from_utf8_lossy(&out).to_lowercase().into_bytes();
    }
    if nl {
        out.push(b'\n');
    }
    out
}

fn join_path(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Compares two files; `header` is printed before any output (directory comparisons).
async fn compare_files(
    ctx: &mut CommandContext,
    o: &Opts,
    a: &str,
    b: &str,
    header: bool,
) -> std::io::Result<i32> {
    let mut data = Vec::new();
    let mut missing = [false, false];
    for (i, op) in [a, b].into_iter().enumerate() {
        if op == "/dev/null" {
            data.push(Vec::new());
            continue;
        }
        match read_all(ctx, op).await {
            Ok(d) if o.strip_cr => data.push(strip_cr(d)),
            Ok(d) => data.push(d),
            Err(e) if o.new_file && e.kind == mirage_core::ErrorKind::NotFound => {
                missing[i] = true;
                data.push(Vec::new());
            }
            Err(e) => {
                ctx.error(format!("{op}: {e}")).await?;
                return Ok(2);
            }
        }
    }
    if data[0] == data[1] {
        if o.report_same {
            let m = format!("Files {a} and {b} are identical\n");
            ctx.stdout.write_all(m.as_bytes()).await?;
        }
        return Ok(0);
    }
    let binary = !o.text
        && data
            .iter()
            .any(|d| d[..d.len().min(32 * 1024)].contains(&0));
    if binary {
        let m = format!("Binary files {a} and {b} differ\n");
        ctx.stdout.write_all(m.as_bytes()).await?;
        return Ok(1);
    }
    let (x, y) = (lines(&data[0]), lines(&data[1]));
    let filtered = o.icase || o.ws_all || o.ws_change;
    let mut changes = if filtered {
        let kx: Vec<Vec<u8>> = x.iter().map(|l| key(o, l)).collect();
        let ky: Vec<Vec<u8>> = y.iter().map(|l| key(o, l)).collect();
        let rx: Vec<&[u8]> = kx.iter().map(|v| v.as_slice()).collect();
        let ry: Vec<&[u8]> = ky.iter().map(|v| v.as_slice()).collect();
        edit_script(&rx, &ry)
    } else {
        edit_script(&x, &y)
    };
    if o.blank || !o.ignore.is_empty() {
        // As GNU: a hunk (changes within twice the context of each other) is left out when
        // every line it changes is ignorable; otherwise it is shown whole.
        let ctx_lines = match o.format {
            Format::Unified(n) | Format::Context(n) => n,
            _ => 0,
        };
        let quiet = |c: &Change| {
            x[c.a..c.a_end].iter().all(|l| o.ignorable(l))
                && y[c.b..c.b_end].iter().all(|l| o.ignorable(l))
        };
        let mut kept = Vec::with_capacity(changes.len());
        for (first, last) in diff_fmt::hunks(&changes, ctx_lines) {
            let hunk = &changes[first..=last];
            if !hunk.iter().all(quiet) {
                kept.extend_from_slice(hunk);
            }
        }
        changes = kept;
    }
    if changes.is_empty() {
        if o.report_same {
            let m = format!("Files {a} and {b} are identical\n");
            ctx.stdout.write_all(m.as_bytes()).await?;
        }
        return Ok(0);
    }
    if o.brief {
        let m = format!("Files {a} and {b} differ\n");
        ctx.stdout.write_all(m.as_bytes()).await?;
        return Ok(1);
    }
    let mut out = Vec::new();
    if header {
        out.extend_from_slice(format!("{} {a} {b}\n", o.header).as_bytes());
    }
    let fs = ctx.fs.clone();
    match o.format {
        Format::Normal => out.extend(normal(&x, &y, &changes)),
        Format::Ed => out.extend(diff_fmt::ed(&y, &changes)),
        Format::Side { width, suppress } => {
            out.extend(diff_fmt::side_by_side(&x, &y, &changes, width, suppress))
        }
        Format::Unified(n) | Format::Context(n) => {
            let unified_fmt = matches!(o.format, Format::Unified(_));
            let marks = if unified_fmt {
                ["---", "+++"]
            } else {
                ["***", "---"]
            };
            for (i, (mark, op)) in marks.into_iter().zip([a, b]).enumerate() {
                if let Some(label) = o.labels.get(i) {
                    out.extend_from_slice(format!("{mark} {label}\n").as_bytes());
                    continue;
                }
                let t = stamp(&fs, ctx.path(op), op, missing[i]).await;
                out.extend_from_slice(format!("{mark} {op}\t{t}\n").as_bytes());
            }
            if unified_fmt {
                out.extend(unified(&x, &y, &changes, n));
            } else {
                out.extend(diff_fmt::context(&x, &y, &changes, n));
            }
        }
    }
    ctx.stdout.write_all(&out).await?;
    Ok(1)
}

/// Compares two directories entry by entry (recursing with `-r`).
fn compare_dirs<'a>(
    ctx: &'a mut CommandContext,
    o: &'a Opts,
    a: String,
    b: String,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<i32>> + Send + 'a>> {
    Box::pin(async move {
        let fs = ctx.fs.clone();
        let mut lists = Vec::new();
        for d in [&a, &b] {
            match fs.list(&ctx.path(d)).await {
                Ok(entries) => lists.push(
                    entries
                        .into_iter()
                        .map(|e| (e.name, e.stat.is_dir()))
                        .collect::<std::collections::BTreeMap<String, bool>>(),
                ),
                Err(e) => {
                    ctx.error(format!("{d}: {e}")).await?;
                    return Ok(2);
                }
            }
        }
        let names: std::collections::BTreeSet<&String> =
            lists[0].keys().chain(lists[1].keys()).collect();
        let mut status = 0;
        for name in names {
            let (pa, pb) = (join_path(&a, name), join_path(&b, name));
            let s = match (lists[0].get(name), lists[1].get(name)) {
                (Some(&da), Some(&db)) => match (da, db) {
                    (true, true) if o.recursive => compare_dirs(ctx, o, pa, pb).await?,
                    (true, true) => {
                        let m = format!("Common subdirectories: {pa} and {pb}\n");
                        ctx.stdout.write_all(m.as_bytes()).await?;
                        0
                    }
                    (false, false) => compare_files(ctx, o, &pa, &pb, true).await?,
                    (da, _) => {
                        let kind = |d: bool| if d { "directory" } else { "regular file" };
                        let m = format!(
                            "File {pa} is a {} while file {pb} is a {}\n",
                            kind(da),
                            kind(!da)
                        );
                        ctx.stdout.write_all(m.as_bytes()).await?;
                        1
                    }
                },
                (Some(&false), None) if o.new_file => compare_files(ctx, o, &pa, &pb, true).await?,
                (None, Some(&false)) if o.new_file => compare_files(ctx, o, &pa, &pb, true).await?,
                (Some(_), _) => {
                    let m = format!("Only in {a}: {name}\n");
                    ctx.stdout.write_all(m.as_bytes()).await?;
                    1
                }
                _ => {
                    let m = format!("Only in {b}: {name}\n");
                    ctx.stdout.write_all(m.as_bytes()).await?;
                    1
                }
            };
            status = status.max(s);
        }
        Ok(status)
    })
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
        let mut o = Opts {
            brief: false,
            report_same: false,
            format: Format::Normal,
            icase: false,
            ws_all: false,
            ws_change: false,
            blank: false,
            new_file: false,
            recursive: false,
            text: false,
            header: String::new(),
            labels: Vec::new(),
            strip_cr: false,
            ignore: Vec::new(),
        };
        let mut side = false;
        let mut width = 130usize;
        let mut suppress = false;
        for opt in &parsed.opts {
            match opt.key.as_str() {
                "q" => o.brief = true,
                "s" => o.report_same = true,
                "i" => o.icase = true,
                "w" => o.ws_all = true,
                "b" => o.ws_change = true,
                "B" => o.blank = true,
                "N" => o.new_file = true,
                "r" => o.recursive = true,
                "a" => o.text = true,
                "d" => {}
                "y" => side = true,
                "strip-trailing-cr" => o.strip_cr = true,
                "I" => {
                    let pat = opt.value.clone().unwrap_or_default();
                    match super::bre::compile(pat.as_bytes(), false) {
                        Ok(re) => o.ignore.push(re),
                        Err(_) => {
                            ctx.error(format!("{pat}: Invalid regular expression"))
                                .await?;
                            return Ok(2);
                        }
                    }
                }
                "label" => {
                    if o.labels.len() == 2 {
                        ctx.error("too many file label options").await?;
                        return Ok(2);
                    }
                    o.labels.push(opt.value.clone().unwrap_or_default());
                }
                "suppress-common-lines" => suppress = true,
                "color"
                    if opt
                        .value
                        .as_deref()
                        .is_none_or(|v| v == "never" || v == "auto") => {}
                "u" => o.format = Format::Unified(3),
                "normal" => o.format = Format::Normal,
                "e" => o.format = Format::Ed,
                "c" => o.format = Format::Context(3),
                "U" | "C" | "W" => {
                    let v = opt.value.clone().unwrap_or_else(|| "3".to_string());
                    match v.parse::<usize>() {
                        Ok(n) if opt.key == "U" => o.format = Format::Unified(n),
                        Ok(n) if opt.key == "C" => o.format = Format::Context(n),
                        Ok(n) if n > 0 => width = n,
                        _ => {
                            let what = if opt.key == "W" {
                                "width"
                            } else {
                                "context length"
                            };
                            ctx.error(format!("invalid {what} {}", lquote(&v))).await?;
                            ctx.error("Try 'diff --help' for more information.").await?;
                            return Ok(2);
                        }
                    }
                }
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
        if side {
            if o.format != Format::Normal {
                ctx.error("conflicting output style options").await?;
                ctx.error("Try 'diff --help' for more information.").await?;
                return Ok(2);
            }
            o.format = Format::Side { width, suppress };
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
        // `diff` and its options as typed, for GNU's per-file header in directories.
        let mut rest: Vec<&String> = args.iter().collect();
        for op in ops.iter().rev() {
            if let Some(i) = rest.iter().rposition(|a| *a == op) {
                rest.remove(i);
            }
        }
        o.header = std::iter::once("diff".to_string())
            .chain(rest.iter().map(|a| a.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
        let fs = ctx.fs.clone();
        let mut kinds = Vec::new();
        let mut status = 0;
        for op in ops {
            if op == "-" || op == "/dev/null" {
                kinds.push(Some(false));
                continue;
            }
            match fs.stat(&ctx.path(op)).await {
                Ok(st) => kinds.push(Some(st.is_dir())),
                Err(e) if o.new_file && e.kind == mirage_core::ErrorKind::NotFound => {
                    kinds.push(None)
                }
                Err(e) => {
                    ctx.error(format!("{op}: {e}")).await?;
                    status = 2;
                    kinds.push(None);
                }
            }
        }
        if status != 0 {
            return Ok(status);
        }
        let (a, b) = (ops[0].clone(), ops[1].clone());
        match (kinds[0], kinds[1]) {
            (Some(true), Some(true)) => Ok(compare_dirs(ctx, &o, a, b).await?),
            (Some(true), _) if b != "-" => {
                let name = base(&b);
                Ok(compare_files(ctx, &o, &join_path(&a, &name), &b, false).await?)
            }
            (_, Some(true)) if a != "-" => {
                let name = base(&a);
                Ok(compare_files(ctx, &o, &a, &join_path(&b, &name), false).await?)
            }
            (Some(true), _) | (_, Some(true)) => {
                ctx.error("cannot compare '-' to a directory").await?;
                Ok(2)
            }
            (None, None) => {
                for op in [&a, &b] {
                    ctx.error(format!("{op}: No such file or directory"))
                        .await?;
                }
                Ok(2)
            }
            _ => Ok(compare_files(ctx, &o, &a, &b, false).await?),
        }
    }
}

fn base(op: &str) -> String {
    op.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(op)
        .to_string()
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
