//! `rmdir`: remove empty directories (`-p` removes the named parents too).

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, FsResult, MountTable, VPath,
};

use super::support::{
    HELP, VERSION, long, parse_refusing, quote_always, resolve_strict, usage_error,
};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Rmdir;

const SPEC: OptSpec = OptSpec {
    short: "pv",
    long: &[
        long(
            "ignore-fail-on-non-empty",
            HasArg::No,
            "ignore-fail-on-non-empty",
        ),
        long("parents", HasArg::No, "p"),
        long("verbose", HasArg::No, "v"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Removes the directory named `name`; a last component `.` is `Invalid argument` as rmdir(2)
/// says.
async fn remove(fs: &MountTable, cwd: &VPath, name: &str) -> FsResult<()> {
    if name.trim_end_matches('/').rsplit('/').next() == Some(".") {
        return Err(FsError::new(ErrorKind::InvalidArgument));
    }
    let path = resolve_strict(fs, cwd, name).await?;
    fs.remove_dir(&path).await
}

#[async_trait]
impl Command for Rmdir {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 1, &[]).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let (parents, verbose) = (parsed.has("p"), parsed.has("v"));
        let ignore_non_empty = parsed.has("ignore-fail-on-non-empty");
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut status = 0;
        for op in &parsed.operands {
            if verbose {
                ctx.stdout
                    .write_all(
                        format!("rmdir: removing directory, {}\n", quote_always(op)).as_bytes(),
                    )
                    .await?;
            }
            match remove(&fs, &cwd, op).await {
                Ok(()) => {}
                Err(e) if ignore_non_empty && e.kind == ErrorKind::NotEmpty => continue,
                Err(e) => {
                    ctx.error(format!("failed to remove {}: {e}", quote_always(op)))
                        .await?;
                    status = 1;
                    continue;
                }
            }
            if !parents {
                continue;
            }
            // Strip one component at a time, as GNU's remove_parents does.
            let mut name = op.trim_end_matches('/').to_string();
            while let Some(slash) = name.rfind('/') {
                name.truncate(slash);
                name = name.trim_end_matches('/').to_string();
                if name.is_empty() {
                    break;
                }
                if verbose {
                    ctx.stdout
                        .write_all(
                            format!("rmdir: removing directory, {}\n", quote_always(&name))
                                .as_bytes(),
                        )
                        .await?;
                }
                match remove(&fs, &cwd, &name).await {
                    Ok(()) => {}
                    Err(e) if ignore_non_empty && e.kind == ErrorKind::NotEmpty => break,
                    Err(e) => {
                        ctx.error(format!(
                            "failed to remove directory {}: {e}",
                            quote_always(&name)
                        ))
                        .await?;
                        status = 1;
                        break;
                    }
                }
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, fails, fs_with, run_on, succeeds, tree};

    const FILES: &[(&str, &str)] = &[("a/b/c/", ""), ("x/y/f", ""), ("f", "")];

    #[tokio::test]
    async fn removes_empty_directories() {
        let fs = fs_with(FILES).await;
        fails(
            &run_on(&fs, &["rmdir", "nope"]).await,
            "rmdir: failed to remove 'nope': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "f"]).await,
            "rmdir: failed to remove 'f': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "x"]).await,
            "rmdir: failed to remove 'x': Directory not empty\n",
        );
        succeeds(
            &run_on(&fs, &["rmdir", "--ignore-fail-on-non-empty", "x"]).await,
            "",
        );
        succeeds(&run_on(&fs, &["rmdir", "-p", "a/b/c"]).await, "");
        assert_eq!(tree(&fs).await, vec!["f", "x/", "x/y/", "x/y/f"]);
        fails(
            &run_on(&fs, &["rmdir", "."]).await,
            "rmdir: failed to remove '.': Invalid argument\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "x/."]).await,
            "rmdir: failed to remove 'x/.': Invalid argument\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "/"]).await,
            "rmdir: failed to remove '/': Device or resource busy\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "f/"]).await,
            "rmdir: failed to remove 'f/': Not a directory\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "-p", "x/y"]).await,
            "rmdir: failed to remove 'x/y': Directory not empty\n",
        );
        fails(
            &run_on(&fs, &["rmdir", ""]).await,
            "rmdir: failed to remove '': No such file or directory\n",
        );
        fails(
            &run_on(&fs, &["rmdir", "nope/x"]).await,
            "rmdir: failed to remove 'nope/x': No such file or directory\n",
        );
    }

    #[tokio::test]
    async fn parents_and_verbose() {
        let fs = fs_with(&[("a/b/c/", ""), ("q/w/", "")]).await;
        let v = "rmdir: removing directory, 'a/b/c'\nrmdir: removing directory, 'a/b'\nrmdir: removing directory, 'a'\n";
        succeeds(&run_on(&fs, &["rmdir", "-pv", "a/b/c"]).await, v);
        let fs = fs_with(&[("a/b/c/", ""), ("a/keep", "")]).await;
        fails(
            &run_on(&fs, &["rmdir", "-p", "a/b/c/"]).await,
            "rmdir: failed to remove directory 'a': Directory not empty\n",
        );
        let fs = fs_with(&[("a/b/c/", ""), ("a/keep", ""), ("q/w/", "")]).await;
        succeeds(
            &run_on(&fs, &["rmdir", "--ignore-fail-on-non-empty", "-p", "a/b/c"]).await,
            "",
        );
        check(
            &run_on(&fs, &["rmdir", "-v", "a/b"]).await,
            "rmdir: removing directory, 'a/b'\n",
            "rmdir: failed to remove 'a/b': No such file or directory\n",
            1,
        );
        fails(
            &run_on(&fs, &["rmdir", "-p", "./q/w"]).await,
            "rmdir: failed to remove directory '.': Invalid argument\n",
        );
        assert_eq!(tree(&fs).await, vec!["a/", "a/keep"]);
        fails(
            &run_on(&fs, &["rmdir"]).await,
            "rmdir: missing operand\nTry 'rmdir --help' for more information.\n",
        );
    }
}
