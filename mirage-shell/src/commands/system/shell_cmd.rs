//! `bash` and `sh` as registered commands, so `xargs sh -c`, `find -exec bash -c`, `env X=1 sh`
//! and `timeout 5 bash -c` reach the interpreter. At the prompt the interpreter's own builtin
//! of the same name runs instead; both share `interp::run_as_command`'s child-shell semantics.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

pub struct Shell;

#[async_trait]
impl Command for Shell {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        crate::interp::run_as_command(ctx, args).await
    }
}
