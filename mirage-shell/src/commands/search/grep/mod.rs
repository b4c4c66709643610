//! `grep`: GNU grep 3.8 over the mount table.
//!
//! The pieces: `pattern` translates BRE/ERE/fixed patterns to the `regex` crate's syntax,
//! `matcher` adds GNU's leftmost-longest and `-w` rules, `scan` searches one input with
//! context, counts and binary detection, and `walk` turns operands (and `-r`) into inputs.

mod matcher;
mod options;
mod pattern;
mod scan;
mod walk;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use matcher::{CompileError, Matcher};

/// The `grep` command.
pub struct Grep;

/// Exit status for errors (bad usage, unreadable files).
const TROUBLE: i32 = 2;

#[async_trait]
impl Command for Grep {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let config = match options::parse(ctx, &args).await? {
            Ok(c) => c,
            Err(status) => return Ok(status),
        };
        let compiled = match Matcher::compile(&config.patterns, config.match_opts) {
            Ok(c) => c,
            Err(CompileError::Gnu(msg)) => {
                ctx.error(msg).await?;
                return Ok(TROUBLE);
            }
            Err(CompileError::Unsupported(msg)) => {
                ctx.stderr
                    .write_str(&format!("mirage: {}: {msg}\n", ctx.name))
                    .await?;
                return Ok(TROUBLE);
            }
        };
        for w in &compiled.warnings {
            ctx.error(format!("warning: {w}")).await?;
        }
        if config.scan.max_count == Some(0) {
            return Ok(1);
        }
        if config.matches_nothing() && config.scan.list != scan::ListMode::NonMatching {
            return Ok(1);
        }
        let mut matcher = compiled.matcher;
        let found = walk::search_all(ctx, &config, &mut matcher).await?;
        Ok(found.status(config.scan.quiet))
    }
}
