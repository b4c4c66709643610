//! `mkdir`: create directories (`-p` for parents, `-v` to report each one).

use async_trait::async_trait;
use mirage_core::{
    Command, CommandContext, CommandResult, ErrorKind, FsError, FsResult, MountTable, VPath,
};

use super::support::{
    HELP, VERSION, long, lquote, quote_always, refuse, resolve_strict, usage_error,
};
use crate::commands::common::parse_opts;
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Mkdir;

const SPEC: OptSpec = OptSpec {
    short: "m:pvZ",
    long: &[
        long("mode", HasArg::Required, "m"),
        long("parents", HasArg::No, "p"),
        long("verbose", HasArg::No, "v"),
        long("context", HasArg::Optional, "context"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// A failure naming the directory it concerns (`-p` may fail on a parent).
struct Failure {
    name: String,
    err: FsError,
}

#[async_trait]
impl Command for Mkdir {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        // Modes cannot be set on a virtual tree; a security context (`-Z`, no SELinux) is
        // ignored by GNU too unless one is named.
        let refused: &[&str] = if parsed
            .opts
            .iter()
            .any(|o| o.key == "context" && o.value.is_some())
        {
            &["context"]
        } else {
            &[]
        };
        if let Some(status) = refuse(ctx, &parsed, refused).await? {
            return Ok(status);
        }
        let mode = match parsed.last("m") {
            None => None,
            Some(text) => match super::chmod::parse_mode(text) {
                Some(m) => Some(super::chmod::mkdir_mode(&m)),
                None => {
                    ctx.error(format!("invalid mode {}", lquote(text))).await?;
                    return Ok(1);
                }
            },
        };
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let (parents, verbose) = (parsed.has("p"), parsed.has("v"));
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut status = 0;
        for op in &parsed.operands {
            let mut created = Vec::new();
            let result = if parents {
                make_parents(&fs, &cwd, op, &mut created).await
            } else {
                make_one(&fs, &cwd, op, &mut created).await
            };
            if verbose {
                for name in &created {
                    let line = format!("mkdir: created directory {}\n", quote_always(name));
                    ctx.stdout.write_all(line.as_bytes()).await?;
                }
            }
            // The mode goes on the operand's own directory, never on parents -p made.
            if let (Ok(()), Some(bits)) = (&result, mode) {
                let last = op.trim_end_matches('/');
                let made_last = created
                    .last()
                    .is_some_and(|c| c.trim_end_matches('/') == last);
                if made_last && let Err(e) = fs.set_mode(&ctx.path(last), bits).await {
                    ctx.error(format!(
                        "cannot set permissions of {}: {e}",
                        quote_always(op)
                    ))
                    .await?;
                    status = 1;
                }
            }
            if let Err(f) = result {
                ctx.error(format!(
                    "cannot create directory {}: {}",
                    lquote(&f.name),
                    f.err
                ))
                .await?;
                status = 1;
            }
        }
        Ok(status)
    }
}

async fn make_one(
    fs: &MountTable,
    cwd: &VPath,
    op: &str,
    created: &mut Vec<String>,
) -> Result<(), Failure> {
    let fail = |err| Failure {
        name: op.to_string(),
        err,
    };
    let trimmed = match op.trim_end_matches('/') {
        "" if !op.is_empty() => "/",
        t => t,
    };
    let path = resolve_strict(fs, cwd, trimmed).await.map_err(fail)?;
    // A name ending in `.` or `..` always exists.
    if matches!(trimmed.rsplit('/').next(), Some(".") | Some("..")) || path.is_root() {
        return Err(fail(FsError::exists()));
    }
    fs.mkdir(&path).await.map_err(fail)?;
    created.push(op.to_string());
    Ok(())
}

/// `mkdir -p`: walks the operand as typed, creating each missing component and naming each
/// prefix as GNU does (`./new1`, then `./new1/../new2`).
async fn make_parents(
    fs: &MountTable,
    cwd: &VPath,
    op: &str,
    created: &mut Vec<String>,
) -> Result<(), Failure> {
    if op.is_empty() {
        return Err(Failure {
            name: String::new(),
            err: FsError::not_found(),
        });
    }
    let comps: Vec<(usize, &str)> = component_ends(op);
    let last = comps.len().saturating_sub(1);
    for (i, (end, comp)) in comps.iter().enumerate() {
        let prefix = &op[..*end];
        let fail = |err| Failure {
            name: prefix.to_string(),
            err,
        };
        let path = resolve_strict(fs, cwd, prefix).await.map_err(fail)?;
        if *comp == "." || *comp == ".." {
            continue;
        }
        match fs.stat(&path).await {
            Ok(st) if st.is_dir() => {}
            Ok(_) if i == last => return Err(fail(FsError::exists())),
            Ok(_) => return Err(fail(FsError::not_dir())),
            Err(e) if e.kind == ErrorKind::NotFound => {
                create(fs, &path).await.map_err(fail)?;
                created.push(prefix.to_string());
            }
            Err(e) => return Err(fail(e)),
        }
    }
    Ok(())
}

/// Creates one directory, tolerating a racing creator as `mkdir -p` does.
async fn create(fs: &MountTable, path: &VPath) -> FsResult<()> {
    match fs.mkdir(path).await {
        Err(e)
            if e.kind == ErrorKind::AlreadyExists
                && fs.stat(path).await.is_ok_and(|s| s.is_dir()) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Each component of `op` with the byte offset where it ends (slashes excluded).
fn component_ends(op: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in op.char_indices() {
        if c == '/' {
            if i > start {
                out.push((i, &op[start..i]));
            }
            start = i + 1;
        }
    }
    if start < op.len() {
        out.push((op.len(), &op[start..]));
    }
    if out.is_empty() {
        // `/` or `//`: the root, which exists.
        out.push((op.len(), "."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, fs_with, run, run_on, succeeds, tree};

    const FILES: &[(&str, &str)] = &[("f", "")];

    fn cannot(name: &str, why: &str) -> String {
        format!("mkdir: cannot create directory \u{2018}{name}\u{2019}: {why}\n")
    }

    #[tokio::test]
    async fn creates_and_reports() {
        let fs = fs_with(FILES).await;
        succeeds(&run_on(&fs, &["mkdir", "a"]).await, "");
        check(
            &run_on(&fs, &["mkdir", "a"]).await,
            "",
            &cannot("a", "File exists"),
            1,
        );
        check(
            &run_on(&fs, &["mkdir", "f"]).await,
            "",
            &cannot("f", "File exists"),
            1,
        );
        succeeds(&run_on(&fs, &["mkdir", "-p", "a"]).await, "");
        check(
            &run_on(&fs, &["mkdir", "-p", "f"]).await,
            "",
            &cannot("f", "File exists"),
            1,
        );
        check(
            &run_on(&fs, &["mkdir", "-p", "f/x"]).await,
            "",
            &cannot("f", "Not a directory"),
            1,
        );
        check(
            &run_on(&fs, &["mkdir", "x/y"]).await,
            "",
            &cannot("x/y", "No such file or directory"),
            1,
        );
        succeeds(&run_on(&fs, &["mkdir", "-p", "x/y/z"]).await, "");
        let v = "mkdir: created directory 'p'\nmkdir: created directory 'p/q'\nmkdir: created directory 'p/q/r'\n";
        succeeds(&run_on(&fs, &["mkdir", "-pv", "p/q/r"]).await, v);
        succeeds(
            &run_on(&fs, &["mkdir", "-v", "v1", "v2"]).await,
            "mkdir: created directory 'v1'\nmkdir: created directory 'v2'\n",
        );
        succeeds(
            &run_on(&fs, &["mkdir", "-p", "-v", "p/q/r", "p/q/s"]).await,
            "mkdir: created directory 'p/q/s'\n",
        );
        succeeds(&run_on(&fs, &["mkdir", "-Z", "zz"]).await, "");
        check(
            &run_on(&fs, &["mkdir", ""]).await,
            "",
            &cannot("", "No such file or directory"),
            1,
        );
        check(
            &run_on(&fs, &["mkdir", "-p", ""]).await,
            "",
            &cannot("", "No such file or directory"),
            1,
        );
        check(
            &run_on(&fs, &["mkdir", "f/x"]).await,
            "",
            &cannot("f/x", "Not a directory"),
            1,
        );
        check(
            &run_on(&fs, &["mkdir", "a/"]).await,
            "",
            &cannot("a/", "File exists"),
            1,
        );
        succeeds(&run_on(&fs, &["mkdir", "n1/"]).await, "");
        succeeds(
            &run_on(&fs, &["mkdir", "-p", "n2//", "n3/./x/.."]).await,
            "",
        );
        check(
            &run_on(&fs, &["mkdir", "."]).await,
            "",
            &cannot(".", "File exists"),
            1,
        );
        succeeds(&run_on(&fs, &["mkdir", "-p", "."]).await, "");
        check(
            &run_on(&fs, &["mkdir", "/"]).await,
            "",
            &cannot("/", "File exists"),
            1,
        );
        succeeds(&run_on(&fs, &["mkdir", "-p", "a/../b"]).await, "");
        let v = "mkdir: created directory './new1'\nmkdir: created directory './new1/../new2'\n";
        succeeds(&run_on(&fs, &["mkdir", "-pv", "./new1/../new2"]).await, v);
        let want: Vec<String> = [
            "a/", "b/", "f", "n1/", "n2/", "n3/", "n3/x/", "new1/", "new2/", "p/", "p/q/",
            "p/q/r/", "p/q/s/", "v1/", "v2/", "x/", "x/y/", "x/y/z/", "zz/",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(tree(&fs).await, want);
    }

    #[tokio::test]
    async fn usage() {
        check(
            &run(FILES, &["mkdir"]).await,
            "",
            "mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
            1,
        );
        let e = "mkdir: option '--parents' doesn't allow an argument\nTry 'mkdir --help' for more information.\n";
        check(&run(FILES, &["mkdir", "--parents=x"]).await, "", e, 1);
        check(
            &run(FILES, &["mkdir", "-m", "999", "mm"]).await,
            "",
            "mkdir: invalid mode \u{2018}999\u{2019}\n",
            1,
        );
    }
}
