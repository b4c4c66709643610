//! Helpers shared by the built-in commands: opening operands, GNU-style messages.

use std::io;

use mirage_core::{CommandContext, FsError, Reader};
use tokio::io::AsyncBufReadExt;

use super::getopt::{self, OptSpec, Parsed};

/// Takes the command's stdin, leaving an empty reader behind (stdin can be consumed once).
pub fn take_stdin(ctx: &mut CommandContext) -> Reader {
    std::mem::replace(&mut ctx.stdin, Box::pin(tokio::io::empty()))
}

/// Opens an operand for reading: `-` is stdin, anything else a path relative to the cwd.
/// Directories fail with `Is a directory` as GNU tools report them.
pub async fn open_operand(ctx: &mut CommandContext, operand: &str) -> Result<Reader, FsError> {
    if operand == "-" {
        return Ok(take_stdin(ctx));
    }
    let path = ctx.path(operand);
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
        Ok(p) => Ok(p),
        Err(msg) => {
            let name = ctx.name.clone();
            let _ = ctx.error(&msg).await;
            let _ = ctx
                .stderr
                .write_all(format!("Try '{name} --help' for more information.\n").as_bytes())
                .await;
            Err(usage_status)
        }
    }
}

/// Reads one line including its `\n` (if any) into `buf`; returns false at end of input.
pub async fn read_line(reader: &mut Reader, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.clear();
    let n = reader.read_until(b'\n', buf).await?;
    Ok(n > 0)
}
