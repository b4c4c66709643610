//! Writing a file through the mount table while data is still arriving: the bytes go through a
//! bounded channel into a `ByteStream` that a spawned `fs.write` consumes, so `tee` and
//! `uniq IN OUT` never hold the whole output and the backend sees data as it comes.

use std::sync::Arc;

use mirage_core::{ByteStream, Bytes, ErrorKind, FsError, MountTable, VPath, WriteMode};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Chunks allowed in flight before the writer waits for the backend (backpressure).
const IN_FLIGHT: usize = 16;

/// An open output file.
pub struct FileSink {
    tx: Option<mpsc::Sender<Result<Bytes, FsError>>>,
    task: JoinHandle<Result<u64, FsError>>,
}

impl FileSink {
    /// Starts writing `path` with `mode`. Errors (missing parent, read-only mount...) surface on
    /// `write` or `finish`, whichever comes first.
    pub fn open(fs: Arc<MountTable>, path: VPath, mode: WriteMode) -> Self {
        let (tx, rx) = mpsc::channel(IN_FLIGHT);
        let stream: ByteStream = Box::pin(futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        }));
        let task = tokio::spawn(async move { fs.write(&path, stream, mode).await });
        FileSink { tx: Some(tx), task }
    }

    /// Sends `data`; false when the writer already stopped (call `finish` for its error).
    pub async fn write(&mut self, data: &[u8]) -> bool {
        match &self.tx {
            Some(tx) => tx.send(Ok(Bytes::copy_from_slice(data))).await.is_ok(),
            None => false,
        }
    }

    /// Closes the stream and waits for the backend's answer.
    pub async fn finish(mut self) -> Result<u64, FsError> {
        self.tx = None;
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(FsError::with_detail(ErrorKind::Other, e.to_string())),
        }
    }
}
