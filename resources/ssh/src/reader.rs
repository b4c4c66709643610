//! Streaming reads. The file is opened once and read with a few requests in flight (SFTP
//! answers each by id, so pipelining hides the round trip), one chunk handed on per reply.
//! A range starts the first request at its offset, so `tail -c` reads only the tail. Dropping
//! the stream (`head -1`) drops the requests in flight and closes the handle.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use mirage_core::{ByteRange, ByteStream, FsError, FsResult, VPath, empty_stream};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::{Data, OpenFlags, StatusCode};

use crate::client::{Conn, OpenHandle};
use crate::error::status_code;
use crate::probe::why_missing;

/// Read requests kept in flight.
const DEPTH: usize = 4;

type Pending = Pin<Box<dyn Future<Output = Result<Data, SftpError>> + Send>>;

/// Opens `path` for reading; the stream is returned once the file is known to exist and be a
/// file, so errors reach the caller before any byte does.
pub(crate) async fn open(
    conn: Conn,
    path: &VPath,
    range: Option<ByteRange>,
) -> FsResult<ByteStream> {
    let remote = conn.remote(path);
    let size = match conn.sftp.stat(remote.as_str()).await {
        Ok(a) if a.attrs.file_type().is_dir() => return Err(FsError::is_dir()),
        Ok(a) => a.attrs.size,
        Err(e) if status_code(&e) == Some(StatusCode::NoSuchFile) => {
            return Err(why_missing(&conn, path).await);
        }
        Err(e) => return Err(conn.fail(e)),
    };
    let start = range.map_or(0, |r| r.start);
    let end = range.and_then(|r| r.end);
    if end.is_some_and(|e| e <= start) {
        return Ok(empty_stream());
    }
    let handle = match conn
        .sftp
        .open(remote, OpenFlags::READ, Default::default())
        .await
    {
        Ok(h) => OpenHandle::new(conn.clone(), h.handle),
        Err(e) if status_code(&e) == Some(StatusCode::NoSuchFile) => {
            return Err(why_missing(&conn, path).await);
        }
        Err(e) => return Err(conn.fail(e)),
    };
    let state = Reader {
        conn,
        handle: Some(handle),
        next: start,
        end,
        size,
        pending: VecDeque::new(),
    };
    Ok(Box::pin(futures::stream::unfold(state, Reader::step)))
}

struct Reader {
    conn: Conn,
    /// `None` once the end is reached or an error was reported.
    handle: Option<OpenHandle>,
    /// Offset of the next request to send.
    next: u64,
    /// Where the caller's range ends.
    end: Option<u64>,
    /// The size `stat` saw when the file was opened: a short read reaching it is the end.
    size: Option<u64>,
    /// Requests in flight, in offset order: (offset, length asked, reply).
    pending: VecDeque<(u64, u32, Pending)>,
}

impl Reader {
    /// Sends requests until `DEPTH` are in flight or the range is covered.
    fn fill(&mut self) {
        let Some(handle) = self.handle.as_ref() else {
            return;
        };
        while self.pending.len() < DEPTH {
            let want = match self.end {
                Some(end) if self.next >= end => return,
                Some(end) => (end - self.next).min(u64::from(self.conn.read_chunk)) as u32,
                None => self.conn.read_chunk,
            };
            let conn = self.conn.clone();
            let id = handle.id().to_string();
            let offset = self.next;
            self.pending.push_back((
                offset,
                want,
                Box::pin(async move { conn.sftp.read(id, offset, want).await }),
            ));
            self.next += u64::from(want);
        }
    }

    /// Stops reading; the handle is closed in the background.
    fn finish(&mut self) {
        self.pending.clear();
        self.handle = None;
    }

    async fn step(mut self) -> Option<(FsResult<Bytes>, Self)> {
        self.fill();
        let (offset, asked, reply) = self.pending.pop_front()?;
        match reply.await {
            Ok(data) if data.data.is_empty() => {
                self.finish();
                None
            }
            Ok(data) => {
                let got = data.data.len() as u64;
                let reached = offset + got;
                if got < u64::from(asked) {
                    // A short reply: at the end of the file, or a server that answers in
                    // smaller pieces. The requests behind it assumed a full reply, so resend
                    // from where this one stopped (unless that is the end).
                    self.pending.clear();
                    self.next = reached;
                    if self.size.is_some_and(|s| reached >= s) {
                        self.finish();
                    }
                }
                Some((Ok(Bytes::from(data.data)), self))
            }
            Err(e) if status_code(&e) == Some(StatusCode::Eof) => {
                self.finish();
                None
            }
            Err(e) => {
                let err = self.conn.fail(e);
                self.finish();
                Some((Err(err), self))
            }
        }
    }
}
