//! The `redis` resource against a real `redis-server` (see `services.rs`): isolation by
//! prefix, chunked content, config, and what the shell sees when the server goes away. The
//! behaviour suite (`behaviour.rs`) and the fixture replay (`fixtures.rs`) run on it too.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use mirage::Workspace;
use mirage::core::{
    ByteRange, Bytes, ErrorKind, FsError, FsResult, MountMode, Resource, VPath, WriteMode,
    collect_stream, stream_from_bytes,
};
use serde_json::json;

use mirage_testkit::services::redis::RedisServer;

/// Starts a server or fails the test with the reason.
pub fn server() -> RedisServer {
    RedisServer::start().unwrap_or_else(|e| panic!("cannot start redis-server: {e}"))
}

/// A prefix no other mount in this test process uses.
pub fn unique_prefix(label: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "t{}-{label}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A redis resource built through the registered factory, as a config file would.
pub fn redis_mount(url: &str, prefix: &str, chunk_size: Option<u64>) -> Arc<dyn Resource> {
    let mut config = json!({"url": url, "prefix": prefix});
    if let Some(n) = chunk_size {
        config["chunk_size"] = json!(n);
    }
    mirage::config::build_resource("redis", &config)
        .unwrap_or_else(|e| panic!("building a redis resource: {e}"))
}

fn p(s: &str) -> VPath {
    VPath::new(s)
}

async fn put(r: &dyn Resource, path: &str, data: &[u8]) {
    r.write(
        &p(path),
        stream_from_bytes(data.to_vec()),
        WriteMode::Truncate,
    )
    .await
    .unwrap_or_else(|e| panic!("write {path}: {e}"));
}

async fn get(r: &dyn Resource, path: &str, range: Option<ByteRange>) -> Vec<u8> {
    let stream = r
        .read(&p(path), range)
        .await
        .unwrap_or_else(|e| panic!("read {path}: {e}"));
    collect_stream(stream)
        .await
        .unwrap_or_else(|e| panic!("read {path} (stream): {e}"))
}

/// `data` as a stream of uneven pieces, so chunk boundaries fall inside pieces.
fn pieces(data: &[u8], size: usize) -> mirage::core::ByteStream {
    let items: Vec<FsResult<Bytes>> = data
        .chunks(size)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    Box::pin(futures::stream::iter(items))
}

#[tokio::test]
async fn prefixes_keep_trees_apart() {
    let server = server();
    let pa = unique_prefix("a");
    let a = redis_mount(&server.url(), &pa, None);
    let b = redis_mount(&server.url(), &unique_prefix("b"), None);
    a.mkdir(&p("/only-a")).await.unwrap();
    put(a.as_ref(), "/only-a/f", b"from a").await;
    put(b.as_ref(), "/f", b"from b").await;
    let names = |r: Arc<dyn Resource>| async move {
        let mut v: Vec<String> = r
            .list(&VPath::root())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(a.clone()).await, ["only-a"]);
    assert_eq!(names(b.clone()).await, ["f"]);
    assert_eq!(
        b.stat(&p("/only-a")).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        a.stat(&p("/f")).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    // The same prefix is the same tree, seen from another resource instance.
    let a2 = redis_mount(&server.url(), &pa, None);
    assert_eq!(get(a2.as_ref(), "/only-a/f", None).await, b"from a");
}

#[tokio::test]
async fn content_larger_than_a_chunk() {
    let server = server();
    let r = redis_mount(&server.url(), &unique_prefix("big"), Some(1000));
    let r = r.as_ref();
    let data: Vec<u8> = (0..10_500u32).map(|i| (i % 253) as u8).collect();
    let n = r
        .write(&p("/f"), pieces(&data, 333), WriteMode::Truncate)
        .await
        .unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(r.stat(&p("/f")).await.unwrap().size, Some(10_500));

    let mut stream = r.read(&p("/f"), None).await.unwrap();
    let mut got = Vec::new();
    let mut count = 0;
    while let Some(chunk) = stream.next().await {
        got.extend_from_slice(&chunk.unwrap());
        count += 1;
    }
    assert_eq!(got, data);
    assert_eq!(count, 11, "one piece per stored chunk");

    for (start, end) in [
        (0u64, Some(10u64)),
        (995, Some(1005)),
        (999, Some(1000)),
        (1000, Some(3001)),
        (2500, Some(2500)),
        (10_400, None),
        (10_499, Some(20_000)),
        (20_000, None),
    ] {
        let want = {
            let s = (start as usize).min(data.len());
            let e = end
                .map_or(data.len(), |e| (e as usize).min(data.len()))
                .max(s);
            &data[s..e]
        };
        assert_eq!(
            get(r, "/f", Some(ByteRange { start, end })).await,
            want,
            "range {start}..{end:?}"
        );
    }

    // Appends continue the partial last chunk, also when the appended stream fails.
    let extra: Vec<u8> = (0..1234u32).map(|i| (i % 7) as u8 + b'a').collect();
    r.write(&p("/f"), pieces(&extra, 100), WriteMode::Append)
        .await
        .unwrap();
    let mut all = data.clone();
    all.extend_from_slice(&extra);
    assert_eq!(get(r, "/f", None).await, all);
    let before = r.stat(&p("/f")).await.unwrap();
    let broken: mirage::core::ByteStream = Box::pin(futures::stream::iter(vec![
        Ok(Bytes::from(vec![b'x'; 2500])),
        Err(FsError::with_detail(ErrorKind::Network, "cut")),
    ]));
    let e = r
        .write(&p("/f"), broken, WriteMode::Append)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(get(r, "/f", None).await, all);
    assert_eq!(r.stat(&p("/f")).await.unwrap(), before);

    // Copy and a directory rename carry multi-chunk files along.
    r.mkdir(&p("/d")).await.unwrap();
    r.copy(&p("/f"), &p("/d/g")).await.unwrap();
    r.rename(&p("/d"), &p("/e")).await.unwrap();
    assert_eq!(get(r, "/e/g", None).await, all);
    assert_eq!(
        get(
            r,
            "/e/g",
            Some(ByteRange {
                start: 10_499,
                end: Some(10_502)
            })
        )
        .await,
        &all[10_499..10_502]
    );
    // A shorter rewrite leaves no trace of the longer content.
    put(r, "/e/g", b"short").await;
    assert_eq!(get(r, "/e/g", None).await, b"short");
    assert_eq!(r.stat(&p("/e/g")).await.unwrap().size, Some(5));
}

#[tokio::test]
async fn yaml_config_mounts_redis() {
    let server = server();
    let url = server.url();
    let prefix = unique_prefix("yaml");
    let yaml = format!(
        "mounts:\n  /r:\n    resource: redis\n    config: {{ url: \"{url}\", prefix: {prefix}, chunk_size: 4 }}\n"
    );
    let ws = mirage::config::builder_from_yaml(&yaml, &|_| None)
        .unwrap()
        .build()
        .unwrap();
    let out = ws
        .execute("mkdir /r/d && echo hello world > /r/d/a && cat /r/d/a && ls /r && wc -c < /r/d/a")
        .await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello world\nd\n12\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status, 0);
}

#[tokio::test]
async fn unreachable_server_is_a_network_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = redis_mount(&format!("redis://127.0.0.1:{port}/0"), "x", None);
    let e = r.stat(&VPath::root()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    let text = e.to_string();
    assert!(
        text.contains(&format!("redis 127.0.0.1:{port}: ")) && text.contains("refused"),
        "{text}"
    );
}

#[tokio::test]
async fn a_stopped_server_fails_commands_cleanly() {
    let mut server = server();
    let r = redis_mount(&server.url(), &unique_prefix("fault"), None);
    let ws = Workspace::builder()
        .mount_arc("/r", r, MountMode::Write)
        .build()
        .unwrap();
    let out = ws.execute("echo before > /r/file && cat /r/file").await;
    assert_eq!(out.stdout, b"before\n");
    let port = server.port();
    server.stop();

    let out = ws.execute("cat /r/file").await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status, 1, "stderr: {stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.starts_with("cat: /r/file: ") && stderr.contains(&format!("127.0.0.1:{port}")),
        "{stderr}"
    );

    let out = ws.execute("echo lost > /r/new; echo status=$?").await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "status=1\n",
        "{stderr}"
    );
    assert!(
        stderr.contains("/r/new") && stderr.contains("redis"),
        "{stderr}"
    );
    let out = ws.execute("ls /r").await;
    assert_ne!(out.status, 0);
}

/// Sends one inline command over plain TCP and returns the first reply line.
fn raw_command(port: u16, line: &str) -> String {
    use std::io::{BufRead, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("{line}\r\n").as_bytes()).unwrap();
    let mut reply = String::new();
    std::io::BufReader::new(s).read_line(&mut reply).unwrap();
    reply
}

#[tokio::test]
async fn scripts_flushed_from_the_server_are_sent_again() {
    let server = server();
    let r = redis_mount(&server.url(), &unique_prefix("flush"), None);
    put(r.as_ref(), "/a", b"one").await;
    assert_eq!(raw_command(server.port(), "SCRIPT FLUSH"), "+OK\r\n");
    assert_eq!(get(r.as_ref(), "/a", None).await, b"one");
    put(r.as_ref(), "/a", b"two").await;
    assert_eq!(get(r.as_ref(), "/a", None).await, b"two");
}
