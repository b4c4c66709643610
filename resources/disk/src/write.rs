//! Streaming writes that never leave a half-written file looking complete.
//!
//! A truncating write goes to a temporary file beside the target and is renamed over it only
//! once the whole stream arrived, so readers see either the old content or the new, and a
//! failed stream (a network error halfway through a copy) leaves the old file untouched. An
//! append adds to the file in place; if the stream fails, the file is cut back to its old length.
//!
//! Chunks are written with blocking `write` calls between awaits on the incoming stream, for the
//! reason the crate docs give (a local write costs less than a thread hand-off).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use mirage_core::{ByteStream, FsError, FsResult};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `data` to `host`, replacing any existing file atomically.
pub(crate) async fn write_truncate(host: &Path, data: ByteStream) -> FsResult<u64> {
    let existing = match std::fs::metadata(host) {
        Ok(m) if m.is_dir() => return Err(FsError::is_dir()),
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    let temp = temp_path(host)?;
    let result = fill_temp(
        &temp,
        data,
        existing.as_ref().map(|m| m.permissions().mode()),
    )
    .await;
    let written = match result {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    if let Err(e) = std::fs::rename(&temp, host) {
        let _ = std::fs::remove_file(&temp);
        return Err(e.into());
    }
    Ok(written)
}

/// Appends `data` to `host`, creating it if needed.
pub(crate) async fn write_append(host: &Path, data: ByteStream) -> FsResult<u64> {
    let mut file = OpenOptions::new().append(true).create(true).open(host)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(FsError::is_dir());
    }
    let old_len = meta.len();
    match pour(&mut file, data).await {
        Ok(written) => Ok(written),
        Err(e) => {
            // Undo the partial append so the file is what it was before the failed write.
            let _ = file.set_len(old_len);
            Err(e)
        }
    }
}

/// Streams into a new temporary file, keeping the permissions of the file it will replace.
async fn fill_temp(temp: &Path, data: ByteStream, mode: Option<u32>) -> FsResult<u64> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    if let Some(mode) = mode {
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    pour(&mut file, data).await
}

/// Writes every chunk of `data` to `file`, returning the byte count.
async fn pour(file: &mut File, mut data: ByteStream) -> FsResult<u64> {
    let mut written = 0u64;
    while let Some(chunk) = data.next().await {
        let chunk = chunk?;
        file.write_all(&chunk)?;
        written += chunk.len() as u64;
    }
    Ok(written)
}

/// A name beside `host` that no other writer in this process (or another process) will pick:
/// hidden, tagged with the pid and a counter.
fn temp_path(host: &Path) -> FsResult<PathBuf> {
    let name = host.file_name().ok_or_else(FsError::is_dir)?;
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".mirage-tmp-{}-{n}", std::process::id()));
    Ok(host.with_file_name(temp_name))
}
