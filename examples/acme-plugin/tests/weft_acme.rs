//! `weft-acme` (weft with the Acme plugin linked in) run as a user runs it, against a small Acme
//! API on 127.0.0.1: the type is listed and its schema generated, a credential added and imported
//! is tested with the declared test request, a workflow with the Acme Widgets node is checked and
//! run, the allowed domains hold, and the key (a canary) reaches no output, log or store file.

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::get;
use serde_json::{Value, json};

/// The key the Acme API accepts; a canary that must reach no output.
const KEY: &str = "acme-canary-key-5b1e";
/// A key the API refuses; a canary too.
const WRONG_KEY: &str = "acme-canary-wrong-93c0";

/// What the Acme API saw of one request.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    path_and_query: String,
    key: Option<String>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// The Acme API: `GET /v1/me` and `GET /v1/widgets?limit=n` (five widgets), each answering 401
/// without the right `X-Acme-Key`.
async fn acme_api() -> (String, Log) {
    let log = Log::default();
    let app = Router::new()
        .route("/v1/me", get(me))
        .route("/v1/widgets", get(widgets))
        .with_state(Arc::clone(&log));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/v1"), log)
}

/// Records the request; `Err` (401) unless it carries the right key.
fn admitted(log: &Log, uri: &Uri, headers: &HeaderMap) -> Result<(), (StatusCode, Json<Value>)> {
    let key = headers
        .get("x-acme-key")
        .map(|value| value.to_str().unwrap().to_owned());
    let admitted = key.as_deref() == Some(KEY);
    log.lock().unwrap().push(Seen {
        path_and_query: uri.to_string(),
        key,
    });
    if admitted {
        Ok(())
    } else {
        Err((
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "unknown key"})),
        ))
    }
}

async fn me(State(log): State<Log>, uri: Uri, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    match admitted(&log, &uri, &headers) {
        Ok(()) => (StatusCode::OK, Json(json!({"account": "Acme Test"}))),
        Err(refusal) => refusal,
    }
}

async fn widgets(
    State(log): State<Log>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<std::collections::HashMap<String, usize>>,
) -> (StatusCode, Json<Value>) {
    if let Err(refusal) = admitted(&log, &uri, &headers) {
        return refusal;
    }
    let all = ["Sprocket", "Gear", "Flange", "Bolt", "Spring"];
    let widgets: Vec<Value> = all
        .iter()
        .enumerate()
        .take(query.get("limit").copied().unwrap_or(all.len()))
        .map(|(index, name)| json!({"id": format!("w{}", index + 1), "name": name}))
        .collect();
    (StatusCode::OK, Json(json!({ "widgets": widgets })))
}

/// A fresh weft home, and every output of the commands run in it.
struct Home {
    dir: tempfile::TempDir,
    outputs: Vec<String>,
}

impl Home {
    /// Adds the `acmeApi` credential "Acme" (id `acme1`) for the API at `base_url`, its key
    /// allowed only to `allowed_domains`.
    fn add_acme(&mut self, base_url: &str, allowed_domains: &str) {
        let data = self.file(
            "acme.json",
            &json!({
                "baseUrl": base_url, "apiKey": KEY,
                "allowedHttpRequestDomains": "domains", "allowedDomains": allowed_domains
            }),
        );
        self.succeeds(&[
            "credentials",
            "add",
            "--type",
            "acmeApi",
            "--name",
            "Acme",
            "--id",
            "acme1",
            "--data",
            &data,
        ]);
    }

    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            outputs: Vec::new(),
        }
    }

    fn file(&self, name: &str, content: &Value) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content.to_string()).unwrap();
        path.to_str().unwrap().to_owned()
    }

    /// `weft-acme <args>` with this home, logging at trace (every log line weft can write).
    fn weft_acme(&mut self, args: &[&str]) -> Output {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_weft-acme"))
            .args(args)
            .env("WEFT_HOME", self.dir.path())
            .env("WEFT_ENCRYPTION_KEY", "acme-test-encryption-key")
            .env("WEFT_LOG", "trace")
            .output()
            .unwrap();
        self.outputs
            .push(String::from_utf8_lossy(&output.stdout).into_owned());
        self.outputs
            .push(String::from_utf8_lossy(&output.stderr).into_owned());
        output
    }

    /// Like [`weft_acme`](Self::weft_acme), failing the test unless the command succeeds.
    fn succeeds(&mut self, args: &[&str]) -> String {
        let output = self.weft_acme(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// Like [`weft_acme`](Self::weft_acme), failing the test unless the command fails; its stderr.
    fn fails(&mut self, args: &[&str]) -> String {
        let output = self.weft_acme(args);
        assert!(!output.status.success(), "{args:?} succeeded");
        String::from_utf8(output.stderr).unwrap()
    }

    /// No canary in any output so far, nor in any file of the home (store, WAL, key check).
    fn assert_no_canary(&self) {
        for (index, output) in self.outputs.iter().enumerate() {
            for canary in [KEY, WRONG_KEY] {
                assert!(!output.contains(canary), "output {index}: {output}");
            }
        }
        let store_files: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_none_or(|extension| extension != "json"))
            .collect();
        assert!(
            store_files.iter().any(|path| path.is_file()),
            "the store was written: {store_files:?}"
        );
        for path in store_files.iter().filter(|path| path.is_file()) {
            let bytes = std::fs::read(path).unwrap();
            for canary in [KEY, WRONG_KEY] {
                let found = bytes
                    .windows(canary.len())
                    .any(|window| window == canary.as_bytes());
                assert!(!found, "{canary} in {}", path.display());
            }
        }
    }
}

/// Manual Trigger → Acme Widgets with `limit`, using the credential `credential` (if any).
fn widgets_workflow(limit: Value, credential: Option<(&str, &str)>) -> Value {
    let mut widgets = json!({
        "id": "2", "name": "Acme Widgets", "type": "acme.widgets", "typeVersion": 1,
        "position": [200, 0], "parameters": { "limit": limit }
    });
    if let Some((id, name)) = credential {
        widgets["credentials"] = json!({ "acmeApi": { "id": id, "name": name } });
    }
    json!({
        "name": "List widgets",
        "nodes": [
            { "id": "1", "name": "Start", "type": "n8n-nodes-base.manualTrigger",
              "typeVersion": 1, "position": [0, 0], "parameters": {} },
            widgets
        ],
        "connections": {
            "Start": { "main": [[{ "node": "Acme Widgets", "type": "main", "index": 0 }]] }
        }
    })
}

fn seen(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().clone()
}

fn request(path_and_query: &str, key: &str) -> Seen {
    Seen {
        path_and_query: path_and_query.to_owned(),
        key: Some(key.to_owned()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plugin_s_type_and_node_work_through_weft_s_command_line() {
    let (base_url, log) = acme_api().await;
    let mut home = Home::new();

    let types = home.succeeds(&["credentials", "types"]);
    let row = types
        .lines()
        .find(|line| line.starts_with("acmeApi"))
        .unwrap_or_default();
    assert!(
        row.contains("Acme API") && row.contains("Static"),
        "{types}"
    );

    let schemas = home.dir.path().join("schemas");
    home.succeeds(&["schema", "--write", schemas.to_str().unwrap()]);
    let read = |path: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(schemas.join(path)).unwrap()).unwrap()
    };
    let credential_schema = read("credentials/acmeApi.schema.json");
    assert_eq!(credential_schema["properties"]["apiKey"]["x-secret"], true);
    let node_schema = read("nodes/acme.widgets@1.schema.json");
    assert_eq!(
        node_schema["properties"]["limit"]["anyOf"][0]["default"],
        50
    );

    home.add_acme(&base_url, "127.0.0.1");
    let exported = home.file(
        "n8n-export.json",
        &json!([{
            "id": "acme2", "name": "Acme (old key)", "type": "acmeApi",
            "data": { "baseUrl": base_url, "apiKey": WRONG_KEY }
        }]),
    );
    home.succeeds(&["credentials", "import", &exported]);

    let tested = home.succeeds(&["credentials", "test", "Acme"]);
    assert!(
        tested.contains("works: the test request answered HTTP 200"),
        "{tested}"
    );
    assert_eq!(seen(&log), [request("/v1/me", KEY)]);
    let refused = home.fails(&["credentials", "test", "acme2"]);
    assert!(refused.contains("HTTP 401"), "{refused}");
    assert!(
        refused.contains("the server refused the credential"),
        "{refused}"
    );
    assert_eq!(seen(&log)[1], request("/v1/me", WRONG_KEY));

    let workflow = home.file(
        "workflow.json",
        &widgets_workflow(json!(3), Some(("acme1", "Acme"))),
    );
    let checked = home.succeeds(&["check", &workflow]);
    assert!(checked.contains("OK"), "{checked}");
    let ran = home.succeeds(&["run", &workflow]);
    let items: Vec<Value> = serde_json::from_str(&ran).unwrap();
    let names: Vec<&Value> = items.iter().map(|item| &item["json"]["name"]).collect();
    assert_eq!(names, ["Sprocket", "Gear", "Flange"], "{ran}");
    assert!(
        items.iter().all(|item| item["pairedItem"]["item"] == 0),
        "{ran}"
    );
    assert_eq!(seen(&log)[2..], [request("/v1/widgets?limit=3", KEY)]);

    home.assert_no_canary();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_restricted_to_other_domains_is_never_sent() {
    let (base_url, log) = acme_api().await;
    let mut home = Home::new();
    home.add_acme(&base_url, "api.acme.example");
    let tested = home.fails(&["credentials", "test", "Acme"]);
    assert!(tested.contains("Domain not allowed"), "{tested}");
    let workflow = home.file(
        "workflow.json",
        &widgets_workflow(json!(2), Some(("acme1", "Acme"))),
    );
    let ran = home.fails(&["run", &workflow]);
    assert!(ran.contains("Domain not allowed"), "{ran}");
    assert_eq!(seen(&log), []);
    home.assert_no_canary();
}

#[test]
fn a_widgets_node_without_its_credential_or_with_a_bad_limit_does_not_run() {
    let mut home = Home::new();
    let workflow = home.file("workflow.json", &widgets_workflow(json!(2), None));
    // `check` reviews templates, which n8n exports without credentials: a warning there.
    let output = home.weft_acme(&["check", &workflow]);
    let checked = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    assert!(checked.contains("nodes[1].credentials"), "{checked}");
    assert!(
        checked.contains("needs a credential of type acmeApi"),
        "{checked}"
    );
    let ran = home.fails(&["run", &workflow]);
    assert!(ran.contains("needs a credential of type acmeApi"), "{ran}");
    let bad_limit = home.file("limit.json", &widgets_workflow(json!(0), Some(("x", "X"))));
    let ran = home.fails(&["run", &bad_limit]);
    assert!(
        ran.contains("Limit must be a whole number from 1 to 100"),
        "{ran}"
    );
    // The plugin's schemas are its own: the product's committed schemas never list them.
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    assert!(
        committed
            .join("credentials/httpHeaderAuth.schema.json")
            .exists()
    );
    assert!(!committed.join("credentials/acmeApi.schema.json").exists());
    assert!(!committed.join("nodes/acme.widgets@1.schema.json").exists());
}
