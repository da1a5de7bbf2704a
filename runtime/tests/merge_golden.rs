//! The Merge node against n8n's recordings, without the executor: for every Merge run of every
//! `merge-*` case in `../shared/golden-core/cases`, the node gets the items its recorded
//! `source` nodes output (with the lineage pairing the executor gives them: `{item: i}` on
//! input 0, `{item: i, input: k}` on input k), its parameters resolved as `weft run` resolves
//! them, and must output exactly the recorded items (json with its key order, binary,
//! pairedItem).
//!
//! Without the recordings the test fails naming the folder, unless `WEFT_SKIP_GOLDEN=1` asks to
//! skip it (it says so on stderr).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use weft_nodes::core::{Merge, merge_items};
use weft_nodes::{Item, Node, NodeError, PairedItem, PairedItems, RequiredInputs};
use weft_runtime::workflow::resolve;

fn golden_core_cases() -> Option<PathBuf> {
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/golden-core/cases");
    if cases.is_dir() {
        return Some(cases);
    }
    if std::env::var_os("WEFT_SKIP_GOLDEN").is_some_and(|value| value == "1") {
        eprintln!(
            "SKIPPED merge_golden: no golden cases at {} (WEFT_SKIP_GOLDEN=1)",
            cases.display()
        );
        return None;
    }
    panic!(
        "merge_golden: no golden cases at {} (hint: put n8n's recordings at ../shared/golden-core beside the checkout, or set WEFT_SKIP_GOLDEN=1 to skip this test)",
        cases.display()
    );
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The items input `input` received: the source's recorded output, paired as the executor
/// pairs them.
fn input_items(run_data: &Value, source: &Value, input: usize) -> Vec<Item> {
    if source.is_null() {
        return Vec::new();
    }
    let node = source["previousNode"].as_str().unwrap();
    let run = source["previousNodeRun"].as_u64().unwrap_or(0) as usize;
    let output = source["previousNodeOutput"].as_u64().unwrap_or(0) as usize;
    let items = &run_data[node][run]["data"]["main"][output];
    serde_json::from_value::<Vec<Item>>(items.clone())
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(index, item)| Item {
            paired_item: Some(PairedItems::One(PairedItem::of_input(
                index,
                (input > 0).then_some(input),
            ))),
            ..item
        })
        .collect()
}

/// A parameter of the resolved map at a dot path.
fn lookup(parameters: &Value, path: &str) -> Option<Value> {
    path.split('.')
        .try_fold(parameters, |value, key| value.get(key))
        .cloned()
}

/// The recorded item as n8n wrote it, with the keys an item has.
fn recorded(item: &Value) -> String {
    let mut kept = Map::new();
    for key in ["json", "binary", "pairedItem"] {
        if let Some(value) = item.get(key) {
            kept.insert(key.to_owned(), value.clone());
        }
    }
    Value::Object(kept).to_string()
}

#[test]
fn every_recorded_merge_run_is_reproduced() {
    let Some(cases) = golden_core_cases() else {
        return;
    };
    let mut compared = 0;
    let mut case_dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("merge-"))
        })
        .collect();
    case_dirs.sort();
    assert!(
        !case_dirs.is_empty(),
        "no merge-* cases in {}",
        cases.display()
    );
    for case in case_dirs {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let workflow = read_json(&case.join("workflow.json"));
        let run_data = read_json(&case.join("output.json"))["runData"].clone();
        for node in workflow["nodes"].as_array().unwrap() {
            if node["type"] != "n8n-nodes-base.merge" {
                continue;
            }
            let node_name = node["name"].as_str().unwrap();
            let version = node["typeVersion"].as_f64().unwrap();
            let written = node["parameters"].as_object().cloned().unwrap_or_default();
            let parameters =
                Value::Object(resolve(Merge.description().parameters, version, &written));
            let Some(runs) = run_data[node_name].as_array() else {
                // n8n never released it: only a node that needs every input may stay waiting.
                assert!(
                    matches!(
                        Merge.required_inputs(version, &parameters),
                        RequiredInputs::All(_)
                    ),
                    "{name}/{node_name} did not run in n8n"
                );
                continue;
            };
            for (run_index, run) in runs.iter().enumerate() {
                let count = Merge.inputs(version, &parameters);
                let sources = run["source"].as_array().cloned().unwrap_or_default();
                let inputs: Vec<Vec<Item>> = (0..count)
                    .map(|input| {
                        input_items(&run_data, sources.get(input).unwrap_or(&Value::Null), input)
                    })
                    .collect();
                let slices: Vec<&[Item]> = inputs.iter().map(Vec::as_slice).collect();
                let read = |path: &str| -> Result<Option<Value>, NodeError> {
                    Ok(lookup(&parameters, path))
                };
                let output = merge_items(version, &read, &slices)
                    .unwrap_or_else(|error| panic!("{name}/{node_name}: {}", error.message));
                let expected: Vec<String> = run["data"]["main"][0]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(recorded)
                    .collect();
                let actual: Vec<String> = output
                    .iter()
                    .map(|item| serde_json::to_value(item).unwrap().to_string())
                    .collect();
                assert_eq!(
                    actual.len(),
                    expected.len(),
                    "{name}/{node_name} run {run_index}: item count\n{actual:#?}"
                );
                for (index, (actual, expected)) in actual.iter().zip(&expected).enumerate() {
                    assert_eq!(
                        actual, expected,
                        "{name}/{node_name} run {run_index} item {index}"
                    );
                }
                compared += 1;
            }
        }
    }
    assert!(compared >= 10, "only {compared} Merge runs compared");
}

#[test]
fn the_sql_mode_is_refused_at_check_at_the_nodes_mode() {
    let workflow = serde_json::json!({
        "nodes": [
            {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
             "position": [0, 0], "parameters": {}},
            {"name": "Merge", "type": "n8n-nodes-base.merge", "typeVersion": 3.2,
             "position": [200, 0],
             "parameters": {"mode": "combineBySql", "query": "SELECT * FROM input1"}}
        ],
        "connections": {"Start": {"main": [[{"node": "Merge", "type": "main", "index": 0}]]}}
    });
    let problems = weft_runtime::workflow::check(
        &workflow,
        weft_nodes::NodeRegistry::global().unwrap(),
        weft_nodes::credentials::Registry::global().unwrap(),
    )
    .err()
    .expect("the SQL mode is refused");
    let problem = problems
        .iter()
        .find(|problem| problem.path == "nodes[1].parameters.mode")
        .unwrap_or_else(|| panic!("no problem at the mode: {problems:?}"));
    assert!(
        problem.message.contains("combineBySql"),
        "{}",
        problem.message
    );
    assert!(
        problem.hint.contains("combine by matching fields"),
        "{}",
        problem.hint
    );
}
