//! Streaming writes that never leave a half-written file looking complete.
//!
//! A truncating write streams into a hidden temporary file beside the target
//! (`.NAME.mirage-tmp-PID-N`) and renames it over the target only after the last byte was
//! acknowledged, so a stream that fails midway (the source broke, the server went away) leaves
//! the old content, or no file at all. If the server vanished, the temporary file may remain
//! on it, hidden, but the target never looks complete.
//!
//! An append writes in place (there is nothing to rename over); when the stream fails the file
//! is cut back to its old length (or removed, if the append created it) when the server can
//! still be reached, and the failure is reported either way.
//!
//! Data goes out in small requests (see [`Conn::write_chunk`]) with several in flight.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use futures::stream::FuturesOrdered;
use mirage_core::{ByteStream, FsError, FsResult, VPath};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::{FileAttributes, OpenFlags, Status, StatusCode};

use crate::client::{Client, Conn, OpenHandle};
use crate::error::status_code;
use crate::ops::replace;
use crate::probe::why_missing;

/// Write requests kept in flight.
const DEPTH: usize = 8;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

type Pending = Pin<Box<dyn Future<Output = Result<Status, SftpError>> + Send>>;

/// The target as the write found it.
struct Target {
    /// Unix permission bits, kept for the replacement.
    mode: Option<u32>,
    size: Option<u64>,
}

/// Looks at the target: a directory cannot be written, a missing file is fine.
async fn inspect(conn: &Conn, remote: &str) -> FsResult<Option<Target>> {
    match conn.sftp.stat(remote).await {
        Ok(a) if a.attrs.file_type().is_dir() => Err(FsError::is_dir()),
        Ok(a) => Ok(Some(Target {
            mode: a.attrs.permissions.map(|p| p & 0o7777),
            size: a.attrs.size,
        })),
        Err(e) if status_code(&e) == Some(StatusCode::NoSuchFile) => Ok(None),
        Err(e) => Err(conn.fail(e)),
    }
}

/// Opens `remote` with `flags`, explaining a missing parent the way a local filesystem would.
async fn open_for_write(
    conn: &Conn,
    path: &VPath,
    remote: &str,
    flags: OpenFlags,
    attrs: FileAttributes,
) -> FsResult<OpenHandle> {
    match conn.sftp.open(remote, flags, attrs).await {
        Ok(h) => Ok(OpenHandle::new(conn.clone(), h.handle)),
        Err(e) if status_code(&e) == Some(StatusCode::NoSuchFile) => {
            Err(why_missing(conn, path).await)
        }
        Err(e) => Err(conn.fail(e)),
    }
}

/// Replaces (or creates) `path` with the stream's bytes.
pub(crate) async fn write_truncate(
    client: &Client,
    path: &VPath,
    data: ByteStream,
) -> FsResult<u64> {
    let (conn, handle, temp, target) = client
        .run(|conn| async move {
            let target = conn.remote(path);
            let existing = inspect(&conn, &target).await?;
            let temp = temp_name(&target)?;
            let attrs = FileAttributes {
                permissions: existing.and_then(|t| t.mode),
                ..Default::default()
            };
            let flags = OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::EXCLUDE;
            let handle = open_for_write(&conn, path, &temp, flags, attrs).await?;
            Ok((conn, handle, temp, target))
        })
        .await?;
    let written = match pump(&conn, &handle, 0, data).await {
        Ok(n) => n,
        Err(e) => {
            drop(handle);
            let _ = conn.sftp.remove(temp).await;
            return Err(e);
        }
    };
    if let Err(e) = handle.close().await {
        let _ = conn.sftp.remove(temp).await;
        return Err(e);
    }
    if let Err(e) = replace(&conn, &temp, &target).await {
        let _ = conn.sftp.remove(temp).await;
        return Err(e);
    }
    Ok(written)
}

/// Adds the stream's bytes to the end of `path`, creating it if needed.
pub(crate) async fn write_append(client: &Client, path: &VPath, data: ByteStream) -> FsResult<u64> {
    let (conn, handle, remote, before) = client
        .run(|conn| async move {
            let remote = conn.remote(path);
            let before = inspect(&conn, &remote).await?;
            let flags = OpenFlags::WRITE | OpenFlags::APPEND | OpenFlags::CREATE;
            let handle =
                open_for_write(&conn, path, &remote, flags, FileAttributes::default()).await?;
            Ok((conn, handle, remote, before))
        })
        .await?;
    let start = before.as_ref().and_then(|t| t.size).unwrap_or(0);
    let result = pump(&conn, &handle, start, data).await;
    let written = match result {
        Ok(n) => n,
        Err(e) => {
            // Undo what part of the append landed, if the server is still there to ask.
            match before {
                Some(_) => {
                    let attrs = FileAttributes {
                        size: Some(start),
                        ..Default::default()
                    };
                    let _ = conn.sftp.fsetstat(handle.id(), attrs).await;
                    drop(handle);
                }
                None => {
                    drop(handle);
                    let _ = conn.sftp.remove(remote).await;
                }
            }
            return Err(e);
        }
    };
    handle.close().await?;
    Ok(written)
}

/// Sends the stream to `handle` from `offset` on, in `write_chunk` pieces with up to `DEPTH`
/// unacknowledged. Returns the bytes written once all are acknowledged.
async fn pump(
    conn: &Conn,
    handle: &OpenHandle,
    offset: u64,
    mut data: ByteStream,
) -> FsResult<u64> {
    let mut inflight: FuturesOrdered<Pending> = FuturesOrdered::new();
    let mut offset = offset;
    let mut written = 0u64;
    while let Some(chunk) = data.next().await {
        let chunk = chunk?;
        let mut at = 0;
        while at < chunk.len() {
            let piece = chunk.slice(at..chunk.len().min(at + conn.write_chunk));
            at += piece.len();
            while inflight.len() >= DEPTH {
                if let Some(r) = inflight.next().await {
                    r.map_err(|e| conn.fail(e))?;
                }
            }
            let c = conn.clone();
            let id = handle.id().to_string();
            let len = piece.len() as u64;
            let write_at = offset;
            inflight.push_back(Box::pin(async move {
                c.sftp.write(id, write_at, piece.to_vec()).await
            }));
            offset += len;
            written += len;
        }
    }
    while let Some(r) = inflight.next().await {
        r.map_err(|e| conn.fail(e))?;
    }
    Ok(written)
}

/// A hidden name beside `target` that no other writer picks: tagged with the pid and a counter.
fn temp_name(target: &str) -> FsResult<String> {
    let (dir, name) = target.rsplit_once('/').ok_or_else(FsError::is_dir)?;
    if name.is_empty() {
        return Err(FsError::is_dir());
    }
    // Keep the temporary name within NAME_MAX however long the target's name is.
    let mut keep = name.len().min(128);
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(format!(
        "{dir}/.{}.mirage-tmp-{}-{n}",
        &name[..keep],
        std::process::id()
    ))
}
