//! Pieces shared by the textutils commands: opening operands, reading whole inputs for the
//! commands that need everything, and the `--help`/`--version` refusal.

use std::io;

use mirage_core::{CommandContext, FsError, Reader};
use tokio::io::AsyncReadExt;

pub use crate::commands::common::{
    HELP, VERSION, open_operand, parse_opts, read_line, unsupported, usage_error,
};
use crate::commands::getopt::Parsed;

/// Refuses `--help`/`--version` if present; returns the status when refused.
pub async fn refuse_help(ctx: &mut CommandContext, parsed: &Parsed) -> io::Result<Option<i32>> {
    for key in ["help", "version"] {
        if parsed.has(key) {
            return unsupported(ctx, &format!("--{key}")).await.map(Some);
        }
    }
    Ok(None)
}

/// The operands, or `-` (stdin) when there are none.
pub fn inputs(operands: &[String]) -> Vec<String> {
    if operands.is_empty() {
        vec!["-".to_string()]
    } else {
        operands.to_vec()
    }
}

/// Opens an operand; an empty name is `No such file or directory` as the kernel answers.
pub async fn open_input(ctx: &mut CommandContext, operand: &str) -> Result<Reader, FsError> {
    if operand.is_empty() {
        return Err(FsError::not_found());
    }
    open_operand(ctx, operand).await
}

/// Reads an operand completely (for commands that inherently need the whole input).
pub async fn read_all(ctx: &mut CommandContext, operand: &str) -> Result<Vec<u8>, FsError> {
    let mut reader = open_input(ctx, operand).await?;
    let mut data = Vec::new();
    reader.read_to_end(&mut data).await.map_err(FsError::from)?;
    Ok(data)
}
