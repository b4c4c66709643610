//! Directory listings: `opendir`, `readdir` until end of directory, `close`.
//!
//! `readdir` returns each entry's own attributes (as `lstat` sees them), so a listing costs no
//! per-entry request, except for symlinks: they are shown as what they point to, like `stat`
//! shows them, which takes one `stat` each. A link that dangles is still listed (hiding a name
//! other tools show would confuse), as a file of unknown size.

use mirage_core::{DirEntry, FsResult, VPath};
use russh_sftp::protocol::StatusCode;

use crate::client::{Conn, OpenHandle};
use crate::error::status_code;
use crate::meta::{stat_of, unresolved_link};
use crate::probe::not_a_dir_or_missing;

pub(crate) async fn list(conn: Conn, path: &VPath) -> FsResult<Vec<DirEntry>> {
    let remote = conn.remote(path);
    let handle = match conn.sftp.opendir(remote.as_str()).await {
        Ok(h) => OpenHandle::new(conn.clone(), h.handle),
        Err(e) if status_code(&e) == Some(StatusCode::NoSuchFile) => {
            return Err(not_a_dir_or_missing(&conn, path).await);
        }
        Err(e) => return Err(conn.fail(e)),
    };
    let mut out = Vec::new();
    loop {
        let batch = match conn.sftp.readdir(handle.id()).await {
            Ok(name) => name.files,
            Err(e) if status_code(&e) == Some(StatusCode::Eof) => break,
            Err(e) => return Err(conn.fail(e)),
        };
        for file in batch {
            if file.filename == "." || file.filename == ".." {
                continue;
            }
            let stat = if file.attrs.file_type().is_symlink() {
                let target = conn.remote(&path.child(&file.filename));
                match conn.sftp.stat(target).await {
                    Ok(a) => stat_of(&a.attrs),
                    Err(e) if status_code(&e).is_some() => unresolved_link(),
                    Err(e) => return Err(conn.fail(e)),
                }
            } else {
                stat_of(&file.attrs)
            };
            out.push(DirEntry {
                name: file.filename,
                stat,
            });
        }
    }
    // The listing is complete; a failed close costs the server a handle, not us the answer.
    let _ = handle.close().await;
    Ok(out)
}
