//! `tree` (tree 2.1 output): `-a -d -f -i -L N --noreport`. Entries are sorted by byte order
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
const UNSUPPORTED_SHORT: &str = "cghlnpqrstuvxACDFJQNSUXRHTOPIo";

/// Long options tree knows but Mirage does not implement.
const UNSUPPORTED_LONG: &[&str] = &[
    "help",
    "version",
    "inodes",
    "device",
    "noreport-x",
    "nolinks",
    "dirsfirst",
    "filesfirst",
    "filelimit",
    "si",
    "du",
    "prune",
    "charset",
    "timefmt",
    "sort",
    "matchdirs",
    "metafirst",
    "ignore-case",
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

#[derive(Default)]
struct Counts {
    dirs: u64,
    files: u64,
}

/// Walks one directory, printing its entries under `prefix` (the `│   ` columns so far).
fn walk<'a>(
    ctx: &'a mut CommandContext,
    o: &'a Options,
    dir: VPath,
    shown: String,
    prefix: String,
    level: usize,
    counts: &'a mut Counts,
) -> BoxFuture<'a, io::Result<usize>> {
    Box::pin(async move {
        let Ok(entries) = ctx.fs.list(&dir).await else {
            return Ok(0);
        };
        let entries: Vec<_> = entries
            .into_iter()
            .filter(|e| o.all || !e.name.starts_with('.'))
            .filter(|e| !o.dirs_only || e.stat.is_dir())
            .collect();
        let n = entries.len();
        for (idx, entry) in entries.into_iter().enumerate() {
            let last = idx + 1 == n;
            let full = format!("{shown}/{}", entry.name);
            let label = if o.full_path {
                printable(&full)
            } else {
                printable(&entry.name)
            };
            let branch = match (o.no_indent, last) {
                (true, _) => "",
                (false, true) => "└── ",
                (false, false) => "├── ",
            };
            let line = format!("{prefix}{branch}{label}\n");
            ctx.stdout.write_all(line.as_bytes()).await?;
            if !entry.stat.is_dir() {
                counts.files += 1;
                continue;
            }
            counts.dirs += 1;
            if o.max_level.is_some_and(|max| level >= max) {
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
                full,
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
            let head = format!("{}\n", printable(&shown));
            ctx.stdout.write_all(head.as_bytes()).await?;
            if walk(ctx, o, path, shown, String::new(), 1, counts).await? > 0 {
                counts.dirs += 1;
            }
            Ok(true)
        }
        other => {
            let line = format!("{label}  [error opening dir]\n");
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
