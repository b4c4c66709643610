//! The resource behaviour suite (in `mirage_testkit::behaviour`) run on the facade's default
//! resources, and the mount table's mode enforcement, which must refuse a write to a read-only
//! mount before the backend is touched.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use mirage::core::{
    ByteRange, ByteStream, Capabilities, DirEntry, ErrorKind, FileStat, FsResult, MountMode,
    MountTable, Resource, VPath, WriteMode, async_trait, collect_stream, stream_from_bytes,
};
use mirage::{DiskResource, RamResource};
use mirage_testkit::behaviour::{at, fails_with, ok, run_suite};

fn p(s: &str) -> VPath {
    VPath::new(s)
}

#[tokio::test]
async fn ram_resource_behaves() {
    run_suite(Arc::new(RamResource::new())).await;
}

#[tokio::test]
async fn disk_resource_behaves() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_suite(Arc::new(
        DiskResource::new(dir.path()).expect("disk resource"),
    ))
    .await;
}

#[tokio::test]
async fn redis_resource_behaves() {
    let server = crate::redis::server();
    run_suite(crate::redis::redis_mount(
        &server.url(),
        &crate::redis::unique_prefix("behaviour"),
        None,
    ))
    .await;
}

// ---- mount modes ------------------------------------------------------------------------

/// Wraps a resource and counts every mutating call that reaches it.
struct Spy {
    inner: RamResource,
    mutations: Arc<AtomicUsize>,
}

impl Spy {
    fn touched(&self) {
        self.mutations.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl Resource for Spy {
    fn kind(&self) -> &str {
        "spy"
    }
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        self.inner.stat(path).await
    }
    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.inner.list(path).await
    }
    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        self.inner.read(path, range).await
    }
    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        self.touched();
        self.inner.write(path, data, mode).await
    }
    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        self.touched();
        self.inner.mkdir(path).await
    }
    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        self.touched();
        self.inner.remove_file(path).await
    }
    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        self.touched();
        self.inner.remove_dir(path).await
    }
    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.touched();
        self.inner.rename(from, to).await
    }
    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        self.touched();
        self.inner.copy(from, to).await
    }
    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        self.touched();
        self.inner.set_modified(path, time).await
    }
}

#[tokio::test]
async fn read_only_mount_refuses_writes_before_the_backend() {
    let inner = RamResource::new();
    ok(inner.mkdir(&p("/dir")).await, "seed mkdir").unwrap();
    inner
        .write(
            &p("/dir/f"),
            stream_from_bytes("seeded\n"),
            WriteMode::Truncate,
        )
        .await
        .unwrap();
    let mutations = Arc::new(AtomicUsize::new(0));
    let spy = Arc::new(Spy {
        inner,
        mutations: mutations.clone(),
    });
    let mut table = MountTable::new();
    table.add(p("/ro"), spy, MountMode::Read).unwrap();
    table
        .add(p("/rw"), Arc::new(RamResource::new()), MountMode::Write)
        .unwrap();

    let ro = ErrorKind::ReadOnly;
    fails_with(
        table
            .write(&p("/ro/dir/f"), stream_from_bytes("x"), WriteMode::Truncate)
            .await,
        ro,
        "write",
    )
    .unwrap();
    fails_with(
        table
            .write(&p("/ro/new"), stream_from_bytes("x"), WriteMode::Append)
            .await,
        ro,
        "append",
    )
    .unwrap();
    fails_with(table.mkdir(&p("/ro/newdir")).await, ro, "mkdir").unwrap();
    fails_with(table.mkdir_all(&p("/ro/a/b")).await, ro, "mkdir_all").unwrap();
    fails_with(table.remove_file(&p("/ro/dir/f")).await, ro, "remove_file").unwrap();
    fails_with(table.remove_dir(&p("/ro/dir")).await, ro, "remove_dir").unwrap();
    fails_with(
        table.rename(&p("/ro/dir/f"), &p("/ro/dir/g")).await,
        ro,
        "rename",
    )
    .unwrap();
    fails_with(
        table.rename(&p("/ro/dir/f"), &p("/rw/g")).await,
        ro,
        "rename out of ro",
    )
    .unwrap();
    fails_with(
        table.copy_file(&p("/rw/none"), &p("/ro/dir/g")).await,
        ro,
        "copy into ro",
    )
    .unwrap();
    fails_with(
        table.set_modified(&p("/ro/dir/f"), at(1)).await,
        ro,
        "set_modified",
    )
    .unwrap();
    fails_with(table.remove_tree(&p("/ro/dir")).await, ro, "remove_tree").unwrap();
    assert_eq!(
        mutations.load(Ordering::SeqCst),
        0,
        "a mutating call reached the read-only backend"
    );

    // Reading through the read-only mount still works, and copying out of it is allowed.
    let data = collect_stream(table.read(&p("/ro/dir/f"), None).await.unwrap())
        .await
        .unwrap();
    assert_eq!(data, b"seeded\n");
    table
        .copy_file(&p("/ro/dir/f"), &p("/rw/copy"))
        .await
        .unwrap();
    let copied = collect_stream(table.read(&p("/rw/copy"), None).await.unwrap())
        .await
        .unwrap();
    assert_eq!(copied, b"seeded\n");
    assert_eq!(mutations.load(Ordering::SeqCst), 0);
    // Paths outside every mount are read-only too.
    fails_with(
        table
            .write(
                &p("/elsewhere"),
                stream_from_bytes("x"),
                WriteMode::Truncate,
            )
            .await,
        ro,
        "write unmounted",
    )
    .unwrap();
}
