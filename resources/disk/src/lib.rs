//! `disk`: a directory of the local filesystem, mounted into the tree and confined to it.
//!
//! ```no_run
//! use mirage_resource_disk::DiskResource;
//! let disk = DiskResource::new("/srv/shared")?;
//! # let _ = disk;
//! # Ok::<(), mirage_core::FsError>(())
//! ```
//!
//! Every operation maps onto `tokio::fs`. Paths are resolved through [`confine`], which follows
//! symlinks by hand and refuses any that lead out of the root, so a link planted inside the
//! directory cannot expose the rest of the host. Reads stream in 256 KiB chunks and seek for
//! ranges; truncating writes land atomically through a temporary file (see [`write`]).

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
            root: Arc::new(canonical),
        })
    }

    /// The canonical host directory this resource serves.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves `path` to a confined host path without blocking the runtime.
    async fn host(&self, path: &VPath, follow: Follow) -> FsResult<PathBuf> {
        let root = Arc::clone(&self.root);
        let path = path.clone();
        blocking(move || confine::resolve(&root, &path, follow)).await
    }
}

/// Runs blocking filesystem work on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> FsResult<T> + Send + 'static,
) -> FsResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| FsError::with_detail(ErrorKind::Other, format!("disk task failed: {e}")))?
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
        let host = self.host(path, Follow::All).await?;
        Ok(meta::stat_of(&tokio::fs::metadata(&host).await?))
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        let host = self.host(path, Follow::All).await?;
        let root = Arc::clone(&self.root);
        let dir = path.clone();
        blocking(move || list_dir(&root, &dir, &host)).await
    }

    async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        let host = self.host(path, Follow::All).await?;
        read::read_file(&host, range).await
    }

    async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let host = self.host(path, Follow::All).await?;
        match mode {
            WriteMode::Truncate => write::write_truncate(&host, data).await,
            WriteMode::Append => write::write_append(&host, data).await,
        }
    }

    async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        if path.is_root() {
            return Err(FsError::exists());
        }
        let host = self.host(path, Follow::Parent).await?;
        Ok(tokio::fs::create_dir(&host).await?)
    }

    async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        if path.is_root() {
            return Err(FsError::is_dir());
        }
        let host = self.host(path, Follow::Parent).await?;
        Ok(tokio::fs::remove_file(&host).await?)
    }

    async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        refuse_root(path)?;
        let host = self.host(path, Follow::Parent).await?;
        Ok(tokio::fs::remove_dir(&host).await?)
    }

    async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        refuse_root(from)?;
        refuse_root(to)?;
        let src = self.host(from, Follow::Parent).await?;
        let dst = self.host(to, Follow::Parent).await?;
        tokio::fs::rename(&src, &dst)
            .await
            .map_err(|e| match FsError::from(e) {
                // EINVAL from rename means moving a directory into itself; say so as the ram
                // resource does, so callers see one kind whatever the backend.
                e if e.kind == ErrorKind::InvalidInput => FsError::new(ErrorKind::InvalidArgument),
                e => e,
            })
    }

    async fn copy(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let src = self.host(from, Follow::All).await?;
        if tokio::fs::metadata(&src).await?.is_dir() {
            return Err(FsError::is_dir());
        }
        let dst = self.host(to, Follow::All).await?;
        let data = read::read_file(&src, None).await?;
        write::write_truncate(&dst, data).await.map(|_| ())
    }

    async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        use std::os::unix::fs::PermissionsExt;
        let host = self.host(path, Follow::All).await?;
        blocking(move || {
            std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode & 0o7777))?;
            Ok(())
        })
        .await
    }

    async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        let host = self.host(path, Follow::All).await?;
        blocking(move || {
            // A read-only handle is enough for futimens, and it opens directories too.
            let file = std::fs::File::open(&host)?;
            file.set_modified(time)?;
            Ok(())
        })
        .await
    }
}

/// Lists `host`. Entries that are symlinks are described by their target, resolved under the
/// same confinement; a link that dangles or leaves the root is still listed (hiding a name the
/// agent can see with other tools would be confusing) but as a file of unknown size.
fn list_dir(root: &Path, dir: &VPath, host: &Path) -> FsResult<Vec<DirEntry>> {
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
