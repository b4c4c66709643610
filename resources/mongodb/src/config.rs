//! The `config:` block of a `resource: mongodb` mount.

use std::sync::Arc;

use mirage_core::{Resource, ResourceFactory};

use crate::MongoResource;

const KEYS: &[&str] = &["uri", "databases", "sample_size", "max_documents"];

pub const DEFAULT_SAMPLE_SIZE: u64 = 100;
pub const DEFAULT_MAX_DOCUMENTS: u64 = 100_000;

/// Databases hidden unless named in `databases`: the server's own.
pub const SYSTEM_DATABASES: &[&str] = &["admin", "config", "local"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MongoConfig {
    /// `mongodb://[user:pass@]host[:port][,...]/[?options]`
    pub uri: String,
    /// The databases to expose; `None` exposes every non-system database.
    pub databases: Option<Vec<String>>,
    /// How many documents (the first by `_id`) schema.json is inferred from.
    pub sample_size: u64,
    /// The most documents one read of documents.jsonl may produce.
    pub max_documents: u64,
}

impl MongoConfig {
    /// A config with the defaults for everything but the URI.
    pub fn new(uri: impl Into<String>) -> Self {
        MongoConfig {
            uri: uri.into(),
            databases: None,
            sample_size: DEFAULT_SAMPLE_SIZE,
            max_documents: DEFAULT_MAX_DOCUMENTS,
        }
    }

    pub fn from_json(config: &serde_json::Value) -> Result<Self, String> {
        let map = config.as_object().ok_or_else(|| {
            "resource `mongodb`: config must be a mapping with a `uri` key".to_string()
        })?;
        if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(format!(
                "resource `mongodb`: unknown config key `{unknown}` (known keys: {})",
                KEYS.join(", ")
            ));
        }
        let uri = match map.get("uri") {
            None => {
                return Err(
                    "resource `mongodb`: missing config key `uri` (mongodb://host:port)".into(),
                );
            }
            Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
            Some(other) => {
                return Err(format!(
                    "resource `mongodb`: config key `uri` must be a non-empty string, got {other}"
                ));
            }
        };
        let databases = match map.get("databases") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Array(items)) => {
                let mut names = Vec::with_capacity(items.len());
                for item in items {
                    match item.as_str() {
                        Some(s) if valid_database_name(s) => names.push(s.to_string()),
                        _ => {
                            return Err(format!(
                                "resource `mongodb`: config key `databases` must list database \
                                 names (non-empty, without `/`, `.`, spaces or `\\`), got {item}"
                            ));
                        }
                    }
                }
                names.sort();
                names.dedup();
                Some(names)
            }
            Some(other) => {
                return Err(format!(
                    "resource `mongodb`: config key `databases` must be a list of names, got {other}"
                ));
            }
        };
        let sample_size = positive(map, "sample_size", DEFAULT_SAMPLE_SIZE)?;
        let max_documents = positive(map, "max_documents", DEFAULT_MAX_DOCUMENTS)?;
        Ok(MongoConfig {
            uri,
            databases,
            sample_size,
            max_documents,
        })
    }
}

/// MongoDB's own rules for database names, plus `/`-free so a name is one path component.
pub(crate) fn valid_database_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(['/', '\\', '.', ' ', '"', '$', '\0']) && s.len() < 64
}

fn positive(
    map: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    default: u64,
) -> Result<u64, String> {
    match map.get(key) {
        None | Some(serde_json::Value::Null) => Ok(default),
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "resource `mongodb`: config key `{key}` must be a positive integer, got {v}"
            )),
        },
    }
}

fn build_from_config(config: &serde_json::Value) -> Result<Arc<dyn Resource>, String> {
    let config = MongoConfig::from_json(config)?;
    let resource = MongoResource::new(config).map_err(|e| format!("resource `mongodb`: {e}"))?;
    Ok(Arc::new(resource))
}

inventory::submit! {
    ResourceFactory { name: crate::KIND, config_keys: KEYS, build: build_from_config }
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
    fn defaults_and_keys() {
        let c = MongoConfig::from_json(&json!({"uri": "mongodb://127.0.0.1:1"})).unwrap();
        assert_eq!(c, MongoConfig::new("mongodb://127.0.0.1:1"));
        let c = MongoConfig::from_json(&json!({
            "uri": "mongodb://h", "databases": ["b", "a"], "sample_size": 5, "max_documents": 7
        }))
        .unwrap();
        assert_eq!(c.databases, Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!((c.sample_size, c.max_documents), (5, 7));
    }

    #[test]
    fn errors_name_the_key() {
        assert!(err(json!({})).contains("missing config key `uri`"));
        assert!(err(json!({"uri": 1})).contains("`uri` must be"));
        assert!(err(json!({"uri": "mongodb://h", "x": 1})).contains("unknown config key `x`"));
        assert!(err(json!({"uri": "mongodb://h", "databases": "a"})).contains("`databases`"));
        assert!(err(json!({"uri": "mongodb://h", "databases": ["a/b"]})).contains("`databases`"));
        assert!(err(json!({"uri": "mongodb://h", "sample_size": 0})).contains("`sample_size`"));
        assert!(
            err(json!({"uri": "mongodb://h", "max_documents": -1})).contains("`max_documents`")
        );
        assert!(err(json!("s")).contains("must be a mapping"));
        assert!(err(json!({"uri": "http://h"})).contains("uri"));
        assert!(err(json!({"uri": "mongodb+srv://h"})).contains("mongodb+srv"));
    }
}
