//! Where `cp` and `mv` put their sources: the last operand (or `-t DIR`) as a directory to copy
//! into, or (`-T`, or one source and no such directory) as the new name.

use std::io;

use mirage_core::{CommandContext, FsError};

use super::support::{
    base_name, join_display, parse_refusing, quote_always, stat_operand, usage_error,
};
use crate::commands::getopt::{OptSpec, Parsed};

/// Where the sources go: into a directory, or (one source) to a name.
pub enum Target {
    Into(String),
    As(String),
}

/// What `cp` and `mv` do before touching any source: parse `args` by `spec`, refuse the option
/// keys in `refused`, and work out the sources and the target. `Err` carries the exit status
/// after the message was printed.
pub async fn parse_operands(
    ctx: &mut CommandContext,
    spec: &OptSpec,
    args: &[String],
    refused: &[&str],
) -> io::Result<Result<(Parsed, Vec<String>, Target), i32>> {
    let parsed = match parse_refusing(ctx, spec, args, 1, refused).await? {
        Ok(p) => p,
        Err(status) => return Ok(Err(status)),
    };
    Ok(target_of(ctx, &parsed)
        .await?
        .map(|(sources, target)| (parsed, sources, target)))
}

/// Works out the target from the operands as cp and mv do; `Err` carries the exit status after
/// the message was printed.
pub async fn target_of(
    ctx: &mut CommandContext,
    parsed: &Parsed,
) -> io::Result<Result<(Vec<String>, Target), i32>> {
    let ops = &parsed.operands;
    let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
    if let Some(dir) = parsed.last("t") {
        if parsed.has("T") {
            ctx.error("cannot combine --target-directory (-t) and --no-target-directory (-T)")
                .await?;
            return Ok(Err(1));
        }
        if ops.is_empty() {
            return usage_error(ctx, "missing file operand", 1).await.map(Err);
        }
        match stat_operand(&fs, &cwd, dir).await {
            Ok((_, st)) if st.is_dir() => {}
            Ok(_) => return fail_target(ctx, "target directory", dir, &FsError::not_dir()).await,
            Err(e) => return fail_target(ctx, "target directory", dir, &e).await,
        }
        return Ok(Ok((ops.clone(), Target::Into(dir.to_string()))));
    }
    match ops.len() {
        0 => return usage_error(ctx, "missing file operand", 1).await.map(Err),
        1 => {
            let msg = format!(
                "missing destination file operand after {}",
                quote_always(&ops[0])
            );
            return usage_error(ctx, &msg, 1).await.map(Err);
        }
        _ => {}
    }
    let last = ops[ops.len() - 1].clone();
    let sources = ops[..ops.len() - 1].to_vec();
    if parsed.has("T") {
        if ops.len() > 2 {
            let msg = format!("extra operand {}", quote_always(&ops[2]));
            return usage_error(ctx, &msg, 1).await.map(Err);
        }
        return Ok(Ok((sources, Target::As(last))));
    }
    let is_dir = matches!(stat_operand(&fs, &cwd, &last).await, Ok((_, st)) if st.is_dir());
    if is_dir {
        return Ok(Ok((sources, Target::Into(last))));
    }
    if ops.len() > 2 {
        let err = match stat_operand(&fs, &cwd, &last).await {
            Ok(_) => FsError::not_dir(),
            Err(e) => e,
        };
        return fail_target(ctx, "target", &last, &err).await;
    }
    Ok(Ok((sources, Target::As(last))))
}

async fn fail_target(
    ctx: &mut CommandContext,
    what: &str,
    name: &str,
    err: &FsError,
) -> io::Result<Result<(Vec<String>, Target), i32>> {
    ctx.error(format!("{what} {}: {err}", quote_always(name)))
        .await?;
    Ok(Err(1))
}

/// The destination name for `source` under `target`. Like GNU cp, a source named `..` goes to
/// `DIR/.` rather than `DIR/..` (mv keeps `..` and fails on it).
pub fn destination(source: &str, target: &Target, dotdot_to_dot: bool) -> String {
    match target {
        Target::Into(dir) if dotdot_to_dot && base_name(source) == ".." => join_display(dir, "."),
        Target::Into(dir) => join_display(dir, base_name(source)),
        Target::As(name) => name.clone(),
    }
}
