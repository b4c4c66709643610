//! `sort`: sort, merge (`-m`) or check (`-c`, `-C`) lines, with GNU's keys (`-k`), field
//! separator (`-t`), orderings (`-n -g -h -M -V -f -d -i -b -r`), `-u`, `-s`, `-z` and `-o`.
//!
//! Sorting needs the whole input, so inputs are read fully, as GNU does before writing
//! anything (a missing input therefore fails the command with no output). Collation in C.UTF-8
//! is code point order, which for UTF-8 is plain byte order.

use std::cmp::Ordering;

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, WriteMode, stream_from_bytes,
};
use tokio::io::AsyncReadExt;

use super::quoting::shell_quote;
use super::sort_key::{BlankType, Key, Tab, compare_keys, compare_spans, key_span, parse_key};
use super::support::{HELP, VERSION, lquote, open_input, refuse_help, unsupported, usage_error};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};

pub struct Sort;

/// Exit status for trouble (GNU's `SORT_FAILURE`); 1 means "not sorted" for `-c`.
const SORT_FAILURE: i32 = 2;

const SPEC: OptSpec = OptSpec {
    short: "bcCdfghik:mMno:rRsS:t:T:uVy:z",
    long: &[
        LongOpt {
            name: "ignore-leading-blanks",
            has_arg: HasArg::No,
            key: "b",
        },
        LongOpt {
            name: "check",
            has_arg: HasArg::Optional,
            key: "check",
        },
        LongOpt {
            name: "compress-program",
            has_arg: HasArg::Required,
            key: "compress-program",
        },
        LongOpt {
            name: "debug",
            has_arg: HasArg::No,
            key: "debug",
        },
        LongOpt {
            name: "dictionary-order",
            has_arg: HasArg::No,
            key: "d",
        },
        LongOpt {
            name: "ignore-case",
            has_arg: HasArg::No,
            key: "f",
        },
        LongOpt {
            name: "files0-from",
            has_arg: HasArg::Required,
            key: "files0-from",
        },
        LongOpt {
            name: "general-numeric-sort",
            has_arg: HasArg::No,
            key: "g",
        },
        LongOpt {
            name: "ignore-nonprinting",
            has_arg: HasArg::No,
            key: "i",
        },
        LongOpt {
            name: "key",
            has_arg: HasArg::Required,
            key: "k",
        },
        LongOpt {
            name: "merge",
            has_arg: HasArg::No,
            key: "m",
        },
        LongOpt {
            name: "month-sort",
            has_arg: HasArg::No,
            key: "M",
        },
        LongOpt {
            name: "numeric-sort",
            has_arg: HasArg::No,
            key: "n",
        },
        LongOpt {
            name: "human-numeric-sort",
            has_arg: HasArg::No,
            key: "h",
        },
        LongOpt {
            name: "version-sort",
            has_arg: HasArg::No,
            key: "V",
        },
        LongOpt {
            name: "random-sort",
            has_arg: HasArg::No,
            key: "R",
        },
        LongOpt {
            name: "random-source",
            has_arg: HasArg::Required,
            key: "random-source",
        },
        LongOpt {
            name: "sort",
            has_arg: HasArg::Required,
            key: "sort",
        },
        LongOpt {
            name: "output",
            has_arg: HasArg::Required,
            key: "o",
        },
        LongOpt {
            name: "reverse",
            has_arg: HasArg::No,
            key: "r",
        },
        LongOpt {
            name: "stable",
            has_arg: HasArg::No,
            key: "s",
        },
        LongOpt {
            name: "batch-size",
            has_arg: HasArg::Required,
            key: "batch-size",
        },
        LongOpt {
            name: "buffer-size",
            has_arg: HasArg::Required,
            key: "S",
        },
        LongOpt {
            name: "field-separator",
            has_arg: HasArg::Required,
            key: "t",
        },
        LongOpt {
            name: "temporary-directory",
            has_arg: HasArg::Required,
            key: "T",
        },
        LongOpt {
            name: "unique",
            has_arg: HasArg::No,
            key: "u",
        },
        LongOpt {
            name: "zero-terminated",
            has_arg: HasArg::No,
            key: "z",
        },
        LongOpt {
            name: "parallel",
            has_arg: HasArg::Required,
            key: "parallel",
        },
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Everything the command line decided.
#[derive(Debug)]
struct Config {
    keys: Vec<Key>,
    tab: Tab,
    /// `Some('c')` or `Some('C')` for checking.
    check: Option<char>,
    merge: bool,
    unique: bool,
    stable: bool,
    reverse: bool,
    eol: u8,
    output: Option<String>,
    /// `--random-source=FILE`: where `-R` takes its salt.
    random_source: Option<String>,
}

/// A failure decided while reading options: what to print and the status.
enum Stop {
    /// `sort: MESSAGE`, status 2.
    Fatal(String),
    /// `sort: MESSAGE` plus the `Try` hint, with this status.
    Usage(String, i32),
    Unsupported(String),
}

/// argmatch's complaint for `--sort`/`--check` values (status 1, with the hint).
fn bad_argument(value: &str, option: &str, valid: &[&str]) -> Stop {
    let mut msg = format!(
        "invalid argument {} for {}\nValid arguments are:",
        lquote(value),
        lquote(option)
    );
    for v in valid {
        msg.push_str(&format!("\n  - {v}"));
    }
    Stop::Usage(msg, 1)
}

fn argmatch(value: &str, choices: &[(&str, char)]) -> Option<char> {
    if let Some((_, c)) = choices.iter().find(|(n, _)| *n == value) {
        return Some(*c);
    }
    let found: Vec<char> = choices
        .iter()
        .filter(|(n, _)| n.starts_with(value))
        .map(|(_, c)| *c)
        .collect();
    match found.first() {
        Some(c) if !value.is_empty() && found.iter().all(|x| x == c) => Some(*c),
        _ => None,
    }
}

fn parse_config(parsed: &Parsed, traditional: Vec<Key>) -> Result<Config, Stop> {
    let mut global = Key::default();
    let mut keys = traditional;
    let mut tab: Option<u8> = None;
    let mut cfg = Config {
        keys: Vec::new(),
        tab: Tab::Blanks,
        check: None,
        merge: false,
        unique: false,
        stable: false,
        reverse: false,
        eol: b'\n',
        output: None,
        random_source: None,
    };
    for opt in &parsed.opts {
        let value = opt.value.as_deref().unwrap_or_default();
        let letter = match opt.key.as_str() {
            "sort" => {
                let choices = [
                    ("general-numeric", 'g'),
                    ("human-numeric", 'h'),
                    ("month", 'M'),
                    ("numeric", 'n'),
                    ("random", 'R'),
                    ("version", 'V'),
                ];
                match argmatch(value, &choices) {
                    Some(c) => Some(c),
                    None => {
                        let valid = [
                            "‘general-numeric’",
                            "‘human-numeric’",
                            "‘month’",
                            "‘numeric’",
                            "‘random’",
                            "‘version’",
                        ];
                        return Err(bad_argument(value, "--sort", &valid));
                    }
                }
            }
            k if k.len() == 1 && "bdfghiMnrRV".contains(k) => k.chars().next(),
            _ => None,
        };
        if let Some(c) = letter {
            global.set_ordering(&c.to_string(), BlankType::Both);
            continue;
        }
        match opt.key.as_str() {
            "c" | "C" | "check" => {
                let c = match (opt.key.as_str(), opt.value.as_deref()) {
                    ("check", Some(v)) => match argmatch(
                        v,
                        &[("quiet", 'C'), ("silent", 'C'), ("diagnose-first", 'c')],
                    ) {
                        Some(c) => c,
                        None => {
                            return Err(bad_argument(
                                v,
                                "--check",
                                &["‘quiet’, ‘silent’", "‘diagnose-first’"],
                            ));
                        }
                    },
                    ("C", _) => 'C',
                    _ => 'c',
                };
                if cfg.check.is_some_and(|prev| prev != c) {
                    return Err(Stop::Fatal("options '-cC' are incompatible".into()));
                }
                cfg.check = Some(c);
            }
            "k" => keys.push(parse_key(value).map_err(Stop::Fatal)?),
            "m" => cfg.merge = true,
            "o" => {
                if cfg.output.as_deref().is_some_and(|o| o != value) {
                    return Err(Stop::Fatal("multiple output files specified".into()));
                }
                cfg.output = Some(value.to_string());
            }
            "s" => cfg.stable = true,
            "t" => {
                let bytes = value.as_bytes();
                let new_tab = match bytes {
                    [] => return Err(Stop::Fatal("empty tab".into())),
                    [b] => *b,
                    b"\\0" => 0,
                    _ => {
                        return Err(Stop::Fatal(format!(
                            "multi-character tab {}",
                            lquote(value)
                        )));
                    }
                };
                if tab.is_some_and(|t| t != new_tab) {
                    return Err(Stop::Fatal("incompatible tabs".into()));
                }
                tab = Some(new_tab);
            }
            "S" => {
                // Memory size: only checked, as GNU does, since it cannot change the output.
                let digits = value.bytes().take_while(u8::is_ascii_digit).count();
                let rest = &value[digits..];
                if digits == 0 {
                    return Err(Stop::Fatal(format!("invalid -S argument '{value}'")));
                }
                if rest.len() > 1 || (rest.len() == 1 && !"bkKmMgGtTpPeEzZyY%".contains(rest)) {
                    return Err(Stop::Fatal(format!(
                        "invalid suffix in -S argument '{value}'"
                    )));
                }
            }
            "u" => cfg.unique = true,
            "z" => cfg.eol = 0,
            "random-source" => {
                if cfg.random_source.as_deref().is_some_and(|r| r != value) {
                    return Err(Stop::Fatal("multiple random sources specified".into()));
                }
                cfg.random_source = Some(value.to_string());
            }
            "compress-program" | "debug" | "files0-from" => {
                return Err(Stop::Unsupported(format!("--{}", opt.key)));
            }
            // Memory, temporary files and threads do not change the output.
            _ => {}
        }
    }
    for key in &mut keys {
        if key.is_default() && !key.reverse {
            key.inherit(&global);
        }
    }
    if keys.is_empty() && !global.is_default() {
        keys.push(global.clone());
    }
    for key in &keys {
        if let Some(letters) = key.incompatibility() {
            return Err(Stop::Fatal(format!(
                "options '-{letters}' are incompatible"
            )));
        }
    }
    cfg.keys = keys;
    cfg.reverse = global.reverse;
    cfg.tab = tab.map_or(Tab::Blanks, Tab::Byte);
    Ok(cfg)
}

/// Options (of the short spec) that take a value in the next argument when not attached.
fn takes_value(c: char) -> bool {
    "kostSTy".contains(c)
}

/// Pulls the obsolete `+POS1 [-POS2]` keys out of `args` (POSIX 2008 usage still accepts them).
fn take_traditional_keys(args: &mut Vec<String>) -> Result<Vec<Key>, Stop> {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].clone();
        if arg == "--" {
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let needs = !long.contains('=')
                && SPEC
                    .long
                    .iter()
                    .any(|l| l.name.starts_with(long) && l.has_arg == HasArg::Required);
            i += 1 + usize::from(needs);
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let cluster = &arg[1..];
            let mut skip_next = false;
            for (pos, c) in cluster.char_indices() {
                if takes_value(c) {
                    skip_next = pos + c.len_utf8() == cluster.len();
                    break;
                }
            }
            i += 1 + usize::from(skip_next);
            continue;
        }
        let Some(pos1) = arg.strip_prefix('+') else {
            i += 1;
            continue;
        };
        let Some(mut key) = traditional_start(pos1) else {
            i += 1;
            continue;
        };
        args.remove(i);
        let next_is_end = args
            .get(i)
            .is_some_and(|n| n.len() > 1 && n.starts_with('-') && n.as_bytes()[1].is_ascii_digit());
        if next_is_end {
            let end = args.remove(i);
            traditional_end(&end, &mut key)?;
        }
        keys.push(key);
    }
    Ok(keys)
}

fn leading_count(s: &str) -> Option<(usize, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    Some((s[..n].parse().unwrap_or(usize::MAX), &s[n..]))
}

/// `+F[.C][opts]`: zero-based field and character.
fn traditional_start(s: &str) -> Option<Key> {
    let mut key = Key::default();
    let (sword, mut rest) = leading_count(s)?;
    let mut schar = 0;
    if let Some(r) = rest.strip_prefix('.') {
        let (c, r) = leading_count(r)?;
        schar = c;
        rest = r;
    }
    key.sword = (sword != 0 || schar != 0).then_some(sword);
    key.schar = schar;
    if !key.set_ordering(rest, BlankType::Start).is_empty() {
        return None;
    }
    Some(key)
}

/// `-F[.C][opts]` after a `+POS1`.
fn traditional_end(arg: &str, key: &mut Key) -> Result<(), Stop> {
    let body = &arg[1..];
    let (eword, mut rest) = leading_count(body).unwrap_or((0, body));
    let mut echar = 0;
    if let Some(r) = rest.strip_prefix('.') {
        let (c, r) = leading_count(r).ok_or_else(|| {
            Stop::Fatal(format!(
                "invalid number after '.': invalid count at start of {}",
                lquote(r)
            ))
        })?;
        echar = c;
        rest = r;
    }
    key.eword = Some(if echar == 0 && eword > 0 {
        eword - 1
    } else {
        eword
    });
    key.echar = echar;
    if !key.set_ordering(rest, BlankType::End).is_empty() {
        return Err(Stop::Fatal(format!(
            "stray character in field spec: invalid field specification {}",
            lquote(arg)
        )));
    }
    Ok(())
}

/// One input's lines (terminators dropped; a missing final terminator is supplied).
struct Lines {
    data: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Lines {
    fn split(data: Vec<u8>, eol: u8) -> Self {
        let mut spans = Vec::new();
        let mut start = 0;
        for pos in memchr::memchr_iter(eol, &data) {
            spans.push((start, pos));
            start = pos + 1;
        }
        if start < data.len() {
            spans.push((start, data.len()));
        }
        Lines { data, spans }
    }

    fn line(&self, i: usize) -> &[u8] {
        let (s, e) = self.spans[i];
        &self.data[s..e]
    }
}

/// Sorts with `-k` keys, finding each line's key spans once instead of in every comparison.
fn sort_by_keys(order: &mut [(usize, usize)], inputs: &[Lines], cfg: &Config) {
    let nkeys = cfg.keys.len();
    let mut first_of_file = Vec::with_capacity(inputs.len());
    let mut spans = Vec::new();
    for lines in inputs {
        first_of_file.push(spans.len() / nkeys);
        for i in 0..lines.spans.len() {
            let line = lines.line(i);
            spans.extend(cfg.keys.iter().map(|k| key_span(line, k, cfg.tab)));
        }
    }
    let spans_of = |f: usize, i: usize| {
        let at = (first_of_file[f] + i) * nkeys;
        &spans[at..at + nkeys]
    };
    super::parallel_sort::sort_by(
        order,
        &|&(fa, ia): &(usize, usize), &(fb, ib): &(usize, usize)| {
            let (a, b) = (inputs[fa].line(ia), inputs[fb].line(ib));
            let o = compare_spans(a, spans_of(fa, ia), b, spans_of(fb, ib), &cfg.keys);
            if o != Ordering::Equal || cfg.unique || cfg.stable {
                return o;
            }
            let o = a.cmp(b);
            if cfg.reverse { o.reverse() } else { o }
        },
    );
}

/// How GNU compares two lines: keys, then (unless `-s`/`-u`) the whole line as bytes.
fn compare(a: &[u8], b: &[u8], cfg: &Config) -> Ordering {
    if !cfg.keys.is_empty() {
        let o = compare_keys(a, b, &cfg.keys, cfg.tab);
        if o != Ordering::Equal || cfg.unique || cfg.stable {
            return o;
        }
    }
    let o = a.cmp(b);
    if cfg.reverse { o.reverse() } else { o }
}

/// Why an input could not be read, worded as GNU sort words it.
fn read_failure(operand: &str, e: &FsError) -> String {
    let what = match e.kind {
        ErrorKind::IsADirectory | ErrorKind::Other | ErrorKind::Network => "read failed",
        _ => "cannot read",
    };
    format!("{what}: {}: {e}", shell_quote(operand, false))
}

async fn read_all(ctx: &mut CommandContext, operand: &str, eol: u8) -> Result<Lines, String> {
    let mut reader = open_input(ctx, operand)
        .await
        .map_err(|e| read_failure(operand, &e))?;
    let mut data = Vec::new();
    reader
        .read_to_end(&mut data)
        .await
        .map_err(|e| read_failure(operand, &FsError::from(e)))?;
    Ok(Lines::split(data, eol))
}

/// The 16 bytes `-R` hashes before each key: the start of `--random-source`, else random.
/// GNU reads them before any input, so its complaints come first.
async fn random_salt(ctx: &mut CommandContext, source: Option<&str>) -> Result<[u8; 16], String> {
    let mut salt = [0u8; 16];
    let Some(name) = source else {
        use std::hash::{BuildHasher, Hasher};
        for (i, half) in salt.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
        return Ok(salt);
    };
    let mut reader = open_input(ctx, name).await.map_err(|e| match e.kind {
        ErrorKind::IsADirectory => format!("{}: read error: {e}", lquote(name)),
        _ => format!("open failed: {name}: {e}"),
    })?;
    let mut got = 0;
    while got < salt.len() {
        match reader.read(&mut salt[got..]).await {
            Ok(0) => return Err(format!("{}: end of file", lquote(name))),
            Ok(n) => got += n,
            Err(e) => {
                return Err(format!(
                    "{}: read error: {}",
                    lquote(name),
                    FsError::from(e)
                ));
            }
        }
    }
    Ok(salt)
}

/// `-c`/`-C`: reports the first line out of order.
async fn check(ctx: &mut CommandContext, operand: &str, cfg: &Config) -> CommandResult {
    let lines = match read_all(ctx, operand, cfg.eol).await {
        Ok(l) => l,
        Err(msg) => {
            ctx.error(msg).await?;
            return Ok(SORT_FAILURE);
        }
    };
    for i in 1..lines.spans.len() {
        let o = compare(lines.line(i - 1), lines.line(i), cfg);
        let disorder = if cfg.unique {
            o != Ordering::Less
        } else {
            o == Ordering::Greater
        };
        if disorder {
            if cfg.check == Some('c') {
                let mut msg = format!("{}: {operand}:{}: disorder: ", ctx.name, i + 1).into_bytes();
                msg.extend_from_slice(lines.line(i));
                msg.push(b'\n');
                ctx.stderr.write_all(&msg).await?;
            }
            return Ok(1);
        }
    }
    Ok(0)
}

/// Merges already-sorted inputs; ties go to the earlier input, as in GNU.
fn merge_order(inputs: &[Lines], cfg: &Config) -> Vec<(usize, usize)> {
    let mut next = vec![0usize; inputs.len()];
    let mut out = Vec::new();
    loop {
        let mut best: Option<usize> = None;
        for (f, lines) in inputs.iter().enumerate() {
            if next[f] >= lines.spans.len() {
                continue;
            }
            best = match best {
                Some(b)
                    if compare(inputs[b].line(next[b]), lines.line(next[f]), cfg)
                        != Ordering::Greater =>
                {
                    Some(b)
                }
                _ => Some(f),
            };
        }
        let Some(b) = best else {
            return out;
        };
        out.push((b, next[b]));
        next[b] += 1;
    }
}

#[async_trait]
impl Command for Sort {
    async fn run(&self, ctx: &mut CommandContext, mut args: Vec<String>) -> CommandResult {
        let traditional = match take_traditional_keys(&mut args) {
            Ok(k) => k,
            Err(stop) => return report_stop(ctx, stop).await,
        };
        let parsed = match parse_opts(ctx, &SPEC, &args, SORT_FAILURE).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse_help(ctx, &parsed).await? {
            return Ok(status);
        }
        let mut cfg = match parse_config(&parsed, traditional) {
            Ok(c) => c,
            Err(stop) => return report_stop(ctx, stop).await,
        };
        if cfg.keys.iter().any(|k| k.random) {
            let salt = match random_salt(ctx, cfg.random_source.as_deref()).await {
                Ok(s) => s,
                Err(msg) => return report_stop(ctx, Stop::Fatal(msg)).await,
            };
            for key in cfg.keys.iter_mut().filter(|k| k.random) {
                key.salt = salt;
            }
        }
        let operands = if parsed.operands.is_empty() {
            vec!["-".to_string()]
        } else {
            parsed.operands.clone()
        };
        if let Some(c) = cfg.check {
            if operands.len() > 1 {
                let msg = format!(
                    "extra operand {} not allowed with -{c}",
                    shell_quote(&operands[1], true)
                );
                return report_stop(ctx, Stop::Fatal(msg)).await;
            }
            if cfg.output.is_some() {
                return report_stop(
                    ctx,
                    Stop::Fatal(format!("options '-{c}o' are incompatible")),
                )
                .await;
            }
            return check(ctx, &operands[0], &cfg).await;
        }
        let mut inputs = Vec::with_capacity(operands.len());
        for op in &operands {
            match read_all(ctx, op, cfg.eol).await {
                Ok(l) => inputs.push(l),
                Err(msg) => return report_stop(ctx, Stop::Fatal(msg)).await,
            }
        }
        let mut order: Vec<(usize, usize)> = if cfg.merge {
            merge_order(&inputs, &cfg)
        } else {
            inputs
                .iter()
                .enumerate()
                .flat_map(|(f, l)| (0..l.spans.len()).map(move |i| (f, i)))
                .collect()
        };
        if !cfg.merge && cfg.keys.is_empty() {
            let by_line = |&(fa, ia): &(usize, usize), &(fb, ib): &(usize, usize)| {
                compare(inputs[fa].line(ia), inputs[fb].line(ib), &cfg)
            };
            super::parallel_sort::sort_by(&mut order, &by_line);
        } else if !cfg.merge {
            sort_by_keys(&mut order, &inputs, &cfg);
        }
        if cfg.unique {
            order.dedup_by(|later, kept| {
                compare(
                    inputs[kept.0].line(kept.1),
                    inputs[later.0].line(later.1),
                    &cfg,
                ) == Ordering::Equal
            });
        }
        let mut out = Vec::new();
        for (f, i) in order {
            out.extend_from_slice(inputs[f].line(i));
            out.push(cfg.eol);
            if cfg.output.is_none() && out.len() >= 64 * 1024 {
                ctx.stdout.write_all(&out).await?;
                out.clear();
            }
        }
        match &cfg.output {
            None => ctx.stdout.write_all(&out).await?,
            Some(path) => {
                let target = ctx.path(path);
                if let Err(e) = ctx
                    .fs
                    .write(&target, stream_from_bytes(out), WriteMode::Truncate)
                    .await
                {
                    let msg = format!("open failed: {}: {e}", shell_quote(path, false));
                    return report_stop(ctx, Stop::Fatal(msg)).await;
                }
            }
        }
        Ok(0)
    }
}

async fn report_stop(ctx: &mut CommandContext, stop: Stop) -> CommandResult {
    match stop {
        Stop::Fatal(msg) => {
            ctx.error(msg).await?;
            Ok(SORT_FAILURE)
        }
        Stop::Usage(msg, status) => usage_error(ctx, &msg, status).await,
        Stop::Unsupported(opt) => unsupported(ctx, &opt).await,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, run};

    const FILES: &[(&str, &[u8])] = &[
        ("kv", b"b 2\na 10\nc 1\nA 3\n"),
        ("n5", b"1\n2\n3\n4\n5\n"),
        ("ba", b"b\na\n"),
        ("ab", b"a\nb"),
        ("u", b"3\n1\n2\n"),
        ("v", b"2\n0\n"),
        ("d/", b""),
    ];

    async fn sorted(args: &[&str], stdin: &str) -> String {
        let mut argv = vec!["sort"];
        argv.extend_from_slice(args);
        let c = run(FILES, &argv, stdin.as_bytes()).await;
        assert_eq!((c.err().as_str(), c.status), ("", 0), "{args:?}");
        c.out()
    }

    #[tokio::test]
    async fn keys_and_orderings() {
        assert_eq!(sorted(&["-k2n", "kv"], "").await, "c 1\nb 2\nA 3\na 10\n");
        assert_eq!(
            sorted(&["-k2,2nr", "kv"], "").await,
            "a 10\nA 3\nb 2\nc 1\n"
        );
        assert_eq!(sorted(&["-f", "kv"], "").await, "a 10\nA 3\nb 2\nc 1\n");
        assert_eq!(sorted(&["-r", "kv"], "").await, "c 1\nb 2\na 10\nA 3\n");
        assert_eq!(
            sorted(&["-k1.1,1.1", "-k2n", "kv"], "").await,
            "A 3\na 10\nb 2\nc 1\n"
        );
        assert_eq!(
            sorted(&["-h"], "10K\n1M\n2k\n512\n-1G\n0K\n").await,
            "-1G\n0K\n512\n2k\n10K\n1M\n"
        );
        assert_eq!(
            sorted(&["-V"], "v1.10\nv1.2\nv1.9a\nv1.9\n").await,
            "v1.2\nv1.9\nv1.9a\nv1.10\n"
        );
        assert_eq!(
            sorted(&["-M"], "Feb\njan\nDEC\nxyz\n mar\n").await,
            "xyz\njan\nFeb\n mar\nDEC\n"
        );
        assert_eq!(
            sorted(&["-g"], "1e3\n-inf\nnan\nabc\n5\n0x10\n").await,
            "abc\nnan\n-inf\n5\n0x10\n1e3\n"
        );
        assert_eq!(
            sorted(&["-t:", "-k2"], "a:3\nb:1\nc:2\n").await,
            "b:1\nc:2\na:3\n"
        );
        assert_eq!(sorted(&["-d"], "a-b\nab\na b\n").await, "a b\na-b\nab\n");
        assert_eq!(sorted(&["-f"], "b\nB\na\nA\n").await, "A\na\nB\nb\n");
        assert_eq!(sorted(&["-fu"], "b\nB\na\nA\n").await, "a\nb\n");
        assert_eq!(sorted(&["-k2"], "x  b\nx a\n").await, "x  b\nx a\n");
        assert_eq!(sorted(&["-b", "-k2"], "x  b\nx a\n").await, "x a\nx  b\n");
        assert_eq!(sorted(&["-k2b"], "x  b\nx a\n").await, "x a\nx  b\n");
        assert_eq!(sorted(&["-nu"], "1\n01\n").await, "1\n");
        assert_eq!(sorted(&["-nu"], "01\n1\n").await, "01\n");
        assert_eq!(sorted(&["+1", "-2"], "a 2\nb 1\n").await, "b 1\na 2\n");
    }

    #[tokio::test]
    async fn bytes_and_terminators() {
        let c = run(
            FILES,
            &["sort"],
            b"\xff\n\xc3\xa9\n\xef\xbf\xbd\na\x80\na\xc3\xa9\nb\nA\na\n\x01\n\n",
        )
        .await;
        assert_eq!(
            c.stdout,
            b"\n\x01\nA\na\na\x80\na\xc3\xa9\nb\n\xc3\xa9\n\xef\xbf\xbd\n\xff\n"
        );
        let c = run(FILES, &["sort", "-i"], b"\xc3\xa9\nz\na\n\xc3\n").await;
        assert_eq!(c.stdout, b"\xc3\n\xc3\xa9\na\nz\n");
        check(&run(FILES, &["sort"], b"a\nb").await, "a\nb\n", "", 0);
        let c = run(FILES, &["sort", "-z"], b"b\0a\0c").await;
        assert_eq!(c.stdout, b"a\0b\0c\0");
    }

    #[tokio::test]
    async fn merge() {
        check(
            &run(FILES, &["sort", "-m", "-", "n5"], b"b\na\n").await,
            "1\n2\n3\n4\n5\nb\na\n",
            "",
            0,
        );
        check(
            &run(FILES, &["sort", "-m", "u", "v"], b"").await,
            "2\n0\n3\n1\n2\n",
            "",
            0,
        );
        check(
            &run(FILES, &["sort", "-mu", "ab", "ab"], b"").await,
            "a\nb\n",
            "",
            0,
        );
        check(
            &run(FILES, &["sort", "-m", "-r", "ab", "ba"], b"").await,
            "b\na\nb\na\n",
            "",
            0,
        );
    }

    #[tokio::test]
    async fn check_mode() {
        check(
            &run(FILES, &["sort", "-c"], b"b\na\n").await,
            "",
            "sort: -:2: disorder: a\n",
            1,
        );
        check(
            &run(FILES, &["sort", "-c", "ba"], b"").await,
            "",
            "sort: ba:2: disorder: a\n",
            1,
        );
        check(&run(FILES, &["sort", "-C", "ba"], b"").await, "", "", 1);
        check(
            &run(FILES, &["sort", "-cu"], b"a\na\n").await,
            "",
            "sort: -:2: disorder: a\n",
            1,
        );
        check(&run(FILES, &["sort", "-c", "n5"], b"").await, "", "", 0);
        check(
            &run(FILES, &["sort", "--check=quiet", "ba"], b"").await,
            "",
            "",
            1,
        );
        check(
            &run(FILES, &["sort", "-c", "ba", "n5"], b"").await,
            "",
            "sort: extra operand 'n5' not allowed with -c\n",
            2,
        );
    }

    #[tokio::test]
    async fn output_file() {
        let fs = super::super::test_support::fs_with(FILES).await;
        let c = crate::testing::run_argv(
            fs.clone(),
            "/data",
            &["sort", "-o", "kv", "-k2n", "kv"],
            b"",
        )
        .await;
        check(&c, "", "", 0);
        let c = crate::testing::run_argv(fs, "/data", &["cat", "kv"], b"").await;
        check(&c, "c 1\nb 2\nA 3\na 10\n", "", 0);
        let c = run(FILES, &["sort", "-o", "/data/nodir/x", "n5"], b"").await;
        check(
            &c,
            "",
            "sort: open failed: /data/nodir/x: No such file or directory\n",
            2,
        );
    }

    #[tokio::test]
    async fn errors() {
        check(
            &run(FILES, &["sort", "nope", "n5"], b"").await,
            "",
            "sort: cannot read: nope: No such file or directory\n",
            2,
        );
        check(
            &run(FILES, &["sort", "n5", "d"], b"").await,
            "",
            "sort: read failed: d: Is a directory\n",
            2,
        );
        let q = |s: &str| format!("\u{2018}{s}\u{2019}");
        let cases: &[(&[&str], String)] = &[
            (
                &["-k0"],
                format!(
                    "sort: field number is zero: invalid field specification {}\n",
                    q("0")
                ),
            ),
            (
                &["-k1.0"],
                format!(
                    "sort: character offset is zero: invalid field specification {}\n",
                    q("1.0")
                ),
            ),
            (&["-t", ""], "sort: empty tab\n".into()),
            (
                &["-t", "ab"],
                format!("sort: multi-character tab {}\n", q("ab")),
            ),
            (&["-t", "a", "-t", "b"], "sort: incompatible tabs\n".into()),
            (&["-nM"], "sort: options '-Mn' are incompatible\n".into()),
            (
                &["-k1n,1M"],
                "sort: options '-Mn' are incompatible\n".into(),
            ),
            (&["-cC"], "sort: options '-cC' are incompatible\n".into()),
            (
                &["-o", "x", "-o", "y"],
                "sort: multiple output files specified\n".into(),
            ),
        ];
        for (args, err) in cases {
            let mut argv = vec!["sort"];
            argv.extend_from_slice(args);
            check(&run(FILES, &argv, b"").await, "", err, 2);
        }
        let c = run(FILES, &["sort", "--sort=bogus"], b"").await;
        let want = "sort: invalid argument \u{2018}bogus\u{2019} for \u{2018}--sort\u{2019}\nValid arguments are:\n  - \u{2018}general-numeric\u{2019}\n  - \u{2018}human-numeric\u{2019}\n  - \u{2018}month\u{2019}\n  - \u{2018}numeric\u{2019}\n  - \u{2018}random\u{2019}\n  - \u{2018}version\u{2019}\nTry 'sort --help' for more information.\n";
        check(&c, "", want, 1);
        check(
            &run(FILES, &["sort", "-x"], b"").await,
            "",
            "sort: invalid option -- 'x'\nTry 'sort --help' for more information.\n",
            2,
        );
        check(
            &run(FILES, &["sort", "--debug"], b"").await,
            "",
            "mirage: sort: unsupported option: --debug\n",
            2,
        );
    }
}
