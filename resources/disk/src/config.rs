//! Building a disk resource from a config block: `{"root": "/path/to/dir"}`.

use std::sync::Arc;

use mirage_core::{Resource, ResourceFactory};

use crate::DiskResource;

const KEYS: &[&str] = &["root"];

fn build_from_config(config: &serde_json::Value) -> Result<Arc<dyn Resource>, String> {
    let map = config
        .as_object()
        .ok_or_else(|| "resource `disk`: config must be a mapping with a `root` key".to_string())?;
    if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "resource `disk`: unknown config key `{unknown}` (known keys: root)"
        ));
    }
    let root = match map.get("root") {
        None => {
            return Err(
                "resource `disk`: missing config key `root` (the directory to mount)".to_string(),
            );
        }
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(other) => {
            return Err(format!(
                "resource `disk`: config key `root` must be a non-empty path string, got {other}"
            ));
        }
    };
    let disk = DiskResource::new(root)
        .map_err(|e| format!("resource `disk`: config key `root`: {root}: {e}"))?;
    Ok(Arc::new(disk))
}

inventory::submit! {
    ResourceFactory { name: "disk", config_keys: KEYS, build: build_from_config }
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
    fn builds_from_a_root() {
        let dir = tempfile::tempdir().unwrap();
        let r = build_from_config(&json!({"root": dir.path().to_str().unwrap()})).unwrap();
        assert_eq!(r.kind(), "disk");
    }

    #[test]
    fn errors_name_the_key() {
        assert!(err(json!({})).contains("missing config key `root`"));
        assert!(err(json!({"root": 3})).contains("`root` must be"));
        assert!(err(json!({"root": "/x", "bucket": "b"})).contains("unknown config key `bucket`"));
        assert!(err(json!("str")).contains("must be a mapping"));
        let e = err(json!({"root": "/definitely/not/here"}));
        assert!(
            e.contains("`root`") && e.contains("No such file or directory"),
            "{e}"
        );
    }

    #[test]
    fn is_registered() {
        let f = mirage_core::resource_factories().unwrap();
        assert_eq!(f.get("disk").map(|f| f.config_keys), Some(KEYS));
    }
}
