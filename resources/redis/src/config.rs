//! Building a redis resource from a config block:
//! `{"url": "redis://127.0.0.1:6390/0", "prefix": "mirage", "chunk_size": 1048576}`.

use std::sync::Arc;

use mirage_core::{Resource, ResourceFactory};

use crate::{MAX_CHUNK_SIZE, RedisResource};

const KEYS: &[&str] = &["url", "prefix", "chunk_size"];

fn build_from_config(config: &serde_json::Value) -> Result<Arc<dyn Resource>, String> {
    let map = config
        .as_object()
        .ok_or_else(|| "resource `redis`: config must be a mapping with a `url` key".to_string())?;
    if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "resource `redis`: unknown config key `{unknown}` (known keys: url, prefix, chunk_size)"
        ));
    }
    let url = match map.get("url") {
        None => {
            return Err(
                "resource `redis`: missing config key `url` (e.g. redis://127.0.0.1:6379/0)"
                    .to_string(),
            );
        }
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(other) => {
            return Err(format!(
                "resource `redis`: config key `url` must be a non-empty string, got {other}"
            ));
        }
    };
    let mut redis =
        RedisResource::new(url).map_err(|e| format!("resource `redis`: config key `url`: {e}"))?;
    match map.get("prefix") {
        None => {}
        Some(serde_json::Value::String(s)) if !s.is_empty() => redis = redis.with_prefix(s),
        Some(other) => {
            return Err(format!(
                "resource `redis`: config key `prefix` must be a non-empty string, got {other}"
            ));
        }
    }
    match map.get("chunk_size") {
        None => {}
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 && n <= MAX_CHUNK_SIZE as u64 => {
                redis = redis.with_chunk_size(n as usize)
            }
            _ => {
                return Err(format!(
                    "resource `redis`: config key `chunk_size` must be a number of bytes from 1 to {MAX_CHUNK_SIZE}, got {v}"
                ));
            }
        },
    }
    Ok(Arc::new(redis))
}

inventory::submit! {
    ResourceFactory { name: "redis", config_keys: KEYS, build: build_from_config }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: serde_json::Value) -> String {
        match build_from_config(&v) {
            Ok(_) => panic!("expected an error for {v}"),
            Err(e) => e,
        }
    }

    #[test]
    fn builds_without_connecting() {
        // Nothing listens on port 1; building must not try.
        let r = build_from_config(
            &json!({"url": "redis://127.0.0.1:1/0", "prefix": "p", "chunk_size": 1000}),
        )
        .unwrap();
        assert_eq!(r.kind(), "redis");
    }

    #[test]
    fn errors_name_the_key() {
        assert!(err(json!({})).contains("missing config key `url`"));
        assert!(err(json!({"url": 3})).contains("`url` must be"));
        assert!(
            err(json!({"url": "redis://h", "bucket": "b"})).contains("unknown config key `bucket`")
        );
        assert!(err(json!("str")).contains("must be a mapping"));
        assert!(err(json!({"url": "nonsense://"})).contains("`url`"));
        assert!(err(json!({"url": "redis://h", "prefix": ""})).contains("`prefix`"));
        assert!(err(json!({"url": "redis://h", "chunk_size": 0})).contains("`chunk_size`"));
        assert!(err(json!({"url": "redis://h", "chunk_size": "1M"})).contains("`chunk_size`"));
    }

    #[test]
    fn is_registered() {
        let f = mirage_core::resource_factories().unwrap();
        assert_eq!(f.get("redis").map(|f| f.config_keys), Some(KEYS));
    }
}
