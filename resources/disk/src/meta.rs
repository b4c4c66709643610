//! Host metadata translated into a [`FileStat`].

use std::fs::Metadata;
use std::os::unix::fs::PermissionsExt;
use std::time::UNIX_EPOCH;

use mirage_core::FileStat;

/// Directories become `Dir`; everything else that is not a directory (regular files, and the
/// devices or fifos a root might contain) is presented as a file with its size.
pub(crate) fn stat_of(meta: &Metadata) -> FileStat {
    let mut st = if meta.is_dir() {
        FileStat::dir()
    } else {
        FileStat::file(meta.len())
    };
    st.mode = Some(meta.permissions().mode() & 0o7777);
    if let Ok(mtime) = meta.modified() {
        st.modified = Some(mtime);
        if !meta.is_dir() {
            st.fingerprint = Some(fingerprint(meta, mtime));
        }
    }
    st
}

/// `mtime_nanos-size`: changes whenever a write lands, without reading the content. Times
/// before the epoch (possible on disk) count as negative nanoseconds so they stay distinct.
fn fingerprint(meta: &Metadata, mtime: std::time::SystemTime) -> String {
    let nanos: i128 = match mtime.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    format!("{nanos}-{}", meta.len())
}
