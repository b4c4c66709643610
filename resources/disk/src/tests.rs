//! Unit tests of the disk resource on a temporary directory. The generic behaviour suite in the
//! facade covers the shared contract; these cover what is disk-specific: confinement, atomic
//! replacement, host metadata.

use std::os::unix::fs::symlink;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use mirage_core::{
    ByteRange, ErrorKind, FileKind, FsError, Resource, VPath, WriteMode, collect_stream,
    stream_from_bytes,
};

use crate::DiskResource;

fn p(s: &str) -> VPath {
    VPath::new(s)
}

/// A root with `a.txt`, `sub/b.txt`, and a `secret` file beside (outside) the root.
fn setup() -> (tempfile::TempDir, DiskResource) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("root");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("a.txt"), "hello\n").unwrap();
    std::fs::write(root.join("sub/b.txt"), "bee\n").unwrap();
    std::fs::write(outer.path().join("secret"), "top secret\n").unwrap();
    let disk = DiskResource::new(&root).unwrap();
    (outer, disk)
}

async fn read_all(d: &DiskResource, path: &str) -> Result<Vec<u8>, FsError> {
    collect_stream(d.read(&p(path), None).await?).await
}

fn failing_stream() -> mirage_core::ByteStream {
    Box::pin(futures::stream::iter(vec![
        Ok(Bytes::from_static(b"partial")),
        Err(FsError::with_detail(ErrorKind::Network, "connection reset")),
    ]))
}

#[test]
fn new_requires_an_existing_directory() {
    let (outer, _d) = setup();
    assert_eq!(
        DiskResource::new(outer.path().join("nope"))
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        DiskResource::new(outer.path().join("secret"))
            .unwrap_err()
            .kind,
        ErrorKind::NotADirectory
    );
    let d = DiskResource::new(outer.path().join("root/sub/..")).unwrap();
    assert_eq!(d.root(), outer.path().join("root").canonicalize().unwrap());
}

#[tokio::test]
async fn stat_reports_size_mode_mtime_and_fingerprint() {
    let (_t, d) = setup();
    let when = UNIX_EPOCH + Duration::new(1_700_000_000, 5);
    d.set_modified(&p("/a.txt"), when).await.unwrap();
    let st = d.stat(&p("/a.txt")).await.unwrap();
    assert_eq!(st.kind, FileKind::File);
    assert_eq!(st.size, Some(6));
    assert_eq!(st.modified, Some(when));
    assert_eq!(st.fingerprint.as_deref(), Some("1700000000000000005-6"));
    assert!(st.mode.is_some_and(|m| m & 0o400 != 0));
    let dir = d.stat(&p("/sub")).await.unwrap();
    assert_eq!((dir.kind, dir.size), (FileKind::Dir, None));
    assert!(d.stat(&p("/")).await.unwrap().is_dir());
    assert_eq!(
        d.stat(&p("/missing")).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        d.stat(&p("/a.txt/x")).await.unwrap_err().kind,
        ErrorKind::NotADirectory
    );
}

#[tokio::test]
async fn list_and_read_with_ranges() {
    let (_t, d) = setup();
    let mut names: Vec<String> = d
        .list(&p("/"))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    names.sort();
    assert_eq!(names, ["a.txt", "sub"]);
    assert_eq!(
        d.list(&p("/a.txt")).await.unwrap_err().kind,
        ErrorKind::NotADirectory
    );
    assert_eq!(read_all(&d, "/a.txt").await.unwrap(), b"hello\n");
    let part = collect_stream(
        d.read(
            &p("/a.txt"),
            Some(ByteRange {
                start: 1,
                end: Some(4),
            }),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(part.unwrap(), b"ell");
    let tail = collect_stream(
        d.read(
            &p("/a.txt"),
            Some(ByteRange {
                start: 4,
                end: None,
            }),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(tail.unwrap(), b"o\n");
    let past = collect_stream(
        d.read(
            &p("/a.txt"),
            Some(ByteRange {
                start: 99,
                end: Some(200),
            }),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(past.unwrap(), b"");
    assert_eq!(
        d.read(&p("/sub"), None).await.err().map(|e| e.kind),
        Some(ErrorKind::IsADirectory)
    );
}

#[tokio::test]
async fn truncating_write_is_atomic() {
    let (t, d) = setup();
    let n = d
        .write(
            &p("/a.txt"),
            stream_from_bytes("new\n"),
            WriteMode::Truncate,
        )
        .await
        .unwrap();
    assert_eq!(n, 4);
    assert_eq!(read_all(&d, "/a.txt").await.unwrap(), b"new\n");
    let e = d
        .write(&p("/a.txt"), failing_stream(), WriteMode::Truncate)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(read_all(&d, "/a.txt").await.unwrap(), b"new\n");
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(t.path().join("root"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // A failed first write creates nothing.
    assert!(
        d.write(&p("/fresh"), failing_stream(), WriteMode::Truncate)
            .await
            .is_err()
    );
    assert_eq!(
        d.stat(&p("/fresh")).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn write_errors_match_posix() {
    let (_t, d) = setup();
    for (path, kind) in [
        ("/sub", ErrorKind::IsADirectory),
        ("/nodir/x", ErrorKind::NotFound),
        ("/a.txt/x", ErrorKind::NotADirectory),
        ("/", ErrorKind::IsADirectory),
    ] {
        let e = d
            .write(&p(path), stream_from_bytes("x"), WriteMode::Truncate)
            .await
            .unwrap_err();
        assert_eq!(e.kind, kind, "{path}");
    }
}

#[tokio::test]
async fn replacing_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (t, d) = setup();
    let host = t.path().join("root/a.txt");
    std::fs::set_permissions(&host, std::fs::Permissions::from_mode(0o640)).unwrap();
    d.write(&p("/a.txt"), stream_from_bytes("x"), WriteMode::Truncate)
        .await
        .unwrap();
    assert_eq!(
        std::fs::metadata(&host).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[tokio::test]
async fn append_adds_and_undoes_a_failed_stream() {
    let (_t, d) = setup();
    d.write(&p("/a.txt"), stream_from_bytes("more\n"), WriteMode::Append)
        .await
        .unwrap();
    assert_eq!(read_all(&d, "/a.txt").await.unwrap(), b"hello\nmore\n");
    assert!(
        d.write(&p("/a.txt"), failing_stream(), WriteMode::Append)
            .await
            .is_err()
    );
    assert_eq!(read_all(&d, "/a.txt").await.unwrap(), b"hello\nmore\n");
    d.write(&p("/c.txt"), stream_from_bytes("c"), WriteMode::Append)
        .await
        .unwrap();
    assert_eq!(read_all(&d, "/c.txt").await.unwrap(), b"c");
}

#[tokio::test]
async fn tree_operations() {
    let (_t, d) = setup();
    d.mkdir(&p("/new")).await.unwrap();
    assert_eq!(
        d.mkdir(&p("/new")).await.unwrap_err().kind,
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        d.mkdir(&p("/x/y")).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    d.copy(&p("/a.txt"), &p("/new/a2.txt")).await.unwrap();
    assert_eq!(read_all(&d, "/new/a2.txt").await.unwrap(), b"hello\n");
    assert_eq!(
        d.copy(&p("/sub"), &p("/s2")).await.unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    d.rename(&p("/new"), &p("/moved")).await.unwrap();
    assert_eq!(read_all(&d, "/moved/a2.txt").await.unwrap(), b"hello\n");
    assert_eq!(
        d.rename(&p("/moved"), &p("/moved/inner"))
            .await
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        d.remove_dir(&p("/moved")).await.unwrap_err().kind,
        ErrorKind::NotEmpty
    );
    assert_eq!(
        d.remove_file(&p("/moved")).await.unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    assert_eq!(
        d.remove_dir(&p("/a.txt")).await.unwrap_err().kind,
        ErrorKind::NotADirectory
    );
    d.remove_file(&p("/moved/a2.txt")).await.unwrap();
    d.remove_dir(&p("/moved")).await.unwrap();
    assert_eq!(
        d.remove_dir(&p("/")).await.unwrap_err().kind,
        ErrorKind::Busy
    );
    assert_eq!(
        d.remove_file(&p("/gone")).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn set_modified_works_on_directories() {
    let (_t, d) = setup();
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    d.set_modified(&p("/sub"), when).await.unwrap();
    assert_eq!(d.stat(&p("/sub")).await.unwrap().modified, Some(when));
    assert_eq!(
        d.set_modified(&p("/nope"), when).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn symlinks_out_of_the_root_are_refused_everywhere() {
    let (t, d) = setup();
    let root = t.path().join("root");
    symlink("../secret", root.join("up")).unwrap();
    symlink(t.path(), root.join("outside")).unwrap();
    let denied = ErrorKind::PermissionDenied;
    assert_eq!(d.stat(&p("/up")).await.unwrap_err().kind, denied);
    assert_eq!(
        d.read(&p("/up"), None).await.err().map(|e| e.kind),
        Some(denied)
    );
    assert_eq!(
        d.read(&p("/outside/secret"), None)
            .await
            .err()
            .map(|e| e.kind),
        Some(denied)
    );
    assert_eq!(d.list(&p("/outside")).await.unwrap_err().kind, denied);
    let w = d
        .write(&p("/up"), stream_from_bytes("pwned"), WriteMode::Truncate)
        .await;
    assert_eq!(w.unwrap_err().kind, denied);
    let w = d
        .write(
            &p("/outside/planted"),
            stream_from_bytes("x"),
            WriteMode::Append,
        )
        .await;
    assert_eq!(w.unwrap_err().kind, denied);
    assert_eq!(
        d.mkdir(&p("/outside/newdir")).await.unwrap_err().kind,
        denied
    );
    assert_eq!(
        d.remove_file(&p("/outside/secret")).await.unwrap_err().kind,
        denied
    );
    assert_eq!(
        d.rename(&p("/a.txt"), &p("/outside/stolen"))
            .await
            .unwrap_err()
            .kind,
        denied
    );
    assert_eq!(
        d.copy(&p("/up"), &p("/copy")).await.unwrap_err().kind,
        denied
    );
    assert_eq!(
        d.set_modified(&p("/up"), SystemTime::now())
            .await
            .unwrap_err()
            .kind,
        denied
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("secret")).unwrap(),
        "top secret\n"
    );
    assert!(!t.path().join("planted").exists() && !t.path().join("stolen").exists());
    // The escaping links are listed, but nothing about their targets is revealed.
    let list = d.list(&p("/")).await.unwrap();
    let up = list.iter().find(|e| e.name == "up").unwrap();
    assert_eq!(up.stat.size, None);
    // Removing the link itself is fine: it lives inside the root.
    d.remove_file(&p("/up")).await.unwrap();
    assert!(t.path().join("secret").exists());
}

#[tokio::test]
async fn symlinks_inside_the_root_work() {
    let (t, d) = setup();
    let root = t.path().join("root");
    symlink("sub/b.txt", root.join("link")).unwrap();
    symlink("sub", root.join("dirlink")).unwrap();
    assert_eq!(read_all(&d, "/link").await.unwrap(), b"bee\n");
    assert_eq!(read_all(&d, "/dirlink/b.txt").await.unwrap(), b"bee\n");
    d.write(
        &p("/link"),
        stream_from_bytes("via link\n"),
        WriteMode::Truncate,
    )
    .await
    .unwrap();
    assert_eq!(read_all(&d, "/sub/b.txt").await.unwrap(), b"via link\n");
    assert!(
        std::fs::symlink_metadata(root.join("link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let list = d.list(&p("/")).await.unwrap();
    assert_eq!(
        list.iter().find(|e| e.name == "dirlink").unwrap().stat.kind,
        FileKind::Dir
    );
}

#[tokio::test]
async fn large_files_stream_in_chunks() {
    let (_t, d) = setup();
    let data: Vec<u8> = (0..(3 * crate::read::CHUNK + 17))
        .map(|i| (i % 251) as u8)
        .collect();
    d.write(
        &p("/big"),
        stream_from_bytes(data.clone()),
        WriteMode::Truncate,
    )
    .await
    .unwrap();
    let mut stream = d.read(&p("/big"), None).await.unwrap();
    let mut chunks = 0;
    let mut got = Vec::new();
    use futures::StreamExt;
    while let Some(c) = stream.next().await {
        let c = c.unwrap();
        assert!(c.len() <= crate::read::CHUNK);
        got.extend_from_slice(&c);
        chunks += 1;
    }
    assert!(chunks >= 4);
    assert_eq!(got, data);
}

/// A fifo is read through the asynchronous path: its open waits for a writer on a blocking
/// thread, never on the runtime, and the bytes arrive as from any file.
#[tokio::test]
async fn fifos_are_read_without_stalling_the_runtime() {
    use std::os::unix::ffi::OsStrExt;
    let (t, d) = setup();
    let fifo = t.path().join("root/pipe");
    let c_path = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo(3) on a NUL-terminated path inside the test's own directory.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let writer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::fs::write(&fifo, b"through the pipe\n").unwrap();
    });
    let got = read_all(&d, "/pipe").await.unwrap();
    writer.join().unwrap();
    assert_eq!(got, b"through the pipe\n");
}

/// A kind listing names the same entries with the same kinds as a full one (symlinks as their
/// targets), and leaves out what would need a stat.
#[tokio::test]
async fn kind_listings_match_full_listings_without_stats() {
    let (t, d) = setup();
    symlink("sub", t.path().join("root/dirlink")).unwrap();
    let mut full = d.list(&p("/")).await.unwrap();
    let mut kinds = d.list_kinds(&p("/")).await.unwrap();
    full.sort_by(|a, b| a.name.cmp(&b.name));
    kinds.sort_by(|a, b| a.name.cmp(&b.name));
    let names = |v: &[mirage_core::DirEntry]| {
        v.iter()
            .map(|e| (e.name.clone(), e.stat.kind))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&kinds), names(&full));
    let file = kinds.iter().find(|e| e.name == "a.txt").unwrap();
    assert_eq!(file.stat.size, None);
    assert!(d.cheap_kind_listing());
}
