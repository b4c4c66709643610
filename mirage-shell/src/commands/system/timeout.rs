//! `timeout [-s SIG] [-k D] [--preserve-status] DURATION COMMAND [ARG...]`: runs a command and
//! stops it when the time is up (status 124), as GNU timeout does.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

use super::duration::parse_duration;
use crate::commands::common::{parse_opts, usage_error};
use crate::commands::getopt::{HasArg, LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Timeout;

/// GNU timeout's status when the time limit was hit.
const TIMED_OUT: i32 = 124;

const SPEC: OptSpec = OptSpec {
    short: "s:k:v",
    long: &[
        LongOpt {
            name: "signal",
            has_arg: HasArg::Required,
            key: "s",
        },
        LongOpt {
            name: "kill-after",
            has_arg: HasArg::Required,
            key: "k",
        },
        LongOpt {
            name: "verbose",
            has_arg: HasArg::No,
            key: "v",
        },
        LongOpt {
            name: "preserve-status",
            has_arg: HasArg::No,
            key: "preserve-status",
        },
        LongOpt {
            name: "foreground",
            has_arg: HasArg::No,
            key: "foreground",
        },
    ],
    stop_at_operand: true,
};

#[async_trait]
impl Command for Timeout {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let p = match parse_opts(ctx, &SPEC, &args, 125).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        let (limit, rest) = match p.operands.split_first() {
            Some((limit, rest)) if !rest.is_empty() => (limit, rest),
            // Without a duration and a command GNU prints only the hint.
            _ => {
                ctx.stderr
                    .write_all(b"Try 'timeout --help' for more information.\n")
                    .await?;
                return Ok(125);
            }
        };
        let Some(duration) = parse_duration(limit) else {
            return usage_error(
                ctx,
                &format!("invalid time interval {}", lquote(limit)),
                125,
            )
            .await;
        };
        let Some((name, cmd_args)) = rest.split_first() else {
            return Ok(125);
        };
        let Some(cmd) = ctx.commands.resolve(name, None, None) else {
            ctx.error(format!(
                "failed to run command {}: No such file or directory",
                lquote(name)
            ))
            .await?;
            return Ok(127);
        };
        let run = crate::exec::run_child(ctx, cmd, name.clone(), cmd_args.to_vec(), true, None);
        // A zero duration disables the limit, as in GNU.
        if duration.is_zero() {
            return Ok(run.await);
        }
        match tokio::time::timeout(duration, run).await {
            Ok(status) => Ok(status),
            Err(_) => {
                if p.has("v") {
                    ctx.error(format!("sending signal TERM to command {}", lquote(name)))
                        .await?;
                }
                // The command was dropped mid-way; its streams went with it.
                Ok(if p.has("preserve-status") {
                    143
                } else {
                    TIMED_OUT
                })
            }
        }
    }
}
