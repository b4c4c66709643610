//! Streaming reads, honouring byte ranges by seeking instead of skipping bytes.
//!
//! Regular files are read with plain blocking `read` calls inside the stream's `poll_next`: a
//! chunk from the page cache takes microseconds, far less than a hop to a blocking thread. Fifos
//! and devices can block for ever (a fifo whose writer is another stage of the same pipeline),
//! so they go through `tokio::fs`, which never holds the runtime.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;
use mirage_core::{ByteRange, ByteStream, FsError, FsResult, reader_stream};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Size of the chunks handed to consumers: big enough to keep syscalls rare, small enough that
/// `head -1` on a huge file reads almost nothing.
pub(crate) const CHUNK: usize = 256 * 1024;

/// Opens `host` and streams it (or the part `range` names) in [`CHUNK`]-sized pieces.
pub(crate) async fn read_file(host: &Path, range: Option<ByteRange>) -> FsResult<ByteStream> {
    // Looked at before opening: opening a fifo blocks until a writer appears, and opening a
    // directory succeeds on Linux while the error belongs here, not at the first read.
    let meta = std::fs::metadata(host)?;
    if meta.is_dir() {
        return Err(FsError::is_dir());
    }
    if !meta.is_file() {
        return read_special(tokio::fs::File::open(host).await?, range).await;
    }
    let file = File::open(host)?;
    chunks(file, range, meta.len())
}

/// Streams a file opened by the fast path when it is a regular file; `Ok(None)` for anything
/// else (a directory or a fifo), which the portable path then handles with its own checks.
pub(crate) fn read_opened(file: File, range: Option<ByteRange>) -> FsResult<Option<ByteStream>> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    Ok(Some(chunks(file, range, meta.len())?))
}

/// `size` is the file's length when opened: the first chunk's buffer is sized to it, so a
/// small file costs a small allocation instead of a whole chunk's.
fn chunks(mut file: File, range: Option<ByteRange>, size: u64) -> FsResult<ByteStream> {
    let (start, end) = match range {
        Some(r) => (r.start, r.end),
        None => (0, None),
    };
    if start > 0 {
        file.seek(SeekFrom::Start(start))?;
    }
    Ok(Box::pin(FileChunks {
        file,
        remaining: end.map(|e| e.saturating_sub(start)),
        // One byte more than expected, so a file read whole meets its end without a regrow.
        expected: size.saturating_sub(start).saturating_add(1),
        done: false,
    }))
}

/// A regular file read chunk by chunk on the polling task.
struct FileChunks {
    file: File,
    /// Bytes left in the requested range; `None` reads to the end of the file.
    remaining: Option<u64>,
    /// Bytes still expected from the length at open time: caps the next buffer's capacity.
    expected: u64,
    done: bool,
}

impl Stream for FileChunks {
    type Item = FsResult<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let want = match self.remaining {
            Some(0) => {
                self.done = true;
                return Poll::Ready(None);
            }
            Some(n) => n.min(CHUNK as u64) as usize,
            None => CHUNK,
        };
        // `read_to_end` through `take` fills the spare capacity without zeroing it first and
        // retries short reads, so a chunk is full unless the file ended.
        let mut buf = Vec::with_capacity(want.min(self.expected.max(1) as usize));
        match (&mut self.file).take(want as u64).read_to_end(&mut buf) {
            Ok(0) => {
                self.done = true;
                Poll::Ready(None)
            }
            Ok(n) => {
                if n < want {
                    self.done = true;
                }
                if let Some(r) = self.remaining.as_mut() {
                    *r -= n as u64;
                }
                self.expected = self.expected.saturating_sub(n as u64).max(1);
                Poll::Ready(Some(Ok(Bytes::from(buf))))
            }
            Err(e) => {
                self.done = true;
                Poll::Ready(Some(Err(e.into())))
            }
        }
    }
}

/// Fifos and devices: asynchronous reads, so a reader waiting for data never stalls the shell.
async fn read_special(mut file: tokio::fs::File, range: Option<ByteRange>) -> FsResult<ByteStream> {
    let Some(range) = range else {
        return Ok(reader_stream(file, CHUNK));
    };
    if range.start > 0 {
        file.seek(SeekFrom::Start(range.start)).await?;
    }
    match range.end {
        None => Ok(reader_stream(file, CHUNK)),
        Some(end) => Ok(reader_stream(
            file.take(end.saturating_sub(range.start)),
            CHUNK,
        )),
    }
}
