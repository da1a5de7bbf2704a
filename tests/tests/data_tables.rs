//! Data tables with the real `weft` binary and its store: `weft data-tables` creates, lists,
//! shows and deletes tables; a run inserts rows (n8n's bulk insert, autoMapInputData) and gets
//! them back by filter; update, upsert and delete (with dry runs) change what later runs see; a
//! missing table names its id and the command that makes it; Evaluation Trigger and Evaluation
//! route and write as n8n does outside an evaluation run.

use serde_json::{Value, json};
use weft_tests::WeftHome;

fn table(id: &str) -> Value {
    json!({"__rl": true, "mode": "id", "value": id})
}

/// A workflow: Manual Trigger, a Code node returning `items`, then `nodes` in a chain (each
/// `(name, type, typeVersion, parameters)`).
fn chain(items: Value, nodes: &[(&str, &str, f64, Value)]) -> Value {
    let code = format!("return {items}.map(json => ({{json}}));");
    let mut all = vec![
        json!({"parameters": {}, "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
               "position": [0, 0], "name": "Start", "id": "n-start"}),
        json!({"parameters": {"jsCode": code}, "type": "n8n-nodes-base.code", "typeVersion": 2,
               "position": [200, 0], "name": "Items", "id": "n-items"}),
    ];
    for (index, (name, type_name, version, parameters)) in nodes.iter().enumerate() {
        all.push(json!({"parameters": parameters, "type": type_name, "typeVersion": version,
                        "position": [400 + 200 * index, 0], "name": name, "id": format!("n-{index}")}));
    }
    let names: Vec<&str> = ["Start", "Items"]
        .into_iter()
        .chain(nodes.iter().map(|node| node.0))
        .collect();
    let connections: serde_json::Map<String, Value> = names
        .windows(2)
        .map(|pair| {
            (
                pair[0].to_owned(),
                json!({"main": [[{"node": pair[1], "type": "main", "index": 0}]]}),
            )
        })
        .collect();
    json!({"id": "dataTables1", "name": "data tables", "nodes": all,
           "connections": connections, "settings": {"executionOrder": "v1"}})
}

/// Runs `workflow` with `--raw-output`: the run document, or the error message.
fn run(home: &WeftHome, workflow: &Value) -> Result<Value, String> {
    let file = home.path().join("workflow.json");
    std::fs::write(&file, workflow.to_string()).unwrap();
    let output = home.weft(&["run", "--raw-output", file.to_str().unwrap()]);
    let document: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    if !output.status.success() {
        return Err(format!(
            "{} | {}",
            document["error"]["message"].as_str().unwrap_or(""),
            document["error"]["description"].as_str().unwrap_or("")
        ));
    }
    Ok(document)
}

/// The json of the items node `name` put out on `output`, without the timestamps.
fn items(document: &Value, name: &str, output: usize) -> Vec<Value> {
    document["runData"][name][0]["data"]["main"][output]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            let mut json = item["json"].clone();
            if let Some(fields) = json.as_object_mut() {
                fields.retain(|key, _| key != "createdAt" && key != "updatedAt");
            }
            json
        })
        .collect()
}

fn create_people(home: &WeftHome) {
    let output = home.weft(&[
        "data-tables",
        "create",
        "--id",
        "people1",
        "--name",
        "People",
        "--column",
        "name:string",
        "--column",
        "age:number",
        "--column",
        "active:boolean",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn insert(items: Value) -> Value {
    chain(
        items,
        &[(
            "Insert",
            "n8n-nodes-base.dataTable",
            1.0,
            json!({"dataTableId": table("people1"),
                   "columns": {"mappingMode": "autoMapInputData", "value": {}}, "options": {}}),
        )],
    )
}

#[test]
fn the_cli_creates_lists_shows_and_deletes_tables() {
    let home = WeftHome::new();
    create_people(&home);
    let listed = home.weft(&["data-tables", "list", "--json"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed,
        json!([{"id": "people1", "name": "People",
                "columns": ["name:string", "age:number", "active:boolean"], "rows": 0}])
    );
    let again = home.weft(&["data-tables", "create", "--id", "other", "--name", "People"]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("Data table with name 'People' already exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let bad = home.weft(&[
        "data-tables",
        "create",
        "--name",
        "X",
        "--column",
        "id:number",
    ]);
    assert!(!bad.status.success(), "a system column name is refused");
    run(
        &home,
        &insert(json!([{"name": "Ada", "age": 36, "active": true}])),
    )
    .unwrap();
    let shown = home.weft(&["data-tables", "show", "People"]);
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown[0]["name"], "Ada");
    assert_eq!(shown[0]["id"], 1);
    let deleted = home.weft(&["data-tables", "delete", "people1"]);
    assert!(deleted.status.success());
    let listed = home.weft(&["data-tables", "list", "--json"]);
    assert_eq!(
        serde_json::from_slice::<Value>(&listed.stdout).unwrap(),
        json!([])
    );
}

#[test]
fn a_run_inserts_rows_and_a_get_finds_them_by_filter() {
    let home = WeftHome::new();
    create_people(&home);
    let document = run(
        &home,
        &insert(json!([
            {"name": "Ada", "age": "36", "active": "true"},
            {"name": "Bob", "age": 20, "active": 0, "id": 99},
            {"name": "Cy", "age": 41}
        ])),
    )
    .unwrap();
    assert_eq!(
        items(&document, "Insert", 0),
        [
            json!({"name": "Ada", "age": 36, "active": true, "id": 1}),
            json!({"name": "Bob", "age": 20, "active": false, "id": 2}),
            json!({"name": "Cy", "age": 41, "active": null, "id": 3}),
        ],
        "cells typed as the columns, system columns of the input dropped, n8n's key order"
    );
    let created = &document["runData"]["Insert"][0]["data"]["main"][0][0]["json"]["createdAt"];
    assert!(created.as_str().unwrap().ends_with('Z'), "{created}");

    // (matchType, conditions, orderBy, expected names)
    let cases = [
        (
            "allConditions",
            json!([{"keyName": "age", "condition": "gt", "keyValue": "30"}]),
            None,
            vec!["Ada", "Cy"],
        ),
        (
            "anyCondition",
            json!([{"keyName": "name", "condition": "ilike", "keyValue": "b"},
                                 {"keyName": "active", "condition": "isTrue"}]),
            None,
            vec!["Ada", "Bob"],
        ),
        (
            "allConditions",
            json!([{"keyName": "name", "condition": "like", "keyValue": "Y"}]),
            None,
            vec![],
        ),
        (
            "allConditions",
            json!([{"keyName": "active", "condition": "isEmpty"}]),
            None,
            vec!["Cy"],
        ),
        (
            "allConditions",
            json!([]),
            Some("age"),
            vec!["Cy", "Ada", "Bob"],
        ),
    ];
    for (match_type, conditions, order, expected) in cases {
        let mut parameters = json!({"operation": "get", "dataTableId": table("people1"),
            "matchType": match_type, "filters": {"conditions": conditions}, "returnAll": true});
        if let Some(column) = order {
            parameters["orderBy"] = json!(true);
            parameters["orderByColumn"] = json!(column);
        }
        let workflow = chain(
            json!([{}]),
            &[("Get", "n8n-nodes-base.dataTable", 1.1, parameters)],
        );
        let document = run(&home, &workflow).unwrap();
        let names: Vec<Value> = items(&document, "Get", 0)
            .iter()
            .map(|row| row["name"].clone())
            .collect();
        assert_eq!(json!(names), json!(expected), "{conditions}");
    }
}

#[test]
fn update_upsert_and_delete_change_rows_and_dry_runs_change_nothing() {
    let home = WeftHome::new();
    create_people(&home);
    run(
        &home,
        &insert(json!([{"name": "Ada", "age": 36}, {"name": "Bob", "age": 20}])),
    )
    .unwrap();
    let by_name = |operation: &str, name: &str, extra: Value| {
        let mut parameters = json!({"operation": operation, "dataTableId": table("people1"),
            "filters": {"conditions": [{"keyName": "name", "keyValue": name}]},
            "columns": {"mappingMode": "defineBelow", "value": {"age": "={{ 50 }}"}}});
        parameters
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        chain(
            json!([{}]),
            &[("Write", "n8n-nodes-base.dataTable", 1.0, parameters)],
        )
    };
    let dry = run(
        &home,
        &by_name("update", "Ada", json!({"options": {"dryRun": true}})),
    )
    .unwrap();
    assert_eq!(
        items(&dry, "Write", 0),
        [
            json!({"name": "Ada", "age": 36, "active": null, "id": 1, "dryRunState": "before"}),
            json!({"name": "Ada", "age": 50, "active": null, "id": 1, "dryRunState": "after"}),
        ]
    );
    let updated = run(&home, &by_name("update", "Ada", json!({}))).unwrap();
    assert_eq!(
        items(&updated, "Write", 0),
        [json!({"name": "Ada", "age": 50, "active": null, "id": 1})]
    );
    let upserted = run(&home, &by_name("upsert", "Zed", json!({}))).unwrap();
    assert_eq!(
        items(&upserted, "Write", 0),
        [json!({"name": null, "age": 50, "active": null, "id": 3})],
        "no match: the data is inserted"
    );
    let deleted = run(&home, &by_name("deleteRows", "Bob", json!({}))).unwrap();
    assert_eq!(
        items(&deleted, "Write", 0),
        [json!({"name": "Bob", "age": 20, "active": null, "id": 2})]
    );
    let no_filter = chain(
        json!([{}]),
        &[(
            "Write",
            "n8n-nodes-base.dataTable",
            1.0,
            json!({"operation": "deleteRows", "dataTableId": table("people1")}),
        )],
    );
    assert_eq!(
        run(&home, &no_filter).unwrap_err(),
        "At least one condition is required | "
    );
    let shown = home.weft(&["data-tables", "show", "people1"]);
    let ages: Vec<Value> = serde_json::from_slice::<Vec<Value>>(&shown.stdout)
        .unwrap()
        .iter()
        .map(|row| row["age"].clone())
        .collect();
    assert_eq!(ages, [json!(50), json!(50)]);
}

#[test]
fn a_missing_table_names_its_id_and_the_command_that_makes_it_and_bad_cells_are_refused() {
    let home = WeftHome::new();
    let error = run(&home, &insert(json!([{"name": "Ada"}]))).unwrap_err();
    assert!(
        error
            .starts_with("Data table with ID 'people1' could not be found in this project | hint:")
            && error.contains("weft data-tables create --id people1"),
        "{error}"
    );
    create_people(&home);
    let error = run(&home, &insert(json!([{"name": "Ada", "email": "a@b"}]))).unwrap_err();
    assert_eq!(
        error,
        "Validation error with data table request: unknown column name 'email' | "
    );
    let error = run(&home, &insert(json!([{"age": "old"}]))).unwrap_err();
    assert!(
        error.contains("does not match column type 'number'"),
        "{error}"
    );
}

/// Evaluation Trigger → Check If Evaluating → (Evaluation: Set Outputs → Set Metrics) | Normal.
fn evaluation_workflow(trigger_first: bool) -> Value {
    let manual = json!({"parameters": {}, "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
                        "position": [0, 200], "name": "Manual", "id": "e-manual"});
    let trigger = json!({"parameters": {"dataTableId": table("dataset1")},
        "type": "n8n-nodes-base.evaluationTrigger", "typeVersion": 4.7,
        "position": [0, 0], "name": "Dataset", "id": "e-trigger"});
    let nodes = json!([
        if trigger_first { trigger.clone() } else { manual.clone() },
        {"parameters": {"operation": "checkIfEvaluating"}, "type": "n8n-nodes-base.evaluation",
         "typeVersion": 4.8, "position": [200, 0], "name": "Check", "id": "e-check"},
        {"parameters": {"dataTableId": table("dataset1"), "outputs": {"values": [
            {"outputName": "answer", "outputValue": "={{ $json.question.toUpperCase() }}"}]}},
         "type": "n8n-nodes-base.evaluation", "typeVersion": 4.8, "position": [400, 0],
         "name": "Save", "id": "e-save"},
        {"parameters": {"operation": "setMetrics", "metric": "stringSimilarity",
            "expectedAnswer": "={{ $json.expected }}", "actualAnswer": "={{ $json.question }}"},
         "type": "n8n-nodes-base.evaluation", "typeVersion": 4.8, "position": [600, 0],
         "name": "Metrics", "id": "e-metrics"},
        {"parameters": {}, "type": "n8n-nodes-base.noOp", "typeVersion": 1,
         "position": [400, 200], "name": "Normal", "id": "e-normal"}
    ]);
    let start = if trigger_first { "Dataset" } else { "Manual" };
    json!({"id": "evaluation1", "name": "evaluation", "nodes": nodes,
           "connections": {
               start: {"main": [[{"node": "Check", "type": "main", "index": 0}]]},
               "Check": {"main": [[{"node": "Save", "type": "main", "index": 0}],
                                  [{"node": "Normal", "type": "main", "index": 0}]]},
               "Save": {"main": [[{"node": "Metrics", "type": "main", "index": 0}]]}},
           "settings": {"executionOrder": "v1"}})
}

#[test]
fn evaluation_nodes_route_write_outputs_and_compute_metrics_as_n8n_does_outside_an_evaluation() {
    let home = WeftHome::new();
    let created = home.weft(&[
        "data-tables",
        "create",
        "--id",
        "dataset1",
        "--name",
        "Dataset",
        "--column",
        "question:string",
        "--column",
        "expected:string",
    ]);
    assert!(created.status.success());
    let seed = chain(
        json!([{"question": "kitten", "expected": "sitting"}, {"question": "b", "expected": "b"}]),
        &[(
            "Insert",
            "n8n-nodes-base.dataTable",
            1.0,
            json!({"dataTableId": table("dataset1"),
            "columns": {"mappingMode": "autoMapInputData", "value": {}}}),
        )],
    );
    run(&home, &seed).unwrap();

    let document = run(&home, &evaluation_workflow(true)).unwrap();
    assert_eq!(
        items(&document, "Dataset", 0),
        [json!({"question": "kitten", "expected": "sitting", "id": 1,
                "row_number": 0, "row_id": 1, "_rowsLeft": 1})]
    );
    assert_eq!(
        items(&document, "Check", 0).len(),
        1,
        "started at the trigger: Evaluation"
    );
    assert_eq!(items(&document, "Check", 1).len(), 0);
    let similarity = items(&document, "Metrics", 0)[0]["String similarity"]
        .as_f64()
        .unwrap();
    assert!(
        (similarity - (1.0 - 3.0 / 7.0)).abs() < 1e-12,
        "{similarity}"
    );
    let shown = home.weft(&["data-tables", "show", "dataset1"]);
    let rows: Vec<Value> = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(
        rows[0]["answer"], "KITTEN",
        "setOutputs wrote the trigger's row, in a new column"
    );
    assert_eq!(rows[1]["answer"], Value::Null);

    let document = run(&home, &evaluation_workflow(false)).unwrap();
    assert_eq!(
        items(&document, "Check", 1).len(),
        1,
        "started elsewhere: Normal"
    );
    assert!(document["runData"]["Save"].is_null());
}

#[test]
fn ai_metrics_and_google_sheets_are_refused_at_check() {
    let home = WeftHome::new();
    let workflow = chain(
        json!([{}]),
        &[
            (
                "Metrics",
                "n8n-nodes-base.evaluation",
                4.8,
                json!({"operation": "setMetrics", "metric": "correctness"}),
            ),
            (
                "Save",
                "n8n-nodes-base.evaluation",
                4.7,
                json!({"operation": "setOutputs"}),
            ),
        ],
    );
    let file = home.path().join("workflow.json");
    std::fs::write(&file, workflow.to_string()).unwrap();
    let output = home.weft(&["check", file.to_str().unwrap()]);
    let stderr = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!output.status.success());
    assert!(stderr.contains("nodes[2].parameters.metric"), "{stderr}");
    assert!(stderr.contains("nodes[3].parameters.source"), "{stderr}");
}
