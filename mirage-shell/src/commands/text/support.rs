//! Small pieces shared by the text commands: GNU's locale quoting for diagnostics, the
//! "unsupported option" refusal, and the `--help`/`--version` long options every coreutils
//! program accepts.

use std::io;

use mirage_core::{CommandContext, FsError, Reader};

use crate::commands::common::open_operand;
use crate::commands::getopt::{HasArg, OptSpec};

pub use crate::commands::common::{HELP, UNSUPPORTED_STATUS, VERSION, unsupported, usage_error};

/// Refuses `--help`/`--version` if present; returns the status when refused.
pub async fn refuse_help(
    ctx: &mut CommandContext,
    parsed: &crate::commands::getopt::Parsed,
) -> io::Result<Option<i32>> {
    for key in ["help", "version"] {
        if parsed.has(key) {
            return unsupported(ctx, &format!("--{key}")).await.map(Some);
        }
    }
    Ok(None)
}

/// A failure while copying data: reading the input (reported per file, and the command goes on)
/// or writing the output (which ends the command; a broken pipe becomes status 141).
#[derive(Debug)]
pub enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

impl CopyError {
    /// The read error as an `FsError` for a `NAME: FILE: strerror` message; write errors are
    /// handed back to be propagated.
    pub fn into_read(self) -> Result<FsError, io::Error> {
        match self {
            CopyError::Read(e) => Ok(FsError::from(e)),
            CopyError::Write(e) => Err(e),
        }
    }
}

/// Opens an operand like `open_operand`, except that an empty name is `No such file or
/// directory` (as the kernel answers) rather than the working directory.
pub async fn open_input(ctx: &mut CommandContext, operand: &str) -> Result<Reader, FsError> {
    if operand.is_empty() {
        return Err(FsError::not_found());
    }
    open_operand(ctx, operand).await
}

/// The name GNU tools show for an operand in headers and messages: `-` is standard input.
pub fn display_name(operand: &str) -> &str {
    if operand == "-" {
        "standard input"
    } else {
        operand
    }
}

/// Walks `args` the way getopt would and returns the first digit option (`-5` in `head -n 3
/// -5`) met before any invalid option, so head and tail can report it where GNU does: they
/// treat digit options specially, and an invalid option later on the line must not win.
pub fn first_digit_option(args: &[String], spec: &OptSpec) -> Option<char> {
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            return None;
        }
        if let Some(long) = arg.strip_prefix("--") {
            if !long.contains('=') {
                let takes_value = spec
                    .long
                    .iter()
                    .any(|l| l.name.starts_with(long) && l.has_arg == HasArg::Required);
                i += usize::from(takes_value);
            }
            continue;
        }
        let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else {
            continue;
        };
        for (pos, c) in cluster.char_indices() {
            if c.is_ascii_digit() {
                return Some(c);
            }
            let at = spec.short.find(c).filter(|_| c != ':')?;
            if spec.short[at + c.len_utf8()..].starts_with(':') {
                i += usize::from(pos + c.len_utf8() == cluster.len());
                break;
            }
        }
    }
    None
}

pub use crate::commands::quoting::lquote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_coreutils() {
        assert_eq!(lquote("a\nb"), "\u{2018}a\\nb\u{2019}");
        assert_eq!(lquote("a\"b\\c"), "\u{2018}a\"b\\\\c\u{2019}");
        assert_eq!(lquote(""), "\u{2018}\u{2019}");
    }
}
