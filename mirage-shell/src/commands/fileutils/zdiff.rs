//! `zdiff` and `zcmp` (gzip's scripts): compare files that may be gzip-compressed by running
//! `diff` or `cmp` with the decompressed data on standard input. One operand `F.gz` compares it
//! with `F`; with two, the compressed one is decompressed (both compressed is refused, as GNU
//! then goes through a temporary file). Options go to diff/cmp; the scripts' own messages are
//! worded as Debian's `/usr/bin/zdiff` (a dash script) prints them.

use std::sync::Arc;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, Output};

use crate::commands::common::unsupported;

pub struct Zdiff {
    /// `cmp` for zcmp, `diff` for zdiff.
    pub program: &'static str,
}

/// The script's name in its messages (zcmp runs zdiff).
const SCRIPT: &str = "/usr/bin/zdiff";

/// Whether `name` has a compressed suffix the script knows, and the name without it.
fn uncompressed_name(name: &str) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    for (suffix, replacement) in [
        (".tgz", ".tar"),
        (".taz", ".tar"),
        (".gz", ""),
        ("-gz", ""),
        (".z", ""),
        ("-z", ""),
        ("_z", ""),
        (".Z", ""),
    ] {
        if base.len() > suffix.len() && base.ends_with(suffix) {
            let stem = &name[..name.len() - suffix.len()];
            return Some(format!("{stem}{replacement}"));
        }
    }
    None
}

/// `gzip -cdfq FILE`, as the script runs it: the data decompressed (or as it is).
async fn decompressed(ctx: &mut CommandContext, file: &str) -> std::io::Result<Vec<u8>> {
    let Some(gzip) = ctx.commands.resolve("gzip", None, None) else {
        return Ok(Vec::new());
    };
    let shared = Arc::new(std::sync::Mutex::new(Vec::new()));
    let capture = Output::new(Box::pin(crate::commands::capture::SharedBuf(
        shared.clone(),
    )));
    let saved = std::mem::replace(&mut ctx.stdout, capture);
    let args = vec!["-cdfq".to_string(), "--".to_string(), file.to_string()];
    crate::exec::run_child(ctx, gzip, "gzip".to_string(), args, false, None).await;
    let mut captured = std::mem::replace(&mut ctx.stdout, saved);
    captured.flush().await?;
    let data = std::mem::take(&mut *shared.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(data)
}

#[async_trait]
impl Command for Zdiff {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let mut opts = Vec::new();
        let mut files = Vec::new();
        let mut only_files = false;
        for a in &args {
            if only_files || !a.starts_with('-') || a == "-" {
                files.push(a.clone());
            } else if a == "--" {
                only_files = true;
            } else if a == "--help" || a == "--version" {
                return unsupported(ctx, a).await;
            } else {
                opts.push(a.clone());
            }
        }
        if files.iter().any(|f| f == "-") {
            return unsupported(ctx, "- (standard input) as an operand").await;
        }
        match files.len() {
            0 => {
                let msg = format!("{SCRIPT}: missing operand\n");
                ctx.stderr.write_all(msg.as_bytes()).await?;
                return Ok(2);
            }
            1 | 2 => {}
            _ => {
                let msg = format!("{SCRIPT}: extra operand '{}'\n", files[2]);
                ctx.stderr.write_all(msg.as_bytes()).await?;
                return Ok(2);
            }
        }
        // The script opens its operands first (lines 92 and 96 of Debian's zdiff).
        for (file, line) in files.iter().zip([92, 96]) {
            if ctx.fs.stat(&ctx.path(file)).await.is_err() {
                let msg = format!("{SCRIPT}: {line}: cannot open {file}: No such file\n");
                ctx.stderr.write_all(msg.as_bytes()).await?;
                return Ok(2);
            }
        }
        let (stdin_file, operands) = if files.len() == 1 {
            let Some(plain) = uncompressed_name(&files[0]) else {
                let msg = format!(
                    "{SCRIPT}: {}: unknown compressed file extension\n",
                    files[0]
                );
                ctx.stderr.write_all(msg.as_bytes()).await?;
                return Ok(2);
            };
            (Some(files[0].clone()), vec!["-".to_string(), plain])
        } else {
            let first = uncompressed_name(&files[0]).is_some();
            let second = uncompressed_name(&files[1]).is_some();
            match (first, second) {
                (true, true) => {
                    return unsupported(ctx, "two compressed operands").await;
                }
                (true, false) => (
                    Some(files[0].clone()),
                    vec!["-".to_string(), files[1].clone()],
                ),
                (false, true) => (
                    Some(files[1].clone()),
                    vec![files[0].clone(), "-".to_string()],
                ),
                (false, false) => (None, files.clone()),
            }
        };
        let Some(program) = ctx.commands.resolve(self.program, None, None) else {
            return unsupported(ctx, self.program).await;
        };
        let share_stdin = stdin_file.is_some();
        if let Some(file) = stdin_file {
            let data = decompressed(ctx, &file).await?;
            ctx.stdin = Box::pin(std::io::Cursor::new(data));
        }
        let mut child_args = opts;
        child_args.extend(operands);
        Ok(crate::exec::run_child(
            ctx,
            program,
            self.program.to_string(),
            child_args,
            share_stdin,
            None,
        )
        .await)
    }
}
