//! `rmdir`: remove empty directories (`-p` removes the named parents too).

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, FsResult, MountTable, VPath,
};

use super::support::{HELP, VERSION, quote_always, refuse, resolve_strict, usage_error};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};

pub struct Rmdir;

const SPEC: OptSpec = OptSpec {
    short: "pv",
    long: &[
        LongOpt {
            name: "ignore-fail-on-non-empty",
            has_arg: HasArg::No,
            key: "ignore-fail-on-non-empty",
        },
        LongOpt {
            name: "parents",
            has_arg: HasArg::No,
            key: "p",
        },
        LongOpt {
            name: "verbose",
            has_arg: HasArg::No,
            key: "v",
        },
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
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if let Some(status) = refuse(ctx, &parsed, &[]).await? {
            return Ok(status);
        }
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
    use super::super::test_support::{check, fs_with, run_on, tree};

    const FILES: &[(&str, &str)] = &[("a/b/c/", ""), ("x/y/f", ""), ("f", "")];

    #[tokio::test]
    async fn removes_empty_directories() {
        let fs = fs_with(FILES).await;
        check(
            &run_on(&fs, &["rmdir", "nope"]).await,
            "",
            "rmdir: failed to remove 'nope': No such file or directory\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "f"]).await,
            "",
            "rmdir: failed to remove 'f': Not a directory\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "x"]).await,
            "",
            "rmdir: failed to remove 'x': Directory not empty\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "--ignore-fail-on-non-empty", "x"]).await,
            "",
            "",
            0,
        );
        check(&run_on(&fs, &["rmdir", "-p", "a/b/c"]).await, "", "", 0);
        assert_eq!(tree(&fs).await, vec!["f", "x/", "x/y/", "x/y/f"]);
        check(
            &run_on(&fs, &["rmdir", "."]).await,
            "",
            "rmdir: failed to remove '.': Invalid argument\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "x/."]).await,
            "",
            "rmdir: failed to remove 'x/.': Invalid argument\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "/"]).await,
            "",
            "rmdir: failed to remove '/': Device or resource busy\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "f/"]).await,
            "",
            "rmdir: failed to remove 'f/': Not a directory\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "-p", "x/y"]).await,
            "",
            "rmdir: failed to remove 'x/y': Directory not empty\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", ""]).await,
            "",
            "rmdir: failed to remove '': No such file or directory\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "nope/x"]).await,
            "",
            "rmdir: failed to remove 'nope/x': No such file or directory\n",
            1,
        );
    }

    #[tokio::test]
    async fn parents_and_verbose() {
        let fs = fs_with(&[("a/b/c/", ""), ("q/w/", "")]).await;
        let v = "rmdir: removing directory, 'a/b/c'\nrmdir: removing directory, 'a/b'\nrmdir: removing directory, 'a'\n";
        check(&run_on(&fs, &["rmdir", "-pv", "a/b/c"]).await, v, "", 0);
        let fs = fs_with(&[("a/b/c/", ""), ("a/keep", "")]).await;
        check(
            &run_on(&fs, &["rmdir", "-p", "a/b/c/"]).await,
            "",
            "rmdir: failed to remove directory 'a': Directory not empty\n",
            1,
        );
        let fs = fs_with(&[("a/b/c/", ""), ("a/keep", ""), ("q/w/", "")]).await;
        check(
            &run_on(&fs, &["rmdir", "--ignore-fail-on-non-empty", "-p", "a/b/c"]).await,
            "",
            "",
            0,
        );
        check(
            &run_on(&fs, &["rmdir", "-v", "a/b"]).await,
            "rmdir: removing directory, 'a/b'\n",
            "rmdir: failed to remove 'a/b': No such file or directory\n",
            1,
        );
        check(
            &run_on(&fs, &["rmdir", "-p", "./q/w"]).await,
            "",
            "rmdir: failed to remove directory '.': Invalid argument\n",
            1,
        );
        assert_eq!(tree(&fs).await, vec!["a/", "a/keep"]);
        check(
            &run_on(&fs, &["rmdir"]).await,
            "",
            "rmdir: missing operand\nTry 'rmdir --help' for more information.\n",
            1,
        );
    }
}
