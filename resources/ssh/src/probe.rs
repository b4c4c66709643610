//! Follow-up questions that turn SFTP's coarse status codes into the errno a local filesystem
//! would have given. They run only after a request failed, so the common path pays nothing.

use mirage_core::{ErrorKind, FsError, FsResult, VPath};
use russh_sftp::protocol::StatusCode;

use crate::client::Conn;
use crate::error::status_code;

/// What a path is, as far as a following `stat` can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Dir,
    File,
}

/// `None` when nothing is there (or a component on the way is not a directory).
pub(crate) async fn kind_of(conn: &Conn, path: &VPath) -> FsResult<Option<Kind>> {
    match conn.sftp.stat(conn.remote(path)).await {
        Ok(a) if a.attrs.file_type().is_dir() => Ok(Some(Kind::Dir)),
        Ok(_) => Ok(Some(Kind::File)),
        Err(e) if status_code(&e) == Some(StatusCode::NoSuchFile) => Ok(None),
        Err(e) => Err(conn.fail(e)),
    }
}

/// Why `path` could not be found: `Not a directory` when the walk down to it meets a file
/// (OpenSSH reports `ENOTDIR` as "no such file"), `No such file or directory` otherwise.
/// Costs one `stat` when the parent exists, one more per missing ancestor.
pub(crate) async fn why_missing(conn: &Conn, path: &VPath) -> FsError {
    let mut at = path.clone();
    loop {
        if at.is_root() {
            return FsError::not_found();
        }
        let parent = at.parent();
        if parent.is_root() {
            return FsError::not_found();
        }
        match kind_of(conn, &parent).await {
            Ok(Some(Kind::Dir)) => return FsError::not_found(),
            Ok(Some(Kind::File)) => return FsError::not_dir(),
            Ok(None) => at = parent,
            Err(e) => return e,
        }
    }
}

/// The error for a path that had to be a directory but did not open as one.
pub(crate) async fn not_a_dir_or_missing(conn: &Conn, path: &VPath) -> FsError {
    match kind_of(conn, path).await {
        Ok(Some(Kind::File)) => FsError::not_dir(),
        Ok(Some(Kind::Dir)) => FsError::with_detail(
            ErrorKind::Other,
            format!("{}: directory {path} could not be opened", conn.label),
        ),
        Ok(None) => why_missing(conn, path).await,
        Err(e) => e,
    }
}
