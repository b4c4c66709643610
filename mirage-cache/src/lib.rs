//! Caching contracts for Mirage. Remote backends are slow and metered, so listings and stats
//! (the index) and file bytes are cached separately: the index with a TTL, bytes with a size
//! limit. This crate holds the store traits; the RAM and Redis stores and the caching layer
//! that wraps any `Resource` build on them.

use std::time::Duration;

use mirage_core::{DirEntry, FileStat, VPath, async_trait};

/// Where listings and stats are kept, keyed by mount and path.
#[async_trait]
pub trait IndexStore: Send + Sync {
    async fn get_stat(&self, mount: &str, path: &VPath) -> Option<FileStat>;
    async fn put_stat(&self, mount: &str, path: &VPath, stat: FileStat, ttl: Duration);
    async fn get_listing(&self, mount: &str, path: &VPath) -> Option<Vec<DirEntry>>;
    async fn put_listing(&self, mount: &str, path: &VPath, entries: Vec<DirEntry>, ttl: Duration);
    /// Forgets `path` and the listing of its parent (after a write, remove or rename).
    async fn invalidate(&self, mount: &str, path: &VPath);
}

/// Where file bytes are kept, keyed by mount, path and fingerprint.
#[async_trait]
pub trait FileStore: Send + Sync {
    async fn get(&self, mount: &str, path: &VPath, fingerprint: &str) -> Option<Vec<u8>>;
    async fn put(&self, mount: &str, path: &VPath, fingerprint: &str, data: Vec<u8>);
    async fn invalidate(&self, mount: &str, path: &VPath);
    /// The most bytes the store keeps; larger files stream through uncached.
    fn limit(&self) -> u64;
}
