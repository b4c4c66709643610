//! `yes [STRING...]`: repeats a line until the reader goes away (the pipe closes and the write
//! fails with BrokenPipe, which ends the command with status 141 like SIGPIPE).

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

pub struct Yes;

#[async_trait]
impl Command for Yes {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let words: Vec<&String> = match args.first().map(String::as_str) {
            Some("--") => args[1..].iter().collect(),
            _ => args.iter().collect(),
        };
        let line = if words.is_empty() {
            "y\n".to_string()
        } else {
            format!(
                "{}\n",
                words
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        // Fill a large block once so each write moves many lines.
        let block = line.repeat((8192 / line.len()).max(1));
        loop {
            ctx.stdout.write_str(&block).await?;
        }
    }
}
