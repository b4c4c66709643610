//! `less` and `more` with an output that is not a terminal, the only case a shell line can
//! see: both copy their input through. `less` reports a missing file on stdout as `FILE: No
//! such file or directory`, `more` on stderr as `more: cannot open FILE: ...`; `more` puts a `::::` banner before
//! each named file. Both exit 0 whatever happened, as the real ones do off a terminal.
//! Options only steer the interactive display, so they are accepted and ignored.

use async_trait::async_trait;
use mirage_core::Reader;
use mirage_core::{Command, CommandContext, CommandResult, ErrorKind};
use tokio::io::AsyncBufReadExt;

use super::support::open_operand;

pub struct Pager {
    pub more: bool,
}

#[async_trait]
impl Command for Pager {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        // Options taking a separate value (`more -n 5`, `less -x 4`).
        let with_value: &[&str] = if self.more {
            &["-n", "--lines"]
        } else {
            &[
                "-b", "-h", "-j", "-k", "-o", "-O", "-p", "-P", "-t", "-T", "-x", "-y", "-z",
            ]
        };
        let mut files = Vec::new();
        let mut opts_done = false;
        let mut skip = false;
        for a in args {
            if skip {
                skip = false;
            } else if !opts_done && a == "--" {
                opts_done = true;
            } else if !opts_done && a.len() > 1 && (a.starts_with('-') || a.starts_with('+')) {
                // Display options: meaningless when the output is not a terminal.
                skip = with_value.contains(&a.as_str());
            } else {
                files.push(a);
            }
        }
        if files.is_empty() {
            let mut input = open_operand(ctx, "-").await?;
            copy(&mut input, ctx).await?;
            return Ok(0);
        }
        for file in &files {
            let path = ctx.path(file);
            let is_dir = matches!(ctx.fs.stat(&path).await, Ok(s) if s.is_dir());
            if is_dir {
                if self.more {
                    let msg = format!("\n*** {file}: directory ***\n\n");
                    ctx.stdout.write_all(msg.as_bytes()).await?;
                } else {
                    // less reports on its output when that is not a terminal.
                    let msg = format!("{file} is a directory\n");
                    ctx.stdout.write_all(msg.as_bytes()).await?;
                }
                continue;
            }
            let mut input = match open_operand(ctx, file).await {
                Ok(r) => r,
                Err(e) => {
                    let e = if file.is_empty() && e.kind != ErrorKind::NotFound {
                        mirage_core::FsError::not_found()
                    } else {
                        e
                    };
                    if self.more {
                        let msg = format!("more: cannot open {file}: {e}\n");
                        ctx.stderr.write_all(msg.as_bytes()).await?;
                    } else {
                        let msg = format!("{file}: {e}\n");
                        ctx.stdout.write_all(msg.as_bytes()).await?;
                    }
                    continue;
                }
            };
            if self.more {
                let banner = format!("::::::::::::::\n{file}\n::::::::::::::\n");
                ctx.stdout.write_all(banner.as_bytes()).await?;
            }
            copy(&mut input, ctx).await?;
        }
        Ok(0)
    }
}

/// Copies `input` to stdout chunk by chunk (a read error ends the file, as EOF would).
async fn copy(input: &mut Reader, ctx: &mut CommandContext) -> std::io::Result<()> {
    loop {
        let chunk = match input.fill_buf().await {
            Ok(c) if !c.is_empty() => c.to_vec(),
            _ => return Ok(()),
        };
        input.consume(chunk.len());
        ctx.stdout.write_all(&chunk).await?;
    }
}
