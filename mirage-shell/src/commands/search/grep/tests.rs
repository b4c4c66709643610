//! grep against outputs recorded from GNU grep 3.8 on this machine (LC_ALL=C.UTF-8).

use super::cases::{CASES, FILES};
use crate::commands::search::test_support::check_cases;

/// 20000 numbered lines, then a NUL: the NUL lies in GNU's third 96 KiB buffer, so the lines
/// of the first two buffers are printed before the file turns binary.
fn big_file() -> Vec<u8> {
    let mut v: Vec<u8> = (1..=20000)
        .flat_map(|i| format!("line{i}\n").into_bytes())
        .collect();
    v.extend_from_slice(b"x\0y\nline-end\n");
    v
}

/// Cases where Mirage knowingly differs from GNU (each one says why).
const KNOWN: &[&[&str]] = &[
    // -P (PCRE) is not implemented.
    &["grep", "-P", "foo", "a"],
    // Back-references need a backtracking matcher; the regex crate has none.
    &["grep", "-n", "\\(a\\)\\1", "p", "uni"],
];

#[tokio::test]
async fn matches_gnu_grep() {
    let mut files: Vec<(&str, Vec<u8>)> = FILES.iter().map(|(n, d)| (*n, d.to_vec())).collect();
    files.push(("big", big_file()));
    check_cases(&files, CASES, KNOWN).await;
}
