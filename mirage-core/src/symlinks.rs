//! Workspace-level symbolic links (`ln -s`).
//!
//! Most services have no symlinks, so links live in the workspace rather than in a backend: a
//! table from the link's path to its target text, shared by every session of the workspace. The
//! mount table expands links while it resolves a path, one component at a time as the kernel
//! does, so a link may point anywhere in the tree, across mounts, and a link to a directory
//! works in the middle of a path. A chain of more than [`MAX_HOPS`] expansions is a loop.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::error::{ErrorKind, FsError, FsResult};
use crate::path::VPath;

/// Linux's limit on symlink expansions in one path resolution (`ELOOP` beyond it).
pub const MAX_HOPS: usize = 40;

/// Link path -> target as written by `ln -s` (relative targets are relative to the link's
/// directory).
#[derive(Clone, Default)]
pub struct SymlinkTable {
    links: Arc<RwLock<BTreeMap<VPath, String>>>,
}

impl SymlinkTable {
    fn read(&self) -> RwLockReadGuard<'_, BTreeMap<VPath, String>> {
        // A panic elsewhere while holding the lock leaves the map itself consistent (every
        // update is a single insert or remove), so a poisoned lock is still usable.
        self.links.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<VPath, String>> {
        self.links.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// The target text of the link at `path` (exactly `path`, no expansion).
    pub fn target(&self, path: &VPath) -> Option<String> {
        self.read().get(path).cloned()
    }

    pub fn insert(&self, path: VPath, target: String) {
        self.write().insert(path, target);
    }

    pub fn remove(&self, path: &VPath) -> Option<String> {
        self.write().remove(path)
    }

    /// Links whose parent directory is `dir`: (name, target).
    pub fn children(&self, dir: &VPath) -> Vec<(String, String)> {
        self.read()
            .iter()
            .filter(|(p, _)| !p.is_root() && p.parent() == *dir)
            .filter_map(|(p, t)| p.file_name().map(|n| (n.to_string(), t.clone())))
            .collect()
    }

    /// Links at or below `dir`, for moving or removing a directory with links inside.
    pub fn below(&self, dir: &VPath) -> Vec<(VPath, String)> {
        self.read()
            .iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect()
    }

    /// Expands every link met while walking `path`. With `follow_last` false, a link in the
    /// final component is kept (what `lstat`, `rm` and `readlink` work on).
    pub fn expand(&self, path: &VPath, follow_last: bool) -> FsResult<VPath> {
        let links = self.read();
        if links.is_empty() {
            return Ok(path.clone());
        }
        let mut pending: Vec<String> = path.components().map(str::to_string).collect();
        pending.reverse();
        let mut cur = VPath::root();
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            if comp == ".." {
                cur = cur.parent();
                continue;
            }
            let next = cur.child(&comp);
            let is_last = pending.is_empty();
            match links.get(&next) {
                Some(target) if follow_last || !is_last => {
                    hops += 1;
                    if hops > MAX_HOPS {
                        return Err(FsError::new(ErrorKind::TooManyLinks));
                    }
                    if target.starts_with('/') {
                        cur = VPath::root();
                    }
                    pending.extend(
                        target
                            .split('/')
                            .filter(|c| !c.is_empty() && *c != ".")
                            .rev()
                            .map(str::to_string),
                    );
                }
                _ => cur = next,
            }
        }
        Ok(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> VPath {
        VPath::new(s)
    }

    #[test]
    fn relative_absolute_and_chained_links_expand() {
        let t = SymlinkTable::default();
        t.insert(p("/data/cur"), "v2".into());
        t.insert(p("/data/v2"), "/store/releases/2".into());
        t.insert(p("/data/up"), "../etc/x".into());
        assert_eq!(
            t.expand(&p("/data/cur/a.txt"), true).ok(),
            Some(p("/store/releases/2/a.txt"))
        );
        assert_eq!(t.expand(&p("/data/cur"), false).ok(), Some(p("/data/cur")));
        assert_eq!(t.expand(&p("/data/up"), true).ok(), Some(p("/etc/x")));
        assert_eq!(t.expand(&p("/other"), true).ok(), Some(p("/other")));
    }

    #[test]
    fn loops_are_refused() {
        let t = SymlinkTable::default();
        t.insert(p("/a"), "b".into());
        t.insert(p("/b"), "a".into());
        t.insert(p("/self"), "self/x".into());
        let kind = |path: &str| t.expand(&p(path), true).err().map(|e| e.kind);
        assert_eq!(kind("/a"), Some(ErrorKind::TooManyLinks));
        assert_eq!(kind("/self"), Some(ErrorKind::TooManyLinks));
        // Not following the last component never loops.
        assert_eq!(t.expand(&p("/a"), false).ok(), Some(p("/a")));
    }
}
