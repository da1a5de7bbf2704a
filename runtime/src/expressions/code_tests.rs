//! Tests of the code sandbox: the globals a Code node sees, its isolation from the host and
//! from other node runs, its time limit and the line of a thrown error.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use weft_nodes::{Item, ScriptFailure, ScriptKind, ScriptOutcome, ScriptRequest, ScriptRunner};

use super::CodeSandbox;
use crate::expressions::{RunFacts, RunLog, Scope, Source};

fn item(json: Value, paired: usize) -> Item {
    Item::new(json.as_object().cloned().unwrap_or_else(Map::new), paired)
}

/// A Code node run after `Orders` (two items), in run 1 of the node.
fn sandbox(timeout_ms: u64) -> CodeSandbox {
    let orders = vec![
        item(json!({ "id": 1, "n": 2 }), 0),
        item(json!({ "id": 2, "n": 5 }), 0),
    ];
    let mut log = RunLog::default();
    log.record("Orders", Arc::new(vec![orders.clone()]), vec![None]);
    let facts = RunFacts {
        workflow: json!({ "id": "wf1", "name": "Test", "active": false }),
        execution: json!({ "id": "7", "mode": "cli" }),
        zone: chrono_tz::Tz::UTC,
    };
    let scope = Scope {
        input: Arc::new(orders),
        item_index: 0,
        source: Some(Source {
            node: "Orders".to_owned(),
            output: 0,
            run: 0,
        }),
        run_index: 1,
        log: Arc::new(log),
    };
    CodeSandbox::new(facts, Duration::from_millis(timeout_ms), scope, "Code")
}

fn run(kind: ScriptKind, code: &str) -> Vec<ScriptOutcome> {
    let request = ScriptRequest {
        code,
        kind,
        stop_at_failure: true,
    };
    sandbox(5000).run(&request).expect("the sandbox runs")
}

fn returned(kind: ScriptKind, code: &str) -> Value {
    let outcomes = run(kind, code);
    Value::Array(
        outcomes
            .into_iter()
            .map(|outcome| outcome.expect("the code succeeds").unwrap_or(Value::Null))
            .collect(),
    )
}

#[test]
fn code_sees_n8n_globals() {
    let all = returned(
        ScriptKind::CodeAllItems,
        "console.log('not in the output', { a: 1 });
         return {
           all: $input.all().map((item) => item.json.id), items: items.length,
           first: $input.first().json.id, last: $input.last().json.id,
           node: $('Orders').first().json.n, nodeAll: $('Orders').all().length,
           matching: $('Orders').itemMatching(1).json.id, paired: $('Orders').item.json.id,
           legacy: $items('Orders').length, own: $items().length,
           index: $itemIndex, run: $runIndex, workflow: $workflow.name,
           execution: $execution, previous: $prevNode, vars: $vars,
           json: $json.id, awaited: await Promise.resolve(3),
         };",
    );
    assert_eq!(
        all,
        json!([{
            "all": [1, 2], "items": 2, "first": 1, "last": 2, "node": 2, "nodeAll": 2,
            "matching": 2, "paired": 1,
            "legacy": 2, "own": 2, "index": 0, "run": 1, "workflow": "Test",
            "execution": { "id": "7", "mode": "cli" },
            "previous": { "name": "Orders", "outputIndex": 0, "runIndex": 0 },
            "vars": {}, "json": 1, "awaited": 3,
        }])
    );
    let each = returned(
        ScriptKind::CodeEachItem,
        "return { id: item.json.id, json: $json.n, index: $itemIndex, same: $input.item.json.id };",
    );
    assert_eq!(
        each,
        json!([
            { "id": 1, "json": 2, "index": 0, "same": 1 },
            { "id": 2, "json": 5, "index": 1, "same": 2 },
        ])
    );
}

#[test]
fn code_may_redeclare_and_change_its_items() {
    let changed = returned(
        ScriptKind::CodeAllItems,
        "const items = $input.all();
         for (const item of items) item.json.seen = true;
         undeclared = 1;
         return items;",
    );
    assert_eq!(
        changed[0][0]["json"],
        json!({ "id": 1, "n": 2, "seen": true })
    );
}

#[test]
fn the_legacy_nodes_see_copies_and_static_data() {
    let function = returned(
        ScriptKind::Function,
        "for (item of items) { item.json.double = item.json.n * 2; }
         return items.concat([{ json: { first: $item(0).$json.id, own: $json.id } }]);",
    );
    assert_eq!(
        function[0][0]["json"],
        json!({ "id": 1, "n": 2, "double": 4 })
    );
    assert_eq!(function[0][0]["index"], json!(0));
    assert_eq!(function[0][2]["json"], json!({ "first": 1, "own": 1 }));
    let function_item = returned(
        ScriptKind::FunctionItem,
        "const data = $getWorkflowStaticData('node') === getWorkflowStaticData('node') && getWorkflowStaticData('node');
         data.count = (data.count ?? 0) + 1;
         item.count = data.count;
         return item;",
    );
    assert_eq!(
        function_item,
        json!([{ "id": 1, "n": 2, "count": 1 }, { "id": 2, "n": 5, "count": 2 }])
    );
}

#[test]
fn static_data_lasts_for_the_execution() {
    let sandbox = sandbox(5000);
    let request = ScriptRequest {
        code: "const data = $getWorkflowStaticData('global');
               data.runs = (data.runs ?? 0) + 1;
               return { runs: data.runs };",
        kind: ScriptKind::CodeAllItems,
        stop_at_failure: true,
    };
    let first = sandbox.run(&request).unwrap();
    let second = sandbox.run(&request).unwrap();
    assert_eq!(first, vec![Ok(Some(json!({ "runs": 1 })))]);
    assert_eq!(second, vec![Ok(Some(json!({ "runs": 2 })))]);
}

#[test]
fn the_sandbox_has_no_host_capabilities() {
    let reach = returned(
        ScriptKind::CodeAllItems,
        "const host = (function () {}).constructor('return this')();
         let imported;
         try { await import('os'); imported = 'yes'; } catch (error) { imported = 'no'; }
         return {
           require: typeof require, process: typeof process, fetch: typeof fetch,
           std: typeof std, os: typeof os, hostProcess: typeof host.process,
           hostRequire: typeof host.require, imported,
         };",
    );
    assert_eq!(
        reach,
        json!([{
            "require": "undefined", "process": "undefined", "fetch": "undefined",
            "std": "undefined", "os": "undefined", "hostProcess": "undefined",
            "hostRequire": "undefined", "imported": "no",
        }])
    );
}

#[test]
fn a_prototype_change_stays_in_its_node_run() {
    returned(
        ScriptKind::CodeAllItems,
        "Object.prototype.polluted = 1; Array.prototype.map = () => 'changed'; return [];",
    );
    let after = returned(
        ScriptKind::CodeAllItems,
        "return { polluted: typeof ({}).polluted, map: [1].map((n) => n + 1) };",
    );
    assert_eq!(after, json!([{ "polluted": "undefined", "map": [2] }]));
}

#[test]
fn an_endless_loop_is_stopped_at_the_time_limit() {
    let request = ScriptRequest {
        code: "while (true) {}",
        kind: ScriptKind::CodeAllItems,
        stop_at_failure: true,
    };
    let error = sandbox(200).run(&request).unwrap_err();
    assert_eq!(
        error.message,
        "The code of node \"Code\" ran longer than 200 ms and was stopped"
    );
    assert!(error.description.unwrap().contains("--code-timeout"));
}

#[test]
fn thrown_errors_carry_their_line_and_type() {
    let failure = |code: &str| run(ScriptKind::CodeAllItems, code).remove(0).unwrap_err();
    assert_eq!(
        failure("const a = 1;\n\nthrow new Error('no email');"),
        ScriptFailure {
            message: "no email".to_owned(),
            error_type: None,
            line: Some(3),
        }
    );
    let typed = failure("const a = null;\nreturn a.b;");
    assert_eq!(typed.error_type.as_deref(), Some("TypeError"));
    assert_eq!(typed.line, Some(2));
    let syntax = failure("return {;");
    assert_eq!(syntax.error_type.as_deref(), Some("SyntaxError"));
    let per_item = run(
        ScriptKind::CodeEachItem,
        "if ($json.id === 1) throw new Error('first'); return $json;",
    );
    assert_eq!(per_item.len(), 1, "it stops at the first failure");
}
