//! `ssh`: a directory on a remote host, reached over SSH and served by its SFTP subsystem.
//!
//! ```no_run
//! use mirage_resource_ssh::{SshConfig, SshResource};
//! let mut cfg = SshConfig::new("files.example.com", "deploy");
//! cfg.private_key = Some("/home/me/.ssh/id_ed25519".into());
//! cfg.root = Some("/srv/shared".into());
//! let remote = SshResource::new(cfg)?; // no network yet: the first operation connects
//! # let _ = remote;
//! # Ok::<(), String>(())
//! ```
//!
//! In a YAML config: `resource: ssh` with the keys `host`, `port` (22), `user`, `private_key`
//! (+ `passphrase`) and/or `password`, `known_hosts` (`~/.ssh/known_hosts`),
//! `accept_unknown_host_key` (false), `root` (the login directory), `connect_timeout` (15 s) and
//! `timeout` (30 s per request). See [`config`](SshConfig).
//!
//! How the operations map onto SFTP (v3, as OpenSSH speaks it):
//!
//! | Resource       | SFTP                                                                |
//! |----------------|---------------------------------------------------------------------|
//! | `stat`         | `STAT` (symlinks followed: a remote link looks like its target)     |
//! | `list`         | `OPENDIR` + `READDIR` until EOF (+ one `STAT` per symlink)          |
//! | `read`         | `OPEN` + pipelined `READ`s from the range's start (module `reader`)      |
//! | `write`        | `OPEN` a hidden temporary file, pipelined 32 KiB `WRITE`s, rename over the target (module `writer`); appends write in place |
//! | `mkdir`, `remove_file`, `remove_dir` | `MKDIR`, `REMOVE`, `RMDIR`                    |
//! | `rename`       | `posix-rename@openssh.com` (replaces atomically), else `RENAME` after clearing the destination |
//! | `set_modified` | `SETSTAT` of the times (whole seconds, access time kept)            |
//! | `set_mode`     | `SETSTAT` of the permission bits                                    |
//! | `copy`         | not offered: SFTP v3 has no server-side copy, so the workspace streams |
//!
//! Paths are joined onto the resolved root lexically; virtual paths cannot contain `..`, so no
//! request names anything outside the root (symlinks on the server are followed by the server,
//! which grants the account nothing it did not have).
//!
//! The host key is checked against known_hosts before any credential is sent (see
//! `client::host_key`); the connection is opened on first use, shared by all operations (and
//! by every mount made with [`SshResource::at_root`]), reopened once if it dropped, and every
//! step has a timeout (see `client`). Crypto is
//! russh's `ring` backend; RSA keys need this crate's `rsa` feature.

mod client;
mod config;
mod error;
mod lister;
mod meta;
mod ops;
mod probe;
mod reader;
mod writer;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, FileStat, FsResult, Resource, VPath,
    WriteMode, async_trait,
};

pub use config::SshConfig;

use client::{Client, Pool};

/// A remote directory served over SFTP.
#[derive(Clone)]
pub struct SshResource {
    client: Arc<Client>,
}

impl SshResource {
    /// Prepares the mount without connecting. Reads (and decrypts) the private key file now,
    /// so a wrong path or passphrase is a configuration error, not a failure of the first
    /// command.
    pub fn new(cfg: SshConfig) -> Result<Self, String> {
        let key = match &cfg.private_key {
            Some(path) => Some(Arc::new(
                russh::keys::load_secret_key(path, cfg.passphrase.as_deref())
                    .map_err(|e| format!("private_key {}: {e}", path.display()))?,
            )),
            None => None,
        };
        let root = cfg.root.clone();
        let pool = Arc::new(Pool::new(cfg, key));
        Ok(SshResource {
            client: Arc::new(Client::new(pool, root)),
        })
    }

    /// Another directory of the same server as its own resource, sharing this one's connection
    /// (no second handshake). `root` is absolute, or relative to the login directory.
    pub fn at_root(&self, root: impl Into<String>) -> SshResource {
        SshResource {
            client: Arc::new(Client::new(self.client.pool().clone(), Some(root.into()))),
        }
    }

    /// The settings this mount was made with (`root` as first configured; see
    /// [`at_root`](Self::at_root) for this resource's own).
    pub fn config(&self) -> &SshConfig {
        self.client.pool().config()
    }
}

impl std::fmt::Debug for SshResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshResource")
            .field("server", &self.config().label())
            .field("root", &self.client.root())
            .finish()
    }
}

#[async_trait]
impl Resource for SshResource {
    fn kind(&self) -> &str {
        "ssh"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            copy: false,
            ..Capabilities::all()
        }
    }

    /// Round trips are costly and other clients change the tree rarely: a minute of index,
    /// bytes cached. Directories are real, so a listing does not stand in for a stat.
    fn cache_hints(&self) -> CacheHints {
        CacheHints {
            index_ttl: Duration::from_secs(60),
            file_cache: true,
            synthetic_dirs: false,
        }
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        self.client
            .run(|conn| async move { ops::stat(&conn, path).await })
            .await
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.client
            .run(|conn| async move { lister::list(conn, path).await })
            .await
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        self.client
            .run(|conn| async move { reader::open(conn, path, range).await })
            .await
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        if path.is_root() {
            return Err(mirage_core::FsError::is_dir());
        }
        match mode {
            WriteMode::Truncate => writer::write_truncate(&self.client, path, data).await,
            WriteMode::Append => writer::write_append(&self.client, path, data).await,
        }
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        self.client
            .run(|conn| async move { ops::mkdir(&conn, path).await })
            .await
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        self.client
            .run(|conn| async move { ops::remove_file(&conn, path).await })
            .await
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        self.client
            .run(|conn| async move { ops::remove_dir(&conn, path).await })
            .await
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.client
            .run(|conn| async move { ops::rename(&conn, from, to).await })
            .await
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        self.client
            .run(|conn| async move { ops::set_modified(&conn, path, time).await })
            .await
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        self.client
            .run(|conn| async move { ops::set_mode(&conn, path, mode).await })
            .await
    }
}
