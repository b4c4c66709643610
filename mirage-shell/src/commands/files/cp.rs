//! `cp`: copy files, and with `-r` trees (children in byte order of their names). Each file is
//! copied through the mount table, which copies server-side inside one backend and streams
//! between backends, so no file is ever held whole here.

use std::collections::HashSet;
use std::future::Future;
use std::io;
use std::pin::Pin;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, FileStat, FsError, VPath};

use super::clobber::{cannot_stat, dir_over_file, file_over_dir, keep_existing, same_file};
use super::support::{
    HELP, VERSION, join_display, long, quote_always, resolve_strict, say, stat_operand,
};
use super::target::{destination, parse_operands};
use crate::commands::getopt::{HasArg, OptSpec, Parsed};

pub struct Cp;

const SPEC: OptSpec = OptSpec {
    short: "abdfHilLnprst:uvxPRS:TZ",
    long: &[
        long("archive", HasArg::No, "a"),
        long("attributes-only", HasArg::No, "attributes-only"),
        long("backup", HasArg::Optional, "backup"),
        long("copy-contents", HasArg::No, "copy-contents"),
        long("dereference", HasArg::No, "L"),
        long("force", HasArg::No, "f"),
        long("interactive", HasArg::No, "i"),
        long("link", HasArg::No, "l"),
        long("no-clobber", HasArg::No, "n"),
        long("no-dereference", HasArg::No, "P"),
        long("no-preserve", HasArg::Required, "no-preserve"),
        long("no-target-directory", HasArg::No, "T"),
        long("one-file-system", HasArg::No, "x"),
        long("parents", HasArg::No, "parents"),
        long("path", HasArg::No, "parents"),
        long("preserve", HasArg::Optional, "preserve"),
        long("recursive", HasArg::No, "R"),
        long("reflink", HasArg::Optional, "reflink"),
        long("remove-destination", HasArg::No, "remove-destination"),
        long("sparse", HasArg::Required, "sparse"),
        long(
            "strip-trailing-slashes",
            HasArg::No,
            "strip-trailing-slashes",
        ),
        long("suffix", HasArg::Required, "S"),
        long("symbolic-link", HasArg::No, "s"),
        long("target-directory", HasArg::Required, "t"),
        long("update", HasArg::No, "u"),
        long("verbose", HasArg::No, "v"),
        long("context", HasArg::Optional, "context"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Prompts, links, backups and the rest need things a virtual tree does not have.
const REFUSED: &[&str] = &[
    "attributes-only",
    "b",
    "backup",
    "i",
    "l",
    "parents",
    "reflink",
    "s",
    "S",
    "sparse",
    "strip-trailing-slashes",
    "x",
    "Z",
    "context",
];

struct Opts {
    recursive: bool,
    no_clobber: bool,
    update: bool,
    verbose: bool,
    preserve_time: bool,
}

impl Opts {
    fn from(parsed: &Parsed) -> Opts {
        let mut o = Opts {
            recursive: false,
            no_clobber: false,
            update: false,
            verbose: false,
            preserve_time: false,
        };
        for opt in &parsed.opts {
            match opt.key.as_str() {
                "r" | "R" => o.recursive = true,
                "a" => {
                    o.recursive = true;
                    o.preserve_time = true;
                }
                "p" => o.preserve_time = true,
                "preserve" => {
                    let list = opt.value.as_deref().unwrap_or("mode,ownership,timestamps");
                    if list.split(',').any(|w| w == "timestamps" || w == "all") {
                        o.preserve_time = true;
                    }
                }
                "no-preserve"
                    if opt
                        .value
                        .as_deref()
                        .unwrap_or_default()
                        .split(',')
                        .any(|w| w == "timestamps" || w == "all") =>
                {
                    o.preserve_time = false;
                }
                "n" => o.no_clobber = true,
                "f" => o.no_clobber = false,
                "u" => o.update = true,
                "v" => o.verbose = true,
                _ => {}
            }
        }
        o
    }
}

#[async_trait]
impl Command for Cp {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let (parsed, sources, target) = match parse_operands(ctx, &SPEC, &args, REFUSED).await? {
            Ok(t) => t,
            Err(status) => return Ok(status),
        };
        let opts = Opts::from(&parsed);
        let mut status = 0;
        for src in &sources {
            let dst = destination(src, &target, true);
            if !copy_operand(ctx, src, &dst, &opts).await? {
                status = 1;
            }
        }
        Ok(status)
    }
}

async fn copy_operand(
    ctx: &mut CommandContext,
    src: &str,
    dst: &str,
    o: &Opts,
) -> io::Result<bool> {
    let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
    let (src_path, src_stat) = match stat_operand(&fs, &cwd, src).await {
        Ok(v) => v,
        Err(e) => return cannot_stat(ctx, src, &e).await,
    };
    if src_stat.is_dir() && !o.recursive {
        return say(
            ctx,
            format!("-r not specified; omitting directory {}", quote_always(src)),
        )
        .await;
    }
    let dst_path = if src_stat.is_dir() {
        // A trailing slash on a new directory's name is fine.
        match resolve_strict(&fs, &cwd, dst.trim_end_matches('/')).await {
            Ok(p) => p,
            Err(e) => return cannot_stat(ctx, dst, &e).await,
        }
    } else {
        match resolve_strict(&fs, &cwd, dst).await {
            Ok(p) => p,
            Err(e) if e.kind == ErrorKind::NotFound => {
                let e = if dst.ends_with('/') {
                    FsError::not_dir()
                } else {
                    e
                };
                return say(
                    ctx,
                    format!("cannot create regular file {}: {e}", quote_always(dst)),
                )
                .await;
            }
            Err(e) => return cannot_stat(ctx, dst, &e).await,
        }
    };
    if src_stat.is_dir() {
        // Like GNU, a copy into the source tree goes ahead until the walk meets a directory this
        // copy created.
        let mut created = HashSet::new();
        return match copy_dir(
            ctx,
            src.to_string(),
            src_path,
            src_stat,
            dst.to_string(),
            dst_path,
            o,
            &mut created,
        )
        .await?
        {
            Walk::Done(ok) => Ok(ok),
            Walk::IntoItself => {
                let msg = format!(
                    "cannot copy a directory, {}, into itself, {}",
                    quote_always(src),
                    quote_always(dst)
                );
                say(ctx, msg).await
            }
        };
    }
    if dst_path == src_path {
        return same_file(ctx, src, dst).await;
    }
    copy_file(ctx, src, &src_path, &src_stat, dst, &dst_path, o).await
}

/// Copies one file, honouring `-n` and `-u`; false after printing a failure.
async fn copy_file(
    ctx: &mut CommandContext,
    src: &str,
    src_path: &VPath,
    src_stat: &FileStat,
    dst: &str,
    dst_path: &VPath,
    o: &Opts,
) -> io::Result<bool> {
    let fs = ctx.fs.clone();
    match fs.stat(dst_path).await {
        Ok(st) if st.is_dir() => return dir_over_file(ctx, dst).await,
        Ok(st) if keep_existing(o.no_clobber, o.update, &st, src_stat) => return Ok(true),
        Ok(_) => {}
        Err(e) if e.kind == ErrorKind::NotFound => {}
        Err(e) => return cannot_stat(ctx, dst, &e).await,
    }
    if let Err(e) = fs.copy_file(src_path, dst_path).await {
        return say(
            ctx,
            format!("cannot create regular file {}: {e}", quote_always(dst)),
        )
        .await;
    }
    if o.preserve_time
        && let Some(t) = src_stat.modified
        && let Err(e) = fs.set_modified(dst_path, t).await
    {
        return say(
            ctx,
            format!("preserving times for {}: {e}", quote_always(dst)),
        )
        .await;
    }
    if o.verbose {
        let line = format!("{} -> {}\n", quote_always(src), quote_always(dst));
        ctx.stdout.write_all(line.as_bytes()).await?;
    }
    Ok(true)
}

/// How a directory copy ended.
enum Walk {
    /// Finished; false when something failed (and was reported).
    Done(bool),
    /// The walk reached the destination itself, inside the source: the copy stops there.
    IntoItself,
}

/// Copies a directory and everything below it into `dst` (created when missing). `created`
/// holds the directories this copy made: meeting one while walking the source means the tree is
/// being copied into itself.
#[allow(clippy::too_many_arguments)]
fn copy_dir<'a>(
    ctx: &'a mut CommandContext,
    src: String,
    src_path: VPath,
    src_stat: FileStat,
    dst: String,
    dst_path: VPath,
    o: &'a Opts,
    created: &'a mut HashSet<VPath>,
) -> Pin<Box<dyn Future<Output = io::Result<Walk>> + Send + 'a>> {
    Box::pin(async move {
        let done = |ok: bool| Ok(Walk::Done(ok));
        if created.contains(&src_path) {
            return Ok(Walk::IntoItself);
        }
        let fs = ctx.fs.clone();
        match fs.stat(&dst_path).await {
            Ok(st) if st.is_dir() => {}
            Ok(_) => return done(file_over_dir(ctx, &dst, &src).await?),
            Err(e) if e.kind == ErrorKind::NotFound => {
                if let Err(e) = fs.mkdir(&dst_path).await {
                    return done(
                        say(
                            ctx,
                            format!("cannot create directory {}: {e}", quote_always(&dst)),
                        )
                        .await?,
                    );
                }
                created.insert(dst_path.clone());
                if o.verbose {
                    let line = format!("{} -> {}\n", quote_always(&src), quote_always(&dst));
                    ctx.stdout.write_all(line.as_bytes()).await?;
                }
            }
            Err(e) => return done(cannot_stat(ctx, &dst, &e).await?),
        }
        let entries = match fs.list(&src_path).await {
            Ok(v) => v,
            Err(e) => {
                return done(say(ctx, format!("cannot access {}: {e}", quote_always(&src))).await?);
            }
        };
        let mut ok = true;
        for entry in entries {
            let (cs, cd) = (
                join_display(&src, &entry.name),
                join_display(&dst, &entry.name),
            );
            let (cs_path, cd_path) = (src_path.child(&entry.name), dst_path.child(&entry.name));
            ok &= if entry.stat.is_dir() {
                match copy_dir(ctx, cs, cs_path, entry.stat, cd, cd_path, o, created).await? {
                    Walk::Done(ok) => ok,
                    Walk::IntoItself => return Ok(Walk::IntoItself),
                }
            } else {
                copy_file(ctx, &cs, &cs_path, &entry.stat, &cd, &cd_path, o).await?
            };
        }
        if o.preserve_time
            && let Some(t) = src_stat.modified
            && let Err(e) = fs.set_modified(&dst_path, t).await
        {
            return done(
                say(
                    ctx,
                    format!("preserving times for {}: {e}", quote_always(&dst)),
                )
                .await?,
            );
        }
        done(ok)
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        COPY_TREE as FILES, check, content, fails, fs_with, mounts, run_on, set_time, strings,
        succeeds, tree,
    };
    use super::super::time::{Stamp, format_full};
    use mirage_core::{MountMode, VPath};

    #[tokio::test]
    async fn files() {
        let fs = fs_with(FILES).await;
        succeeds(&run_on(&fs, &["cp", "a", "c"]).await, "");
        assert_eq!(content(&fs, "c").await.as_deref(), Some("A\n"));
        succeeds(&run_on(&fs, &["cp", "a", "e"]).await, "");
        succeeds(
            &run_on(&fs, &["cp", "-v", "a", "b", "e"]).await,
            "'a' -> 'e/a'\n'b' -> 'e/b'\n",
        );
        succeeds(
            &run_on(&fs, &["cp", "-v", "a", "e//"]).await,
            "'a' -> 'e/a'\n",
        );
        succeeds(
            &run_on(&fs, &["cp", "-v", "d/f1", "./x"]).await,
            "'d/f1' -> './x'\n",
        );
        fails(
            &run_on(&fs, &["cp", "nope", "e"]).await,
            "cp: cannot stat 'nope': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "a", "b", "c"]).await,
            "cp: target 'c': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "-r", "a", "d", "e6"]).await,
            "cp: target 'e6': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "a", "nodir/"]).await,
            "cp: cannot create regular file 'nodir/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "a", "nodir/x"]).await,
            "cp: cannot create regular file 'nodir/x': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "a", "a"]).await,
            "cp: 'a' and 'a' are the same file\n",
        );
        fails(
            &run_on(&fs, &["cp", "d/f1", "d/./f1"]).await,
            "cp: 'd/f1' and 'd/./f1' are the same file\n",
        );
        fails(
            &run_on(&fs, &["cp", "d/f1", "d/sub/g/"]).await,
            "cp: cannot stat 'd/sub/g/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "a", "d/sub/g/x"]).await,
            "cp: cannot stat 'd/sub/g/x': Not a directory\n",
        );
        succeeds(&run_on(&fs, &["cp", "-n", "a", "b"]).await, "");
        assert_eq!(content(&fs, "b").await.as_deref(), Some("B\n"));
        succeeds(&run_on(&fs, &["cp", "-n", "-v", "a", "b"]).await, "");
        succeeds(&run_on(&fs, &["cp", "-f", "a", "b"]).await, "");
        assert_eq!(content(&fs, "b").await.as_deref(), Some("A\n"));
        succeeds(&run_on(&fs, &["cp", "-T", "a", "b"]).await, "");
        fails(
            &run_on(&fs, &["cp", "-T", "a", "e"]).await,
            "cp: cannot overwrite directory 'e' with non-directory\n",
        );
    }

    #[tokio::test]
    async fn operand_errors() {
        let fs = fs_with(FILES).await;
        fails(
            &run_on(&fs, &["cp"]).await,
            "cp: missing file operand\nTry 'cp --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["cp", "a"]).await,
            "cp: missing destination file operand after 'a'\nTry 'cp --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["cp", "-t"]).await,
            "cp: option requires an argument -- 't'\nTry 'cp --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["cp", "-t", "e"]).await,
            "cp: missing file operand\nTry 'cp --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["cp", "-t", "a", "b"]).await,
            "cp: target directory 'a': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "-t", "nope", "a"]).await,
            "cp: target directory 'nope': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "-T", "a", "b", "c"]).await,
            "cp: extra operand 'c'\nTry 'cp --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["cp", "-T", "a"]).await,
            "cp: missing destination file operand after 'a'\nTry 'cp --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["cp", "-t", "e", "-T", "a"]).await,
            "cp: cannot combine --target-directory (-t) and --no-target-directory (-T)\n",
        );
        check(
            &run_on(&fs, &["cp", "-i", "a", "b"]).await,
            "",
            "mirage: cp: unsupported option: -i\n",
            2,
        );
        check(
            &run_on(&fs, &["cp", "--parents", "d/f1", "e"]).await,
            "",
            "mirage: cp: unsupported option: --parents\n",
            2,
        );
        succeeds(&run_on(&fs, &["cp", "-t", "e", "a", "b"]).await, "");
        assert_eq!(
            tree(&fs).await,
            strings(&[
                "a", "b", "d/", "d/f1", "d/sub/", "d/sub/g", "e/", "e/a", "e/b"
            ])
        );
    }

    #[tokio::test]
    async fn directories() {
        let fs = fs_with(FILES).await;
        fails(
            &run_on(&fs, &["cp", "d", "e"]).await,
            "cp: -r not specified; omitting directory 'd'\n",
        );
        fails(
            &run_on(&fs, &["cp", "-T", "d", "x"]).await,
            "cp: -r not specified; omitting directory 'd'\n",
        );
        succeeds(&run_on(&fs, &["cp", "-r", "d", "e"]).await, "");
        let v = "'d' -> 'e2'\n'd/f1' -> 'e2/f1'\n'd/sub' -> 'e2/sub'\n'd/sub/g' -> 'e2/sub/g'\n";
        succeeds(&run_on(&fs, &["cp", "-rv", "d", "e2"]).await, v);
        let v = "'d/' -> 'e5/'\n'd/f1' -> 'e5/f1'\n'd/sub' -> 'e5/sub'\n'd/sub/g' -> 'e5/sub/g'\n";
        succeeds(&run_on(&fs, &["cp", "-rv", "d/", "e5/"]).await, v);
        succeeds(
            &run_on(&fs, &["cp", "-rvT", "d", "e5"]).await,
            "'d/f1' -> 'e5/f1'\n'd/sub/g' -> 'e5/sub/g'\n",
        );
        succeeds(&run_on(&fs, &["cp", "-rn", "d", "e5"]).await, "");
        fails(
            &run_on(&fs, &["cp", "-r", "e", "a"]).await,
            "cp: cannot overwrite non-directory 'a' with directory 'e'\n",
        );
        fails(
            &run_on(&fs, &["cp", "-rT", "d", "a"]).await,
            "cp: cannot overwrite non-directory 'a' with directory 'd'\n",
        );
        fails(
            &run_on(&fs, &["cp", "-r", "nope", "d", "e2"]).await,
            "cp: cannot stat 'nope': No such file or directory\n",
        );
        let want = strings(&[
            "a",
            "b",
            "d/",
            "d/f1",
            "d/sub/",
            "d/sub/g",
            "e/",
            "e/d/",
            "e/d/f1",
            "e/d/sub/",
            "e/d/sub/g",
            "e2/",
            "e2/d/",
            "e2/d/f1",
            "e2/d/sub/",
            "e2/d/sub/g",
            "e2/f1",
            "e2/sub/",
            "e2/sub/g",
            "e5/",
            "e5/d/",
            "e5/d/f1",
            "e5/d/sub/",
            "e5/d/sub/g",
            "e5/f1",
            "e5/sub/",
            "e5/sub/g",
        ]);
        assert_eq!(tree(&fs).await, want);
    }

    /// GNU copies until its walk meets the new copy inside the source, then stops with an error;
    /// what got copied by then depends on the walk order (readdir there, names here).
    #[tokio::test]
    async fn into_itself() {
        let fs = fs_with(FILES).await;
        let v = "'d' -> 'd/sub/d'\n'd/f1' -> 'd/sub/d/f1'\n'd/sub' -> 'd/sub/d/sub'\n";
        check(
            &run_on(&fs, &["cp", "-rv", "d", "d/sub"]).await,
            v,
            "cp: cannot copy a directory, 'd', into itself, 'd/sub/d'\n",
            1,
        );
        assert_eq!(
            tree(&fs).await,
            strings(&[
                "a",
                "b",
                "d/",
                "d/f1",
                "d/sub/",
                "d/sub/d/",
                "d/sub/d/f1",
                "d/sub/d/sub/",
                "d/sub/g",
                "e/"
            ])
        );
        let fs = fs_with(FILES).await;
        fails(
            &run_on(&fs, &["cp", "-R", "d", "d"]).await,
            "cp: cannot copy a directory, 'd', into itself, 'd/d'\n",
        );
        let fs = fs_with(&[("d/sub/g", ""), ("d/f1", ""), ("e/", "")]).await;
        let v = "'.' -> 'e8'\n'./d' -> 'e8/d'\n'./d/f1' -> 'e8/d/f1'\n'./d/sub' -> 'e8/d/sub'\n'./d/sub/g' -> 'e8/d/sub/g'\n'./e' -> 'e8/e'\n";
        check(
            &run_on(&fs, &["cp", "-rv", ".", "e8"]).await,
            v,
            "cp: cannot copy a directory, '.', into itself, 'e8'\n",
            1,
        );
    }

    #[tokio::test]
    async fn clobbering_and_times() {
        let fs = fs_with(&[
            ("e/a/", ""),
            ("e/d", ""),
            ("d/f1", "x"),
            ("a", "A"),
            ("b", "B"),
        ])
        .await;
        fails(
            &run_on(&fs, &["cp", "a", "e"]).await,
            "cp: cannot overwrite directory 'e/a' with non-directory\n",
        );
        fails(
            &run_on(&fs, &["cp", "-r", "d", "e"]).await,
            "cp: cannot overwrite non-directory 'e/d' with directory 'd'\n",
        );
        // GNU's a and b were written within one kernel clock tick, so their times were equal.
        set_time(&fs, "a", 1_795_527_455).await;
        set_time(&fs, "b", 1_795_527_455).await;
        succeeds(&run_on(&fs, &["cp", "-vu", "b", "a"]).await, "");
        set_time(&fs, "a", 946_684_800).await;
        succeeds(&run_on(&fs, &["cp", "-vu", "b", "a"]).await, "'b' -> 'a'\n");
        set_time(&fs, "a", 1_577_934_245).await;
        succeeds(
            &run_on(&fs, &["cp", "-vp", "a", "p1"]).await,
            "'a' -> 'p1'\n",
        );
        let st = fs.stat(&VPath::new("/data/p1")).await.expect("stat");
        assert_eq!(
            format_full(Stamp::from_system(st.modified.expect("mtime"))),
            "2020-01-02 03:04:05.000000000 +0000"
        );
    }

    #[tokio::test]
    async fn across_mounts_and_read_only() {
        let fs = mounts(&[
            ("/data", FILES, MountMode::Write),
            ("/other", &[], MountMode::Write),
            ("/ro", &[("b", "B\n")], MountMode::Read),
        ])
        .await;
        succeeds(&run_on(&fs, &["cp", "-r", "d", "a", "/other"]).await, "");
        assert_eq!(fs.list(&VPath::new("/other")).await.expect("list").len(), 2);
        fails(
            &run_on(&fs, &["cp", "a", "/ro/c"]).await,
            "cp: cannot create regular file '/ro/c': Read-only file system\n",
        );
        succeeds(&run_on(&fs, &["cp", "/ro/b", "."]).await, "");
        assert_eq!(content(&fs, "b").await.as_deref(), Some("B\n"));
    }
}
