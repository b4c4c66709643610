//! Stores in Redis, shared by every process that names the same server and prefix: a second
//! process's first read of a file another process cached is a hit.
//!
//! Keys (all under the configured prefix `P`):
//! - `P:i:{mount}:s:{path}` / `P:i:{mount}:l:{path}`: an index entry (JSON, see `codec`), with a
//!   Redis expiry a little past its TTL so dead entries are collected.
//! - `P:f:{mount}:{path}`: a hash describing a cached file (`fp`, `stored`, `size`, `gen`,
//!   `chunks`); its bytes are `P:c:{gen}:{i}` strings of at most [`CHUNK`] bytes, so no single
//!   Redis value grows past Redis limits whatever the file size.
//! - `P:lru` (sorted set of file keys by last use), `P:total` (bytes held), `P:seq` (the LRU
//!   clock) and `P:gen` (chunk generations): the size limit is kept by evicting the least
//!   recently used files after each insertion.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
use mirage_core::{ByteRange, ByteStream, ErrorKind, FsError};
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

use crate::codec::{decode_entry, encode_entry};
use crate::store::{
    FileMeta, FileStore, IndexEntry, IndexKind, IndexStore, StoreError, StoreResult,
};

/// Size of one stored chunk of file bytes.
pub const CHUNK: usize = 1 << 20;

/// Extra seconds Redis keeps an index entry past its TTL (the layer checks expiry itself).
const EXPIRY_SLACK_SECS: u64 = 60;

/// A lazily opened, self-reconnecting connection to one server.
pub struct RedisConn {
    url: String,
    client: redis::Client,
    manager: OnceCell<ConnectionManager>,
}

impl RedisConn {
    pub fn new(url: &str) -> Result<Self, String> {
        let client =
            redis::Client::open(url).map_err(|e| format!("invalid redis url `{url}`: {e}"))?;
        Ok(RedisConn {
            url: url.to_string(),
            client,
            manager: OnceCell::new(),
        })
    }

    pub async fn get(&self) -> StoreResult<ConnectionManager> {
        let m = self
            .manager
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(Duration::from_secs(2)))
                    .set_response_timeout(Some(Duration::from_secs(5)))
                    .set_number_of_retries(1);
                ConnectionManager::new_with_config(self.client.clone(), config).await
            })
            .await
            .map_err(|e| self.error(e))?;
        Ok(m.clone())
    }

    fn error(&self, e: redis::RedisError) -> StoreError {
        StoreError(format!("redis {}: {e}", self.url))
    }
}

/// Escapes Redis glob characters so a path matches only itself in `SCAN MATCH`.
fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every key matching `pattern`.
async fn scan(con: &mut ConnectionManager, pattern: &str) -> redis::RedisResult<Vec<String>> {
    let mut keys = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(pattern)
            .arg("COUNT")
            .arg(1000)
            .query_async(con)
            .await?;
        keys.extend(batch);
        if next == 0 {
            return Ok(keys);
        }
        cursor = next;
    }
}

/// The index in Redis.
pub struct RedisIndex {
    conn: RedisConn,
    prefix: String,
}

impl RedisIndex {
    pub fn new(url: &str, prefix: &str) -> Result<Self, String> {
        Ok(RedisIndex {
            conn: RedisConn::new(url)?,
            prefix: prefix.to_string(),
        })
    }

    fn key(&self, mount: &str, path: &str, kind: IndexKind) -> String {
        let k = match kind {
            IndexKind::Stat => 's',
            IndexKind::Listing => 'l',
        };
        format!("{}:i:{mount}:{k}:{path}", self.prefix)
    }
}

#[async_trait]
impl IndexStore for RedisIndex {
    async fn get(
        &self,
        mount: &str,
        path: &str,
        kind: IndexKind,
    ) -> StoreResult<Option<IndexEntry>> {
        let mut con = self.conn.get().await?;
        let text: Option<String> = con
            .get(self.key(mount, path, kind))
            .await
            .map_err(|e| self.conn.error(e))?;
        text.map(|t| decode_entry(&t)).transpose()
    }

    async fn put(
        &self,
        mount: &str,
        path: &str,
        kind: IndexKind,
        entry: IndexEntry,
        ttl_ms: u64,
    ) -> StoreResult<()> {
        let mut con = self.conn.get().await?;
        let secs = ttl_ms.div_ceil(1000) + EXPIRY_SLACK_SECS;
        let _: () = con
            .set_ex(self.key(mount, path, kind), encode_entry(&entry), secs)
            .await
            .map_err(|e| self.conn.error(e))?;
        Ok(())
    }

    async fn remove(&self, mount: &str, paths: &[String]) -> StoreResult<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let mut con = self.conn.get().await?;
        let keys: Vec<String> = paths
            .iter()
            .flat_map(|p| {
                [
                    self.key(mount, p, IndexKind::Stat),
                    self.key(mount, p, IndexKind::Listing),
                ]
            })
            .collect();
        let _: () = con.del(keys).await.map_err(|e| self.conn.error(e))?;
        Ok(())
    }

    async fn remove_tree(&self, mount: &str, dir: &str) -> StoreResult<()> {
        let mut con = self.conn.get().await?;
        let base = glob_escape(dir.trim_end_matches('/'));
        let mut doomed = Vec::new();
        for kind in ['s', 'l'] {
            let stem = format!(
                "{}:i:{}:{kind}:",
                glob_escape(&self.prefix),
                glob_escape(mount)
            );
            for pattern in [format!("{stem}{base}"), format!("{stem}{base}/*")] {
                doomed.extend(
                    scan(&mut con, &pattern)
                        .await
                        .map_err(|e| self.conn.error(e))?,
                );
            }
        }
        if !doomed.is_empty() {
            let _: () = con.del(doomed).await.map_err(|e| self.conn.error(e))?;
        }
        Ok(())
    }
}

/// File bytes in Redis, at most `limit` bytes in total.
pub struct RedisFiles {
    conn: RedisConn,
    prefix: String,
    limit: u64,
}

impl RedisFiles {
    pub fn new(url: &str, prefix: &str, limit: u64) -> Result<Self, String> {
        Ok(RedisFiles {
            conn: RedisConn::new(url)?,
            prefix: prefix.to_string(),
            limit,
        })
    }

    fn meta_key(&self, mount: &str, path: &str) -> String {
        format!("{}:f:{mount}:{path}", self.prefix)
    }

    fn chunk_key(&self, gen_id: u64, i: u64) -> String {
        format!("{}:c:{gen_id}:{i}", self.prefix)
    }

    fn err(&self, e: redis::RedisError) -> StoreError {
        self.conn.error(e)
    }

    /// (meta, generation, chunk count) of a cached file.
    async fn load(
        &self,
        con: &mut ConnectionManager,
        key: &str,
    ) -> StoreResult<Option<(FileMeta, u64, u64)>> {
        let fields: std::collections::HashMap<String, String> =
            con.hgetall(key).await.map_err(|e| self.err(e))?;
        if fields.is_empty() {
            return Ok(None);
        }
        let num = |k: &str| fields.get(k).and_then(|v| v.parse::<u64>().ok());
        let bad = || StoreError(format!("corrupt file cache entry {key}"));
        let meta = FileMeta {
            fingerprint: fields
                .get("fp")
                .filter(|f| !f.is_empty())
                .map(|f| f[1..].to_string()),
            stored_ms: num("stored").ok_or_else(bad)?,
            size: num("size").ok_or_else(bad)?,
        };
        Ok(Some((
            meta,
            num("gen").ok_or_else(bad)?,
            num("chunks").ok_or_else(bad)?,
        )))
    }

    /// Deletes one cached file (meta, chunks, LRU and size accounting).
    async fn drop_file(&self, con: &mut ConnectionManager, key: &str) -> StoreResult<()> {
        if let Some((meta, gen_id, chunks)) = self.load(con, key).await? {
            let mut pipe = redis::pipe();
            pipe.del(key).ignore();
            for i in 0..chunks {
                pipe.del(self.chunk_key(gen_id, i)).ignore();
            }
            pipe.zrem(format!("{}:lru", self.prefix), key).ignore();
            pipe.decr(format!("{}:total", self.prefix), meta.size)
                .ignore();
            let _: () = pipe.query_async(con).await.map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Evicts least recently used files until the total is within the limit.
    async fn evict(&self, con: &mut ConnectionManager) -> StoreResult<()> {
        let total_key = format!("{}:total", self.prefix);
        let lru_key = format!("{}:lru", self.prefix);
        loop {
            let total: i64 = con
                .get::<_, Option<i64>>(&total_key)
                .await
                .map_err(|e| self.err(e))?
                .unwrap_or(0);
            if total <= self.limit as i64 {
                return Ok(());
            }
            let oldest: Vec<String> = con.zrange(&lru_key, 0, 0).await.map_err(|e| self.err(e))?;
            let Some(victim) = oldest.into_iter().next() else {
                // Accounting drifted (entries vanished); start counting afresh.
                let _: () = con.set(&total_key, 0).await.map_err(|e| self.err(e))?;
                return Ok(());
            };
            self.drop_file(con, &victim).await?;
            let _: () = con.zrem(&lru_key, &victim).await.map_err(|e| self.err(e))?;
        }
    }
}

#[async_trait]
impl FileStore for RedisFiles {
    async fn meta(&self, mount: &str, path: &str) -> StoreResult<Option<FileMeta>> {
        let mut con = self.conn.get().await?;
        let key = self.meta_key(mount, path);
        let found = self.load(&mut con, &key).await?;
        if found.is_some() {
            let seq: u64 = con
                .incr(format!("{}:seq", self.prefix), 1)
                .await
                .map_err(|e| self.err(e))?;
            let _: () = con
                .zadd(format!("{}:lru", self.prefix), &key, seq)
                .await
                .map_err(|e| self.err(e))?;
        }
        Ok(found.map(|(m, _, _)| m))
    }

    async fn read(
        &self,
        mount: &str,
        path: &str,
        meta: &FileMeta,
        range: Option<ByteRange>,
    ) -> StoreResult<Option<ByteStream>> {
        let mut con = self.conn.get().await?;
        let key = self.meta_key(mount, path);
        let Some((now_meta, gen_id, chunks)) = self.load(&mut con, &key).await? else {
            return Ok(None);
        };
        if now_meta != *meta {
            return Ok(None);
        }
        // Every chunk must still be there before the first byte goes out: a stream that
        // stopped halfway would hand a command a truncated file.
        let keys: Vec<String> = (0..chunks).map(|i| self.chunk_key(gen_id, i)).collect();
        if !keys.is_empty() {
            let present: u64 = con.exists(&keys).await.map_err(|e| self.err(e))?;
            if present != chunks {
                return Ok(None);
            }
        }
        let (start, end) = match range {
            None => (0, meta.size),
            Some(r) => (
                r.start.min(meta.size),
                r.end.map_or(meta.size, |e| e.min(meta.size)),
            ),
        };
        let chunk = CHUNK as u64;
        let first = start / chunk;
        let last = if end > start {
            (end - 1) / chunk + 1
        } else {
            first
        };
        let url = self.conn.url.clone();
        let stream = futures::stream::iter(first..last).then(move |i| {
            let mut con = con.clone();
            let key = keys.get(i as usize).cloned().unwrap_or_default();
            let url = url.clone();
            async move {
                let data: Option<Vec<u8>> = con.get(&key).await.map_err(|e| {
                    FsError::with_detail(ErrorKind::Network, format!("file cache redis {url}: {e}"))
                })?;
                let data = data.ok_or_else(|| {
                    FsError::with_detail(
                        ErrorKind::Other,
                        "file cache entry evicted while being read",
                    )
                })?;
                let base = i * chunk;
                let from = start.saturating_sub(base).min(data.len() as u64) as usize;
                let to = (end - base).min(data.len() as u64) as usize;
                Ok(Bytes::from(data).slice(from..to.max(from)))
            }
        });
        Ok(Some(Box::pin(stream)))
    }

    async fn put(
        &self,
        mount: &str,
        path: &str,
        meta: FileMeta,
        data: Vec<Bytes>,
    ) -> StoreResult<()> {
        if meta.size > self.limit {
            return Ok(());
        }
        let mut con = self.conn.get().await?;
        let key = self.meta_key(mount, path);
        self.drop_file(&mut con, &key).await?;
        let gen_id: u64 = con
            .incr(format!("{}:gen", self.prefix), 1)
            .await
            .map_err(|e| self.err(e))?;
        let mut joined = Vec::with_capacity(meta.size as usize);
        for c in &data {
            joined.extend_from_slice(c);
        }
        let mut pipe = redis::pipe();
        let mut chunks = 0u64;
        for piece in joined.chunks(CHUNK) {
            pipe.set(self.chunk_key(gen_id, chunks), piece).ignore();
            chunks += 1;
        }
        let fp = meta
            .fingerprint
            .as_ref()
            .map_or(String::new(), |f| format!("={f}"));
        pipe.hset_multiple(
            &key,
            &[
                ("fp", fp),
                ("stored", meta.stored_ms.to_string()),
                ("size", meta.size.to_string()),
                ("gen", gen_id.to_string()),
                ("chunks", chunks.to_string()),
            ],
        )
        .ignore();
        pipe.incr(format!("{}:total", self.prefix), meta.size)
            .ignore();
        let _: () = pipe.query_async(&mut con).await.map_err(|e| self.err(e))?;
        let seq: u64 = con
            .incr(format!("{}:seq", self.prefix), 1)
            .await
            .map_err(|e| self.err(e))?;
        let _: () = con
            .zadd(format!("{}:lru", self.prefix), &key, seq)
            .await
            .map_err(|e| self.err(e))?;
        self.evict(&mut con).await
    }

    async fn remove(&self, mount: &str, path: &str) -> StoreResult<()> {
        let mut con = self.conn.get().await?;
        self.drop_file(&mut con, &self.meta_key(mount, path)).await
    }

    async fn remove_tree(&self, mount: &str, dir: &str) -> StoreResult<()> {
        let mut con = self.conn.get().await?;
        let stem = format!("{}:f:{}:", glob_escape(&self.prefix), glob_escape(mount));
        let base = glob_escape(dir.trim_end_matches('/'));
        let mut doomed = Vec::new();
        for pattern in [format!("{stem}{base}"), format!("{stem}{base}/*")] {
            doomed.extend(scan(&mut con, &pattern).await.map_err(|e| self.err(e))?);
        }
        for key in doomed {
            self.drop_file(&mut con, &key).await?;
        }
        Ok(())
    }

    fn limit(&self) -> u64 {
        self.limit
    }
}
