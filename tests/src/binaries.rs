//! Where the workspace's binaries are, for tests that run them as processes.

use std::path::{Path, PathBuf};

/// The `weft` binary next to the running test executable (`target/<profile>/weft`). Panics with
/// the command to build it when it is missing.
pub fn weft_binary() -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test executable has a path");
    let weft = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("test executables live in target/<profile>/deps")
        .join("weft");
    assert!(
        weft.exists(),
        "{} is missing: build it with `cargo build -p weft-runtime --bin weft` (scripts/test-all.sh does)",
        weft.display()
    );
    weft
}
