//! `weft run`'s default output when the workflow's tail streams (Salesforce getAll over several
//! pages → Edit Fields → Split Out → No Op) is byte for byte the last node's items as the collecting
//! run records them (`--raw-output`), on stdout and with `-o`; a workflow whose expression needs an
//! earlier node's items collects and prints the same. The same holds through an IF whose `true`
//! output alone is connected, for an IF that ends the workflow, and through Split Out of a long
//! list (emitted in parts) into Code run once for each item.

use std::process::Output;

use serde_json::{Value, json};
use weft_tests::bench::workflows::{chain, no_op, node, raw_list, salesforce, split_out, trigger};
use weft_tests::{FakeConfig, FakeSalesforce, WeftHome};

/// Runs `weft <args>` in `home` with the executor's debug log on stderr.
fn weft(home: &WeftHome, args: &[&str]) -> Output {
    let output = home
        .command(args)
        .env("WEFT_LOG", "weft_runtime::executor=debug")
        .output()
        .expect("weft runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Manual Trigger → getAll Account → Set (`name` from `value`) → Split Out `parts` → No Op.
fn workflow(value: &str) -> Value {
    let set = json!({"assignments": {"assignments": [
        {"id": "a", "name": "name", "value": value, "type": "string"},
        {"id": "b", "name": "parts", "value": "={{ [1, 2] }}", "type": "array"}]},
        "includeOtherFields": true, "options": {}});
    let split = json!({"fieldToSplitOut": "parts", "include": "allOtherFields", "options": {}});
    chain(vec![
        trigger(),
        salesforce(
            "Salesforce",
            json!({"resource": "account", "operation": "getAll", "returnAll": true,
                   "options": {}}),
        ),
        node("Fields", "n8n-nodes-base.set", 3.4, set),
        node("Split", "n8n-nodes-base.splitOut", 1.0, split),
        no_op("End"),
    ])
}

/// Manual Trigger → getAll Account → IF (`condition` on the Name) → `after`.
fn through_if(condition: &str, after: Vec<Value>) -> Value {
    let check = json!({"conditions": {
        "options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict", "version": 2},
        "conditions": [{"id": "c", "leftValue": condition, "rightValue": "[02468]$",
                        "operator": {"type": "string", "operation": "regex"}}],
        "combinator": "and"}, "options": {}});
    let mut nodes = vec![
        trigger(),
        salesforce(
            "Salesforce",
            json!({"resource": "account", "operation": "getAll", "returnAll": true,
                   "options": {}}),
        ),
        node("Even", "n8n-nodes-base.if", 2.2, check),
    ];
    nodes.extend(after);
    chain(nodes)
}

/// The last node's items as the collecting run records them, printed as `weft run` prints.
fn collected(home: &WeftHome, file: &str) -> Vec<u8> {
    collected_of(home, file, "End")
}

/// `last`'s output 0 as the collecting run records it, printed as `weft run` prints.
fn collected_of(home: &WeftHome, file: &str, last: &str) -> Vec<u8> {
    let document: Value =
        serde_json::from_slice(&weft(home, &["run", file, "--raw-output"]).stdout)
            .expect("the raw output is JSON");
    let items = &document["runData"][last][0]["data"]["main"][0];
    let mut text = serde_json::to_vec_pretty(items).unwrap();
    text.push(b'\n');
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_output_is_the_collected_output() {
    let config = FakeConfig::seeded_only(vec![("Account".to_owned(), 4_500)]);
    let fake = FakeSalesforce::start(config).await.unwrap();
    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    for (value, streams) in [
        ("={{ $json.Name.toUpperCase() }}", true),
        ("={{ $('Salesforce').item.json.Id }}", false),
    ] {
        let file = home.path().join("workflow.json");
        std::fs::write(&file, workflow(value).to_string()).unwrap();
        let file = file.to_str().unwrap();
        let printed = weft(&home, &["run", file]);
        let log = String::from_utf8_lossy(&printed.stderr);
        assert_eq!(log.contains("streaming"), streams, "{value}: {log}");
        let expected = collected(&home, file);
        let items: Vec<Value> = serde_json::from_slice(&expected).unwrap();
        assert_eq!(items.len(), 9_000, "{value}");
        assert_eq!(
            items[8_999]["pairedItem"],
            json!({"item": 8_999}),
            "{value}"
        );
        assert!(printed.stdout == expected, "{value}: stdout differs");
        let target = home.path().join("items.json");
        weft(&home, &["run", file, "-o", target.to_str().unwrap()]);
        assert!(
            std::fs::read(&target).unwrap() == expected,
            "{value}: -o differs"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_streamed_through_an_if_is_the_collected_output() {
    let config = FakeConfig::seeded_only(vec![("Account".to_owned(), 4_500)]);
    let fake = FakeSalesforce::start(config).await.unwrap();
    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    let fields = json!({"assignments": {"assignments": [
        {"id": "a", "name": "name", "value": "={{ $json.Name.toUpperCase() }}", "type": "string"}]},
        "includeOtherFields": true, "options": {}});
    let set = || node("Fields", "n8n-nodes-base.set", 3.4, fields.clone());
    for (name, workflow, last, streams, items) in [
        (
            "IF → Edit Fields → No Op",
            through_if("={{ $json.Name }}", vec![set(), no_op("End")]),
            "End",
            true,
            2_250,
        ),
        (
            "IF last",
            through_if("={{ $json.Name }}", vec![]),
            "Even",
            true,
            2_250,
        ),
        (
            "no item passes",
            through_if("={{ $json.Id }}x", vec![set(), no_op("End")]),
            "Even",
            true,
            0,
        ),
        (
            "an earlier node's items",
            through_if(
                "={{ $('Salesforce').item.json.Name }}",
                vec![set(), no_op("End")],
            ),
            "End",
            false,
            2_250,
        ),
    ] {
        let file = home.path().join("workflow.json");
        std::fs::write(&file, workflow.to_string()).unwrap();
        let file = file.to_str().unwrap();
        let printed = weft(&home, &["run", file]);
        let log = String::from_utf8_lossy(&printed.stderr);
        assert_eq!(log.contains("streaming"), streams, "{name}: {log}");
        let expected = collected_of(&home, file, last);
        let written: Vec<Value> = serde_json::from_slice(&expected).unwrap();
        assert_eq!(written.len(), items, "{name}");
        assert!(printed.stdout == expected, "{name}: stdout differs");
    }
}

#[test]
fn split_out_parts_stream_through_code_run_for_each_item() {
    let home = WeftHome::new();
    let numbers: Vec<Value> = (0..2_500).map(|n| json!(n)).collect();
    let code = |js: &str| {
        node(
            "Code",
            "n8n-nodes-base.code",
            2.0,
            json!({"mode": "runOnceForEachItem", "jsCode": js}),
        )
    };
    for (js, streams) in [
        (
            "return { json: { id: $json.n, double: $json.n * 2 } };",
            true,
        ),
        ("return { json: { id: $json.n, at: $itemIndex } };", false),
    ] {
        let workflow = chain(vec![
            trigger(),
            raw_list("Numbers", "n", numbers.clone()),
            split_out("Each", "n"),
            code(js),
            no_op("End"),
        ]);
        let file = home.path().join("workflow.json");
        std::fs::write(&file, workflow.to_string()).unwrap();
        let file = file.to_str().unwrap();
        let printed = weft(&home, &["run", file]);
        let log = String::from_utf8_lossy(&printed.stderr);
        assert_eq!(log.contains("streaming"), streams, "{js}: {log}");
        let expected = collected(&home, file);
        let items: Vec<Value> = serde_json::from_slice(&expected).unwrap();
        assert_eq!(items.len(), 2_500, "{js}");
        assert_eq!(items[2_499]["json"]["id"], 2_499, "{js}");
        assert_eq!(items[2_499]["pairedItem"], json!({"item": 2_499}), "{js}");
        assert!(printed.stdout == expected, "{js}: stdout differs");
    }
}
