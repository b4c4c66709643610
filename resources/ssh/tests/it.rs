//! The `ssh` resource against a real OpenSSH server on 127.0.0.1 (started per test by
//! `mirage_testkit::services::ssh::SshServer`): the shared behaviour suite, the GNU bash
//! fixtures, host key checking, authentication failures, a 20 MB round trip, and the server
//! dying in the middle of a copy.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use mirage::core::{
    ByteRange, ByteStream, Bytes, CacheHints, Capabilities, DirEntry, ErrorKind, FileStat,
    FsResult, MountMode, Resource, VPath, WriteMode, async_trait, collect_stream,
    stream_from_bytes,
};
use mirage::{RamResource, Workspace};
use mirage_resource_ssh::{SshConfig, SshResource};
use mirage_testkit::fixtures::{Seed, replay_all};
use mirage_testkit::services::ssh::SshServer;

fn server() -> SshServer {
    SshServer::start().unwrap_or_else(|e| panic!("{e}"))
}

fn resource_from(config: serde_json::Value) -> SshResource {
    let cfg = SshConfig::from_json(&config).unwrap_or_else(|e| panic!("{e}"));
    SshResource::new(cfg).unwrap_or_else(|e| panic!("{e}"))
}

fn resource(server: &SshServer, root: &Path) -> Arc<dyn Resource> {
    Arc::new(resource_from(server.config(root)))
}

fn set(config: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let Some(map) = config.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behaviour_suite() {
    let server = server();
    let root = server.fresh_root().unwrap();
    mirage_testkit::behaviour::run_suite(resource(&server, root.path())).await;
}

/// Every recorded bash case on a mount of a seeded remote directory. The server is local, so
/// each case's remote root is seeded straight on disk (seeding 2000 roots through SFTP would
/// only test writes again, which the suite does), and all cases share one SSH connection
/// through `at_root` (a handshake per case would dominate the run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixtures_replay() {
    let server = server();
    let seed = Seed::load();
    let base = resource_from(server.config(Path::new("/")));
    replay_all("ssh", || {
        let tmp = seed.disk();
        let r: Arc<dyn Resource> = Arc::new(base.at_root(tmp.path().to_string_lossy()));
        async move {
            let ws = Workspace::builder()
                .mount_arc("/data", r, MountMode::Write)
                .build()
                .unwrap_or_else(|e| panic!("workspace: {e}"));
            (ws, tmp)
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_host_key_is_refused_unless_accepted() {
    let server = server();
    let root = server.fresh_root().unwrap();
    let empty = tempfile::NamedTempFile::new().unwrap();

    let mut config = server.config(root.path());
    set(
        &mut config,
        "known_hosts",
        empty.path().to_string_lossy().into(),
    );
    let e = resource_from(config.clone())
        .stat(&VPath::root())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    let text = e.to_string();
    assert!(
        text.contains("host key verification failed")
            && text.contains(&format!("127.0.0.1:{}", server.port()))
            && text.contains("accept_unknown_host_key"),
        "{text}"
    );

    set(&mut config, "accept_unknown_host_key", true.into());
    let st = resource_from(config).stat(&VPath::root()).await.unwrap();
    assert!(st.is_dir());

    // A key that contradicts known_hosts is refused even with the flag.
    let other = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(other.path().join("k"))
        .status()
        .unwrap();
    assert!(status.success());
    let other_pub = std::fs::read_to_string(other.path().join("k.pub")).unwrap();
    let wrong = other.path().join("known_hosts");
    std::fs::write(
        &wrong,
        format!("[127.0.0.1]:{} {}\n", server.port(), other_pub.trim()),
    )
    .unwrap();
    let mut config = server.config(root.path());
    set(&mut config, "known_hosts", wrong.to_string_lossy().into());
    set(&mut config, "accept_unknown_host_key", true.into());
    let e = resource_from(config)
        .stat(&VPath::root())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("host key mismatch"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_key_is_permission_denied() {
    let server = server();
    let root = server.fresh_root().unwrap();
    let mut config = server.config(root.path());
    let stranger = server.stranger_key().unwrap();
    set(
        &mut config,
        "private_key",
        stranger.to_string_lossy().into(),
    );
    let r: Arc<dyn Resource> = Arc::new(resource_from(config));
    let e = r.stat(&VPath::root()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::PermissionDenied, "{e:?}");

    let ws = Workspace::builder()
        .mount_arc("/ssh", r, MountMode::Write)
        .build()
        .unwrap();
    let mut config = server.config(root.path());
    if let Some(m) = config.as_object_mut() {
        m.remove("private_key");
    }
    set(&mut config, "password", "not-the-password".into());
    let e = resource_from(config)
        .stat(&VPath::root())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::PermissionDenied, "{e:?}");

    let out = ws.execute("ls /ssh").await;
    assert_eq!(out.status, 2, "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ls: cannot access '/ssh': Permission denied\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_server_and_missing_root_are_clear() {
    let port = mirage_testkit::services::free_port().unwrap();
    let config = serde_json::json!({
        "host": "127.0.0.1", "port": port, "user": "nobody", "password": "x",
        "connect_timeout": 5,
    });
    let e = resource_from(config)
        .stat(&VPath::root())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(
        e.to_string()
            .contains(&format!("ssh nobody@127.0.0.1:{port}")),
        "{e}"
    );

    let server = server();
    let root = server.fresh_root().unwrap();
    let r = resource(&server, &root.path().join("missing"));
    let e = r.stat(&VPath::root()).await.unwrap_err();
    assert!(e.to_string().contains("remote root"), "{e}");
}

/// A dropped connection is replaced on the next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_after_the_server_restarts_its_sessions() {
    let server = server();
    let root = server.fresh_root().unwrap();
    std::fs::write(root.path().join("f"), b"x").unwrap();
    let r = resource(&server, root.path());
    assert_eq!(r.stat(&VPath::new("/f")).await.unwrap().size, Some(1));
    // Kill only the per-connection processes: the listener stays, the session dies.
    let Some(pid) = server.pid() else {
        panic!("server not running")
    };
    kill_children_of(pid);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(r.stat(&VPath::new("/f")).await.unwrap().size, Some(1));
}

fn kill_children_of(pid: u32) {
    signal(&children_of(pid), "KILL");
}

fn children_of(pid: u32) -> Vec<String> {
    let out = std::process::Command::new("pgrep")
        .args(["-P", &pid.to_string()])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Every process below `pid` (sshd forks a monitor, which forks the session process).
fn descendants_of(pid: u32) -> Vec<String> {
    let mut all = Vec::new();
    let mut frontier = vec![pid];
    while let Some(p) = frontier.pop() {
        for c in children_of(p) {
            if let Ok(n) = c.parse() {
                frontier.push(n);
            }
            all.push(c);
        }
    }
    all
}

fn signal(pids: &[String], sig: &str) {
    for pid in pids {
        let _ = std::process::Command::new("kill")
            .args([&format!("-{sig}"), pid.as_str()])
            .status();
    }
}

/// A server that stops answering (stopped processes keep the TCP connection open) costs a
/// command one request timeout, and a new connection one connect timeout, never a hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_server_times_out() {
    let server = server();
    let root = server.fresh_root().unwrap();
    let mut config = server.config(root.path());
    set(&mut config, "timeout", 2.into());
    set(&mut config, "connect_timeout", 2.into());
    let r = resource_from(config.clone());
    r.stat(&VPath::root()).await.unwrap();
    let Some(pid) = server.pid() else {
        panic!("server not running")
    };

    let sessions = descendants_of(pid);
    signal(&sessions, "STOP");
    let started = std::time::Instant::now();
    let e = r.stat(&VPath::new("/x")).await.unwrap_err();
    let took = started.elapsed();
    signal(&sessions, "CONT");
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(e.to_string().contains("no answer within 2 s"), "{e}");
    assert!(took < Duration::from_secs(5), "took {took:?}");

    signal(&[pid.to_string()], "STOP");
    let started = std::time::Instant::now();
    let e = resource_from(config)
        .stat(&VPath::root())
        .await
        .unwrap_err();
    let took = started.elapsed();
    signal(&[pid.to_string()], "CONT");
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(e.to_string().contains("while connecting"), "{e}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

/// 20 MB of varied bytes, RAM -> SSH -> RAM with `cp`, byte-identical at every stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_file_round_trip() {
    const SIZE: usize = 20 * 1024 * 1024;
    let server = server();
    let root = server.fresh_root().unwrap();
    let data: Vec<u8> = (0..SIZE)
        .map(|i| (i % 251) as u8 ^ (i >> 13) as u8)
        .collect();
    let ram = RamResource::new();
    ram.write(
        &VPath::new("/big"),
        stream_from_bytes(data.clone()),
        WriteMode::Truncate,
    )
    .await
    .unwrap();
    let ram: Arc<dyn Resource> = Arc::new(ram);
    let ws = Workspace::builder()
        .mount_arc("/ram", ram.clone(), MountMode::Write)
        .mount_arc("/ssh", resource(&server, root.path()), MountMode::Write)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let out = ws
        .execute("cp /ram/big /ssh/big && cp /ssh/big /ram/back")
        .await;
    assert_eq!(out.status, 0, "{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("20 MB RAM -> SSH -> RAM in {:?}", started.elapsed());
    let remote = std::fs::read(root.path().join("big")).unwrap();
    assert!(remote == data, "the remote copy differs");
    let back = collect_stream(ram.read(&VPath::new("/back"), None).await.unwrap())
        .await
        .unwrap();
    assert!(back == data, "the copy back differs");
    let tail = ws.execute("tail -c 5 /ssh/big | od -An -tu1").await;
    let want: Vec<String> = data[SIZE - 5..].iter().map(|b| b.to_string()).collect();
    assert_eq!(
        String::from_utf8_lossy(&tail.stdout)
            .split_whitespace()
            .collect::<Vec<_>>(),
        want
    );
}

/// The server dies while `cp` and `mv` stream into it: both fail with status 1 and an error
/// naming the mount, no destination looks complete, and the `mv` source is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_killed_mid_copy() {
    const SIZE: usize = 16 * 1024 * 1024;
    let mut server = server();
    let root = server.fresh_root().unwrap();
    let ram = RamResource::new();
    for name in ["/a", "/b"] {
        ram.write(
            &VPath::new(name),
            stream_from_bytes(vec![7u8; SIZE]),
            WriteMode::Truncate,
        )
        .await
        .unwrap();
    }
    let ram: Arc<dyn Resource> = Arc::new(ram);
    let ws = Arc::new(
        Workspace::builder()
            .mount_arc("/slow", Arc::new(Slow(ram.clone())), MountMode::Write)
            .mount_arc("/ssh", resource(&server, root.path()), MountMode::Write)
            .build()
            .unwrap(),
    );
    let cp = tokio::spawn({
        let ws = ws.clone();
        async move { ws.session().execute("cp /slow/a /ssh/a").await }
    });
    let mv = tokio::spawn({
        let ws = ws.clone();
        async move { ws.session().execute("mv /slow/b /ssh/b").await }
    });
    // Wait until both transfers have put a few MB on the server, then kill it.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "transfers never got going"
        );
        if temp_bytes(root.path()) >= 2 * 2 * 1024 * 1024 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.stop();
    for (what, task) in [("cp", cp), ("mv", mv)] {
        let out = tokio::time::timeout(Duration::from_secs(60), task)
            .await
            .unwrap_or_else(|_| panic!("{what} hung after the server died"))
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        eprintln!("{what}: status {}, stderr: {stderr}", out.status);
        assert_eq!(out.status, 1, "{what}: {stderr}");
        assert!(stderr.contains("/ssh"), "{what}: {stderr}");
    }
    for name in ["a", "b"] {
        assert!(
            !root.path().join(name).exists(),
            "destination {name} looks complete after a failed transfer"
        );
    }
    let kept = ram.stat(&VPath::new("/b")).await.unwrap();
    assert_eq!(kept.size, Some(SIZE as u64), "mv lost its source");
}

/// Bytes in the hidden temporary files of writes in progress under `root`.
fn temp_bytes(root: &Path) -> u64 {
    std::fs::read_dir(root)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().contains(".mirage-tmp-"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// A resource whose reads trickle out in 64 KiB pieces, 5 ms apart: a slow source, so the
/// server can be killed while a copy from it is in flight.
struct Slow(Arc<dyn Resource>);

fn trickle(stream: ByteStream) -> ByteStream {
    Box::pin(
        stream
            .flat_map(|chunk| {
                let pieces: Vec<FsResult<Bytes>> = match chunk {
                    Ok(b) => (0..b.len())
                        .step_by(64 * 1024)
                        .map(|i| Ok(b.slice(i..b.len().min(i + 64 * 1024))))
                        .collect(),
                    Err(e) => vec![Err(e)],
                };
                futures::stream::iter(pieces)
            })
            .then(|piece| async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                piece
            }),
    )
}

#[async_trait]
impl Resource for Slow {
    fn kind(&self) -> &str {
        "slow"
    }
    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }
    fn cache_hints(&self) -> CacheHints {
        CacheHints::NONE
    }
    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        self.0.stat(path).await
    }
    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.0.list(path).await
    }
    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        Ok(trickle(self.0.read(path, range).await?))
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
    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.0.copy(from, to).await
    }
    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        self.0.set_modified(path, time).await
    }
}
