//! Support for the `weft run` tests: a small HTTP service for HTTP Request nodes, and running
//! the real binary on a fixture with `__BASE__` replaced by the service's address.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::{Value, json};

/// The service: `/items` (two records), `/empty` (`[]`), `/echo` (query, method and body back),
/// `/status/<code>` (that status with a Salesforce-like error body), `/flaky` (503 twice, then
/// `{ "ok": true }`), `/text` (plain text).
pub struct Service {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    _runtime: tokio::runtime::Runtime,
}

impl Service {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let flaky = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route(
                "/items",
                get(|| async {
                    Json(json!([{ "id": 1, "name": "Ada" }, { "id": 2, "name": "Grace" }]))
                }),
            )
            .route("/empty", get(|| async { Json(json!([])) }))
            .route("/text", get(|| async { "hello" }))
            .route("/echo", any(echo))
            .route("/status/{code}", any(status))
            .route("/flaky", get(flaky_answer))
            .with_state(flaky);
        runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base,
            _runtime: runtime,
        }
    }
}

async fn echo(
    method: axum::http::Method,
    Query(query): Query<HashMap<String, String>>,
    body: String,
) -> Json<Value> {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    Json(json!({ "method": method.as_str(), "query": query, "body": body }))
}

async fn status(UrlPath(code): UrlPath<u16>) -> (StatusCode, Json<Value>) {
    let status = StatusCode::from_u16(code).unwrap();
    (
        status,
        Json(json!([{ "message": format!("failed with {code}"), "errorCode": "FAKE" }])),
    )
}

async fn flaky_answer(State(calls): State<Arc<AtomicUsize>>) -> (StatusCode, Json<Value>) {
    if calls.fetch_add(1, Ordering::SeqCst) < 2 {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "message": "busy" })),
        )
    } else {
        (StatusCode::OK, Json(json!({ "ok": true })))
    }
}

/// What one `weft run` did.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// The fixture folder `kind` (`workflows`, `failing`, `invalid`).
pub fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
}

/// An address where nothing listens.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// Runs `weft run <fixture> <args>` with `__BASE__` replaced by `base`, `__CLOSED__` by an
/// address where nothing listens, `__FILES__` by `fixtures/files`, `__TMP__` by a fresh folder,
/// and an empty store in `__TMP__/weft-home` (the run's `WEFT_HOME`); the folder's path is
/// written `__TMP__` again in the outcome.
pub fn run(fixture: &Path, base: &str, args: &[&str]) -> Outcome {
    let home = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture)
        .unwrap()
        .replace("__BASE__", base)
        .replace("__CLOSED__", &closed_port())
        .replace("__FILES__", &fixtures("files").display().to_string())
        .replace("__TMP__", &home.path().display().to_string());
    let workflow = home.path().join(fixture.file_name().unwrap());
    std::fs::write(&workflow, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("run")
        .arg(&workflow)
        .args(args)
        .env("WEFT_HOME", home.path().join("weft-home"))
        .env_remove("WEFT_ENCRYPTION_KEY")
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .unwrap();
    let tmp = home.path().display().to_string();
    let stderr = String::from_utf8(output.stderr).unwrap().replace(
        &workflow.display().to_string(),
        &format!("<{}>", fixture.file_name().unwrap().to_string_lossy()),
    );
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout)
            .unwrap()
            .replace(&tmp, "__TMP__"),
        stderr: stderr.replace(&tmp, "__TMP__"),
    }
}

/// The `*.json` files of a fixture folder, sorted.
pub fn files(kind: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures(kind))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}
