//! The standard streams of a running shell line: an owned stdin that is lent to each command in
//! turn, and shared writers so several commands (and `2>&1`) can write to one destination.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use mirage_core::Reader;
use tokio::io::AsyncWrite;

type Inner = Pin<Box<dyn AsyncWrite + Send>>;

/// A clonable handle to one output destination. Each clone writes through the same inner
/// writer, so `{ echo a; echo b; } > f` and `cmd 2>&1` keep their bytes in order.
#[derive(Clone)]
pub struct SharedWriter {
    inner: Arc<Mutex<Inner>>,
}

impl SharedWriter {
    pub fn new(inner: Inner) -> Self {
        SharedWriter {
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    /// A writer that discards everything (`/dev/null`).
    pub fn sink() -> Self {
        Self::new(Box::pin(tokio::io::sink()))
    }

    /// Closes the destination so a pipe reader sees end of input.
    pub async fn close(&self) {
        let w = self.clone();
        let _ = futures::future::poll_fn(move |cx| w.poll_shutdown_inner(cx)).await;
    }

    fn with_inner<T>(
        &self,
        f: impl FnOnce(Pin<&mut (dyn AsyncWrite + Send)>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match self.inner.lock() {
            Ok(mut g) => f(g.as_mut()),
            Err(_) => Poll::Ready(Err(io::Error::other("output lock poisoned"))),
        }
    }

    fn poll_shutdown_inner(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with_inner(|w| w.poll_shutdown(cx))
    }
}

impl AsyncWrite for SharedWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.with_inner(|w| w.poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with_inner(|w| w.poll_flush(cx))
    }

    /// Shutting down one clone must not close the destination for the others; closing is
    /// explicit through [`SharedWriter::close`].
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with_inner(|w| w.poll_flush(cx))
    }
}

/// The streams of one execution scope.
pub struct Io {
    /// Owned; lent to each command in turn and taken back afterwards, so sequential readers
    /// (`while read l; do ...; done < f`) continue where the previous one stopped.
    pub stdin: Reader,
    /// Size of the regular file stdin was redirected from (`< file`), `None` for pipes. GNU
    /// tools look at it (`wc < file` sizes its columns from it).
    pub stdin_size: Option<u64>,
    pub stdout: SharedWriter,
    pub stderr: SharedWriter,
    /// Output descriptors 3-9 opened with `exec 3> file` (or for one command, `cmd 3> f`).
    pub fds: std::collections::BTreeMap<i32, SharedWriter>,
}

impl Io {
    pub fn take_stdin(&mut self) -> Reader {
        self.stdin_size = None;
        std::mem::replace(&mut self.stdin, empty_reader())
    }

    /// A scope with the same outputs and the stdin handed over (for nested execution).
    pub fn with_stdin(&self, stdin: Reader) -> Io {
        Io {
            stdin,
            stdin_size: None,
            fds: self.fds.clone(),
            stdout: self.stdout.clone(),
            stderr: self.stderr.clone(),
        }
    }
}

pub fn empty_reader() -> Reader {
    Box::pin(tokio::io::empty())
}

pub fn bytes_reader(data: Vec<u8>) -> Reader {
    Box::pin(std::io::Cursor::new(data))
}

/// A bounded in-memory pipe: `(reader, writer)`. Dropping the reader makes the writer's next
/// write fail with `BrokenPipe` (how `cat big | head -1` stops early); shutting the writer down
/// gives the reader end of input.
pub fn pipe(capacity: usize) -> (tokio::io::DuplexStream, tokio::io::DuplexStream) {
    let (writer, reader) = tokio::io::duplex(capacity);
    (reader, writer)
}
