//! Streaming writes that never leave a half-written file looking complete.
//!
//! A truncating write goes to a temporary file beside the target and is renamed over it only
//! once the whole stream arrived, so readers see either the old content or the new, and a
//! failed stream (a network error halfway through a copy) leaves the old file untouched. An
//! append adds to the file in place; if the stream fails, the file is cut back to its old length.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use mirage_core::{ByteStream, FsError, FsResult};
use tokio::io::AsyncWriteExt;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `data` to `host`, replacing any existing file atomically.
pub(crate) async fn write_truncate(host: &Path, data: ByteStream) -> FsResult<u64> {
    let existing = match tokio::fs::metadata(host).await {
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
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(e);
        }
    };
    if let Err(e) = tokio::fs::rename(&temp, host).await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(e.into());
    }
    Ok(written)
}

/// Appends `data` to `host`, creating it if needed.
pub(crate) async fn write_append(host: &Path, mut data: ByteStream) -> FsResult<u64> {
    let mut file = tokio::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(host)
        .await?;
    let meta = file.metadata().await?;
    if meta.is_dir() {
        return Err(FsError::is_dir());
    }
    let old_len = meta.len();
    let mut written = 0u64;
    let outcome: FsResult<()> = async {
        while let Some(chunk) = data.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        file.flush().await?;
        Ok(())
    }
    .await;
    if let Err(e) = outcome {
        // Undo the partial append so the file is what it was before the failed write.
        let _ = file.set_len(old_len).await;
        return Err(e);
    }
    Ok(written)
}

/// Streams into a new temporary file, keeping the permissions of the file it will replace.
async fn fill_temp(temp: &Path, mut data: ByteStream, mode: Option<u32>) -> FsResult<u64> {
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .await?;
    if let Some(mode) = mode {
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .await?;
    }
    let mut written = 0u64;
    while let Some(chunk) = data.next().await {
        let chunk = chunk?;
        file.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    file.flush().await?;
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
