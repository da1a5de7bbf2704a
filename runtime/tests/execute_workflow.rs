//! Execute Workflow and Execute Workflow Trigger end to end, with the real `weft` binary: every
//! source (inline JSON, a file, an id in the `--workflows` folder or `WEFT_WORKFLOWS`), both
//! modes, `waitForSubWorkflow: false`, the v1.2 input mapping, the depth limit and a missing id.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// A node of a workflow.
fn node(name: &str, kind: &str, version: f64, parameters: Value) -> Value {
    json!({
        "name": name,
        "type": format!("n8n-nodes-base.{kind}"),
        "typeVersion": version,
        "position": [0, 0],
        "parameters": parameters,
    })
}

/// A workflow of `nodes` connected in a line.
fn chain(id: &str, name: &str, nodes: Vec<Value>) -> Value {
    let mut connections = serde_json::Map::new();
    for pair in nodes.windows(2) {
        connections.insert(
            pair[0]["name"].as_str().unwrap().to_owned(),
            json!({ "main": [[{ "node": pair[1]["name"], "type": "main", "index": 0 }]] }),
        );
    }
    json!({
        "id": id,
        "name": name,
        "nodes": nodes,
        "connections": connections,
        "settings": { "executionOrder": "v1" },
    })
}

/// Manual Trigger → three items `{ n: 1 }`, `{ n: 2 }`, `{ n: 3 }` → `last`.
fn caller(last: Value) -> Value {
    let items = node(
        "Items",
        "set",
        3.4,
        json!({ "mode": "raw", "jsonOutput": "{\"list\": [{\"n\": 1}, {\"n\": 2}, {\"n\": 3}]}", "options": {} }),
    );
    let split = node(
        "Split",
        "splitOut",
        1.0,
        json!({ "fieldToSplitOut": "list", "options": {} }),
    );
    chain(
        "caller0001",
        "Caller",
        vec![
            node("Start", "manualTrigger", 1.0, json!({})),
            items,
            split,
            last,
        ],
    )
}

/// Execute Workflow Trigger (accept all data) → Edit Fields adding `doubled` and `seen`.
fn doubler(id: &str) -> Value {
    let set = node(
        "Double",
        "set",
        3.4,
        json!({
            "assignments": { "assignments": [
                { "id": "a", "name": "doubled", "value": "={{ $json.n * 2 }}", "type": "number" },
                { "id": "b", "name": "seen", "value": "={{ $input.all().length }}", "type": "number" },
            ] },
            "includeOtherFields": true,
            "options": {},
        }),
    );
    chain(
        id,
        "Doubler",
        vec![
            node(
                "When Executed by Another Workflow",
                "executeWorkflowTrigger",
                1.1,
                json!({ "inputSource": "passthrough" }),
            ),
            set,
        ],
    )
}

fn execute(version: f64, parameters: Value) -> Value {
    node("Execute Workflow", "executeWorkflow", version, parameters)
}

/// What one `weft run --raw-output` did.
struct Ran {
    code: i32,
    document: Value,
    stderr: String,
}

impl Ran {
    /// The items of the last run of `node`, output 0.
    fn items(&self, node: &str) -> Vec<Value> {
        let runs = self.document["runData"][node].as_array().unwrap();
        runs.last().unwrap()["data"]["main"][0]
            .as_array()
            .unwrap()
            .clone()
    }

    fn json(&self, node: &str) -> Vec<Value> {
        self.items(node)
            .into_iter()
            .map(|item| item["json"].clone())
            .collect()
    }
}

/// Runs `workflow` from a fresh folder holding `others` (as `<id>.json`), with `args`; the
/// environment has no `WEFT_WORKFLOWS` unless `env_folder` asks for the folder.
fn run_in(workflow: &Value, others: &[&Value], args: &[&str], env_folder: bool) -> Ran {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("workflows");
    std::fs::create_dir(&folder).unwrap();
    for other in others {
        let id = other["id"].as_str().unwrap();
        std::fs::write(folder.join(format!("{id}.json")), other.to_string()).unwrap();
    }
    let file = dir.path().join("main.json");
    let text = workflow
        .to_string()
        .replace("__DIR__", &dir.path().display().to_string());
    std::fs::write(&file, text).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_weft"));
    command
        .arg("run")
        .arg(&file)
        .arg("--raw-output")
        .args(args)
        .env("WEFT_HOME", dir.path().join("home"))
        .env_remove("WEFT_ENCRYPTION_KEY")
        .env_remove("WEFT_WORKFLOWS");
    if env_folder {
        command.env("WEFT_WORKFLOWS", &folder);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr)
        .unwrap()
        .replace(&dir.path().display().to_string(), "__DIR__");
    Ran {
        code: output.status.code().unwrap_or(-1),
        document: serde_json::from_str(&stdout).unwrap_or_else(
            |_| json!({ "stdout": stdout.replace(&dir.path().display().to_string(), "__DIR__") }),
        ),
        stderr,
    }
}

fn folder_arg(dir: &Path) -> String {
    dir.display().to_string()
}

#[test]
fn inline_json_once_returns_the_sub_workflow_s_items_paired_back_to_the_caller_s() {
    let mut inline = doubler("");
    inline.as_object_mut().unwrap().remove("id");
    let workflow = caller(execute(
        1.2,
        json!({ "source": "parameter", "workflowJson": inline.to_string(), "options": {} }),
    ));
    let ran = run_in(&workflow, &[], &[], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.json("Execute Workflow"),
        [
            json!({ "n": 1, "doubled": 2, "seen": 3 }),
            json!({ "n": 2, "doubled": 4, "seen": 3 }),
            json!({ "n": 3, "doubled": 6, "seen": 3 }),
        ]
    );
    let paired: Vec<Value> = ran
        .items("Execute Workflow")
        .iter()
        .map(|item| item["pairedItem"].clone())
        .collect();
    assert_eq!(
        paired,
        [json!({"item": 0}), json!({"item": 1}), json!({"item": 2})]
    );
    let run = &ran.document["runData"]["Execute Workflow"][0];
    assert_eq!(run["metadata"]["subExecutionsCount"], 1);
    // An inline workflow takes the caller's id, as in n8n.
    assert_eq!(run["metadata"]["subExecution"]["workflowId"], "caller0001");
    assert!(run["metadata"]["subExecution"]["executionId"].is_string());
    assert!(
        ran.document["runData"]["Double"].is_null(),
        "the sub-run's nodes stay out of the caller's run data"
    );
}

#[test]
fn each_mode_by_id_runs_once_per_item_and_names_each_sub_execution() {
    let sub = doubler("doubler01");
    let workflow = caller(execute(
        1.1,
        json!({
            "workflowId": { "__rl": true, "value": "doubler01", "mode": "list" },
            "mode": "each",
            "options": {},
        }),
    ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("renamed.json"), sub.to_string()).unwrap();
    let ran = run_in(
        &workflow,
        &[],
        &["--workflows", &folder_arg(dir.path())],
        false,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let items = ran.items("Execute Workflow");
    let seen: Vec<Value> = items
        .iter()
        .map(|item| item["json"]["seen"].clone())
        .collect();
    assert_eq!(seen, [json!(1), json!(1), json!(1)], "one sub-run per item");
    let mut executions = Vec::new();
    for (index, item) in items.iter().enumerate() {
        assert_eq!(item["pairedItem"], json!({ "item": index }));
        assert_eq!(item["metadata"]["subExecution"]["workflowId"], "doubler01");
        executions.push(item["metadata"]["subExecution"]["executionId"].clone());
    }
    executions.dedup();
    assert_eq!(executions.len(), 3, "each item names its own sub-execution");
    let run = &ran.document["runData"]["Execute Workflow"][0];
    assert_eq!(run["metadata"], json!({ "subExecutionsCount": 3 }));
}

#[test]
fn a_local_file_and_the_weft_workflows_folder_are_sources_too() {
    let by_file = caller(execute(
        1.0,
        json!({ "source": "localFile", "workflowPath": "__DIR__/workflows/doubler02.json" }),
    ));
    let ran = run_in(&by_file, &[&doubler("doubler02")], &[], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.json("Execute Workflow")[2]["doubled"], 6);

    let by_env = caller(execute(1.0, json!({ "workflowId": "doubler03" })));
    let ran = run_in(&by_env, &[&doubler("doubler03")], &[], true);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.document["runData"]["Execute Workflow"][0]["metadata"]["subExecution"]["workflowId"],
        "doubler03"
    );

    let missing = caller(execute(
        1.0,
        json!({ "source": "localFile", "workflowPath": "__DIR__/nowhere.json" }),
    ));
    let ran = run_in(&missing, &[], &[], false);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("The file \"__DIR__/nowhere.json\" could not be found, [item 0]"),
        "{}",
        ran.stderr
    );
}

#[test]
fn without_waiting_the_input_items_go_on_and_the_sub_workflow_still_runs() {
    let failing = chain(
        "fails0001",
        "Fails",
        vec![
            node("Trigger", "executeWorkflowTrigger", 1.0, json!({})),
            node(
                "Stop",
                "stopAndError",
                1.0,
                json!({ "errorMessage": "the sub-workflow ran" }),
            ),
        ],
    );
    let workflow = caller(execute(
        1.2,
        json!({
            "source": "parameter",
            "workflowJson": failing.to_string(),
            "options": { "waitForSubWorkflow": false },
        }),
    ));
    let ran = run_in(&workflow, &[], &[], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.json("Execute Workflow"),
        [json!({ "n": 1 }), json!({ "n": 2 }), json!({ "n": 3 })]
    );
    assert!(
        ran.stderr.contains("the sub-workflow ran"),
        "the failure of the run nobody waited for is logged: {}",
        ran.stderr
    );
}

#[test]
fn declared_inputs_are_mapped_typed_and_trimmed() {
    let sub = chain(
        "typed0001",
        "Typed",
        vec![node(
            "Trigger",
            "executeWorkflowTrigger",
            1.1,
            json!({ "workflowInputs": { "values": [
                { "name": "label" },
                { "name": "count", "type": "number" },
                { "name": "absent", "type": "any" },
            ] } }),
        )],
    );
    let workflow = caller(execute(
        1.2,
        json!({
            "workflowId": { "__rl": true, "value": "typed0001", "mode": "id" },
            "workflowInputs": {
                "mappingMode": "defineBelow",
                "value": { "label": "=item {{ $json.n }}", "count": "={{ String($json.n * 10) }}" },
                "schema": [
                    { "id": "label", "displayName": "label", "type": "string", "removed": false },
                    { "id": "count", "displayName": "count", "type": "number", "removed": false },
                ],
                "attemptToConvertTypes": true,
                "convertFieldsToString": true,
            },
            "options": {},
        }),
    ));
    let ran = run_in(&workflow, &[&sub], &[], true);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.json("Execute Workflow")[1],
        json!({ "label": "item 2", "count": 20, "absent": null })
    );

    // Strict typing (attemptToConvertTypes off) refuses the string.
    let mut strict = workflow.clone();
    strict["nodes"][3]["parameters"]["workflowInputs"]["attemptToConvertTypes"] = json!(false);
    let ran = run_in(&strict, &[&sub], &[], true);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.document["runData"]["Execute Workflow"][0]["error"]["description"],
        "'count' expects a number but we got '10'"
    );
}

#[test]
fn a_workflow_run_from_its_trigger_gets_n8n_s_manual_item() {
    // Started at the Execute Workflow Trigger, not the Manual Trigger, as `n8n execute` does.
    let mut workflow = chain(
        "alone0001",
        "Alone",
        vec![node(
            "Trigger",
            "executeWorkflowTrigger",
            1.1,
            json!({ "workflowInputs": { "values": [{ "name": "a" }] } }),
        )],
    );
    workflow["nodes"]
        .as_array_mut()
        .unwrap()
        .push(node("Manual", "manualTrigger", 1.0, json!({})));
    let ran = run_in(&workflow, &[], &[], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.json("Trigger"), [json!({ "a": null })]);
    assert_eq!(ran.items("Trigger")[0]["pairedItem"], json!({ "item": 0 }));
}

#[test]
fn a_workflow_calling_itself_stops_at_the_depth_limit_naming_the_chain() {
    let looping = chain(
        "loop0001",
        "Loop",
        vec![
            node("Trigger", "executeWorkflowTrigger", 1.0, json!({})),
            execute(1.0, json!({ "workflowId": "loop0001" })),
        ],
    );
    let workflow = caller(execute(1.0, json!({ "workflowId": "loop0001" })));
    let ran = run_in(&workflow, &[&looping], &[], true);
    assert_eq!(ran.code, 1);
    let message = ran.document["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Sub-workflows call each other more than 16 deep"),
        "{message}"
    );
    assert!(
        message.contains("\"Caller\" → \"Loop\" (the workflow with id \"loop0001\") → \"Loop\""),
        "{message}"
    );
}

#[test]
fn a_missing_id_names_the_folder_searched_or_how_to_give_one() {
    let workflow = caller(execute(1.0, json!({ "workflowId": "nothing" })));
    let ran = run_in(&workflow, &[&doubler("other")], &[], true);
    assert_eq!(ran.code, 1);
    let error = &ran.document["error"];
    assert_eq!(error["message"], "Workflow does not exist.");
    let description = error["description"].as_str().unwrap();
    assert!(
        description.contains("no workflow file in ")
            && description.contains("/workflows has the id \"nothing\""),
        "{description}"
    );

    let ran = run_in(&workflow, &[], &[], false);
    let description = ran.document["error"]["description"].as_str().unwrap();
    assert!(
        description.contains("--workflows <folder> or set WEFT_WORKFLOWS"),
        "{description}"
    );
}

#[test]
fn an_invalid_sub_workflow_and_the_url_source_are_refused_with_what_to_do() {
    let broken = json!({ "nodes": [node("Odd", "noSuchNode", 1.0, json!({}))], "connections": {} });
    let workflow = caller(execute(
        1.2,
        json!({ "source": "parameter", "workflowJson": broken.to_string() }),
    ));
    let ran = run_in(&workflow, &[], &[], false);
    assert_eq!(ran.code, 1);
    let error = &ran.document["error"];
    assert_eq!(
        error["message"],
        "The sub-workflow from the parameter \"workflowJson\" is not valid"
    );
    assert!(
        error["description"]
            .as_str()
            .unwrap()
            .contains("nodes[0].type"),
        "{error}"
    );

    let by_url = caller(execute(
        1.0,
        json!({ "source": "url", "workflowUrl": "https://example.com/w.json" }),
    ));
    let ran = run_in(&by_url, &[], &[], false);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("parameters.source: weft does not load workflows from a URL"),
        "{}",
        ran.stderr
    );
}

/// Execute Workflow Trigger → Stop and Error "stopped in the sub-workflow".
fn stopper() -> Value {
    let mut workflow = chain(
        "",
        "Stopper",
        vec![
            node("Trigger", "executeWorkflowTrigger", 1.0, json!({})),
            node(
                "Stop",
                "stopAndError",
                1.0,
                json!({ "errorMessage": "stopped in the sub-workflow" }),
            ),
        ],
    );
    workflow.as_object_mut().unwrap().remove("id");
    workflow
}

#[test]
fn a_failing_sub_workflow_fails_the_node_or_becomes_error_items() {
    let inline = stopper().to_string();
    let once = caller(execute(
        1.3,
        json!({ "source": "parameter", "workflowJson": inline }),
    ));
    let ran = run_in(&once, &[], &[], false);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.document["error"]["message"],
        "stopped in the sub-workflow"
    );

    let mut each = caller(execute(
        1.3,
        json!({ "source": "parameter", "workflowJson": inline, "mode": "each" }),
    ));
    let ran = run_in(&each, &[], &[], false);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.document["error"]["message"],
        "Error executing workflow with item at index 0"
    );
    assert_eq!(
        ran.document["error"]["description"],
        "stopped in the sub-workflow"
    );

    each["nodes"][3]["onError"] = json!("continueRegularOutput");
    let ran = run_in(&each, &[], &[], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let items = ran.items("Execute Workflow");
    assert_eq!(items.len(), 3);
    for (index, item) in items.iter().enumerate() {
        assert_eq!(
            item["json"],
            json!({ "error": "stopped in the sub-workflow" })
        );
        assert_eq!(item["pairedItem"], json!({ "item": index }));
        assert_eq!(item["metadata"]["subExecutionsCount"], 1);
        assert_eq!(item["metadata"]["subExecution"]["workflowId"], "caller0001");
    }
}
