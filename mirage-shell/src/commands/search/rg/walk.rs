//! From paths to inputs: stdin, files, and directory trees walked in path order (ripgrep's
//! `--sort path`), skipping hidden files, ignored files (`.rgignore`, `.ignore`, and inside a
//! git repository `.gitignore`), and what `-g`/`-t`/`-T`/`--max-depth` exclude.

use std::collections::VecDeque;
use std::io;

use mirage_core::{CommandContext, CommandResult, DirEntry, ErrorKind, FsError, VPath};
use tokio::io::AsyncBufReadExt;

use super::ignore::{Overrides, RuleSet, Verdict};
use super::options::{Mode, Opts};
use super::search::{self, Input, Matcher, Shared};
use super::types::{TypeMatch, TypeMatcher};
use crate::commands::common::{read_line, take_stdin, unsupported};

/// ripgrep's rendering of an I/O error: the OS text and errno.
pub fn os_error(err: &FsError) -> String {
    let errno = match err.kind {
        ErrorKind::NotFound => 2,
        ErrorKind::PermissionDenied => 13,
        ErrorKind::NotADirectory => 20,
        ErrorKind::IsADirectory => 21,
        ErrorKind::InvalidInput | ErrorKind::InvalidArgument => 22,
        ErrorKind::TooManyLinks => 40,
        _ => 5,
    };
    format!("{} (os error {errno})", err.kind.strerror())
}

const NOTHING_SEARCHED: &str = "No files were searched, which means ripgrep probably applied a \
filter you didn't expect.\nRunning with --debug will show why files are being skipped.\n";

/// The ignore files of one directory.
struct Level {
    dir: VPath,
    git: bool,
    rg: Option<RuleSet>,
    ignore: Option<RuleSet>,
    gitignore: Option<RuleSet>,
}

struct Walker<'a> {
    opts: &'a Opts,
    matcher: &'a Matcher,
    overrides: Overrides,
    types: TypeMatcher,
    shared: Shared,
    matched: bool,
    error: bool,
    stop: bool,
    /// Some file was opened for searching.
    searched: bool,
    /// Command-line files are memory-mapped (ripgrep does so when at most 10 paths are
    /// given and all are files).
    mmap_files: bool,
}

pub async fn run(ctx: &mut CommandContext, opts: Opts) -> CommandResult {
    if opts.mode == Mode::TypeList {
        return unsupported(ctx, "--type-list").await;
    }
    let mut patterns = opts.patterns.clone();
    for f in &opts.pattern_files {
        match read_patterns(ctx, f).await? {
            Ok(mut ps) => patterns.append(&mut ps),
            Err(msg) => {
                ctx.stderr.write_str(&format!("{msg}\n")).await?;
                return Ok(2);
            }
        }
    }
    let matcher = match Matcher::new(&patterns, &opts) {
        Ok(m) => m,
        Err(msg) => {
            ctx.stderr.write_str(&format!("{msg}\n")).await?;
            return Ok(2);
        }
    };
    let types = match TypeMatcher::new(&opts.types, &opts.types_not) {
        Ok(t) => t,
        Err(msg) => {
            ctx.stderr.write_str(&format!("{msg}\n")).await?;
            return Ok(2);
        }
    };
    let overrides = match Overrides::new(&opts.globs) {
        Ok(o) => o,
        Err(msg) => {
            ctx.stderr.write_str(&format!("{msg}\n")).await?;
            return Ok(2);
        }
    };
    if opts.max_count == Some(0) && opts.mode != Mode::Files {
        return Ok(1);
    }
    let mut w = Walker {
        opts: &opts,
        matcher: &matcher,
        overrides,
        types,
        shared: Shared::default(),
        matched: false,
        error: false,
        stop: false,
        searched: false,
        mmap_files: false,
    };
    let mut paths: Vec<(String, bool)> = opts.paths.iter().map(|p| (p.clone(), false)).collect();
    if paths.is_empty() {
        // With no path ripgrep searches stdin when it is a file or a pipe, else `./`. Mirage
        // cannot tell an empty pipe from no stdin: stdin with data (or a file) is searched.
        let use_stdin = opts.mode != Mode::Files
            && (ctx.stdin_size.is_some() || !ctx.stdin.fill_buf().await?.is_empty());
        paths.push(if use_stdin {
            ("-".to_string(), false)
        } else {
            (".".to_string(), true)
        });
    }
    let single_file = if paths.len() == 1 {
        let (p, implicit) = &paths[0];
        if *implicit {
            false
        } else if p == "-" {
            true
        } else {
            ctx.fs.stat(&ctx.path(p)).await.is_ok_and(|s| !s.is_dir())
        }
    } else {
        false
    };
    let with_filename = opts.with_filename.unwrap_or(opts.vimgrep || !single_file);
    w.mmap_files = match opts.mmap {
        Some(m) => m,
        None => {
            let mut all_files = paths.len() <= 10;
            for (p, implicit) in &paths {
                if !all_files {
                    break;
                }
                all_files = !*implicit
                    && p != "-"
                    && ctx.fs.stat(&ctx.path(p)).await.is_ok_and(|s| s.is_file());
            }
            all_files
        }
    };
    let mut any_implicit = false;
    for (p, implicit) in paths {
        if w.stop {
            break;
        }
        any_implicit |= implicit;
        w.operand(ctx, &p, implicit, with_filename).await?;
    }
    if any_implicit && !w.searched && opts.mode != Mode::Files && !opts.no_messages {
        ctx.stderr.write_str(NOTHING_SEARCHED).await?;
        w.error = true;
    }
    let status = if w.opts.quiet && w.matched {
        0
    } else if w.error {
        2
    } else if w.matched {
        0
    } else {
        1
    };
    Ok(status)
}

/// The patterns of `-f FILE`, one a line.
async fn read_patterns(
    ctx: &mut CommandContext,
    file: &str,
) -> io::Result<Result<Vec<String>, String>> {
    let mut reader = if file == "-" {
        take_stdin(ctx)
    } else {
        match ctx.fs.open(&ctx.path(file)).await {
            Ok(r) => r,
            Err(e) => return Ok(Err(format!("{file}: {}", os_error(&e)))),
        }
    };
    let mut out = Vec::new();
    let mut buf = Vec::new();
    while read_line(&mut reader, &mut buf).await? {
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        out.push(String::from_utf8_lossy(line).into_owned());
    }
    Ok(Ok(out))
}

impl Walker<'_> {
    async fn operand(
        &mut self,
        ctx: &mut CommandContext,
        operand: &str,
        implicit: bool,
        with_filename: bool,
    ) -> io::Result<()> {
        if operand == "-" {
            if self.opts.mode == Mode::Files {
                return Ok(());
            }
            let reader = take_stdin(ctx);
            return self
                .search(ctx, reader, "<stdin>", with_filename, true, false)
                .await;
        }
        let path = ctx.path(operand);
        let stat = match ctx.fs.stat(&path).await {
            Ok(s) => s,
            Err(e) => return self.fail(ctx, operand, &e).await,
        };
        if !stat.is_dir() {
            if operand.ends_with('/') {
                return self.fail(ctx, operand, &FsError::not_dir()).await;
            }
            if self.opts.mode == Mode::Files {
                return self.list_file(ctx, operand).await;
            }
            return self
                .open_and_search(ctx, &path, operand, with_filename, true)
                .await;
        }
        if self.opts.max_depth == Some(0) {
            return Ok(());
        }
        self.walk(ctx, path, operand, implicit, with_filename).await
    }

    async fn load_level(
        &mut self,
        ctx: &mut CommandContext,
        dir: &VPath,
        names: &[DirEntry],
    ) -> Level {
        let has = |n: &str| names.iter().any(|e| e.name == n);
        let mut level = Level {
            dir: dir.clone(),
            git: has(".git"),
            rg: None,
            ignore: None,
            gitignore: None,
        };
        if self.opts.no_ignore {
            return level;
        }
        for (name, slot) in [
            (".rgignore", &mut level.rg),
            (".ignore", &mut level.ignore),
            (".gitignore", &mut level.gitignore),
        ] {
            if name == ".gitignore" && self.opts.no_ignore_vcs {
                continue;
            }
            if names.iter().any(|e| e.name == name && !e.stat.is_dir())
                && let Some(text) = read_text(ctx, &dir.child(name)).await
            {
                *slot = Some(RuleSet::parse(&text));
            }
        }
        level
    }

    /// The ignore files of the directories above the walk's root.
    async fn ancestor_levels(&mut self, ctx: &mut CommandContext, root: &VPath) -> Vec<Level> {
        let mut dirs = Vec::new();
        let mut d = root.parent();
        loop {
            dirs.push(d.clone());
            if d.is_root() {
                break;
            }
            d = d.parent();
        }
        dirs.reverse();
        let mut levels = Vec::new();
        for dir in dirs {
            let mut entries = Vec::new();
            for name in [".git", ".rgignore", ".ignore", ".gitignore"] {
                if let Ok(stat) = ctx.fs.stat(&dir.child(name)).await {
                    entries.push(DirEntry {
                        name: name.to_string(),
                        stat,
                    });
                }
            }
            if !entries.is_empty() {
                levels.push(self.load_level(ctx, &dir, &entries).await);
            }
        }
        levels
    }

    fn ignored_by_files(levels: &[Level], abs: &VPath, is_dir: bool, any_git: bool) -> Verdict {
        let git = any_git || levels.iter().any(|l| l.git);
        let pick = |get: &dyn Fn(&Level) -> Option<&RuleSet>| {
            for l in levels.iter().rev() {
                let Some(set) = get(l) else { continue };
                let Some(rel) = abs.strip_prefix(&l.dir) else {
                    continue;
                };
                let rel = rel.as_str().trim_start_matches('/');
                let v = set.matched(rel, is_dir);
                if v != Verdict::None {
                    return v;
                }
            }
            Verdict::None
        };
        let rg = pick(&|l| l.rg.as_ref());
        if rg != Verdict::None {
            return rg;
        }
        let ig = pick(&|l| l.ignore.as_ref());
        if ig != Verdict::None {
            return ig;
        }
        if git {
            return pick(&|l| l.gitignore.as_ref());
        }
        Verdict::None
    }

    fn skip(&self, levels: &[Level], entry: &DirEntry, abs: &VPath, shown: &str) -> bool {
        let is_dir = entry.stat.is_dir();
        let rel = shown.strip_prefix("./").unwrap_or(shown);
        match self.overrides.matched(rel, is_dir) {
            Verdict::Ignore => return true,
            Verdict::Whitelist => return false,
            Verdict::None => {}
        }
        let mut whitelisted = false;
        if !self.opts.no_ignore {
            match Self::ignored_by_files(levels, abs, is_dir, self.opts.no_require_git) {
                Verdict::Ignore => return true,
                Verdict::Whitelist => whitelisted = true,
                Verdict::None => {}
            }
        }
        if !is_dir {
            match self.types.matched(&entry.name) {
                TypeMatch::Ignore => return true,
                TypeMatch::Whitelist => whitelisted = true,
                TypeMatch::None => {}
            }
        }
        !whitelisted && !self.opts.hidden && entry.name.starts_with('.')
    }

    /// Walks a directory tree depth first, entries in name order.
    async fn walk(
        &mut self,
        ctx: &mut CommandContext,
        root: VPath,
        display: &str,
        implicit: bool,
        with_filename: bool,
    ) -> io::Result<()> {
        let mut levels = self.ancestor_levels(ctx, &root).await;
        let base = levels.len();
        let mut stack: Vec<(VPath, String, VecDeque<DirEntry>)> = Vec::new();
        match self.list(ctx, &root, display).await? {
            Some(entries) => {
                let level = self.load_level(ctx, &root, &entries).await;
                levels.push(level);
                stack.push((root, display.to_string(), entries.into()));
            }
            None => return Ok(()),
        }
        loop {
            if self.stop {
                break;
            }
            let depth = stack.len();
            let Some((dir, dir_display, entries)) = stack.last_mut() else {
                break;
            };
            let Some(entry) = entries.pop_front() else {
                stack.pop();
                levels.truncate(base + stack.len());
                continue;
            };
            let path = dir.child(&entry.name);
            let shown = if implicit && depth == 1 {
                entry.name.clone()
            } else if dir_display.ends_with('/') {
                format!("{dir_display}{}", entry.name)
            } else {
                format!("{dir_display}/{}", entry.name)
            };
            if self.opts.max_depth.is_some_and(|m| depth > m) {
                continue;
            }
            if self.skip(&levels, &entry, &path, &shown) {
                continue;
            }
            if entry.stat.is_dir() {
                if let Some(children) = self.list(ctx, &path, &shown).await? {
                    let level = self.load_level(ctx, &path, &children).await;
                    levels.push(level);
                    stack.push((path, shown, children.into()));
                }
            } else if self.opts.mode == Mode::Files {
                self.list_file(ctx, &shown).await?;
            } else {
                self.open_and_search(ctx, &path, &shown, with_filename, false)
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
    ) -> io::Result<Option<Vec<DirEntry>>> {
        match ctx.fs.list(path).await {
            Ok(entries) => Ok(Some(entries)),
            Err(e) => {
                self.fail(ctx, display, &e).await?;
                Ok(None)
            }
        }
    }

    async fn list_file(&mut self, ctx: &mut CommandContext, shown: &str) -> io::Result<()> {
        self.matched = true;
        if self.opts.quiet {
            self.stop = true;
            return Ok(());
        }
        let mut line = shown.as_bytes().to_vec();
        line.push(if self.opts.null { 0 } else { b'\n' });
        ctx.stdout.write_all(&line).await
    }

    async fn open_and_search(
        &mut self,
        ctx: &mut CommandContext,
        path: &VPath,
        display: &str,
        with_filename: bool,
        explicit: bool,
    ) -> io::Result<()> {
        self.searched = true;
        match ctx.fs.open(path).await {
            Ok(reader) => {
                let mmap = self.opts.mmap == Some(true) || (explicit && self.mmap_files);
                self.search(ctx, reader, display, with_filename, explicit, mmap)
                    .await
            }
            Err(e) => self.fail(ctx, display, &e).await,
        }
    }

    async fn search(
        &mut self,
        ctx: &mut CommandContext,
        reader: mirage_core::Reader,
        display: &str,
        with_filename: bool,
        explicit: bool,
        mmap: bool,
    ) -> io::Result<()> {
        let input = Input {
            reader,
            display,
            with_filename,
            explicit,
            mmap,
        };
        match search::search(
            input,
            self.opts,
            self.matcher,
            &mut ctx.stdout,
            &mut self.shared,
        )
        .await
        {
            Ok(outcome) => {
                let hit = if self.opts.mode == Mode::FilesWithoutMatch {
                    !outcome.matched
                } else {
                    outcome.matched
                };
                if hit {
                    self.matched = true;
                    if self.opts.quiet {
                        self.stop = true;
                    }
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(e),
            Err(e) => {
                self.error = true;
                if !self.opts.no_messages {
                    ctx.stderr.write_str(&format!("{display}: {e}\n")).await?;
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
        self.error = true;
        if !self.opts.no_messages {
            ctx.stderr
                .write_str(&format!("{display}: {}\n", os_error(err)))
                .await?;
        }
        Ok(())
    }
}

/// Reads a small text file (an ignore file); `None` if it cannot be read.
async fn read_text(ctx: &mut CommandContext, path: &VPath) -> Option<String> {
    let mut reader = ctx.fs.open(path).await.ok()?;
    let mut out = Vec::new();
    let mut buf = Vec::new();
    while read_line(&mut reader, &mut buf).await.ok()? {
        out.extend_from_slice(&buf);
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}
