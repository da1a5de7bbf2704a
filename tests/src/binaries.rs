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

/// A fresh `WEFT_HOME` (a temporary folder and a fixed test key) for running `weft` as a process.
pub struct WeftHome {
    dir: tempfile::TempDir,
    weft: PathBuf,
}

impl WeftHome {
    /// An empty home for the `weft` beside the test executable ([`weft_binary`]).
    pub fn new() -> Self {
        Self::for_binary(weft_binary())
    }

    /// An empty home for the `weft` binary at `weft`.
    pub fn for_binary(weft: PathBuf) -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
            weft,
        }
    }

    /// `weft` with this home and key in its environment.
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(&self.weft);
        command
            .env("WEFT_HOME", self.path())
            .env("WEFT_ENCRYPTION_KEY", "k");
        command
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `weft <args>` with this home and key.
    pub fn weft(&self, args: &[&str]) -> std::process::Output {
        self.command().args(args).output().expect("weft runs")
    }

    /// Imports the test app's JWT credential (id `jwt1`, name `jwt`) pointed at `instance_url`.
    pub fn import_jwt(&self, instance_url: &str) {
        let file = self.path().join("credentials.json");
        let rows = serde_json::json!([{"id": "jwt1", "name": "jwt", "type": "salesforceJwtApi", "data": {
            "clientId": "weft-test-client", "username": "integration@example.com",
            "privateKey": include_str!("../fixtures/keys/test-rsa-pkcs8.pem"),
            "myDomainUrl": instance_url}}]);
        std::fs::write(&file, rows.to_string()).expect("the credential file is written");
        let output = self.weft(&["credentials", "import", &file.to_string_lossy()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Default for WeftHome {
    fn default() -> Self {
        Self::new()
    }
}
