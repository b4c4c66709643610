//! Caching for Mirage resources. Remote backends are slow and metered, so listings and stats
//! (the index) and file bytes are cached separately: the index with a TTL, bytes with a size
//! limit and LRU eviction. Stores are in-process (moka) or Redis (shared by processes and
//! machines); [`CachedResource`] wraps any `Resource` and decides what may be served.

pub mod clock;
mod codec;
pub mod config;
pub mod layer;
pub mod ram;
pub mod redis_store;
pub mod store;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{CacheSetup, FileCacheConfig, IndexConfig, StoreKind, parse_size};
pub use layer::{CacheCounters, CacheCounts, CachedResource, MountCache, ReadPolicy};
pub use ram::{RamFiles, RamIndex};
pub use redis_store::{RedisFiles, RedisIndex};
pub use store::{FileStore, IndexStore, StoreError};
