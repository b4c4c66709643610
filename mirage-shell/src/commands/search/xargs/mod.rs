//! `xargs`: GNU findutils 4.9 xargs, running commands from the registry.
//!
//! Items are read as a stream and a command runs as soon as its batch is full (`-n`, `-L`,
//! the 128 KiB size limit, or one line per command with `-I`), so memory stays flat on long
//! inputs. Each command runs in a child context sharing the file system, registry, environment
//! and working directory; xargs hands its own stdout and stderr to the child for the duration of
//! the call, so output keeps its order without copying.

mod input;
mod options;
mod quote;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;

use std::io;
use std::sync::Arc;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};

use crate::commands::common::{open_operand, take_stdin};
use input::{InputError, Item, Items, Split};
use options::Config;

/// The `xargs` command.
pub struct Xargs;

/// Exit statuses of GNU xargs.
const STATUS_CHILD_FAILED: i32 = 123;
const STATUS_CHILD_255: i32 = 124;
const STATUS_CHILD_SIGNALLED: i32 = 125;
const STATUS_NOT_FOUND: i32 = 127;

/// What running one command means for the rest of the run.
enum Flow {
    Continue,
    /// Stop now with this status.
    Exit(i32),
}

#[async_trait]
impl Command for Xargs {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let config = match options::parse(ctx, &args).await? {
            Ok(c) => c,
            Err(status) => return Ok(status),
        };
        let reader = match &config.arg_file {
            Some(file) => match open_operand(ctx, file).await {
                Ok(r) => r,
                Err(e) => {
                    ctx.error(format!(
                        "Cannot open input file \u{2018}{file}\u{2019}: {e}"
                    ))
                    .await?;
                    return Ok(1);
                }
            },
            None => take_stdin(ctx),
        };
        let mut run = Run {
            config: &config,
            failed: false,
            ran: false,
        };
        run.all(ctx, Items::new(reader, config.split)).await
    }
}

struct Run<'a> {
    config: &'a Config,
    /// Some command exited with 1-125.
    failed: bool,
    /// Some item was read (so the empty-input run is not needed).
    ran: bool,
}

/// The pending arguments of the next command.
struct Batch {
    items: Vec<String>,
    size: usize,
    lines: usize,
}

impl Run<'_> {
    async fn all(&mut self, ctx: &mut CommandContext, mut items: Items) -> CommandResult {
        let cfg = self.config;
        let base_size: usize = cfg.command.iter().map(|a| a.len() + 1).sum();
        if base_size > cfg.max_chars {
            ctx.error("cannot fit single argument within argument list size limit")
                .await?;
            return Ok(1);
        }
        let mut batch = Batch {
            items: Vec::new(),
            size: base_size,
            lines: 0,
        };
        loop {
            let item = match items.next().await {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(InputError::Io(e)) => return Err(e),
                Err(InputError::UnmatchedQuote(which)) => {
                    ctx.error(format!(
                        "unmatched {which} quote; by default quotes are special to xargs unless you use the -0 option"
                    ))
                    .await?;
                    if !batch.items.is_empty()
                        && let Flow::Exit(status) = self.flush(ctx, &mut batch, base_size).await?
                    {
                        return Ok(status);
                    }
                    return Ok(1);
                }
            };
            // The logical end-of-file string (-E) only applies to quoted input.
            if !matches!(cfg.split, Split::Delimiter(_))
                && cfg
                    .eof_str
                    .as_deref()
                    .is_some_and(|e| e.as_bytes() == item.text)
            {
                break;
            }
            self.ran = true;
            match self.add(ctx, &mut batch, base_size, item).await? {
                Flow::Continue => {}
                Flow::Exit(status) => return Ok(status),
            }
        }
        let run_empty = !self.ran && !cfg.no_run_if_empty && cfg.replace.is_none();
        if (!batch.items.is_empty() || run_empty)
            && let Flow::Exit(status) = self.flush(ctx, &mut batch, base_size).await?
        {
            return Ok(status);
        }
        Ok(if self.failed { STATUS_CHILD_FAILED } else { 0 })
    }

    /// Adds one item, running the command when the batch is full.
    async fn add(
        &mut self,
        ctx: &mut CommandContext,
        batch: &mut Batch,
        base_size: usize,
        item: Item,
    ) -> io::Result<Flow> {
        let cfg = self.config;
        let text = String::from_utf8_lossy(&item.text).into_owned();
        if let Some(pattern) = &cfg.replace {
            let argv: Vec<String> = cfg
                .command
                .iter()
                .map(|a| a.replace(pattern.as_str(), &text))
                .collect();
            return self.execute(ctx, argv).await;
        }
        let need = text.len() + 1;
        if batch.size + need > cfg.max_chars {
            if batch.items.is_empty() {
                ctx.error("argument line too long").await?;
                return Ok(Flow::Exit(1));
            }
            if cfg.exit_on_size {
                ctx.error("argument list too long").await?;
                return Ok(Flow::Exit(1));
            }
            if let Flow::Exit(status) = self.flush(ctx, batch, base_size).await? {
                return Ok(Flow::Exit(status));
            }
            if batch.size + need > cfg.max_chars {
                ctx.error("argument line too long").await?;
                return Ok(Flow::Exit(1));
            }
        }
        batch.items.push(text);
        batch.size += need;
        if item.ends_line {
            batch.lines += 1;
        }
        let full = cfg.max_args.is_some_and(|n| batch.items.len() >= n)
            || cfg
                .max_lines
                .is_some_and(|n| item.ends_line && batch.lines >= n);
        if full {
            return self.flush(ctx, batch, base_size).await;
        }
        Ok(Flow::Continue)
    }

    async fn flush(
        &mut self,
        ctx: &mut CommandContext,
        batch: &mut Batch,
        base_size: usize,
    ) -> io::Result<Flow> {
        let mut argv = self.config.command.clone();
        argv.append(&mut batch.items);
        batch.size = base_size;
        batch.lines = 0;
        self.execute(ctx, argv).await
    }

    /// Runs one command line and interprets its status as GNU xargs does.
    async fn execute(&mut self, ctx: &mut CommandContext, argv: Vec<String>) -> io::Result<Flow> {
        if self.config.verbose {
            let shown: Vec<String> = argv.iter().map(|a| quote::shell_quote(a)).collect();
            ctx.stderr
                .write_str(&format!("{}\n", shown.join(" ")))
                .await?;
        }
        let Some(name) = argv.first().cloned() else {
            return Ok(Flow::Continue);
        };
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        let command = ctx
            .commands
            .resolve(&name, None, None)
            .or_else(|| ctx.commands.resolve(&base, None, None));
        let Some(command) = command else {
            ctx.error(format!("{name}: No such file or directory"))
                .await?;
            return Ok(Flow::Exit(STATUS_NOT_FOUND));
        };
        let status = run_child(
            ctx,
            command,
            base,
            argv[1..].to_vec(),
            self.config.arg_file.is_some(),
        )
        .await;
        match status {
            0 => Ok(Flow::Continue),
            255 => {
                ctx.error(format!("{name}: exited with status 255; aborting"))
                    .await?;
                Ok(Flow::Exit(STATUS_CHILD_255))
            }
            crate::exec::STATUS_BROKEN_PIPE => {
                ctx.error(format!("{name}: terminated by signal 13"))
                    .await?;
                Ok(Flow::Exit(STATUS_CHILD_SIGNALLED))
            }
            _ => {
                self.failed = true;
                Ok(Flow::Continue)
            }
        }
    }
}

/// Runs `command` in a child context that borrows xargs' stdout and stderr. The child reads
/// xargs' stdin only when items come from a file (`-a`), as GNU does; otherwise nothing.
async fn run_child(
    ctx: &mut CommandContext,
    command: Arc<dyn Command>,
    name: String,
    args: Vec<String>,
    share_stdin: bool,
) -> i32 {
    crate::exec::run_child(ctx, command, name, args, share_stdin, None).await
}
