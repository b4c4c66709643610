//! The fast path for opening a file: one `openat2(RESOLVE_BENEATH)` call from a handle on the
//! root, where [`confine`](crate::confine) spends one `lstat` per path component. The kernel
//! then refuses every escape itself (`..` above the root, absolute symlinks, magic links).
//!
//! Whenever the fast path does not simply succeed — an old kernel or a sandbox without
//! `openat2`, a symlink the kernel will not follow beneath the root, a missing file — the caller
//! falls back to the portable resolver, so answers and error messages stay exactly the same.

use std::ffi::CString;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;

use mirage_core::VPath;

/// `struct open_how` of openat2(2), version 0 (24 bytes).
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// A handle on the root directory that later opens are resolved from.
#[derive(Debug)]
pub(crate) struct RootHandle(Option<OwnedFd>);

impl RootHandle {
    /// Opens `root` as an `O_PATH` handle; without one the fast path is simply off.
    pub(crate) fn open(root: &Path) -> Self {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c_root) = CString::new(root.as_os_str().as_bytes()) else {
            return RootHandle(None);
        };
        // SAFETY: a plain open(2) of a NUL-terminated path; the result is checked before use.
        let fd = unsafe {
            libc::open(
                c_root.as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return RootHandle(None);
        }
        // SAFETY: `fd` was just returned by open(2) and is owned by nobody else.
        RootHandle(Some(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Opens `path` for reading beneath the root, or `None` when the caller should take the
    /// portable path. `O_NONBLOCK` keeps a fifo from stalling the open; callers only keep the
    /// file when it is a regular one, where the flag has no effect.
    pub(crate) fn open_read(&self, path: &VPath) -> Option<File> {
        self.open_with(path, libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY)
    }

    fn open_with(&self, path: &VPath, flags: libc::c_int) -> Option<File> {
        use std::os::unix::ffi::OsStrExt;
        let root = self.0.as_ref()?;
        let relative = path.as_str().trim_start_matches('/');
        let relative = if relative.is_empty() { "." } else { relative };
        let c_path = CString::new(std::ffi::OsStr::new(relative).as_bytes()).ok()?;
        let how = OpenHow {
            flags: (flags | libc::O_CLOEXEC) as u64,
            mode: 0,
            resolve: libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS,
        };
        // SAFETY: openat2(2) reads the path and the `open_how` we pass with its exact size;
        // the returned descriptor is checked and then owned by the File.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                root.as_raw_fd(),
                c_path.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if fd < 0 {
            return None;
        }
        // SAFETY: as above, a fresh descriptor from the kernel.
        Some(unsafe { File::from_raw_fd(fd as libc::c_int) })
    }
}
