//! The two processes of a case: a fresh `fake_sf.py` on a free loopback port, and the real `weft`
//! binary (credential import, then `weft run --raw-output`) in a fresh store.

use std::fs::File;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Map, Value};

/// The throwaway signing key: the golden fake decodes the JWT but does not verify its signature.
const PRIVATE_KEY: &str = include_str!("../../fixtures/keys/test-rsa-pkcs8.pem");

/// The store key of every case's fresh store.
const STORE_KEY: &str = "golden-runner";

/// How long a weft run may take.
pub const RUN_LIMIT: Duration = Duration::from_secs(120);

/// A running `fake_sf.py`, stopped on drop.
#[derive(Debug)]
pub struct Fake {
    child: Child,
    /// Its port.
    pub port: u16,
    /// Its request log.
    pub log: PathBuf,
}

impl Fake {
    /// Starts `python3 <script> --port <free> --log <dir>/requests.jsonl <args>` and waits until
    /// it accepts connections.
    pub fn start(script: &Path, args: &[String], dir: &Path) -> anyhow::Result<Self> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        let log = dir.join("requests.jsonl");
        let output = File::create(dir.join("fake.out"))?;
        let child = Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--log"])
            .arg(&log)
            .args(args)
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .spawn()
            .context("cannot start python3 (needed for the golden fake)")?;
        let mut fake = Self { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Some(status) = fake.child.try_wait()? {
                let said = std::fs::read_to_string(dir.join("fake.out")).unwrap_or_default();
                bail!(
                    "the fake exited ({status}) before answering: {}",
                    said.trim()
                );
            }
            if Instant::now() > deadline {
                bail!("the fake did not answer on port {port} within 15 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(fake)
    }

    /// Stops the fake and returns its log lines.
    pub fn stop(mut self) -> anyhow::Result<Vec<String>> {
        self.kill();
        let text = std::fs::read_to_string(&self.log)
            .with_context(|| format!("cannot read {}", self.log.display()))?;
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect())
    }

    fn kill(&mut self) {
        // Already exited is fine: either way it no longer serves.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What a weft run left.
#[derive(Debug)]
pub struct WeftRun {
    /// The exit code (-1 when killed by a signal or the time limit).
    pub exit_code: i32,
    /// Killed after [`RUN_LIMIT`].
    pub timed_out: bool,
    /// The `--raw-output` document, when one was written.
    pub document: Option<String>,
    /// Its stderr.
    pub stderr: String,
}

/// The `weft` binary with a fresh store in `home`.
#[derive(Debug)]
pub struct Weft<'a> {
    /// The binary.
    pub binary: &'a Path,
    /// The store folder (`WEFT_HOME`) and scratch space.
    pub home: &'a Path,
}

impl Weft<'_> {
    /// Writes the golden credential (`template`, n8n's export shape) with the throwaway key and
    /// `myDomainUrl` on the fake's port, and imports it.
    pub fn import_credential(&self, template: &Path, port: u16) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(template)
            .with_context(|| format!("cannot read {}", template.display()))?;
        let mut rows: Value = serde_json::from_str(&text)?;
        for row in rows.as_array_mut().into_iter().flatten() {
            if let Some(data) = row.get_mut("data").and_then(Value::as_object_mut) {
                data.insert("privateKey".into(), PRIVATE_KEY.into());
                data.insert(
                    "myDomainUrl".into(),
                    format!("http://127.0.0.1:{port}").into(),
                );
            }
        }
        let file = self.home.join("credential.json");
        std::fs::write(&file, serde_json::to_vec_pretty(&rows)?)?;
        let output = self
            .command()
            .args(["credentials", "import"])
            .arg(&file)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", self.binary.display()))?;
        if !output.status.success() {
            bail!(
                "weft credentials import failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(())
    }

    /// `weft run <workflow> --raw-output` with the case's extra environment.
    pub fn run(&self, workflow: &Value, env: &Map<String, Value>) -> anyhow::Result<WeftRun> {
        let file = self.home.join("workflow.json");
        std::fs::write(&file, serde_json::to_vec_pretty(workflow)?)?;
        let document = self.home.join("output.json");
        let stderr = self.home.join("stderr.txt");
        let mut command = self.command();
        command
            .arg("run")
            .arg(&file)
            .arg("--raw-output")
            .arg("-o")
            .arg(&document)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr)?);
        for (key, value) in env {
            command.env(
                key,
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned),
            );
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot run {}", self.binary.display()))?;
        let status = wait(&mut child, RUN_LIMIT)?;
        Ok(WeftRun {
            exit_code: status.and_then(|s| s.code()).unwrap_or(-1),
            timed_out: status.is_none(),
            document: std::fs::read_to_string(&document).ok(),
            stderr: std::fs::read_to_string(&stderr).unwrap_or_default(),
        })
    }

    /// The binary with the store's environment.
    fn command(&self) -> Command {
        let mut command = Command::new(self.binary);
        command
            .env("WEFT_HOME", self.home.join("store"))
            .env("WEFT_ENCRYPTION_KEY", STORE_KEY)
            .current_dir(self.home);
        command
    }
}

/// Waits up to `limit`; kills the process and returns `None` after that.
fn wait(child: &mut Child, limit: Duration) -> anyhow::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
