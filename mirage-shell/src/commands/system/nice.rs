//! `nice`, `nohup` and `sync`. Mirage has no scheduler priorities, hang-up signals or write
//! caches, so `nice [-n N] CMD` and `nohup CMD` just run CMD (`nice` alone prints niceness 0)
//! and `sync [FILE...]` only checks that its files exist. Messages and statuses follow GNU.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use crate::commands::common::{unsupported, usage_error};
use crate::commands::quoting::{lquote, shell_quote};

pub struct Nice;
pub struct Nohup;
pub struct Sync;

/// GNU's status when nice/nohup itself fails.
const CANCELED: i32 = 125;

/// Runs `args[0]` with the rest of `args`, as `timeout` does; `not_found` words the failure.
async fn run_named(
    ctx: &mut CommandContext,
    args: &[String],
    not_found: impl FnOnce(&str) -> String,
) -> CommandResult {
    let Some((name, rest)) = args.split_first() else {
        return Ok(0);
    };
    let Some(cmd) = ctx.commands.resolve(name, None, None) else {
        ctx.error(not_found(name)).await?;
        return Ok(127);
    };
    Ok(crate::exec::run_child(ctx, cmd, name.clone(), rest.to_vec(), true, None).await)
}

#[async_trait]
impl Command for Nice {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut i = 0;
        let mut adjustment: Option<String> = None;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                i += 1;
                break;
            }
            if a == "--help" || a == "--version" {
                return unsupported(ctx, a).await;
            }
            if let Some(v) = a.strip_prefix("--adjustment=") {
                adjustment = Some(v.to_string());
            } else if a == "-n" || a == "--adjustment" {
                let Some(v) = args.get(i + 1) else {
                    let msg = format!("option requires an argument -- '{}'", "n");
                    return usage_error(ctx, &msg, CANCELED).await;
                };
                adjustment = Some(v.clone());
                i += 1;
            } else if let Some(v) = a.strip_prefix("-n") {
                adjustment = Some(v.to_string());
            } else if a.len() > 1
                && a.starts_with('-')
                && a[1..].bytes().all(|b| b.is_ascii_digit())
            {
                // The old `-N` form.
                adjustment = Some(a[1..].to_string());
            } else if a.starts_with('-') && a.len() > 1 {
                let msg = format!("invalid option -- '{}'", &a[1..2]);
                return usage_error(ctx, &msg, CANCELED).await;
            } else {
                break;
            }
            i += 1;
        }
        if let Some(v) = &adjustment {
            let body = v.strip_prefix(['+', '-']).unwrap_or(v);
            if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
                ctx.error(format!("invalid adjustment {}", lquote(v)))
                    .await?;
                return Ok(CANCELED);
            }
        }
        let rest = &args[i..];
        if rest.is_empty() {
            if adjustment.is_some() {
                let msg = "a command must be given with an adjustment";
                return usage_error(ctx, msg, CANCELED).await;
            }
            ctx.stdout.write_all(b"0\n").await?;
            return Ok(0);
        }
        run_named(ctx, rest, |name| {
            format!("{}: No such file or directory", lquote(name))
        })
        .await
    }
}

#[async_trait]
impl Command for Nohup {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut rest = args.as_slice();
        match rest.first().map(String::as_str) {
            Some("--") => rest = &rest[1..],
            Some("--help" | "--version") => return unsupported(ctx, &args[0]).await,
            Some(a) if a.starts_with('-') && a.len() > 1 => {
                let msg = if a.starts_with("--") {
                    format!("unrecognized option '{a}'")
                } else {
                    format!("invalid option -- '{}'", &a[1..2])
                };
                return usage_error(ctx, &msg, CANCELED).await;
            }
            _ => {}
        }
        if rest.is_empty() {
            return usage_error(ctx, "missing operand", CANCELED).await;
        }
        run_named(ctx, rest, |name| {
            format!(
                "failed to run command {}: No such file or directory",
                shell_quote(name, true)
            )
        })
        .await
    }
}

#[async_trait]
impl Command for Sync {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut status = 0;
        let mut only_files = false;
        for a in &args {
            if !only_files && a == "--" {
                only_files = true;
                continue;
            }
            if !only_files && a.starts_with('-') && a.len() > 1 {
                match a.as_str() {
                    "-d" | "-f" | "--data" | "--file-system" => continue,
                    _ => return unsupported(ctx, a).await,
                }
            }
            if let Err(e) = ctx.fs.stat(&ctx.path(a)).await {
                let msg = format!("error opening {}: {e}", shell_quote(a, true));
                ctx.error(msg).await?;
                status = 1;
            }
        }
        Ok(status)
    }
}
