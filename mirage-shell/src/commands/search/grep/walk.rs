//! From operands to inputs: stdin, files, and (with `-r`) directory trees walked in sorted
//! order, filtered by `--include`, `--exclude` and `--exclude-dir` the way GNU grep does.

use std::collections::VecDeque;
use std::io;

use mirage_core::{CommandContext, DirEntry, FsError, Reader, VPath};

use super::matcher::Matcher;
use super::options::Config;
use super::scan::{self, Shared};
use crate::commands::common::take_stdin;

/// One `--include` / `--exclude` rule.
pub struct FileRule {
    pub include: bool,
    pub glob: globset::GlobMatcher,
}

/// What the whole run found.
#[derive(Default)]
pub struct Found {
    pub selected: bool,
    pub error: bool,
}

impl Found {
    /// GNU's exit status: an error wins over a match unless `-q` found one.
    pub fn status(&self, quiet: bool) -> i32 {
        if self.error && !(quiet && self.selected) {
            2
        } else if self.selected {
            0
        } else {
            1
        }
    }
}

/// When file names prefix output lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Names {
    Always,
    Never,
    /// Only for files found inside a directory operand (single operand with `-r`).
    InDirs,
}

struct Walker<'a> {
    config: &'a Config,
    matcher: &'a mut Matcher,
    shared: Shared,
    found: Found,
    names: Names,
    /// `-q` found a match: stop everything.
    stop: bool,
}

/// Searches every input named by the operands.
pub async fn search_all(
    ctx: &mut CommandContext,
    config: &Config,
    matcher: &mut Matcher,
) -> io::Result<Found> {
    let mut operands: Vec<(String, bool)> =
        config.operands.iter().map(|o| (o.clone(), false)).collect();
    if operands.is_empty() {
        // `grep -r PAT` searches `.` and prints names without the leading `./`.
        operands.push(if config.recursive {
            (".".to_string(), true)
        } else {
            ("-".to_string(), false)
        });
    }
    let names = match config.filename_option {
        Some(true) => Names::Always,
        Some(false) => Names::Never,
        None if config.operands.len() > 1 => Names::Always,
        None if config.recursive => Names::InDirs,
        None => Names::Never,
    };
    let mut w = Walker {
        config,
        matcher,
        shared: Shared::default(),
        found: Found::default(),
        names,
        stop: false,
    };
    for (operand, omit_dot) in operands {
        if w.stop {
            break;
        }
        w.operand(ctx, &operand, omit_dot).await?;
    }
    Ok(w.found)
}

impl Walker<'_> {
    async fn operand(
        &mut self,
        ctx: &mut CommandContext,
        operand: &str,
        omit_dot: bool,
    ) -> io::Result<()> {
        if operand == "-" {
            let reader = take_stdin(ctx);
            let label = self.config.label.clone();
            return self
                .search(ctx, reader, &label, self.names == Names::Always, None)
                .await;
        }
        let path = ctx.path(operand);
        let stat = match ctx.fs.stat(&path).await {
            Ok(s) => s,
            Err(e) => return self.fail(ctx, operand, &e).await,
        };
        if stat.is_dir() {
            if self.config.recursive {
                if self.dir_excluded_on_command_line(operand) {
                    return Ok(());
                }
                return self.walk(ctx, path, operand, omit_dot).await;
            }
            if self.config.skip_dirs {
                return Ok(());
            }
            // GNU reads the directory, fails with EISDIR and then treats it as an empty file:
            // `-c` still prints `dir:0` and `-L` still lists it.
            self.fail(ctx, operand, &FsError::is_dir()).await?;
            let with_name = self.names == Names::Always;
            return self
                .search(ctx, Box::pin(tokio::io::empty()), operand, with_name, None)
                .await;
        }
        if !self.file_allowed_on_command_line(operand) {
            return Ok(());
        }
        let with_name = self.names == Names::Always;
        self.open_and_search(ctx, &path, operand, with_name, stat.size)
            .await
    }

    /// Walks a directory tree depth first, entries in name order.
    async fn walk(
        &mut self,
        ctx: &mut CommandContext,
        root: VPath,
        display: &str,
        omit_dot: bool,
    ) -> io::Result<()> {
        let mut stack: Vec<(VPath, String, VecDeque<DirEntry>)> = Vec::new();
        match self.list(ctx, &root, display).await? {
            Some(entries) => stack.push((root, display.to_string(), entries)),
            None => return Ok(()),
        }
        let with_name = self.names != Names::Never;
        loop {
            let top_level = omit_dot && stack.len() == 1;
            let Some((dir, dir_display, entries)) = stack.last_mut() else {
                break;
            };
            if self.stop {
                break;
            }
            let Some(entry) = entries.pop_front() else {
                stack.pop();
                continue;
            };
            let path = dir.child(&entry.name);
            let shown = if top_level {
                entry.name.clone()
            } else if dir_display.ends_with('/') {
                format!("{dir_display}{}", entry.name)
            } else {
                format!("{dir_display}/{}", entry.name)
            };
            if entry.stat.is_char_device() {
                // GNU grep skips devices it meets while recursing (`/dev/zero` never ends).
                continue;
            }
            if entry.stat.is_dir() {
                if self
                    .config
                    .exclude_dirs
                    .iter()
                    .any(|g| g.is_match(&entry.name))
                {
                    continue;
                }
                if let Some(children) = self.list(ctx, &path, &shown).await? {
                    stack.push((path, shown, children));
                }
            } else if self.file_allowed(&entry.name) {
                self.open_and_search(ctx, &path, &shown, with_name, entry.stat.size)
                    .await?;
            }
        }
        Ok(())
    }

    async fn list(
        &mut self,
        ctx: &mut CommandContext,
        path: &VPath,
        display: &str,
    ) -> io::Result<Option<VecDeque<DirEntry>>> {
        // Directory order, as GNU grep walks (readdir order on a disk mount). Only `-T`
        // needs the entries' sizes (its column width); otherwise kinds are enough, which on a
        // disk mount saves a stat per entry.
        let listing = if self.config.scan.align_tabs {
            ctx.fs.list_in_directory_order(path).await
        } else {
            ctx.fs.list_kinds_in_directory_order(path).await
        };
        match listing {
            Ok(entries) => Ok(Some(entries.into())),
            Err(e) => {
                self.fail(ctx, display, &e).await?;
                Ok(None)
            }
        }
    }

    async fn open_and_search(
        &mut self,
        ctx: &mut CommandContext,
        path: &VPath,
        display: &str,
        with_name: bool,
        size: Option<u64>,
    ) -> io::Result<()> {
        match ctx.fs.open(path).await {
            Ok(reader) => self.search(ctx, reader, display, with_name, size).await,
            Err(e) => self.fail(ctx, display, &e).await,
        }
    }

    async fn search(
        &mut self,
        ctx: &mut CommandContext,
        reader: Reader,
        display: &str,
        with_name: bool,
        size: Option<u64>,
    ) -> io::Result<()> {
        let mut opts = self.config.scan.clone();
        opts.with_filename = with_name;
        opts.align_width = size.map_or(19, |s| s.to_string().len());
        let result = scan::scan(
            reader,
            display.as_bytes(),
            &opts,
            self.matcher,
            &mut self.shared,
            &mut ctx.stdout,
        )
        .await;
        match result {
            Ok(outcome) => {
                if outcome.selected > 0 {
                    self.found.selected = true;
                    if opts.quiet {
                        self.stop = true;
                    }
                }
                if outcome.binary_matched {
                    ctx.error(format!("{display}: binary file matches")).await?;
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(e),
            Err(e) => {
                self.found.error = true;
                if !self.config.no_messages {
                    ctx.error(format!("{display}: {e}")).await?;
                }
                Ok(())
            }
        }
    }

    async fn fail(
        &mut self,
        ctx: &mut CommandContext,
        display: &str,
        err: &FsError,
    ) -> io::Result<()> {
        self.found.error = true;
        if !self.config.no_messages {
            ctx.error(format!("{display}: {err}")).await?;
        }
        Ok(())
    }

    /// `--include`/`--exclude` for a file found while recursing: the base name is matched;
    /// the last matching rule wins, and with no match the file is searched unless the first
    /// rule is an `--include`.
    fn file_allowed(&self, name: &str) -> bool {
        let rules = &self.config.rules;
        match rules.iter().rev().find(|r| r.glob.is_match(name)) {
            Some(r) => r.include,
            None => rules.first().is_none_or(|r| !r.include),
        }
    }

    /// The same for a command-line file, where a rule matches the whole name or any suffix
    /// starting after a `/`.
    fn file_allowed_on_command_line(&self, name: &str) -> bool {
        let rules = &self.config.rules;
        let matches = |r: &FileRule| suffixes(name).any(|s| r.glob.is_match(s));
        match rules.iter().rev().find(|r| matches(r)) {
            Some(r) => r.include,
            None => rules.first().is_none_or(|r| !r.include),
        }
    }

    fn dir_excluded_on_command_line(&self, name: &str) -> bool {
        let trimmed = name.trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { name } else { trimmed };
        self.config
            .exclude_dirs
            .iter()
            .any(|g| suffixes(trimmed).any(|s| g.is_match(s)))
    }
}

/// `a/b/c`, `b/c`, `c`: the name and each part after a slash.
fn suffixes(name: &str) -> impl Iterator<Item = &str> {
    std::iter::once(name).chain(
        name.match_indices('/')
            .map(move |(i, _)| &name[i + 1..])
            .filter(|s| !s.is_empty()),
    )
}
