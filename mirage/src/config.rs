//! YAML configuration: mounts built through the inventory registry by resource name.
//!
//! ```yaml
//! cache: { type: redis, url: "redis://127.0.0.1:6379/0", limit: 8GB }
//! index: { type: redis, url: "redis://127.0.0.1:6379/0", ttl: 600 }
//! mounts:
//!   /data:
//!     resource: disk
//!     mode: read
//!     config: { root: ${DATA_DIR} }
//!   /s3:
//!     resource: s3
//!     ttl: 60                # index TTL for this mount (seconds; 0 turns it off)
//!     read_policy: fresh     # or bounded (default)
//!     file_cache: true
//! ```
//!
//! `${VAR}` in any string value is replaced from the environment. Unknown keys, unknown
//! resources and undefined variables are refused with one message naming all of them, because
//! a typo that silently mounts the wrong thing is worse than no mount.

use std::collections::BTreeSet;
use std::time::Duration;

use mirage_cache::{FileCacheConfig, IndexConfig, ReadPolicy};
use mirage_core::{MountMode, resource_factories};
use serde_json::Value;

use crate::error::Error;
use crate::workspace::{MountOptions, WorkspaceBuilder};

const TOP_KEYS: &[&str] = &["mounts", "cache", "index"];
const MOUNT_KEYS: &[&str] = &[
    "resource",
    "mode",
    "config",
    "ttl",
    "read_policy",
    "file_cache",
];

/// Replaces `${VAR}` in every string, collecting undefined names.
fn interpolate(
    v: &mut Value,
    lookup: &dyn Fn(&str) -> Option<String>,
    missing: &mut BTreeSet<String>,
) {
    match v {
        Value::String(s) => {
            let mut out = String::with_capacity(s.len());
            let mut rest = s.as_str();
            while let Some(i) = rest.find("${") {
                out.push_str(&rest[..i]);
                match rest[i + 2..].find('}') {
                    Some(j) => {
                        let name = &rest[i + 2..i + 2 + j];
                        match lookup(name) {
                            Some(val) => out.push_str(&val),
                            None => {
                                missing.insert(name.to_string());
                            }
                        }
                        rest = &rest[i + 3 + j..];
                    }
                    None => {
                        out.push_str(&rest[i..]);
                        rest = "";
                    }
                }
            }
            out.push_str(rest);
            *s = out;
        }
        Value::Array(a) => a.iter_mut().for_each(|x| interpolate(x, lookup, missing)),
        Value::Object(m) => m.values_mut().for_each(|x| interpolate(x, lookup, missing)),
        _ => {}
    }
}

/// Parses a YAML config into a builder, using `lookup` for `${VAR}` (the environment in the
/// CLI; injectable for tests).
pub fn builder_from_yaml(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<WorkspaceBuilder, Error> {
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| Error::Config(format!("invalid YAML: {e}")))?;
    let mut root: Value = serde_json::to_value(yaml)
        .map_err(|e| Error::Config(format!("unsupported YAML value: {e}")))?;
    let mut missing = BTreeSet::new();
    interpolate(&mut root, lookup, &mut missing);
    if !missing.is_empty() {
        let names: Vec<String> = missing.into_iter().collect();
        return Err(Error::Config(format!(
            "undefined variables: {}",
            names.join(", ")
        )));
    }
    let Value::Object(top) = root else {
        return Err(Error::Config(
            "the top level must be a mapping with `mounts` (and optionally `cache`, `index`)"
                .to_string(),
        ));
    };
    let unknown: Vec<&String> = top
        .keys()
        .filter(|k| !TOP_KEYS.contains(&k.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Config(format!("unknown keys: {}", join(&unknown))));
    }
    let factories = resource_factories().map_err(Error::Config)?;
    let mounts = match top.get("mounts") {
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return Err(Error::Config(
                "`mounts` must be a mapping of prefix to mount".to_string(),
            ));
        }
        None => Default::default(),
    };
    let mut problems = Vec::new();
    let mut builder = WorkspaceBuilder::default();
    if let Some(v) = top.get("cache") {
        match FileCacheConfig::from_value(v) {
            Ok(c) => builder = builder.file_cache(c),
            Err(e) => problems.push(e),
        }
    }
    if let Some(v) = top.get("index") {
        match IndexConfig::from_value(v) {
            Ok(c) => builder = builder.index(c),
            Err(e) => problems.push(e),
        }
    }
    for (prefix, spec) in &mounts {
        let Value::Object(spec) = spec else {
            problems.push(format!("mount {prefix}: must be a mapping"));
            continue;
        };
        let unknown: Vec<&String> = spec
            .keys()
            .filter(|k| !MOUNT_KEYS.contains(&k.as_str()))
            .collect();
        if !unknown.is_empty() {
            problems.push(format!("mount {prefix}: unknown keys: {}", join(&unknown)));
            continue;
        }
        let Some(kind) = spec.get("resource").and_then(Value::as_str) else {
            problems.push(format!("mount {prefix}: missing `resource`"));
            continue;
        };
        let Some(factory) = factories.get(kind) else {
            let known: Vec<&str> = factories.keys().copied().collect();
            problems.push(format!(
                "mount {prefix}: unknown resource `{kind}` (available: {})",
                known.join(", ")
            ));
            continue;
        };
        let mode = match spec.get("mode") {
            None => MountMode::Write,
            Some(Value::String(m)) => match m.parse::<MountMode>() {
                Ok(m) => m,
                Err(e) => {
                    problems.push(format!("mount {prefix}: {e}"));
                    continue;
                }
            },
            Some(_) => {
                problems.push(format!("mount {prefix}: `mode` must be read or write"));
                continue;
            }
        };
        let config = spec.get("config").cloned().unwrap_or(Value::Null);
        if let Value::Object(c) = &config {
            let unknown: Vec<&String> = c
                .keys()
                .filter(|k| !factory.config_keys.contains(&k.as_str()))
                .collect();
            if !unknown.is_empty() {
                problems.push(format!(
                    "mount {prefix}: unknown config keys for `{kind}`: {} (known: {})",
                    join(&unknown),
                    factory.config_keys.join(", ")
                ));
                continue;
            }
        }
        let options = match mount_options(spec) {
            Ok(o) => o,
            Err(e) => {
                problems.push(format!("mount {prefix}: {e}"));
                continue;
            }
        };
        match (factory.build)(&config) {
            Ok(r) => builder = builder.mount_with(prefix, r, mode, options),
            Err(e) => problems.push(format!("mount {prefix}: {e}")),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Config(problems.join("; ")));
    }
    Ok(builder)
}

/// The cache keys of one mount (`ttl`, `read_policy`, `file_cache`).
fn mount_options(spec: &serde_json::Map<String, Value>) -> Result<MountOptions, String> {
    let mut o = MountOptions::default();
    if let Some(v) = spec.get("ttl") {
        let secs = v
            .as_u64()
            .ok_or("`ttl` must be a whole number of seconds")?;
        o.ttl = Some(Duration::from_secs(secs));
    }
    if let Some(v) = spec.get("read_policy") {
        let text = v.as_str().ok_or("`read_policy` must be bounded or fresh")?;
        o.read_policy = Some(text.parse::<ReadPolicy>()?);
    }
    if let Some(v) = spec.get("file_cache") {
        o.file_cache = Some(v.as_bool().ok_or("`file_cache` must be true or false")?);
    }
    Ok(o)
}

fn join(keys: &[&String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Builds a resource by name from a JSON config (used by the CLI's `--mount` specs too).
pub fn build_resource(
    kind: &str,
    config: &Value,
) -> Result<std::sync::Arc<dyn mirage_core::Resource>, Error> {
    let factories = resource_factories().map_err(Error::Config)?;
    let f = factories.get(kind).ok_or_else(|| {
        let known: Vec<&str> = factories.keys().copied().collect();
        Error::Config(format!(
            "unknown resource `{kind}` (available: {})",
            known.join(", ")
        ))
    })?;
    (f.build)(config).map_err(Error::Config)
}

/// The registered resource names, sorted.
pub fn registered_resources() -> Vec<&'static str> {
    resource_factories()
        .map(|m| m.keys().copied().collect())
        .unwrap_or_default()
}

#[doc(hidden)]
pub fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}
