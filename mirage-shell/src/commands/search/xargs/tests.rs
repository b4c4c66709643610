//! xargs against outputs recorded from GNU xargs 4.9 on this machine (LC_ALL=C.UTF-8).

use super::cases::{CASES, FILES};
use crate::commands::search::test_support::check_cases;

/// Cases where Mirage knowingly differs from GNU (each one says why).
const KNOWN: &[&[&str]] = &[];

#[tokio::test]
async fn matches_gnu_xargs() {
    let files: Vec<(&str, Vec<u8>)> = FILES.iter().map(|(n, d)| (*n, d.to_vec())).collect();
    check_cases(&files, CASES, KNOWN).await;
}
