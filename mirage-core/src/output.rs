//! Buffered command output over any async writer.

use std::io;
use std::pin::Pin;

use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Where a command writes (its stdout or stderr). Writes are buffered up to a chunk so a command
/// producing one line at a time still moves data in large pieces; the shell flushes after the
/// command ends. A write after the reader went away fails with `BrokenPipe`, which the shell turns
/// into status 141 like SIGPIPE does in bash.
pub struct Output {
    inner: Pin<Box<dyn AsyncWrite + Send>>,
    buf: Vec<u8>,
    /// Bytes kept before flushing; 0 means every write goes straight through.
    capacity: usize,
}

const DEFAULT_CAPACITY: usize = 64 * 1024;

impl Output {
    /// Buffered output (stdout).
    pub fn new(inner: Pin<Box<dyn AsyncWrite + Send>>) -> Self {
        Output {
            inner,
            buf: Vec::new(),
            capacity: DEFAULT_CAPACITY,
        }
    }

    /// Unbuffered output (stderr), so messages keep their place relative to other writers.
    pub fn unbuffered(inner: Pin<Box<dyn AsyncWrite + Send>>) -> Self {
        Output {
            inner,
            buf: Vec::new(),
            capacity: 0,
        }
    }

    /// Output that discards everything (`>/dev/null`).
    pub fn sink() -> Self {
        Output::new(Box::pin(tokio::io::sink()))
    }

    pub async fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        if self.capacity == 0 {
            return self.inner.write_all(data).await;
        }
        if self.buf.len() + data.len() > self.capacity {
            self.flush_buf().await?;
            if data.len() >= self.capacity {
                return self.inner.write_all(data).await;
            }
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// Convenience for text.
    pub async fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.write_all(s.as_bytes()).await
    }

    async fn flush_buf(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let buf = std::mem::take(&mut self.buf);
            let r = self.inner.write_all(&buf).await;
            self.buf = buf;
            self.buf.clear();
            r?;
        }
        Ok(())
    }

    /// Pushes buffered bytes to the destination.
    pub async fn flush(&mut self) -> io::Result<()> {
        self.flush_buf().await?;
        self.inner.flush().await
    }

    /// Flushes and closes the destination, signalling end of stream to a pipe reader.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.flush_buf().await?;
        self.inner.shutdown().await
    }
}
