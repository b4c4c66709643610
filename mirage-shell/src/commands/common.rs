//! Helpers shared by the built-in commands: opening operands, GNU-style messages.

use std::io;

use mirage_core::{CommandContext, FsError, Reader};
use tokio::io::AsyncBufReadExt;

use super::getopt::{self, HasArg, LongOpt, OptSpec, Parsed};

/// Takes the command's stdin, leaving an empty reader behind (stdin can be consumed once).
pub fn take_stdin(ctx: &mut CommandContext) -> Reader {
    std::mem::replace(&mut ctx.stdin, Box::pin(tokio::io::empty()))
}

/// Opens an operand for reading: `-` is stdin, anything else a path relative to the cwd.
/// Directories fail with `Is a directory` as GNU tools report them. `/dev/stdin` is standard
/// input (the `/dev` mount has no per-command devices).
pub async fn open_operand(ctx: &mut CommandContext, operand: &str) -> Result<Reader, FsError> {
    if operand == "-" {
        return Ok(take_stdin(ctx));
    }
    let path = ctx.path(operand);
    if path.as_str() == "/dev/stdin" {
        return Ok(take_stdin(ctx));
    }
    ctx.fs.open(&path).await
}

/// Prints `NAME: OPERAND: strerror` (the GNU shape for per-file failures).
pub async fn report(ctx: &mut CommandContext, operand: &str, err: &FsError) -> io::Result<()> {
    let msg = format!("{operand}: {err}");
    ctx.error(msg).await
}

/// Parses options; on error prints GNU's two lines (message, then the `Try` hint) and returns
/// `Err(status)` for the caller to return.
pub async fn parse_opts(
    ctx: &mut CommandContext,
    spec: &OptSpec,
    args: &[String],
    usage_status: i32,
) -> Result<Parsed, i32> {
    match getopt::parse(spec, args) {
        Ok(p) if p.has(VERSION.key) => match print_version(ctx).await {
            Ok(Some(status)) => Err(status),
            Ok(None) => Ok(p),
            Err(_) => Err(1),
        },
        Ok(p) => Ok(p),
        Err(msg) => Err(usage_error(ctx, &msg, usage_status)
            .await
            .unwrap_or(usage_status)),
    }
}

/// Prints `NAME: MESSAGE` then GNU's `Try 'NAME --help'` hint; returns `status`.
pub async fn usage_error(ctx: &mut CommandContext, message: &str, status: i32) -> io::Result<i32> {
    ctx.error(message).await?;
    let hint = format!("Try '{} --help' for more information.\n", ctx.name);
    ctx.stderr.write_all(hint.as_bytes()).await?;
    Ok(status)
}

/// Reads one line including its `\n` (if any) into `buf`; returns false at end of input.
pub async fn read_line(reader: &mut Reader, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.clear();
    let n = reader.read_until(b'\n', buf).await?;
    Ok(n > 0)
}

/// `--help` and `--version`: GNU accepts them everywhere (and abbreviations such as `--he`).
/// The interpreter answers `--help` before a command runs; `--version` is answered from the
/// recorded table (`print_version`) by `parse_opts` and by `unsupported`, so commands that
/// refuse it print the real tool's text instead.
pub const HELP: LongOpt = LongOpt {
    name: "help",
    has_arg: HasArg::No,
    key: "help",
};
pub const VERSION: LongOpt = LongOpt {
    name: "version",
    has_arg: HasArg::No,
    key: "version",
};

/// Status for an option GNU knows but Mirage does not implement.
pub const UNSUPPORTED_STATUS: i32 = 2;

/// Prints `mirage: NAME: unsupported option: OPT` and returns the status to exit with: what
/// we do not support fails loudly instead of being ignored.
pub async fn unsupported(ctx: &mut CommandContext, opt: &str) -> io::Result<i32> {
    if crate::commands::system::versions::is_version_option(&ctx.name, opt)
        && let Some(status) = print_version(ctx).await?
    {
        return Ok(status);
    }
    let line = format!("mirage: {}: unsupported option: {opt}\n", ctx.name);
    ctx.stderr.write_all(line.as_bytes()).await?;
    Ok(UNSUPPORTED_STATUS)
}

/// Prints what the real tool prints for `--version` (recorded in `system::versions`) and
/// returns the status to exit with; `None` when no text is recorded for this command.
pub async fn print_version(ctx: &mut CommandContext) -> io::Result<Option<i32>> {
    let Some(v) = crate::commands::system::versions::lookup(&ctx.name) else {
        return Ok(None);
    };
    ctx.stdout.write_str(v.stdout).await?;
    ctx.stdout.flush().await?;
    ctx.stderr.write_str(v.stderr).await?;
    Ok(Some(v.status))
}

/// GNU's `-h`: powers of 1024 rounded up, one decimal below 10.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 8] = ["K", "M", "G", "T", "P", "E", "Z", "Y"];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let n = bytes as u128;
    let mut div: u128 = 1024;
    for (i, unit) in UNITS.iter().enumerate() {
        let tenths = (n * 10).div_ceil(div);
        if tenths < 100 {
            return format!("{}.{}{unit}", tenths / 10, tenths % 10);
        }
        let whole = n.div_ceil(div);
        if whole < 1024 || i + 1 == UNITS.len() {
            return format!("{whole}{unit}");
        }
        div *= 1024;
    }
    bytes.to_string()
}
