//! `jq`: jq 1.6 on top of jaq.
//!
//! The command runs the program on a blocking thread (`run`), feeding it the input in chunks
//! as it reads them (`input`; jq reads all files as one stream) and forwarding what it prints
//! as it comes, so input and output both stream. `args` reads jq's command line, `parse` reads
//! JSON like jq's parser (also as `--stream` events), `format` prints like jq, `program`
//! compiles with jaq plus jq 1.6's variants of a few builtins, `syntax`, `formats` and
//! `errors` supply jq's wording.

mod args;
mod builtins;
mod errors;
mod format;
mod formats;
mod input;
mod parse;
mod paths;
mod program;
mod rewrite;
mod run;
mod syntax;
mod transform;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult, FsError};
use tokio::io::AsyncReadExt;

use crate::commands::common::{open_operand, take_stdin};
use args::{NamedValue, Outcome};
use input::{Feed, Inputs};
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
        let (feed_tx, feed_rx) = tokio::sync::mpsc::channel::<Feed>(input::DEPTH);
        let inputs = wants_input.then(|| Inputs {
            files: a.files.clone(),
            stdin: take_stdin(ctx),
            fs: ctx.fs.clone(),
            cwd: ctx.cwd.clone(),
        });
        let mut job = Job {
            args: a,
            program,
            input: wants_input.then_some(feed_rx),
            named: Vec::new(),
            env: (*ctx.env).clone(),
        };
        read_named(ctx, &mut job).await;
        execute(ctx, job, inputs, feed_tx).await
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

/// Runs the job on a blocking thread, feeding it the input while forwarding its output.
async fn execute(
    ctx: &mut CommandContext,
    job: Job,
    inputs: Option<Inputs>,
    feed_tx: tokio::sync::mpsc::Sender<Feed>,
) -> CommandResult {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    let handle = tokio::task::spawn_blocking(move || run::run(job, tx));
    {
        let feeding = async move {
            if let Some(inputs) = inputs {
                input::feed(inputs, feed_tx).await;
            }
        };
        tokio::pin!(feeding);
        let mut fed = false;
        loop {
            tokio::select! {
                () = &mut feeding, if !fed => fed = true,
                chunk = rx.recv() => match chunk {
                    // The worker batches its output; what it sends goes out at once.
                    Some(Chunk::Out(data)) => {
                        ctx.stdout.write_all(&data).await?;
                        ctx.stdout.flush().await?;
                    }
                    Some(Chunk::Err(data)) => ctx.stderr.write_all(&data).await?,
                    None => break,
                },
            }
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
