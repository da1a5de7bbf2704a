//! A running `weft serve --no-open --port 0` and a client for it that sends the launch token and
//! the page's own origin, keeping every answer body for leak checks.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, ORIGIN};
use serde_json::Value;

use crate::WeftHome;

/// `weft serve` for one home; killed when dropped.
pub struct Serve {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    /// The launch token from the printed address.
    pub token: String,
    /// A plain client (no token attached by itself).
    pub http: reqwest::Client,
    /// Every answer body so far.
    pub bodies: Vec<String>,
    log: PathBuf,
}

impl Serve {
    /// Starts `weft serve` with `home`'s environment; its stderr goes to `serve.log` in the home.
    pub fn start(home: &WeftHome) -> Self {
        let log = home.path().join("serve.log");
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("the serve log opens");
        let mut child = home
            .command(&["serve", "--no-open", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("weft serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut line)
            .expect("weft serve prints its address");
        let url = url::Url::parse(line.trim()).expect("the first line is the address");
        assert_eq!(url.host_str(), Some("127.0.0.1"), "{line}");
        let token = url
            .fragment()
            .and_then(|fragment| fragment.strip_prefix("token="))
            .expect("the address carries the token")
            .to_owned();
        assert_eq!(token.len(), 64);
        Self {
            child,
            origin: url.origin().ascii_serialization(),
            token,
            http: reqwest::Client::new(),
            bodies: Vec::new(),
            log,
        }
    }

    /// A request to `path` with the launch token and the page's origin.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.origin))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .header(ORIGIN, &self.origin)
    }

    /// Sends `request`; the status and the JSON answer (`null` for an empty one).
    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.expect("weft serve answers");
        let status = response.status();
        let text = response.text().await.expect("the answer is text");
        self.bodies.push(text.clone());
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Sends `body` as JSON to `path`.
    pub async fn call(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let request = self.request(method, path).json(&body);
        self.send(request).await
    }

    /// What the server logged so far (every launch in this home).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Panics when any answer so far holds one of `secrets`.
    pub fn assert_no_leak(&self, secrets: &[&str]) {
        for body in &self.bodies {
            for secret in secrets {
                assert!(!body.contains(secret), "a secret in an answer: {body}");
            }
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
