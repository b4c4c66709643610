//! Paths to object keys: `/a/b.txt` under prefix `p/` is the key `p/a/b.txt`; the directory
//! `/a` is every key starting with `p/a/`, and its marker (an empty object made by `mkdir`) is
//! the key `p/a/` itself.

use mirage_core::VPath;

/// The key of the file at `path` (never called for the root).
pub fn file_key(prefix: &str, path: &VPath) -> String {
    format!("{prefix}{}", path.as_str().trim_start_matches('/'))
}

/// The key prefix of the directory at `path`: `prefix` for the root, else `prefix + path/`.
pub fn dir_prefix(prefix: &str, path: &VPath) -> String {
    if path.is_root() {
        prefix.to_string()
    } else {
        format!("{}/", file_key(prefix, path))
    }
}

/// `x-amz-copy-source`: `bucket/key` with the key percent-encoded except for `/`.
pub fn copy_source(bucket: &str, key: &str) -> String {
    let mut out = String::with_capacity(bucket.len() + key.len() + 1);
    out.push_str(bucket);
    out.push('/');
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A listing name is usable as a path component: not empty (from `a//b`), not `.` or `..`.
pub fn usable_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping() {
        assert_eq!(file_key("", &VPath::new("/a/b")), "a/b");
        assert_eq!(file_key("p/", &VPath::new("/a")), "p/a");
        assert_eq!(dir_prefix("p/", &VPath::root()), "p/");
        assert_eq!(dir_prefix("", &VPath::root()), "");
        assert_eq!(dir_prefix("p/", &VPath::new("/a/b")), "p/a/b/");
        assert_eq!(copy_source("bk", "a b/ü+x"), "bk/a%20b/%C3%BC%2Bx");
        assert!(!usable_name("") && !usable_name("..") && usable_name("x"));
    }
}
