//! `ln -s`: workspace-level symbolic links.
//!
//! Links live in the workspace's link table, not in a backend, so they work on every mount and
//! across mounts. Hard links would need the backend to share one file under two names, which
//! no service here can do; `ln` without `-s` is refused rather than faked with a copy that
//! would silently drift from its original.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError, MountTable, VPath};

use super::realpath::{Mode, Need, canon, relative};
use super::support::{
    HELP, UNSUPPORTED_STATUS, VERSION, base_name, join_display, long, parse_refusing, quote_always,
    resolve_strict, usage_error,
};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Ln;

const SPEC: OptSpec = OptSpec {
    short: "bdfFiLnPrsS:t:Tv",
    long: &[
        long("backup", HasArg::Optional, "b"),
        long("directory", HasArg::No, "d"),
        long("force", HasArg::No, "f"),
        long("interactive", HasArg::No, "i"),
        long("logical", HasArg::No, "L"),
        long("no-dereference", HasArg::No, "n"),
        long("physical", HasArg::No, "P"),
        long("relative", HasArg::No, "r"),
        long("symbolic", HasArg::No, "s"),
        long("suffix", HasArg::Required, "S"),
        long("target-directory", HasArg::Required, "t"),
        long("no-target-directory", HasArg::No, "T"),
        long("verbose", HasArg::No, "v"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

/// Backups and prompting have no use without a terminal or versioned names; hard-link options
/// mean nothing for symbolic links.
const REFUSED: &[&str] = &["b", "d", "F", "i", "S"];

struct Opts {
    force: bool,
    no_deref: bool,
    relative: bool,
    verbose: bool,
}

#[async_trait]
impl Command for Ln {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 1, REFUSED).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        if !parsed.has("s") {
            ctx.error("hard links are not supported; use ln -s".to_string())
                .await?;
            return Ok(UNSUPPORTED_STATUS);
        }
        let opts = Opts {
            force: parsed.has("f"),
            no_deref: parsed.has("n"),
            relative: parsed.has("r"),
            verbose: parsed.has("v"),
        };
        let no_target_dir = parsed.has("T");
        let mut ops: Vec<String> = parsed.operands.clone();
        let target_dir = parsed.last("t").map(str::to_string);
        if ops.is_empty() {
            return usage_error(ctx, "missing file operand", 1).await;
        }
        if target_dir.is_some() && no_target_dir {
            return usage_error(
                ctx,
                "cannot combine --target-directory and --no-target-directory",
                1,
            )
            .await;
        }
        if no_target_dir && ops.len() > 2 {
            return usage_error(ctx, &format!("extra operand {}", quote_always(&ops[2])), 1).await;
        }
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        // Where the links go: a directory (each link named after its target), or one name.
        let dir = match target_dir {
            Some(d) => Some(d),
            None if ops.len() == 1 => Some(".".to_string()),
            None if no_target_dir => None,
            None => {
                let last = ops[ops.len() - 1].clone();
                let last_path = cwd.join(&last);
                let is_dir = if opts.no_deref && ops.len() == 2 {
                    fs.lstat(&last_path).await.is_ok_and(|s| s.is_dir())
                } else {
                    fs.stat(&last_path).await.is_ok_and(|s| s.is_dir())
                };
                if ops.len() > 2 && !is_dir {
                    let err = match fs.stat(&last_path).await {
                        Ok(_) => FsError::not_dir(),
                        Err(e) => e,
                    };
                    ctx.error(format!("target {}: {err}", quote_always(&last)))
                        .await?;
                    return Ok(1);
                }
                if is_dir {
                    ops.pop();
                    Some(last)
                } else {
                    None
                }
            }
        };
        if let Some(d) = &dir {
            match fs.stat(&cwd.join(d)).await {
                Ok(st) if st.is_dir() => {}
                Ok(_) => {
                    ctx.error(format!("target {}: Not a directory", quote_always(d)))
                        .await?;
                    return Ok(1);
                }
                Err(e) => {
                    ctx.error(format!("failed to access {}: {e}", quote_always(d)))
                        .await?;
                    return Ok(1);
                }
            }
        }
        let pairs: Vec<(String, String)> = match &dir {
            Some(d) => ops
                .iter()
                .map(|t| (t.clone(), join_display(d, base_name(t))))
                .collect(),
            None => vec![(ops[0].clone(), ops[1].clone())],
        };
        let mut status = 0;
        for (target, name) in pairs {
            if !link_one(ctx, &opts, &target, &name, dir.is_none() && no_target_dir).await? {
                status = 1;
            }
        }
        Ok(status)
    }
}

/// Creates one link; reports and returns false on failure.
async fn link_one(
    ctx: &mut CommandContext,
    opts: &Opts,
    target: &str,
    name: &str,
    no_target_dir: bool,
) -> std::io::Result<bool> {
    let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
    let fail = |e: FsError| {
        format!(
            "failed to create symbolic link {}{}: {e}",
            quote_always(name),
            if target.is_empty() { " -> ''" } else { "" }
        )
    };
    if target.is_empty() {
        ctx.error(fail(FsError::not_found())).await?;
        return Ok(false);
    }
    let path = match resolve_strict(&fs, &cwd, name).await {
        Ok(p) => p,
        Err(e) => {
            ctx.error(fail(e)).await?;
            return Ok(false);
        }
    };
    let text = if opts.relative {
        match relative_target(&fs, &cwd, target, &path).await {
            Ok(t) => t,
            Err(e) => {
                ctx.error(fail(e)).await?;
                return Ok(false);
            }
        }
    } else {
        target.to_string()
    };
    if let Ok(existing) = fs.lstat(&path).await {
        if !opts.force {
            ctx.error(fail(FsError::exists())).await?;
            return Ok(false);
        }
        if existing.is_dir() {
            let shown = if no_target_dir {
                name.to_string()
            } else {
                quote_always(name)
            };
            ctx.error(format!("{shown}: cannot overwrite directory"))
                .await?;
            return Ok(false);
        }
        if let Err(e) = fs.remove_file(&path).await {
            ctx.error(format!("cannot remove {}: {e}", quote_always(name)))
                .await?;
            return Ok(false);
        }
    }
    match fs.symlink(&text, &path).await {
        Ok(()) => {
            if opts.verbose {
                let line = format!("{} -> {}\n", quote_always(name), quote_always(&text));
                ctx.stdout.write_str(&line).await?;
            }
            Ok(true)
        }
        Err(e) => {
            ctx.error(fail(e)).await?;
            Ok(false)
        }
    }
}

/// `-r`: the target written relative to the link's directory, both canonicalized.
async fn relative_target(
    fs: &MountTable,
    cwd: &VPath,
    target: &str,
    link: &VPath,
) -> Result<String, FsError> {
    let mode = Mode {
        need: Need::Nothing,
        no_links: false,
        logical: false,
    };
    let absolute = canon(fs, cwd, target, mode).await?;
    let dir = canon(fs, cwd, link.parent().as_str(), mode).await?;
    Ok(relative(&absolute, &dir))
}
