//! grep's command line: GNU's option set, checked the way GNU checks it.

use std::io;

use mirage_core::CommandContext;

use super::matcher::MatchOptions;
use super::pattern::Syntax;
use super::scan::{BinaryMode, ListMode, ScanOpts};
use super::walk::FileRule;
use crate::commands::common::open_operand;
use crate::commands::getopt::{self, HasArg, LongOpt, OptSpec};
use crate::commands::wildcard::fnmatch_glob;

const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "0123456789A:B:C:D:EFGHIPTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz",
    long: &[
        long("basic-regexp", HasArg::No, "G"),
        long("extended-regexp", HasArg::No, "E"),
        long("fixed-regexp", HasArg::No, "F"),
        long("fixed-strings", HasArg::No, "F"),
        long("perl-regexp", HasArg::No, "P"),
        long("after-context", HasArg::Required, "A"),
        long("before-context", HasArg::Required, "B"),
        long("binary-files", HasArg::Required, "binary-files"),
        long("byte-offset", HasArg::No, "b"),
        long("context", HasArg::Required, "C"),
        long("color", HasArg::Optional, "color"),
        long("colour", HasArg::Optional, "color"),
        long("count", HasArg::No, "c"),
        long("devices", HasArg::Required, "D"),
        long("directories", HasArg::Required, "d"),
        long("dereference-recursive", HasArg::No, "R"),
        long("exclude", HasArg::Required, "exclude"),
        long("exclude-from", HasArg::Required, "exclude-from"),
        long("exclude-dir", HasArg::Required, "exclude-dir"),
        long("file", HasArg::Required, "f"),
        long("files-with-matches", HasArg::No, "l"),
        long("files-without-match", HasArg::No, "L"),
        long("group-separator", HasArg::Required, "group-separator"),
        long("help", HasArg::No, "help"),
        long("include", HasArg::Required, "include"),
        long("ignore-case", HasArg::No, "i"),
        long("no-ignore-case", HasArg::No, "no-ignore-case"),
        long("initial-tab", HasArg::No, "T"),
        long("label", HasArg::Required, "label"),
        long("line-buffered", HasArg::No, "line-buffered"),
        long("line-number", HasArg::No, "n"),
        long("line-regexp", HasArg::No, "x"),
        long("max-count", HasArg::Required, "m"),
        long("no-filename", HasArg::No, "h"),
        long("no-group-separator", HasArg::No, "no-group-separator"),
        long("no-messages", HasArg::No, "s"),
        long("null", HasArg::No, "Z"),
        long("null-data", HasArg::No, "z"),
        long("only-matching", HasArg::No, "o"),
        long("quiet", HasArg::No, "q"),
        long("recursive", HasArg::No, "r"),
        long("regexp", HasArg::Required, "e"),
        long("invert-match", HasArg::No, "v"),
        long("silent", HasArg::No, "q"),
        long("text", HasArg::No, "a"),
        long("binary", HasArg::No, "U"),
        long("unix-byte-offsets", HasArg::No, "u"),
        long("version", HasArg::No, "V"),
        long("with-filename", HasArg::No, "H"),
        long("word-regexp", HasArg::No, "w"),
    ],
    stop_at_operand: false,
};

/// Everything the search needs.
pub struct Config {
    pub patterns: Vec<Vec<u8>>,
    pub match_opts: MatchOptions,
    pub scan: ScanOpts,
    pub recursive: bool,
    /// `-d skip`: directories given as operands are ignored.
    pub skip_dirs: bool,
    pub no_messages: bool,
    pub rules: Vec<FileRule>,
    pub exclude_dirs: Vec<globset::GlobMatcher>,
    pub label: String,
    pub operands: Vec<String>,
    /// `-H` / `-h` given explicitly.
    pub filename_option: Option<bool>,
}

impl Config {
    /// GNU's shortcut: with no patterns, or with `-v` and an empty pattern (which matches every
    /// line), nothing can be selected, so GNU reads nothing and prints nothing (but `-L`).
    pub fn matches_nothing(&self) -> bool {
        let m = &self.match_opts;
        if self.scan.invert {
            !m.line && !m.word && self.patterns.iter().any(|p| p.is_empty())
        } else {
            self.patterns.is_empty()
        }
    }
}

/// Parses the command line. The outer error is an I/O failure writing a message; the inner
/// error is the exit status to return after a usage problem (already reported).
pub async fn parse(ctx: &mut CommandContext, args: &[String]) -> io::Result<Result<Config, i32>> {
    let parsed = match getopt::parse(&SPEC, args) {
        Ok(p) => p,
        Err(msg) => {
            ctx.error(msg).await?;
            usage(ctx).await?;
            return Ok(Err(2));
        }
    };
    let mut syntax: Option<(char, Syntax)> = None;
    let mut ignore_case = false;
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut have_patterns = false;
    let mut before: Option<usize> = None;
    let mut after: Option<usize> = None;
    let mut context: Option<usize> = None;
    let mut digits: Option<String> = None;
    let mut s = ScanOpts {
        invert: false,
        count: false,
        list: ListMode::None,
        quiet: false,
        only_matching: false,
        line_number: false,
        byte_offset: false,
        with_filename: false,
        null_after_name: false,
        max_count: None,
        before: 0,
        after: 0,
        context: false,
        group_separator: Some(b"--".to_vec()),
        binary: BinaryMode::Binary,
        eol: b'\n',
        align_tabs: false,
        align_width: 0,
    };
    let (mut word, mut line) = (false, false);
    let mut recursive = false;
    let mut skip_dirs = false;
    let mut no_messages = false;
    let mut rules = Vec::new();
    let mut exclude_dirs = Vec::new();
    let mut label = "(standard input)".to_string();
    let mut filename_option = None;
    let mut last_was_digit = false;
    for opt in &parsed.opts {
        let key = opt.key.as_str();
        let value = opt.value.clone().unwrap_or_default();
        let is_digit = key.len() == 1 && key.as_bytes()[0].is_ascii_digit();
        if is_digit {
            let d = digits.get_or_insert_with(String::new);
            if !last_was_digit {
                d.clear();
            }
            d.push_str(key);
        }
        last_was_digit = is_digit;
        match key {
            _ if is_digit => {}
            "E" | "F" | "G" | "P" => {
                let c = key.chars().next().unwrap_or('G');
                let syn = match c {
                    'E' => Syntax::Extended,
                    'F' => Syntax::Fixed,
                    'P' => Syntax::Perl,
                    _ => Syntax::Basic,
                };
                if let Some((prev, _)) = syntax
                    && prev != c
                {
                    ctx.error("conflicting matchers specified").await?;
                    return Ok(Err(2));
                }
                syntax = Some((c, syn));
            }
            "A" | "B" | "C" => {
                let Some(n) = context_arg(ctx, &value).await? else {
                    return Ok(Err(2));
                };
                match key {
                    "A" => after = Some(n),
                    "B" => before = Some(n),
                    _ => context = Some(n),
                }
            }
            "binary-files" => {
                s.binary = match value.as_str() {
                    "binary" => BinaryMode::Binary,
                    "text" => BinaryMode::Text,
                    "without-match" => BinaryMode::WithoutMatch,
                    _ => {
                        ctx.error("unknown binary-files type").await?;
                        return Ok(Err(2));
                    }
                }
            }
            "a" => s.binary = BinaryMode::Text,
            "I" => s.binary = BinaryMode::WithoutMatch,
            "b" => s.byte_offset = true,
            "c" => s.count = true,
            "color" => match value.as_str() {
                "" | "never" | "no" | "none" | "auto" | "tty" | "if-tty" => {}
                _ => return unsupported(ctx, "--color").await,
            },
            "D" => {
                if let Err(status) =
                    check_choice(ctx, &value, "--devices", &["read", "skip"]).await?
                {
                    return Ok(Err(status));
                }
            }
            "d" => {
                if let Err(status) =
                    check_choice(ctx, &value, "--directories", &["read", "recurse", "skip"]).await?
                {
                    return Ok(Err(status));
                }
                match value.as_str() {
                    "recurse" => recursive = true,
                    "skip" => skip_dirs = true,
                    _ => skip_dirs = false,
                }
            }
            "e" => {
                have_patterns = true;
                patterns.extend(value.split('\n').map(|p| p.as_bytes().to_vec()));
            }
            "f" => {
                have_patterns = true;
                match read_pattern_file(ctx, &value).await {
                    Ok(list) => patterns.extend(list),
                    Err(e) => {
                        ctx.error(format!("{value}: {e}")).await?;
                        return Ok(Err(2));
                    }
                }
            }
            "exclude" | "include" => match fnmatch_glob(&value) {
                Some(g) => rules.push(FileRule {
                    include: key == "include",
                    glob: g,
                }),
                None => return unsupported(ctx, &format!("--{key}={value}")).await,
            },
            "exclude-from" => match read_pattern_file(ctx, &value).await {
                Ok(list) => {
                    for p in list {
                        let text = String::from_utf8_lossy(&p).into_owned();
                        if let Some(g) = fnmatch_glob(&text) {
                            rules.push(FileRule {
                                include: false,
                                glob: g,
                            });
                        }
                    }
                }
                Err(e) => {
                    ctx.error(format!("{value}: {e}")).await?;
                    return Ok(Err(2));
                }
            },
            "exclude-dir" => match fnmatch_glob(&value) {
                Some(g) => exclude_dirs.push(g),
                None => return unsupported(ctx, &format!("--exclude-dir={value}")).await,
            },
            "group-separator" => s.group_separator = Some(value.into_bytes()),
            "no-group-separator" => s.group_separator = None,
            "H" => filename_option = Some(true),
            "h" => filename_option = Some(false),
            "i" | "y" => ignore_case = true,
            "no-ignore-case" => ignore_case = false,
            "L" => s.list = ListMode::NonMatching,
            "l" => s.list = ListMode::Matching,
            "label" => label = value,
            "line-buffered" | "U" => {}
            "m" => match value.trim_start().parse::<i64>() {
                Ok(n) if n < 0 => s.max_count = None,
                Ok(n) => s.max_count = Some(n as u64),
                Err(_) => {
                    ctx.error("invalid max count").await?;
                    return Ok(Err(2));
                }
            },
            "n" => s.line_number = true,
            "o" => s.only_matching = true,
            "q" => s.quiet = true,
            "R" | "r" => recursive = true,
            "s" => no_messages = true,
            "u" => {
                ctx.error("warning: --unix-byte-offsets (-u) is obsolete")
                    .await?
            }
            "v" => s.invert = true,
            "w" => word = true,
            "x" => line = true,
            "Z" => s.null_after_name = true,
            "z" => s.eol = 0,
            "T" => s.align_tabs = true,
            "V" => {
                if let Some(v) = crate::commands::system::versions::lookup("grep") {
                    ctx.stdout.write_all(v.stdout.as_bytes()).await?;
                }
                return Ok(Err(0));
            }
            "X" => return unsupported(ctx, "-X").await,
            "help" => return unsupported(ctx, "--help").await,
            _ => return unsupported(ctx, &format!("--{key}")).await,
        }
    }
    // Context: -A/-B override -C and -NUM.
    let digits_ctx = match digits {
        Some(d) => match context_arg(ctx, &d).await? {
            Some(n) => Some(n),
            None => return Ok(Err(2)),
        },
        None => None,
    };
    let general = context.or(digits_ctx);
    s.before = before.or(general).unwrap_or(0);
    s.after = after.or(general).unwrap_or(0);
    s.context = before.is_some() || after.is_some() || general.is_some();
    let mut operands = parsed.operands;
    if !have_patterns {
        if operands.is_empty() {
            usage(ctx).await?;
            return Ok(Err(2));
        }
        let p = operands.remove(0);
        patterns.extend(p.split('\n').map(|x| x.as_bytes().to_vec()));
    }
    let match_opts = MatchOptions {
        syntax: syntax.map_or(Syntax::Basic, |(_, s)| s),
        ignore_case,
        word: word && !line,
        line,
        null_data: s.eol == 0,
    };
    Ok(Ok(Config {
        patterns,
        match_opts,
        scan: s,
        recursive,
        skip_dirs,
        no_messages,
        rules,
        exclude_dirs,
        label,
        operands,
        filename_option,
    }))
}

/// Validates a context length; on error prints GNU's message and returns None. Lengths too
/// large to represent mean "unlimited", as in GNU.
async fn context_arg(ctx: &mut CommandContext, value: &str) -> io::Result<Option<usize>> {
    let v = value.trim_start();
    match v.parse::<u64>() {
        Ok(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        Err(_) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(usize::MAX)),
        Err(_) => {
            ctx.error(format!("{value}: invalid context length argument"))
                .await?;
            Ok(None)
        }
    }
}

async fn check_choice(
    ctx: &mut CommandContext,
    value: &str,
    option: &str,
    valid: &[&str],
) -> io::Result<Result<(), i32>> {
    if valid.contains(&value) {
        return Ok(Ok(()));
    }
    let mut msg = format!(
        "{}: invalid argument \u{2018}{value}\u{2019} for \u{2018}{option}\u{2019}\nValid arguments are:\n",
        ctx.name
    );
    for v in valid {
        msg.push_str(&format!("  - \u{2018}{v}\u{2019}\n"));
    }
    ctx.stderr.write_str(&msg).await?;
    usage(ctx).await?;
    // GNU's argmatch failure exits through usage(EXIT_FAILURE).
    Ok(Err(1))
}

async fn usage(ctx: &mut CommandContext) -> io::Result<()> {
    let name = ctx.name.clone();
    ctx.stderr
        .write_str(&format!("Usage: {name} [OPTION]... PATTERNS [FILE]...\nTry '{name} --help' for more information.\n"))
        .await
}

async fn unsupported<T>(ctx: &mut CommandContext, what: &str) -> io::Result<Result<T, i32>> {
    crate::commands::common::unsupported(ctx, what)
        .await
        .map(Err)
}

/// Reads a pattern file (`-f`): one pattern per line; `-` is stdin.
async fn read_pattern_file(
    ctx: &mut CommandContext,
    name: &str,
) -> Result<Vec<Vec<u8>>, mirage_core::FsError> {
    use tokio::io::AsyncReadExt;
    let mut reader = open_operand(ctx, name).await?;
    let mut data = Vec::new();
    reader
        .read_to_end(&mut data)
        .await
        .map_err(mirage_core::FsError::from)?;
    if data.is_empty() {
        return Ok(Vec::new());
    }
    if data.last() == Some(&b'\n') {
        data.pop();
    }
    Ok(data.split(|b| *b == b'\n').map(|l| l.to_vec()).collect())
}
