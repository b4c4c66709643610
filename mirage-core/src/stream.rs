//! Byte streams: how file content moves between resources and commands.

use std::pin::Pin;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::io::AsyncBufRead;

use crate::error::FsError;

/// File content as a stream of chunks. Every read and write in Mirage goes through this type so
/// that no layer has to hold a whole file.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, FsError>> + Send>>;

/// A buffered reader over a [`ByteStream`]: what commands read files and stdin through.
pub type Reader = Pin<Box<dyn AsyncBufRead + Send>>;

/// Wraps bytes already in memory as a one-chunk stream.
pub fn stream_from_bytes(data: impl Into<Bytes>) -> ByteStream {
    let b: Bytes = data.into();
    if b.is_empty() {
        Box::pin(futures::stream::empty())
    } else {
        Box::pin(futures::stream::once(async move { Ok(b) }))
    }
}

/// The empty stream.
pub fn empty_stream() -> ByteStream {
    Box::pin(futures::stream::empty())
}

/// Turns a byte stream into a buffered async reader.
pub fn stream_reader(stream: ByteStream) -> Reader {
    let io_stream = stream.map(|r| r.map_err(std::io::Error::from));
    Box::pin(tokio_util::io::StreamReader::new(io_stream))
}

/// Turns any async reader into a byte stream of chunks of at most `chunk` bytes.
pub fn reader_stream<R>(reader: R, chunk: usize) -> ByteStream
where
    R: tokio::io::AsyncRead + Send + 'static,
{
    Box::pin(
        tokio_util::io::ReaderStream::with_capacity(reader, chunk)
            .map(|r| r.map_err(FsError::from)),
    )
}

/// Collects a whole stream; only for small content (tests, config) since it buffers everything.
pub async fn collect_stream(mut stream: ByteStream) -> Result<Vec<u8>, FsError> {
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

/// An inclusive-exclusive byte range for partial reads; `end: None` means to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: Option<u64>,
}
