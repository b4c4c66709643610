//! Streaming reads, honouring byte ranges by seeking instead of skipping bytes.

use std::io::SeekFrom;
use std::path::Path;

use mirage_core::{ByteRange, ByteStream, FsError, FsResult, reader_stream};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Size of the chunks handed to consumers: big enough to keep syscalls rare, small enough that
/// `head -1` on a huge file reads almost nothing.
pub(crate) const CHUNK: usize = 256 * 1024;

/// Opens `host` and streams it (or the part `range` names) in [`CHUNK`]-sized pieces.
pub(crate) async fn read_file(host: &Path, range: Option<ByteRange>) -> FsResult<ByteStream> {
    let mut file = tokio::fs::File::open(host).await?;
    // Opening a directory succeeds on Linux; the error belongs here, not at the first read.
    if file.metadata().await?.is_dir() {
        return Err(FsError::is_dir());
    }
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
