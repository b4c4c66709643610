//! `mv`: rename files and directories through the mount table, which renames inside a backend
//! that can and otherwise copies then deletes (the source goes only after the copy completed).
//! Between mounts `-v` reports the copy and the removal step by step, as GNU does across file
//! systems.

use std::future::Future;
use std::io;
use std::pin::Pin;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind, FsError, MountTable, VPath};

use super::clobber::{cannot_stat, dir_over_file, file_over_dir, keep_existing, same_file};
use super::support::{
    HELP, VERSION, base_name, join_display, long, lstat_operand, quote_always, resolve_strict, say,
};
use super::target::{destination, parse_operands};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Mv;

const SPEC: OptSpec = OptSpec {
    short: "bfinS:t:TuvZ",
    long: &[
        long("backup", HasArg::Optional, "backup"),
        long("context", HasArg::No, "Z"),
        long("force", HasArg::No, "f"),
        long("interactive", HasArg::No, "i"),
        long("no-clobber", HasArg::No, "n"),
        long("no-target-directory", HasArg::No, "T"),
        long(
            "strip-trailing-slashes",
            HasArg::No,
            "strip-trailing-slashes",
        ),
        long("suffix", HasArg::Required, "S"),
        long("target-directory", HasArg::Required, "t"),
        long("update", HasArg::No, "u"),
        long("verbose", HasArg::No, "v"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

struct Opts {
    no_clobber: bool,
    update: bool,
    verbose: bool,
}

#[async_trait]
impl Command for Mv {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let refused = &["b", "backup", "i", "S", "strip-trailing-slashes", "Z"];
        let (parsed, sources, target) = match parse_operands(ctx, &SPEC, &args, refused).await? {
            Ok(t) => t,
            Err(status) => return Ok(status),
        };
        let mut o = Opts {
            no_clobber: false,
            update: false,
            verbose: false,
        };
        for opt in &parsed.opts {
            match opt.key.as_str() {
                "n" => o.no_clobber = true,
                "f" => o.no_clobber = false,
                "u" => o.update = true,
                "v" => o.verbose = true,
                _ => {}
            }
        }
        let mut status = 0;
        for src in &sources {
            let dst = destination(src, &target, false);
            if !move_one(ctx, src, &dst, &o).await? {
                status = 1;
            }
        }
        Ok(status)
    }
}

async fn cannot_move(
    ctx: &mut CommandContext,
    src: &str,
    dst: &str,
    err: &FsError,
) -> io::Result<bool> {
    say(
        ctx,
        format!(
            "cannot move {} to {}: {err}",
            quote_always(src),
            quote_always(dst)
        ),
    )
    .await
}

async fn into_itself(ctx: &mut CommandContext, src: &str, dst: &str) -> io::Result<bool> {
    say(
        ctx,
        format!(
            "cannot move {} to a subdirectory of itself, {}",
            quote_always(src),
            quote_always(dst)
        ),
    )
    .await
}

async fn move_one(ctx: &mut CommandContext, src: &str, dst: &str, o: &Opts) -> io::Result<bool> {
    let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
    let (src_path, src_stat) = match lstat_operand(&fs, &cwd, src).await {
        Ok(v) => v,
        Err(e) => return cannot_stat(ctx, src, &e).await,
    };
    let dst_lookup = if src_stat.is_dir() {
        dst.trim_end_matches('/')
    } else {
        dst
    };
    let dst_path = match resolve_strict(
        &fs,
        &cwd,
        if dst_lookup.is_empty() {
            dst
        } else {
            dst_lookup
        },
    )
    .await
    {
        Ok(p) => p,
        Err(e) if e.kind == ErrorKind::NotFound => {
            let e = if dst.ends_with('/') {
                FsError::not_dir()
            } else {
                e
            };
            return cannot_move(ctx, src, dst, &e).await;
        }
        Err(e) => return cannot_stat(ctx, dst, &e).await,
    };
    if dst_path == src_path {
        return same_file(ctx, src, dst).await;
    }
    if matches!(base_name(src), "." | "..") {
        return cannot_move(ctx, src, dst, &FsError::new(ErrorKind::Busy)).await;
    }
    match fs.stat(&dst_path).await {
        Ok(st) if st.is_dir() && !src_stat.is_dir() => return dir_over_file(ctx, dst).await,
        Ok(st) if !st.is_dir() && src_stat.is_dir() => {
            return file_over_dir(ctx, dst, src).await;
        }
        Ok(st) if st.is_dir() => {
            if dst_path.starts_with(&src_path) {
                return into_itself(ctx, src, dst).await;
            }
            if fs.list(&dst_path).await.is_ok_and(|v| !v.is_empty()) {
                return cannot_move(ctx, src, dst, &FsError::not_empty()).await;
            }
        }
        Ok(st) if keep_existing(o.no_clobber, o.update, &st, &src_stat) => return Ok(true),
        Ok(_) => {}
        Err(e) if e.kind == ErrorKind::NotFound => {
            if src_stat.is_dir() && dst_path.starts_with(&src_path) {
                return into_itself(ctx, src, dst).await;
            }
        }
        Err(e) => return cannot_stat(ctx, dst, &e).await,
    }
    let crosses = mount_of(&fs, &src_path) != mount_of(&fs, &dst_path);
    if crosses && o.verbose {
        return move_across(ctx, src, &src_path, dst, &dst_path).await;
    }
    if let Err(e) = fs.rename(&src_path, &dst_path).await {
        return cannot_move(ctx, src, dst, &e).await;
    }
    if o.verbose {
        let line = format!("renamed {} -> {}\n", quote_always(src), quote_always(dst));
        ctx.stdout.write_all(line.as_bytes()).await?;
    }
    Ok(true)
}

fn mount_of(fs: &MountTable, path: &VPath) -> Option<VPath> {
    fs.resolve(path).map(|r| r.mount.prefix.clone())
}

/// A verbose move between mounts: copy everything (reporting each step), then remove the
/// source (reporting each step), as GNU mv does between file systems.
async fn move_across(
    ctx: &mut CommandContext,
    src: &str,
    src_path: &VPath,
    dst: &str,
    dst_path: &VPath,
) -> io::Result<bool> {
    if !copy_reporting(
        ctx,
        src.to_string(),
        src_path.clone(),
        dst.to_string(),
        dst_path.clone(),
    )
    .await?
    {
        return Ok(false);
    }
    remove_reporting(ctx, src.to_string(), src_path.clone()).await
}

fn copy_reporting(
    ctx: &mut CommandContext,
    src: String,
    src_path: VPath,
    dst: String,
    dst_path: VPath,
) -> Pin<Box<dyn Future<Output = io::Result<bool>> + Send + '_>> {
    Box::pin(async move {
        let fs = ctx.fs.clone();
        let is_dir = fs.stat(&src_path).await.is_ok_and(|s| s.is_dir());
        if !is_dir {
            if let Err(e) = fs.copy_file(&src_path, &dst_path).await {
                return cannot_move(ctx, &src, &dst, &e).await;
            }
            let line = format!("copied {} -> {}\n", quote_always(&src), quote_always(&dst));
            ctx.stdout.write_all(line.as_bytes()).await?;
            return Ok(true);
        }
        if fs.stat(&dst_path).await.is_err() {
            if let Err(e) = fs.mkdir(&dst_path).await {
                return cannot_move(ctx, &src, &dst, &e).await;
            }
            ctx.stdout
                .write_all(format!("created directory {}\n", quote_always(&dst)).as_bytes())
                .await?;
        }
        let entries = match fs.list(&src_path).await {
            Ok(v) => v,
            Err(e) => return cannot_move(ctx, &src, &dst, &e).await,
        };
        for entry in entries {
            let (cs, cd) = (
                join_display(&src, &entry.name),
                join_display(&dst, &entry.name),
            );
            if !copy_reporting(
                ctx,
                cs,
                src_path.child(&entry.name),
                cd,
                dst_path.child(&entry.name),
            )
            .await?
            {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

fn remove_reporting(
    ctx: &mut CommandContext,
    name: String,
    path: VPath,
) -> Pin<Box<dyn Future<Output = io::Result<bool>> + Send + '_>> {
    Box::pin(async move {
        let fs = ctx.fs.clone();
        let is_dir = fs.stat(&path).await.is_ok_and(|s| s.is_dir());
        if is_dir {
            for entry in fs.list(&path).await.unwrap_or_default() {
                let child = join_display(&name, &entry.name);
                if !remove_reporting(ctx, child, path.child(&entry.name)).await? {
                    return Ok(false);
                }
            }
        }
        let (result, what) = if is_dir {
            (fs.remove_dir(&path).await, "removed directory")
        } else {
            (fs.remove_file(&path).await, "removed")
        };
        match result {
            Ok(()) => {
                ctx.stdout
                    .write_all(format!("{what} {}\n", quote_always(&name)).as_bytes())
                    .await?;
                Ok(true)
            }
            Err(e) => say(ctx, format!("cannot remove {}: {e}", quote_always(&name))).await,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        COPY_TREE as FILES, check, content, fails, fs_with, mounts, run_on, set_time, strings,
        succeeds, tree,
    };
    use mirage_core::{MountMode, VPath};

    #[tokio::test]
    async fn renames() {
        let fs = fs_with(FILES).await;
        succeeds(&run_on(&fs, &["mv", "a", "c"]).await, "");
        succeeds(&run_on(&fs, &["mv", "c", "a"]).await, "");
        fails(
            &run_on(&fs, &["mv", "nope", "x"]).await,
            "mv: cannot stat 'nope': No such file or directory\n",
        );
        succeeds(
            &run_on(&fs, &["mv", "-v", "a", "b", "e"]).await,
            "renamed 'a' -> 'e/a'\nrenamed 'b' -> 'e/b'\n",
        );
        succeeds(
            &run_on(&fs, &["mv", "-v", "e/a", "c"]).await,
            "renamed 'e/a' -> 'c'\n",
        );
        succeeds(&run_on(&fs, &["mv", "-n", "e/b", "c"]).await, "");
        assert_eq!(content(&fs, "c").await.as_deref(), Some("A\n"));
        succeeds(&run_on(&fs, &["mv", "-f", "e/b", "c"]).await, "");
        assert_eq!(content(&fs, "c").await.as_deref(), Some("B\n"));
        succeeds(&run_on(&fs, &["mv", "d", "e"]).await, "");
        assert_eq!(
            tree(&fs).await,
            strings(&["c", "e/", "e/d/", "e/d/f1", "e/d/sub/", "e/d/sub/g"])
        );
        succeeds(
            &run_on(&fs, &["mv", "-v", "e/d/sub", "."]).await,
            "renamed 'e/d/sub' -> './sub'\n",
        );
        succeeds(&run_on(&fs, &["mv", "-t", "e", "c"]).await, "");
        succeeds(&run_on(&fs, &["mv", "e/", "e2"]).await, "");
        assert_eq!(
            tree(&fs).await,
            strings(&["e2/", "e2/c", "e2/d/", "e2/d/f1", "sub/", "sub/g"])
        );
    }

    #[tokio::test]
    async fn refusals() {
        let fs = fs_with(FILES).await;
        fails(
            &run_on(&fs, &["mv", "a"]).await,
            "mv: missing destination file operand after 'a'\nTry 'mv --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["mv"]).await,
            "mv: missing file operand\nTry 'mv --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["mv", "-t", "e"]).await,
            "mv: missing file operand\nTry 'mv --help' for more information.\n",
        );
        fails(
            &run_on(&fs, &["mv", "d", "d/sub"]).await,
            "mv: cannot move 'd' to a subdirectory of itself, 'd/sub/d'\n",
        );
        fails(
            &run_on(&fs, &["mv", "d", "d"]).await,
            "mv: cannot move 'd' to a subdirectory of itself, 'd/d'\n",
        );
        fails(
            &run_on(&fs, &["mv", "a", "a"]).await,
            "mv: 'a' and 'a' are the same file\n",
        );
        fails(
            &run_on(&fs, &["mv", "a", "b", "c"]).await,
            "mv: target 'c': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["mv", "-t", "nope", "a"]).await,
            "mv: target directory 'nope': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["mv", ".", "e"]).await,
            "mv: cannot move '.' to 'e/.': Device or resource busy\n",
        );
        fails(
            &run_on(&fs, &["mv", "..", "e"]).await,
            "mv: cannot move '..' to 'e/..': Device or resource busy\n",
        );
        fails(
            &run_on(&fs, &["mv", "d/f1/", "e"]).await,
            "mv: cannot stat 'd/f1/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["mv", "a", "nodir/"]).await,
            "mv: cannot move 'a' to 'nodir/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["mv", "a", "nodir/x"]).await,
            "mv: cannot move 'a' to 'nodir/x': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["mv", "d/sub/g", "d/sub/g/x"]).await,
            "mv: cannot stat 'd/sub/g/x': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["mv", "d/..", "e"]).await,
            "mv: 'd/..' and 'e/..' are the same file\n",
        );
        fails(
            &run_on(&fs, &["mv", "d/sub", "d/sub/g"]).await,
            "mv: cannot overwrite non-directory 'd/sub/g' with directory 'd/sub'\n",
        );
        check(
            &run_on(&fs, &["mv", "-i", "b", "a"]).await,
            "",
            "mirage: mv: unsupported option: -i\n",
            2,
        );
        assert_eq!(
            tree(&fs).await,
            strings(&["a", "b", "d/", "d/f1", "d/sub/", "d/sub/g", "e/"])
        );
    }

    #[tokio::test]
    async fn overwriting_directories() {
        let fs = fs_with(&[
            ("d/f1", "x"),
            ("e/d/x", ""),
            ("e2/d", ""),
            ("e3/a/", ""),
            ("a", ""),
            ("t/", ""),
            ("t/keep", ""),
        ])
        .await;
        fails(
            &run_on(&fs, &["mv", "d", "e"]).await,
            "mv: cannot move 'd' to 'e/d': Directory not empty\n",
        );
        fails(
            &run_on(&fs, &["mv", "-T", "d", "t"]).await,
            "mv: cannot move 'd' to 't': Directory not empty\n",
        );
        fails(
            &run_on(&fs, &["mv", "d", "e2"]).await,
            "mv: cannot overwrite non-directory 'e2/d' with directory 'd'\n",
        );
        fails(
            &run_on(&fs, &["mv", "a", "e3"]).await,
            "mv: cannot overwrite directory 'e3/a' with non-directory\n",
        );
        fails(
            &run_on(&fs, &["mv", "e3/a", "."]).await,
            "mv: cannot overwrite non-directory './a' with directory 'e3/a'\n",
        );
        succeeds(&run_on(&fs, &["mv", "-u", "a", "t/keep"]).await, "");
        set_time(&fs, "t/keep", 0).await;
        succeeds(
            &run_on(&fs, &["mv", "-uv", "a", "t/keep"]).await,
            "renamed 'a' -> 't/keep'\n",
        );
    }

    #[tokio::test]
    async fn across_mounts() {
        let files: &[(&str, &str)] = &[("q", "q\n"), ("qd/s/f", ""), ("qd/g", ""), ("plain", "p")];
        let fs = mounts(&[
            ("/data", files, MountMode::Write),
            ("/other", &[], MountMode::Write),
        ])
        .await;
        succeeds(
            &run_on(&fs, &["mv", "-v", "q", "/other/"]).await,
            "copied 'q' -> '/other/q'\nremoved 'q'\n",
        );
        let v = "created directory '/other/qd'\ncopied 'qd/g' -> '/other/qd/g'\ncreated directory '/other/qd/s'\ncopied 'qd/s/f' -> '/other/qd/s/f'\nremoved 'qd/g'\nremoved 'qd/s/f'\nremoved directory 'qd/s'\nremoved directory 'qd'\n";
        succeeds(&run_on(&fs, &["mv", "-v", "qd", "/other/"]).await, v);
        succeeds(&run_on(&fs, &["mv", "plain", "/other/p2"]).await, "");
        assert!(tree(&fs).await.is_empty());
        assert_eq!(fs.list(&VPath::new("/other")).await.expect("list").len(), 3);
    }
}
