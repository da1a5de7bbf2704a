//! The example node of `docs/nodes.md` (`weft_tests::example_node`), run the way a third party
//! would ship it: by `weft-with-example`, a `weft` binary that links the tests crate. The fixture
//! workflow's No Op carries the expected items as pinData (n8n's convention); the stock `weft`
//! binary, which does not link the node, refuses the workflow before running anything; and the
//! node's parameter schema is generated with the built-in ones.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use weft_tests::{WeftHome, weft_binary};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workflows/example-uppercase.json")
}

/// Runs `binary` with a fresh `WEFT_HOME`.
fn run(binary: &Path, args: &[&str]) -> Output {
    WeftHome::new().command_of(binary, args).output().unwrap()
}

fn with_example() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_weft-with-example"))
}

#[test]
fn the_example_node_runs_in_a_weft_that_links_it() {
    let workflow = fixture();
    let output = run(with_example(), &["run", workflow.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let items: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(workflow).unwrap()).unwrap();
    let expected = fixture["pinData"]["Expected"].as_array().unwrap();
    let got: Vec<&Value> = items.iter().map(|item| &item["json"]).collect();
    let want: Vec<&Value> = expected.iter().map(|item| &item["json"]).collect();
    assert_eq!(got, want);
    for (index, item) in items.iter().enumerate() {
        assert_eq!(item["pairedItem"]["item"], index, "{item}");
    }
}

#[test]
fn the_stock_weft_does_not_know_the_example_node() {
    let output = run(&weft_binary(), &["run", fixture().to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nodes[3].type"), "{stderr}");
    assert!(stderr.contains("weft-example.uppercase"), "{stderr}");
}

#[test]
fn the_example_node_gets_a_parameter_schema() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        with_example(),
        &["schema", "--write", dir.path().to_str().unwrap()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(
        dir.path()
            .join("nodes/weft-example.uppercase@1.schema.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["properties"]["field"]["default"], "name", "{schema}");
    assert!(
        dir.path()
            .join("nodes/n8n-nodes-base.noOp@1.schema.json")
            .exists()
    );
}
