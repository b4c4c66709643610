//! `egrep` and `fgrep`: Debian ships them as two-line scripts running `grep -E "$@"` and
//! `grep -F "$@"`, so every message is grep's. They run Mirage's own grep the same way.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

pub struct GrepAlias {
    /// `-E` for egrep, `-F` for fgrep.
    pub flag: &'static str,
}

#[async_trait]
impl Command for GrepAlias {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let Some(grep) = ctx.commands.resolve("grep", None, None) else {
            ctx.error("grep: command not found").await?;
            return Ok(127);
        };
        let mut argv = Vec::with_capacity(args.len() + 1);
        argv.push(self.flag.to_string());
        argv.extend(args);
        let name = std::mem::replace(&mut ctx.name, "grep".to_string());
        let r = grep.run(ctx, argv).await;
        ctx.name = name;
        r
    }
}
