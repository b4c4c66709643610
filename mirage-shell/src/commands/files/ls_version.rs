//! `ls -v`: gnulib's version order of file names (`.` and `..` and hidden names first, digit
//! runs compared as numbers, `~` before everything, file suffixes only consulted to break
//! ties). The comparison itself is `sort -V`'s; `ls` breaks its ties by byte order.

use std::cmp::Ordering;

use crate::commands::text::sort_numeric::version_cmp;

/// Version order, then plain byte order to break ties (as `ls` does).
pub(super) fn version_order(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    version_cmp(a, b).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::version_order;

    #[test]
    fn version_sorting() {
        let mut v = vec![
            "file10",
            "file2",
            "a~",
            "a b",
            "file1.txt",
            ".x",
            ".",
            "..",
            "x.tar.gz",
            "a",
        ];
        v.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            v,
            [
                ".",
                "..",
                ".x",
                "a~",
                "a",
                "a b",
                "file1.txt",
                "file2",
                "file10",
                "x.tar.gz"
            ]
        );
    }
}
