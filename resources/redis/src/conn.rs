//! The connection: opened on first use, reconnecting by itself, with bounded waits, and the
//! translation of Redis failures into [`FsError`]s that name the server.

use std::sync::Arc;
use std::time::Duration;

use mirage_core::{ErrorKind, FsError, FsResult};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisError, Value};
use tokio::sync::OnceCell;

use crate::scripts::{ALL, Op};

/// How long opening a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one command may wait for its answer.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);

/// A live connection plus the digests of the loaded scripts.
#[derive(Clone)]
pub(crate) struct Live {
    pub(crate) manager: ConnectionManager,
    shas: Arc<Vec<String>>,
}

/// The lazily opened connection to one server.
pub(crate) struct Conn {
    client: redis::Client,
    /// `host:port` (or the socket path), for messages; never the password.
    pub(crate) server: Arc<str>,
    live: OnceCell<Live>,
}

impl Conn {
    pub(crate) fn new(url: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| format!("invalid url `{url}`: {e}"))?;
        Ok(Conn {
            client,
            server: server_name(url).into(),
            live: OnceCell::new(),
        })
    }

    /// The connection, opened (and the scripts loaded) on first use. A failed attempt is not
    /// remembered: the next call tries again.
    pub(crate) async fn live(&self, prefix: &str) -> FsResult<Live> {
        let live = self
            .live
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(RESPONSE_TIMEOUT))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(500));
                let mut manager = ConnectionManager::new_with_config(self.client.clone(), config)
                    .await
                    .map_err(|e| redis_error(&self.server, e))?;
                let mut pipe = redis::pipe();
                for op in ALL {
                    pipe.cmd("SCRIPT").arg("LOAD").arg(op.source());
                }
                let shas: Vec<String> = pipe
                    .query_async(&mut manager)
                    .await
                    .map_err(|e| redis_error(&self.server, e))?;
                let live = Live {
                    manager,
                    shas: Arc::new(shas),
                };
                let now = crate::now_nanos();
                eval_ok(&live, &self.server, Op::InitRoot, prefix, &[now.as_bytes()]).await?;
                Ok::<Live, FsError>(live)
            })
            .await?
            .clone();
        Ok(live)
    }
}

/// Runs script `op` with `prefix` and `args` as ARGV; on `NOSCRIPT` (a restarted or flushed
/// server) sends the source, which also caches it again.
pub(crate) async fn eval(
    live: &Live,
    server: &str,
    op: Op,
    prefix: &str,
    args: &[&[u8]],
) -> FsResult<Vec<Value>> {
    let mut manager = live.manager.clone();
    let sha = live.shas.get(op.index()).cloned().unwrap_or_default();
    let mut cmd = redis::cmd("EVALSHA");
    cmd.arg(sha).arg(0).arg(prefix).arg(args);
    let result: Result<Vec<Value>, RedisError> = cmd.query_async(&mut manager).await;
    let result = match result {
        Err(e) if e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript) => {
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(op.source()).arg(0).arg(prefix).arg(args);
            cmd.query_async(&mut manager).await
        }
        other => other,
    };
    let values = result.map_err(|e| redis_error(server, e))?;
    match values.first() {
        Some(v) if bytes_of(v).as_deref() == Some(b"ok") => Ok(values),
        Some(v) => Err(code_error(server, &bytes_of(v).unwrap_or_default())),
        None => Err(protocol_error(server, "empty script answer")),
    }
}

/// [`eval`] for scripts that answer only `ok`.
pub(crate) async fn eval_ok(
    live: &Live,
    server: &str,
    op: Op,
    prefix: &str,
    args: &[&[u8]],
) -> FsResult<()> {
    eval(live, server, op, prefix, args).await.map(|_| ())
}

/// The error a script reported by code.
fn code_error(server: &str, code: &[u8]) -> FsError {
    match code {
        b"ENOENT" => FsError::not_found(),
        b"ENOTDIR" => FsError::not_dir(),
        b"EISDIR" => FsError::is_dir(),
        b"EEXIST" => FsError::exists(),
        b"ENOTEMPTY" => FsError::not_empty(),
        b"EINVAL" => FsError::new(ErrorKind::InvalidArgument),
        b"EBUSY" => FsError::new(ErrorKind::Busy),
        b"ECONFLICT" => FsError::with_detail(
            ErrorKind::Other,
            format!("redis {server}: file changed by another writer during the write"),
        ),
        b"EGONE" => FsError::with_detail(
            ErrorKind::Other,
            format!("redis {server}: staged chunks expired or vanished before the write ended"),
        ),
        other => protocol_error(
            server,
            &format!(
                "unexpected script answer {:?}",
                String::from_utf8_lossy(other)
            ),
        ),
    }
}

pub(crate) fn protocol_error(server: &str, what: &str) -> FsError {
    FsError::with_detail(ErrorKind::Other, format!("redis {server}: {what}"))
}

/// A Redis failure as a filesystem error: connection trouble is `Network`, the rest `Other`;
/// the detail names the server and the cause.
pub(crate) fn redis_error(server: &str, e: RedisError) -> FsError {
    let network =
        e.is_io_error() || e.is_timeout() || e.is_connection_dropped() || e.is_connection_refusal();
    let kind = if network {
        ErrorKind::Network
    } else {
        ErrorKind::Other
    };
    FsError::with_detail(kind, format!("redis {server}: {}", cause(&e)))
}

/// The most specific text: the innermost source error when there is one (`Connection
/// refused`), without the `(os error N)` suffix.
fn cause(e: &RedisError) -> String {
    let mut inner: &dyn std::error::Error = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    let text = inner.to_string();
    match text.find(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    }
}

/// `host:port` from a connection URL, without scheme, credentials or database.
fn server_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    if url.starts_with("redis+unix") || url.starts_with("unix") {
        return rest.split('?').next().unwrap_or(rest).to_string();
    }
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    if host.contains(':') || host.is_empty() {
        host.to_string()
    } else {
        format!("{host}:6379")
    }
}

/// The bytes of a string-like reply.
pub(crate) fn bytes_of(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::BulkString(b) => Some(b.clone()),
        Value::SimpleString(s) => Some(s.as_bytes().to_vec()),
        Value::Int(n) => Some(n.to_string().into_bytes()),
        Value::Okay => Some(b"OK".to_vec()),
        _ => None,
    }
}

/// A reply as text.
pub(crate) fn text_of(v: Option<&Value>) -> String {
    v.and_then(bytes_of)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// A reply as a number (integer replies and decimal strings).
pub(crate) fn num_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Int(n) => Some(*n),
        other => std::str::from_utf8(&bytes_of(other)?)
            .ok()?
            .trim()
            .parse()
            .ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::server_name;

    #[test]
    fn server_names_hide_credentials() {
        assert_eq!(server_name("redis://127.0.0.1:6390/0"), "127.0.0.1:6390");
        assert_eq!(server_name("redis://user:pw@host:1/2"), "host:1");
        assert_eq!(server_name("redis://host"), "host:6379");
        assert_eq!(server_name("redis+unix:///tmp/r.sock"), "/tmp/r.sock");
    }
}
