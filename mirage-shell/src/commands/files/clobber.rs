//! What `cp` and `mv` share when they meet the destination: GNU words the same failures the same
//! way in both tools (`cannot stat`, `are the same file`, `cannot overwrite ...`), and `-n`/`-u`
//! decide the same way whether an existing file is left alone.

use std::io;

use mirage_core::{CommandContext, FileStat, FsError};

use super::support::{quote_always, say};

/// `cannot stat 'NAME': ERR`; false, like every per-operand failure.
pub async fn cannot_stat(ctx: &mut CommandContext, name: &str, err: &FsError) -> io::Result<bool> {
    say(ctx, format!("cannot stat {}: {err}", quote_always(name))).await
}

/// `'SRC' and 'DST' are the same file`: source and destination resolve to one path.
pub async fn same_file(ctx: &mut CommandContext, src: &str, dst: &str) -> io::Result<bool> {
    let msg = format!(
        "{} and {} are the same file",
        quote_always(src),
        quote_always(dst)
    );
    say(ctx, msg).await
}

/// A file may not replace an existing directory.
pub async fn dir_over_file(ctx: &mut CommandContext, dst: &str) -> io::Result<bool> {
    let msg = format!(
        "cannot overwrite directory {} with non-directory",
        quote_always(dst)
    );
    say(ctx, msg).await
}

/// A directory may not replace an existing non-directory.
pub async fn file_over_dir(ctx: &mut CommandContext, dst: &str, src: &str) -> io::Result<bool> {
    let msg = format!(
        "cannot overwrite non-directory {} with directory {}",
        quote_always(dst),
        quote_always(src)
    );
    say(ctx, msg).await
}

/// True when `-n` (`no_clobber`) or `-u` (`update`: the existing file is not older than the
/// source) means the existing destination `existing` stays as it is, silently and successfully.
pub fn keep_existing(no_clobber: bool, update: bool, existing: &FileStat, src: &FileStat) -> bool {
    no_clobber || (update && existing.modified.is_some() && existing.modified >= src.modified)
}
