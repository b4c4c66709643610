//! The mount table: which resource answers for which part of the tree, and in which mode.
//!
//! Every filesystem call a command makes goes through here. It picks the mount with the longest
//! matching prefix, enforces the mount mode before any backend is touched, presents the parents
//! of mount points as directories, and supplies fallbacks (copy + delete for rename, streaming
//! copy across mounts) where a backend lacks an operation.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::SystemTime;

use crate::error::{ErrorKind, FsError, FsResult};
use crate::path::VPath;
use crate::resource::{Capabilities, Resource, WriteMode};
use crate::stat::{DirEntry, FileStat};
use crate::stream::{ByteRange, ByteStream, Reader, stream_reader};
use crate::symlinks::SymlinkTable;

/// Access granted to a mount. Writes to a `Read` mount fail with `Read-only file system`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MountMode {
    Read,
    Write,
}

impl std::str::FromStr for MountMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "read" | "ro" | "r" => Ok(MountMode::Read),
            "write" | "rw" | "w" => Ok(MountMode::Write),
            other => Err(format!(
                "unknown mount mode `{other}` (expected read or write)"
            )),
        }
    }
}

#[derive(Clone)]
pub struct Mount {
    pub prefix: VPath,
    pub resource: Arc<dyn Resource>,
    pub mode: MountMode,
}

/// Where a path lands: the mount and the path inside it.
pub struct Resolved<'a> {
    pub mount: &'a Mount,
    pub inner: VPath,
}

#[derive(Clone, Default)]
pub struct MountTable {
    /// Sorted by prefix length, longest first, so the first match is the longest prefix.
    mounts: Vec<Mount>,
    /// Workspace-level symlinks, shared by every clone of this table.
    links: SymlinkTable,
}

impl MountTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a mount; a second mount at the same prefix is refused.
    pub fn add(
        &mut self,
        prefix: VPath,
        resource: Arc<dyn Resource>,
        mode: MountMode,
    ) -> Result<(), String> {
        if self.mounts.iter().any(|m| m.prefix == prefix) {
            return Err(format!("{prefix} is already mounted"));
        }
        self.mounts.push(Mount {
            prefix,
            resource,
            mode,
        });
        self.mounts
            .sort_by_key(|m| std::cmp::Reverse(m.prefix.as_str().len()));
        Ok(())
    }

    pub fn mounts(&self) -> impl Iterator<Item = &Mount> {
        self.mounts.iter()
    }

    pub fn resolve(&self, path: &VPath) -> Option<Resolved<'_>> {
        self.mounts.iter().find_map(|m| {
            path.strip_prefix(&m.prefix)
                .map(|inner| Resolved { mount: m, inner })
        })
    }

    /// The resource kind answering for `path`, if any (used for command overrides).
    pub fn kind_of(&self, path: &VPath) -> Option<&str> {
        self.resolve(path).map(|r| r.mount.resource.kind())
    }

    /// Names of mount points (or their virtual ancestors) directly below `dir`.
    fn mount_children(&self, dir: &VPath) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for m in &self.mounts {
            if m.prefix != *dir
                && m.prefix.starts_with(dir)
                && let Some(rest) = m.prefix.strip_prefix(dir)
                && let Some(first) = rest.components().next()
            {
                out.insert(first.to_string());
            }
        }
        out
    }

    /// True when `path` is `/` or an ancestor of a mount point (and so a directory of the tree).
    fn is_virtual_dir(&self, path: &VPath) -> bool {
        path.is_root()
            || self
                .mounts
                .iter()
                .any(|m| m.prefix != *path && m.prefix.starts_with(path))
    }

    fn is_mount_point(&self, path: &VPath) -> bool {
        self.mounts.iter().any(|m| m.prefix == *path)
    }

    /// The mount for a change at `path`: it must be mounted read-write, and its backend must
    /// be able to write at all (a read-only service mounted `write` is still read-only).
    fn writable(&self, path: &VPath) -> FsResult<Resolved<'_>> {
        match self.resolve(path) {
            // Outside every mount: the virtual directories (`/` and the ones leading to mount
            // points) cannot be changed, and below anything else the parent does not exist.
            None if self.is_virtual_dir(path) || self.is_virtual_dir(&path.parent()) => {
                Err(FsError::read_only())
            }
            None => Err(FsError::not_found()),
            Some(r) if r.mount.mode < MountMode::Write => Err(FsError::read_only()),
            Some(r) if r.mount.resource.capabilities() == Capabilities::read_only() => {
                Err(FsError::read_only())
            }
            Some(r) => Ok(r),
        }
    }

    /// Fails with `Read-only file system` unless `path` lies in a writable mount. Lets callers
    /// (shell redirections) refuse a write before they start producing data.
    pub fn check_writable(&self, path: &VPath) -> FsResult<()> {
        self.writable(path).map(|_| ())
    }

    /// Like [`stat`](Self::stat), but a link in the last component is described, not followed.
    pub async fn lstat(&self, path: &VPath) -> FsResult<FileStat> {
        let path = self.links.expand(path, false)?;
        match self.links.target(&path) {
            Some(target) => Ok(FileStat::symlink(&target)),
            None => self.stat(&path).await,
        }
    }

    /// The target of a link at exactly `path` (no expansion, no backend call): lets path
    /// walkers such as `realpath` expand links one component at a time.
    pub fn link_target(&self, path: &VPath) -> Option<String> {
        self.links.target(path)
    }

    /// The target text of the link at `path`; `InvalidArgument` when `path` is not a link.
    pub async fn readlink(&self, path: &VPath) -> FsResult<String> {
        let path = self.links.expand(path, false)?;
        match self.links.target(&path) {
            Some(target) => Ok(target),
            None => self
                .stat(&path)
                .await
                .and(Err(FsError::new(ErrorKind::InvalidArgument))),
        }
    }

    /// Creates a workspace-level link at `link` holding `target`. The link's directory must
    /// exist and be writable; the target need not exist (a dangling link, as `ln -s` allows).
    pub async fn symlink(&self, target: &str, link: &VPath) -> FsResult<()> {
        let link = self.links.expand(link, false)?;
        if self.links.target(&link).is_some() || self.stat(&link).await.is_ok() {
            return Err(FsError::exists());
        }
        let parent = self.stat(&link.parent()).await?;
        if !parent.is_dir() {
            return Err(FsError::not_dir());
        }
        self.writable(&link)?;
        self.links.insert(link, target.to_string());
        Ok(())
    }

    pub async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        let path = &self.links.expand(path, true)?;
        match self.resolve(path) {
            Some(r) => match r.mount.resource.stat(&r.inner).await {
                Err(e) if e.kind == ErrorKind::NotFound && self.is_virtual_dir(path) => {
                    Ok(FileStat::dir())
                }
                other => other,
            },
            None if self.is_virtual_dir(path) => Ok(FileStat::dir()),
            None => Err(FsError::not_found()),
        }
    }

    /// Lists a directory, sorted by name, with mount points below it merged in.
    pub async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        let mut entries = self.list_in_directory_order(path).await?;
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Lists a directory in the backend's own order (readdir order on a disk), mount points
    /// below it last. GNU `find`, `grep -r` and `du` walk in this order, so on a disk mount
    /// their output matches GNU's on the same directory.
    pub async fn list_in_directory_order(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.list_unsorted(path, false).await
    }

    /// [`MountTable::list_in_directory_order`] for callers that read only each entry's kind
    /// (see [`Resource::list_kinds`]): on a disk mount it costs no stat per entry.
    pub async fn list_kinds_in_directory_order(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        self.list_unsorted(path, true).await
    }

    async fn list_unsorted(&self, path: &VPath, kinds_only: bool) -> FsResult<Vec<DirEntry>> {
        let path = &self.links.expand(path, true)?;
        let listed = match self.resolve(path) {
            Some(r) if kinds_only => Some(r.mount.resource.list_kinds(&r.inner).await),
            Some(r) => Some(r.mount.resource.list(&r.inner).await),
            None => None,
        };
        let mut entries = match listed {
            Some(listed) => match listed {
                Ok(v) => v,
                Err(e) if e.kind == ErrorKind::NotFound && self.is_virtual_dir(path) => Vec::new(),
                Err(e) => return Err(e),
            },
            None if self.is_virtual_dir(path) => Vec::new(),
            None => return Err(FsError::not_found()),
        };
        for name in self.mount_children(path) {
            if !entries.iter().any(|e| e.name == name) {
                entries.push(DirEntry {
                    name,
                    stat: FileStat::dir(),
                });
            } else if let Some(e) = entries.iter_mut().find(|e| e.name == name) {
                e.stat = FileStat::dir();
            }
        }
        for (name, target) in self.links.children(path) {
            let stat = FileStat::symlink(&target);
            match entries.iter_mut().find(|e| e.name == name) {
                Some(e) => e.stat = stat,
                None => entries.push(DirEntry { name, stat }),
            }
        }
        Ok(entries)
    }

    pub async fn read(&self, path: &VPath, range: Option<ByteRange>) -> FsResult<ByteStream> {
        let path = &self.links.expand(path, true)?;
        match self.resolve(path) {
            Some(r) => match r.mount.resource.read(&r.inner, range).await {
                Err(e) if e.kind == ErrorKind::NotFound && self.is_virtual_dir(path) => {
                    Err(FsError::is_dir())
                }
                other => other,
            },
            None if self.is_virtual_dir(path) => Err(FsError::is_dir()),
            None => Err(FsError::not_found()),
        }
    }

    /// Opens a file for buffered reading.
    pub async fn open(&self, path: &VPath) -> FsResult<Reader> {
        Ok(stream_reader(self.read(path, None).await?))
    }

    pub async fn write(&self, path: &VPath, data: ByteStream, mode: WriteMode) -> FsResult<u64> {
        let path = &self.links.expand(path, true)?;
        if self.is_virtual_dir(path) || self.is_mount_point(path) {
            return Err(FsError::is_dir());
        }
        let r = self.writable(path)?;
        r.mount.resource.write(&r.inner, data, mode).await
    }

    pub async fn mkdir(&self, path: &VPath) -> FsResult<()> {
        let path = &self.links.expand(path, false)?;
        if self.links.target(path).is_some() {
            return Err(FsError::exists());
        }
        if self.is_virtual_dir(path) || self.is_mount_point(path) {
            return Err(FsError::exists());
        }
        let r = self.writable(path)?;
        r.mount.resource.mkdir(&r.inner).await
    }

    /// Creates `path` and any missing parents (`mkdir -p`).
    pub async fn mkdir_all(&self, path: &VPath) -> FsResult<()> {
        let mut cur = VPath::root();
        for comp in path.components().map(str::to_string).collect::<Vec<_>>() {
            cur = cur.child(&comp);
            match self.stat(&cur).await {
                Ok(st) if st.is_dir() => continue,
                Ok(_) => return Err(FsError::exists()),
                Err(e) if e.kind == ErrorKind::NotFound => self.mkdir(&cur).await?,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Removes a file, or the link itself when `path` names a link.
    pub async fn remove_file(&self, path: &VPath) -> FsResult<()> {
        let path = &self.links.expand(path, false)?;
        if self.links.remove(path).is_some() {
            return Ok(());
        }
        if self.is_virtual_dir(path) || self.is_mount_point(path) {
            return Err(FsError::is_dir());
        }
        let r = self.writable(path)?;
        r.mount.resource.remove_file(&r.inner).await
    }

    pub async fn remove_dir(&self, path: &VPath) -> FsResult<()> {
        let path = &self.links.expand(path, false)?;
        if self.links.target(path).is_some() {
            return Err(FsError::not_dir());
        }
        if self.is_virtual_dir(path) || self.is_mount_point(path) {
            return Err(FsError::new(ErrorKind::Busy));
        }
        let r = self.writable(path)?;
        r.mount.resource.remove_dir(&r.inner).await
    }

    pub async fn set_modified(&self, path: &VPath, time: SystemTime) -> FsResult<()> {
        let path = &self.links.expand(path, true)?;
        if self.is_virtual_dir(path) {
            return Ok(());
        }
        let r = self.writable(path)?;
        if !r.mount.resource.capabilities().set_modified {
            // The caller decides: `touch f` (now) can live with it, `touch -d` cannot.
            r.mount.resource.stat(&r.inner).await?;
            return Err(FsError::unsupported());
        }
        r.mount.resource.set_modified(&r.inner, time).await
    }

    /// Sets permission bits (`chmod`), following links like chmod(2).
    pub async fn set_mode(&self, path: &VPath, mode: u32) -> FsResult<()> {
        let path = &self.links.expand(path, true)?;
        if self.is_virtual_dir(path) && self.resolve(path).is_none() {
            return Err(FsError::read_only());
        }
        let r = self.writable(path)?;
        r.mount.resource.set_mode(&r.inner, mode).await
    }

    /// Copies one file. Server-side within a mount that can; streamed otherwise, so the size of
    /// the file never matters.
    pub async fn copy_file(&self, from: &VPath, to: &VPath) -> FsResult<u64> {
        let from = &self.links.expand(from, true)?;
        let to = &self.links.expand(to, true)?;
        let src = self.resolve(from).ok_or_else(FsError::not_found)?;
        let dst = self.writable(to)?;
        if Arc::ptr_eq(&src.mount.resource, &dst.mount.resource)
            && src.mount.resource.capabilities().copy
        {
            src.mount.resource.copy(&src.inner, &dst.inner).await?;
            return Ok(self.stat(to).await?.size.unwrap_or(0));
        }
        let data = self.read(from, None).await?;
        self.write(to, data, WriteMode::Truncate).await
    }

    /// Renames a file or directory. Within one resource that supports it the backend renames;
    /// otherwise the content is copied and the source removed only after the copy completed, so a
    /// failure midway never loses the source.
    pub async fn rename(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let from = &self.links.expand(from, false)?;
        let to = &self.links.expand(to, false)?;
        if let Some(target) = self.links.target(from) {
            // Renaming a link moves the link, never what it points to.
            self.links.remove(from);
            self.links.remove(to);
            self.links.insert(to.clone(), target);
            return Ok(());
        }
        self.links.remove(to);
        let moved_links = self.links.below(from);
        if self.is_mount_point(from) || self.is_virtual_dir(from) {
            return Err(FsError::new(ErrorKind::Busy));
        }
        let src = self.writable(from)?;
        let dst = self.writable(to)?;
        if Arc::ptr_eq(&src.mount.resource, &dst.mount.resource)
            && src.mount.resource.capabilities().rename
        {
            src.mount.resource.rename(&src.inner, &dst.inner).await?;
        } else {
            self.copy_tree(from, to).await?;
            self.remove_tree(from).await?;
        }
        for (link, target) in moved_links {
            if let Some(rest) = link.strip_prefix(from) {
                self.links.remove(&link);
                self.links
                    .insert(to.join(rest.as_str().trim_start_matches('/')), target);
            }
        }
        Ok(())
    }

    /// Copies a file or a whole directory tree to `to` (which must not exist for directories).
    pub async fn copy_tree(&self, from: &VPath, to: &VPath) -> FsResult<()> {
        let st = self.stat(from).await?;
        let from = &self.links.expand(from, true)?;
        let to = &self.links.expand(to, true)?;
        if !st.is_dir() {
            self.copy_file(from, to).await?;
            return Ok(());
        }
        let mut stack = vec![(from.clone(), to.clone())];
        while let Some((s, d)) = stack.pop() {
            match self.stat(&d).await {
                Ok(st) if st.is_dir() => {}
                Ok(_) => return Err(FsError::exists()),
                Err(e) if e.kind == ErrorKind::NotFound => self.mkdir(&d).await?,
                Err(e) => return Err(e),
            }
            for e in self.list(&s).await? {
                let (cs, cd) = (s.child(&e.name), d.child(&e.name));
                if e.stat.is_dir() {
                    stack.push((cs, cd));
                } else if let Some(target) = self.links.target(&cs) {
                    // Links inside a copied tree stay links, as `cp -r` keeps them.
                    self.symlink(&target, &cd).await?;
                } else {
                    self.copy_file(&cs, &cd).await?;
                }
            }
        }
        Ok(())
    }

    /// Removes the directory `path` and everything below it in one bulk backend operation when
    /// that is safe and the backend offers one. `Ok(false)`: not done, walk the tree instead
    /// (another mount or a workspace link lives below it, or the backend has no bulk delete).
    pub async fn remove_tree_bulk(&self, path: &VPath) -> FsResult<bool> {
        let path = &self.links.expand(path, false)?;
        if self.links.target(path).is_some()
            || !self.links.below(path).is_empty()
            || self.is_virtual_dir(path)
            || self.is_mount_point(path)
        {
            return Ok(false);
        }
        // Refusals (a read-only mount) are left to the walk, which names each entry as rm does.
        let Ok(r) = self.writable(path) else {
            return Ok(false);
        };
        match r.mount.resource.remove_tree(&r.inner).await {
            Ok(()) => Ok(true),
            Err(e) if e.kind == ErrorKind::Unsupported => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Removes a file or a directory with everything below it, deepest first.
    pub async fn remove_tree(&self, path: &VPath) -> FsResult<()> {
        let st = self.lstat(path).await?;
        if !st.is_dir() {
            return self.remove_file(path).await;
        }
        let path = &self.links.expand(path, true)?;
        for e in self.list(path).await? {
            let child = path.child(&e.name);
            Box::pin(self.remove_tree(&child)).await?;
        }
        self.remove_dir(path).await
    }
}
