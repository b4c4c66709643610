//! Mapping a virtual path to a host path that provably stays under the resource root.
//!
//! A [`VPath`] never contains `..`, so lexically it cannot leave the root. Symbolic links inside
//! the root can, though: `root/escape -> /etc` would make `/escape/passwd` read the host's file.
//! Resolution therefore walks the path one component at a time, expanding every symlink it meets
//! by hand (like the kernel does, with the same limit of 40 links) over a path that is itself free
//! of symlinks, so `..` inside a link target can be applied lexically and correctly. The result
//! must lie under the canonical root, or the request is refused with `Permission denied`.
//!
//! Components that do not exist yet (a file about to be written, a directory about to be made)
//! are appended as they are: nothing on disk can redirect them.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use mirage_core::{ErrorKind, FsError, FsResult, VPath};

/// The kernel's own limit on symlinks followed during one lookup (`MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// Whether the last component of the path is itself resolved when it is a symlink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Follow {
    /// Resolve the whole path (reading, writing, stat): the target is what matters.
    All,
    /// Resolve only the parent (remove, rename, mkdir): the entry itself is what matters, so
    /// `rm link` removes the link and never the file it points to.
    Parent,
}

/// Resolves `path` (relative to the resource) to a host path under `root`, following symlinks
/// as `follow` says and refusing any that lead outside `root`. Blocking: call it off the runtime.
pub(crate) fn resolve(root: &Path, path: &VPath, follow: Follow) -> FsResult<PathBuf> {
    let mut pending: VecDeque<OsString> = path.components().map(OsString::from).collect();
    let last = match follow {
        Follow::All => None,
        Follow::Parent => pending.pop_back(),
    };
    let mut cur = root.to_path_buf();
    let mut links = 0usize;
    while let Some(comp) = pending.pop_front() {
        if comp == ".." {
            // Only link targets put `..` here; `cur` holds no symlinks, so popping is exact.
            cur.pop();
            continue;
        }
        if comp == "." || comp.is_empty() {
            continue;
        }
        let next = cur.join(&comp);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(FsError::new(ErrorKind::TooManyLinks));
                }
                let target = std::fs::read_link(&next).map_err(FsError::from)?;
                expand_link(&mut cur, &mut pending, &target);
            }
            Ok(_) => cur = next,
            // Nothing exists from here on (or a file stands where a directory should, which
            // the operation itself will report), so no symlink can redirect the remaining parts.
            Err(_) => {
                cur = next;
                append_lexically(&mut cur, pending.drain(..));
            }
        }
    }
    if !cur.starts_with(root) {
        return Err(FsError::with_detail(
            ErrorKind::PermissionDenied,
            "path leaves the disk resource root",
        ));
    }
    if let Some(name) = last {
        cur.push(name);
    }
    Ok(cur)
}

/// Appends components without touching the disk; a `..` (only possible from a dangling link
/// target) is applied lexically so the final containment check sees the real destination.
fn append_lexically(cur: &mut PathBuf, parts: impl Iterator<Item = OsString>) {
    for p in parts {
        if p == ".." {
            cur.pop();
        } else if p != "." && !p.is_empty() {
            cur.push(p);
        }
    }
}

/// Splices a link target into the walk: an absolute target restarts from `/`, a relative one
/// continues from the link's directory (`cur`, which the link lives in).
fn expand_link(cur: &mut PathBuf, pending: &mut VecDeque<OsString>, target: &Path) {
    let mut parts: Vec<OsString> = Vec::new();
    for c in target.components() {
        match c {
            Component::RootDir | Component::Prefix(_) => {
                *cur = PathBuf::from("/");
                parts.clear();
            }
            Component::CurDir => {}
            Component::ParentDir => parts.push(OsString::from("..")),
            Component::Normal(n) => parts.push(n.to_os_string()),
        }
    }
    for p in parts.into_iter().rev() {
        pending.push_front(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("root");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/f.txt"), "x").unwrap();
        std::fs::write(outer.path().join("secret"), "s").unwrap();
        let root = root.canonicalize().unwrap();
        (outer, root)
    }

    #[test]
    fn plain_paths_map_under_the_root() {
        let (_t, root) = setup();
        let p = resolve(&root, &VPath::new("/sub/f.txt"), Follow::All).unwrap();
        assert_eq!(p, root.join("sub/f.txt"));
        let p = resolve(&root, &VPath::new("/new/deeper"), Follow::All).unwrap();
        assert_eq!(p, root.join("new/deeper"));
        assert_eq!(resolve(&root, &VPath::root(), Follow::All).unwrap(), root);
    }

    #[test]
    fn links_inside_the_root_are_followed() {
        let (_t, root) = setup();
        symlink("sub/f.txt", root.join("rel")).unwrap();
        symlink(root.join("sub"), root.join("abs")).unwrap();
        symlink("../sub", root.join("sub/up")).unwrap();
        assert_eq!(
            resolve(&root, &VPath::new("/rel"), Follow::All).unwrap(),
            root.join("sub/f.txt")
        );
        assert_eq!(
            resolve(&root, &VPath::new("/abs/f.txt"), Follow::All).unwrap(),
            root.join("sub/f.txt")
        );
        assert_eq!(
            resolve(&root, &VPath::new("/sub/up/f.txt"), Follow::All).unwrap(),
            root.join("sub/f.txt")
        );
        // Parent mode leaves the link itself in place.
        assert_eq!(
            resolve(&root, &VPath::new("/rel"), Follow::Parent).unwrap(),
            root.join("rel")
        );
    }

    #[test]
    fn links_leaving_the_root_are_refused() {
        let (_t, root) = setup();
        symlink("../secret", root.join("up")).unwrap();
        symlink(root.parent().unwrap(), root.join("outside")).unwrap();
        symlink("/nonexistent/dir", root.join("dangling")).unwrap();
        for p in [
            "/up",
            "/outside/secret",
            "/outside/new",
            "/dangling",
            "/dangling/x",
        ] {
            let e = resolve(&root, &VPath::new(p), Follow::All).unwrap_err();
            assert_eq!(e.kind, ErrorKind::PermissionDenied, "{p}");
        }
        // Through a parent that escapes, even Parent mode refuses.
        let e = resolve(&root, &VPath::new("/outside/secret"), Follow::Parent).unwrap_err();
        assert_eq!(e.kind, ErrorKind::PermissionDenied);
    }

    #[test]
    fn link_loops_stop() {
        let (_t, root) = setup();
        symlink("b", root.join("a")).unwrap();
        symlink("a", root.join("b")).unwrap();
        let e = resolve(&root, &VPath::new("/a"), Follow::All).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooManyLinks);
    }
}
