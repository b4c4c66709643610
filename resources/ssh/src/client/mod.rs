//! The connection behind a mount: one SSH session carrying one SFTP channel, opened on first use
//! (building a resource is synchronous and must not touch the network) and shared by every
//! operation, and by every mount made from the same resource with `SshResource::at_root`. SFTP requests carry ids, so concurrent operations pipeline over the one channel
//! instead of queueing behind a lock; the mutex only guards replacing a dead connection.
//!
//! A connection that dropped (server restarted, idle NAT timeout) is noticed either before use
//! (the SSH handle reports it closed) or by the request that hit it; that request is retried
//! once on a fresh connection. A request that timed out is not retried: a server that hangs
//! would only hang again, and the caller should hear about it within one timeout.

mod connect;
mod handle;
mod host_key;
mod root;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use mirage_core::{ErrorKind, FsError, FsResult, VPath};
use russh::keys::PrivateKey;
use russh_sftp::client::RawSftpSession;
use tokio::sync::{Mutex, OnceCell};

use crate::config::SshConfig;

pub(crate) use handle::OpenHandle;

/// Connection health, as learnt from the requests that used it.
const HEALTHY: u8 = 0;
const LOST: u8 = 1;
const TIMED_OUT: u8 = 2;

/// One live SSH connection and its SFTP channel.
pub(crate) struct Session {
    pub(crate) sftp: RawSftpSession,
    /// The server speaks `posix-rename@openssh.com` (atomic replace).
    pub(crate) posix_rename: bool,
    /// Bytes asked for by one read request.
    pub(crate) read_chunk: u32,
    /// Bytes sent by one write request: small, because large single writes stall russh-sftp
    /// and many servers cap them anyway.
    pub(crate) write_chunk: usize,
    /// `ssh user@host:port`, prefixed to network errors.
    pub(crate) label: Arc<str>,
    pub(crate) request_timeout_secs: u64,
    health: AtomicU8,
    /// Keeps the SSH session (and with it the channel) alive.
    ssh: russh::client::Handle<host_key::HostKeyCheck>,
}

impl Session {
    fn usable(&self) -> bool {
        self.health.load(Ordering::Relaxed) == HEALTHY && !self.ssh.is_closed()
    }

    pub(crate) fn mark_lost(&self) {
        let _ = self
            .health
            .compare_exchange(HEALTHY, LOST, Ordering::Relaxed, Ordering::Relaxed);
    }

    pub(crate) fn mark_timed_out(&self) {
        self.health.store(TIMED_OUT, Ordering::Relaxed);
    }

    /// The connection broke under a request (not a timeout): worth one retry.
    fn retryable(&self) -> bool {
        let h = self.health.load(Ordering::Relaxed);
        h == LOST || (h == HEALTHY && self.ssh.is_closed())
    }
}

/// A session seen from one mount: requests name paths under the mount's root.
#[derive(Clone)]
pub(crate) struct Conn {
    session: Arc<Session>,
    /// Absolute remote path of the mount's root, without a trailing slash (`/` stays `/`).
    root: Arc<str>,
}

impl std::ops::Deref for Conn {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

impl Conn {
    /// The remote path of `path`. VPaths are normalised (no `..`), so the result always lies
    /// under the root.
    pub(crate) fn remote(&self, path: &VPath) -> String {
        if path.is_root() {
            self.root.to_string()
        } else if &*self.root == "/" {
            path.as_str().to_string()
        } else {
            format!("{}{}", self.root, path.as_str())
        }
    }
}

/// The connection to one server, opened on first use and replaced when it dies; shared by
/// every mount made from the same [`crate::SshResource`] (see `SshResource::at_root`).
pub(crate) struct Pool {
    cfg: SshConfig,
    key: Option<Arc<PrivateKey>>,
    current: Mutex<Option<Arc<Session>>>,
}

impl Pool {
    pub(crate) fn new(cfg: SshConfig, key: Option<Arc<PrivateKey>>) -> Self {
        Pool {
            cfg,
            key,
            current: Mutex::new(None),
        }
    }

    pub(crate) fn config(&self) -> &SshConfig {
        &self.cfg
    }

    /// The live session, opened (or reopened) if needed.
    async fn session(&self) -> FsResult<Arc<Session>> {
        let mut current = self.current.lock().await;
        if let Some(s) = current.as_ref().filter(|s| s.usable()) {
            return Ok(s.clone());
        }
        *current = None;
        let session = Arc::new(connect::connect(&self.cfg, self.key.clone()).await?);
        *current = Some(session.clone());
        Ok(session)
    }

    /// Drops `stale` so the next caller reconnects (unless someone already replaced it).
    async fn forget(&self, stale: &Arc<Session>) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|s| Arc::ptr_eq(s, stale)) {
            *current = None;
        }
    }
}

/// One mount's access to a [`Pool`]: the pool plus the mount's root, resolved to an absolute
/// directory on first use.
pub(crate) struct Client {
    pool: Arc<Pool>,
    /// The configured root (`None`: the login directory).
    root: Option<String>,
    resolved: OnceCell<Arc<str>>,
}

impl Client {
    pub(crate) fn new(pool: Arc<Pool>, root: Option<String>) -> Self {
        Client {
            pool,
            root,
            resolved: OnceCell::new(),
        }
    }

    pub(crate) fn pool(&self) -> &Arc<Pool> {
        &self.pool
    }

    pub(crate) fn root(&self) -> Option<&str> {
        self.root.as_deref()
    }

    /// Runs `op` on the connection; when the connection broke under it, reconnects and runs it
    /// once more. `op` should be a whole request (or the opening of a stream), never a
    /// half-done transfer.
    pub(crate) async fn run<T, F, Fut>(&self, op: F) -> FsResult<T>
    where
        F: Fn(Conn) -> Fut,
        Fut: Future<Output = FsResult<T>>,
    {
        let session = self.pool.session().await?;
        match self.attempt(&session, &op).await {
            Err(e) if e.kind == ErrorKind::Network && session.retryable() => {
                self.pool.forget(&session).await;
                let fresh = self.pool.session().await?;
                self.attempt(&fresh, &op).await
            }
            Err(e) if e.kind == ErrorKind::Network && !session.usable() => {
                self.pool.forget(&session).await;
                Err(e)
            }
            other => other,
        }
    }

    async fn attempt<T, F, Fut>(&self, session: &Arc<Session>, op: &F) -> FsResult<T>
    where
        F: Fn(Conn) -> Fut,
        Fut: Future<Output = FsResult<T>>,
    {
        let root = self
            .resolved
            .get_or_try_init(|| root::resolve(session, self.root.as_deref()))
            .await?
            .clone();
        op(Conn {
            session: session.clone(),
            root,
        })
        .await
    }
}

/// A network failure naming the server.
pub(crate) fn network(label: &str, what: impl std::fmt::Display) -> FsError {
    FsError::with_detail(ErrorKind::Network, format!("{label}: {what}"))
}
