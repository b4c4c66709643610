//! `wc -l`, `head -n N` and `tail -n N` on a collection's documents.jsonl, answered by the
//! server (countDocuments, `limit`, `skip`) instead of by reading every document.
//!
//! They are registered for resource kind `mongodb` only (a [`CommandPack`], linked with the
//! crate) and handle exactly one simple form each, with one operand naming a documents.jsonl:
//! `wc -l F` / `wc --lines F`; `head -n N F`, `head -nN F`, `head --lines=N F`; the same for
//! `tail`; N plain decimal digits. Everything else (other options, several files, stdin,
//! `tail -n +N`, names that would need quoting) is handed to the command registered without
//! the resource scope, i.e. the built-in, which streams documents.jsonl like any file.
//!
//! The mount table holds the resource wrapped in the workspace's layers (call counting, error
//! naming, cache), so these commands cannot reach a `MongoResource` method; they read the
//! collection's query files (`.count`, `.head-N`, `.tail-N`, see the crate docs) through
//! `ctx.fs` like any other file, which keeps caching and error naming in force.

use std::sync::Arc;

use futures::StreamExt;
use mirage_core::{
    Command, CommandContext, CommandPack, CommandRegistry, CommandResult, CommandScope, VPath,
    async_trait,
};

use crate::layout::{Node, Query};

/// Registers the overrides for resource kind `mongodb`.
pub fn register_commands(reg: &mut CommandRegistry) {
    let scope = || CommandScope::resource(crate::KIND);
    reg.register_scoped("wc", scope(), Arc::new(CountLines));
    reg.register_scoped("head", scope(), Arc::new(EndLines { tail: false }));
    reg.register_scoped("tail", scope(), Arc::new(EndLines { tail: true }));
}

inventory::submit! {
    CommandPack { resource: crate::KIND, register: register_commands }
}

/// `wc -l` via countDocuments.
pub struct CountLines;

/// `head -n N` via `limit`, `tail -n N` via `skip`.
pub struct EndLines {
    tail: bool,
}

#[async_trait]
impl Command for CountLines {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let operand = match args
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["-l" | "--lines", f] | ["-l" | "--lines", "--", f] if !f.starts_with('-') => {
                f.to_string()
            }
            _ => return delegate(ctx, args).await,
        };
        let Some(query_path) = query_file(ctx, &operand, Query::Count) else {
            return delegate(ctx, args).await;
        };
        let Ok(stream) = ctx.fs.read(&query_path, None).await else {
            // Let the built-in report a missing file or a dead server the way it always does.
            return delegate(ctx, args).await;
        };
        let bytes = match mirage_core::collect_stream(stream).await {
            Ok(b) => b,
            Err(e) => {
                ctx.error(format!("{operand}: {e}")).await?;
                return Ok(1);
            }
        };
        let count = String::from_utf8_lossy(&bytes);
        let count = count.trim_end();
        ctx.stdout
            .write_str(&format!("{count} {operand}\n"))
            .await?;
        Ok(0)
    }
}

#[async_trait]
impl Command for EndLines {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let Some((n, operand)) = lines_and_operand(&args) else {
            return delegate(ctx, args).await;
        };
        let query = if self.tail {
            Query::Tail(n)
        } else {
            Query::Head(n)
        };
        let Some(query_path) = query_file(ctx, &operand, query) else {
            return delegate(ctx, args).await;
        };
        let Ok(mut stream) = ctx.fs.read(&query_path, None).await else {
            return delegate(ctx, args).await;
        };
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(bytes) => ctx.stdout.write_all(&bytes).await?,
                Err(e) => {
                    ctx.stdout.flush().await?;
                    ctx.error(format!("error reading '{operand}': {e}")).await?;
                    return Ok(1);
                }
            }
        }
        Ok(0)
    }
}

/// `-n N F`, `-nN F`, `--lines=N F`, `--lines N F` (with an optional `--` before F).
fn lines_and_operand(args: &[String]) -> Option<(u64, String)> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let (count, rest) = match a.as_slice() {
        ["-n" | "--lines", n, rest @ ..] => (*n, rest),
        [opt, rest @ ..] if opt.starts_with("--lines=") => (&opt["--lines=".len()..], rest),
        [opt, rest @ ..] if opt.starts_with("-n") && opt.len() > 2 => (&opt[2..], rest),
        _ => return None,
    };
    let operand = match rest {
        [f] | ["--", f] if !f.starts_with('-') || rest.len() == 2 => *f,
        _ => return None,
    };
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((count.parse().ok()?, operand.to_string()))
}

/// The query file answering `query` for `operand`, when the operand names a documents.jsonl
/// of a mongodb mount and prints without quoting.
fn query_file(ctx: &CommandContext, operand: &str, query: Query) -> Option<VPath> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-/+,:@%=".contains(c);
    if operand.is_empty() || operand == "-" || !operand.chars().all(plain) {
        return None;
    }
    let path = ctx.path(operand);
    let resolved = ctx.fs.resolve(&path)?;
    if resolved.mount.resource.kind() != crate::KIND {
        return None;
    }
    match Node::parse(&resolved.inner).ok()? {
        Node::Documents(..) => Some(path.parent().child(&query.file_name())),
        _ => None,
    }
}

/// Runs the command registered for this name without the resource scope (the built-in).
async fn delegate(ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
    let ext = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .and_then(|a| ctx.path(a).extension().map(str::to_string));
    match ctx.commands.resolve(&ctx.name, None, ext.as_deref()) {
        Some(cmd) => cmd.run(ctx, args).await,
        None => {
            ctx.error("command not found").await?;
            Ok(127)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Option<(u64, String)> {
        lines_and_operand(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn simple_forms_only() {
        let f = || Some((3, "f".to_string()));
        assert_eq!(parse(&["-n", "3", "f"]), f());
        assert_eq!(parse(&["-n3", "f"]), f());
        assert_eq!(parse(&["--lines=3", "f"]), f());
        assert_eq!(parse(&["--lines", "3", "--", "f"]), f());
        assert_eq!(parse(&["-n", "+3", "f"]), None);
        assert_eq!(parse(&["-n", "-3", "f"]), None);
        assert_eq!(parse(&["-n", "3k", "f"]), None);
        assert_eq!(parse(&["-n", "3", "f", "g"]), None);
        assert_eq!(parse(&["-n", "3"]), None);
        assert_eq!(parse(&["-c", "3", "f"]), None);
        assert_eq!(parse(&["-n", "3", "-q", "f"]), None);
    }
}
