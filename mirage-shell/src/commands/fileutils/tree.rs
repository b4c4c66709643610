//! `tree` (tree 2.1 output): `-a -d -f -i -F -J -L N -I PAT -P PAT -s -h -r --filelimit N
//! --matchdirs --prune --dirsfirst --filesfirst --ignore-case --noreport`; links show their
//! target and are not followed. Entries are sorted by byte order
//! (tree's `strcoll` in C.UTF-8), lines are written as the walk goes, and the final
//! `N directories, M files` report (continuation columns are `│`, two no-break spaces, space) counts a root only when it shows at least one entry, as
//! tree 2.1 does. tree parses its options by hand (not getopt), so this does too.

use std::io;

use async_trait::async_trait;
use futures::future::BoxFuture;
use mirage_core::{Command, CommandContext, CommandResult, VPath};

use crate::commands::common::unsupported;

pub struct Tree;

/// tree's usage text, printed after an invalid argument.
const USAGE: &str = "usage: tree [-acdfghilnpqrstuvxACDFJQNSUX] [-L level [-R]] [-H  baseHREF]
\t[-T title] [-o filename] [-P pattern] [-I pattern] [--gitignore]
\t[--gitfile[=]file] [--matchdirs] [--metafirst] [--ignore-case]
\t[--nolinks] [--hintro[=]file] [--houtro[=]file] [--inodes] [--device]
\t[--sort[=]<name>] [--dirsfirst] [--filesfirst] [--filelimit #] [--si]
\t[--du] [--prune] [--charset[=]X] [--timefmt[=]format] [--fromfile]
\t[--fflinks] [--info] [--infofile[=]file] [--noreport] [--version]
\t[--help] [--] [directory ...]
";

/// Short flags tree knows but Mirage does not implement.
const UNSUPPORTED_SHORT: &str = "cglnpqtuvxACDQNSUXRHTOo";

/// Long options tree knows but Mirage does not implement.
const UNSUPPORTED_LONG: &[&str] = &[
    "help",
    "version",
    "inodes",
    "device",
    "noreport-x",
    "nolinks",
    "si",
    "du",
    "charset",
    "timefmt",
    "sort",
    "metafirst",
    "gitignore",
    "gitfile",
    "fromfile",
    "fflinks",
    "info",
    "infofile",
    "hintro",
    "houtro",
];

#[derive(Default)]
struct Options {
    all: bool,
    dirs_only: bool,
    full_path: bool,
    no_indent: bool,
    max_level: Option<usize>,
    no_report: bool,
    /// `-F`: `/` after directories, `*` after executables, `@` after links.
    classify: bool,
    /// `-I`: names to leave out (files and directories).
    ignore: Vec<String>,
    /// `-P`: the only file names to show (directories are always shown).
    pattern: Vec<String>,
    ignore_case: bool,
    /// `--prune`: leave out directories with nothing to show beneath them.
    prune: bool,
    dirs_first: bool,
    files_first: bool,
    /// `--matchdirs`: `-P` also applies to directory paths, showing all of a matching one.
    match_dirs: bool,
    /// `-J`: JSON output.
    json: bool,
    /// `-s`: sizes in bytes before names.
    sizes: bool,
    /// `-h`: sizes in tree's human-readable form.
    human: bool,
    /// `-r`: reverse the name order.
    reverse: bool,
    /// `--filelimit N`: directories with more than N entries are not opened (0: no limit).
    file_limit: usize,
}

/// What parsing the arguments decided.
enum Parse {
    Run(Options, Vec<String>),
    /// Print this message (and maybe the usage), exit 1.
    Fail(String, bool),
    /// An option Mirage does not implement.
    Unsupported(String),
}

fn parse_args(args: &[String]) -> Parse {
    let mut o = Options::default();
    let mut operands = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_operands || !arg.starts_with('-') || arg == "-" {
            operands.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            if long == "noreport" {
                o.no_report = true;
            } else if long == "prune" {
                o.prune = true;
            } else if long == "dirsfirst" {
                (o.dirs_first, o.files_first) = (true, false);
            } else if long == "filesfirst" {
                (o.dirs_first, o.files_first) = (false, true);
            } else if long == "ignore-case" {
                o.ignore_case = true;
            } else if long == "matchdirs" {
                o.match_dirs = true;
            } else if name == "filelimit" {
                // `--filelimit=N` or `--filelimit N`; tree reads N with atoi.
                let value = match long.split_once('=') {
                    Some((_, v)) => v.to_string(),
                    None => match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Parse::Fail("Missing argument to --filelimit".into(), false);
                        }
                    },
                };
                let digits: String = value
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                o.file_limit = digits.parse().unwrap_or(0);
            } else if UNSUPPORTED_LONG.contains(&name) {
                return Parse::Unsupported(format!("--{name}"));
            } else {
                return Parse::Fail(format!("Invalid argument `{arg}'."), true);
            }
            continue;
        }
        for c in arg.chars().skip(1) {
            match c {
                'a' => o.all = true,
                'd' => o.dirs_only = true,
                'f' => o.full_path = true,
                'i' => o.no_indent = true,
                'F' => o.classify = true,
                'J' => o.json = true,
                's' => o.sizes = true,
                'h' => o.human = true,
                'r' => o.reverse = true,
                'I' | 'P' => {
                    let Some(pattern) = args.get(i) else {
                        return Parse::Fail(format!("Missing argument to -{c} option."), false);
                    };
                    i += 1;
                    if c == 'I' {
                        o.ignore.push(pattern.clone());
                    } else {
                        o.pattern.push(pattern.clone());
                    }
                }
                'L' => {
                    let Some(level) = args.get(i) else {
                        return Parse::Fail("Missing argument to -L option.".into(), false);
                    };
                    i += 1;
                    match level.parse::<usize>() {
                        Ok(n) if n > 0 => o.max_level = Some(n),
                        _ => {
                            return Parse::Fail(
                                "Invalid level, must be greater than 0.".into(),
                                false,
                            );
                        }
                    }
                }
                _ if UNSUPPORTED_SHORT.contains(c) => {
                    return Parse::Unsupported(format!("-{c}"));
                }
                _ => return Parse::Fail(format!("Invalid argument -`{c}'."), true),
            }
        }
    }
    if operands.is_empty() {
        operands.push(".".to_string());
    }
    if o.json && (o.sizes || o.human) {
        return Parse::Unsupported("-J with -s/-h".into());
    }
    if o.match_dirs && o.prune {
        // tree's pruning of matched directories does not follow a simple rule.
        return Parse::Unsupported("--matchdirs with --prune".into());
    }
    Parse::Run(o, operands)
}

/// tree shows control characters as `\ooo`.
fn printable(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if (c as u32) < 0x20 || c == '\u{7f}' {
            out.push_str(&format!("\\{:03o}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// tree's own wildcard matching of one `|`-free alternative against a name or path (bytes,
/// ASCII case folding under `--ignore-case`). `?` is any byte; `[set]` with `^` negating and
/// `a-z` ranges; `\\` escapes; a trailing `/` matches a directory; `*` at the end matches what
/// has no `/`, elsewhere it may take a leading `/` but stops before the next one; `**` crosses
/// directories. `None` is a malformed pattern, which matches nothing.
fn glob(pat: &[u8], buf: &[u8], isdir: bool, fold: bool) -> Option<bool> {
    glob_memo(pat, buf, isdir, fold, &mut std::collections::HashMap::new())
}

/// Results by remaining lengths: a suffix of the pattern against a suffix of the name always
/// gives the same answer, and remembering it keeps patterns with many stars polynomial.
type Memo = std::collections::HashMap<(usize, usize), Option<bool>>;

fn glob_memo(pat: &[u8], buf: &[u8], isdir: bool, fold: bool, memo: &mut Memo) -> Option<bool> {
    let key = (pat.len(), buf.len());
    if let Some(&known) = memo.get(&key) {
        return known;
    }
    let result = glob_once(pat, buf, isdir, fold, memo);
    memo.insert(key, result);
    result
}

fn glob_once(pat: &[u8], buf: &[u8], isdir: bool, fold: bool, memo: &mut Memo) -> Option<bool> {
    let low = |c: u8| if fold { c.to_ascii_lowercase() } else { c };
    let (mut p, mut b) = (0usize, 0usize);
    let mut prev = 0u8;
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    while p < pat.len() {
        let ok = match pat[p] {
            b'[' => {
                p += 1;
                let negate = at(pat, p) == b'^';
                if negate {
                    p += 1;
                }
                let mut hit = false;
                let c = low(at(buf, b));
                while at(pat, p) != b']' {
                    if at(pat, p) == b'\\' {
                        p += 1;
                    }
                    if p >= pat.len() {
                        return None;
                    }
                    if at(pat, p + 1) == b'-' {
                        let lo = low(pat[p]);
                        p += 2;
                        if at(pat, p) == b'\\' {
                            p += 1;
                        }
                        if c >= lo && c <= low(at(pat, p)) {
                            hit = true;
                        }
                    } else if c == low(pat[p]) {
                        hit = true;
                    }
                    p += 1;
                }
                b += 1;
                hit != negate
            }
            b'*' => {
                p += 1;
                if p == pat.len() {
                    return Some(!buf[b.min(buf.len())..].contains(&b'/'));
                }
                let rest = &pat[p..];
                if rest[0] == b'*' {
                    let rest = &rest[1..];
                    if rest.is_empty() {
                        return Some(true);
                    }
                    let mut i = b;
                    while i < buf.len() {
                        if glob_memo(rest, &buf[i..], isdir, fold, memo) == Some(true) {
                            return Some(true);
                        }
                        if prev == b'/'
                            && rest[0] == b'/'
                            && rest.len() > 1
                            && glob_memo(&rest[1..], &buf[i..], isdir, fold, memo) == Some(true)
                        {
                            return Some(true);
                        }
                        i += 1;
                        while i < buf.len() && buf[i] != b'/' {
                            i += 1;
                        }
                    }
                    return Some(
                        (i >= buf.len() || buf[i] == b'/')
                            && glob_memo(rest, &buf[i.min(buf.len())..], isdir, fold, memo)
                                == Some(true),
                    );
                }
                let mut i = b;
                while i < buf.len() {
                    if glob_memo(rest, &buf[i..], isdir, fold, memo) == Some(true) {
                        return Some(true);
                    }
                    i += 1;
                    if at(buf, i) == b'/' {
                        break;
                    }
                }
                return Some(
                    (i >= buf.len() || buf[i] == b'/')
                        && glob_memo(rest, &buf[i.min(buf.len())..], isdir, fold, memo)
                            == Some(true),
                );
            }
            b'?' => {
                if b >= buf.len() {
                    return Some(false);
                }
                b += 1;
                true
            }
            b'/' if p + 1 == pat.len() && b >= buf.len() => return Some(isdir),
            c => {
                let c = if c == b'\\' && p + 1 < pat.len() {
                    p += 1;
                    pat[p]
                } else {
                    c
                };
                let same = b < buf.len() && low(buf[b]) == low(c);
                b += 1;
                same
            }
        };
        prev = at(pat, p);
        p += 1;
        if !ok {
            return Some(false);
        }
    }
    Some(b >= buf.len())
}

/// Whether `name` matches one of the `|`-separated alternatives of any pattern. A malformed
/// pattern counts as a match, as tree's error value does.
fn matches_any(patterns: &[String], name: &str, is_dir: bool, fold: bool) -> bool {
    patterns.iter().any(|p| {
        let alts: Vec<&str> = p.split('|').collect();
        if alts.len() > 1 && alts.iter().any(|a| a.is_empty()) {
            return true;
        }
        alts.iter()
            .any(|alt| glob(alt.as_bytes(), name.as_bytes(), is_dir, fold) != Some(false))
    })
}

/// The `-F` mark of an entry.
fn classify(st: &mirage_core::FileStat) -> &'static str {
    if st.is_symlink() {
        "@"
    } else if st.is_dir() {
        "/"
    } else if st.mode.is_some_and(|m| m & 0o111 != 0) {
        "*"
    } else {
        ""
    }
}

/// The path of `name` below the root, given its directory's.
fn child_rel(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// The entries of `dir` tree shows, in order, after `-a`, `-d`, `-I`, `-P` and `--prune`.
/// One entry to show; a symbolic link carries its target and what that target is.
struct Node {
    name: String,
    stat: mirage_core::FileStat,
    link: Option<(String, Option<mirage_core::FileStat>)>,
    /// A directory, or a link to one (which tree shows but does not descend into).
    is_dir: bool,
}

fn visible<'a>(
    fs: &'a mirage_core::MountTable,
    o: &'a Options,
    dir: VPath,
    rel: String,
    level: usize,
) -> BoxFuture<'a, Vec<Node>> {
    Box::pin(async move {
        let Ok(entries) = fs.list(&dir).await else {
            return Vec::new();
        };
        // `--matchdirs`: in a directory whose path below the root matches `-P`, every file is
        // shown.
        let unfiltered =
            o.match_dirs && !rel.is_empty() && matches_any(&o.pattern, &rel, true, o.ignore_case);
        let mut out = Vec::new();
        for e in entries {
            let link = if e.stat.is_symlink() {
                let path = dir.join(&e.name);
                let target = fs.link_target(&path).unwrap_or_default();
                Some((target, fs.stat(&path).await.ok()))
            } else {
                None
            };
            let is_dir = match &link {
                Some((_, target)) => target.as_ref().is_some_and(|t| t.is_dir()),
                None => e.stat.is_dir(),
            };
            if (!o.all && e.name.starts_with('.'))
                || (o.dirs_only && !is_dir)
                || matches_any(&o.ignore, &e.name, is_dir, o.ignore_case)
                || ((!is_dir || link.is_some())
                    && !unfiltered
                    && !o.pattern.is_empty()
                    && !matches_any(&o.pattern, &e.name, is_dir, o.ignore_case))
            {
                continue;
            }
            if is_dir && o.prune && !o.dirs_only {
                // A link to a directory is not followed, so it counts as empty.
                let deeper = o.max_level.is_none_or(|max| level < max);
                if !deeper
                    || link.is_some()
                    || visible(
                        fs,
                        o,
                        dir.join(&e.name),
                        child_rel(&rel, &e.name),
                        level + 1,
                    )
                    .await
                    .is_empty()
                {
                    continue;
                }
            }
            out.push(Node {
                name: e.name,
                stat: e.stat,
                link,
                is_dir,
            });
        }
        if o.reverse {
            out.reverse();
        }
        if o.dirs_first || o.files_first {
            out.sort_by_key(|e| e.is_dir != o.dirs_first);
        }
        out
    })
}

/// The `[size]  ` tree puts before a name under `-s`/`-h` (empty otherwise). Directories are
/// 4096 bytes, as on the ext4 host tree reports; a link is as long as its target.
fn size_prefix(o: &Options, st: &mirage_core::FileStat, link: Option<&str>) -> String {
    if !o.sizes && !o.human {
        return String::new();
    }
    let size = match link {
        Some(target) => target.len() as u64,
        None if st.is_dir() => 4096,
        None => st.size.unwrap_or(0),
    };
    if !o.human {
        return format!("[{size:>11}]  ");
    }
    const UNITS: &[u8] = b"BKMGTPEZY";
    let mut value = size as f64;
    let mut idx = 0;
    while value >= 1024.0 && idx + 1 < UNITS.len() {
        value /= 1024.0;
        idx += 1;
    }
    let text = if idx == 0 {
        format!("{size:>4}")
    } else if value < 10.0 {
        format!("{value:>3.1}{}", UNITS[idx] as char)
    } else {
        format!("{value:>3.0}{}", UNITS[idx] as char)
    };
    format!("[{text}]  ")
}

/// tree's note for a directory with more entries than `--filelimit` (those it would show:
/// hidden ones only with `-a`); `None` when it may be opened.
async fn over_limit(
    fs: &mirage_core::MountTable,
    o: &Options,
    dir: &VPath,
    rel: String,
    level: usize,
) -> Option<String> {
    if o.file_limit == 0 {
        return None;
    }
    let n = visible(fs, o, dir.clone(), rel, level).await.len();
    (n > o.file_limit).then(|| format!("  [{n} entries exceeds filelimit, not opening dir]"))
}

/// A JSON string as tree writes one.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `-J`: the entries of one directory as JSON objects, `level` deep (the root's are at 1).
fn json_walk<'a>(
    ctx: &'a mut CommandContext,
    o: &'a Options,
    dir: VPath,
    (shown, rel): (String, String),
    level: usize,
    counts: &'a mut Counts,
) -> BoxFuture<'a, io::Result<()>> {
    Box::pin(async move {
        let fs = ctx.fs.clone();
        let entries = visible(&fs, o, dir.clone(), rel.clone(), level).await;
        let (nl, pad) = if o.no_indent {
            ("", String::new())
        } else {
            ("\n", "  ".repeat(level + 1))
        };
        for (idx, entry) in entries.into_iter().enumerate() {
            let full = format!("{shown}/{}", entry.name);
            let name = json_string(if o.full_path { &full } else { &entry.name });
            let sep = if idx == 0 { "" } else { "," };
            ctx.stdout
                .write_all(format!("{sep}{nl}{pad}").as_bytes())
                .await?;
            if let Some((target, _)) = &entry.link {
                if entry.is_dir {
                    counts.dirs += 1;
                } else {
                    counts.files += 1;
                }
                let text = format!(
                    "{{\"type\":\"link\",\"name\":{name},\"target\":{}}}",
                    json_string(target)
                );
                ctx.stdout.write_all(text.as_bytes()).await?;
                continue;
            }
            if !entry.is_dir {
                counts.files += 1;
                let text = format!("{{\"type\":\"file\",\"name\":{name}}}");
                ctx.stdout.write_all(text.as_bytes()).await?;
                continue;
            }
            counts.dirs += 1;
            let child = dir.join(&entry.name);
            let child_rel = child_rel(&rel, &entry.name);
            let deeper = o.max_level.is_none_or(|max| level < max);
            let has_contents = deeper
                && !visible(&fs, o, child.clone(), child_rel.clone(), level + 1)
                    .await
                    .is_empty();
            if !has_contents {
                let text = format!("{{\"type\":\"directory\",\"name\":{name}}}");
                ctx.stdout.write_all(text.as_bytes()).await?;
                continue;
            }
            let open = format!("{{\"type\":\"directory\",\"name\":{name},\"contents\":[");
            ctx.stdout.write_all(open.as_bytes()).await?;
            json_walk(ctx, o, child, (full, child_rel), level + 1, counts).await?;
            ctx.stdout
                .write_all(format!("{nl}{pad}]}}").as_bytes())
                .await?;
        }
        Ok(())
    })
}

/// `-J` for all the operands (directories only: the checks were made by the caller).
async fn json_tree(ctx: &mut CommandContext, o: &Options, operands: &[String]) -> io::Result<()> {
    let mut counts = Counts::default();
    let nl = if o.no_indent { "" } else { "\n" };
    let pad = if o.no_indent { "" } else { "  " };
    ctx.stdout.write_all(b"[").await?;
    for (idx, operand) in operands.iter().enumerate() {
        let path = ctx.path(operand);
        let mut shown = operand.to_string();
        if o.full_path {
            while shown.len() > 1 && shown.ends_with('/') {
                shown.pop();
            }
        }
        let name = json_string(&shown);
        let sep = if idx == 0 { "" } else { "," };
        ctx.stdout
            .write_all(format!("{sep}{nl}{pad}").as_bytes())
            .await?;
        let fs = ctx.fs.clone();
        if visible(&fs, o, path.clone(), String::new(), 1)
            .await
            .is_empty()
        {
            let text = format!("{{\"type\":\"directory\",\"name\":{name}}}");
            ctx.stdout.write_all(text.as_bytes()).await?;
            continue;
        }
        counts.dirs += 1;
        let open = format!("{{\"type\":\"directory\",\"name\":{name},\"contents\":[");
        ctx.stdout.write_all(open.as_bytes()).await?;
        json_walk(ctx, o, path, (shown, String::new()), 1, &mut counts).await?;
        ctx.stdout
            .write_all(format!("{nl}{pad}]}}").as_bytes())
            .await?;
    }
    let tail = if o.no_report {
        format!("{nl}{nl}]\n")
    } else if o.dirs_only {
        format!(
            "{nl},{nl}{pad}{{\"type\":\"report\",\"directories\":{}}}{nl}]\n",
            counts.dirs
        )
    } else {
        format!(
            "{nl},{nl}{pad}{{\"type\":\"report\",\"directories\":{},\"files\":{}}}{nl}]\n",
            counts.dirs, counts.files
        )
    };
    ctx.stdout.write_all(tail.as_bytes()).await
}

#[derive(Default)]
struct Counts {
    dirs: u64,
    files: u64,
}

/// Walks one directory (shown as `shown`, at `rel` below the root), printing its entries under
/// `prefix` (the `│   ` columns so far).
fn walk<'a>(
    ctx: &'a mut CommandContext,
    o: &'a Options,
    dir: VPath,
    (shown, rel): (String, String),
    prefix: String,
    level: usize,
    counts: &'a mut Counts,
) -> BoxFuture<'a, io::Result<usize>> {
    Box::pin(async move {
        let fs = ctx.fs.clone();
        let entries = visible(&fs, o, dir.clone(), rel.clone(), level).await;
        let n = entries.len();
        for (idx, entry) in entries.into_iter().enumerate() {
            let last = idx + 1 == n;
            let full = format!("{shown}/{}", entry.name);
            let mut label = if o.full_path {
                printable(&full)
            } else {
                printable(&entry.name)
            };
            match &entry.link {
                Some((target, target_stat)) => {
                    label.push_str(" -> ");
                    label.push_str(&printable(target));
                    if let Some(st) = target_stat.as_ref().filter(|_| o.classify && !o.dirs_only) {
                        label.push_str(classify(st));
                    }
                }
                None if o.classify && !o.dirs_only => label.push_str(classify(&entry.stat)),
                None => {}
            }
            let branch = match (o.no_indent, last) {
                (true, _) => "",
                (false, true) => "└── ",
                (false, false) => "├── ",
            };
            let size = size_prefix(o, &entry.stat, entry.link.as_ref().map(|(t, _)| t.as_str()));
            let deeper =
                entry.is_dir && entry.link.is_none() && o.max_level.is_none_or(|max| level < max);
            let note = if deeper {
                let child = dir.join(&entry.name);
                over_limit(&fs, o, &child, child_rel(&rel, &entry.name), level + 1).await
            } else {
                None
            };
            let line = format!(
                "{prefix}{branch}{size}{label}{}\n",
                note.as_deref().unwrap_or("")
            );
            ctx.stdout.write_all(line.as_bytes()).await?;
            if !entry.is_dir {
                counts.files += 1;
                continue;
            }
            counts.dirs += 1;
            if !deeper || note.is_some() {
                continue;
            }
            let child_prefix = match (o.no_indent, last) {
                (true, _) => String::new(),
                (false, true) => format!("{prefix}    "),
                (false, false) => format!("{prefix}│\u{a0}\u{a0} "),
            };
            walk(
                ctx,
                o,
                dir.join(&entry.name),
                (full, child_rel(&rel, &entry.name)),
                child_prefix,
                level + 1,
                counts,
            )
            .await?;
        }
        Ok(n)
    })
}

/// Prints one operand's tree; returns false for an operand that does not exist.
async fn show_root(
    ctx: &mut CommandContext,
    o: &Options,
    operand: &str,
    counts: &mut Counts,
) -> io::Result<bool> {
    let path = ctx.path(operand);
    let stat = if operand.is_empty() {
        None
    } else {
        ctx.fs.stat(&path).await.ok()
    };
    let label = printable(operand);
    match stat {
        Some(st) if st.is_dir() => {
            // With -f the root loses its trailing slashes, as the paths below it do.
            let mut shown = operand.to_string();
            if o.full_path {
                while shown.len() > 1 && shown.ends_with('/') {
                    shown.pop();
                }
            }
            let slash = if o.classify && !o.dirs_only { "/" } else { "" };
            let size = size_prefix(o, &st, None);
            let note = over_limit(&ctx.fs.clone(), o, &path, String::new(), 1).await;
            let head = format!(
                "{size}{}{slash}{}\n",
                printable(&shown),
                note.as_deref().unwrap_or("")
            );
            ctx.stdout.write_all(head.as_bytes()).await?;
            if note.is_some() {
                // The unopened root still counts as a directory.
                counts.dirs += 1;
                return Ok(true);
            }
            if walk(
                ctx,
                o,
                path,
                (shown, String::new()),
                String::new(),
                1,
                counts,
            )
            .await?
                > 0
            {
                counts.dirs += 1;
            }
            Ok(true)
        }
        other => {
            let mark = match &other {
                Some(st) if o.classify && !o.dirs_only => classify(st),
                _ => "",
            };
            let size = other
                .as_ref()
                .map(|st| size_prefix(o, st, None))
                .unwrap_or_default();
            let line = format!("{size}{label}{mark}  [error opening dir]\n");
            ctx.stdout.write_all(line.as_bytes()).await?;
            match other {
                Some(_) => {
                    if !o.dirs_only {
                        counts.files += 1;
                    }
                    Ok(true)
                }
                None => Ok(false),
            }
        }
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[async_trait]
impl Command for Tree {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let (o, operands) = match parse_args(&args) {
            Parse::Run(o, operands) => (o, operands),
            Parse::Unsupported(opt) => return unsupported(ctx, &opt).await,
            Parse::Fail(msg, usage) => {
                ctx.error(msg).await?;
                if usage {
                    ctx.stderr.write_all(USAGE.as_bytes()).await?;
                }
                return Ok(1);
            }
        };
        if o.json {
            // tree's JSON for a missing or non-directory operand is malformed; refuse those.
            for operand in &operands {
                let path = ctx.path(operand);
                let is_dir =
                    !operand.is_empty() && ctx.fs.stat(&path).await.is_ok_and(|st| st.is_dir());
                if !is_dir {
                    return unsupported(ctx, "-J with an operand that is not a directory").await;
                }
            }
            json_tree(ctx, &o, &operands).await?;
            return Ok(0);
        }
        let mut counts = Counts::default();
        let mut status = 0;
        for operand in &operands {
            if !show_root(ctx, &o, operand, &mut counts).await? {
                status = 2;
            }
        }
        if !o.no_report {
            let dirs = plural(counts.dirs, "directory", "directories");
            let report = if o.dirs_only {
                format!("\n{dirs}\n")
            } else {
                let files = plural(counts.files, "file", "files");
                format!("\n{dirs}, {files}\n")
            };
            ctx.stdout.write_all(report.as_bytes()).await?;
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::fileutils::test_support::run;

    const FILES: &[(&str, &[u8])] = &[
        ("e/", b""),
        ("e/f/", b""),
        ("e/f/z", b""),
        ("e/.h", b""),
        ("a1", b""),
        ("one/", b""),
    ];

    #[tokio::test]
    async fn draws_tree() {
        let c = run(FILES, &["tree", "e", "a1"], b"").await;
        assert_eq!(
            c.out(),
            "e\n└── f\n    └── z\na1  [error opening dir]\n\n2 directories, 2 files\n"
        );
        assert_eq!(c.status, 0);
        let c = run(FILES, &["tree", "one", "-a", "-d"], b"").await;
        assert_eq!(c.out(), "one\n\n0 directories\n");
        let c = run(FILES, &["tree", "-f", "-L", "1", "e/"], b"").await;
        assert_eq!(c.out(), "e\n└── e/f\n\n2 directories, 0 files\n");
    }

    #[test]
    fn patterns() {
        use super::matches_any;
        let m = |p: &str, name: &str, dir: bool| matches_any(&[p.to_string()], name, dir, false);
        assert!(m("*.md", "a.md", false));
        assert!(m("x|*.md", "a.md", false));
        assert!(!m("a*", "a/b", true));
        assert!(m("a*b", "a/b", true));
        assert!(m("a?b", "a/b", true));
        assert!(m("a**", "a/b/c", true));
        assert!(m("b/", "b", true));
        assert!(!m("b/", "b", false));
        assert!(m("[^m]*", "lib.rs", false));
        assert!(!m("[!m]*", "lib.rs", false));
        assert!(m("|x", "anything", false));
        assert!(m(&"*a".repeat(20), &"a".repeat(200), false));
    }

    #[tokio::test]
    async fn errors() {
        let c = run(FILES, &["tree", "-L", "0"], b"").await;
        assert_eq!(c.err(), "tree: Invalid level, must be greater than 0.\n");
        assert_eq!(c.status, 1);
        let c = run(FILES, &["tree", "nope"], b"").await;
        assert_eq!(
            c.out(),
            "nope  [error opening dir]\n\n0 directories, 0 files\n"
        );
        assert_eq!(c.status, 2);
    }
}
