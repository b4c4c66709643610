//! `readlink`: the target of a workspace symlink, or with `-f`/`-e`/`-m` a canonical name
//! (the same walk as `realpath`).

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use super::realpath::{Mode, Need, canon};
use super::support::{HELP, VERSION, long, parse_refusing, quote_if_needed, usage_error};
use crate::commands::getopt::{HasArg, OptSpec};

pub struct Readlink;

const SPEC: OptSpec = OptSpec {
    short: "efmnqsvz",
    long: &[
        long("canonicalize", HasArg::No, "f"),
        long("canonicalize-existing", HasArg::No, "e"),
        long("canonicalize-missing", HasArg::No, "m"),
        long("no-newline", HasArg::No, "n"),
        long("quiet", HasArg::No, "q"),
        long("silent", HasArg::No, "s"),
        long("verbose", HasArg::No, "v"),
        long("zero", HasArg::No, "z"),
        HELP,
        VERSION,
    ],
    stop_at_operand: false,
};

#[async_trait]
impl Command for Readlink {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_refusing(ctx, &SPEC, &args, 1, &[]).await? {
            Ok(p) => p,
            Err(status) => return Ok(status),
        };
        // The last of -f/-e/-m wins, as in GNU.
        let need = parsed.opts.iter().rev().find_map(|o| match o.key.as_str() {
            "f" => Some(Need::AllButLast),
            "e" => Some(Need::All),
            "m" => Some(Need::Nothing),
            _ => None,
        });
        let verbose = parsed
            .opts
            .iter()
            .rev()
            .find_map(|o| match o.key.as_str() {
                "v" => Some(true),
                "q" | "s" => Some(false),
                _ => None,
            })
            .unwrap_or(false);
        if parsed.operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let many = parsed.operands.len() > 1;
        let end = if parsed.has("z") {
            "\0"
        } else if parsed.has("n") && !many {
            ""
        } else {
            "\n"
        };
        if parsed.has("n") && many {
            ctx.error("ignoring --no-newline with multiple arguments".to_string())
                .await?;
        }
        let (fs, cwd) = (ctx.fs.clone(), ctx.cwd.clone());
        let mut status = 0;
        for op in &parsed.operands {
            let answer = match need {
                Some(need) => {
                    let mode = Mode {
                        need,
                        no_links: false,
                        logical: false,
                    };
                    canon(&fs, &cwd, op, mode).await.map(|p| p.to_string())
                }
                None => fs.readlink(&cwd.join(op)).await,
            };
            match answer {
                Ok(text) => ctx.stdout.write_str(&format!("{text}{end}")).await?,
                Err(e) => {
                    if verbose {
                        ctx.error(format!("{}: {e}", quote_if_needed(op))).await?;
                    }
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}
