//! An in-memory sink shared with whoever reads it afterwards: the output of a command a
//! command runs itself (awk's `cmd | getline`, sed's `e`, zdiff's decompression).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Appends everything written to the shared buffer. A poisoned lock still holds whole
/// writes (each is one `extend`), so it is used as it is.
pub struct SharedBuf(pub Arc<Mutex<Vec<u8>>>);

impl tokio::io::AsyncWrite for SharedBuf {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let mut buf = self.0.lock().unwrap_or_else(|e| e.into_inner());
        buf.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
