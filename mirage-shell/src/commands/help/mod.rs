//! `--help` texts for the built-in commands, and `man`, which prints the same text.
//!
//! The texts are written for Mirage: they list the options Mirage implements, in GNU's usual
//! layout (a `Usage:` line, a one-line summary, then the options). The interpreter answers
//! `CMD --help` from here before the command runs, so no command needs its own help code.

use std::sync::Arc;

use mirage_core::{Command, CommandContext, CommandRegistry, CommandResult, async_trait};

mod texts;

/// The help text of `name`, if one is written.
pub fn text(name: &str) -> Option<&'static str> {
    texts::TEXTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

pub fn register(reg: &mut CommandRegistry) {
    reg.register("man", Arc::new(Man));
}

/// `man NAME`: the `--help` text of a command.
struct Man;

#[async_trait]
impl Command for Man {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() {
            ctx.stderr
                .write_str("What manual page do you want?\nFor example, try 'man man'.\n")
                .await?;
            return Ok(1);
        }
        let mut status = 0;
        for name in names {
            match text(name) {
                Some(t) => ctx.stdout.write_str(t).await?,
                None => {
                    ctx.stderr
                        .write_str(&format!("No manual entry for {name}\n"))
                        .await?;
                    status = 16;
                }
            }
        }
        Ok(status)
    }
}
