//! Names the mount in backend failures. "Network is unreachable" alone does not tell an agent
//! which of several remote mounts is down; `/r: redis 127.0.0.1:6390: Connection refused`
//! does. Only failures that carry a cause (network, I/O) are decorated: the GNU-worded errors
//! (`No such file or directory`, ...) stay exactly as GNU prints them.

use std::sync::Arc;
use std::time::SystemTime;

use futures::StreamExt;
use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, ErrorKind, FileStat, FsError,
    FsResult, Resource, VPath, WriteMode, async_trait,
};

pub struct NamedErrors {
    inner: Arc<dyn Resource>,
    prefix: Arc<str>,
}

impl NamedErrors {
    pub fn new(inner: Arc<dyn Resource>, prefix: &str) -> Self {
        NamedErrors {
            inner,
            prefix: prefix.into(),
        }
    }
}

fn name(prefix: &str, e: FsError) -> FsError {
    match (e.kind, &e.detail) {
        (ErrorKind::Network | ErrorKind::Other, Some(d)) if !d.starts_with(prefix) => {
            FsError::with_detail(e.kind, format!("mount {prefix}: {d}"))
        }
        (ErrorKind::Network, None) => FsError::with_detail(e.kind, format!("mount {prefix}")),
        _ => e,
    }
}

impl NamedErrors {
    fn wrap<T>(&self, r: FsResult<T>) -> FsResult<T> {
        r.map_err(|e| name(&self.prefix, e))
    }
}

#[async_trait]
impl Resource for NamedErrors {
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
        self.wrap(self.inner.stat(path).await)
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.wrap(self.inner.list(path).await)
    }

    async fn list_kinds(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.wrap(self.inner.list_kinds(path).await)
    }

    fn cheap_kind_listing(&self) -> bool {
        self.inner.cheap_kind_listing()
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        let stream = self.wrap(self.inner.read(path, range).await)?;
        let prefix = self.prefix.clone();
        Ok(Box::pin(
            stream.map(move |r| r.map_err(|e| name(&prefix, e))),
        ))
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        self.wrap(self.inner.write(path, data, mode).await)
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        self.wrap(self.inner.mkdir(path).await)
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        self.wrap(self.inner.remove_file(path).await)
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        self.wrap(self.inner.remove_dir(path).await)
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.wrap(self.inner.rename(from, to).await)
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.wrap(self.inner.copy(from, to).await)
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        self.wrap(self.inner.set_modified(path, time).await)
    }

    async fn remove_tree(&self, path: &VPath) -> FsResult<()> {
        self.wrap(self.inner.remove_tree(path).await)
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        self.wrap(self.inner.set_mode(path, mode).await)
    }
}
