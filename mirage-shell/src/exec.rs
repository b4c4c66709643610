//! Running one command with its context: the one place that turns a command's result into an
//! exit status (I/O errors, broken pipes) and flushes its output.

use std::io;
use std::sync::Arc;

use mirage_core::{Command, CommandContext};

/// Status bash reports for a process killed by SIGPIPE.
pub const STATUS_BROKEN_PIPE: i32 = 141;

/// Runs `command` and returns its exit status. Output is flushed and closed afterwards so a
/// downstream pipe reader sees end of input.
pub async fn run_command(
    command: Arc<dyn Command>,
    ctx: &mut CommandContext,
    args: Vec<String>,
) -> i32 {
    let result = command.run(ctx, args).await;
    let mut status = match result {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => STATUS_BROKEN_PIPE,
        Err(e) => {
            let _ = ctx.error(e.to_string()).await;
            1
        }
    };
    if let Err(e) = ctx.stdout.flush().await {
        if e.kind() == io::ErrorKind::BrokenPipe {
            status = STATUS_BROKEN_PIPE;
        }
    }
    let _ = ctx.stderr.flush().await;
    status
}
