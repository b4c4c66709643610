//! `disk`: a directory of the local filesystem, mounted into the tree and confined to it.
//!
//! ```no_run
//! use mirage_resource_disk::DiskResource;
//! let disk = DiskResource::new("/srv/shared")?;
//! # let _ = disk;
//! # Ok::<(), mirage_core::FsError>(())
//! ```
//!
//! Every operation is a direct `std::fs` call on the calling task: on a local filesystem a call
//! takes microseconds, while handing each one to tokio's blocking pool (what `tokio::fs` does)
//! costs a thread wake-up per call — `grep -rl` over 5,000 small files spent 17x GNU's time in
//! those hand-offs. Only special files (fifos, devices), whose reads can block indefinitely, are
//! read through `tokio::fs`. Paths are resolved through [`confine`], which follows
//! symlinks by hand and refuses any that lead out of the root, so a link planted inside the
//! directory cannot expose the rest of the host. Reads stream in 256 KiB chunks and seek for
//! ranges; truncating writes land atomically through a temporary file (see [`write`]).

mod beneath;
mod config;
mod confine;
mod meta;
mod read;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use mirage_core::{
    ByteRange, ByteStream, CacheHints, Capabilities, DirEntry, ErrorKind, FileStat, FsError,
    FsResult, Resource, VPath, WriteMode, async_trait,
};

use crate::confine::Follow;

/// A directory on the host, seen as a resource root.
#[derive(Clone, Debug)]
pub struct DiskResource {
    /// Canonical (symlink-free, absolute) path of the root: the prefix every resolved path must
    /// keep.
    root: Arc<PathBuf>,
    /// A handle on the root for one-call confined opens (see [`beneath`]).
    root_handle: Arc<beneath::RootHandle>,
}

impl DiskResource {
    /// Mounts `root`, which must exist and be a directory.
    pub fn new(root: impl Into<PathBuf>) -> Result<Self, FsError> {
        let root = root.into();
        let canonical = std::fs::canonicalize(&root)?;
        if !std::fs::metadata(&canonical)?.is_dir() {
            return Err(FsError::not_dir());
        }
        Ok(DiskResource {
            root_handle: Arc::new(beneath::RootHandle::open(&canonical)),
            root: Arc::new(canonical),
        })
    }

    /// The canonical host directory this resource serves.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves `path` to a confined host path.
    fn host(&self, path: &VPath, follow: Follow) -> FsResult<PathBuf> {
        confine::resolve(&self.root, path, follow)
    }
}

/// The root itself cannot be removed or renamed through the resource.
fn refuse_root(path: &VPath) -> FsResult<()> {
    if path.is_root() {
        Err(FsError::new(ErrorKind::Busy))
    } else {
        Ok(())
    }
}

#[async_trait]
impl Resource for DiskResource {
    fn kind(&self) -> &str {
        "disk"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all()
    }

    /// Local reads are cheaper than any cache, and other programs change the directory under
    /// us, so listings are trusted only briefly and bytes are never cached.
    fn cache_hints(&self) -> CacheHints {
        CacheHints {
            index_ttl: std::time::Duration::from_secs(2),
            file_cache: false,
            synthetic_dirs: false,
        }
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        let host = self.host(path, Follow::All)?;
        Ok(meta::stat_of(&std::fs::metadata(&host)?))
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        let host = self.host(path, Follow::All)?;
        list_dir(&self.root, path, &host, false)
    }

    /// Kinds come from `readdir`'s file types, so only symlinks cost a stat (their target's
    /// kind is what they show, as in [`Resource::list`]).
    async fn list_kinds(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        let host = self.host(path, Follow::All)?;
        list_dir(&self.root, path, &host, true)
    }

    fn cheap_kind_listing(&self) -> bool {
        true
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        if let Some(file) = self.root_handle.open_read(path)
            && let Some(stream) = read::read_opened(file, range)?
        {
            return Ok(stream);
        }
        let host = self.host(path, Follow::All)?;
        read::read_file(&host, range).await
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let host = self.host(path, Follow::All)?;
        match mode {
            WriteMode::Truncate => write::write_truncate(&host, data).await,
            WriteMode::Append => write::write_append(&host, data).await,
        }
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        if path.is_root() {
            return Err(FsError::exists());
        }
        let host = self.host(path, Follow::Parent)?;
        Ok(std::fs::create_dir(&host)?)
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let host = self.host(path, Follow::Parent)?;
        Ok(std::fs::remove_file(&host)?)
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        refuse_root(path)?;
        let host = self.host(path, Follow::Parent)?;
        Ok(std::fs::remove_dir(&host)?)
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        refuse_root(from)?;
        refuse_root(to)?;
        let src = self.host(from, Follow::Parent)?;
        let dst = self.host(to, Follow::Parent)?;
        std::fs::rename(&src, &dst).map_err(|e| match FsError::from(e) {
            // EINVAL from rename means moving a directory into itself; say so as the ram
            // resource does, so callers see one kind whatever the backend.
            e if e.kind == ErrorKind::InvalidInput => FsError::new(ErrorKind::InvalidArgument),
            e => e,
        })
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let src = self.host(from, Follow::All)?;
        if std::fs::metadata(&src)?.is_dir() {
            return Err(FsError::is_dir());
        }
        let dst = self.host(to, Follow::All)?;
        let data = read::read_file(&src, None).await?;
        write::write_truncate(&dst, data).await.map(|_| ())
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        use std::os::unix::fs::PermissionsExt;
        let host = self.host(path, Follow::All)?;
        std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode & 0o7777))?;
        Ok(())
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        let host = self.host(path, Follow::All)?;
        // A read-only handle is enough for futimens, and it opens directories too.
        let file = std::fs::File::open(&host)?;
        file.set_modified(time)?;
        Ok(())
    }
}

/// Lists `host`. Entries that are symlinks are described by their target, resolved under the
/// same confinement; a link that dangles or leaves the root is still listed (hiding a name the
/// agent can see with other tools would be confusing) but as a file of unknown size.
///
/// With `kinds_only`, entries other than symlinks carry only their kind (no size, times or
/// mode), read from the directory itself without a stat each.
fn list_dir(root: &Path, dir: &VPath, host: &Path, kinds_only: bool) -> FsResult<Vec<DirEntry>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(host)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type()?;
        let stat = if file_type.is_symlink() {
            confine::resolve(root, &dir.child(&name), Follow::All)
                .and_then(|p| Ok(std::fs::metadata(p)?))
                .map(|m| meta::stat_of(&m))
                .unwrap_or(FileStat {
                    size: None,
                    ..FileStat::file(0)
                })
        } else if kinds_only {
            if file_type.is_dir() {
                FileStat::dir()
            } else {
                FileStat {
                    size: None,
                    ..FileStat::file(0)
                }
            }
        } else {
            match entry.metadata() {
                Ok(m) => meta::stat_of(&m),
                // Removed between readdir and stat: it is gone, so leave it out.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            }
        };
        out.push(DirEntry { name, stat });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
