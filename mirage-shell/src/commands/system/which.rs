//! `which NAME...`: where a command lives. Every registered command answers as `/usr/bin/NAME`
//! (the registry is Mirage's PATH); shell builtins and functions are not files, as with the
//! real `which`.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

pub struct Which;

#[async_trait]
impl Command for Which {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        // Debian's `which` with no names fails quietly.
        let mut status = i32::from(!args.iter().any(|a| !a.starts_with('-')));
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            if ctx.commands.contains(name) && !name.contains('/') {
                let line = format!("/usr/bin/{name}\n");
                ctx.stdout.write_str(&line).await?;
            } else {
                status = 1;
            }
        }
        Ok(status)
    }
}
