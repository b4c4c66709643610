//! Virtual paths: absolute, normalised, and unable to climb above their root.

use std::fmt;

/// An absolute, normalised virtual path such as `/data/logs/a.txt`.
///
/// Normalisation removes empty components and `.`, and resolves `..` lexically; `..` at the
/// root stays at the root, so no input can name anything above `/`. Resources receive paths of
/// this type relative to their mount point, which is how a resource is kept inside its own root.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VPath(String);

impl VPath {
    /// The root `/`.
    pub fn root() -> Self {
        VPath("/".to_string())
    }

    /// Normalises `input`; a relative input is taken relative to `/`.
    pub fn new(input: &str) -> Self {
        let mut parts: Vec<&str> = Vec::new();
        for comp in input.split('/') {
            match comp {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        if parts.is_empty() {
            return Self::root();
        }
        let mut s = String::with_capacity(input.len() + 1);
        for p in parts {
            s.push('/');
            s.push_str(p);
        }
        VPath(s)
    }

    /// Resolves `input` against `self` as a working directory: absolute inputs replace it.
    pub fn join(&self, input: &str) -> Self {
        if input.starts_with('/') {
            Self::new(input)
        } else if self.is_root() {
            Self::new(&format!("/{input}"))
        } else {
            Self::new(&format!("{}/{input}", self.0))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0 == "/"
    }

    /// The last component, or `None` for the root.
    pub fn file_name(&self) -> Option<&str> {
        if self.is_root() {
            None
        } else {
            self.0.rsplit('/').next()
        }
    }

    /// The parent directory; the root is its own parent.
    pub fn parent(&self) -> VPath {
        match self.0.rfind('/') {
            Some(0) | None => Self::root(),
            Some(i) => VPath(self.0[..i].to_string()),
        }
    }

    /// The extension of the last component (`parquet` for `/a/b.parquet`), if any.
    pub fn extension(&self) -> Option<&str> {
        let name = self.file_name()?;
        let dot = name.rfind('.')?;
        if dot == 0 || dot + 1 == name.len() {
            None
        } else {
            Some(&name[dot + 1..])
        }
    }

    /// Components without slashes, root first.
    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|c| !c.is_empty())
    }

    /// True when `self` equals `prefix` or lies below it.
    pub fn starts_with(&self, prefix: &VPath) -> bool {
        if prefix.is_root() {
            return true;
        }
        self.0 == prefix.0
            || (self.0.starts_with(&prefix.0)
                && self.0.as_bytes().get(prefix.0.len()) == Some(&b'/'))
    }

    /// The part of `self` below `prefix`, as an absolute path (`/` when equal).
    pub fn strip_prefix(&self, prefix: &VPath) -> Option<VPath> {
        if !self.starts_with(prefix) {
            return None;
        }
        if prefix.is_root() {
            return Some(self.clone());
        }
        let rest = &self.0[prefix.0.len()..];
        Some(if rest.is_empty() {
            Self::root()
        } else {
            VPath(rest.to_string())
        })
    }

    /// `self` with one more component appended; `name` must not contain `/`.
    pub fn child(&self, name: &str) -> VPath {
        self.join(name)
    }
}

impl fmt::Display for VPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for VPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VPath({:?})", self.0)
    }
}

impl From<&str> for VPath {
    fn from(s: &str) -> Self {
        VPath::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_never_climbs_above_root() {
        assert_eq!(VPath::new("/a/./b//c/").as_str(), "/a/b/c");
        assert_eq!(VPath::new("/../../etc").as_str(), "/etc");
        assert_eq!(VPath::new("a/../../..").as_str(), "/");
        assert_eq!(VPath::new("/data/x").join("../../../y").as_str(), "/y");
    }

    #[test]
    fn prefix_logic_respects_component_boundaries() {
        let p = VPath::new("/data2/x");
        assert!(!p.starts_with(&VPath::new("/data")));
        assert_eq!(
            VPath::new("/data/x/y")
                .strip_prefix(&VPath::new("/data"))
                .unwrap()
                .as_str(),
            "/x/y"
        );
        assert_eq!(
            VPath::new("/data")
                .strip_prefix(&VPath::new("/data"))
                .unwrap()
                .as_str(),
            "/"
        );
    }

    #[test]
    fn parts() {
        let p = VPath::new("/a/b.tar.gz");
        assert_eq!(p.file_name(), Some("b.tar.gz"));
        assert_eq!(p.extension(), Some("gz"));
        assert_eq!(p.parent().as_str(), "/a");
        assert_eq!(VPath::new("/a").parent().as_str(), "/");
        assert_eq!(VPath::new("/.bashrc").extension(), None);
    }
}
