//! `du`: disk usage (`-a -b -c -d N -h -k -m -L -s --apparent-size --exclude`).
//!
//! Links count as themselves (no blocks) unless `-L`, which counts a target once. Mirage
//! resources have no block counts, so block usage is computed the way ext4 allocates
//! for ordinary (non-sparse) files: `ceil(size / 4096) * 4` KiB per file and 4 KiB per
//! directory; apparent sizes count a directory as 4096 bytes (an ext4 directory with few
//! entries). Verified against GNU du on ext4. Entries are visited in name order (GNU follows
//! readdir order, which depends on the filesystem), and a path already counted is skipped as
//! GNU skips an inode it has seen (`du -s . a` shows only `.`). `--exclude=PATTERN` skips (and
//! does not count) an entry whose path, or a tail of it after a `/`, matches the wildcard.

use std::collections::HashSet;
use std::io;

use async_trait::async_trait;
use futures::future::BoxFuture;
use mirage_core::{Command, CommandContext, CommandResult, VPath};

use crate::commands::common::{HELP, VERSION, human_size, parse_opts, unsupported, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec, Parsed};
use crate::commands::quoting::{lquote, shell_quote};
use crate::commands::wildcard::Wildcard;

pub struct Du;

const fn long(name: &'static str, has_arg: HasArg, key: &'static str) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: OptSpec = OptSpec {
    short: "0abB:cd:DhHkLlmPsSt:xX:",
    long: &[
        long("null", HasArg::No, "0"),
        long("all", HasArg::No, "a"),
        long("apparent-size", HasArg::No, "apparent"),
        long("block-size", HasArg::Required, "B"),
        long("bytes", HasArg::No, "b"),
        long("total", HasArg::No, "c"),
        long("dereference-args", HasArg::No, "D"),
        long("max-depth", HasArg::Required, "d"),
        long("files0-from", HasArg::Required, "files0-from"),
        long("human-readable", HasArg::No, "h"),
        long("inodes", HasArg::No, "inodes"),
        long("dereference", HasArg::No, "L"),
        long("count-links", HasArg::No, "l"),
        long("no-dereference", HasArg::No, "P"),
        long("separate-dirs", HasArg::No, "S"),
        long("si", HasArg::No, "si"),
        long("summarize", HasArg::No, "s"),
        long("threshold", HasArg::Required, "t"),
        long("time", HasArg::Optional, "time"),
        long("time-style", HasArg::Required, "time-style"),
        long("exclude-from", HasArg::Required, "X"),
        long("exclude", HasArg::Required, "exclude"),
        long("one-file-system", HasArg::No, "x"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Options Mirage refuses, with the spelling shown in the refusal.
const REFUSED: &[(&str, &str)] = &[
    ("0", "-0"),
    ("B", "-B"),
    ("D", "-D"),
    ("H", "-H"),
    ("files0-from", "--files0-from"),
    ("inodes", "--inodes"),
    ("l", "-l"),
    ("S", "-S"),
    ("si", "--si"),
    ("t", "-t"),
    ("time", "--time"),
    ("time-style", "--time-style"),
    ("X", "-X"),
    ("x", "-x"),
    ("help", "--help"),
    ("version", "--version"),
];

/// How sizes are measured and shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Allocated blocks, shown in KiB.
    Blocks,
    /// Apparent bytes, shown rounded up to KiB.
    ApparentKib,
    /// Apparent bytes (`-b`).
    Bytes,
    /// Allocated blocks, shown in MiB (`-m`).
    BlocksMib,
    /// Apparent bytes, shown rounded up to MiB (`--apparent-size -m`, `-b -m`).
    ApparentMib,
}

struct Options {
    /// `-L`: follow every link; otherwise a link counts as itself.
    dereference: bool,
    excludes: Vec<Wildcard>,
    all: bool,
    max_depth: Option<usize>,
    human: bool,
    unit: Unit,
}

impl Options {
    /// gnulib's unanchored `exclude_fnmatch`: the whole path or any tail after a `/`.
    fn excluded(&self, shown: &str) -> bool {
        self.excludes.iter().any(|w| {
            w.matches(shown)
                || shown
                    .match_indices('/')
                    .any(|(i, _)| !shown[i + 1..].starts_with('/') && w.matches(&shown[i + 1..]))
        })
    }

    /// What one entry contributes, in bytes. A link's target fits in its inode (ext4's fast
    /// links), so it has no blocks, only its apparent length.
    fn usage(&self, is_dir: bool, is_link: bool, size: u64) -> u64 {
        let size = if is_dir { 4096 } else { size };
        if is_link && matches!(self.unit, Unit::Blocks | Unit::BlocksMib) {
            return 0;
        }
        match self.unit {
            Unit::Blocks | Unit::BlocksMib => size.div_ceil(4096) * 4096,
            Unit::ApparentKib | Unit::Bytes | Unit::ApparentMib => size,
        }
    }

    fn format(&self, bytes: u64) -> String {
        if self.human {
            return human_size(bytes);
        }
        match self.unit {
            Unit::Bytes => bytes.to_string(),
            Unit::Blocks | Unit::ApparentKib => bytes.div_ceil(1024).to_string(),
            Unit::BlocksMib | Unit::ApparentMib => bytes.div_ceil(1024 * 1024).to_string(),
        }
    }
}

/// State of one `du` run.
struct Walk<'o> {
    o: &'o Options,
    seen: HashSet<VPath>,
    failed: bool,
}

/// Measures `path` (shown as `shown`) at `depth`, printing as GNU does; returns its total.
fn visit<'a>(
    ctx: &'a mut CommandContext,
    w: &'a mut Walk<'_>,
    path: VPath,
    shown: String,
    depth: usize,
) -> BoxFuture<'a, io::Result<u64>> {
    Box::pin(async move {
        if w.o.excluded(&shown) {
            return Ok(0);
        }
        // Under -L a link and its target are one file (GNU skips an inode it has seen).
        let mut key = path.clone();
        if w.o.dereference {
            for _ in 0..40 {
                match ctx.fs.link_target(&key) {
                    Some(t) => key = key.parent().join(&t),
                    None => break,
                }
            }
        }
        if !w.seen.insert(key) {
            return Ok(0);
        }
        let found = if w.o.dereference {
            ctx.fs.stat(&path).await
        } else {
            ctx.fs.lstat(&path).await
        };
        let stat = match found {
            Ok(s) => s,
            Err(e) => {
                let verb = if depth == 0 {
                    "access"
                } else {
                    "read directory"
                };
                // fts's FTS_SLNONE under -L: a dangling link, reported without a reason.
                let dangling =
                    w.o.dereference && ctx.fs.lstat(&path).await.is_ok_and(|s| s.is_symlink());
                let msg = if dangling {
                    format!("cannot {verb} {}", shell_quote(&shown, true))
                } else {
                    format!("cannot {verb} {}: {e}", shell_quote(&shown, true))
                };
                ctx.error(msg).await?;
                w.failed = true;
                return Ok(0);
            }
        };
        let mut total =
            w.o.usage(stat.is_dir(), stat.is_symlink(), stat.size.unwrap_or(0));
        if stat.is_dir() {
            match ctx.fs.list_in_directory_order(&path).await {
                Ok(entries) => {
                    for e in entries {
                        let child = if shown.ends_with('/') {
                            format!("{shown}{}", e.name)
                        } else {
                            format!("{shown}/{}", e.name)
                        };
                        total += visit(ctx, w, path.join(&e.name), child, depth + 1).await?;
                    }
                }
                Err(e) => {
                    let msg = format!("cannot read directory {}: {e}", shell_quote(&shown, true));
                    ctx.error(msg).await?;
                    w.failed = true;
                }
            }
        }
        let within = w.o.max_depth.is_none_or(|max| depth <= max);
        if within && (stat.is_dir() || w.o.all || depth == 0) {
            let line = format!("{}\t{shown}\n", w.o.format(total));
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(total)
    })
}

/// Parses `-d`/`--max-depth`; `Err` holds the status after printing GNU's complaint.
async fn max_depth(
    ctx: &mut CommandContext,
    parsed: &Parsed,
) -> io::Result<Result<Option<usize>, i32>> {
    let Some(arg) = parsed.last("d") else {
        return Ok(Ok(None));
    };
    match arg.trim_start().parse::<usize>() {
        Ok(n) => Ok(Ok(Some(n))),
        Err(_) => {
            let msg = format!("invalid maximum depth {}", lquote(arg));
            Ok(Err(usage_error(ctx, &msg, 1).await?))
        }
    }
}

#[async_trait]
impl Command for Du {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        for (key, shown) in REFUSED {
            if parsed.has(key) {
                return unsupported(ctx, shown).await;
            }
        }
        let mut depth = match max_depth(ctx, &parsed).await? {
            Ok(d) => d,
            Err(status) => return Ok(status),
        };
        let summarize = parsed.has("s");
        let all = parsed.has("a");
        if summarize && all {
            return usage_error(ctx, "cannot both summarize and show all entries", 1).await;
        }
        if summarize {
            match depth {
                Some(0) => {
                    ctx.error("warning: summarizing is the same as using --max-depth=0")
                        .await?;
                }
                Some(d) => {
                    let msg = format!("warning: summarizing conflicts with --max-depth={d}");
                    return usage_error(ctx, &msg, 1).await;
                }
                None => depth = Some(0),
            }
        }
        let unit = if parsed.has("b") {
            Unit::Bytes
        } else if parsed.has("apparent") {
            Unit::ApparentKib
        } else {
            Unit::Blocks
        };
        // The last of `-b`/`-k`/`-m` picks the unit; `-b` anywhere means apparent sizes.
        let apparent = unit != Unit::Blocks;
        let unit = match parsed
            .opts
            .iter()
            .rev()
            .find(|o| matches!(o.key.as_str(), "b" | "k" | "m"))
            .map(|o| o.key.as_str())
        {
            Some("k") if apparent => Unit::ApparentKib,
            Some("m") if apparent => Unit::ApparentMib,
            Some("m") => Unit::BlocksMib,
            _ => unit,
        };
        let o = Options {
            dereference: parsed.has("L"),
            excludes: parsed
                .opts
                .iter()
                .filter(|o| o.key == "exclude")
                .filter_map(|o| o.value.as_deref())
                .map(Wildcard::new)
                .collect(),
            all,
            max_depth: depth,
            // `-h` unless a later `-b`/`-k`/`-m` picked a fixed unit.
            human: parsed
                .opts
                .iter()
                .rev()
                .find(|o| matches!(o.key.as_str(), "b" | "k" | "m" | "h"))
                .is_some_and(|o| o.key == "h"),
            unit,
        };
        let operands = if parsed.operands.is_empty() {
            vec![".".to_string()]
        } else {
            parsed.operands.clone()
        };
        let mut w = Walk {
            o: &o,
            seen: HashSet::new(),
            failed: false,
        };
        let mut grand = 0;
        for operand in &operands {
            if operand.is_empty() {
                ctx.error("invalid zero-length file name").await?;
                w.failed = true;
                continue;
            }
            let path = ctx.path(operand);
            grand += visit(ctx, &mut w, path, operand.clone(), 0).await?;
        }
        if parsed.has("c") {
            let line = format!("{}\ttotal\n", o.format(grand));
            ctx.stdout.write_all(line.as_bytes()).await?;
        }
        Ok(if w.failed { 1 } else { 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;
    use crate::commands::fileutils::test_support::run;

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(28), "28");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(human_size(151552), "148K");
        assert_eq!(human_size(48094), "47K");
    }

    #[tokio::test]
    async fn counts_blocks_and_bytes() {
        let files: &[(&str, &[u8])] = &[("a/", b""), ("a/x", b"hello"), ("a/b/", b"")];
        let c = run(files, &["du", "a"], b"").await;
        assert_eq!(c.out(), "4\ta/b\n12\ta\n");
        let c = run(files, &["du", "-ab", "a"], b"").await;
        assert_eq!(c.out(), "4096\ta/b\n5\ta/x\n8197\ta\n");
        let c = run(files, &["du", "-s", ".", "a"], b"").await;
        assert_eq!(c.out(), "16\t.\n");
        let c = run(files, &["du", "-sa"], b"").await;
        assert_eq!(c.status, 1);
    }
}
