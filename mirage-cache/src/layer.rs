//! The caching layer: a [`Resource`] that wraps another and answers from the stores when it
//! may.
//!
//! - Listings and stats come from the index while their TTL lasts; a stat is also answered
//!   from a cached listing of the parent, so `ls dir` followed by `find dir` or `cat dir/f`
//!   costs no further listing or stat calls.
//! - File bytes come from the file store. Under the `bounded` read policy they are trusted for
//!   the mount's TTL (or while the cached stat still shows the same fingerprint); under `fresh`
//!   the backend's current fingerprint is checked (one stat) before cached bytes are served.
//!   A miss streams from the backend and fills the store as the bytes pass; a file larger than
//!   the store's limit, a ranged read or a read abandoned midway is not cached.
//! - Every write, removal, rename or copy through the workspace invalidates the path, what is
//!   below it, and the parent's listing.
//! - A failing store is counted and treated as a miss: the backend answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, FileStat, FsError, FsResult,
    Resource, VPath, WriteMode,
};

use crate::clock::Clock;
use crate::store::{
    FileMeta, FileStore, IndexEntry, IndexKind, IndexStore, IndexValue, StoreResult,
};

/// When cached bytes may be served.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadPolicy {
    /// Trust cached bytes within the TTL (or while the cached stat's fingerprint matches).
    #[default]
    Bounded,
    /// Compare the backend's current fingerprint before serving cached bytes.
    Fresh,
}

impl std::str::FromStr for ReadPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "bounded" => Ok(ReadPolicy::Bounded),
            "fresh" => Ok(ReadPolicy::Fresh),
            other => Err(format!(
                "unknown read policy `{other}` (expected bounded or fresh)"
            )),
        }
    }
}

/// How one mount is cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MountCache {
    pub index_ttl: Duration,
    pub file_cache: bool,
    pub read_policy: ReadPolicy,
    /// A listing proves a directory (see [`CacheHints::synthetic_dirs`]).
    pub synthetic_dirs: bool,
}

impl MountCache {
    /// The resource's own defaults with the bounded policy.
    pub fn from_hints(h: CacheHints) -> Self {
        MountCache {
            index_ttl: h.index_ttl,
            file_cache: h.file_cache,
            read_policy: ReadPolicy::Bounded,
            synthetic_dirs: h.synthetic_dirs,
        }
    }

    /// True when this configuration caches nothing at all.
    pub fn is_off(&self) -> bool {
        self.index_ttl.is_zero() && !self.file_cache
    }
}

/// Hits, misses and store failures of one mount's cache.
#[derive(Debug, Default)]
pub struct CacheCounters {
    pub index_hits: AtomicU64,
    pub index_misses: AtomicU64,
    pub file_hits: AtomicU64,
    pub file_misses: AtomicU64,
    pub store_errors: AtomicU64,
}

/// A snapshot of [`CacheCounters`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheCounts {
    pub index_hits: u64,
    pub index_misses: u64,
    pub file_hits: u64,
    pub file_misses: u64,
    pub store_errors: u64,
}

impl CacheCounts {
    pub fn fields(&self) -> [(&'static str, u64); 5] {
        [
            ("index_hits", self.index_hits),
            ("index_misses", self.index_misses),
            ("file_hits", self.file_hits),
            ("file_misses", self.file_misses),
            ("store_errors", self.store_errors),
        ]
    }
}

impl CacheCounters {
    pub fn snapshot(&self) -> CacheCounts {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        CacheCounts {
            index_hits: g(&self.index_hits),
            index_misses: g(&self.index_misses),
            file_hits: g(&self.file_hits),
            file_misses: g(&self.file_misses),
            store_errors: g(&self.store_errors),
        }
    }
}

fn bump(a: &AtomicU64) {
    a.fetch_add(1, Ordering::Relaxed);
}

/// Everything the layer shares with the streams it hands out.
struct Shared {
    mount: String,
    index: Arc<dyn IndexStore>,
    files: Arc<dyn FileStore>,
    clock: Arc<dyn Clock>,
    counters: Arc<CacheCounters>,
}

impl Shared {
    /// Unwraps a store result, counting a failure and treating it as "nothing cached".
    fn ok<T: Default>(&self, r: StoreResult<T>) -> T {
        r.unwrap_or_else(|_| {
            bump(&self.counters.store_errors);
            T::default()
        })
    }
}

/// A resource whose listings, stats and bytes are cached. See the module docs.
pub struct CachedResource {
    inner: Arc<dyn Resource>,
    settings: MountCache,
    shared: Arc<Shared>,
}

impl CachedResource {
    pub fn new(
        inner: Arc<dyn Resource>,
        mount: &str,
        settings: MountCache,
        index: Arc<dyn IndexStore>,
        files: Arc<dyn FileStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        CachedResource {
            inner,
            settings,
            shared: Arc::new(Shared {
                mount: mount.to_string(),
                index,
                files,
                clock,
                counters: Arc::new(CacheCounters::default()),
            }),
        }
    }

    pub fn counters(&self) -> Arc<CacheCounters> {
        self.shared.counters.clone()
    }

    fn ttl_ms(&self) -> u64 {
        self.settings.index_ttl.as_millis() as u64
    }

    async fn cached(&self, path: &VPath, kind: IndexKind) -> Option<IndexValue> {
        if self.settings.index_ttl.is_zero() {
            return None;
        }
        let s = &self.shared;
        let entry = s.ok(s.index.get(&s.mount, path.as_str(), kind).await)?;
        (entry.expires_ms > s.clock.now_ms()).then_some(entry.value)
    }

    async fn remember(&self, path: &VPath, kind: IndexKind, value: IndexValue) {
        if self.settings.index_ttl.is_zero() {
            return;
        }
        let s = &self.shared;
        let entry = IndexEntry {
            value,
            expires_ms: s.clock.now_ms().saturating_add(self.ttl_ms()),
        };
        let r = s
            .index
            .put(&s.mount, path.as_str(), kind, entry, self.ttl_ms())
            .await;
        s.ok(r);
    }

    /// A stat from the index: the path's own entry, or its entry in the parent's listing.
    /// `Some(Err)` is a cached "does not exist" (the fresh listing of the parent lacks it).
    async fn cached_stat(&self, path: &VPath) -> Option<FsResult<FileStat>> {
        if let Some(IndexValue::Stat(st)) = self.cached(path, IndexKind::Stat).await {
            return Some(Ok(st));
        }
        let name = path.file_name()?;
        match self.cached(&path.parent(), IndexKind::Listing).await {
            Some(IndexValue::Listing(entries)) => Some(
                entries
                    .into_iter()
                    .find(|e| e.name == name)
                    .map(|e| e.stat)
                    .ok_or_else(FsError::not_found),
            ),
            _ => None,
        }
    }

    /// Forgets `path`, everything below it and its parent's listing.
    async fn invalidate(&self, path: &VPath) {
        let s = &self.shared;
        let paths = vec![path.to_string(), path.parent().to_string()];
        let r = s.index.remove(&s.mount, &paths).await;
        s.ok(r);
        let r = s.index.remove_tree(&s.mount, path.as_str()).await;
        s.ok(r);
        let r = s.files.remove_tree(&s.mount, path.as_str()).await;
        s.ok(r);
    }

    /// Whether cached bytes described by `meta` may be served now.
    async fn still_valid(&self, path: &VPath, meta: &FileMeta) -> FsResult<bool> {
        let matches =
            |st: &FileStat| meta.fingerprint.is_some() && st.fingerprint == meta.fingerprint;
        match self.settings.read_policy {
            ReadPolicy::Fresh => {
                let st = self.inner.stat(path).await?;
                self.remember(path, IndexKind::Stat, IndexValue::Stat(st.clone()))
                    .await;
                Ok(matches(&st))
            }
            ReadPolicy::Bounded => {
                let age = self.shared.clock.now_ms().saturating_sub(meta.stored_ms);
                if age < self.ttl_ms() {
                    return Ok(true);
                }
                Ok(matches(&self.stat(path).await?))
            }
        }
    }

    /// The fingerprint to file new bytes under, without a backend call under `bounded`.
    async fn fingerprint_for_fill(&self, path: &VPath) -> FsResult<Option<String>> {
        match self.settings.read_policy {
            ReadPolicy::Fresh => Ok(self.stat(path).await?.fingerprint),
            ReadPolicy::Bounded => Ok(match self.cached_stat(path).await {
                Some(Ok(st)) => st.fingerprint,
                _ => None,
            }),
        }
    }
}

/// Passes a backend stream through while collecting it for the file store; stores it when it
/// ends cleanly and stayed within the limit.
fn filling(
    stream: ByteStream,
    shared: Arc<Shared>,
    path: String,
    fingerprint: Option<String>,
) -> ByteStream {
    let limit = shared.files.limit();
    let state = (stream, Some(Vec::<Bytes>::new()), 0u64);
    Box::pin(futures::stream::unfold(
        (state, shared, path, fingerprint),
        move |((mut stream, mut kept, mut size), shared, path, fingerprint)| async move {
            match stream.next().await {
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > limit {
                        kept = None;
                    } else if let Some(k) = kept.as_mut() {
                        k.push(chunk.clone());
                    }
                    Some((Ok(chunk), ((stream, kept, size), shared, path, fingerprint)))
                }
                Some(Err(e)) => Some((Err(e), ((stream, None, size), shared, path, fingerprint))),
                None => {
                    if let Some(chunks) = kept {
                        let meta = FileMeta {
                            fingerprint,
                            stored_ms: shared.clock.now_ms(),
                            size,
                        };
                        let r = shared.files.put(&shared.mount, &path, meta, chunks).await;
                        shared.ok(r);
                    }
                    None
                }
            }
        },
    ))
}

#[async_trait]
impl Resource for CachedResource {
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
        if let Some(hit) = self.cached_stat(path).await {
            bump(&self.shared.counters.index_hits);
            return hit;
        }
        if !self.settings.index_ttl.is_zero() {
            bump(&self.shared.counters.index_misses);
        }
        let st = self.inner.stat(path).await?;
        self.remember(path, IndexKind::Stat, IndexValue::Stat(st.clone()))
            .await;
        Ok(st)
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        if let Some(IndexValue::Listing(entries)) = self.cached(path, IndexKind::Listing).await {
            bump(&self.shared.counters.index_hits);
            return Ok(entries);
        }
        if !self.settings.index_ttl.is_zero() {
            bump(&self.shared.counters.index_misses);
        }
        let entries = self.inner.list(path).await?;
        self.remember(
            path,
            IndexKind::Listing,
            IndexValue::Listing(entries.clone()),
        )
        .await;
        if self.settings.synthetic_dirs && self.cached(path, IndexKind::Stat).await.is_none() {
            self.remember(path, IndexKind::Stat, IndexValue::Stat(FileStat::dir()))
                .await;
        }
        Ok(entries)
    }

    /// A cached full listing answers; otherwise a backend with cheap kind listings is asked
    /// for one (not kept: it lacks what a stat from the index must carry), and any other
    /// backend lists in full through [`Resource::list`], which fills the index.
    async fn list_kinds(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        if !self.inner.cheap_kind_listing() {
            return self.list(path).await;
        }
        if let Some(IndexValue::Listing(entries)) = self.cached(path, IndexKind::Listing).await {
            bump(&self.shared.counters.index_hits);
            return Ok(entries);
        }
        self.inner.list_kinds(path).await
    }

    fn cheap_kind_listing(&self) -> bool {
        self.inner.cheap_kind_listing()
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        if !self.settings.file_cache {
            return self.inner.read(path, range).await;
        }
        let s = self.shared.clone();
        let meta = s.ok(s.files.meta(&s.mount, path.as_str()).await);
        if let Some(meta) = meta
            && self.still_valid(path, &meta).await?
        {
            let r = s.files.read(&s.mount, path.as_str(), &meta, range).await;
            if let Some(stream) = s.ok(r) {
                bump(&s.counters.file_hits);
                return Ok(stream);
            }
        }
        bump(&s.counters.file_misses);
        if range.is_some() {
            return self.inner.read(path, range).await;
        }
        let fingerprint = self.fingerprint_for_fill(path).await?;
        let stream = self.inner.read(path, None).await?;
        Ok(filling(stream, s, path.to_string(), fingerprint))
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        let r = self.inner.write(path, data, mode).await;
        self.invalidate(path).await;
        r
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        let r = self.inner.mkdir(path).await;
        self.invalidate(path).await;
        r
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        let r = self.inner.remove_file(path).await;
        self.invalidate(path).await;
        r
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        let r = self.inner.remove_dir(path).await;
        self.invalidate(path).await;
        r
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let r = self.inner.rename(from, to).await;
        self.invalidate(from).await;
        self.invalidate(to).await;
        r
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let r = self.inner.copy(from, to).await;
        self.invalidate(to).await;
        r
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        let r = self.inner.set_modified(path, time).await;
        self.invalidate(path).await;
        r
    }

    async fn remove_tree(&self, path: &VPath) -> FsResult<()> {
        let r = self.inner.remove_tree(path).await;
        self.invalidate(path).await;
        r
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        let r = self.inner.set_mode(path, mode).await;
        self.invalidate(path).await;
        r
    }
}
