//! The cache layer, proved by call counts: a remote-like resource (RAM behind the hints a
//! remote service declares) counts every call that reaches it, and a manual clock moves TTLs
//! without sleeping.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mirage::cache::{FileCacheConfig, IndexConfig, ManualClock, ReadPolicy, StoreKind};
use mirage::core::{
    ByteRange, ByteStream, CacheHints, CallCounts, Capabilities, DirEntry, FileStat, FsResult,
    MountMode, VPath, WriteMode, stream_from_bytes,
};
use mirage::{MountOptions, RamResource, Resource, Workspace, WorkspaceBuilder, async_trait};

/// RAM pretending to be a remote service: same data, remote cache hints.
struct RemoteLike(RamResource);

#[async_trait]
impl Resource for RemoteLike {
    fn kind(&self) -> &str {
        "remote"
    }
    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }
    fn cache_hints(&self) -> CacheHints {
        CacheHints::REMOTE
    }
    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        self.0.stat(path).await
    }
    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.0.list(path).await
    }
    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        self.0.read(path, range).await
    }
    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        self.0.write(path, data, mode).await
    }
    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        self.0.mkdir(path).await
    }
    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        self.0.remove_file(path).await
    }
    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        self.0.remove_dir(path).await
    }
    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.0.rename(from, to).await
    }
    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        self.0.set_modified(path, time).await
    }
}

const LOG: &str = "{\"level\":\"info\"}\n{\"level\":\"alert\",\"id\":1}\n{\"level\":\"info\"}\n{\"level\":\"alert\",\"id\":2}\n";

/// The seed's layout, written straight into the backend (so seeding costs no counted calls).
async fn seeded() -> Arc<RemoteLike> {
    let r = RemoteLike(RamResource::new());
    r.mkdir(&VPath::new("/data")).await.unwrap();
    for (path, body) in [
        ("/data/log.jsonl", LOG),
        ("/data/notes.txt", "hello\n"),
        ("/data/more.jsonl", "{}\n"),
    ] {
        r.write(
            &VPath::new(path),
            stream_from_bytes(body.as_bytes().to_vec()),
            WriteMode::Truncate,
        )
        .await
        .unwrap();
    }
    Arc::new(r)
}

fn builder(
    resource: Arc<RemoteLike>,
    clock: &ManualClock,
    options: MountOptions,
) -> WorkspaceBuilder {
    Workspace::builder()
        .mount_with("/s3", resource, MountMode::Write, options)
        .clock(Arc::new(clock.clone()))
}

/// Runs `line` and returns its stdout and the backend calls it cost.
async fn cost(ws: &Workspace, line: &str) -> (String, CallCounts) {
    let before = ws.stats().mount("/s3").calls;
    let out = ws.execute(line).await;
    assert_eq!(
        out.status,
        0,
        "{line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = ws.stats().mount("/s3").calls;
    let delta = CallCounts {
        stat: after.stat - before.stat,
        list: after.list - before.list,
        read: after.read - before.read,
        write: after.write - before.write,
        mkdir: after.mkdir - before.mkdir,
        remove: after.remove - before.remove,
        rename: after.rename - before.rename,
        copy: after.copy - before.copy,
        set_modified: after.set_modified - before.set_modified,
        bytes_read: after.bytes_read - before.bytes_read,
        bytes_written: after.bytes_written - before.bytes_written,
    };
    (String::from_utf8_lossy(&out.stdout).into_owned(), delta)
}

fn only(list: u64, stat: u64, read: u64) -> (u64, u64, u64) {
    (list, stat, read)
}

fn calls(c: &CallCounts) -> (u64, u64, u64) {
    assert_eq!(
        c.calls(),
        c.list + c.stat + c.read,
        "unexpected calls: {c:?}"
    );
    (c.list, c.stat, c.read)
}

#[tokio::test]
async fn the_seed_lifecycle_costs_one_list_and_one_get() {
    let clock = ManualClock::new(1_000_000);
    let ws = builder(seeded().await, &clock, MountOptions::default())
        .build()
        .unwrap();
    let (out, c) = cost(&ws, "ls /s3/data/").await;
    assert_eq!(out, "log.jsonl\nmore.jsonl\nnotes.txt\n");
    assert_eq!(calls(&c), only(1, 0, 0), "ls is one LIST: {c:?}");
    let (out, c) = cost(&ws, "find /s3/data -name '*.jsonl' | sort").await;
    assert_eq!(out, "/s3/data/log.jsonl\n/s3/data/more.jsonl\n");
    assert_eq!(c.calls(), 0, "find after ls is all hits: {c:?}");
    let (out, c) = cost(&ws, "cat /s3/data/log.jsonl | wc -l").await;
    assert_eq!(out, "4\n");
    assert_eq!(calls(&c), only(0, 0, 1), "cat is one GET: {c:?}");
    assert_eq!(c.bytes_read, LOG.len() as u64);
    let (out, c) = cost(&ws, "grep alert /s3/data/log.jsonl").await;
    assert_eq!(out.lines().count(), 2);
    assert_eq!(c.calls(), 0, "grep after cat is all hits: {c:?}");
    let cache = ws.stats().mount("/s3").cache.unwrap_or_default();
    assert!(cache.file_hits >= 1 && cache.index_hits >= 2, "{cache:?}");
}

#[tokio::test]
async fn index_entries_expire_with_the_ttl() {
    let clock = ManualClock::new(1_000_000);
    let options = MountOptions {
        ttl: Some(Duration::from_secs(60)),
        ..Default::default()
    };
    let ws = builder(seeded().await, &clock, options).build().unwrap();
    assert_eq!(calls(&cost(&ws, "ls /s3/data").await.1), only(1, 0, 0));
    clock.advance(Duration::from_secs(59));
    assert_eq!(
        cost(&ws, "ls /s3/data").await.1.calls(),
        0,
        "within the TTL"
    );
    clock.advance(Duration::from_secs(2));
    assert_eq!(
        calls(&cost(&ws, "ls /s3/data").await.1),
        only(1, 0, 0),
        "expired"
    );
}

#[tokio::test]
async fn writes_through_the_workspace_invalidate() {
    let clock = ManualClock::new(1_000_000);
    let ws = builder(seeded().await, &clock, MountOptions::default())
        .build()
        .unwrap();
    cost(&ws, "ls /s3/data; cat /s3/data/notes.txt").await;
    assert_eq!(cost(&ws, "cat /s3/data/notes.txt").await.1.calls(), 0);
    let (_, c) = cost(&ws, "echo more >> /s3/data/notes.txt").await;
    assert_eq!(c.write, 1);
    let (out, c) = cost(&ws, "cat /s3/data/notes.txt").await;
    assert_eq!(out, "hello\nmore\n", "no stale bytes after a write");
    assert_eq!(c.read, 1, "{c:?}");
    let (out, c) = cost(&ws, "ls /s3/data").await;
    assert_eq!(out, "log.jsonl\nmore.jsonl\nnotes.txt\n");
    assert_eq!(c.list, 1, "the parent listing was invalidated: {c:?}");
    cost(&ws, "rm /s3/data/more.jsonl").await;
    let (out, c) = cost(&ws, "ls /s3/data").await;
    assert_eq!(out, "log.jsonl\nnotes.txt\n");
    assert_eq!(c.list, 1);
    cost(&ws, "mv /s3/data /s3/moved").await;
    let (out, _) = cost(
        &ws,
        "ls /s3; cat /s3/moved/notes.txt; ls /s3/data 2>/dev/null || echo gone",
    )
    .await;
    assert_eq!(out, "moved\nhello\nmore\ngone\n");
}

#[tokio::test]
async fn bounded_trusts_bytes_for_the_ttl_and_fresh_revalidates() {
    let clock = ManualClock::new(1_000_000);
    let backend = seeded().await;
    let ws = builder(backend.clone(), &clock, MountOptions::default())
        .build()
        .unwrap();
    let fresh_opts = MountOptions {
        read_policy: Some(ReadPolicy::Fresh),
        ..Default::default()
    };
    let fresh = builder(backend.clone(), &clock, fresh_opts)
        .build()
        .unwrap();
    for w in [&ws, &fresh] {
        cost(w, "cat /s3/data/notes.txt").await;
    }
    // Changed behind the workspace's back.
    backend
        .write(
            &VPath::new("/data/notes.txt"),
            stream_from_bytes(b"changed\n".to_vec()),
            WriteMode::Truncate,
        )
        .await
        .unwrap();
    let (out, c) = cost(&ws, "cat /s3/data/notes.txt").await;
    assert_eq!(
        (out.as_str(), c.calls()),
        ("hello\n", 0),
        "bounded serves the cached bytes within the TTL"
    );
    let (out, c) = cost(&fresh, "cat /s3/data/notes.txt").await;
    assert_eq!(out, "changed\n", "fresh notices the new fingerprint");
    assert_eq!((c.stat, c.read), (1, 1), "{c:?}");
    let (out, c) = cost(&fresh, "cat /s3/data/notes.txt").await;
    assert_eq!(out, "changed\n");
    assert_eq!(
        (c.stat, c.read),
        (1, 0),
        "fresh hit: one stat, no GET: {c:?}"
    );
    clock.advance(Duration::from_secs(601));
    let (out, c) = cost(&ws, "cat /s3/data/notes.txt").await;
    assert_eq!(out, "changed\n", "bounded revalidates once the TTL is over");
    assert_eq!(c.read, 1, "{c:?}");
}

#[tokio::test]
async fn files_over_the_limit_stream_through_uncached() {
    let clock = ManualClock::new(1_000_000);
    let ws = builder(seeded().await, &clock, MountOptions::default())
        .file_cache(FileCacheConfig {
            store: StoreKind::Ram,
            limit: 10,
        })
        .build()
        .unwrap();
    for _ in 0..2 {
        let (out, c) = cost(&ws, "cat /s3/data/log.jsonl | wc -c").await;
        assert_eq!(out, format!("{}\n", LOG.len()));
        assert_eq!(
            c.read, 1,
            "a file larger than the limit is never cached: {c:?}"
        );
    }
    let (_, c) = cost(&ws, "cat /s3/data/notes.txt; cat /s3/data/notes.txt").await;
    assert_eq!(c.read, 1, "small files still are: {c:?}");
}

#[tokio::test]
async fn a_read_abandoned_midway_is_not_cached() {
    let clock = ManualClock::new(1_000_000);
    let backend = RemoteLike(RamResource::new());
    let big: Vec<u8> = (0..200_000)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    backend
        .write(
            &VPath::new("/big.txt"),
            stream_from_bytes(big.clone()),
            WriteMode::Truncate,
        )
        .await
        .unwrap();
    let ws = builder(Arc::new(backend), &clock, MountOptions::default())
        .build()
        .unwrap();
    let (out, _) = cost(&ws, "head -1 /s3/big.txt").await;
    assert_eq!(out, "line 0\n");
    let (out, c) = cost(&ws, "wc -c < /s3/big.txt").await;
    assert_eq!(
        out,
        format!("{}\n", big.len()),
        "no truncated copy was cached"
    );
    assert_eq!(c.read, 1);
    let (_, c) = cost(&ws, "tail -1 /s3/big.txt").await;
    assert_eq!(c.read, 0, "the complete read was cached: {c:?}");
}

#[tokio::test]
async fn a_dead_cache_store_degrades_to_the_backend() {
    let clock = ManualClock::new(1_000_000);
    let dead = StoreKind::Redis {
        url: "redis://127.0.0.1:1/".into(),
        prefix: "x".into(),
    };
    let ws = builder(seeded().await, &clock, MountOptions::default())
        .file_cache(FileCacheConfig {
            store: dead.clone(),
            limit: 1 << 20,
        })
        .index(IndexConfig {
            store: dead,
            ttl: None,
        })
        .build()
        .unwrap();
    for _ in 0..2 {
        let (out, c) = cost(&ws, "grep -c alert /s3/data/log.jsonl; ls /s3/data | wc -l").await;
        assert_eq!(out, "2\n3\n");
        assert!(
            c.read == 1 && c.list >= 1,
            "every call goes to the backend: {c:?}"
        );
    }
    let cache = ws.stats().mount("/s3").cache.unwrap_or_default();
    assert!(cache.store_errors > 0, "{cache:?}");
}

#[tokio::test]
async fn uncached_resources_keep_their_defaults_and_stats_are_json() {
    let ws = Workspace::builder()
        .mount("/m", RamResource::new())
        .build()
        .unwrap();
    ws.execute("echo hi > /m/a; cat /m/a; cat /m/a").await;
    let s = ws.stats().mount("/m");
    assert!(s.cache.is_none(), "RAM is not cached");
    // Two writes: the redirection creates the file before `echo` runs, as bash opens it,
    // then the output is written.
    assert_eq!((s.calls.write, s.calls.read), (2, 2));
    let json = ws.stats().to_json();
    assert_eq!(json["/m"]["read"], 2);
    assert_eq!(json["/m"]["bytes_read"], 6);
}

/// The Redis stores behave like the RAM ones and are shared: a second workspace (standing for
/// another process) gets hits on what the first one fetched.
#[tokio::test]
async fn redis_stores_are_shared_between_workspaces() {
    let server =
        mirage_testkit::services::redis::RedisServer::start().unwrap_or_else(|e| panic!("{e}"));
    let clock = ManualClock::new(1_000_000);
    let store = StoreKind::Redis {
        url: server.url_db(0),
        prefix: "shared-test".into(),
    };
    let backend = seeded().await;
    let make = || {
        builder(backend.clone(), &clock, MountOptions::default())
            .file_cache(FileCacheConfig {
                store: store.clone(),
                limit: 1 << 20,
            })
            .index(IndexConfig {
                store: store.clone(),
                ttl: None,
            })
            .build()
            .unwrap()
    };
    let (first, second) = (make(), make());
    let (out, c) = cost(&first, "ls /s3/data; cat /s3/data/log.jsonl | wc -l").await;
    assert_eq!(out, "log.jsonl\nmore.jsonl\nnotes.txt\n4\n");
    assert_eq!(calls(&c), only(1, 0, 1));
    let (out, c) = cost(
        &second,
        "ls /s3/data; grep -c alert /s3/data/log.jsonl; find /s3/data -name '*.txt'",
    )
    .await;
    assert_eq!(
        out,
        "log.jsonl\nmore.jsonl\nnotes.txt\n2\n/s3/data/notes.txt\n"
    );
    assert_eq!(
        c.calls(),
        0,
        "the second workspace reads what the first cached: {c:?}"
    );
    // A write in one invalidates for both.
    cost(
        &second,
        "echo '{\"level\":\"alert\"}' >> /s3/data/log.jsonl",
    )
    .await;
    let (out, c) = cost(&first, "grep -c alert /s3/data/log.jsonl").await;
    assert_eq!(out, "3\n", "no stale bytes in the other workspace");
    assert_eq!(c.read, 1, "{c:?}");
    let stats = first.stats().mount("/s3").cache.unwrap_or_default();
    assert_eq!(stats.store_errors, 0, "{stats:?}");
}

/// Files larger than one Redis chunk are split, and LRU eviction keeps the total in bounds.
#[tokio::test]
async fn redis_file_store_chunks_and_evicts() {
    use mirage::cache::store::FileMeta;
    use mirage::cache::{FileStore, RedisFiles};
    let server =
        mirage_testkit::services::redis::RedisServer::start().unwrap_or_else(|e| panic!("{e}"));
    let files =
        RedisFiles::new(&server.url_db(1), "evict", 5 << 20).unwrap_or_else(|e| panic!("{e}"));
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let meta = |size: usize| FileMeta {
        fingerprint: Some("v1".into()),
        stored_ms: 7,
        size: size as u64,
    };
    files
        .put(
            "/m",
            "/big",
            meta(big.len()),
            vec![mirage::core::Bytes::from(big.clone())],
        )
        .await
        .unwrap();
    let got = files.meta("/m", "/big").await.unwrap();
    assert_eq!(got, Some(meta(big.len())));
    let stream = files
        .read("/m", "/big", &meta(big.len()), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        mirage::core::collect_stream(stream).await.unwrap(),
        big,
        "3 chunks reassemble"
    );
    let range = Some(mirage::core::ByteRange {
        start: 1_048_570,
        end: Some(1_048_590),
    });
    let stream = files
        .read("/m", "/big", &meta(big.len()), range)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        mirage::core::collect_stream(stream).await.unwrap(),
        big[1_048_570..1_048_590].to_vec()
    );
    // A second 3 MB file pushes the total over 5 MB: the least recently used one goes.
    files
        .put(
            "/m",
            "/big2",
            meta(big.len()),
            vec![mirage::core::Bytes::from(big.clone())],
        )
        .await
        .unwrap();
    assert_eq!(files.meta("/m", "/big").await.unwrap(), None, "evicted");
    assert!(files.meta("/m", "/big2").await.unwrap().is_some());
    // Too big for the limit: never stored.
    let huge = vec![0u8; 6 << 20];
    files
        .put(
            "/m",
            "/huge",
            meta(huge.len()),
            vec![mirage::core::Bytes::from(huge)],
        )
        .await
        .unwrap();
    assert_eq!(files.meta("/m", "/huge").await.unwrap(), None);
}

/// Two real processes share a Redis cache: the second `mirage run` reads nothing from the
/// backend that the first one cached.
#[test]
fn two_processes_share_a_redis_cache() {
    let server =
        mirage_testkit::services::redis::RedisServer::start().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "alert one\ninfo\nalert two\n").unwrap();
    let config = dir.path().join("mirage.yaml");
    let url = server.url_db(2);
    std::fs::write(
        &config,
        format!(
            "cache: {{ type: redis, url: \"{url}\", prefix: two-proc }}\nindex: {{ type: redis, url: \"{url}\", prefix: two-proc }}\nmounts:\n  /d: {{ resource: disk, config: {{ root: \"{}\" }}, ttl: 600, file_cache: true }}\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let run = |line: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mirage"))
            .args(["run", "--stats", "--config"])
            .arg(&config)
            .args(["-c", line])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let stats: serde_json::Value =
            serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            stats["/d"].clone(),
        )
    };
    let (out, first) = run("grep -c alert /d/a.txt");
    assert_eq!(out, "2\n");
    assert_eq!(first["read"], 1);
    assert_eq!(first["cache"]["file_misses"], 1);
    let (out, second) = run("grep -c alert /d/a.txt");
    assert_eq!(out, "2\n");
    assert_eq!(
        second["read"], 0,
        "the second process hit the shared cache: {second}"
    );
    assert_eq!(second["cache"]["file_hits"], 1);
}
