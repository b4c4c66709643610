//! `rg`: ripgrep 13.0.0 as agents see it (stdout not a terminal: no heading, no line numbers,
//! no colour), over the mount table.
//!
//! The pieces: `options` parses ripgrep's (clap) command line, `walk` turns paths into inputs
//! (ignore files, hidden files, `-g` globs, `-t` types; always in path order, as `--sort path`),
//! and `search` searches one input and prints its results.

mod ignore;
mod options;
mod search;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

/// The `rg` command.
pub struct Rg;

#[async_trait]
impl Command for Rg {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let opts = match options::parse(&args) {
            Ok(o) => o,
            Err(options::ParseError::Clap(msg)) => {
                ctx.stderr.write_str(&msg).await?;
                return Ok(2);
            }
            Err(options::ParseError::Unsupported(opt)) => {
                return crate::commands::common::unsupported(ctx, &opt).await;
            }
        };
        walk::run(ctx, opts).await
    }
}
