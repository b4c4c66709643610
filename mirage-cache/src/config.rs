//! Cache configuration: which stores, how big, how long, from code or from a config mapping
//! (`cache: { type: redis, url: ..., limit: 8GB }`, `index: { type: redis, url: ..., ttl: 600 }`).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::clock::{Clock, SystemClock};
use crate::ram::{RamFiles, RamIndex};
use crate::redis_store::{RedisFiles, RedisIndex};
use crate::store::{FileStore, IndexStore};

/// The file cache's default size limit.
pub const DEFAULT_FILE_LIMIT: u64 = 512 * 1024 * 1024;

/// Key prefix in a shared Redis when none is configured.
pub const DEFAULT_PREFIX: &str = "mirage-cache";

/// Where a cache lives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StoreKind {
    #[default]
    Ram,
    Redis {
        url: String,
        prefix: String,
    },
}

/// The file (bytes) cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileCacheConfig {
    pub store: StoreKind,
    pub limit: u64,
}

impl Default for FileCacheConfig {
    fn default() -> Self {
        FileCacheConfig {
            store: StoreKind::Ram,
            limit: DEFAULT_FILE_LIMIT,
        }
    }
}

/// The index (listings and stats) cache. `ttl` replaces the remote resources' default TTL for
/// the whole workspace; mounts can still set their own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexConfig {
    pub store: StoreKind,
    pub ttl: Option<Duration>,
}

/// `512MB`, `8GB`, `1.5G`, `4096`: binary units (a GB is 2^30 bytes), as cache sizes usually are.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid size `{text}` (expected e.g. 512MB or 8GB)"))?;
    let mult: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        _ => {
            return Err(format!(
                "invalid size unit in `{text}` (use B, KB, MB, GB or TB)"
            ));
        }
    };
    Ok((value * mult as f64) as u64)
}

fn store_from(map: &serde_json::Map<String, Value>, what: &str) -> Result<StoreKind, String> {
    match map.get("type").and_then(Value::as_str).unwrap_or("ram") {
        "ram" | "memory" => Ok(StoreKind::Ram),
        "redis" => {
            let url = map
                .get("url")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{what}: a redis store needs `url`"))?;
            let prefix = map
                .get("prefix")
                .and_then(Value::as_str)
                .unwrap_or(DEFAULT_PREFIX);
            Ok(StoreKind::Redis {
                url: url.to_string(),
                prefix: prefix.to_string(),
            })
        }
        other => Err(format!(
            "{what}: unknown store type `{other}` (expected ram or redis)"
        )),
    }
}

fn check_keys(
    map: &serde_json::Map<String, Value>,
    known: &[&str],
    what: &str,
) -> Result<(), String> {
    let unknown: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!("{what}: unknown keys: {}", unknown.join(", ")))
    }
}

impl FileCacheConfig {
    /// From the `cache:` mapping of a config file.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let Value::Object(map) = v else {
            return Err("cache: must be a mapping".to_string());
        };
        check_keys(map, &["type", "url", "prefix", "limit"], "cache")?;
        let limit = match map.get("limit") {
            None => DEFAULT_FILE_LIMIT,
            Some(Value::Number(n)) => n.as_u64().ok_or("cache: limit must be a size")?,
            Some(Value::String(s)) => parse_size(s).map_err(|e| format!("cache: {e}"))?,
            Some(_) => return Err("cache: limit must be a size such as 512MB".to_string()),
        };
        Ok(FileCacheConfig {
            store: store_from(map, "cache")?,
            limit,
        })
    }
}

impl IndexConfig {
    /// From the `index:` mapping of a config file.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let Value::Object(map) = v else {
            return Err("index: must be a mapping".to_string());
        };
        check_keys(map, &["type", "url", "prefix", "ttl"], "index")?;
        let ttl = match map.get("ttl") {
            None => None,
            Some(v) => Some(Duration::from_secs(
                v.as_u64().ok_or("index: ttl must be a number of seconds")?,
            )),
        };
        Ok(IndexConfig {
            store: store_from(map, "index")?,
            ttl,
        })
    }
}

/// The stores and clock one workspace's mounts share.
#[derive(Clone)]
pub struct CacheSetup {
    pub index: Arc<dyn IndexStore>,
    pub files: Arc<dyn FileStore>,
    pub clock: Arc<dyn Clock>,
    pub default_ttl: Option<Duration>,
}

impl CacheSetup {
    /// Opens the configured stores (Redis connections open lazily, on first use).
    pub fn open(index: &IndexConfig, files: &FileCacheConfig) -> Result<Self, String> {
        let index_store: Arc<dyn IndexStore> = match &index.store {
            StoreKind::Ram => Arc::new(RamIndex::new()),
            StoreKind::Redis { url, prefix } => Arc::new(RedisIndex::new(url, prefix)?),
        };
        let file_store: Arc<dyn FileStore> = match &files.store {
            StoreKind::Ram => Arc::new(RamFiles::new(files.limit)),
            StoreKind::Redis { url, prefix } => {
                Arc::new(RedisFiles::new(url, prefix, files.limit)?)
            }
        };
        Ok(CacheSetup {
            index: index_store,
            files: file_store,
            clock: Arc::new(SystemClock),
            default_ttl: index.ttl,
        })
    }

    /// Uses `clock` for every TTL decision (tests move time by hand).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_size("512MB"), Ok(512 << 20));
        assert_eq!(parse_size("8GB"), Ok(8 << 30));
        assert_eq!(parse_size("1.5K"), Ok(1536));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn config_mappings_are_checked() {
        let v: Value =
            serde_json::json!({"type": "redis", "url": "redis://127.0.0.1:1/", "limit": "8GB"});
        let c = FileCacheConfig::from_value(&v).unwrap_or_default();
        assert_eq!(c.limit, 8 << 30);
        assert!(matches!(c.store, StoreKind::Redis { .. }));
        assert!(FileCacheConfig::from_value(&serde_json::json!({"type": "redis"})).is_err());
        assert!(IndexConfig::from_value(&serde_json::json!({"ttl": 5, "bogus": 1})).is_err());
        let i = IndexConfig::from_value(&serde_json::json!({"ttl": 5})).unwrap_or_default();
        assert_eq!(i.ttl, Some(Duration::from_secs(5)));
    }
}
