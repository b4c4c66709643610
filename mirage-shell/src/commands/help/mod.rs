//! `--help` texts for the built-in commands, and `man`, which prints the same text.
//!
//! The texts are written for Mirage: they list the options Mirage implements, in GNU's usual
//! layout (a `Usage:` line, a one-line summary, then the options). The interpreter answers
//! `CMD --help` from here before the command runs, so no command needs its own help code.

use std::sync::Arc;

use mirage_core::{Command, CommandContext, CommandRegistry, CommandResult, async_trait};

mod texts;
mod texts_extra;

/// The help text of `name`, if one is written.
pub fn text(name: &str) -> Option<&'static str> {
    texts::TEXTS
        .iter()
        .chain(texts_extra::TEXTS)
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

/// Commands whose `--help` is an ordinary argument (bash's `echo --help` prints it) or that
/// ignore their arguments.
const HELP_IS_AN_ARGUMENT: &[&str] = &["echo", "true", "false", "[", "test"];

/// The text to print when `args` ask `name` for help: `--help` among the options, before the
/// first operand and before `--` (commands like `xargs` and `timeout` pass later arguments on).
pub fn answer(name: &str, args: &[String]) -> Option<&'static str> {
    if HELP_IS_AN_ARGUMENT.contains(&name) {
        return None;
    }
    let asks = args
        .iter()
        .take_while(|a| a.starts_with('-') && a.as_str() != "--")
        .any(|a| a == "--help");
    if asks { text(name) } else { None }
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

#[cfg(test)]
mod tests {
    use super::texts::TEXTS;
    use mirage_core::CommandRegistry;

    /// Every registered command answers `--help`. There are no exemptions: `echo` is the only
    /// registered command whose `--help` is an argument, and it still has a text for `man`;
    /// `[`, `test`, `true` and `false` are interpreter builtins, not registered commands.
    #[test]
    fn every_registered_command_has_a_text() {
        let mut reg = CommandRegistry::new();
        crate::commands::register_builtins(&mut reg);
        let mut missing: Vec<String> = reg
            .names()
            .into_iter()
            .filter(|n| super::text(n).is_none())
            .collect();
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "commands without a help text: {missing:?}"
        );
    }

    #[test]
    fn texts_are_sorted_without_duplicates() {
        for pair in TEXTS.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must come before {} (sorted, no duplicates)",
                pair[0].0,
                pair[1].0
            );
        }
    }

    #[test]
    fn texts_start_with_usage() {
        for (name, text) in TEXTS {
            assert!(text.starts_with("Usage: "), "{name}");
            assert!(text.ends_with('\n'), "{name}");
        }
    }
}
