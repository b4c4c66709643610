//! The in-process stores, built on moka: the default when a workspace names no store.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use mirage_core::{ByteRange, ByteStream};
use moka::policy::EvictionPolicy;
use moka::sync::Cache;

use crate::store::{
    FileMeta, FileStore, IndexEntry, IndexKind, IndexStore, StoreResult, is_at_or_below,
    slice_range,
};

/// Most index entries kept in memory; listings of huge trees stay bounded.
const INDEX_CAPACITY: u64 = 200_000;

type IndexKey = (String, String, IndexKind);

/// Listings and stats in process memory.
pub struct RamIndex {
    entries: Cache<IndexKey, IndexEntry>,
}

impl Default for RamIndex {
    fn default() -> Self {
        RamIndex {
            entries: Cache::builder().max_capacity(INDEX_CAPACITY).build(),
        }
    }
}

impl RamIndex {
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl IndexStore for RamIndex {
    async fn get(
        &self,
        mount: &str,
        path: &str,
        kind: IndexKind,
    ) -> StoreResult<Option<IndexEntry>> {
        Ok(self
            .entries
            .get(&(mount.to_string(), path.to_string(), kind)))
    }

    async fn put(
        &self,
        mount: &str,
        path: &str,
        kind: IndexKind,
        entry: IndexEntry,
        _ttl_ms: u64,
    ) -> StoreResult<()> {
        self.entries
            .insert((mount.to_string(), path.to_string(), kind), entry);
        Ok(())
    }

    async fn remove(&self, mount: &str, paths: &[String]) -> StoreResult<()> {
        for p in paths {
            for kind in [IndexKind::Stat, IndexKind::Listing] {
                self.entries
                    .invalidate(&(mount.to_string(), p.clone(), kind));
            }
        }
        Ok(())
    }

    async fn remove_tree(&self, mount: &str, dir: &str) -> StoreResult<()> {
        let doomed: Vec<IndexKey> = self
            .entries
            .iter()
            .filter(|(k, _)| k.0 == mount && is_at_or_below(&k.1, dir))
            .map(|(k, _)| (*k).clone())
            .collect();
        for k in doomed {
            self.entries.invalidate(&k);
        }
        Ok(())
    }
}

/// A cached file: metadata plus its chunks as they arrived.
#[derive(Clone)]
struct Held {
    meta: FileMeta,
    data: Bytes,
}

/// File bytes in process memory, at most `limit` bytes, least recently used evicted first.
pub struct RamFiles {
    files: Cache<(String, String), Arc<Held>>,
    limit: u64,
}

impl RamFiles {
    pub fn new(limit: u64) -> Self {
        let files = Cache::builder()
            .max_capacity(limit)
            .weigher(|_k: &(String, String), v: &Arc<Held>| {
                u32::try_from(v.data.len()).unwrap_or(u32::MAX)
            })
            .eviction_policy(EvictionPolicy::lru())
            .build();
        RamFiles { files, limit }
    }
}

#[async_trait]
impl FileStore for RamFiles {
    async fn meta(&self, mount: &str, path: &str) -> StoreResult<Option<FileMeta>> {
        Ok(self
            .files
            .get(&(mount.to_string(), path.to_string()))
            .map(|h| h.meta.clone()))
    }

    async fn read(
        &self,
        mount: &str,
        path: &str,
        meta: &FileMeta,
        range: Option<ByteRange>,
    ) -> StoreResult<Option<ByteStream>> {
        let Some(held) = self.files.get(&(mount.to_string(), path.to_string())) else {
            return Ok(None);
        };
        if held.meta != *meta {
            return Ok(None);
        }
        Ok(Some(mirage_core::stream_from_bytes(slice_range(
            &held.data, range,
        ))))
    }

    async fn put(
        &self,
        mount: &str,
        path: &str,
        meta: FileMeta,
        data: Vec<Bytes>,
    ) -> StoreResult<()> {
        let total: usize = data.iter().map(Bytes::len).sum();
        if total as u64 > self.limit {
            return Ok(());
        }
        let mut joined = Vec::with_capacity(total);
        for chunk in &data {
            joined.extend_from_slice(chunk);
        }
        self.files.insert(
            (mount.to_string(), path.to_string()),
            Arc::new(Held {
                meta,
                data: Bytes::from(joined),
            }),
        );
        // Evict now rather than on moka's schedule, so the limit holds at every moment.
        self.files.run_pending_tasks();
        Ok(())
    }

    async fn remove(&self, mount: &str, path: &str) -> StoreResult<()> {
        self.files
            .invalidate(&(mount.to_string(), path.to_string()));
        Ok(())
    }

    async fn remove_tree(&self, mount: &str, dir: &str) -> StoreResult<()> {
        let doomed: Vec<(String, String)> = self
            .files
            .iter()
            .filter(|(k, _)| k.0 == mount && is_at_or_below(&k.1, dir))
            .map(|(k, _)| (*k).clone())
            .collect();
        for k in doomed {
            self.files.invalidate(&k);
        }
        Ok(())
    }

    fn limit(&self) -> u64 {
        self.limit
    }
}
