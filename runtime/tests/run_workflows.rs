//! `weft run` on fixture workflows, with the real binary.
//!
//! - `fixtures/workflows/`: n8n's node-test convention. Each must succeed, and every node with
//!   pinData must have produced exactly those items (pairedItem is not compared). The execution
//!   order, statuses and items per output of every node run are snapshotted.
//! - `fixtures/failing/`: workflows that fail; exit 1, stderr and the run's error are snapshotted.
//! - `fixtures/invalid/`: workflows that must not start; exit 1 and every problem, snapshotted.

mod workflow_support;

use serde_json::{Value, json};
use workflow_support::{Outcome, Service, files, run};

#[test]
fn every_fixture_workflow_gives_its_pinned_output() {
    let service = Service::start();
    let fixtures = files("workflows");
    assert!(fixtures.len() >= 5, "fixtures missing: {fixtures:?}");
    for fixture in fixtures {
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let outcome = run(&fixture, &service.base, &["--raw-output"]);
        assert_eq!(outcome.code, 0, "{name}: {}", outcome.stderr);
        let document = outcome.json();
        assert_eq!(document["status"], "success", "{name}");
        let workflow: Value =
            serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
        let pinned = workflow["pinData"].as_object().cloned().unwrap_or_default();
        assert!(!pinned.is_empty(), "{name} pins no expected output");
        for (node, expected) in pinned {
            let runs = document["runData"][&node]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {node} did not run"));
            let actual = comparable(&runs.last().unwrap()["data"]["main"][0]);
            assert_eq!(actual, comparable(&expected), "{name}: output of {node}");
        }
        insta::assert_json_snapshot!(name, summary(&document));
    }
}

/// Items without `pairedItem` (as n8n's test harness compares them), the test service's port
/// (which an error's `context.request` names) as `<port>`.
fn comparable(items: &Value) -> Value {
    let items: Value = serde_json::from_str(&redact_port(&items.to_string())).unwrap();
    let items = items.as_array().cloned().unwrap_or_default();
    Value::Array(
        items
            .into_iter()
            .map(|mut item| {
                let item = item.as_object_mut().unwrap();
                item.remove("pairedItem");
                Value::Object(item.clone())
            })
            .collect(),
    )
}

/// Order, status, errors and items per output of each node run.
fn summary(document: &Value) -> Value {
    let mut runs: Vec<(u64, Value)> = Vec::new();
    for (node, node_runs) in document["runData"].as_object().unwrap() {
        for run in node_runs.as_array().unwrap() {
            let outputs: Vec<usize> = run["data"]["main"]
                .as_array()
                .map(|outputs| {
                    outputs
                        .iter()
                        .map(|items| items.as_array().map_or(0, Vec::len))
                        .collect()
                })
                .unwrap_or_default();
            let mut line =
                json!({ "node": node, "status": run["executionStatus"], "items": outputs });
            if let Some(source) = run["source"].as_array().and_then(|source| source.first()) {
                line["from"] = json!(format!(
                    "{}[{}]",
                    source["previousNode"].as_str().unwrap(),
                    source["previousNodeOutput"]
                ));
            }
            if let Some(message) = run["error"]["message"].as_str() {
                line["error"] = json!(message);
            }
            runs.push((run["executionIndex"].as_u64().unwrap(), line));
        }
    }
    runs.sort_by_key(|(index, _)| *index);
    json!({
        "status": document["status"],
        "lastNodeExecuted": document["lastNodeExecuted"],
        "runs": runs.into_iter().map(|(_, line)| line).collect::<Vec<_>>(),
    })
}

#[test]
fn failing_workflows_exit_1_and_name_the_node_and_the_error() {
    let service = Service::start();
    for fixture in files("failing") {
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let outcome = run(
            &fixture,
            &service.base,
            &[
                "--raw-output",
                "--expression-timeout",
                "300",
                "--code-timeout",
                "300",
            ],
        );
        assert_eq!(outcome.code, 1, "{name}: {}", outcome.stderr);
        let document = outcome.json();
        assert_eq!(document["status"], "error", "{name}");
        assert_eq!(
            document.get("finished"),
            None,
            "{name}: n8n leaves out `finished` on failure"
        );
        let node = document["lastNodeExecuted"].as_str().unwrap();
        let run = &document["runData"][node][0];
        assert_eq!(run["executionStatus"], "error", "{name}");
        assert_eq!(run.get("data"), None, "{name}: a failed run has no data");
        assert_eq!(
            run["error"], document["error"],
            "{name}: the run and the execution carry one error"
        );
        let mut error: Value = serde_json::from_str(&redact_port(&document["error"].to_string()))
            .expect("redacting a port keeps the JSON valid");
        error["node"] = json!(error["node"]["name"]);
        insta::assert_json_snapshot!(
            format!("failing-{name}"),
            json!({ "stderr": redact_port(&outcome.stderr), "error": error })
        );
    }
}

#[test]
fn the_default_output_is_the_last_nodes_items_and_can_go_to_a_file() {
    let service = Service::start();
    let fixture = workflow_support::fixtures("workflows").join("http-expressions.json");
    let printed = run(&fixture, &service.base, &[]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let items = printed.json();
    assert_eq!(items.as_array().unwrap().len(), 2);
    assert_eq!(items[1]["json"]["query"]["who"], "Grace");
    assert_eq!(items[1]["pairedItem"], json!({ "item": 1 }));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    let written = run(
        &fixture,
        &service.base,
        &["--output", file.to_str().unwrap()],
    );
    assert_eq!((written.code, written.stdout.as_str()), (0, ""));
    let from_file: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(from_file, items);
}

#[test]
fn pin_data_replaces_node_output_only_when_asked() {
    let service = Service::start();
    let fixture = workflow_support::fixtures("workflows").join("execution-order.json");
    let document = run(&fixture, &service.base, &["--raw-output", "--pin-data"]).json();
    assert_eq!(document["status"], "success");
    let dir = tempfile::tempdir().unwrap();
    let pinned = dir.path().join("pinned.json");
    let mut workflow: Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    workflow["pinData"]["Fan out"] = json!([{ "json": { "pinned": true } }]);
    std::fs::write(&pinned, workflow.to_string()).unwrap();
    let with_pins = run(&pinned, &service.base, &["--raw-output", "--pin-data"]).json();
    assert_eq!(
        with_pins["runData"]["Upper"][0]["data"]["main"][0][0]["json"],
        json!({ "pinned": true })
    );
    let without = run(&pinned, &service.base, &["--raw-output"]).json();
    assert_eq!(
        without["runData"]["Upper"][0]["data"]["main"][0][0]["json"],
        json!({})
    );
}

#[test]
fn invalid_workflows_report_every_problem_before_running() {
    for fixture in files("invalid") {
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let Outcome {
            code,
            stdout,
            stderr,
        } = run(&fixture, "http://unused", &[]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{name}: {stderr}");
        insta::assert_snapshot!(format!("invalid-{name}"), stderr);
    }
}

#[test]
fn unreadable_files_are_exit_2() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["run", "/nonexistent/workflow.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read /nonexistent/workflow.json"),
        "{stderr}"
    );
}

/// Ports differ per run: `127.0.0.1:<digits>` becomes `127.0.0.1:<port>` (text already redacted
/// stays as it is).
fn redact_port(text: &str) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut redacted = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        let after = &rest[at + HOST.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        redacted.push_str(&rest[..at + HOST.len()]);
        if digits > 0 {
            redacted.push_str("<port>");
        }
        rest = &after[digits..];
    }
    redacted.push_str(rest);
    redacted
}

#[test]
fn a_workflow_file_may_start_with_a_byte_order_mark() {
    let service = Service::start();
    let fixture = workflow_support::fixtures("workflows").join("http-expressions.json");
    let dir = tempfile::tempdir().unwrap();
    let with_bom = dir.path().join("bom.json");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(std::fs::read(&fixture).unwrap());
    std::fs::write(&with_bom, bytes).unwrap();
    let outcome = run(&with_bom, &service.base, &[]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert_eq!(outcome.json(), run(&fixture, &service.base, &[]).json());
}

#[test]
fn a_loop_that_does_not_end_stops_at_the_run_limits_naming_the_node() {
    let cases = [
        (
            "endless-loop.json",
            "The run reached its limit of 40 node runs at node \"Count\"",
            "--max-node-runs",
        ),
        (
            "doubling-loop.json",
            "Node \"Two tags\" brought the items this run keeps to 1022, over its limit of 1000",
            "--max-items",
        ),
    ];
    for (file, message, flag) in cases {
        let fixture = workflow_support::fixtures("limits").join(file);
        let outcome = run(
            &fixture,
            "http://unused",
            &[
                "--raw-output",
                "--max-node-runs",
                "40",
                "--max-items",
                "1000",
            ],
        );
        assert_eq!(outcome.code, 1, "{file}: {}", outcome.stderr);
        let document = outcome.json();
        assert_eq!(document["error"]["message"], message, "{file}");
        assert!(
            document["error"]["description"]
                .as_str()
                .unwrap()
                .contains(flag),
            "{file}: the hint names {flag}"
        );
        let runs: usize = document["runData"]
            .as_object()
            .unwrap()
            .values()
            .map(|runs| runs.as_array().unwrap().len())
            .sum();
        // At most 40 ran; the refused one is recorded with its error.
        assert!(runs <= 41, "{file}: {runs} node runs");
    }
}

#[test]
fn a_schedule_trigger_starts_a_run_with_n8n_s_timestamp_fields_in_the_workflow_s_zone() {
    let fixture = workflow_support::fixtures("triggers").join("schedule-then-wait.json");
    let outcome = run(&fixture, "http://unused", &[]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let items = outcome.json();
    let fields = items[0]["json"].as_object().unwrap();
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "timestamp",
            "Readable date",
            "Readable time",
            "Day of week",
            "Year",
            "Month",
            "Day of month",
            "Hour",
            "Minute",
            "Second",
            "Timezone"
        ]
    );
    assert_eq!(fields["Timezone"], "Asia/Kolkata (UTC+05:30)");
    let timestamp = fields["timestamp"].as_str().unwrap();
    let moment = chrono::DateTime::parse_from_rfc3339(timestamp).unwrap();
    assert!(timestamp.ends_with("+05:30"), "{timestamp}");
    assert_eq!(fields["Year"], moment.format("%Y").to_string());
    assert_eq!(fields["Hour"], moment.format("%H").to_string());
    assert_eq!(fields["Day of week"], moment.format("%A").to_string());
    // The Wait passed the trigger's item through, paired to it.
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["pairedItem"], json!({ "item": 0 }));
}
