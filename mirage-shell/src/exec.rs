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
    if let Err(e) = ctx.stdout.flush().await
        && e.kind() == io::ErrorKind::BrokenPipe
    {
        status = STATUS_BROKEN_PIPE;
    }
    let _ = ctx.stderr.flush().await;
    status
}

/// Runs `command` as a child of the command owning `ctx` (xargs, find -exec, env): the child
/// borrows the parent's stdout and stderr, and its stdin when `share_stdin` (an empty stdin
/// otherwise). `env` replaces the exported variables the child sees.
pub async fn run_child(
    ctx: &mut CommandContext,
    command: Arc<dyn Command>,
    name: String,
    args: Vec<String>,
    share_stdin: bool,
    env: Option<Arc<std::collections::BTreeMap<String, String>>>,
) -> i32 {
    use mirage_core::Output;
    let stdin: mirage_core::Reader = if share_stdin {
        std::mem::replace(&mut ctx.stdin, Box::pin(tokio::io::empty()))
    } else {
        Box::pin(tokio::io::empty())
    };
    let mut child = CommandContext {
        stdin_size: None,
        name,
        stdin,
        stdout: std::mem::replace(&mut ctx.stdout, Output::sink()),
        stderr: std::mem::replace(&mut ctx.stderr, Output::sink()),
        cwd: ctx.cwd.clone(),
        env: env.unwrap_or_else(|| ctx.env.clone()),
        fs: ctx.fs.clone(),
        commands: ctx.commands.clone(),
        shell_prefix: None,
    };
    let status = run_command(command, &mut child, args).await;
    ctx.stdout = child.stdout;
    ctx.stderr = child.stderr;
    if share_stdin {
        ctx.stdin = child.stdin;
    }
    status
}
