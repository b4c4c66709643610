//! The settings of an SSH mount, read from a config block such as
//!
//! ```yaml
//! resource: ssh
//! config:
//!   host: files.example.com
//!   user: deploy
//!   private_key: ~/.ssh/id_ed25519
//!   known_hosts: ~/.ssh/known_hosts
//!   root: /srv/shared
//! ```
//!
//! and the factory that registers `ssh` with the workspace.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mirage_core::{Resource, ResourceFactory};
use serde_json::{Map, Value};

use crate::SshResource;

/// Config keys `ssh` understands.
pub(crate) const KEYS: &[&str] = &[
    "host",
    "port",
    "user",
    "private_key",
    "passphrase",
    "password",
    "known_hosts",
    "accept_unknown_host_key",
    "root",
    "connect_timeout",
    "timeout",
];

/// Everything needed to reach and authenticate to one SFTP server. Nothing here touches the
/// network; [`SshResource::new`] only reads the key file.
#[derive(Clone, Debug)]
pub struct SshConfig {
    pub host: String,
    /// Default 22.
    pub port: u16,
    pub user: String,
    /// An OpenSSH or PKCS#8 private key file. Tried before `password` when both are given.
    pub private_key: Option<PathBuf>,
    /// Decrypts `private_key` when it is encrypted.
    pub passphrase: Option<String>,
    pub password: Option<String>,
    /// The known_hosts file the host key is checked against; `None` means
    /// `~/.ssh/known_hosts`.
    pub known_hosts: Option<PathBuf>,
    /// Trust a host key that known_hosts does not list (never one that contradicts it).
    pub accept_unknown_host_key: bool,
    /// The remote directory the mount shows; relative paths start at the login directory,
    /// `None` is the login directory itself.
    pub root: Option<String>,
    /// Limit for TCP connect + handshake + authentication + SFTP start.
    pub connect_timeout: Duration,
    /// Limit for any single SFTP request.
    pub request_timeout: Duration,
}

impl SshConfig {
    /// Settings for `user@host:22` with no credentials yet and default timeouts.
    pub fn new(host: impl Into<String>, user: impl Into<String>) -> Self {
        SshConfig {
            host: host.into(),
            port: 22,
            user: user.into(),
            private_key: None,
            passphrase: None,
            password: None,
            known_hosts: None,
            accept_unknown_host_key: false,
            root: None,
            connect_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(30),
        }
    }

    /// `ssh user@host:port`, the name errors give the server by.
    pub(crate) fn label(&self) -> String {
        format!("ssh {}@{}:{}", self.user, self.host, self.port)
    }

    /// Reads a config block (see the module docs).
    pub fn from_json(config: &Value) -> Result<SshConfig, String> {
        let map = config.as_object().ok_or_else(|| {
            "resource `ssh`: config must be a mapping with at least `host` and `user`".to_string()
        })?;
        if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(format!(
                "resource `ssh`: unknown config key `{unknown}` (known keys: {})",
                KEYS.join(", ")
            ));
        }
        let host = string(map, "host")?
            .ok_or_else(|| "resource `ssh`: missing config key `host`".to_string())?;
        let user = match string(map, "user")? {
            Some(u) => u,
            None => std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .map_err(|_| {
                    "resource `ssh`: missing config key `user` (and no $USER to default to)"
                        .to_string()
                })?,
        };
        let mut cfg = SshConfig::new(host, user);
        if let Some(port) = map.get("port") {
            cfg.port = port
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .filter(|p| *p > 0)
                .ok_or_else(|| {
                    format!("resource `ssh`: config key `port` must be a port number, got {port}")
                })?;
        }
        cfg.private_key = string(map, "private_key")?.map(|p| expand_home(&p));
        cfg.passphrase = string(map, "passphrase")?;
        cfg.password = string(map, "password")?;
        cfg.known_hosts = string(map, "known_hosts")?.map(|p| expand_home(&p));
        cfg.root = string(map, "root")?;
        if let Some(v) = map.get("accept_unknown_host_key") {
            cfg.accept_unknown_host_key = v.as_bool().ok_or_else(|| {
                format!(
                    "resource `ssh`: config key `accept_unknown_host_key` must be true or false, got {v}"
                )
            })?;
        }
        if let Some(t) = seconds(map, "connect_timeout")? {
            cfg.connect_timeout = t;
        }
        if let Some(t) = seconds(map, "timeout")? {
            cfg.request_timeout = t;
        }
        if cfg.private_key.is_none() && cfg.password.is_none() {
            return Err(
                "resource `ssh`: give `private_key` (a key file) or `password` to log in with"
                    .to_string(),
            );
        }
        Ok(cfg)
    }
}

/// An optional non-empty string value.
fn string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "resource `ssh`: config key `{key}` must be a non-empty string, got {other}"
        )),
    }
}

/// An optional positive number of seconds.
fn seconds(map: &Map<String, Value>, key: &str) -> Result<Option<Duration>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|s| *s > 0)
            .map(|s| Some(Duration::from_secs(s)))
            .ok_or_else(|| {
                format!(
                    "resource `ssh`: config key `{key}` must be a positive number of seconds, got {v}"
                )
            }),
    }
}

/// `~/x` means the local home directory, as it does in ssh's own config.
pub(crate) fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn build_from_config(config: &Value) -> Result<Arc<dyn Resource>, String> {
    let cfg = SshConfig::from_json(config)?;
    let resource = SshResource::new(cfg).map_err(|e| format!("resource `ssh`: {e}"))?;
    Ok(Arc::new(resource))
}

inventory::submit! {
    ResourceFactory { name: "ssh", config_keys: KEYS, build: build_from_config }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        match SshConfig::from_json(&v) {
            Ok(c) => panic!("expected an error for {v}, got {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn reads_every_key() {
        let c = SshConfig::from_json(&json!({
            "host": "h", "port": 2222, "user": "u", "password": "pw",
            "known_hosts": "/k", "accept_unknown_host_key": true, "root": "/srv",
            "connect_timeout": 3, "timeout": 4
        }))
        .unwrap();
        assert_eq!((c.host.as_str(), c.port, c.user.as_str()), ("h", 2222, "u"));
        assert_eq!(c.password.as_deref(), Some("pw"));
        assert_eq!(c.known_hosts, Some(PathBuf::from("/k")));
        assert!(c.accept_unknown_host_key);
        assert_eq!(c.root.as_deref(), Some("/srv"));
        assert_eq!(c.connect_timeout, Duration::from_secs(3));
        assert_eq!(c.request_timeout, Duration::from_secs(4));
        assert_eq!(c.label(), "ssh u@h:2222");
    }

    #[test]
    fn errors_name_the_key() {
        assert!(err(json!({"user": "u", "password": "p"})).contains("missing config key `host`"));
        assert!(err(json!({"host": "h", "user": "u"})).contains("`private_key`"));
        assert!(
            err(json!({"host": "h", "user": "u", "password": "p", "port": 0})).contains("`port`")
        );
        assert!(
            err(json!({"host": "h", "user": "u", "password": "p", "port": "22"}))
                .contains("`port`")
        );
        assert!(
            err(json!({"host": "h", "user": "u", "password": "p", "bucket": 1}))
                .contains("unknown config key `bucket`")
        );
        assert!(
            err(
                json!({"host": "h", "user": "u", "password": "p", "accept_unknown_host_key": "yes"})
            )
            .contains("accept_unknown_host_key")
        );
        assert!(err(json!("x")).contains("must be a mapping"));
    }

    #[test]
    fn a_missing_key_file_is_a_config_error() {
        let v = json!({"host": "h", "user": "u", "private_key": "/definitely/not/here"});
        match build_from_config(&v) {
            Ok(_) => panic!("built with a missing key file"),
            Err(e) => assert!(e.contains("/definitely/not/here"), "{e}"),
        }
    }

    #[test]
    fn is_registered() {
        let f = mirage_core::resource_factories().unwrap();
        assert_eq!(f.get("ssh").map(|f| f.config_keys), Some(KEYS));
    }
}
