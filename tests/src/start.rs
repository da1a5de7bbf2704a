//! `weft start` as the end-to-end tests of its HTTP endpoints run it: the workflows written into
//! a [`WeftHome`], the webhook server on a free port of 127.0.0.1, the debug log in a file, and
//! the process killed when the test lets go of it.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{WeftHome, weft_binary};

/// A running `weft start`.
pub struct WeftStart {
    child: Child,
    /// `http://127.0.0.1:<port>` followed by the path prefix asked for (`/webhook`, `/form`).
    pub base: String,
    /// Its stderr: the debug log.
    pub log: PathBuf,
}

impl WeftStart {
    /// Starts `weft start` on `workflows` and returns once it serves webhooks; `prefix` is
    /// appended to [`WeftStart::base`].
    pub async fn serving(home: &WeftHome, workflows: &[Value], prefix: &str) -> Self {
        let mut files = Vec::new();
        for (index, workflow) in workflows.iter().enumerate() {
            let file = home.path().join(format!("started-{index}.json"));
            std::fs::write(&file, workflow.to_string()).expect("the workflow is written");
            files.push(file.to_string_lossy().into_owned());
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = home.path().join("start.log");
        let child = Command::new(weft_binary())
            .arg("start")
            .args(&files)
            .args(["--webhook-address", &format!("127.0.0.1:{port}")])
            .env("WEFT_HOME", home.path())
            .env("WEFT_ENCRYPTION_KEY", "k")
            .env("WEFT_LOG", "debug")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("the log file is made"))
            .spawn()
            .expect("weft start runs");
        let started = Self {
            child,
            base: format!("http://127.0.0.1:{port}{prefix}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !started.log_text().contains("serving webhooks") {
            assert!(Instant::now() < deadline, "{}", started.log_text());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        started
    }

    /// The log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for WeftStart {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
