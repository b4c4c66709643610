//! `true`, `false`, `test` and `[` as registered commands, for the tools that run programs
//! (`find -exec test -s {} \;`, `xargs false`, `timeout 1 true`, `env true`). At the prompt
//! the interpreter's builtins of the same names run instead; these reuse them.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

pub struct BuiltinCmd;

#[async_trait]
impl Command for BuiltinCmd {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        crate::interp::run_builtin_as_command(ctx, args).await
    }
}
