//! `ls`: list files and directories, one name per line as GNU does when stdout is not a
//! terminal (always the case in Mirage), or in columns (`-C`, `-x`), comma-separated (`-m`) or
//! in the long format (`-l`, see `ls_long`).

use std::cmp::Ordering;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FileStat, MountTable, VPath};

use super::fnmatch::Pattern;
#[path = "ls_columns.rs"]
pub(super) mod columns;
#[path = "ls_version.rs"]
mod version;

use super::ls_long::{LongFormat, TimeStyle, blocks, link_count, render, row, total_line};
use super::support::{
    HELP, VERSION, argmatch, child_display, gnu_size, long, lquote, lstat_operand, parse_refusing,
    quote_always, stat_operand, unsupported,
};
use super::time::Stamp;
use crate::commands::getopt::{HasArg, OptSpec};
use columns::{
    BlockSizeError, Cell, Units, c_quote, commas, display_width, grid, parse_block_size,
};
use version::version_order;

pub struct Ls;

const SPEC: OptSpec = OptSpec {
    short: "abcdfghiklmnopqrstuvw:xABCDFGHI:LNQRST:UXZ1",
    long: &[
        long("all", HasArg::No, "a"),
        long("almost-all", HasArg::No, "A"),
        long("author", HasArg::No, "author"),
        long("escape", HasArg::No, "b"),
        long("block-size", HasArg::Required, "block-size"),
        long("ignore-backups", HasArg::No, "B"),
        long("color", HasArg::Optional, "color"),
        long("directory", HasArg::No, "d"),
        long("dired", HasArg::No, "D"),
        long("classify", HasArg::Optional, "classify"),
        long("file-type", HasArg::No, "file-type"),
        long("format", HasArg::Required, "format"),
        long("full-time", HasArg::No, "full-time"),
        long(
            "group-directories-first",
            HasArg::No,
            "group-directories-first",
        ),
        long("no-group", HasArg::No, "G"),
        long("human-readable", HasArg::No, "h"),
        long("si", HasArg::No, "si"),
        long("dereference-command-line", HasArg::No, "H"),
        long(
            "dereference-command-line-symlink-to-dir",
            HasArg::No,
            "dereference-command-line-symlink-to-dir",
        ),
        long("hide", HasArg::Required, "hide"),
        long("hyperlink", HasArg::Optional, "hyperlink"),
        long("indicator-style", HasArg::Required, "indicator-style"),
        long("inode", HasArg::No, "i"),
        long("ignore", HasArg::Required, "I"),
        long("kibibytes", HasArg::No, "k"),
        long("dereference", HasArg::No, "L"),
        long("numeric-uid-gid", HasArg::No, "n"),
        long("literal", HasArg::No, "N"),
        long("hide-control-chars", HasArg::No, "q"),
        long("show-control-chars", HasArg::No, "show-control-chars"),
        long("quote-name", HasArg::No, "Q"),
        long("quoting-style", HasArg::Required, "quoting-style"),
        long("reverse", HasArg::No, "r"),
        long("recursive", HasArg::No, "R"),
        long("size", HasArg::No, "s"),
        long("sort", HasArg::Required, "sort"),
        long("time", HasArg::Required, "time"),
        long("time-style", HasArg::Required, "time-style"),
        long("tabsize", HasArg::Required, "T"),
        long("width", HasArg::Required, "w"),
        long("context", HasArg::No, "Z"),
        long("zero", HasArg::No, "zero"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Options that need data Mirage does not have (authors, inodes, access and change times,
/// or output it does not produce (escapes, dired). `-Z` shows `?`, as GNU does for files
/// without a security context.
const REFUSED: &[&str] = &["author", "c", "D", "i", "time", "u"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sort {
    Name,
    Time,
    Size,
    Extension,
    Unsorted,
    Version,
    Width,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Indicator {
    None,
    Slash,
    FileType,
    Classify,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Hidden {
    Skip,
    AlmostAll,
    All,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum When {
    Always,
    Never,
    Auto,
}

const WHEN: &[(&str, When)] = &[
    ("always", When::Always),
    ("yes", When::Always),
    ("force", When::Always),
    ("never", When::Never),
    ("no", When::Never),
    ("none", When::Never),
    ("auto", When::Auto),
    ("tty", When::Auto),
    ("if-tty", When::Auto),
];

const SORTS: &[(&str, Sort)] = &[
    ("none", Sort::Unsorted),
    ("time", Sort::Time),
    ("size", Sort::Size),
    ("extension", Sort::Extension),
    ("version", Sort::Version),
    ("width", Sort::Width),
];

const INDICATORS: &[(&str, Indicator)] = &[
    ("none", Indicator::None),
    ("slash", Indicator::Slash),
    ("file-type", Indicator::FileType),
    ("classify", Indicator::Classify),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Quoting {
    Literal,
    C,
    Escape,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Long,
    Commas,
    Across,
    Vertical,
    Single,
}

const FORMATS: &[(&str, Format)] = &[
    ("verbose", Format::Long),
    ("long", Format::Long),
    ("commas", Format::Commas),
    ("horizontal", Format::Across),
    ("across", Format::Across),
    ("vertical", Format::Vertical),
    ("single-column", Format::Single),
];

const QUOTING: &[(&str, u8)] = &[
    ("literal", 0),
    ("shell", 1),
    ("shell-always", 2),
    ("shell-escape", 3),
    ("shell-escape-always", 4),
    ("c", 5),
    ("escape", 6),
    ("locale", 7),
    ("clocale", 8),
];

struct Opts {
    hidden: Hidden,
    directory: bool,
    recursive: bool,
    reverse: bool,
    sort: Sort,
    indicator: Indicator,
    zero: bool,
    group_dirs: bool,
    /// `-q`: control characters in names print as `?`.
    hide_control: bool,
    ignore: Vec<Pattern>,
    hide: Vec<Pattern>,
    /// `-l` and its relatives: the long format.
    long: Option<LongFormat>,
    format: Format,
    /// `-w`/`COLUMNS` (0: no limit).
    width: usize,
    /// `-T`/`TABSIZE`.
    tabsize: usize,
    /// `-s`: allocated blocks before each name.
    blocks: Option<Units>,
    /// `-Q`/`--quoting-style=c` (double quotes and C escapes), `-b`/`--quoting-style=escape`
    /// (C escapes and `\ ` without quotes), or neither (literal).
    quoting: Quoting,
    /// `-Z`: the (absent) security context, `?`.
    context: bool,
}

/// One name to print: as shown, its metadata, and where it lives.
struct Item {
    name: String,
    stat: FileStat,
    path: VPath,
}

/// Builds the options, or returns the exit status after printing why they were refused.
async fn options(
    ctx: &mut CommandContext,
    parsed: &crate::commands::getopt::Parsed,
) -> std::io::Result<Result<Opts, i32>> {
    let mut o = Opts {
        hidden: Hidden::Skip,
        directory: false,
        recursive: false,
        reverse: false,
        sort: Sort::Name,
        indicator: Indicator::None,
        zero: false,
        group_dirs: false,
        hide_control: false,
        ignore: Vec::new(),
        hide: Vec::new(),
        long: None,
        format: Format::Single,
        width: 80,
        tabsize: 8,
        blocks: None,
        quoting: Quoting::Literal,
        context: false,
    };
    let mut fmt = LongFormat::new();
    let mut show_blocks = false;
    let mut width = None;
    let mut tabsize = None;
    // -h, --si and --block-size set the units of both sizes and blocks; -k only blocks.
    let mut units: Option<Units> = None;
    for opt in &parsed.opts {
        let value = opt.value.as_deref();
        match opt.key.as_str() {
            "a" => o.hidden = Hidden::All,
            "A" => o.hidden = Hidden::AlmostAll,
            "d" => o.directory = true,
            "R" => o.recursive = true,
            "r" => o.reverse = true,
            "t" => o.sort = Sort::Time,
            "S" => o.sort = Sort::Size,
            "X" => o.sort = Sort::Extension,
            "U" => o.sort = Sort::Unsorted,
            "v" => o.sort = Sort::Version,
            "f" => {
                o.hidden = Hidden::All;
                o.sort = Sort::Unsorted;
                if o.format == Format::Long {
                    o.format = Format::Single;
                }
                show_blocks = false;
            }
            "s" => show_blocks = true,
            "C" => o.format = Format::Vertical,
            "x" => o.format = Format::Across,
            "m" => o.format = Format::Commas,
            "1" if o.format != Format::Long => o.format = Format::Single,
            "Q" => o.quoting = Quoting::C,
            "b" => o.quoting = Quoting::Escape,
            "Z" => (o.context, fmt.context) = (true, true),
            "N" => o.quoting = Quoting::Literal,
            "h" => units = Some(Units::Human { si: false }),
            "si" => units = Some(Units::Human { si: true }),
            "block-size" => {
                let v = value.unwrap_or_default();
                match parse_block_size(v) {
                    Ok(u) => units = Some(u),
                    Err(e) => {
                        let msg = match e {
                            BlockSizeError::Invalid => {
                                format!("invalid --block-size argument {}", quote_always(v))
                            }
                            BlockSizeError::Suffix => format!(
                                "invalid suffix in --block-size argument {}",
                                quote_always(v)
                            ),
                            BlockSizeError::TooLarge => {
                                format!("--block-size argument {} too large", quote_always(v))
                            }
                        };
                        ctx.error(msg).await?;
                        return Ok(Err(2));
                    }
                }
            }
            "F" => o.indicator = Indicator::Classify,
            "p" => o.indicator = Indicator::Slash,
            "file-type" => o.indicator = Indicator::FileType,
            "B" => {
                o.ignore.push(Pattern::new("*~", false).with_period());
                o.ignore.push(Pattern::new(".*~", false).with_period());
            }
            "I" => o
                .ignore
                .push(Pattern::new(value.unwrap_or_default(), false).with_period()),
            "hide" => o
                .hide
                .push(Pattern::new(value.unwrap_or_default(), false).with_period()),
            "zero" => {
                o.zero = true;
                if o.format != Format::Long {
                    o.format = Format::Single;
                }
            }
            "l" => o.format = Format::Long,
            "g" => (o.format, fmt.owner) = (Format::Long, false),
            "o" => (o.format, fmt.group) = (Format::Long, false),
            "n" => (o.format, fmt.numeric) = (Format::Long, true),
            "G" => fmt.group = false,
            "full-time" => (o.format, fmt.time_style) = (Format::Long, TimeStyle::FullIso),
            "time-style" => match time_style(value.unwrap_or_default()) {
                Some(style) => fmt.time_style = style,
                None => {
                    return unsupported(
                        ctx,
                        &format!("--time-style={}", value.unwrap_or_default()),
                    )
                    .await
                    .map(Err);
                }
            },
            "w" | "T" => {
                let v = value.unwrap_or_default();
                let Some(n) = parse_count(v) else {
                    let what = if opt.key == "w" {
                        "line width"
                    } else {
                        "tab size"
                    };
                    ctx.error(format!("invalid {what}: {}", lquote(v))).await?;
                    return Ok(Err(2));
                };
                if opt.key == "w" {
                    width = Some(n);
                } else {
                    tabsize = Some(n);
                }
            }
            "q" => o.hide_control = true,
            "show-control-chars" => o.hide_control = false,
            "group-directories-first" => o.group_dirs = true,
            "classify" => {
                let when = match value {
                    None => When::Always,
                    Some(v) => match argmatch(ctx, "--classify", v, WHEN).await? {
                        Ok(w) => w,
                        Err(status) => return Ok(Err(status)),
                    },
                };
                // Standard output is never a terminal here, so `auto` means no indicators.
                o.indicator = if when == When::Always {
                    Indicator::Classify
                } else {
                    Indicator::None
                };
            }
            "indicator-style" => match argmatch(
                ctx,
                "--indicator-style",
                value.unwrap_or_default(),
                INDICATORS,
            )
            .await?
            {
                Ok(i) => o.indicator = i,
                Err(status) => return Ok(Err(status)),
            },
            "sort" => match argmatch(ctx, "--sort", value.unwrap_or_default(), SORTS).await? {
                Ok(s) => o.sort = s,
                Err(status) => return Ok(Err(status)),
            },
            "color" | "hyperlink" => {
                let when = match value {
                    None => When::Always,
                    Some(v) => match argmatch(ctx, &format!("--{}", opt.key), v, WHEN).await? {
                        Ok(w) => w,
                        Err(status) => return Ok(Err(status)),
                    },
                };
                if when == When::Always {
                    return unsupported(ctx, &format!("--{}", opt.key)).await.map(Err);
                }
            }
            "format" => {
                match argmatch(ctx, "--format", value.unwrap_or_default(), FORMATS).await? {
                    Ok(f) => o.format = f,
                    Err(status) => return Ok(Err(status)),
                }
            }
            "quoting-style" => {
                match argmatch(ctx, "--quoting-style", value.unwrap_or_default(), QUOTING).await? {
                    Ok(0) => o.quoting = Quoting::Literal,
                    Ok(5) => o.quoting = Quoting::C,
                    Ok(6) => o.quoting = Quoting::Escape,
                    Ok(_) => {
                        return unsupported(
                            ctx,
                            &format!("--quoting-style={}", value.unwrap_or_default()),
                        )
                        .await
                        .map(Err);
                    }
                    Err(status) => return Ok(Err(status)),
                }
            }
            // Accepted because they change nothing here: names are already printed literally.
            _ => {}
        }
    }
    if let Some(u) = units {
        fmt.size_units = u.clone();
        fmt.block_units = u;
    }
    if show_blocks {
        o.blocks = Some(fmt.block_units.clone());
        fmt.show_blocks = true;
    }
    if matches!(o.format, Format::Vertical | Format::Across | Format::Commas) {
        o.width = match width {
            Some(w) => w,
            None => match ctx.env.get("COLUMNS").filter(|v| !v.is_empty()).cloned() {
                Some(v) => match parse_count(&v) {
                    Some(w) => w,
                    None => {
                        ctx.error(format!(
                            "ignoring invalid width in environment variable COLUMNS: {}",
                            lquote(&v)
                        ))
                        .await?;
                        80
                    }
                },
                None => 80,
            },
        };
        o.tabsize = match tabsize {
            Some(t) => t,
            None => match ctx.env.get("TABSIZE").cloned() {
                Some(v) => match parse_count(&v) {
                    Some(t) => t,
                    None => {
                        ctx.error(format!(
                            "ignoring invalid tab size in environment variable TABSIZE: {}",
                            lquote(&v)
                        ))
                        .await?;
                        8
                    }
                },
                None => 8,
            },
        };
    }
    if o.format == Format::Long {
        o.long = Some(fmt);
    }
    Ok(Ok(o))
}

/// A width or tab size as `strtoumax` with base 0 reads it (decimal, `0x` hex, `0` octal);
/// values too large for a `usize` mean no limit.
fn parse_count(v: &str) -> Option<usize> {
    let (digits, radix) = if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        (h, 16)
    } else if v.len() > 1 && v.starts_with('0') {
        (&v[1..], 8)
    } else {
        (v, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(usize::from_str_radix(digits, radix).unwrap_or(usize::MAX))
}

/// `--time-style` values (with or without GNU's `posix-` prefix).
fn time_style(value: &str) -> Option<TimeStyle> {
    match value.strip_prefix("posix-").unwrap_or(value) {
        "full-iso" => Some(TimeStyle::FullIso),
        "long-iso" => Some(TimeStyle::LongIso),
        "iso" => Some(TimeStyle::Iso),
        "locale" => Some(TimeStyle::Locale),
        v if v.starts_with('+') && !v.contains('\n') => Some(TimeStyle::Custom(v[1..].to_string())),
        _ => None,
    }
}

#[async_trait]
impl Command for Ls {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 2, REFUSED).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        let opts = match options(ctx, &parsed).await? {
            Ok(o) => o,
            Err(status) => return Ok(status),
        };
        let operands = if parsed.operands.is_empty() {
            vec![".".to_string()]
        } else {
            parsed.operands.clone()
        };
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut status = 0;
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        // With -l, -d or -F a link named on the command line is shown, not followed.
        let no_follow =
            opts.long.is_some() || opts.directory || opts.indicator == Indicator::Classify;
        // A plain listing needs no stat of a directory operand: listing it proves it is one.
        // On a remote mount that saves a call per operand (and the listing is cached for the
        // contents pass below).
        let list_first = !no_follow
            && !matches!(opts.sort, Sort::Time | Sort::Size)
            && opts.hidden != Hidden::All;
        for op in &operands {
            // Without `.`/`..` components the lexical path is the kernel's path (a trailing
            // slash only demands a directory, which a listing proves).
            let lexical = !op.is_empty() && !op.split('/').any(|c| c == "." || c == "..");
            let listed = if list_first && lexical {
                let path = cwd.join(op);
                fs.list(&path).await.is_ok().then_some(path)
            } else {
                None
            };
            let found = if let Some(path) = listed {
                Ok((path, FileStat::dir()))
            } else if no_follow {
                lstat_operand(&fs, &cwd, op).await
            } else {
                stat_operand(&fs, &cwd, op).await
            };
            match found {
                Ok((path, stat)) => {
                    let item = Item {
                        name: op.clone(),
                        stat,
                        path,
                    };
                    if item.stat.is_dir() && !opts.directory {
                        dirs.push(item)
                    } else {
                        files.push(item)
                    }
                }
                Err(e) => {
                    ctx.error(format!("cannot access {}: {e}", quote_always(op)))
                        .await?;
                    status = 2;
                }
            }
        }
        sort_items(&mut files, &opts);
        print_items(ctx, &fs, &files, &opts, false).await?;
        sort_items(&mut dirs, &opts);
        let print_header = operands.len() > 1 || opts.recursive;
        let mut first = true;
        if !files.is_empty() && !dirs.is_empty() {
            ctx.stdout.write_all(b"\n").await?;
        }
        // Depth first in listing order, as GNU's pending-directory stack visits them.
        let mut stack: Vec<(String, VPath, bool)> = dirs
            .into_iter()
            .rev()
            .map(|d| (d.name, d.path, true))
            .collect();
        while let Some((name, path, command_line)) = stack.pop() {
            let entries = match list_dir(&fs, &path, &opts).await {
                Ok(e) => e,
                Err(e) => {
                    ctx.error(format!(
                        "cannot open directory {}: {e}",
                        quote_always(&name)
                    ))
                    .await?;
                    status = if command_line { 2 } else { status.max(1) };
                    continue;
                }
            };
            if print_header {
                if !first {
                    ctx.stdout.write_all(b"\n").await?;
                }
                ctx.stdout
                    .write_all(format!("{}:\n", shown(&name, &opts)).as_bytes())
                    .await?;
            }
            first = false;
            let mut items: Vec<Item> = entries
                .into_iter()
                .map(|(n, stat)| {
                    let p = if n == "." {
                        path.clone()
                    } else if n == ".." {
                        path.parent()
                    } else {
                        path.child(&n)
                    };
                    Item {
                        name: n,
                        stat,
                        path: p,
                    }
                })
                .collect();
            sort_items(&mut items, &opts);
            print_items(ctx, &fs, &items, &opts, true).await?;
            if opts.recursive {
                for item in items.iter().rev() {
                    if item.stat.is_dir() && item.name != "." && item.name != ".." {
                        stack.push((child_display(&name, &item.name), item.path.clone(), false));
                    }
                }
            }
        }
        Ok(status)
    }
}

/// The entries of a directory after the hidden-file, `-I`, `--hide` and `-B` filters, with `.`
/// and `..` added for `-a`.
async fn list_dir(
    fs: &MountTable,
    path: &VPath,
    opts: &Opts,
) -> mirage_core::FsResult<Vec<(String, FileStat)>> {
    let listed = fs.list(path).await?;
    let mut out = Vec::with_capacity(listed.len() + 2);
    if opts.hidden == Hidden::All {
        let here = fs.stat(path).await?;
        let up = fs
            .stat(&path.parent())
            .await
            .unwrap_or_else(|_| here.clone());
        out.push((".".to_string(), here));
        out.push(("..".to_string(), up));
    }
    out.extend(listed.into_iter().map(|e| (e.name, e.stat)));
    out.retain(|(name, _)| {
        let dotted = name.starts_with('.');
        if dotted && opts.hidden == Hidden::Skip {
            return false;
        }
        if opts.ignore.iter().any(|p| p.matches(name)) {
            return false;
        }
        !(opts.hidden == Hidden::Skip && opts.hide.iter().any(|p| p.matches(name)))
    });
    Ok(out)
}

/// The extension `ls -X` sorts by: from the last `.` on, or nothing.
fn extension(name: &str) -> &str {
    name.rfind('.').map_or("", |i| &name[i..])
}

fn compare(a: &Item, b: &Item, opts: &Opts) -> Ordering {
    if opts.group_dirs {
        match (a.stat.is_dir(), b.stat.is_dir()) {
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
    }
    let by_name = || a.name.as_bytes().cmp(b.name.as_bytes());
    let ord = match opts.sort {
        Sort::Time => Stamp::modified(&b.stat)
            .cmp(&Stamp::modified(&a.stat))
            .then_with(by_name),
        Sort::Size => {
            let size = |i: &Item| gnu_size(&i.stat).unwrap_or(0);
            size(b).cmp(&size(a)).then_with(by_name)
        }
        Sort::Extension => extension(&a.name)
            .as_bytes()
            .cmp(extension(&b.name).as_bytes())
            .then_with(by_name),
        Sort::Version => version_order(&a.name, &b.name),
        Sort::Width => display_width(&shown(&a.name, opts))
            .cmp(&display_width(&shown(&b.name, opts)))
            .then_with(by_name),
        _ => by_name(),
    };
    if opts.reverse { ord.reverse() } else { ord }
}

fn sort_items(items: &mut [Item], opts: &Opts) {
    if opts.sort == Sort::Unsorted {
        if opts.group_dirs {
            items.sort_by_key(|i| !i.stat.is_dir());
        }
        return;
    }
    items.sort_by(|a, b| compare(a, b, opts));
}

/// The character `-F`/`-p`/`--file-type` append.
fn indicator(st: &FileStat, style: Indicator) -> &'static str {
    match style {
        Indicator::None => "",
        _ if st.is_dir() => "/",
        Indicator::FileType | Indicator::Classify if st.is_symlink() => "@",
        Indicator::Classify if st.mode.is_some_and(|m| m & 0o111 != 0) => "*",
        _ => "",
    }
}

/// A name as printed: literally, with control characters as `?` under `-q`, or quoted by
/// `-Q`.
fn shown<'a>(name: &'a str, opts: &Opts) -> std::borrow::Cow<'a, str> {
    if opts.quoting != Quoting::Literal {
        c_quote(name, opts.quoting == Quoting::C).into()
    } else if opts.hide_control && name.chars().any(char::is_control) {
        name.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect::<String>()
            .into()
    } else {
        name.into()
    }
}

/// Prints one group of items: a line each, or the long format (with `total` for directory
/// contents).
async fn print_items(
    ctx: &mut CommandContext,
    fs: &MountTable,
    items: &[Item],
    opts: &Opts,
    directory_contents: bool,
) -> std::io::Result<()> {
    let Some(fmt) = &opts.long else {
        return print_short(ctx, items, opts, directory_contents).await;
    };
    let now = Stamp::now();
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        let mut name = shown(&item.name, opts).into_owned().into_bytes();
        match fs
            .link_target(&item.path)
            .filter(|_| item.stat.is_symlink())
        {
            Some(target) => {
                name.extend_from_slice(b" -> ");
                name.extend_from_slice(shown(&target, opts).as_bytes());
                if opts.indicator != Indicator::None
                    && let Ok(st) = fs.stat(&item.path).await
                {
                    name.extend_from_slice(indicator(&st, opts.indicator).as_bytes());
                }
            }
            None => name.extend_from_slice(indicator(&item.stat, opts.indicator).as_bytes()),
        }
        let links = link_count(fs, &item.path, &item.stat).await;
        rows.push(row(fmt, &item.stat, links, name, now));
    }
    let end = if opts.zero { 0 } else { b'\n' };
    if directory_contents {
        let mut total = total_line(fmt, &rows).into_bytes();
        if let Some(last) = total.last_mut() {
            *last = end;
        }
        ctx.stdout.write_all(&total).await?;
    }
    ctx.stdout.write_all(&render(fmt, &rows, end)).await
}

/// Every format but the long one: the names (with `-s` blocks and indicators) one per line,
/// in columns or separated by commas.
async fn print_short(
    ctx: &mut CommandContext,
    items: &[Item],
    opts: &Opts,
    directory_contents: bool,
) -> std::io::Result<()> {
    let end = if opts.zero { 0 } else { b'\n' };
    let block_texts: Vec<String> = match &opts.blocks {
        Some(units) => {
            if directory_contents {
                let total: u64 = items.iter().map(|i| blocks(&i.stat)).sum();
                let mut line = format!("total {}", units.show(total.saturating_mul(1024)));
                line.push(char::from(end));
                ctx.stdout.write_all(line.as_bytes()).await?;
            }
            items
                .iter()
                .map(|i| units.show(blocks(&i.stat).saturating_mul(1024)))
                .collect()
        }
        None => Vec::new(),
    };
    let block_width = block_texts
        .iter()
        .map(|b| display_width(b))
        .max()
        .unwrap_or(0);
    let mut cells = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let mut text = String::new();
        if let Some(b) = block_texts.get(i) {
            if opts.format == Format::Commas {
                text.push_str(b);
            } else {
                text.push_str(&format!("{b:>block_width$}"));
            }
            text.push(' ');
        }
        if opts.context {
            text.push_str("? ");
        }
        text.push_str(&shown(&item.name, opts));
        text.push_str(indicator(&item.stat, opts.indicator));
        cells.push(Cell {
            width: display_width(&text),
            text: text.into_bytes(),
        });
    }
    let out = match opts.format {
        Format::Vertical => grid(&cells, true, opts.width, opts.tabsize, end),
        Format::Across => grid(&cells, false, opts.width, opts.tabsize, end),
        Format::Commas => commas(&cells, opts.width, end),
        _ => {
            let mut out = Vec::new();
            for cell in cells {
                out.extend_from_slice(&cell.text);
                out.push(end);
            }
            out
        }
    };
    ctx.stdout.write_all(&out).await
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        LISTING_TREE as TREE, check, fs_with, run, run_on, set_time, succeeds,
    };

    /// Names that sort differently by extension, by `-B` backups, by hidden dots and by
    /// leading punctuation, for the sorting and filtering tests.
    const NAMES: &[(&str, &str)] = &[
        ("d/", ""),
        ("e/", ""),
        ("x.c", ""),
        ("y.b", ""),
        ("z", ""),
        ("a.b~", ""),
        (".h~", ""),
        ("-dash", ""),
        ("#h", ""),
    ];

    #[tokio::test]
    async fn plain_listing_and_hidden_files() {
        succeeds(&run(TREE, &["ls"]).await, "B\na.txt\nc\nd\ne\n");
        succeeds(
            &run(TREE, &["ls", "-a"]).await,
            ".\n..\n.hid\nB\na.txt\nc\nd\ne\n",
        );
        succeeds(&run(TREE, &["ls", "-A"]).await, ".hid\nB\na.txt\nc\nd\ne\n");
        succeeds(&run(TREE, &["ls", "-1", "d"]).await, "f1\nsub\n");
        succeeds(&run(TREE, &["ls", "-r"]).await, "e\nd\nc\na.txt\nB\n");
        succeeds(&run(TREE, &["ls", "-h"]).await, "B\na.txt\nc\nd\ne\n");
        succeeds(&run(TREE, &["ls", "e"]).await, "");
    }

    #[tokio::test]
    async fn several_operands_files_first_then_headers() {
        succeeds(
            &run(TREE, &["ls", "a.txt", "d", "e"]).await,
            "a.txt\n\nd:\nf1\nsub\n\ne:\n",
        );
        succeeds(
            &run(TREE, &["ls", "d", "."]).await,
            ".:\nB\na.txt\nc\nd\ne\n\nd:\nf1\nsub\n",
        );
        succeeds(
            &run(TREE, &["ls", "-A", "d", "e"]).await,
            "d:\nf1\nsub\n\ne:\n",
        );
        succeeds(&run(TREE, &["ls", "-d", "d", "e"]).await, "d\ne\n");
        succeeds(&run(TREE, &["ls", "-d"]).await, ".\n");
        succeeds(&run(TREE, &["ls", "-d", "d/", "."]).await, ".\nd/\n");
    }

    #[tokio::test]
    async fn missing_operands() {
        let err = "ls: cannot access 'nope': No such file or directory\n";
        check(&run(TREE, &["ls", "nope"]).await, "", err, 2);
        check(
            &run(TREE, &["ls", "nope", "a.txt"]).await,
            "a.txt\n",
            err,
            2,
        );
        check(
            &run(TREE, &["ls", "nope", "d"]).await,
            "d:\nf1\nsub\n",
            err,
            2,
        );
        check(
            &run(TREE, &["ls", "d", "a.txt", "nope"]).await,
            "a.txt\n\nd:\nf1\nsub\n",
            err,
            2,
        );
        check(
            &run(TREE, &["ls", "a.txt/"]).await,
            "",
            "ls: cannot access 'a.txt/': Not a directory\n",
            2,
        );
        check(
            &run(TREE, &["ls", "d/sub/g/"]).await,
            "",
            "ls: cannot access 'd/sub/g/': Not a directory\n",
            2,
        );
        check(
            &run(TREE, &["ls", "--", "-x"]).await,
            "",
            "ls: cannot access '-x': No such file or directory\n",
            2,
        );
    }

    #[tokio::test]
    async fn recursive() {
        succeeds(
            &run(TREE, &["ls", "-R"]).await,
            ".:\nB\na.txt\nc\nd\ne\n\n./d:\nf1\nsub\n\n./d/sub:\ng\n\n./e:\n",
        );
        succeeds(
            &run(TREE, &["ls", "-R", "d"]).await,
            "d:\nf1\nsub\n\nd/sub:\ng\n",
        );
        succeeds(
            &run(TREE, &["ls", "-R", "d/"]).await,
            "d/:\nf1\nsub\n\nd/sub:\ng\n",
        );
        succeeds(
            &run(TREE, &["ls", "-R", "./d"]).await,
            "./d:\nf1\nsub\n\n./d/sub:\ng\n",
        );
        succeeds(
            &run(TREE, &["ls", "-aR", "d"]).await,
            "d:\n.\n..\nf1\nsub\n\nd/sub:\n.\n..\ng\n",
        );
        succeeds(&run(TREE, &["ls", "-dR", "d"]).await, "d\n");
    }

    #[tokio::test]
    async fn indicators() {
        succeeds(&run(TREE, &["ls", "-F"]).await, "B\na.txt\nc\nd/\ne/\n");
        succeeds(&run(TREE, &["ls", "-p"]).await, "B\na.txt\nc\nd/\ne/\n");
        succeeds(
            &run(TREE, &["ls", "-F", "d/sub/g", "a.txt", "d"]).await,
            "a.txt\nd/sub/g\n\nd:\nf1\nsub/\n",
        );
        succeeds(
            &run(TREE, &["ls", "--indicator-style=s"]).await,
            "B\na.txt\nc\nd/\ne/\n",
        );
        succeeds(
            &run(TREE, &["ls", "--classify=auto"]).await,
            "B\na.txt\nc\nd\ne\n",
        );
    }

    #[tokio::test]
    async fn sorting_by_time_size_and_extension() {
        let fs = fs_with(TREE).await;
        set_time(&fs, "B", 1_577_836_800).await; // 2020-01-01
        set_time(&fs, "c", 1_609_459_200).await; // 2021-01-01
        set_time(&fs, "a.txt", 1_546_300_800).await; // 2019-01-01
        set_time(&fs, "d", 1_795_527_455).await;
        set_time(&fs, "e", 1_795_527_455).await;
        succeeds(&run_on(&fs, &["ls", "-t"]).await, "d\ne\nc\nB\na.txt\n");
        succeeds(&run_on(&fs, &["ls", "-tr"]).await, "a.txt\nB\nc\ne\nd\n");
        succeeds(&run_on(&fs, &["ls", "-St"]).await, "d\ne\nc\nB\na.txt\n");
        succeeds(&run_on(&fs, &["ls", "-tS"]).await, "d\ne\na.txt\nB\nc\n");
        succeeds(
            &run_on(&fs, &["ls", "-S", "a.txt", "B", "c"]).await,
            "a.txt\nB\nc\n",
        );
        succeeds(
            &run_on(&fs, &["ls", "-S", "d/sub", "d", "a.txt"]).await,
            "a.txt\n\nd:\nsub\nf1\n\nd/sub:\ng\n",
        );
        let x = NAMES;
        succeeds(
            &run(x, &["ls", "-X"]).await,
            "#h\n-dash\nd\ne\nz\ny.b\na.b~\nx.c\n",
        );
        succeeds(
            &run(x, &["ls", "-rX"]).await,
            "x.c\na.b~\ny.b\nz\ne\nd\n-dash\n#h\n",
        );
        succeeds(
            &run(x, &["ls", "--sort=ext"]).await,
            "#h\n-dash\nd\ne\nz\ny.b\na.b~\nx.c\n",
        );
        succeeds(
            &run(x, &["ls", "--group-directories-first"]).await,
            "d\ne\n#h\n-dash\na.b~\nx.c\ny.b\nz\n",
        );
        succeeds(
            &run(x, &["ls", "--group-directories-first", "-r"]).await,
            "e\nd\nz\ny.b\nx.c\na.b~\n-dash\n#h\n",
        );
    }

    #[tokio::test]
    async fn filters_and_terminators() {
        let x = NAMES;
        succeeds(
            &run(x, &["ls", "-a"]).await,
            "#h\n-dash\n.\n..\n.h~\na.b~\nd\ne\nx.c\ny.b\nz\n",
        );
        succeeds(
            &run(x, &["ls", "-B"]).await,
            "#h\n-dash\nd\ne\nx.c\ny.b\nz\n",
        );
        succeeds(
            &run(x, &["ls", "-aB"]).await,
            "#h\n-dash\n.\n..\nd\ne\nx.c\ny.b\nz\n",
        );
        succeeds(
            &run(x, &["ls", "--hide=*.c"]).await,
            "#h\n-dash\na.b~\nd\ne\ny.b\nz\n",
        );
        succeeds(
            &run(x, &["ls", "-a", "--hide=*.c"]).await,
            "#h\n-dash\n.\n..\n.h~\na.b~\nd\ne\nx.c\ny.b\nz\n",
        );
        succeeds(
            &run(x, &["ls", "-I", "*.c", "-I", "y*"]).await,
            "#h\n-dash\na.b~\nd\ne\nz\n",
        );
        succeeds(
            &run(x, &["ls", "-a", "-I", ".*"]).await,
            "#h\n-dash\na.b~\nd\ne\nx.c\ny.b\nz\n",
        );
        succeeds(&run(x, &["ls", "-A", "-I", "*"]).await, ".h~\n");
        succeeds(
            &run(&[("a\nb", ""), ("c\td", "")], &["ls", "-q"]).await,
            "a?b\nc?d\n",
        );
        succeeds(
            &run(&[("a\nb", "")], &["ls", "-q", "--show-control-chars"]).await,
            "a\nb\n",
        );
        succeeds(
            &run(x, &["ls", "--zero"]).await,
            "#h\0-dash\0a.b~\0d\0e\0x.c\0y.b\0z\0",
        );
        succeeds(
            &run(TREE, &["ls", "--zero", "a.txt", "d", "e"]).await,
            "a.txt\0\nd:\nf1\0sub\0\ne:\n",
        );
    }

    #[tokio::test]
    async fn option_errors_and_refusals() {
        check(
            &run(TREE, &["ls", "-y"]).await,
            "",
            "ls: invalid option -- 'y'\nTry 'ls --help' for more information.\n",
            2,
        );
        check(
            &run(TREE, &["ls", "--bogus"]).await,
            "",
            "ls: unrecognized option '--bogus'\nTry 'ls --help' for more information.\n",
            2,
        );
        check(
            &run(TREE, &["ls", "--sort"]).await,
            "",
            "ls: option '--sort' requires an argument\nTry 'ls --help' for more information.\n",
            2,
        );
        let sort_err = "ls: invalid argument \u{2018}bogus\u{2019} for \u{2018}--sort\u{2019}\nValid arguments are:\n  - \u{2018}none\u{2019}\n  - \u{2018}time\u{2019}\n  - \u{2018}size\u{2019}\n  - \u{2018}extension\u{2019}\n  - \u{2018}version\u{2019}\n  - \u{2018}width\u{2019}\nTry 'ls --help' for more information.\n";
        check(&run(TREE, &["ls", "--sort=bogus"]).await, "", sort_err, 1);
        let fmt_err = "ls: ambiguous argument \u{2018}v\u{2019} for \u{2018}--format\u{2019}\nValid arguments are:\n  - \u{2018}verbose\u{2019}, \u{2018}long\u{2019}\n  - \u{2018}commas\u{2019}\n  - \u{2018}horizontal\u{2019}, \u{2018}across\u{2019}\n  - \u{2018}vertical\u{2019}\n  - \u{2018}single-column\u{2019}\nTry 'ls --help' for more information.\n";
        check(&run(TREE, &["ls", "--format=v"]).await, "", fmt_err, 1);
        check(
            &run(TREE, &["ls", "-i"]).await,
            "",
            "mirage: ls: unsupported option: -i\n",
            2,
        );
        check(
            &run(TREE, &["ls", "-u"]).await,
            "",
            "mirage: ls: unsupported option: -u\n",
            2,
        );
        succeeds(
            &run(TREE, &["ls", "--format=commas"]).await,
            "B, a.txt, c, d, e\n",
        );
        succeeds(&run(TREE, &["ls", "-C"]).await, "B  a.txt  c  d\te\n");
        succeeds(
            &run(TREE, &["ls", "-x", "-w", "10"]).await,
            "B  a.txt\nc  d\ne\n",
        );
        check(
            &run(TREE, &["ls", "--color"]).await,
            "",
            "mirage: ls: unsupported option: --color\n",
            2,
        );
        succeeds(
            &run(TREE, &["ls", "--color=auto"]).await,
            "B\na.txt\nc\nd\ne\n",
        );
        succeeds(
            &run(TREE, &["ls", "--format=single-column"]).await,
            "B\na.txt\nc\nd\ne\n",
        );
        succeeds(
            &run(TREE, &["ls", "-w", "80", "-T", "0"]).await,
            "B\na.txt\nc\nd\ne\n",
        );
        check(
            &run(TREE, &["ls", "-w", "x"]).await,
            "",
            "ls: invalid line width: \u{2018}x\u{2019}\n",
            2,
        );
        check(
            &run(TREE, &["ls", "-T", "-1"]).await,
            "",
            "ls: invalid tab size: \u{2018}-1\u{2019}\n",
            2,
        );
    }
}
