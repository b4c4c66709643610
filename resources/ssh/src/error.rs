//! SFTP failures as [`FsError`]s.
//!
//! SFTP version 3 (what OpenSSH speaks) has only a handful of status codes, and OpenSSH folds
//! errno values into them: `ENOENT` and `ENOTDIR` both become "no such file", while `EEXIST`,
//! `ENOTEMPTY` and `EISDIR` all become the generic "failure". This module maps the codes;
//! the operations then ask the server a follow-up `stat` where the code alone cannot tell
//! `File exists` from `Directory not empty` (see [`crate::probe`]).
//!
//! Anything that is not a status from the server (the channel closed, no answer in time) is a
//! `Network` error naming the server, and marks the connection so the next request reconnects.

use mirage_core::{ErrorKind, FsError};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::StatusCode;

use crate::client::{Session, network};

/// The server's status code, when the failure is a status reply.
pub(crate) fn status_code(e: &SftpError) -> Option<StatusCode> {
    match e {
        SftpError::Status(s) => Some(s.status_code),
        _ => None,
    }
}

/// Maps a status reply (or any other failure, as `Other`) without touching a connection.
pub(crate) fn status_error(label: &str, e: &SftpError) -> FsError {
    let SftpError::Status(s) = e else {
        return FsError::with_detail(ErrorKind::Other, format!("{label}: {e}"));
    };
    match s.status_code {
        StatusCode::NoSuchFile => FsError::not_found(),
        StatusCode::PermissionDenied => FsError::permission_denied(),
        StatusCode::OpUnsupported => FsError::unsupported(),
        // OpenSSH sends EINVAL and ENAMETOOLONG as "bad message".
        StatusCode::BadMessage => FsError::new(ErrorKind::InvalidInput),
        StatusCode::NoConnection | StatusCode::ConnectionLost => network(label, "connection lost"),
        StatusCode::Ok | StatusCode::Eof | StatusCode::Failure => {
            let msg = if s.error_message.is_empty() {
                s.status_code.to_string()
            } else {
                s.error_message.clone()
            };
            FsError::with_detail(ErrorKind::Other, format!("{label}: {msg}"))
        }
    }
}

impl Session {
    /// Maps a failed request, marking the connection when the failure was the connection's.
    pub(crate) fn fail(&self, e: SftpError) -> FsError {
        match e {
            SftpError::Status(_) => status_error(&self.label, &e),
            SftpError::Timeout => {
                self.mark_timed_out();
                network(
                    &self.label,
                    format!("no answer within {} s", self.request_timeout_secs),
                )
            }
            SftpError::IO(m) => {
                self.mark_lost();
                network(&self.label, format!("connection lost: {m}"))
            }
            // russh-sftp's words for a channel that closed under a request.
            SftpError::UnexpectedBehavior(_) => {
                self.mark_lost();
                network(&self.label, "connection lost")
            }
            SftpError::Limited(m) => {
                FsError::with_detail(ErrorKind::Other, format!("{}: {m}", self.label))
            }
            SftpError::UnexpectedPacket => FsError::with_detail(
                ErrorKind::Other,
                format!("{}: unexpected SFTP reply", self.label),
            ),
        }
    }
}
