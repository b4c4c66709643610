//! `redis`: a whole read-write tree kept in a Redis server (7.0 or newer, standalone).
//!
//! ```yaml
//! mounts:
//!   /shared:
//!     resource: redis
//!     url: redis://127.0.0.1:6390/0   # required
//!     prefix: team-a                  # key prefix, default `mirage`
//!     chunk_size: 1048576             # bytes per stored chunk, default 1 MiB
//! ```
//!
//! ```no_run
//! use mirage_resource_redis::RedisResource;
//! let r = RedisResource::new("redis://127.0.0.1:6390/0")?.with_prefix("team-a");
//! # let _ = r;
//! # Ok::<(), String>(())
//! ```
//!
//! Several workspaces share one server by using different prefixes; workspaces that use the
//! same prefix see the same tree.
//!
//! # Key layout
//!
//! With prefix `P` and a path such as `/a/b.txt` (always absolute and normalised):
//!
//! - `P:n:{path}`: a hash describing the node. `kind` is `d` or `f`; `mtime` is nanoseconds
//!   since the Unix epoch (may be negative); `mode` holds permission bits once `chmod` set
//!   them (decimal). Files also have `size`, `version`, `cs` (the chunk
//!   size the file was stored with) and `chunks` (how many chunks it has). The root's node is
//!   created on first use; the root is a directory even when it has none.
//! - `P:d:{path}`: a set of the names directly inside directory `path` (absent when empty).
//! - `P:c:{version}:{i}`: chunk `i` of the content stored under `version`: a string of exactly
//!   `cs` bytes, except the last one. Chunks are keyed by version, not by path, so renaming a
//!   file or a whole directory moves only node and set keys.
//! - `P:seq`: the counter versions are taken from. A file's version is its fingerprint: it
//!   changes on every content change.
//!
//! # Consistency
//!
//! Every metadata operation is one Lua script, which Redis runs atomically: checks (the parent
//! exists and is a directory, the target has the right kind, ...) and changes happen with no
//! other client in between, and a refused operation changes nothing. Errors follow the `ram`
//! resource (`No such file or directory`, `Not a directory`, `Is a directory`, `File exists`,
//! `Directory not empty`, ...).
//!
//! Writes stream: the new content is uploaded chunk by chunk under a fresh version, each chunk
//! with a one-day expiry, and nothing points at it yet; a final script then checks the parent
//! again, makes the chunks permanent, points the node at the new version and deletes the old
//! version's chunks. A stream that fails midway (or a client that dies) therefore leaves the
//! old content intact, and the staged chunks are deleted (or expire). An append keeps the old
//! full chunks by renaming them into the new version inside that final script, so it never
//! re-uploads them; only the old last partial chunk travels back and forth.
//!
//! Reads fetch only the chunks a [`ByteRange`] needs (the first piece comes with the metadata,
//! so a small file costs one round trip) and stream them with one chunk fetched ahead. A
//! read that outlives a concurrent rewrite of the same file fails with an error instead of
//! mixing versions.
//!
//! # Failures
//!
//! The connection opens on first use (so building a workspace never blocks), within
//! [`CONNECT_TIMEOUT`], and reconnects by itself after the server comes
//! back. Every command waits at most [`RESPONSE_TIMEOUT`]. Connection
//! trouble is reported as a `Network` error whose detail names the server and the cause, e.g.
//! `redis 127.0.0.1:6390: Connection refused`.
//!
//! The server must be reachable only by trusted clients: anyone with access can change the tree.

mod config;
mod conn;
mod scripts;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, ErrorKind, FileStat, FsError,
    FsResult, Resource, VPath, WriteMode, async_trait, empty_stream,
};
use redis::Value;

use crate::conn::{
    Conn, Live, bytes_of, eval, eval_ok, num_of, protocol_error, redis_error, text_of,
};
use crate::scripts::Op;

pub use crate::conn::{CONNECT_TIMEOUT, RESPONSE_TIMEOUT};

/// The default key prefix.
pub const DEFAULT_PREFIX: &str = "mirage";
/// The default chunk size: 1 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;
/// The largest chunk size accepted (Redis strings may be bigger, but a chunk is held in memory
/// while it is uploaded).
pub const MAX_CHUNK_SIZE: usize = 64 << 20;
/// How long a staged chunk of an unfinished write lives if its writer never finishes.
const STAGED_TTL_SECS: u64 = 24 * 3600;
/// Chunks fetched ahead of the reader.
const READ_AHEAD: usize = 2;

/// A tree stored in one Redis server under one key prefix. See the crate docs for the layout.
pub struct RedisResource {
    conn: Arc<Conn>,
    prefix: Arc<str>,
    chunk_size: usize,
}

impl RedisResource {
    /// A resource for the server at `url` (`redis://host:port/db`), with the default prefix and
    /// chunk size. Only the URL is checked here; the connection opens on first use.
    pub fn new(url: &str) -> Result<Self, String> {
        Ok(RedisResource {
            conn: Arc::new(Conn::new(url)?),
            prefix: DEFAULT_PREFIX.into(),
            chunk_size: DEFAULT_CHUNK_SIZE,
        })
    }

    /// Uses `prefix` for every key, so trees with different prefixes share a server.
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Stores new content in chunks of `bytes` (clamped to 1..=[`MAX_CHUNK_SIZE`]).
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.clamp(1, MAX_CHUNK_SIZE);
        self
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// The server as named in messages (`host:port`).
    pub fn server(&self) -> &str {
        &self.conn.server
    }

    async fn live(&self) -> FsResult<Live> {
        self.conn.live(&self.prefix).await
    }

    async fn run(&self, op: Op, args: &[&[u8]]) -> FsResult<Vec<Value>> {
        let live = self.live().await?;
        eval(&live, &self.conn.server, op, &self.prefix, args).await
    }

    async fn run_ok(&self, op: Op, args: &[&[u8]]) -> FsResult<()> {
        let live = self.live().await?;
        eval_ok(&live, &self.conn.server, op, &self.prefix, args).await
    }

    fn chunk_key(&self, version: &str, i: u64) -> String {
        chunk_key(&self.prefix, version, i)
    }

    fn bad_answer(&self, what: &str) -> FsError {
        protocol_error(&self.conn.server, what)
    }
}

fn chunk_key(prefix: &str, version: &str, i: u64) -> String {
    format!("{prefix}:c:{version}:{i}")
}

/// Now as nanoseconds since the epoch, the stored `mtime` format.
pub(crate) fn now_nanos() -> String {
    time_to_nanos(SystemTime::now())
}

fn time_to_nanos(t: SystemTime) -> String {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos().to_string(),
        Err(e) => format!("-{}", e.duration().as_nanos()),
    }
}

fn nanos_to_time(s: &str) -> Option<SystemTime> {
    let n: i128 = s.trim().parse().ok()?;
    let abs = n.unsigned_abs();
    let d = Duration::new(
        u64::try_from(abs / 1_000_000_000).ok()?,
        (abs % 1_000_000_000) as u32,
    );
    if n >= 0 {
        UNIX_EPOCH.checked_add(d)
    } else {
        UNIX_EPOCH.checked_sub(d)
    }
}

/// A stat from the `kind size mtime version mode` fields of a script answer.
fn stat_from(fields: &[Value]) -> FileStat {
    let text = |i: usize| text_of(fields.get(i));
    let mut st = if text(0) == "d" {
        FileStat::dir()
    } else {
        let mut st = FileStat::file(num_of(fields.get(1)).unwrap_or(0).max(0) as u64);
        let version = text(3);
        if !version.is_empty() {
            st.fingerprint = Some(version);
        }
        st
    };
    st.modified = nanos_to_time(&text(2));
    st.mode = text(4).parse::<u32>().ok();
    st
}

fn path_arg(path: &VPath) -> &[u8] {
    path.as_str().as_bytes()
}

#[async_trait]
impl Resource for RedisResource {
    fn kind(&self) -> &str {
        "redis"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all()
    }

    /// Redis is itself an in-memory store as fast as any cache, and other workspaces may change
    /// the same tree, so nothing is cached in front of it.
    fn cache_hints(&self) -> CacheHints {
        CacheHints::NONE
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        let v = self.run(Op::Stat, &[path_arg(path)]).await?;
        Ok(stat_from(v.get(1..).unwrap_or_default()))
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        let v = self.run(Op::List, &[path_arg(path)]).await?;
        let mut entries: Vec<DirEntry> = v
            .get(1..)
            .unwrap_or_default()
            .chunks_exact(6)
            .map(|e| DirEntry {
                name: text_of(e.first()),
                stat: stat_from(&e[1..]),
            })
            .collect();
        // Sets have no order; hand out names sorted, as the ram resource does, so tools that
        // walk in listing order (du, zip -r) behave the same on every run.
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        let start = range.map_or(0, |r| r.start).to_string();
        let end = match range.and_then(|r| r.end) {
            Some(e) => e.to_string(),
            None => "-1".to_string(),
        };
        let live = self.live().await?;
        let server = self.conn.server.clone();
        let v = eval(
            &live,
            &server,
            Op::Read,
            &self.prefix,
            &[path_arg(path), start.as_bytes(), end.as_bytes()],
        )
        .await?;
        let version = text_of(v.get(1));
        let (Some(cs), Some(s), Some(e)) = (num_of(v.get(2)), num_of(v.get(3)), num_of(v.get(4)))
        else {
            return Err(self.bad_answer("malformed read answer"));
        };
        let (cs, s, e) = (cs.max(1) as u64, s.max(0) as u64, e.max(0) as u64);
        if s >= e {
            return Ok(empty_stream());
        }
        let first = Bytes::from(v.get(5).and_then(bytes_of).unwrap_or_default());
        let first_index = s / cs;
        let first_len = e.min((first_index + 1) * cs) - s;
        if first.len() as u64 != first_len {
            return Err(changed_during_read(&server));
        }
        let prefix = self.prefix.clone();
        let rest = (first_index + 1..e.div_ceil(cs)).map(move |j| {
            let mut manager = live.manager.clone();
            let key = chunk_key(&prefix, &version, j);
            let want = e.min((j + 1) * cs) - j * cs;
            let server = server.clone();
            async move {
                let got: Vec<u8> = redis::cmd("GETRANGE")
                    .arg(&key)
                    .arg(0)
                    .arg(want - 1)
                    .query_async(&mut manager)
                    .await
                    .map_err(|err| redis_error(&server, err))?;
                if got.len() as u64 != want {
                    return Err(changed_during_read(&server));
                }
                Ok(Bytes::from(got))
            }
        });
        let head = futures::stream::once(futures::future::ready(Ok(first)));
        Ok(Box::pin(
            head.chain(futures::stream::iter(rest).buffered(READ_AHEAD)),
        ))
    }

    async fn write(&self, path: &VPath, mut data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        let live = self.live().await?;
        let server = self.conn.server.clone();
        let mode_arg: &[u8] = match mode {
            WriteMode::Truncate => b"t",
            WriteMode::Append => b"a",
        };
        let begin = eval(
            &live,
            &server,
            Op::WriteBegin,
            &self.prefix,
            &[path_arg(path), mode_arg],
        )
        .await?;
        let version = text_of(begin.get(1));
        if version.is_empty() {
            return Err(self.bad_answer("malformed write answer"));
        }
        let exists = text_of(begin.get(2)) == "1";
        let old_size = num_of(begin.get(4)).unwrap_or(0).max(0) as u64;
        // An append keeps the old file's chunk size, so its full chunks can be kept as they are.
        let (cs, kept, expect, mut buf) = match (mode, exists) {
            (WriteMode::Append, true) => {
                let cs = num_of(begin.get(5)).unwrap_or(1).max(1) as u64;
                let tail = begin.get(6).and_then(bytes_of).unwrap_or_default();
                let kept = old_size / cs;
                if tail.len() as u64 != old_size - kept * cs {
                    return Err(self.bad_answer("stored file is shorter than its size"));
                }
                (cs, kept, text_of(begin.get(3)), BytesMut::from(&tail[..]))
            }
            (WriteMode::Append, false) => {
                (self.chunk_size as u64, 0, String::new(), BytesMut::new())
            }
            (WriteMode::Truncate, _) => {
                (self.chunk_size as u64, 0, "-".to_string(), BytesMut::new())
            }
        };
        let base = if mode == WriteMode::Append {
            old_size
        } else {
            0
        };
        let mut next = kept;
        let mut written = 0u64;
        let mut manager = live.manager.clone();
        let outcome: FsResult<()> = async {
            while let Some(item) = data.next().await {
                let item = item?;
                written += item.len() as u64;
                buf.extend_from_slice(&item);
                while buf.len() as u64 >= cs {
                    let piece = buf.split_to(cs as usize);
                    let _: () = redis::cmd("SET")
                        .arg(self.chunk_key(&version, next))
                        .arg(&piece[..])
                        .arg("EX")
                        .arg(STAGED_TTL_SECS)
                        .query_async(&mut manager)
                        .await
                        .map_err(|e| redis_error(&server, e))?;
                    next += 1;
                }
            }
            let chunks = next + u64::from(!buf.is_empty());
            let size = (base + written).to_string();
            let (cs_s, chunks_s, kept_s) = (cs.to_string(), chunks.to_string(), kept.to_string());
            let now = now_nanos();
            eval_ok(
                &live,
                &server,
                Op::WriteCommit,
                &self.prefix,
                &[
                    path_arg(path),
                    version.as_bytes(),
                    size.as_bytes(),
                    cs_s.as_bytes(),
                    chunks_s.as_bytes(),
                    now.as_bytes(),
                    expect.as_bytes(),
                    kept_s.as_bytes(),
                    &buf[..],
                ],
            )
            .await
        }
        .await;
        if let Err(e) = outcome {
            // Best effort: staged chunks expire anyway if the server cannot be reached.
            if next > kept {
                let keys: Vec<String> = (kept..next).map(|i| self.chunk_key(&version, i)).collect();
                let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut manager).await;
            }
            return Err(e);
        }
        Ok(written)
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        let now = now_nanos();
        self.run_ok(Op::Mkdir, &[path_arg(path), now.as_bytes()])
            .await
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        self.run_ok(Op::RemoveFile, &[path_arg(path)]).await
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        self.run_ok(Op::RemoveDir, &[path_arg(path)]).await
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let inside: &[u8] = if to.starts_with(from) { b"1" } else { b"0" };
        self.run_ok(Op::Rename, &[path_arg(from), path_arg(to), inside])
            .await
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let now = now_nanos();
        self.run_ok(Op::Copy, &[path_arg(from), path_arg(to), now.as_bytes()])
            .await
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        let mode = (mode & 0o7777).to_string();
        self.run_ok(Op::SetMode, &[path_arg(path), mode.as_bytes()])
            .await
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        let t = time_to_nanos(time);
        self.run_ok(Op::SetModified, &[path_arg(path), t.as_bytes()])
            .await
    }
}

fn changed_during_read(server: &str) -> FsError {
    FsError::with_detail(
        ErrorKind::Other,
        format!("redis {server}: file changed while it was being read"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        for t in [
            UNIX_EPOCH,
            UNIX_EPOCH + Duration::new(1_704_164_645, 123),
            UNIX_EPOCH - Duration::new(86_400, 5),
        ] {
            assert_eq!(nanos_to_time(&time_to_nanos(t)), Some(t));
        }
        assert_eq!(nanos_to_time(""), None);
        assert_eq!(nanos_to_time("x"), None);
    }
}
