//! `find`: walk trees and evaluate an expression on every entry.
//!
//! GNU lists a directory in readdir order, which a virtual tree does not have; Mirage walks each
//! directory in byte order of the names, so output is deterministic (compare against GNU through
//! `sort` where order matters). `-exec` runs the named command in-process through the command
//! registry, handing it find's own stdin, stdout and stderr for the duration of the run.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FileKind, FileStat, VPath};

use super::find_parse::{Cmp, ExecSpec, Expr, FindArgs, Leaf, ParseError, PermTest, parse};
use super::support::{base_name, child_display, gnu_size, lquote, resolve_strict, stat_operand};
use super::time::Stamp;

#[path = "find_printf.rs"]
pub(super) mod find_printf;

pub struct Find;

/// Bytes of file names gathered for one `-exec ... {} +` run before it is started (GNU bounds a
/// batch by the system's argument size limit; this keeps batches of similar size).
const BATCH_BYTES: usize = 128 * 1024;

/// One entry being evaluated.
struct Entry {
    display: String,
    path: VPath,
    stat: FileStat,
    /// What `-name` matches: the last component (for a start path, GNU's basename of it).
    name: String,
    depth: usize,
    /// Length of the start path's display (for `%P` and `%H`).
    start_len: usize,
}

/// Pending file names of one batched exec.
#[derive(Default)]
struct Batch {
    spec: Option<ExecSpec>,
    names: Vec<String>,
    bytes: usize,
}

/// The walk's state: options, the exit status, and the flags actions raise.
struct Finder<'c> {
    ctx: &'c mut CommandContext,
    args: FindArgs,
    expr: Arc<Expr>,
    status: i32,
    pruned: bool,
    quit: bool,
    batches: Vec<Batch>,
    now: Stamp,
    /// The expression looks at nothing but names, paths and kinds, so directories are listed
    /// without a stat per entry (see `MountTable::list_kinds_in_directory_order`).
    kinds_suffice: bool,
}

type Eval<'a> = Pin<Box<dyn Future<Output = io::Result<bool>> + Send + 'a>>;

#[async_trait]
impl Command for Find {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse(&args) {
            Ok(p) => p,
            Err(e) => return report_parse_error(ctx, e).await,
        };
        let mut parsed = parsed;
        let expr = std::mem::replace(&mut parsed.expr, Expr::Leaf(Leaf::True));
        let expr = match resolve_newer(ctx, expr).await? {
            Ok(e) => Arc::new(e),
            Err(status) => return Ok(status),
        };
        for w in std::mem::take(&mut parsed.warnings) {
            ctx.error(w).await?;
        }
        let batches = (0..parsed.batches).map(|_| Batch::default()).collect();
        let mut finder = Finder {
            ctx,
            args: parsed,
            expr,
            status: 0,
            pruned: false,
            quit: false,
            batches,
            now: Stamp::now(),
            kinds_suffice: false,
        };
        finder.kinds_suffice = kinds_suffice(&finder.expr);
        finder.walk_all().await?;
        finder.flush_batches().await?;
        Ok(finder.status)
    }
}

/// Whether every test and action in `expr` decides from an entry's name, path and kind alone.
fn kinds_suffice(expr: &Expr) -> bool {
    match expr {
        Expr::Leaf(leaf) => matches!(
            leaf,
            Leaf::True
                | Leaf::False
                | Leaf::Name(_)
                | Leaf::Path(_)
                | Leaf::Type(_)
                | Leaf::Regex(_)
                | Leaf::Print
                | Leaf::Print0
                | Leaf::Prune
                | Leaf::Quit
                | Leaf::Exec(_)
                | Leaf::Delete
        ),
        Expr::Not(e) => kinds_suffice(e),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Comma(a, b) => {
            kinds_suffice(a) && kinds_suffice(b)
        }
    }
}

async fn report_parse_error(ctx: &mut CommandContext, e: ParseError) -> io::Result<i32> {
    match e {
        ParseError::Gnu(msg) => {
            ctx.error(msg).await?;
            Ok(1)
        }
        ParseError::NotPath { arg, after } => {
            ctx.error(format!("paths must precede expression: `{arg}'"))
                .await?;
            // GNU hints at a pattern the shell expanded when the stray word is an existing file.
            let exists = stat_operand(&ctx.fs, &ctx.cwd, &arg).await.is_ok();
            if let (true, Some(pred)) = (exists, after) {
                ctx.error(format!(
                    "possible unquoted pattern after predicate `{pred}'?"
                ))
                .await?;
            }
            Ok(1)
        }
        ParseError::Unsupported(what) => {
            let line = format!("mirage: find: unsupported option: {what}\n");
            ctx.stderr.write_all(line.as_bytes()).await?;
            Ok(super::support::UNSUPPORTED_STATUS)
        }
    }
}

/// Replaces every `-newer FILE` by the time of FILE, stating them in order as GNU does while
/// parsing; a missing file ends the run before anything is printed.
async fn resolve_newer(ctx: &mut CommandContext, expr: Expr) -> io::Result<Result<Expr, i32>> {
    let mut names = Vec::new();
    collect_newer(&expr, &mut names);
    let mut times = std::collections::HashMap::new();
    for name in names {
        match stat_operand(&ctx.fs, &ctx.cwd, &name).await {
            Ok((path, st)) => {
                times.insert(name, (Stamp::modified(&st), path));
            }
            Err(e) => {
                ctx.error(format!("{}: {e}", lquote(&name))).await?;
                return Ok(Err(1));
            }
        }
    }
    Ok(Ok(substitute_newer(expr, &times)))
}

fn collect_newer(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Leaf(Leaf::Newer(n)) | Expr::Leaf(Leaf::SameFile(n)) => out.push(n.clone()),
        Expr::Leaf(_) => {}
        Expr::Not(e) => collect_newer(e, out),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Comma(a, b) => {
            collect_newer(a, out);
            collect_newer(b, out);
        }
    }
}

fn substitute_newer(expr: Expr, times: &std::collections::HashMap<String, (Stamp, VPath)>) -> Expr {
    let sub = |e: Box<Expr>| Box::new(substitute_newer(*e, times));
    match expr {
        Expr::Leaf(Leaf::Newer(n)) => Expr::Leaf(Leaf::NewerThan(
            times.get(&n).map(|t| t.0).unwrap_or(Stamp::EPOCH),
        )),
        Expr::Leaf(Leaf::SameFile(n)) => match times.get(&n) {
            Some((_, p)) => Expr::Leaf(Leaf::SamePath(p.clone())),
            None => Expr::Leaf(Leaf::False),
        },
        Expr::Leaf(l) => Expr::Leaf(l),
        Expr::Not(e) => Expr::Not(sub(e)),
        Expr::And(a, b) => Expr::And(sub(a), sub(b)),
        Expr::Or(a, b) => Expr::Or(sub(a), sub(b)),
        Expr::Comma(a, b) => Expr::Comma(sub(a), sub(b)),
    }
}

/// Permission bits: the backend's, or the defaults `ls -l` shows (644, 755, 777).
fn mode_of(st: &FileStat) -> u32 {
    st.mode_or_default()
}

fn compare<T: PartialOrd>(cmp: Cmp, value: T, target: T) -> bool {
    match cmp {
        Cmp::Less => value < target,
        Cmp::Equal => value == target,
        Cmp::Greater => value > target,
    }
}

impl Finder<'_> {
    async fn walk_all(&mut self) -> io::Result<()> {
        let paths = self.args.paths.clone();
        for op in paths {
            if self.quit {
                break;
            }
            let (fs, cwd) = (self.ctx.fs.clone(), self.ctx.cwd.clone());
            let resolved = match resolve_strict(&fs, &cwd, &op).await {
                Ok(p) => fs.stat(&p).await.map(|st| (p, st)),
                Err(e) => Err(e),
            };
            match resolved {
                Ok((path, stat)) => {
                    let name = base_name(&op).to_string();
                    let root_mount = fs.resolve(&path).map(|r| r.mount.prefix.clone());
                    let entry = Entry {
                        start_len: op.len(),
                        display: op.clone(),
                        path,
                        stat,
                        name,
                        depth: 0,
                    };
                    self.visit(entry, 0, root_mount).await?;
                }
                Err(e) => {
                    self.ctx.error(format!("{}: {e}", lquote(&op))).await?;
                    self.status = 1;
                }
            }
        }
        Ok(())
    }

    /// Evaluates `entry` and walks below it (children in byte order of their names).
    fn visit(
        &mut self,
        entry: Entry,
        depth: usize,
        root_mount: Option<VPath>,
    ) -> Pin<Box<dyn Future<Output = io::Result<()>> + Send + '_>> {
        Box::pin(async move {
            let evaluate = depth >= self.args.mindepth;
            let depth_first = self.args.depth_first;
            self.pruned = false;
            if evaluate && !depth_first {
                let expr = self.expr.clone();
                self.eval(&expr, &entry).await?;
                if self.quit {
                    return Ok(());
                }
            }
            let can_descend = entry.stat.is_dir() && self.args.maxdepth.is_none_or(|m| depth < m);
            let other_mount = self.args.xdev && depth > 0 && {
                let here = self
                    .ctx
                    .fs
                    .resolve(&entry.path)
                    .map(|r| r.mount.prefix.clone());
                here != root_mount
            };
            if can_descend && (depth_first || !self.pruned) && !other_mount {
                let listing = if self.kinds_suffice {
                    self.ctx.fs.list_kinds_in_directory_order(&entry.path).await
                } else {
                    self.ctx.fs.list_in_directory_order(&entry.path).await
                };
                match listing {
                    Ok(children) => {
                        for child in children {
                            let display = child_display(&entry.display, &child.name);
                            let path = entry.path.child(&child.name);
                            let next = Entry {
                                display,
                                path,
                                stat: child.stat,
                                name: child.name,
                                depth: depth + 1,
                                start_len: entry.start_len,
                            };
                            self.visit(next, depth + 1, root_mount.clone()).await?;
                            if self.quit {
                                return Ok(());
                            }
                        }
                    }
                    Err(e) => {
                        self.ctx
                            .error(format!("{}: {e}", lquote(&entry.display)))
                            .await?;
                        self.status = 1;
                    }
                }
            }
            if evaluate && depth_first {
                let expr = self.expr.clone();
                self.eval(&expr, &entry).await?;
            }
            Ok(())
        })
    }

    fn eval<'a>(&'a mut self, expr: &'a Expr, entry: &'a Entry) -> Eval<'a> {
        Box::pin(async move {
            Ok(match expr {
                Expr::Leaf(leaf) => self.leaf(leaf, entry).await?,
                Expr::Not(e) => !self.eval(e, entry).await?,
                Expr::And(a, b) => {
                    self.eval(a, entry).await? && !self.quit && self.eval(b, entry).await?
                }
                Expr::Or(a, b) => {
                    self.eval(a, entry).await? || (!self.quit && self.eval(b, entry).await?)
                }
                Expr::Comma(a, b) => {
                    self.eval(a, entry).await?;
                    !self.quit && self.eval(b, entry).await?
                }
            })
        })
    }

    async fn leaf(&mut self, leaf: &Leaf, e: &Entry) -> io::Result<bool> {
        Ok(match leaf {
            Leaf::True => true,
            Leaf::False => false,
            Leaf::Name(p) => p.matches(&e.name),
            Leaf::Path(p) => p.matches(&e.display),
            Leaf::Type(kinds) => kinds.contains(&match e.stat.kind {
                FileKind::Dir => 'd',
                FileKind::File => 'f',
                FileKind::Symlink => 'l',
                FileKind::CharDevice => 'c',
            }),
            Leaf::Empty => self.is_empty(e).await,
            Leaf::Size { cmp, count, unit } => match gnu_size(&e.stat) {
                Some(size) => compare(*cmp, size.div_ceil(*unit), *count),
                None => false,
            },
            Leaf::NewerThan(t) => Stamp::modified(&e.stat) > *t,
            // Resolved before the walk.
            Leaf::Newer(_) => false,
            Leaf::Age { cmp, count, days } => self.age_matches(*cmp, *count, *days, &e.stat),
            Leaf::Print => {
                let line = format!("{}\n", e.display);
                self.ctx.stdout.write_all(line.as_bytes()).await?;
                true
            }
            Leaf::Print0 => {
                let mut line = e.display.clone().into_bytes();
                line.push(0);
                self.ctx.stdout.write_all(&line).await?;
                true
            }
            Leaf::Prune => {
                if !self.args.depth_first {
                    self.pruned = true;
                }
                true
            }
            Leaf::Quit => {
                self.quit = true;
                true
            }
            Leaf::Delete => self.delete(e).await?,
            Leaf::Printf(items) => {
                // `\c` ends this format's output only.
                let (bytes, _stop) = self.printf(items, e).await;
                self.ctx.stdout.write_all(&bytes).await?;
                true
            }
            Leaf::Regex(re) => re.is_match(&e.display),
            Leaf::Perm(test, bits) => {
                let mode = mode_of(&e.stat) & 0o7777;
                match test {
                    PermTest::Exact => mode == *bits,
                    PermTest::All => mode & bits == *bits,
                    PermTest::Any => *bits == 0 || mode & bits != 0,
                }
            }
            Leaf::SameFile(_) => false,
            Leaf::SamePath(p) => e.path == *p,
            Leaf::Access(what) => {
                let mode = mode_of(&e.stat);
                let root = super::ls_long::owner_names().2 == "0";
                match what {
                    'r' => root || mode & 0o400 != 0,
                    'w' => root || mode & 0o200 != 0,
                    _ => {
                        if root {
                            e.stat.is_dir() || mode & 0o111 != 0
                        } else {
                            mode & 0o100 != 0
                        }
                    }
                }
            }
            Leaf::Links(cmp, n) => {
                let fs = self.ctx.fs.clone();
                let links = super::ls_long::link_count(&fs, &e.path, &e.stat).await;
                compare(*cmp, links, *n)
            }
            Leaf::Exec(spec) if spec.batch => {
                self.add_to_batch(spec, &e.display).await?;
                true
            }
            Leaf::Exec(spec) => {
                let argv: Vec<String> = spec
                    .argv
                    .iter()
                    .map(|a| a.replace("{}", &e.display))
                    .collect();
                match self.run_sub(argv).await? {
                    Some(status) => status == 0,
                    None => false,
                }
            }
        })
    }

    async fn printf(&mut self, items: &[find_printf::Item], e: &Entry) -> (Vec<u8>, bool) {
        let fs = self.ctx.fs.clone();
        let links = if find_printf::needs_links(items) {
            super::ls_long::link_count(&fs, &e.path, &e.stat).await
        } else {
            1
        };
        let target = if e.stat.is_symlink() {
            fs.readlink(&e.path).await.unwrap_or_default()
        } else {
            String::new()
        };
        let (user, group, uid, gid) = super::ls_long::owner_names();
        let kind = match e.stat.kind {
            FileKind::Dir => 'd',
            FileKind::File => 'f',
            FileKind::Symlink => 'l',
            FileKind::CharDevice => 'c',
        };
        let info = find_printf::Info {
            display: &e.display,
            depth: e.depth,
            start_len: e.start_len,
            size: gnu_size(&e.stat),
            mode: mode_of(&e.stat),
            kind,
            kblocks: super::ls_long::blocks(&e.stat),
            links,
            user: &user,
            group: &group,
            uid: &uid,
            gid: &gid,
            link_target: &target,
            mtime: Stamp::modified(&e.stat),
        };
        find_printf::render(items, &info)
    }

    async fn is_empty(&mut self, e: &Entry) -> bool {
        if e.stat.is_dir() {
            let fs = self.ctx.fs.clone();
            matches!(fs.list(&e.path).await, Ok(v) if v.is_empty())
        } else {
            e.stat.size == Some(0)
        }
    }

    /// `-mtime N` is true for ages in [N, N+1) days, `+N` beyond N+1 days and `-N` below N days
    /// plus one second (GNU widens "today" to the end of the current second); `-mmin N` is
    /// [N-1, N) minutes, `+N` beyond and `-N` below N minutes. Ages run from the start of find.
    fn age_matches(&self, cmp: Cmp, count: f64, days: bool, st: &FileStat) -> bool {
        let Some(modified) = st.modified else {
            return false;
        };
        let age = self.now.as_f64() - Stamp::from_system(modified).as_f64();
        let unit = if days { 86_400.0 } else { 60.0 };
        let (low, high) = if days {
            (count * unit, (count + 1.0) * unit)
        } else {
            ((count - 1.0) * unit, count * unit)
        };
        match cmp {
            Cmp::Less if days => age < count * unit + 1.0,
            Cmp::Less => age < count * unit,
            Cmp::Equal => age >= low && age < high,
            Cmp::Greater => age > high,
        }
    }

    async fn delete(&mut self, e: &Entry) -> io::Result<bool> {
        // GNU never removes the starting directory `.` itself.
        if e.display == "." {
            return Ok(true);
        }
        let result = if e.stat.is_dir() {
            self.ctx.fs.remove_dir(&e.path).await
        } else {
            self.ctx.fs.remove_file(&e.path).await
        };
        match result {
            Ok(()) => Ok(true),
            Err(err) => {
                self.ctx
                    .error(format!("cannot delete {}: {err}", lquote(&e.display)))
                    .await?;
                self.status = 1;
                Ok(false)
            }
        }
    }

    async fn add_to_batch(&mut self, spec: &ExecSpec, name: &str) -> io::Result<()> {
        let full = {
            let Some(batch) = self.batches.get_mut(spec.id) else {
                return Ok(());
            };
            batch.spec.get_or_insert_with(|| spec.clone());
            batch.names.push(name.to_string());
            batch.bytes += name.len() + 1;
            batch.bytes >= BATCH_BYTES
        };
        if full {
            self.run_batch(spec.id).await?;
        }
        Ok(())
    }

    async fn flush_batches(&mut self) -> io::Result<()> {
        for id in 0..self.batches.len() {
            self.run_batch(id).await?;
        }
        Ok(())
    }

    /// Runs one batched exec over the names gathered so far; a failure makes find exit 1.
    async fn run_batch(&mut self, id: usize) -> io::Result<()> {
        let Some(batch) = self.batches.get_mut(id) else {
            return Ok(());
        };
        let (Some(spec), false) = (batch.spec.clone(), batch.names.is_empty()) else {
            return Ok(());
        };
        let names = std::mem::take(&mut batch.names);
        batch.bytes = 0;
        let mut argv: Vec<String> = spec.argv[..spec.argv.len() - 1].to_vec();
        argv.extend(names);
        if self.run_sub(argv).await? != Some(0) {
            self.status = 1;
        }
        Ok(())
    }

    /// Runs `argv` as a command sharing find's streams. `None` when no such command exists
    /// (after printing GNU's message).
    async fn run_sub(&mut self, argv: Vec<String>) -> io::Result<Option<i32>> {
        let Some(name) = argv.first().cloned() else {
            return Ok(None);
        };
        let Some(command) = self.ctx.commands.resolve(&name, None, None) else {
            self.ctx
                .error(format!("{}: No such file or directory", lquote(&name)))
                .await?;
            return Ok(None);
        };
        let status = crate::exec::run_child(
            &mut *self.ctx,
            command,
            name,
            argv[1..].to_vec(),
            true,
            None,
        )
        .await;
        Ok(Some(status))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        LISTING_TREE as TREE, check, exists, fails, fs_with, run, run_on, set_time, succeeds, tree,
    };

    const ALL: &str = ".\n./.hid\n./B\n./a.txt\n./c\n./d\n./d/f1\n./d/sub\n./d/sub/g\n./e\n";

    #[tokio::test]
    async fn start_paths() {
        succeeds(&run(TREE, &["find"]).await, ALL);
        succeeds(&run(TREE, &["find", "."]).await, ALL);
        succeeds(
            &run(TREE, &["find", "d"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", "d/"]).await,
            "d/\nd/f1\nd/sub\nd/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", "d///"]).await,
            "d///\nd///f1\nd///sub\nd///sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", "./d"]).await,
            "./d\n./d/f1\n./d/sub\n./d/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "e", "a.txt"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\ne\na.txt\n",
        );
        succeeds(
            &run(TREE, &["find", "/data/d"]).await,
            "/data/d\n/data/d/f1\n/data/d/sub\n/data/d/sub/g\n",
        );
        let nope = "find: \u{2018}nope\u{2019}: No such file or directory\n";
        check(&run(TREE, &["find", "nope"]).await, "", nope, 1);
        check(
            &run(TREE, &["find", "nope", "d"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
            nope,
            1,
        );
        check(
            &run(TREE, &["find", "d", "e", "a.txt", "nope", "-maxdepth", "0"]).await,
            "d\ne\na.txt\n",
            nope,
            1,
        );
        check(
            &run(TREE, &["find", "a.txt/"]).await,
            "",
            "find: \u{2018}a.txt/\u{2019}: Not a directory\n",
            1,
        );
        check(
            &run(TREE, &["find", "d/f1/x"]).await,
            "",
            "find: \u{2018}d/f1/x\u{2019}: Not a directory\n",
            1,
        );
        check(
            &run(TREE, &["find", ""]).await,
            "",
            "find: \u{2018}\u{2019}: No such file or directory\n",
            1,
        );
        succeeds(
            &run(TREE, &["find", "-H", "d"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
        );
    }

    #[tokio::test]
    async fn name_path_and_type_tests() {
        succeeds(&run(TREE, &["find", "-name", "*.txt"]).await, "./a.txt\n");
        succeeds(
            &run(TREE, &["find", ".", "-type", "d"]).await,
            ".\n./d\n./d/sub\n./e\n",
        );
        succeeds(&run(TREE, &["find", ".", "-type", "f,d"]).await, ALL);
        succeeds(&run(TREE, &["find", ".", "-type", "l"]).await, "");
        succeeds(&run(TREE, &["find", ".", "-iname", "b"]).await, "./B\n");
        succeeds(
            &run(TREE, &["find", ".", "-path", "*sub*"]).await,
            "./d/sub\n./d/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-ipath", "*SUB*"]).await,
            "./d/sub\n./d/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-name", ".*"]).await,
            ".\n./.hid\n",
        );
        succeeds(&run(TREE, &["find", ".", "-name", "d/sub"]).await, "");
        succeeds(&run(TREE, &["find", "d/", "-name", "d"]).await, "d/\n");
        succeeds(
            &run(TREE, &["find", "d///", "-name", "sub"]).await,
            "d///sub\n",
        );
        succeeds(
            &run(
                TREE,
                &[
                    "find",
                    ".",
                    "-mindepth",
                    "1",
                    "-maxdepth",
                    "1",
                    "-name",
                    "[a-c]*",
                ],
            )
            .await,
            "./a.txt\n./c\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "!", "-type", "d"]).await,
            "./.hid\n./B\n./a.txt\n./c\n./d/f1\n./d/sub/g\n",
        );
        succeeds(
            &run(
                TREE,
                &["find", ".", "-not", "-name", "c", "-a", "-type", "f"],
            )
            .await,
            "./.hid\n./B\n./a.txt\n./d/f1\n./d/sub/g\n",
        );
        succeeds(
            &run(
                TREE,
                &[
                    "find", ".", "(", "-name", "B", "-o", "-name", "c", ")", "-print",
                ],
            )
            .await,
            "./B\n./c\n",
        );
        succeeds(
            &run(
                TREE,
                &["find", "-maxdepth", "1", "-name", "B", "-o", "-name", "c"],
            )
            .await,
            "./B\n./c\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "!", "(", "-name", "f1", ")"]).await,
            "d\nd/sub\nd/sub/g\n",
        );
        succeeds(
            &run(
                TREE,
                &["find", ".", "-maxdepth", "1", "-false", "-o", "-type", "f"],
            )
            .await,
            "./.hid\n./B\n./a.txt\n./c\n",
        );
    }

    #[tokio::test]
    async fn depth_limits_size_and_empty() {
        succeeds(
            &run(TREE, &["find", ".", "-maxdepth", "1"]).await,
            ".\n./.hid\n./B\n./a.txt\n./c\n./d\n./e\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-mindepth", "2"]).await,
            "./d/f1\n./d/sub\n./d/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-maxdepth", "1", "-maxdepth", "0"]).await,
            ".\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "-maxdepth", "01"]).await,
            "d\nd/f1\nd/sub\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "-mindepth", "1", "-maxdepth", "1"]).await,
            "d/f1\nd/sub\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-empty"]).await,
            "./.hid\n./B\n./c\n./e\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-size", "+1c"]).await,
            ".\n./a.txt\n./d\n./d/f1\n./d/sub\n./d/sub/g\n./e\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-size", "-1k"]).await,
            "./.hid\n./B\n./c\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-size", "1k"]).await,
            "./a.txt\n./d/f1\n./d/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-size", "1"]).await,
            "./a.txt\n./d/f1\n./d/sub/g\n",
        );
        succeeds(&run(TREE, &["find", ".", "-size", "2"]).await, "");
        succeeds(
            &run(TREE, &["find", ".", "-size", "6c"]).await,
            "./a.txt\n./d/sub/g\n",
        );
        succeeds(&run(TREE, &["find", ".", "-size", "1w"]).await, "./d/f1\n");
        succeeds(
            &run(TREE, &["find", ".", "-size", "4k"]).await,
            ".\n./d\n./d/sub\n./e\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-size", "1M"]).await,
            ".\n./a.txt\n./d\n./d/f1\n./d/sub\n./d/sub/g\n./e\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-size", "-1G"]).await,
            "./.hid\n./B\n./c\n",
        );
    }

    #[tokio::test]
    async fn prune_quit_print0_and_comma() {
        succeeds(
            &run(
                TREE,
                &["find", ".", "-name", "sub", "-prune", "-o", "-print"],
            )
            .await,
            ".\n./.hid\n./B\n./a.txt\n./c\n./d\n./d/f1\n./e\n",
        );
        succeeds(&run(TREE, &["find", "d", "-prune"]).await, "d\n");
        succeeds(
            &run(TREE, &["find", "d", "-mindepth", "1", "-prune"]).await,
            "d/f1\nd/sub\n",
        );
        succeeds(
            &run(
                TREE,
                &[
                    "find", "d", "-depth", "-name", "sub", "-prune", "-o", "-print",
                ],
            )
            .await,
            "d/f1\nd/sub/g\nd\n",
        );
        succeeds(
            &run(TREE, &["find", ".", "-depth"]).await,
            "./.hid\n./B\n./a.txt\n./c\n./d/f1\n./d/sub/g\n./d/sub\n./d\n./e\n.\n",
        );
        succeeds(&run(TREE, &["find", ".", "-print", "-quit"]).await, ".\n");
        succeeds(&run(TREE, &["find", "d", "-quit"]).await, "");
        succeeds(
            &run(TREE, &["find", "d", "-name", "f1", "-print", "-quit"]).await,
            "d/f1\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "-true", "-o", "-quit"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "-print0"]).await,
            "d\0d/f1\0d/sub\0d/sub/g\0",
        );
        succeeds(
            &run(TREE, &["find", "d", "-print0", "-print"]).await,
            "d\0d\nd/f1\0d/f1\nd/sub\0d/sub\nd/sub/g\0d/sub/g\n",
        );
        succeeds(
            &run(
                TREE,
                &["find", "d", "-name", "sub", "-prune", ",", "-print"],
            )
            .await,
            "d\nd/f1\nd/sub\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "-name", "f1", "-o", "-print"]).await,
            "d\nd/sub\nd/sub/g\n",
        );
        succeeds(
            &run(TREE, &["find", "d", "-empty", "-o", "-print"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
        );
    }

    #[tokio::test]
    async fn times() {
        let fs = fs_with(TREE).await;
        let now = super::Stamp::now().secs;
        set_time(&fs, "a.txt", now - 3 * 86_400).await;
        set_time(&fs, "c", now - 36 * 3600 - 60).await;
        set_time(&fs, "B", now - 90).await;
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mtime", "+1"],
            )
            .await,
            "./a.txt\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mtime", "1"],
            )
            .await,
            "./c\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mtime", "-1"],
            )
            .await,
            "./.hid\n./B\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mtime", "0"],
            )
            .await,
            "./.hid\n./B\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mtime", "-0"],
            )
            .await,
            "./.hid\n",
        );
        succeeds(
            &run_on(
                &fs,
                &[
                    "find",
                    ".",
                    "-maxdepth",
                    "1",
                    "-type",
                    "f",
                    "-mtime",
                    "+1.5",
                ],
            )
            .await,
            "./a.txt\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mmin", "2"],
            )
            .await,
            "./B\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-mmin", "+1"],
            )
            .await,
            "./B\n./a.txt\n./c\n",
        );
        succeeds(
            &run_on(
                &fs,
                &["find", ".", "-maxdepth", "1", "-type", "f", "-newer", "c"],
            )
            .await,
            "./.hid\n./B\n",
        );
        fails(
            &run_on(&fs, &["find", ".", "-newer", "nope"]).await,
            "find: \u{2018}nope\u{2019}: No such file or directory\n",
        );
    }

    #[tokio::test]
    async fn delete() {
        let fs = fs_with(TREE).await;
        fails(
            &run_on(&fs, &["find", "d", "-name", "sub", "-delete"]).await,
            "find: cannot delete \u{2018}d/sub\u{2019}: Directory not empty\n",
        );
        succeeds(
            &run_on(&fs, &["find", ".", "-type", "f", "-delete", "-print"]).await,
            "./.hid\n./B\n./a.txt\n./c\n./d/f1\n./d/sub/g\n",
        );
        assert_eq!(tree(&fs).await, vec!["d/", "d/sub/", "e/"]);
        succeeds(&run_on(&fs, &["find", "d", "-delete"]).await, "");
        assert!(!exists(&fs, "d").await);
        succeeds(&run_on(&fs, &["find", ".", "-delete"]).await, "");
        assert!(tree(&fs).await.is_empty());
        assert!(exists(&fs, ".").await);
    }

    #[tokio::test]
    async fn exec_runs_commands_in_process() {
        check(
            &run(TREE, &["find", "d", "-exec", "ls", "-d", "{}", ";"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
            "",
            0,
        );
        succeeds(
            &run(TREE, &["find", "d", "-exec", "ls", "-d", "{}", "+"]).await,
            "d\nd/f1\nd/sub\nd/sub/g\n",
        );
        succeeds(
            &run(
                TREE,
                &[
                    "find", "d", "-type", "f", "-exec", "stat", "-c", "%n %s", "{}", "+",
                ],
            )
            .await,
            "d/f1 2\nd/sub/g 6\n",
        );
        check(
            &run(TREE, &["find", "d", "-type", "d", "-exec", "ls", "{}", ";"]).await,
            "f1\nsub\ng\n",
            "",
            0,
        );
        let nope = "ls: cannot access 'nope': No such file or directory\n";
        check(
            &run(
                TREE,
                &[
                    "find", "d", "-name", "f1", "-exec", "ls", "nope", ";", "-print",
                ],
            )
            .await,
            "",
            nope,
            0,
        );
        let x = "ls: cannot access 'XdX': No such file or directory\nls: cannot access 'Xd/f1X': No such file or directory\nls: cannot access 'Xd/subX': No such file or directory\nls: cannot access 'Xd/sub/gX': No such file or directory\n";
        check(
            &run(TREE, &["find", "d", "-exec", "ls", "-d", "X{}X", ";"]).await,
            "",
            x,
            0,
        );
        check(
            &run(
                TREE,
                &["find", "d", "-print", "-exec", "ls", "-d", "{}", ";"],
            )
            .await,
            "d\nd\nd/f1\nd/f1\nd/sub\nd/sub\nd/sub/g\nd/sub/g\n",
            "",
            0,
        );
        succeeds(
            &run(
                TREE,
                &[
                    "find", "d", "-exec", "ls", "-d", "{}", "+", "-exec", "ls", "-d", "{}", "+",
                ],
            )
            .await,
            "d\nd/f1\nd/sub\nd/sub/g\nd\nd/f1\nd/sub\nd/sub/g\n",
        );
        check(
            &run(TREE, &["find", "d/f1", "-exec", "ls", "nope", "{}", "+"]).await,
            "d/f1\n",
            nope,
            1,
        );
    }

    #[tokio::test]
    async fn exec_unknown_command() {
        let msg = "find: \u{2018}nosuchcmd\u{2019}: No such file or directory\n";
        check(
            &run(TREE, &["find", "d", "-exec", "nosuchcmd", "{}", ";"]).await,
            "",
            &msg.repeat(4),
            0,
        );
        check(
            &run(TREE, &["find", "d", "-exec", "nosuchcmd", "{}", "+"]).await,
            "",
            msg,
            1,
        );
        check(
            &run(TREE, &["find", "d/f1", "-exec", "nosuchcmd", ";", "-print"]).await,
            "",
            msg,
            0,
        );
        check(
            &run(TREE, &["find", "d", "-exec", "{}", "+"]).await,
            "",
            "find: \u{2018}d\u{2019}: No such file or directory\n",
            1,
        );
    }

    #[tokio::test]
    async fn command_line_errors() {
        check(
            &run(TREE, &["find", ".", "-bogus"]).await,
            "",
            "find: unknown predicate `-bogus'\n",
            1,
        );
        check(
            &run(TREE, &["find", ".", "-name", "a", "bogus"]).await,
            "",
            "find: paths must precede expression: `bogus'\n",
            1,
        );
        let hint = "find: paths must precede expression: `./d'\nfind: possible unquoted pattern after predicate `-name'?\n";
        check(
            &run(TREE, &["find", ".", "-name", "a", "./d"]).await,
            "",
            hint,
            1,
        );
        let hint = "find: paths must precede expression: `.'\nfind: possible unquoted pattern after predicate `-maxdepth'?\n";
        check(
            &run(TREE, &["find", "-maxdepth", "1", "."]).await,
            "",
            hint,
            1,
        );
        check(
            &run(TREE, &["find", ".", "-exec", "echo", "{}", ";", "extra"]).await,
            "",
            "find: paths must precede expression: `extra'\n",
            1,
        );
        check(
            &run(TREE, &["find", ".", "-printf", "%A@"]).await,
            "",
            "mirage: find: unsupported option: -printf %A\n",
            2,
        );
        let tail = ".\n./.hid\n./B\n./a.txt\n./c\n./d\n./d/f1\n./d/sub\n./d/sub/g\n./e\n";
        check(
            &run(TREE, &["find", ".", ")"]).await,
            tail,
            "find: \u{2018})\u{2019}: No such file or directory\n",
            1,
        );
    }
}
