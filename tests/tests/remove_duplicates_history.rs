//! Remove Duplicates across executions with the real `weft` binary: consecutive `weft run`s of
//! one workflow against one store keep n8n's history (each logic, a shared workflow scope that
//! the clear operation empties, the history size bound), and a run whose store cannot be opened
//! fails with a hint.

use serde_json::{Value, json};
use weft_tests::WeftHome;

/// A workflow (always the same id, node ids and names) whose Code node returns `values` as
/// items `{value}` for a Remove Duplicates v2 with `parameters`.
fn workflow(values: Value, parameters: Value) -> Value {
    let code = format!("return {values}.map(value => ({{json: {{value}}}}));");
    json!({
        "id": "dedupeHistory1",
        "name": "dedupe across executions",
        "nodes": [
            {"parameters": {}, "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
             "position": [0, 0], "name": "Start", "id": "node-start"},
            {"parameters": {"jsCode": code}, "type": "n8n-nodes-base.code", "typeVersion": 2,
             "position": [200, 0], "name": "Items", "id": "node-items"},
            {"parameters": parameters, "type": "n8n-nodes-base.removeDuplicates",
             "typeVersion": 2, "position": [400, 0], "name": "Dedupe", "id": "node-dedupe"}
        ],
        "connections": {
            "Start": {"main": [[{"node": "Items", "type": "main", "index": 0}]]},
            "Items": {"main": [[{"node": "Dedupe", "type": "main", "index": 0}]]}
        },
        "settings": {"executionOrder": "v1"}
    })
}

/// Runs `workflow` with `--raw-output`: Remove Duplicates' kept and discarded values, or the
/// error message of a failed run.
fn run(home: &WeftHome, workflow: &Value) -> Result<(Vec<Value>, Vec<Value>), String> {
    let file = home.path().join("workflow.json");
    std::fs::write(&file, workflow.to_string()).unwrap();
    let output = home.weft(&["run", "--raw-output", file.to_str().unwrap()]);
    let document: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    if !output.status.success() {
        return Err(document["error"]["message"]
            .as_str()
            .unwrap_or("")
            .to_owned());
    }
    let outputs = &document["runData"]["Dedupe"][0]["data"]["main"];
    let values = |index: usize| -> Vec<Value> {
        outputs[index]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| item["json"]["value"].clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok((values(0), values(1)))
}

fn seen_before(logic: &str, value_parameter: &str, options: Value) -> Value {
    json!({"operation": "removeItemsSeenInPreviousExecutions", "logic": logic,
           value_parameter: "={{ $json.value }}", "options": options})
}

#[test]
fn each_logic_drops_in_a_second_run_what_the_first_saw() {
    // (logic, its value parameter, first run's values, second run's, kept, discarded)
    let cases = [
        (
            "removeItemsWithAlreadySeenKeyValues",
            "dedupeValue",
            json!(["b", "a", "b"]),
            json!(["c", "a", 2]),
            // JavaScript's key order: integer keys first.
            json!([2, "c"]),
            json!(["a"]),
        ),
        (
            "removeItemsUpToStoredIncrementalKey",
            "incrementalDedupeValue",
            json!([5, 3]),
            json!([4, 7, 6, 5]),
            json!([6, 7]),
            json!([4, 5]),
        ),
        (
            "removeItemsUpToStoredDate",
            "dateDedupeValue",
            json!(["2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z"]),
            json!(["2024-01-01T12:00:00Z", "2024-03-01T00:00:00Z"]),
            json!(["2024-03-01T00:00:00Z"]),
            json!(["2024-01-01T12:00:00Z"]),
        ),
    ];
    for (logic, parameter, first, second, kept, discarded) in cases {
        let home = WeftHome::new();
        let parameters = seen_before(logic, parameter, json!({}));
        let (first_kept, first_discarded) =
            run(&home, &workflow(first.clone(), parameters.clone())).unwrap();
        assert_eq!(
            (json!(first_kept.len()), first_discarded),
            (json!(first.as_array().unwrap().len()), vec![]),
            "{logic}: the first run keeps everything"
        );
        let (second_kept, second_discarded) = run(&home, &workflow(second, parameters)).unwrap();
        assert_eq!(
            (json!(second_kept), json!(second_discarded)),
            (kept, discarded),
            "{logic}"
        );
    }
}

#[test]
fn the_first_run_groups_equal_values_in_javascripts_key_order() {
    let home = WeftHome::new();
    let parameters = seen_before(
        "removeItemsWithAlreadySeenKeyValues",
        "dedupeValue",
        json!({}),
    );
    let (kept, _) = run(&home, &workflow(json!(["x", 2, "x", 1]), parameters)).unwrap();
    assert_eq!(json!(kept), json!([1, 2, "x", "x"]));
}

#[test]
fn clearing_the_workflow_history_forgets_what_was_seen() {
    let home = WeftHome::new();
    let dedupe = seen_before(
        "removeItemsWithAlreadySeenKeyValues",
        "dedupeValue",
        json!({"scope": "workflow"}),
    );
    run(&home, &workflow(json!([1, 2]), dedupe.clone())).unwrap();
    let clear = json!({"operation": "clearDeduplicationHistory", "mode": "cleanDatabase",
                       "options": {"scope": "workflow"}});
    let (passed, _) = run(&home, &workflow(json!([9]), clear)).unwrap();
    assert_eq!(passed, [json!(9)], "clearing passes the items on");
    let (kept, discarded) = run(&home, &workflow(json!([1, 2]), dedupe)).unwrap();
    assert_eq!((json!(kept), discarded), (json!([1, 2]), vec![]));
}

#[test]
fn the_history_size_bounds_what_is_kept_and_another_logic_is_refused() {
    let home = WeftHome::new();
    let sized = seen_before(
        "removeItemsWithAlreadySeenKeyValues",
        "dedupeValue",
        json!({"historySize": 3}),
    );
    run(&home, &workflow(json!([1, 2]), sized.clone())).unwrap();
    let error = run(&home, &workflow(json!([3, 4]), sized)).unwrap_err();
    assert!(
        error.contains("exceeds the maximum history size"),
        "{error}"
    );
    let incremental = seen_before(
        "removeItemsUpToStoredIncrementalKey",
        "incrementalDedupeValue",
        json!({}),
    );
    let error = run(&home, &workflow(json!([1]), incremental)).unwrap_err();
    assert!(error.contains("incompatible setting"), "{error}");
}

#[test]
fn a_run_whose_store_cannot_be_opened_says_so_with_a_hint() {
    let home = WeftHome::new();
    let file = home.path().join("workflow.json");
    let parameters = seen_before(
        "removeItemsWithAlreadySeenKeyValues",
        "dedupeValue",
        json!({}),
    );
    std::fs::write(&file, workflow(json!([1]), parameters).to_string()).unwrap();
    // WEFT_HOME names a file: no store can be made there.
    let output = home
        .command(&["run", file.to_str().unwrap()])
        .env("WEFT_HOME", &file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("node \"Dedupe\"")
            && stderr.contains("keeps data across executions in its store, which cannot be opened")
            && stderr.contains("hint: give weft its store"),
        "{stderr}"
    );
}
