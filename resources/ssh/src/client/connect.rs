//! Opening a connection: TCP, SSH handshake with the host key check, authentication, and the
//! SFTP subsystem. The whole sequence runs
//! under `connect_timeout`, so a host that accepts TCP but never answers cannot hang a command.

use std::sync::atomic::AtomicU8;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mirage_core::{ErrorKind, FsError, FsResult};
use russh::client;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh_sftp::client::RawSftpSession;

use super::host_key::HostKeyCheck;
use super::{HEALTHY, Session, network};
use crate::config::{SshConfig, expand_home};

/// Asked for by one read request (OpenSSH serves up to 256 KiB; 64 KiB keeps latency low).
const READ_CHUNK: u32 = 64 * 1024;
/// Sent by one write request.
const WRITE_CHUNK: usize = 32 * 1024;

const POSIX_RENAME: &str = "posix-rename@openssh.com";
const LIMITS: &str = "limits@openssh.com";

/// Connects, authenticates and starts SFTP, all within the configured connect timeout.
pub(super) async fn connect(cfg: &SshConfig, key: Option<Arc<PrivateKey>>) -> FsResult<Session> {
    let label: Arc<str> = cfg.label().into();
    let secs = cfg.connect_timeout.as_secs();
    match tokio::time::timeout(cfg.connect_timeout, establish(cfg, key, label.clone())).await {
        Ok(result) => result,
        Err(_) => Err(network(
            &label,
            format!("no answer within {secs} s while connecting"),
        )),
    }
}

async fn establish(
    cfg: &SshConfig,
    key: Option<Arc<PrivateKey>>,
    label: Arc<str>,
) -> FsResult<Session> {
    let tcp = tokio::net::TcpStream::connect((cfg.host.as_str(), cfg.port))
        .await
        .map_err(|e| network(&label, e))?;
    let _ = tcp.set_nodelay(true);

    let refusal = Arc::new(Mutex::new(None));
    let check = HostKeyCheck {
        host: cfg.host.clone(),
        port: cfg.port,
        known_hosts: cfg
            .known_hosts
            .clone()
            .unwrap_or_else(|| expand_home("~/.ssh/known_hosts")),
        accept_unknown: cfg.accept_unknown_host_key,
        refusal: refusal.clone(),
    };
    let config = Arc::new(client::Config {
        // Notice a silently dead peer while idle instead of at the next command's timeout.
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    });
    let mut ssh = match client::connect_stream(config, tcp, check).await {
        Ok(h) => h,
        Err(e) => {
            let reason = refusal.lock().ok().and_then(|mut r| r.take());
            return Err(network(
                &label,
                reason.unwrap_or_else(|| format!("SSH handshake failed: {e}")),
            ));
        }
    };

    authenticate(&mut ssh, cfg, key, &label).await?;

    let channel = ssh
        .channel_open_session()
        .await
        .map_err(|e| network(&label, format!("opening a session channel: {e}")))?;
    channel
        .request_subsystem(true, "sftp")
        .await
        .map_err(|e| network(&label, format!("starting the sftp subsystem: {e}")))?;
    let request_timeout_secs = cfg.request_timeout.as_secs().max(1);
    let mut sftp = RawSftpSession::new_with_config(
        channel.into_stream(),
        russh_sftp::client::Config {
            request_timeout_secs,
            ..Default::default()
        },
    );
    let version = sftp
        .init()
        .await
        .map_err(|e| network(&label, format!("starting SFTP: {e}")))?;
    let has = |name: &str| version.extensions.contains_key(name);

    let mut read_chunk = READ_CHUNK;
    let mut write_chunk = WRITE_CHUNK;
    if has(LIMITS) {
        let limits = sftp
            .limits()
            .await
            .map_err(|e| network(&label, format!("reading SFTP limits: {e}")))?;
        if limits.max_read_len > 0 {
            read_chunk = read_chunk.min(u32::try_from(limits.max_read_len).unwrap_or(u32::MAX));
        }
        if limits.max_write_len > 0 {
            write_chunk =
                write_chunk.min(usize::try_from(limits.max_write_len).unwrap_or(usize::MAX));
        }
        sftp.set_limits(limits.into());
    }

    Ok(Session {
        sftp,
        posix_rename: has(POSIX_RENAME),
        read_chunk,
        write_chunk,
        label,
        request_timeout_secs,
        health: AtomicU8::new(HEALTHY),
        ssh,
    })
}

/// Public key first (when configured), then password. Failure is `Permission denied`.
async fn authenticate(
    ssh: &mut client::Handle<HostKeyCheck>,
    cfg: &SshConfig,
    key: Option<Arc<PrivateKey>>,
    label: &str,
) -> FsResult<()> {
    let auth_error = |e: russh::Error| network(label, format!("authentication: {e}"));
    let mut tried = Vec::new();
    if let Some(key) = key {
        let hash = if key.algorithm().is_rsa() {
            ssh.best_supported_rsa_hash()
                .await
                .map_err(auth_error)?
                .flatten()
        } else {
            None
        };
        let result = ssh
            .authenticate_publickey(cfg.user.clone(), PrivateKeyWithHashAlg::new(key, hash))
            .await
            .map_err(auth_error)?;
        if result.success() {
            return Ok(());
        }
        tried.push("publickey");
    }
    if let Some(password) = &cfg.password {
        let result = ssh
            .authenticate_password(cfg.user.clone(), password.clone())
            .await
            .map_err(auth_error)?;
        if result.success() {
            return Ok(());
        }
        tried.push("password");
    }
    Err(FsError::with_detail(
        ErrorKind::PermissionDenied,
        format!(
            "{label}: authentication failed ({} refused)",
            tried.join(", ")
        ),
    ))
}
