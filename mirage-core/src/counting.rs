//! Call counters: every resource call and every byte moved, per mount.
//!
//! Remote services are slow and metered, so how many calls a line costs is something users
//! ask about, and it is what proves a cache works (a hit is a call that did not happen).
//! [`CountingResource`] wraps a backend and counts what reaches it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use async_trait::async_trait;
use futures::StreamExt;

use crate::error::FsResult;
use crate::path::VPath;
use crate::resource::{CacheHints, Capabilities, Resource, WriteMode};
use crate::stat::{DirEntry, FileStat};
use crate::stream::{ByteRange, ByteStream};

/// Live counters of one mount.
#[derive(Debug, Default)]
pub struct CallCounters {
    pub stat: AtomicU64,
    pub list: AtomicU64,
    pub read: AtomicU64,
    pub write: AtomicU64,
    pub mkdir: AtomicU64,
    pub remove: AtomicU64,
    pub rename: AtomicU64,
    pub copy: AtomicU64,
    pub set_modified: AtomicU64,
    pub bytes_read: AtomicU64,
    pub bytes_written: AtomicU64,
}

/// A snapshot of [`CallCounters`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallCounts {
    pub stat: u64,
    pub list: u64,
    pub read: u64,
    pub write: u64,
    pub mkdir: u64,
    pub remove: u64,
    pub rename: u64,
    pub copy: u64,
    pub set_modified: u64,
    pub bytes_read: u64,
    pub bytes_written: u64,
}

impl CallCounts {
    /// Calls of every kind together (bytes not included).
    pub fn calls(&self) -> u64 {
        self.stat
            + self.list
            + self.read
            + self.write
            + self.mkdir
            + self.remove
            + self.rename
            + self.copy
            + self.set_modified
    }

    /// The counts as `(name, value)` pairs in a fixed order, for printing.
    pub fn fields(&self) -> [(&'static str, u64); 11] {
        [
            ("stat", self.stat),
            ("list", self.list),
            ("read", self.read),
            ("write", self.write),
            ("mkdir", self.mkdir),
            ("remove", self.remove),
            ("rename", self.rename),
            ("copy", self.copy),
            ("set_modified", self.set_modified),
            ("bytes_read", self.bytes_read),
            ("bytes_written", self.bytes_written),
        ]
    }
}

impl CallCounters {
    pub fn snapshot(&self) -> CallCounts {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        CallCounts {
            stat: g(&self.stat),
            list: g(&self.list),
            read: g(&self.read),
            write: g(&self.write),
            mkdir: g(&self.mkdir),
            remove: g(&self.remove),
            rename: g(&self.rename),
            copy: g(&self.copy),
            set_modified: g(&self.set_modified),
            bytes_read: g(&self.bytes_read),
            bytes_written: g(&self.bytes_written),
        }
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A resource that counts the calls and bytes reaching the resource it wraps.
pub struct CountingResource {
    inner: Arc<dyn Resource>,
    counters: Arc<CallCounters>,
}

impl CountingResource {
    pub fn new(inner: Arc<dyn Resource>) -> Self {
        CountingResource {
            inner,
            counters: Arc::new(CallCounters::default()),
        }
    }

    pub fn counters(&self) -> Arc<CallCounters> {
        self.counters.clone()
    }
}

/// Counts the bytes of a stream as they pass.
fn counted(stream: ByteStream, counter: Arc<CallCounters>, read: bool) -> ByteStream {
    Box::pin(stream.inspect(move |chunk| {
        if let Ok(bytes) = chunk {
            let field = if read {
                &counter.bytes_read
            } else {
                &counter.bytes_written
            };
            field.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
    }))
}

#[async_trait]
impl Resource for CountingResource {
    fn kind(&self) -> &str {
        self.inner.kind()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    fn cache_hints(&self) -> CacheHints {
        self.inner.cache_hints()
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        bump(&self.counters.stat);
        self.inner.stat(path).await
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        bump(&self.counters.list);
        self.inner.list(path).await
    }

    async fn list_kinds(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        bump(&self.counters.list);
        self.inner.list_kinds(path).await
    }

    fn cheap_kind_listing(&self) -> bool {
        self.inner.cheap_kind_listing()
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        bump(&self.counters.read);
        let stream = self.inner.read(path, range).await?;
        Ok(counted(stream, self.counters.clone(), true))
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        bump(&self.counters.write);
        let data = counted(data, self.counters.clone(), false);
        self.inner.write(path, data, mode).await
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        bump(&self.counters.mkdir);
        self.inner.mkdir(path).await
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        bump(&self.counters.remove);
        self.inner.remove_file(path).await
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        bump(&self.counters.remove);
        self.inner.remove_dir(path).await
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        bump(&self.counters.rename);
        self.inner.rename(from, to).await
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        bump(&self.counters.copy);
        self.inner.copy(from, to).await
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        bump(&self.counters.set_modified);
        self.inner.set_modified(path, time).await
    }

    async fn remove_tree(&self, path: &VPath) -> FsResult<()> {
        bump(&self.counters.remove);
        self.inner.remove_tree(path).await
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        bump(&self.counters.set_modified);
        self.inner.set_mode(path, mode).await
    }
}
