//! jq against outputs recorded from jq 1.6 on this machine (LC_ALL=C.UTF-8).

use super::cases::{CASES, FILES};
use crate::commands::search::test_support::check_cases;

/// Cases where Mirage knowingly differs from jq 1.6 (each one says why).
const KNOWN: &[&[&str]] = &[
    // jaq indexes objects with non-strings as null; jq 1.6 raises an error.
    &["jq", "-nc", "{}|.[0]"],
    &["jq", "-nc", "{}|.[[1]]"],
    // jq 1.6 truncates both operands of `%` to integers; jaq keeps the fraction.
    &["jq", "-nc", "5.5%2"],
    // Syntax errors: jq's bison parser words and places some differently.
    &["jq", "-nc", ".a |||"],
    &["jq", "-nc", "\"abc"],
    // jq 1.6 reports running out of inputs as an error named `break`; jaq's `input` is empty.
    &["jq", "-c", "input"],
];

#[tokio::test]
async fn matches_jq_1_6() {
    let files: Vec<(&str, Vec<u8>)> = FILES.iter().map(|(n, d)| (*n, d.to_vec())).collect();
    check_cases(&files, CASES, KNOWN).await;
}
