//! Where the recorded n8n runs are (`../shared/golden/cases` beside the checkout), for the unit
//! tests that compare weft's Salesforce node with them.
//!
//! A test that needs them and cannot find them fails, naming the folder, unless
//! `WEFT_SKIP_GOLDEN=1` asks to skip them; then it says so on stderr. A missing folder never
//! passes silently.

use std::path::PathBuf;

/// The folder of golden case folders, or `None` when `WEFT_SKIP_GOLDEN=1` and it is missing.
///
/// # Panics
/// When the folder is missing and skipping was not asked for.
pub(crate) fn golden_cases(test: &str) -> Option<PathBuf> {
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/golden/cases");
    if cases.is_dir() {
        return Some(cases);
    }
    if std::env::var_os("WEFT_SKIP_GOLDEN").is_some_and(|value| value == "1") {
        eprintln!(
            "SKIPPED {test}: no golden cases at {} (WEFT_SKIP_GOLDEN=1)",
            cases.display()
        );
        return None;
    }
    panic!(
        "{test}: no golden cases at {} (hint: put n8n's recordings at ../shared/golden beside the checkout, or set WEFT_SKIP_GOLDEN=1 to skip this test)",
        cases.display()
    );
}
