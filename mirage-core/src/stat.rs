//! What a resource knows about one file or directory.

use std::time::SystemTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    File,
    Dir,
    /// A workspace-level symbolic link, seen only by `lstat` and in listings.
    Symlink,
    /// A character device (`/dev/null`, `/dev/zero`...): readable and writable, no size.
    CharDevice,
}

/// Metadata of one entry. Fields a service cannot know cheaply are `None`; never invent them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub kind: FileKind,
    /// Size in bytes for files; `None` when unknown.
    pub size: Option<u64>,
    pub modified: Option<SystemTime>,
    /// A value that changes whenever the content changes (ETag, sha, revision).
    pub fingerprint: Option<String>,
    /// Unix permission bits when the backend has them.
    pub mode: Option<u32>,
}

impl FileStat {
    /// The permission bits: the backend's, or what a fresh file, directory or link has under
    /// the usual umask 022 (644, 755, 777) when the backend keeps none.
    pub fn mode_or_default(&self) -> u32 {
        self.mode.unwrap_or(match self.kind {
            FileKind::Symlink => 0o777,
            FileKind::Dir => 0o755,
            FileKind::File | FileKind::CharDevice => 0o644,
        })
    }

    pub fn file(size: u64) -> Self {
        FileStat {
            kind: FileKind::File,
            size: Some(size),
            modified: None,
            fingerprint: None,
            mode: None,
        }
    }

    pub fn dir() -> Self {
        FileStat {
            kind: FileKind::Dir,
            size: None,
            modified: None,
            fingerprint: None,
            mode: None,
        }
    }

    /// A link whose target text is `target`; like the kernel, its size is the target's length.
    pub fn symlink(target: &str) -> Self {
        FileStat {
            kind: FileKind::Symlink,
            size: Some(target.len() as u64),
            modified: None,
            fingerprint: None,
            mode: Some(0o777),
        }
    }

    /// A character device, `crw-rw-rw-` like the kernel's `/dev/null`.
    pub fn char_device() -> Self {
        FileStat {
            kind: FileKind::CharDevice,
            size: Some(0),
            modified: None,
            fingerprint: None,
            mode: Some(0o666),
        }
    }

    pub fn is_char_device(&self) -> bool {
        self.kind == FileKind::CharDevice
    }

    pub fn is_symlink(&self) -> bool {
        self.kind == FileKind::Symlink
    }

    pub fn with_modified(mut self, t: SystemTime) -> Self {
        self.modified = Some(t);
        self
    }

    pub fn is_dir(&self) -> bool {
        self.kind == FileKind::Dir
    }

    pub fn is_file(&self) -> bool {
        self.kind == FileKind::File
    }
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub stat: FileStat,
}
