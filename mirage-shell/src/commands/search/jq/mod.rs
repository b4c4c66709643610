//! `jq`: jq 1.6 on top of jaq.
//!
//! The command reads its inputs (jq reads all files as one stream, so they are concatenated,
//! remembering where each starts for error locations), then runs the program on a blocking
//! thread (`run`) and forwards what it prints. `args` reads jq's command line, `parse` reads
//! JSON like jq's parser, `format` prints like jq, `program` compiles with jaq plus jq 1.6's
//! variants of a few builtins, `formats` and `errors` supply jq's wording.

mod args;
mod builtins;
mod errors;
mod format;
mod formats;
mod parse;
mod paths;
mod program;
mod rewrite;
mod run;
mod transform;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;

use std::io;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError};
use tokio::io::AsyncReadExt;

use crate::commands::common::{open_operand, take_stdin};
use args::{NamedValue, Outcome};
use run::{Chunk, Job, Named};

/// The `jq` command.
pub struct Jq;

#[async_trait]
impl Command for Jq {
    async fn run(&self, ctx: &mut CommandContext, argv: Vec<String>) -> CommandResult {
        let mut a = match args::parse(&argv) {
            Outcome::Run(a) => a,
            Outcome::Fail(msg, status) => {
                ctx.stderr.write_str(&msg).await?;
                return Ok(status);
            }
            Outcome::Print(text) => {
                ctx.stdout.write_str(&text).await?;
                return Ok(0);
            }
            Outcome::Unsupported(opt) => {
                return crate::commands::common::unsupported(ctx, &opt).await;
            }
        };
        let program = if a.from_file {
            let Some(file) = a.program.take() else {
                ctx.stderr.write_str(args::USAGE).await?;
                return Ok(2);
            };
            match read_path(ctx, &file).await {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    ctx.stderr
                        .write_str(&format!("jq: Could not open {file}: {e}\n"))
                        .await?;
                    return Ok(2);
                }
            }
        } else {
            a.program.take().unwrap_or_else(|| ".".to_string())
        };
        // `jq -n` reads its inputs only when the program asks for them; without this check an
        // endless stdin would never let it finish.
        let wants_input = !a.null_input || program.contains("input");
        let mut job = Job {
            args: a,
            program,
            data: Vec::new(),
            segments: Vec::new(),
            named: Vec::new(),
            env: (*ctx.env).clone(),
            input_errors: false,
            line_cursor: Default::default(),
        };
        if wants_input {
            read_inputs(ctx, &mut job).await?;
        }
        read_named(ctx, &mut job).await;
        execute(ctx, job).await
    }
}

async fn read_path(ctx: &mut CommandContext, operand: &str) -> Result<Vec<u8>, FsError> {
    if operand == "/dev/null" {
        return Ok(Vec::new());
    }
    let mut reader = open_operand(ctx, operand).await?;
    let mut data = Vec::new();
    reader.read_to_end(&mut data).await.map_err(FsError::from)?;
    Ok(data)
}

/// Reads stdin or every input file into the job. A file that cannot be opened is reported and
/// skipped; a directory is skipped silently, as jq 1.6 does; both make the status 2.
async fn read_inputs(ctx: &mut CommandContext, job: &mut Job) -> io::Result<()> {
    let files = job.args.files.clone();
    if files.is_empty() {
        let mut data = Vec::new();
        take_stdin(ctx).read_to_end(&mut data).await?;
        job.segments.push(("<stdin>".to_string(), 0, data.len()));
        job.data = data;
        return Ok(());
    }
    for file in files {
        let path = ctx.path(&file);
        if ctx.fs.stat(&path).await.is_ok_and(|s| s.is_dir()) {
            job.input_errors = true;
            continue;
        }
        match read_path(ctx, &file).await {
            Ok(bytes) => {
                let start = job.data.len();
                job.data.extend_from_slice(&bytes);
                job.segments.push((file.clone(), start, job.data.len()));
            }
            Err(e) => {
                job.input_errors = true;
                ctx.stderr
                    .write_str(&format!("jq: error: Could not open file {file}: {e}\n"))
                    .await?;
            }
        }
    }
    Ok(())
}

/// Resolves `--arg`-style values, reading the files of `--slurpfile` and `--rawfile`.
async fn read_named(ctx: &mut CommandContext, job: &mut Job) {
    let named = job.args.named.clone();
    for (name, value) in named {
        let v = match value {
            NamedValue::Text(t) => Named::Text(t),
            NamedValue::Json(t) => Named::Json(t),
            NamedValue::SlurpFile(f) => {
                let r = read_path(ctx, &f)
                    .await
                    .map_err(|e| format!("Could not open {f}: {e}"));
                Named::Slurp(r, f)
            }
            NamedValue::RawFile(f) => match read_path(ctx, &f).await {
                Ok(bytes) => Named::Raw(bytes),
                Err(e) => Named::Slurp(Err(format!("Could not open {f}: {e}")), f),
            },
        };
        job.named.push((name, v));
    }
}

/// Runs the job on a blocking thread and forwards its output.
async fn execute(ctx: &mut CommandContext, job: Job) -> CommandResult {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    let handle = tokio::task::spawn_blocking(move || run::run(job, tx));
    while let Some(chunk) = rx.recv().await {
        match chunk {
            Chunk::Out(data) => ctx.stdout.write_all(&data).await?,
            Chunk::Err(data) => ctx.stderr.write_all(&data).await?,
        }
    }
    match handle.await {
        Ok(status) => Ok(status),
        Err(e) => {
            ctx.stderr.write_str(&format!("jq: error: {e}\n")).await?;
            Ok(5)
        }
    }
}
