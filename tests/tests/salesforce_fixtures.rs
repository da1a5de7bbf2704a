//! The Salesforce fixture suite: every workflow in `tests/fixtures/salesforce/` runs through the real
//! `weft` binary against its own fresh fake Salesforce, and both what the No Op received and what
//! reached Salesforce are compared with what the fixture pins. Every resource × operation the node
//! declares must have at least one fixture.
//!
//! A fixture is an n8n workflow (Manual Trigger → Salesforce node(s) → No Op) with the JWT credential
//! `jwt1`, plus weft-only top-level keys that `weft run` ignores:
//!
//! - `pinData["<No Op>"]`: the expected items (n8n's convention), compared by deep JSON equality
//!   without `pairedItem`, as n8n's harness does (item order still pins which item got which result).
//! - `weftExpectedRequests`: every REST call in order (token calls excluded) as
//!   `{method, path, q?, query?, body?}`; the path (but for `%2F`) and `q` decoded, a JSON body as a value, a
//!   multipart body as `{"multipart": [{name, filename?, contentType?, content}]}`.
//! - `weftExpectedError` (optional): the run must fail with exit code 1 and this text on stderr.
//! - `weftExpectedWarnings` (optional): texts that must each appear exactly once on stderr.
//! - `weftFake` (optional): the fake's `FakeConfig` as JSON (page size, seeds, custom fields…).
//! - `weftFaults` (optional): fault rules (`FaultRule` as JSON) injected into the fake before the
//!   run, e.g. `{"method": "GET", "path": "/services/data/*", "kind": "daily_limit"}`.
//! - `weftExpectedTokenRequests` (optional, default 0): how many token requests weft makes, e.g.
//!   one renewal after a 401.
//!
//! As in n8n's harness, the credential carries a cached session (`accessToken`, `instanceUrl`; the
//! token comes from the fake's client-credentials grant, which needs no RSA signing), and weft must
//! not ask for another one unless the fixture expects it.
//!
//! Expected strings may hold placeholders for values that change between runs: `<id:PFX>` is any
//! 18-character id with key prefix `PFX` (also inside a longer string, e.g. a path), and a whole
//! string `<datetime>` is any dateTime. Workflows run with `tests/` as working directory, so file
//! paths such as `fixtures/files/…` resolve. `WEFT_BLESS=1` rewrites `pinData` and
//! `weftExpectedRequests` from the actual run (ids of created records and current timestamps turned
//! into placeholders), for review before committing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;
use weft_nodes::description::{Condition, Literal, ParameterKind};
use weft_nodes::salesforce::description::DESCRIPTION;
use weft_tests::fake::{FaultRule, HostRole, LogEntry, clock, ids};
use weft_tests::{FakeConfig, FakeSalesforce, WeftHome, client_credentials_token, jwt_credential};
/// How far from now a dateTime may be to count as "current" when blessing.
const RECENT_MS: i64 = 86_400_000;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_salesforce_fixture_matches_its_pinned_output_and_requests() {
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures found");
    let bless = std::env::var_os("WEFT_BLESS").is_some();
    // Each fixture is a fake plus two short processes: one fixture per core at a time.
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let gate = Arc::new(Semaphore::new(cores));
    let runs: Vec<_> = files
        .into_iter()
        .map(|file| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.unwrap();
                let name = file.file_stem().unwrap().to_string_lossy().into_owned();
                let problems = run_fixture(&file, bless).await;
                (name, problems)
            })
        })
        .collect();
    let mut failures = Vec::new();
    for run in runs {
        let (name, problems) = run.await.unwrap();
        if !problems.is_empty() {
            failures.push(format!("── {name}\n{}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The fixture files, sorted.
fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("fixtures/salesforce"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_resource_and_operation_of_the_node_has_a_fixture() {
    // Each resource's `operation` is declared once, shown by `resource` alone.
    let declared: BTreeMap<String, (Vec<String>, String)> = DESCRIPTION
        .parameters
        .iter()
        .filter(|parameter| parameter.name == "operation")
        .map(|parameter| {
            let [("resource", [Condition::Is(resource)])] = parameter.display.show else {
                panic!("an operation shown by one resource")
            };
            let ParameterKind::Options(choices) = parameter.kind else {
                panic!("operation is an options parameter")
            };
            let text = |literal: &Literal| literal.to_value().as_str().unwrap().to_owned();
            let operations = choices.iter().map(|choice| text(&choice.value)).collect();
            (text(resource), (operations, text(&parameter.default)))
        })
        .collect();
    let mut covered = BTreeSet::new();
    for file in fixture_files() {
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for node in fixture["nodes"].as_array().unwrap() {
            if node["type"] != DESCRIPTION.name {
                continue;
            }
            let parameters = &node["parameters"];
            let resource = parameters["resource"].as_str().unwrap_or("lead").to_owned();
            let operation = match parameters["operation"].as_str() {
                Some(operation) => operation.to_owned(),
                None => declared[&resource].1.clone(),
            };
            covered.insert((resource, operation));
        }
    }
    let missing: Vec<String> = declared
        .iter()
        .flat_map(|(resource, (operations, _))| {
            operations
                .iter()
                .map(move |operation| (resource.clone(), operation.clone()))
        })
        .filter(|pair| !covered.contains(pair))
        .map(|(resource, operation)| format!("{resource} {operation}"))
        .collect();
    assert_eq!(declared.len(), 12, "n8n's 12 resources");
    assert!(missing.is_empty(), "no fixture for: {missing:?}");
}

/// Runs one fixture; returns what differs (empty when it passes).
async fn run_fixture(file: &Path, bless: bool) -> Vec<String> {
    let mut fixture: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let config: FakeConfig = match fixture.get("weftFake") {
        Some(config) => serde_json::from_value(config.clone()).expect("weftFake is a FakeConfig"),
        None => FakeConfig::default(),
    };
    let fake = FakeSalesforce::start(config).await.unwrap();
    let instance_url = fake.instance_url().to_string();
    let access_token = client_credentials_token(&fake).await;
    let faults = fixture.get("weftFaults").cloned().unwrap_or(json!([]));
    for rule in serde_json::from_value::<Vec<FaultRule>>(faults).expect("weftFaults are rules") {
        fake.inject(rule);
    }
    let workflow = file.to_path_buf();
    let run =
        tokio::task::spawn_blocking(move || run_weft(&workflow, &instance_url, &access_token))
            .await
            .unwrap();
    let token_requests: u64 = fake.counters().token_requests.values().sum();
    let requests: Vec<Value> = fake
        .log()
        .iter()
        .filter(|entry| {
            entry.host == HostRole::Instance && entry.path.starts_with("/services/data/")
        })
        .map(request_shape)
        .collect();
    let now = fake.now_ms();
    fake.shutdown().await;

    let stderr = String::from_utf8_lossy(&run.stderr);
    let mut problems = Vec::new();
    let expected_tokens = fixture
        .get("weftExpectedTokenRequests")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    // The harness's own token request (the cached session) comes first.
    if token_requests != 1 + expected_tokens {
        problems.push(format!(
            "weft made {} token requests, expected {expected_tokens}",
            token_requests.saturating_sub(1)
        ));
    }
    for warning in fixture
        .get("weftExpectedWarnings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let count = stderr.matches(warning).count();
        if count != 1 {
            problems.push(format!(
                "`{warning}` appears {count} times on stderr, expected once:\n{stderr}"
            ));
        }
    }
    let (no_op, pinned) = {
        let pins = fixture["pinData"].as_object();
        match pins.map(|pins| pins.iter().next()) {
            Some(Some((name, items))) => (Some(name.clone()), items.clone()),
            _ => (None, Value::Null),
        }
    };
    let items = match fixture.get("weftExpectedError").and_then(Value::as_str) {
        Some(error) => {
            if run.status.code() != Some(1) || !stderr.contains(error) {
                problems.push(format!(
                    "expected exit code 1 with `{error}` on stderr, got {:?}:\n{stderr}",
                    run.status.code()
                ));
            }
            None
        }
        None if !run.status.success() => {
            problems.push(format!("the run failed: {stderr}"));
            None
        }
        None => {
            let mut items: Value = serde_json::from_slice(&run.stdout).unwrap();
            for item in items.as_array_mut().into_iter().flatten() {
                item.as_object_mut().unwrap().remove("pairedItem");
            }
            Some(items)
        }
    };

    if bless {
        if let (Some(no_op), Some(items)) = (&no_op, &items) {
            fixture["pinData"] = json!({ no_op: with_placeholders(items, now) });
        }
        fixture["weftExpectedRequests"] = with_placeholders(&Value::from(requests), now);
        let text = serde_json::to_string_pretty(&fixture).unwrap() + "\n";
        std::fs::write(file, text).unwrap();
        return problems;
    }

    if let Some(items) = &items {
        if no_op.is_none() {
            problems.push("pinData names no No Op".into());
        } else if !matches(&pinned, items) {
            problems.push(format!(
                "output differs\n  expected: {pinned}\n  actual:   {items}"
            ));
        }
    }
    let expected = fixture
        .get("weftExpectedRequests")
        .cloned()
        .unwrap_or(json!([]));
    let actual = Value::from(requests);
    if !matches(&expected, &actual) {
        problems.push(format!(
            "requests differ\n  expected: {expected}\n  actual:   {actual}"
        ));
    }
    problems
}

/// Imports the JWT credential with a cached session into a fresh `WEFT_HOME` and runs the workflow
/// from `tests/`.
fn run_weft(workflow: &Path, instance_url: &str, access_token: &str) -> Output {
    let home = WeftHome::new();
    let mut credential = jwt_credential(instance_url);
    credential["data"]["accessToken"] = access_token.into();
    credential["data"]["instanceUrl"] = instance_url.into();
    home.import(&json!([credential]));
    home.command(&["run", workflow.to_str().unwrap()])
        .current_dir(manifest_dir())
        .output()
        .unwrap()
}

/// A logged request as fixtures spell it: decoded path and `q`, body as a value.
fn request_shape(entry: &LogEntry) -> Value {
    let mut shape = Map::new();
    shape.insert("method".into(), entry.method.clone().into());
    shape.insert("path".into(), decode_path(&entry.path).into());
    let mut query = Map::new();
    for (key, value) in url::form_urlencoded::parse(entry.query.as_deref().unwrap_or("").as_bytes())
    {
        if key == "q" {
            shape.insert("q".into(), value.into_owned().into());
        } else {
            query.insert(key.into_owned(), value.into_owned().into());
        }
    }
    if !query.is_empty() {
        shape.insert("query".into(), query.into());
    }
    if !entry.body.is_empty() {
        let body = match entry.header("content-type").and_then(boundary) {
            Some(boundary) => json!({ "multipart": multipart(&entry.body, boundary) }),
            None => content(&entry.body),
        };
        shape.insert("body".into(), body);
    }
    shape.into()
}

/// The path with its percent-escapes decoded, except `%2F`: a slash encoded inside a segment stays
/// visible as such (it proves the id was one segment).
fn decode_path(path: &str) -> String {
    path.split("%2F")
        .map(|piece| urlencoding::decode(piece).map_or_else(|_| piece.into(), Into::into))
        .collect::<Vec<String>>()
        .join("%2F")
}

/// JSON text as a value, anything else as a string.
fn content(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| text.into())
}

fn boundary(content_type: &str) -> Option<&str> {
    content_type
        .strip_prefix("multipart/form-data")?
        .split(';')
        .find_map(|param| param.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
}

/// The parts of a multipart body: name, filename and content type from the headers, content as
/// JSON when it parses.
fn multipart(body: &str, boundary: &str) -> Vec<Value> {
    body.split(&format!("--{boundary}"))
        .filter_map(|part| {
            let (head, content_text) = part.trim_start_matches("\r\n").split_once("\r\n\r\n")?;
            let mut shape = Map::new();
            for line in head.lines() {
                let (name, value) = line.split_once(':')?;
                if name.eq_ignore_ascii_case("content-type") {
                    shape.insert("contentType".into(), value.trim().into());
                } else if name.eq_ignore_ascii_case("content-disposition") {
                    for param in value.split(';').skip(1) {
                        if let Some((key, quoted)) = param.trim().split_once('=') {
                            shape.insert(key.into(), quoted.trim_matches('"').into());
                        }
                    }
                }
            }
            let text = content_text.strip_suffix("\r\n").unwrap_or(content_text);
            shape.insert("content".into(), content(text));
            Some(shape.into())
        })
        .collect()
}

/// Whether `actual` equals `expected`, placeholders in `expected` standing for varying values.
fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) => text_matches(e, a),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(e, a)| matches(e, a))
        }
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(key, e)| a.get(key).is_some_and(|a| matches(e, a)))
        }
        _ => expected == actual,
    }
}

fn text_matches(expected: &str, actual: &str) -> bool {
    if expected == "<datetime>" {
        return clock::parse_datetime(actual).is_some();
    }
    match expected.split_once("<id:") {
        None => expected == actual,
        Some((before, rest)) => {
            let Some((prefix, after)) = rest.split_once('>') else {
                return expected == actual;
            };
            actual.strip_prefix(before).is_some_and(|tail| {
                tail.get(..18).is_some_and(|id| {
                    id.starts_with(prefix) && id.bytes().all(|b| b.is_ascii_alphanumeric())
                }) && text_matches(after, &tail[18..])
            })
        }
    }
}

/// `actual` with the ids of records created during the run and current dateTimes replaced by
/// placeholders.
fn with_placeholders(actual: &Value, now: i64) -> Value {
    match actual {
        Value::String(text) => {
            if clock::parse_datetime(text).is_some_and(|ms| (ms - now).abs() < RECENT_MS) {
                return "<datetime>".into();
            }
            let mut out = String::new();
            let mut word = String::new();
            for c in text.chars().chain(['\0']) {
                if c.is_ascii_alphanumeric() {
                    word.push(c);
                    continue;
                }
                match ids::parse(&word) {
                    Some((prefix, number)) if number >= ids::CREATED_BASE => {
                        out.push_str(&format!("<id:{prefix}>"));
                    }
                    _ => out.push_str(&word),
                }
                word.clear();
                if c != '\0' {
                    out.push(c);
                }
            }
            out.into()
        }
        Value::Array(values) => values.iter().map(|v| with_placeholders(v, now)).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), with_placeholders(v, now)))
            .collect::<Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}
