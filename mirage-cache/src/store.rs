//! The two store contracts and what they hold.
//!
//! Stores only keep things; every decision (is this entry still valid, should these bytes be
//! cached) is the caching layer's, so a RAM store and a Redis store behave the same. Store
//! failures are values: the layer treats a failing store as a miss and goes to the backend,
//! so a broken cache costs speed, never correctness.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use mirage_core::{ByteRange, ByteStream, DirEntry, FileStat};

/// A cache store failed (Redis unreachable, a corrupt entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// What the index keeps for one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexValue {
    Stat(FileStat),
    Listing(Vec<DirEntry>),
}

/// An index entry and when it stops being trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    pub value: IndexValue,
    /// Milliseconds since the epoch (the layer's clock).
    pub expires_ms: u64,
}

/// Which entry: a stat or a listing, of one path in one mount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IndexKind {
    Stat,
    Listing,
}

/// Listings and stats, keyed by mount name and path.
#[async_trait]
pub trait IndexStore: Send + Sync {
    async fn get(
        &self,
        mount: &str,
        path: &str,
        kind: IndexKind,
    ) -> StoreResult<Option<IndexEntry>>;

    /// Stores an entry; `ttl_ms` lets stores that expire on their own (Redis) drop it later.
    async fn put(
        &self,
        mount: &str,
        path: &str,
        kind: IndexKind,
        entry: IndexEntry,
        ttl_ms: u64,
    ) -> StoreResult<()>;

    /// Forgets both entries of each path.
    async fn remove(&self, mount: &str, paths: &[String]) -> StoreResult<()>;

    /// Forgets every entry at or below `dir` (after a directory moved or was removed).
    async fn remove_tree(&self, mount: &str, dir: &str) -> StoreResult<()>;
}

/// What the file cache keeps about one file besides its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    /// The backend's fingerprint of the content these bytes are, when it had one.
    pub fingerprint: Option<String>,
    /// When the bytes were fetched (ms since the epoch).
    pub stored_ms: u64,
    pub size: u64,
}

/// File bytes, keyed by mount name and path, limited in total size with LRU eviction.
#[async_trait]
pub trait FileStore: Send + Sync {
    /// The metadata of a cached file (a hit refreshes its LRU position).
    async fn meta(&self, mount: &str, path: &str) -> StoreResult<Option<FileMeta>>;

    /// The cached bytes of a file whose `meta` was just seen, streamed; `None` when they were
    /// evicted in between.
    async fn read(
        &self,
        mount: &str,
        path: &str,
        meta: &FileMeta,
        range: Option<ByteRange>,
    ) -> StoreResult<Option<ByteStream>>;

    async fn put(
        &self,
        mount: &str,
        path: &str,
        meta: FileMeta,
        data: Vec<Bytes>,
    ) -> StoreResult<()>;

    async fn remove(&self, mount: &str, path: &str) -> StoreResult<()>;

    async fn remove_tree(&self, mount: &str, dir: &str) -> StoreResult<()>;

    /// The most bytes the store keeps; a larger file streams through uncached.
    fn limit(&self) -> u64;
}

/// Applies a range to bytes held in memory.
pub fn slice_range(data: &Bytes, range: Option<ByteRange>) -> Bytes {
    let len = data.len() as u64;
    match range {
        None => data.clone(),
        Some(r) => {
            let start = r.start.min(len) as usize;
            let end = r.end.map_or(len, |e| e.min(len)).max(start as u64) as usize;
            data.slice(start..end)
        }
    }
}

/// True when `path` is `dir` or below it (both mount-relative, normalised).
pub fn is_at_or_below(path: &str, dir: &str) -> bool {
    dir == "/"
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}
