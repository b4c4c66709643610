//! SFTP attributes translated into a [`FileStat`].

use std::time::{Duration, UNIX_EPOCH};

use mirage_core::FileStat;
use russh_sftp::protocol::FileAttributes;

/// Directories become `Dir`; everything else (regular files, and whatever devices or fifos the
/// remote tree holds) is a file. SFTP v3 times have whole seconds, so the fingerprint
/// (`mtime-size`) can miss a same-size rewrite within one second by another client; writes
/// through the mount invalidate the cache themselves.
pub(crate) fn stat_of(attrs: &FileAttributes) -> FileStat {
    let is_dir = attrs.file_type().is_dir();
    let mut st = if is_dir {
        FileStat::dir()
    } else {
        FileStat {
            size: attrs.size,
            ..FileStat::file(0)
        }
    };
    st.mode = attrs.permissions.map(|p| p & 0o7777);
    if let Some(mtime) = attrs.mtime {
        st.modified = Some(UNIX_EPOCH + Duration::from_secs(u64::from(mtime)));
        if !is_dir {
            st.fingerprint = attrs.size.map(|size| format!("{mtime}-{size}"));
        }
    }
    st
}

/// Listed as a file of unknown size: a symlink whose target is missing or unreadable.
pub(crate) fn unresolved_link() -> FileStat {
    FileStat {
        size: None,
        ..FileStat::file(0)
    }
}
