//! What a workspace's mounts cost: backend calls and bytes per mount, and cache hits.

use std::collections::BTreeMap;
use std::sync::Arc;

use mirage_cache::{CacheCounters, CacheCounts};
use mirage_core::CallCounts;
use mirage_core::counting::CallCounters;
use serde_json::{Map, Value};

/// Live counters of one mount.
#[derive(Clone)]
pub(crate) struct MountCounters {
    pub calls: Arc<CallCounters>,
    pub cache: Option<Arc<CacheCounters>>,
}

/// A snapshot of one mount's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountStats {
    /// Calls that reached the backend, and bytes it moved.
    pub calls: CallCounts,
    /// Cache hits and misses; `None` when the mount is not cached.
    pub cache: Option<CacheCounts>,
}

/// Counters of every mount, by mount prefix.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub mounts: BTreeMap<String, MountStats>,
}

impl Stats {
    pub(crate) fn collect(counters: &BTreeMap<String, MountCounters>) -> Stats {
        Stats {
            mounts: counters
                .iter()
                .map(|(prefix, c)| {
                    (
                        prefix.clone(),
                        MountStats {
                            calls: c.calls.snapshot(),
                            cache: c.cache.as_ref().map(|k| k.snapshot()),
                        },
                    )
                })
                .collect(),
        }
    }

    /// The counters of one mount (all zero for an unknown prefix).
    pub fn mount(&self, prefix: &str) -> MountStats {
        self.mounts.get(prefix).copied().unwrap_or_default()
    }

    /// `{"/s3": {"calls": 2, "list": 1, ..., "cache": {"index_hits": 3, ...}}, ...}`
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (prefix, m) in &self.mounts {
            let mut o = Map::new();
            o.insert("calls".into(), m.calls.calls().into());
            for (k, v) in m.calls.fields() {
                o.insert(k.into(), v.into());
            }
            if let Some(c) = &m.cache {
                let cache: Map<String, Value> = c
                    .fields()
                    .iter()
                    .map(|(k, v)| (k.to_string(), (*v).into()))
                    .collect();
                o.insert("cache".into(), Value::Object(cache));
            }
            out.insert(prefix.clone(), Value::Object(o));
        }
        Value::Object(out)
    }
}
