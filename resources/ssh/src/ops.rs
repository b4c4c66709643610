//! The single-request operations: stat, mkdir, remove, rename, set_modified, set_mode. Each maps the
//! server's status and, where SFTP v3 is too coarse, asks a follow-up `stat` (see
//! [`crate::probe`]) so the error matches what the same operation gives on a local disk.

use std::time::{SystemTime, UNIX_EPOCH};

use mirage_core::{ErrorKind, FileStat, FsError, FsResult, VPath};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::{FileAttributes, Packet, StatusCode};

use crate::client::Conn;
use crate::error::status_code;
use crate::meta::stat_of;
use crate::probe::{Kind, kind_of, why_missing};

const POSIX_RENAME: &str = "posix-rename@openssh.com";

/// `stat`, following symlinks: a remote link looks like what it points to.
pub(crate) async fn stat(conn: &Conn, path: &VPath) -> FsResult<FileStat> {
    match conn.sftp.stat(conn.remote(path)).await {
        Ok(a) => Ok(stat_of(&a.attrs)),
        Err(e) => Err(missing_or(conn, path, e).await),
    }
}

pub(crate) async fn mkdir(conn: &Conn, path: &VPath) -> FsResult<()> {
    if path.is_root() {
        return Err(FsError::exists());
    }
    match conn
        .sftp
        .mkdir(conn.remote(path), FileAttributes::default())
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if status_code(&e) == Some(StatusCode::Failure) => {
            // EEXIST is the usual cause; anything else keeps the server's message.
            match kind_of(conn, path).await? {
                Some(_) => Err(FsError::exists()),
                None => Err(conn.fail(e)),
            }
        }
        Err(e) => Err(missing_or(conn, path, e).await),
    }
}

pub(crate) async fn remove_file(conn: &Conn, path: &VPath) -> FsResult<()> {
    if path.is_root() {
        return Err(FsError::is_dir());
    }
    match conn.sftp.remove(conn.remote(path)).await {
        Ok(_) => Ok(()),
        Err(e) if status_code(&e) == Some(StatusCode::Failure) => {
            match kind_of(conn, path).await? {
                Some(Kind::Dir) => Err(FsError::is_dir()),
                _ => Err(conn.fail(e)),
            }
        }
        Err(e) => Err(missing_or(conn, path, e).await),
    }
}

pub(crate) async fn remove_dir(conn: &Conn, path: &VPath) -> FsResult<()> {
    if path.is_root() {
        return Err(FsError::new(ErrorKind::Busy));
    }
    match conn.sftp.rmdir(conn.remote(path)).await {
        Ok(_) => Ok(()),
        Err(e) => match status_code(&e) {
            // ENOTEMPTY is the usual cause of a failed rmdir of an existing directory.
            Some(StatusCode::Failure) => match kind_of(conn, path).await? {
                Some(Kind::Dir) => Err(FsError::not_empty()),
                Some(Kind::File) => Err(FsError::not_dir()),
                None => Err(conn.fail(e)),
            },
            // OpenSSH reports ENOTDIR (rmdir of a file) as "no such file".
            Some(StatusCode::NoSuchFile) => match kind_of(conn, path).await? {
                Some(Kind::File) => Err(FsError::not_dir()),
                _ => Err(why_missing(conn, path).await),
            },
            _ => Err(conn.fail(e)),
        },
    }
}

/// Renames within the mount, replacing a file (or an empty directory) at `to`.
pub(crate) async fn rename(conn: &Conn, from: &VPath, to: &VPath) -> FsResult<()> {
    if from.is_root() || to.is_root() {
        return Err(FsError::new(ErrorKind::Busy));
    }
    if from == to {
        return match kind_of(conn, from).await? {
            Some(_) => Ok(()),
            None => Err(why_missing(conn, from).await),
        };
    }
    if to.starts_with(from) {
        return Err(FsError::new(ErrorKind::InvalidArgument));
    }
    let (src, dst) = (conn.remote(from), conn.remote(to));
    let result = if conn.posix_rename {
        posix_rename(conn, &src, &dst).await
    } else {
        clear_destination(conn, from, to).await?;
        conn.sftp.rename(src, dst).await.map(|_| ())
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) => Err(explain_rename(conn, from, to, e).await),
    }
}

/// Moves the finished temporary file `from` over `to` (remote paths), atomically when the
/// server can.
pub(crate) async fn replace(conn: &Conn, from: &str, to: &str) -> FsResult<()> {
    if conn.posix_rename {
        return posix_rename(conn, from, to).await.map_err(|e| conn.fail(e));
    }
    match conn.sftp.rename(from, to).await {
        Ok(_) => Ok(()),
        Err(e) if status_code(&e) == Some(StatusCode::Failure) => {
            // A plain SFTP rename refuses to replace; remove the old file first.
            conn.sftp.remove(to).await.map_err(|e| conn.fail(e))?;
            conn.sftp
                .rename(from, to)
                .await
                .map(|_| ())
                .map_err(|e| conn.fail(e))
        }
        Err(e) => Err(conn.fail(e)),
    }
}

pub(crate) async fn set_modified(conn: &Conn, path: &VPath, time: SystemTime) -> FsResult<()> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u32::try_from(d.as_secs()).ok())
        .ok_or_else(|| {
            FsError::with_detail(ErrorKind::InvalidInput, "SFTP times run from 1970 to 2106")
        })?;
    let remote = conn.remote(path);
    // SFTP v3 sets both times at once; keep the access time as it is.
    let atime = match conn.sftp.stat(remote.as_str()).await {
        Ok(a) => a.attrs.atime,
        Err(e) => return Err(missing_or(conn, path, e).await),
    };
    let attrs = FileAttributes {
        atime: Some(atime.unwrap_or(secs)),
        mtime: Some(secs),
        ..Default::default()
    };
    match conn.sftp.setstat(remote, attrs).await {
        Ok(_) => Ok(()),
        Err(e) => Err(missing_or(conn, path, e).await),
    }
}

/// `chmod`: the permission bits (with setuid, setgid and sticky) through `SETSTAT`.
pub(crate) async fn set_mode(conn: &Conn, path: &VPath, mode: u32) -> FsResult<()> {
    let attrs = FileAttributes {
        permissions: Some(mode & 0o7777),
        ..Default::default()
    };
    match conn.sftp.setstat(conn.remote(path), attrs).await {
        Ok(_) => Ok(()),
        Err(e) => Err(missing_or(conn, path, e).await),
    }
}

/// `rename(2)` semantics through the OpenSSH extension.
async fn posix_rename(conn: &Conn, from: &str, to: &str) -> Result<(), SftpError> {
    let mut data = Vec::with_capacity(8 + from.len() + to.len());
    for s in [from, to] {
        data.extend_from_slice(&(s.len() as u32).to_be_bytes());
        data.extend_from_slice(s.as_bytes());
    }
    match conn.sftp.extended(POSIX_RENAME, data).await? {
        Packet::Status(s) if s.status_code == StatusCode::Ok => Ok(()),
        Packet::Status(s) => Err(SftpError::Status(s)),
        _ => Err(SftpError::UnexpectedPacket),
    }
}

/// Without posix-rename, SFTP's rename refuses an existing destination: clear it first where
/// `rename(2)` would have replaced it, and refuse where it would have refused.
async fn clear_destination(conn: &Conn, from: &VPath, to: &VPath) -> FsResult<()> {
    let Some(src) = kind_of(conn, from).await? else {
        return Err(why_missing(conn, from).await);
    };
    match (src, kind_of(conn, to).await?) {
        (_, None) => Ok(()),
        (Kind::File, Some(Kind::Dir)) => Err(FsError::is_dir()),
        (Kind::Dir, Some(Kind::File)) => Err(FsError::not_dir()),
        (Kind::File, Some(Kind::File)) => remove_file(conn, to).await,
        (Kind::Dir, Some(Kind::Dir)) => remove_dir(conn, to).await,
    }
}

/// Turns a failed rename into the errno `rename(2)` would have given.
async fn explain_rename(conn: &Conn, from: &VPath, to: &VPath, e: SftpError) -> FsError {
    let code = match status_code(&e) {
        Some(StatusCode::PermissionDenied) | None => return conn.fail(e),
        Some(code) => code,
    };
    let src = match kind_of(conn, from).await {
        Ok(Some(k)) => k,
        Ok(None) => return why_missing(conn, from).await,
        Err(err) => return err,
    };
    match (src, kind_of(conn, to).await) {
        (_, Err(err)) => err,
        (Kind::File, Ok(Some(Kind::Dir))) => FsError::is_dir(),
        (Kind::Dir, Ok(Some(Kind::File))) => FsError::not_dir(),
        (Kind::Dir, Ok(Some(Kind::Dir))) if code == StatusCode::Failure => FsError::not_empty(),
        (_, Ok(None)) if code == StatusCode::NoSuchFile => why_missing(conn, to).await,
        // EINVAL: a directory moved below itself (through a symlink the lexical check missed).
        _ if code == StatusCode::BadMessage => FsError::new(ErrorKind::InvalidArgument),
        _ => conn.fail(e),
    }
}

/// A failed request on `path`: "no such file" is explained, anything else mapped.
async fn missing_or(conn: &Conn, path: &VPath, e: SftpError) -> FsError {
    if status_code(&e) == Some(StatusCode::NoSuchFile) {
        why_missing(conn, path).await
    } else {
        conn.fail(e)
    }
}
