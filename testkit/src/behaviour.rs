//! The resource behaviour suite: one set of checks every [`Resource`] must pass, gated by the
//! capabilities it declares (the OpenDAL behaviour-tests idea). A new backend gets its test by
//! adding one `#[tokio::test]` that hands a fresh, empty, writable instance to [`run_suite`].
//!
//! The suite seeds its own data, so most checks need `write` and `mkdir`; a read-only resource
//! is only checked for the errors it gives on missing paths. Every check runs in its own top
//! level directory, and all failures are collected so one run shows every broken behaviour.
//!
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use mirage::core::{
    ByteRange, ByteStream, Bytes, Capabilities, DirEntry, ErrorKind, FileKind, FsError, FsResult,
    Resource, VPath, WriteMode, collect_stream, stream_from_bytes,
};

pub type Check = Result<(), String>;
type CheckFn = for<'a> fn(&'a dyn Resource) -> Pin<Box<dyn Future<Output = Check> + Send + 'a>>;

fn p(s: &str) -> VPath {
    VPath::new(s)
}

fn ensure(cond: bool, what: impl FnOnce() -> String) -> Check {
    if cond { Ok(()) } else { Err(what()) }
}

pub fn ok<T>(r: FsResult<T>, what: &str) -> Result<T, String> {
    r.map_err(|e| format!("{what}: unexpected error {:?} ({e})", e.kind))
}

pub fn fails_with<T>(r: FsResult<T>, kind: ErrorKind, what: &str) -> Check {
    match r {
        Ok(_) => Err(format!("{what}: succeeded, expected {kind:?}")),
        Err(e) if e.kind == kind => Ok(()),
        Err(e) => Err(format!("{what}: got {:?} ({e}), expected {kind:?}", e.kind)),
    }
}

async fn put(r: &dyn Resource, path: &str, data: &[u8]) -> Check {
    let n = ok(
        r.write(
            &p(path),
            stream_from_bytes(data.to_vec()),
            WriteMode::Truncate,
        )
        .await,
        &format!("write {path}"),
    )?;
    ensure(n == data.len() as u64, || {
        format!("write {path}: reported {n} bytes, wrote {}", data.len())
    })
}

async fn get(r: &dyn Resource, path: &str) -> Result<Vec<u8>, String> {
    let stream = ok(r.read(&p(path), None).await, &format!("read {path}"))?;
    ok(
        collect_stream(stream).await,
        &format!("read {path} (stream)"),
    )
}

async fn get_range(
    r: &dyn Resource,
    path: &str,
    start: u64,
    end: Option<u64>,
) -> Result<Vec<u8>, String> {
    let what = format!("read {path} [{start}..{end:?}]");
    let stream = ok(
        r.read(&p(path), Some(ByteRange { start, end })).await,
        &what,
    )?;
    ok(collect_stream(stream).await, &what)
}

async fn expect_content(r: &dyn Resource, path: &str, want: &[u8]) -> Check {
    let got = get(r, path).await?;
    ensure(got == want, || {
        format!(
            "{path}: content {:?}, expected {:?}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want)
        )
    })
}

async fn names(r: &dyn Resource, dir: &str) -> Result<Vec<String>, String> {
    let mut v: Vec<String> = ok(r.list(&p(dir)).await, &format!("list {dir}"))?
        .into_iter()
        .map(|e| e.name)
        .collect();
    v.sort();
    Ok(v)
}

/// A stream that yields some bytes and then fails, like a network copy cut halfway.
fn broken_stream() -> ByteStream {
    Box::pin(futures::stream::iter(vec![
        Ok(Bytes::from_static(b"partial new content")),
        Err(FsError::with_detail(
            ErrorKind::Network,
            "connection reset by peer",
        )),
    ]))
}

pub fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

// ---- the checks -------------------------------------------------------------------------

async fn missing_paths(r: &dyn Resource) -> Check {
    fails_with(
        r.stat(&p("/no-such")).await,
        ErrorKind::NotFound,
        "stat missing",
    )?;
    fails_with(
        r.stat(&p("/no-such/deeper")).await,
        ErrorKind::NotFound,
        "stat below missing",
    )?;
    fails_with(
        r.list(&p("/no-such")).await,
        ErrorKind::NotFound,
        "list missing",
    )?;
    fails_with(
        r.read(&p("/no-such"), None).await,
        ErrorKind::NotFound,
        "read missing",
    )?;
    let root = ok(r.stat(&VPath::root()).await, "stat /")?;
    ensure(root.is_dir(), || {
        format!("stat /: {root:?} is not a directory")
    })
}

async fn write_stat_list(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/wsl")).await, "mkdir /wsl")?;
    put(r, "/wsl/a.txt", b"hello").await?;
    put(r, "/wsl/empty", b"").await?;
    ok(r.mkdir(&p("/wsl/sub")).await, "mkdir /wsl/sub")?;
    let st = ok(r.stat(&p("/wsl/a.txt")).await, "stat a.txt")?;
    ensure(st.kind == FileKind::File && st.size == Some(5), || {
        format!("stat a.txt: {st:?}")
    })?;
    let empty = ok(r.stat(&p("/wsl/empty")).await, "stat empty")?;
    ensure(empty.size == Some(0), || format!("stat empty: {empty:?}"))?;
    ensure(
        ok(r.stat(&p("/wsl/sub")).await, "stat sub")?.is_dir(),
        || "sub is not a dir".into(),
    )?;
    let entries: Vec<DirEntry> = ok(r.list(&p("/wsl")).await, "list /wsl")?;
    let find = |n: &str| entries.iter().find(|e| e.name == n).map(|e| e.stat.clone());
    ensure(entries.len() == 3, || format!("list /wsl: {entries:?}"))?;
    ensure(
        find("a.txt").is_some_and(|s| s.is_file() && s.size == Some(5)),
        || format!("a.txt entry: {entries:?}"),
    )?;
    ensure(find("sub").is_some_and(|s| s.is_dir()), || {
        format!("sub entry: {entries:?}")
    })?;
    ensure(names(r, "/").await?.contains(&"wsl".to_string()), || {
        "root listing lacks wsl".into()
    })?;
    expect_content(r, "/wsl/a.txt", b"hello").await?;
    expect_content(r, "/wsl/empty", b"").await
}

async fn ranged_reads(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/rr")).await, "mkdir /rr")?;
    put(r, "/rr/f", b"0123456789").await?;
    for (start, end, want) in [
        (0, Some(4), &b"0123"[..]),
        (6, None, b"6789"),
        (3, Some(3), b""),
        (8, Some(100), b"89"),
        (10, None, b""),
        (50, Some(60), b""),
    ] {
        let got = get_range(r, "/rr/f", start, end).await?;
        ensure(got == want, || {
            format!(
                "range {start}..{end:?}: {:?}, expected {:?}",
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(want)
            )
        })?;
    }
    Ok(())
}

async fn truncate_replaces(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/tr")).await, "mkdir /tr")?;
    put(r, "/tr/f", b"a much longer first version\n").await?;
    let before = ok(r.stat(&p("/tr/f")).await, "stat before")?;
    put(r, "/tr/f", b"short\n").await?;
    expect_content(r, "/tr/f", b"short\n").await?;
    let after = ok(r.stat(&p("/tr/f")).await, "stat after")?;
    ensure(after.size == Some(6), || {
        format!("size after truncate: {after:?}")
    })?;
    if before.fingerprint.is_some() {
        ensure(before.fingerprint != after.fingerprint, || {
            format!("fingerprint unchanged: {before:?} / {after:?}")
        })?;
    }
    Ok(())
}

async fn append_adds(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/ap")).await, "mkdir /ap")?;
    put(r, "/ap/f", b"one\n").await?;
    let n = ok(
        r.write(&p("/ap/f"), stream_from_bytes("two\n"), WriteMode::Append)
            .await,
        "append",
    )?;
    ensure(n == 4, || format!("append reported {n} bytes"))?;
    expect_content(r, "/ap/f", b"one\ntwo\n").await?;
    ok(
        r.write(
            &p("/ap/new"),
            stream_from_bytes("created\n"),
            WriteMode::Append,
        )
        .await,
        "append creates",
    )?;
    expect_content(r, "/ap/new", b"created\n").await
}

async fn failed_stream_keeps_old_content(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/fs")).await, "mkdir /fs")?;
    put(r, "/fs/f", b"old content\n").await?;
    fails_with(
        r.write(&p("/fs/f"), broken_stream(), WriteMode::Truncate)
            .await,
        ErrorKind::Network,
        "broken truncate",
    )?;
    expect_content(r, "/fs/f", b"old content\n").await?;
    fails_with(
        r.write(&p("/fs/new"), broken_stream(), WriteMode::Truncate)
            .await,
        ErrorKind::Network,
        "broken create",
    )?;
    fails_with(
        r.stat(&p("/fs/new")).await,
        ErrorKind::NotFound,
        "file of a failed create",
    )?;
    ensure(names(r, "/fs").await? == ["f"], || {
        "failed writes left something behind in /fs".into()
    })?;
    if r.capabilities().append {
        fails_with(
            r.write(&p("/fs/f"), broken_stream(), WriteMode::Append)
                .await,
            ErrorKind::Network,
            "broken append",
        )?;
        expect_content(r, "/fs/f", b"old content\n").await?;
    }
    Ok(())
}

async fn mkdir_rules(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/mk")).await, "mkdir /mk")?;
    ok(r.mkdir(&p("/mk/x")).await, "mkdir /mk/x")?;
    ensure(
        ok(r.stat(&p("/mk/x")).await, "stat /mk/x")?.is_dir(),
        || "/mk/x is not a dir".into(),
    )?;
    ensure(names(r, "/mk/x").await?.is_empty(), || {
        "new directory is not empty".into()
    })?;
    fails_with(
        r.mkdir(&p("/mk/x")).await,
        ErrorKind::AlreadyExists,
        "mkdir existing dir",
    )?;
    put(r, "/mk/file", b"f").await?;
    fails_with(
        r.mkdir(&p("/mk/file")).await,
        ErrorKind::AlreadyExists,
        "mkdir over a file",
    )?;
    fails_with(
        r.mkdir(&p("/mk/missing/child")).await,
        ErrorKind::NotFound,
        "mkdir without parent",
    )?;
    fails_with(
        r.mkdir(&p("/mk/file/child")).await,
        ErrorKind::NotADirectory,
        "mkdir below a file",
    )
}

async fn files_are_not_directories(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/nd")).await, "mkdir /nd")?;
    put(r, "/nd/file", b"data").await?;
    fails_with(
        r.list(&p("/nd/file")).await,
        ErrorKind::NotADirectory,
        "list a file",
    )?;
    fails_with(
        r.stat(&p("/nd/file/x")).await,
        ErrorKind::NotADirectory,
        "stat below a file",
    )?;
    fails_with(
        r.read(&p("/nd/file/x"), None).await,
        ErrorKind::NotADirectory,
        "read below a file",
    )?;
    let w = r
        .write(
            &p("/nd/file/x"),
            stream_from_bytes("x"),
            WriteMode::Truncate,
        )
        .await;
    fails_with(w, ErrorKind::NotADirectory, "write below a file")?;
    fails_with(
        r.read(&p("/nd"), None).await,
        ErrorKind::IsADirectory,
        "read a directory",
    )?;
    let w = r
        .write(&p("/nd"), stream_from_bytes("x"), WriteMode::Truncate)
        .await;
    fails_with(w, ErrorKind::IsADirectory, "write onto a directory")
}

async fn removing(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/rm")).await, "mkdir /rm")?;
    ok(r.mkdir(&p("/rm/full")).await, "mkdir /rm/full")?;
    ok(r.mkdir(&p("/rm/empty")).await, "mkdir /rm/empty")?;
    put(r, "/rm/full/f", b"x").await?;
    put(r, "/rm/g", b"y").await?;
    fails_with(
        r.remove_file(&p("/rm/full")).await,
        ErrorKind::IsADirectory,
        "remove_file on a dir",
    )?;
    fails_with(
        r.remove_dir(&p("/rm/full")).await,
        ErrorKind::NotEmpty,
        "remove_dir non-empty",
    )?;
    fails_with(
        r.remove_dir(&p("/rm/g")).await,
        ErrorKind::NotADirectory,
        "remove_dir on a file",
    )?;
    fails_with(
        r.remove_file(&p("/rm/none")).await,
        ErrorKind::NotFound,
        "remove_file missing",
    )?;
    fails_with(
        r.remove_dir(&p("/rm/none")).await,
        ErrorKind::NotFound,
        "remove_dir missing",
    )?;
    ok(r.remove_file(&p("/rm/full/f")).await, "remove_file")?;
    fails_with(
        r.stat(&p("/rm/full/f")).await,
        ErrorKind::NotFound,
        "removed file",
    )?;
    ok(r.remove_dir(&p("/rm/full")).await, "remove_dir emptied")?;
    ok(r.remove_dir(&p("/rm/empty")).await, "remove_dir empty")?;
    ensure(names(r, "/rm").await? == ["g"], || {
        "leftovers in /rm".into()
    })
}

async fn renaming(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/mv")).await, "mkdir /mv")?;
    put(r, "/mv/a", b"A").await?;
    ok(r.rename(&p("/mv/a"), &p("/mv/b")).await, "rename file")?;
    fails_with(
        r.stat(&p("/mv/a")).await,
        ErrorKind::NotFound,
        "renamed source",
    )?;
    expect_content(r, "/mv/b", b"A").await?;
    put(r, "/mv/c", b"C").await?;
    ok(
        r.rename(&p("/mv/c"), &p("/mv/b")).await,
        "rename over existing file",
    )?;
    expect_content(r, "/mv/b", b"C").await?;
    ok(r.mkdir(&p("/mv/d")).await, "mkdir /mv/d")?;
    ok(r.mkdir(&p("/mv/d/inner")).await, "mkdir /mv/d/inner")?;
    put(r, "/mv/d/inner/f", b"deep").await?;
    ok(r.rename(&p("/mv/d"), &p("/mv/e")).await, "rename dir")?;
    expect_content(r, "/mv/e/inner/f", b"deep").await?;
    fails_with(
        r.stat(&p("/mv/d")).await,
        ErrorKind::NotFound,
        "renamed dir source",
    )?;
    fails_with(
        r.rename(&p("/mv/e"), &p("/mv/e/inner/x")).await,
        ErrorKind::InvalidArgument,
        "rename dir into itself",
    )?;
    fails_with(
        r.rename(&p("/mv/b"), &p("/mv/e")).await,
        ErrorKind::IsADirectory,
        "rename file over a dir",
    )?;
    fails_with(
        r.rename(&p("/mv/zz"), &p("/mv/yy")).await,
        ErrorKind::NotFound,
        "rename missing",
    )?;
    fails_with(
        r.rename(&p("/mv/b"), &p("/mv/nodir/b")).await,
        ErrorKind::NotFound,
        "rename into missing dir",
    )?;
    ok(r.mkdir(&p("/mv/empty")).await, "mkdir /mv/empty")?;
    ok(
        r.rename(&p("/mv/e"), &p("/mv/empty")).await,
        "rename dir over empty dir",
    )?;
    expect_content(r, "/mv/empty/inner/f", b"deep").await?;
    ensure(names(r, "/mv").await? == ["b", "empty"], || {
        "unexpected entries in /mv".into()
    })
}

/// Siblings whose names extend a directory's with a character that sorts before `/` (`a-b`,
/// `a.rej`, `a b`) must not hide the directory's children, in listings or when it is renamed.
async fn siblings_sorting_before_children(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/sib")).await, "mkdir /sib")?;
    ok(r.mkdir(&p("/sib/a")).await, "mkdir /sib/a")?;
    put(r, "/sib/a/f", b"F").await?;
    for name in ["/sib/a-b", "/sib/a.rej", "/sib/a b"] {
        put(r, name, b"x").await?;
    }
    ensure(names(r, "/sib/a").await? == ["f"], || {
        "listing /sib/a lost its child next to a.rej".into()
    })?;
    if r.capabilities().rename {
        ok(r.rename(&p("/sib/a"), &p("/sib/z")).await, "rename /sib/a")?;
        expect_content(r, "/sib/z/f", b"F").await?;
        fails_with(
            r.stat(&p("/sib/a/f")).await,
            ErrorKind::NotFound,
            "child left behind by the rename",
        )?;
    }
    ensure(
        names(r, "/sib").await? == ["a b", "a-b", "a.rej", "z"] || !r.capabilities().rename,
        || "unexpected entries in /sib".into(),
    )
}

async fn copying(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/cp")).await, "mkdir /cp")?;
    put(r, "/cp/src", b"payload").await?;
    ok(r.copy(&p("/cp/src"), &p("/cp/dst")).await, "copy")?;
    expect_content(r, "/cp/dst", b"payload").await?;
    expect_content(r, "/cp/src", b"payload").await?;
    put(r, "/cp/other", b"other").await?;
    ok(
        r.copy(&p("/cp/other"), &p("/cp/dst")).await,
        "copy over existing",
    )?;
    expect_content(r, "/cp/dst", b"other").await?;
    ok(r.mkdir(&p("/cp/dir")).await, "mkdir /cp/dir")?;
    fails_with(
        r.copy(&p("/cp/dir"), &p("/cp/dir2")).await,
        ErrorKind::IsADirectory,
        "copy a dir",
    )?;
    fails_with(
        r.copy(&p("/cp/src"), &p("/cp/dir")).await,
        ErrorKind::IsADirectory,
        "copy onto a dir",
    )?;
    fails_with(
        r.copy(&p("/cp/none"), &p("/cp/x")).await,
        ErrorKind::NotFound,
        "copy missing",
    )
}

async fn modification_times(r: &dyn Resource) -> Check {
    ok(r.mkdir(&p("/tm")).await, "mkdir /tm")?;
    put(r, "/tm/f", b"t").await?;
    ok(
        r.set_modified(&p("/tm/f"), at(1_600_000_000)).await,
        "set_modified file",
    )?;
    let st = ok(r.stat(&p("/tm/f")).await, "stat f")?;
    ensure(st.modified == Some(at(1_600_000_000)), || {
        format!("file mtime: {st:?}")
    })?;
    ok(
        r.set_modified(&p("/tm"), at(1_500_000_000)).await,
        "set_modified dir",
    )?;
    let st = ok(r.stat(&p("/tm")).await, "stat dir")?;
    ensure(st.modified == Some(at(1_500_000_000)), || {
        format!("dir mtime: {st:?}")
    })?;
    let listed = ok(r.list(&p("/tm")).await, "list /tm")?;
    ensure(
        listed
            .iter()
            .any(|e| e.name == "f" && e.stat.modified == Some(at(1_600_000_000))),
        || format!("listed mtime: {listed:?}"),
    )?;
    fails_with(
        r.set_modified(&p("/tm/none"), at(1)).await,
        ErrorKind::NotFound,
        "set_modified missing",
    )
}

async fn large_content(r: &dyn Resource) -> Check {
    const SIZE: usize = 8 * 1024 * 1024;
    const CHUNK: usize = 64 * 1024;
    let data: Vec<u8> = (0..SIZE)
        .map(|i| (i % 251) as u8 ^ (i >> 16) as u8)
        .collect();
    let chunks: Vec<FsResult<Bytes>> = data
        .chunks(CHUNK)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    ok(r.mkdir(&p("/big")).await, "mkdir /big")?;
    let n = ok(
        r.write(
            &p("/big/f"),
            Box::pin(futures::stream::iter(chunks)),
            WriteMode::Truncate,
        )
        .await,
        "write 8 MiB",
    )?;
    ensure(n == SIZE as u64, || format!("wrote {n} bytes"))?;
    let st = ok(r.stat(&p("/big/f")).await, "stat big")?;
    ensure(st.size == Some(SIZE as u64), || format!("big size: {st:?}"))?;
    let mut stream = ok(r.read(&p("/big/f"), None).await, "read big")?;
    let mut got = Vec::with_capacity(SIZE);
    let mut pieces = 0usize;
    while let Some(chunk) = stream.next().await {
        got.extend_from_slice(&ok(chunk, "big chunk")?);
        pieces += 1;
    }
    ensure(got.len() == SIZE && got == data, || {
        format!("big content differs ({} bytes back)", got.len())
    })?;
    ensure(pieces > 1, || {
        "an 8 MiB file came back as one chunk: reads are not streamed".into()
    })?;
    let (start, end) = (3 * 1024 * 1024 - 7, 5 * 1024 * 1024 + 3);
    let mid = get_range(r, "/big/f", start as u64, Some(end as u64)).await?;
    ensure(mid == data[start..end], || "big ranged read differs".into())
}

/// One named check and the capabilities it needs.
struct Entry {
    name: &'static str,
    applies: fn(Capabilities) -> bool,
    run: CheckFn,
}

fn entry(name: &'static str, applies: fn(Capabilities) -> bool, run: CheckFn) -> Entry {
    Entry { name, applies, run }
}

fn always(_: Capabilities) -> bool {
    true
}

fn writable(c: Capabilities) -> bool {
    c.write && c.mkdir
}

/// All checks, in the order they run.
fn checks() -> Vec<Entry> {
    vec![
        entry("missing paths", always, |r| Box::pin(missing_paths(r))),
        entry("write, stat, list", writable, |r| {
            Box::pin(write_stat_list(r))
        }),
        entry("ranged reads", writable, |r| Box::pin(ranged_reads(r))),
        entry("truncating write replaces", writable, |r| {
            Box::pin(truncate_replaces(r))
        }),
        entry(
            "append",
            |c| writable(c) && c.append,
            |r| Box::pin(append_adds(r)),
        ),
        entry("failed stream keeps old content", writable, |r| {
            Box::pin(failed_stream_keeps_old_content(r))
        }),
        entry("mkdir", writable, |r| Box::pin(mkdir_rules(r))),
        entry(
            "siblings that sort before a directory's children",
            writable,
            |r| Box::pin(siblings_sorting_before_children(r)),
        ),
        entry("files are not directories", writable, |r| {
            Box::pin(files_are_not_directories(r))
        }),
        entry(
            "remove",
            |c| writable(c) && c.remove,
            |r| Box::pin(removing(r)),
        ),
        entry(
            "rename",
            |c| writable(c) && c.rename,
            |r| Box::pin(renaming(r)),
        ),
        entry("copy", |c| writable(c) && c.copy, |r| Box::pin(copying(r))),
        entry(
            "set_modified",
            |c| writable(c) && c.set_modified,
            |r| Box::pin(modification_times(r)),
        ),
        entry("8 MiB round trip", writable, |r| Box::pin(large_content(r))),
    ]
}

/// Runs every applicable check on `r` (fresh, empty, writable) and fails listing all failures.
pub async fn run_suite(r: Arc<dyn Resource>) {
    let caps = r.capabilities();
    let mut failures = Vec::new();
    let mut ran = 0;
    for check in checks() {
        if !(check.applies)(caps) {
            continue;
        }
        ran += 1;
        if let Err(e) = (check.run)(r.as_ref()).await {
            failures.push(format!("  {}: {e}", check.name));
        }
    }
    assert!(
        failures.is_empty(),
        "resource `{}` failed {} of {ran} behaviour checks:\n{}",
        r.kind(),
        failures.len(),
        failures.join("\n")
    );
}
