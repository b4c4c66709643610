//! The Resource trait: the contract every backend implements.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;

use crate::error::{FsError, FsResult};
use crate::path::VPath;
use crate::stat::{DirEntry, FileStat};
use crate::stream::{ByteRange, ByteStream};

/// What a resource can do beyond reading. The workspace consults it before calling an optional
/// operation (and to pick fallbacks such as copy + delete for a missing rename); the behaviour
/// suite consults it to decide which tests apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub write: bool,
    pub append: bool,
    pub mkdir: bool,
    pub remove: bool,
    pub rename: bool,
    pub copy: bool,
    pub set_modified: bool,
    /// Reads honour a [`ByteRange`] without fetching the bytes before it.
    pub ranged_read: bool,
}

impl Capabilities {
    pub fn read_only() -> Self {
        Self::default()
    }

    pub fn all() -> Self {
        Capabilities {
            write: true,
            append: true,
            mkdir: true,
            remove: true,
            rename: true,
            copy: true,
            set_modified: true,
            ranged_read: true,
        }
    }
}

/// How a resource would like to be cached when the workspace does not say otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheHints {
    /// How long listings and stats may be trusted; zero turns the index cache off (a backend
    /// that is itself in memory gains nothing from it).
    pub index_ttl: Duration,
    /// Whether keeping file bytes in the file cache saves anything (not for local or
    /// in-memory backends).
    pub file_cache: bool,
    /// Directories exist only as name prefixes (object stores): a successful listing says
    /// all a stat of the directory could, so the cache may answer that stat from it.
    pub synthetic_dirs: bool,
}

impl CacheHints {
    /// What a remote service wants: ten minutes of index, bytes cached.
    pub const REMOTE: CacheHints = CacheHints {
        index_ttl: Duration::from_secs(600),
        file_cache: true,
        synthetic_dirs: true,
    };
    /// Nothing cached.
    pub const NONE: CacheHints = CacheHints {
        index_ttl: Duration::ZERO,
        file_cache: false,
        synthetic_dirs: false,
    };
}

/// How a write treats an existing file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// Create or replace.
    Truncate,
    /// Create or add to the end.
    Append,
}

/// A backend mounted into the tree. Paths are relative to the mount point, always absolute and
/// normalised (`/` is the resource's own root), so a resource cannot be asked for anything
/// outside itself.
///
/// Optional operations default to `Operation not supported`; declare the ones you implement in
/// [`Capabilities`].
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// The registered resource name, e.g. `ram`, `disk`, `s3`. Used for command overrides.
    fn kind(&self) -> &str;

    fn capabilities(&self) -> Capabilities;

    /// Cache defaults for this backend; remote services keep the default.
    fn cache_hints(&self) -> CacheHints {
        CacheHints::REMOTE
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat>;

    /// The entries of a directory, in any order (callers sort).
    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>>;

    /// The entries of a directory where only each entry's kind (file, directory, symlink) is
    /// needed: `find -name`, for one, asks nothing else. The stats may be partial (no size,
    /// times or mode), so callers must not read more than [`FileStat::kind`] from them. A
    /// backend that learns kinds without a per-entry stat (a local `readdir`) overrides this
    /// and [`Resource::cheap_kind_listing`]; the default lists in full.
    async fn list_kinds(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.list(path).await
    }

    /// Whether [`Resource::list_kinds`] costs less than [`Resource::list`]; a caching layer
    /// passes kind listings through only then, and otherwise fetches (and keeps) full ones.
    fn cheap_kind_listing(&self) -> bool {
        false
    }

    /// The content of a file, streamed; `range` limits it when given.
    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream>;

    /// Writes the whole stream to `path` (whose parent must exist), returning bytes written.
    /// Implementations must not leave a file looking complete when the stream fails midway.
    async fn write(&self, _path: &VPath, _data: ByteStream, _mode: WriteMode) -> FsResult<u64> {
        Err(FsError::unsupported())
    }

    /// Creates one directory (parent must exist).
    async fn mkdir(&self, _path: &VPath) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    async fn remove_file(&self, _path: &VPath) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    /// Removes an empty directory.
    async fn remove_dir(&self, _path: &VPath) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    /// Renames within this resource; replaces an existing file at `to`.
    async fn rename(&self, _from: &VPath, _to: &VPath) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    /// Server-side copy of one file within this resource.
    async fn copy(&self, _from: &VPath, _to: &VPath) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    async fn set_modified(&self, _path: &VPath, _time: SystemTime) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    /// Removes a directory and everything below it in bulk, when the service can do better than
    /// one call per entry (object stores delete by prefix in batches). `Unsupported` (the
    /// default) makes the caller walk the tree instead.
    async fn remove_tree(&self, _path: &VPath) -> FsResult<()> {
        Err(FsError::unsupported())
    }

    /// Sets the permission bits (`chmod`). Services without permissions keep the default.
    async fn set_mode(&self, _path: &VPath, _mode: u32) -> FsResult<()> {
        Err(FsError::unsupported())
    }
}
