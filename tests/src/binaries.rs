//! Where the workspace's binaries are, and a fresh `WEFT_HOME` with the test credentials, for tests
//! that run `weft` as a process.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};

use serde_json::{Value, json};

use crate::one_node_workflow;

/// The fake's default connected app.
pub const TEST_CLIENT_ID: &str = "weft-test-client";
/// Its client secret.
pub const TEST_CLIENT_SECRET: &str = "weft-test-secret";
/// The private key registered with it for JWT bearer (PKCS#8 PEM).
pub const TEST_PRIVATE_KEY: &str = include_str!("../fixtures/keys/test-rsa-pkcs8.pem");

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
    log_level: Option<&'static str>,
}

impl WeftHome {
    /// The name and bytes of each file of the store (`weft.db` and its WAL and shared memory),
    /// for the checks that no secret is written in plain text; panics when there is none.
    pub fn store_files(&self) -> Vec<(String, Vec<u8>)> {
        let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(self.path())
            .expect("the home is readable")
            .map(|entry| entry.expect("a directory entry").path())
            .filter_map(|path| {
                let name = path.file_name()?.to_string_lossy().into_owned();
                name.starts_with("weft.db").then(|| {
                    (
                        name,
                        std::fs::read(&path).expect("a store file is readable"),
                    )
                })
            })
            .collect();
        assert!(!files.is_empty(), "the store has files");
        files
    }

    /// An empty home for the `weft` beside the test executable ([`weft_binary`]).
    pub fn new() -> Self {
        Self::for_binary(weft_binary())
    }

    /// An empty home for the `weft` binary at `weft`.
    pub fn for_binary(weft: PathBuf) -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
            weft,
            log_level: None,
        }
    }

    /// This home with `WEFT_LOG=<level>` on every command, for tests that read the logs (a leak
    /// check at `trace` sees everything weft can log).
    pub fn logging(mut self, level: &'static str) -> Self {
        self.log_level = Some(level);
        self
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `weft <args>` with this home and key, ready to run (e.g. after a `current_dir`).
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_of(&self.weft, args)
    }

    /// `<binary> <args>` with this home and key, for a binary that embeds weft's command line
    /// (such as `weft-with-example`).
    pub fn command_of(&self, binary: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(binary);
        command
            .args(args)
            .env("WEFT_HOME", self.path())
            .env("WEFT_ENCRYPTION_KEY", "k");
        if let Some(level) = self.log_level {
            command.env("WEFT_LOG", level);
        }
        command
    }

    /// Runs `weft <args>` with this home and key.
    pub fn weft(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("weft runs")
    }

    /// Writes `workflow` into this home and runs `weft run` on it.
    pub fn run_workflow(&self, workflow: &Value) -> Output {
        let file = self.path().join("workflow.json");
        std::fs::write(&file, workflow.to_string()).expect("the workflow file is written");
        self.weft(&["run", &file.to_string_lossy()])
    }

    /// Runs Manual Trigger → `node` → No Op ([`one_node_workflow`]): the last node's items, or the
    /// stderr of a failed run.
    pub fn run_node(&self, node: Value) -> Result<Vec<Value>, String> {
        let run = self.run_workflow(&one_node_workflow(node));
        if run.status.success() {
            Ok(serde_json::from_slice(&run.stdout).expect("weft run prints JSON items"))
        } else {
            Err(String::from_utf8_lossy(&run.stderr).into_owned())
        }
    }

    /// Imports credential rows (n8n's export shape) with `weft credentials import`; panics with
    /// weft's message when the import fails.
    pub fn import(&self, rows: &Value) {
        let file = self.path().join("credentials.json");
        std::fs::write(&file, rows.to_string()).expect("the credential file is written");
        let output = self.weft(&["credentials", "import", &file.to_string_lossy()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Imports [`jwt_credential`] pointed at `instance_url`.
    pub fn import_jwt(&self, instance_url: &str) {
        self.import(&json!([jwt_credential(instance_url)]));
    }
}

/// The test app's JWT credential row (id `jwt1`, name `jwt`, user `integration@example.com`, the
/// fixture key) with its token host at `instance_url`.
pub fn jwt_credential(instance_url: &str) -> Value {
    json!({"id": "jwt1", "name": "jwt", "type": "salesforceJwtApi", "data": {
        "clientId": TEST_CLIENT_ID, "username": "integration@example.com",
        "privateKey": TEST_PRIVATE_KEY, "myDomainUrl": instance_url}})
}

impl Default for WeftHome {
    fn default() -> Self {
        Self::new()
    }
}

/// `weft credentials connect <name>` running without a browser on a free port, and the authorize
/// address it printed on stderr (what a person would open).
pub struct Connecting {
    child: Child,
    stderr: BufReader<ChildStderr>,
    printed: String,
    /// The authorization server's address with weft's query.
    pub authorize_url: String,
}

impl Connecting {
    /// The arguments of `weft credentials connect <name>` without a browser, on a free port.
    pub fn arguments(name: &str) -> [&str; 8] {
        [
            "credentials",
            "connect",
            name,
            "--port",
            "0",
            "--no-open",
            "--timeout",
            "30",
        ]
    }

    /// Starts `command` (a home's `weft` with [`Connecting::arguments`]) and reads its stderr up
    /// to the authorize address.
    pub fn start(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut printed = String::new();
        let authorize_url = loop {
            let mut line = String::new();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "no authorize address printed: {printed}"
            );
            printed.push_str(&line);
            if line.starts_with("http") {
                break line.trim().to_owned();
            }
        };
        Self {
            child,
            stderr,
            printed,
            authorize_url,
        }
    }

    /// Waits for the command to end: its output, and everything it printed on stderr.
    pub fn finish(mut self) -> (Output, String) {
        let output = self.child.wait_with_output().unwrap();
        self.stderr.read_to_string(&mut self.printed).unwrap();
        (output, self.printed)
    }
}
