//! Config blocks for `s3` and its presets (`r2`, `gcs`, `oci`, `supabase`, `minio`).
//!
//! Every preset is the same [`S3Config`] with the endpoint and addressing style filled in from
//! the few keys that service needs (an account id, a namespace, a project ref); anything the
//! preset fills can still be overridden with the plain `s3` keys.

use std::sync::Arc;

use mirage_core::{Resource, ResourceFactory};
use serde_json::{Map, Value};

use crate::S3Resource;

/// Below this many bytes a write is one PutObject of the buffered bytes.
pub const DEFAULT_MULTIPART_THRESHOLD: u64 = 8 * 1024 * 1024;
/// Size of each multipart part (S3's minimum, except for the last part, is 5 MiB).
pub const DEFAULT_PART_SIZE: u64 = 8 * 1024 * 1024;
const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// Everything needed to talk to one bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Config {
    /// The registered name this mount was built from (`s3`, `r2`, ...); the resource kind.
    pub kind: &'static str,
    pub bucket: String,
    /// Key prefix the mount's root maps to; empty or ending in `/`.
    pub prefix: String,
    pub region: String,
    /// `None` means AWS itself (virtual-hosted endpoints derived from the region).
    pub endpoint_url: Option<String>,
    pub path_style: bool,
    pub credentials: Option<StaticCredentials>,
    pub multipart_threshold: u64,
    pub part_size: u64,
}

#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for StaticCredentials {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl S3Config {
    /// A config for `bucket` with AWS defaults: region from `AWS_REGION` /
    /// `AWS_DEFAULT_REGION` or us-east-1, credentials from the environment or the shared
    /// credentials file.
    pub fn new(bucket: impl Into<String>) -> Self {
        S3Config {
            kind: "s3",
            bucket: bucket.into(),
            prefix: String::new(),
            region: env_region().unwrap_or_else(|| "us-east-1".to_string()),
            endpoint_url: None,
            path_style: false,
            credentials: None,
            multipart_threshold: DEFAULT_MULTIPART_THRESHOLD,
            part_size: DEFAULT_PART_SIZE,
        }
    }

    /// How the mount names itself in error details: `s3 bucket `b` at http://...`.
    pub fn label(&self) -> String {
        match &self.endpoint_url {
            Some(e) => format!("{} bucket `{}` at {e}", self.kind, self.bucket),
            None => format!("{} bucket `{}` in {}", self.kind, self.bucket, self.region),
        }
    }
}

fn env_region() -> Option<String> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
}

/// Keys shared by every preset.
const COMMON_KEYS: &[&str] = &[
    "bucket",
    "prefix",
    "region",
    "endpoint_url",
    "path_style",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "multipart_threshold",
    "part_size",
];

const S3_KEYS: &[&str] = COMMON_KEYS;
const R2_KEYS: &[&str] = &[
    "bucket",
    "prefix",
    "region",
    "endpoint_url",
    "path_style",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "multipart_threshold",
    "part_size",
    "account_id",
];
const GCS_KEYS: &[&str] = COMMON_KEYS;
const OCI_KEYS: &[&str] = &[
    "bucket",
    "prefix",
    "region",
    "endpoint_url",
    "path_style",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "multipart_threshold",
    "part_size",
    "namespace",
];
const SUPABASE_KEYS: &[&str] = &[
    "bucket",
    "prefix",
    "region",
    "endpoint_url",
    "path_style",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "multipart_threshold",
    "part_size",
    "project_ref",
];
const MINIO_KEYS: &[&str] = COMMON_KEYS;

/// Reads a config block as the named preset would.
pub fn parse(kind: &'static str, config: &Value) -> Result<S3Config, String> {
    let keys = match kind {
        "s3" => S3_KEYS,
        "r2" => R2_KEYS,
        "gcs" => GCS_KEYS,
        "oci" => OCI_KEYS,
        "supabase" => SUPABASE_KEYS,
        "minio" => MINIO_KEYS,
        other => return Err(format!("unknown S3 preset `{other}`")),
    };
    let empty = Map::new();
    let map = match config {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => {
            return Err(format!(
                "resource `{kind}`: config must be a mapping with a `bucket` key"
            ));
        }
    };
    if let Some(unknown) = map.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(format!(
            "resource `{kind}`: unknown config key `{unknown}` (known keys: {})",
            keys.join(", ")
        ));
    }
    let get = Getter { kind, map };
    let bucket = get
        .string("bucket")?
        .ok_or_else(|| format!("resource `{kind}`: missing config key `bucket`"))?;
    let mut cfg = S3Config::new(bucket);
    cfg.kind = kind;

    // Preset defaults first; explicit keys below override them.
    match kind {
        "r2" => {
            cfg.region = "auto".to_string();
            if let Some(account) = get.string("account_id")? {
                check_host_label(kind, "account_id", &account)?;
                cfg.endpoint_url = Some(format!("https://{account}.r2.cloudflarestorage.com"));
            }
            // R2 serves both styles; path-style works for every bucket name.
            cfg.path_style = true;
        }
        "gcs" => {
            cfg.region = "auto".to_string();
            cfg.endpoint_url = Some("https://storage.googleapis.com".to_string());
            cfg.path_style = true;
        }
        "oci" => {
            let namespace = get.string("namespace")?;
            let region = get.string("region")?;
            if let (Some(ns), Some(region)) = (namespace, region) {
                check_host_label(kind, "namespace", &ns)?;
                check_host_label(kind, "region", &region)?;
                cfg.endpoint_url = Some(format!(
                    "https://{ns}.compat.objectstorage.{region}.oraclecloud.com"
                ));
            }
            cfg.path_style = true;
        }
        "supabase" => {
            if let Some(project) = get.string("project_ref")? {
                check_host_label(kind, "project_ref", &project)?;
                cfg.endpoint_url = Some(format!("https://{project}.supabase.co/storage/v1/s3"));
            }
            cfg.path_style = true;
        }
        "minio" => {
            cfg.path_style = true;
        }
        _ => {}
    }

    if let Some(region) = get.string("region")? {
        cfg.region = region;
    }
    if let Some(url) = get.string("endpoint_url")? {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "resource `{kind}`: config key `endpoint_url` must start with http:// or https://, got `{url}`"
            ));
        }
        cfg.endpoint_url = Some(url.trim_end_matches('/').to_string());
    }
    if let Some(b) = get.bool("path_style")? {
        cfg.path_style = b;
    }
    if let Some(prefix) = get.string("prefix")? {
        cfg.prefix = normalise_prefix(&prefix);
    }
    cfg.multipart_threshold = get
        .size("multipart_threshold")?
        .unwrap_or(DEFAULT_MULTIPART_THRESHOLD);
    cfg.part_size = get.size("part_size")?.unwrap_or(DEFAULT_PART_SIZE);
    if !(MIN_PART_SIZE..=MAX_PART_SIZE).contains(&cfg.part_size) {
        return Err(format!(
            "resource `{kind}`: config key `part_size` must be between 5 MiB and 5 GiB, got {}",
            cfg.part_size
        ));
    }

    let key_id = get.string("access_key_id")?;
    let secret = get.string("secret_access_key")?;
    let token = get.string("session_token")?;
    cfg.credentials = match (key_id, secret) {
        (Some(access_key_id), Some(secret_access_key)) => Some(StaticCredentials {
            access_key_id,
            secret_access_key,
            session_token: token,
        }),
        (None, None) if token.is_none() => None,
        _ => {
            return Err(format!(
                "resource `{kind}`: `access_key_id` and `secret_access_key` go together"
            ));
        }
    };

    // Presets whose endpoint depends on a key cannot work without it.
    if cfg.endpoint_url.is_none() {
        let need = match kind {
            "r2" => Some("`account_id` (or `endpoint_url`)"),
            "oci" => Some("`namespace` and `region` (or `endpoint_url`)"),
            "supabase" => Some("`project_ref` (or `endpoint_url`)"),
            "minio" => Some("`endpoint_url`"),
            _ => None,
        };
        if let Some(need) = need {
            return Err(format!("resource `{kind}`: missing config key {need}"));
        }
    }
    Ok(cfg)
}

/// `a/b` and `/a/b/` both become `a/b/`; empty stays empty.
fn normalise_prefix(p: &str) -> String {
    let parts: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

/// Values spliced into a host name must not be able to change which host it is.
fn check_host_label(kind: &str, key: &str, v: &str) -> Result<(), String> {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(())
    } else {
        Err(format!(
            "resource `{kind}`: config key `{key}` must be letters, digits, `-` or `_`, got `{v}`"
        ))
    }
}

struct Getter<'a> {
    kind: &'static str,
    map: &'a Map<String, Value>,
}

impl Getter<'_> {
    fn string(&self, key: &str) -> Result<Option<String>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "resource `{}`: config key `{key}` must be a non-empty string, got {other}",
                self.kind
            )),
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(format!(
                "resource `{}`: config key `{key}` must be true or false, got {other}",
                self.kind
            )),
        }
    }

    /// A byte count: a number, or a string like `16MiB`, `8 MB`, `5242880`.
    fn size(&self, key: &str) -> Result<Option<u64>, String> {
        let bad = |v: &Value| {
            format!(
                "resource `{}`: config key `{key}` must be a byte count such as 8388608 or \"8MiB\", got {v}",
                self.kind
            )
        };
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v @ Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| bad(v)),
            Some(v @ Value::String(s)) => parse_size(s).map(Some).ok_or_else(|| bad(v)),
            Some(v) => Err(bad(v)),
        }
    }
}

fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn build(kind: &'static str, config: &Value) -> Result<Arc<dyn Resource>, String> {
    let cfg = parse(kind, config)?;
    Ok(Arc::new(S3Resource::new(cfg)))
}

fn build_s3(c: &Value) -> Result<Arc<dyn Resource>, String> {
    build("s3", c)
}
fn build_r2(c: &Value) -> Result<Arc<dyn Resource>, String> {
    build("r2", c)
}
fn build_gcs(c: &Value) -> Result<Arc<dyn Resource>, String> {
    build("gcs", c)
}
fn build_oci(c: &Value) -> Result<Arc<dyn Resource>, String> {
    build("oci", c)
}
fn build_supabase(c: &Value) -> Result<Arc<dyn Resource>, String> {
    build("supabase", c)
}
fn build_minio(c: &Value) -> Result<Arc<dyn Resource>, String> {
    build("minio", c)
}

inventory::submit! { ResourceFactory { name: "s3", config_keys: S3_KEYS, build: build_s3 } }
inventory::submit! { ResourceFactory { name: "r2", config_keys: R2_KEYS, build: build_r2 } }
inventory::submit! { ResourceFactory { name: "gcs", config_keys: GCS_KEYS, build: build_gcs } }
inventory::submit! { ResourceFactory { name: "oci", config_keys: OCI_KEYS, build: build_oci } }
inventory::submit! {
    ResourceFactory { name: "supabase", config_keys: SUPABASE_KEYS, build: build_supabase }
}
inventory::submit! { ResourceFactory { name: "minio", config_keys: MINIO_KEYS, build: build_minio } }

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(kind: &'static str, v: Value) -> S3Config {
        match parse(kind, &v) {
            Ok(c) => c,
            Err(e) => panic!("{kind} {v}: {e}"),
        }
    }

    fn err(kind: &'static str, v: Value) -> String {
        match parse(kind, &v) {
            Ok(c) => panic!("expected an error for {kind} {v}, got {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_s3() {
        let c = ok(
            "s3",
            json!({"bucket": "b", "prefix": "/logs//2024", "region": "eu-west-1",
                   "access_key_id": "AK", "secret_access_key": "SK",
                   "multipart_threshold": "16MiB", "part_size": 6291456}),
        );
        assert_eq!(c.kind, "s3");
        assert_eq!(c.prefix, "logs/2024/");
        assert_eq!(c.region, "eu-west-1");
        assert_eq!(c.endpoint_url, None);
        assert!(!c.path_style);
        assert_eq!(c.multipart_threshold, 16 << 20);
        assert_eq!(c.part_size, 6 << 20);
        let creds = c.credentials.unwrap();
        assert_eq!(creds.access_key_id, "AK");
        assert!(!format!("{creds:?}").contains("SK"));
    }

    #[test]
    fn r2_preset() {
        let c = ok("r2", json!({"bucket": "b", "account_id": "abc123"}));
        assert_eq!(
            c.endpoint_url.as_deref(),
            Some("https://abc123.r2.cloudflarestorage.com")
        );
        assert_eq!(c.region, "auto");
        assert_eq!(c.kind, "r2");
        assert!(err("r2", json!({"bucket": "b"})).contains("account_id"));
        assert!(
            err("r2", json!({"bucket": "b", "account_id": "evil.com/x"})).contains("account_id")
        );
    }

    #[test]
    fn gcs_preset() {
        let c = ok(
            "gcs",
            json!({"bucket": "b", "access_key_id": "GOOG1", "secret_access_key": "s"}),
        );
        assert_eq!(
            c.endpoint_url.as_deref(),
            Some("https://storage.googleapis.com")
        );
        assert!(c.path_style);
    }

    #[test]
    fn oci_preset() {
        let c = ok(
            "oci",
            json!({"bucket": "b", "namespace": "axaxnpcrorw5", "region": "us-ashburn-1"}),
        );
        assert_eq!(
            c.endpoint_url.as_deref(),
            Some("https://axaxnpcrorw5.compat.objectstorage.us-ashburn-1.oraclecloud.com")
        );
        assert_eq!(c.region, "us-ashburn-1");
        assert!(c.path_style);
        assert!(err("oci", json!({"bucket": "b", "namespace": "n"})).contains("namespace"));
    }

    #[test]
    fn supabase_preset() {
        let c = ok(
            "supabase",
            json!({"bucket": "b", "project_ref": "abcdefgh"}),
        );
        assert_eq!(
            c.endpoint_url.as_deref(),
            Some("https://abcdefgh.supabase.co/storage/v1/s3")
        );
        assert!(c.path_style);
    }

    #[test]
    fn minio_preset() {
        let c = ok(
            "minio",
            json!({"bucket": "b", "endpoint_url": "http://127.0.0.1:9000/"}),
        );
        assert_eq!(c.endpoint_url.as_deref(), Some("http://127.0.0.1:9000"));
        assert!(c.path_style);
        assert!(err("minio", json!({"bucket": "b"})).contains("endpoint_url"));
    }

    #[test]
    fn errors_name_the_key() {
        assert!(err("s3", json!({})).contains("missing config key `bucket`"));
        assert!(err("s3", json!({"bucket": 3})).contains("`bucket` must be"));
        assert!(
            err("s3", json!({"bucket": "b", "root": "/"})).contains("unknown config key `root`")
        );
        assert!(
            err("s3", json!({"bucket": "b", "account_id": "x"})).contains("unknown config key")
        );
        assert!(err("s3", json!({"bucket": "b", "path_style": "yes"})).contains("true or false"));
        assert!(err("s3", json!({"bucket": "b", "part_size": 1024})).contains("part_size"));
        assert!(err("s3", json!({"bucket": "b", "part_size": "lots"})).contains("byte count"));
        assert!(err("s3", json!({"bucket": "b", "access_key_id": "a"})).contains("go together"));
        assert!(err("s3", json!({"bucket": "b", "endpoint_url": "ftp://x"})).contains("http://"));
        assert!(err("s3", json!("b")).contains("mapping"));
    }

    #[test]
    fn every_preset_is_registered() {
        let f = mirage_core::resource_factories().unwrap();
        for name in ["s3", "r2", "gcs", "oci", "supabase", "minio"] {
            assert!(f.contains_key(name), "{name} not registered");
        }
        assert_eq!(f.get("r2").map(|f| f.config_keys), Some(R2_KEYS));
    }

    #[test]
    fn presets_build() {
        // Building never touches the network, so every preset builds offline.
        let f = mirage_core::resource_factories().unwrap();
        for (name, cfg) in [
            ("s3", json!({"bucket": "b"})),
            ("r2", json!({"bucket": "b", "account_id": "a"})),
            ("gcs", json!({"bucket": "b"})),
            (
                "oci",
                json!({"bucket": "b", "namespace": "n", "region": "r"}),
            ),
            ("supabase", json!({"bucket": "b", "project_ref": "p"})),
            (
                "minio",
                json!({"bucket": "b", "endpoint_url": "http://127.0.0.1:1"}),
            ),
        ] {
            let r = (f[name].build)(&cfg).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(r.kind(), name);
        }
    }
}
