//! The Salesforce Trigger run by the real `weft` binary against the fake Salesforce: `weft run`
//! on a trigger workflow is n8n's manual mode, one record of the event's object.

use serde_json::{Value, json};
use weft_tests::{FakeConfig, FakeSalesforce, WeftHome};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manual_run_emits_one_record_of_the_events_object() {
    let config = FakeConfig {
        seeds: vec![("Account".into(), 3)],
        default_seed: false,
        ..FakeConfig::default()
    };
    let fake = FakeSalesforce::start(config).await.unwrap();
    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    let workflow = home.path().join("trigger.json");
    std::fs::write(
        &workflow,
        json!({
            "name": "Salesforce Trigger to No Op",
            "nodes": [
                {"id": "1", "name": "Salesforce Trigger", "type": "n8n-nodes-base.salesforceTrigger",
                 "typeVersion": 1, "position": [0, 0],
                 "parameters": {"authentication": "jwt", "triggerOn": "accountCreated"},
                 "credentials": {"salesforceJwtApi": {"id": "jwt1", "name": "jwt"}}},
                {"id": "2", "name": "No Op", "type": "n8n-nodes-base.noOp", "typeVersion": 1,
                 "position": [200, 0], "parameters": {}}
            ],
            "connections": {"Salesforce Trigger": {"main": [[{"node": "No Op", "type": "main", "index": 0}]]}},
            "settings": {"executionOrder": "v1"}
        })
        .to_string(),
    )
    .unwrap();
    let run = home.weft(&["run", workflow.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let items: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0]["json"]["Id"].as_str().unwrap().starts_with("001"),
        "{}",
        items[0]
    );
    let queries: Vec<String> = fake
        .log()
        .iter()
        .filter(|entry| entry.path.starts_with("/services/data/"))
        .map(|entry| format!("{} {}", entry.path, entry.query.clone().unwrap_or_default()))
        .collect();
    assert_eq!(queries.len(), 1, "{queries:?}");
    let query = url::form_urlencoded::parse(queries[0].split_once(' ').unwrap().1.as_bytes())
        .find(|(key, _)| key == "q")
        .map(|(_, value)| value.into_owned());
    assert_eq!(
        query.as_deref(),
        Some("SELECT id,name,type,LastModifiedDate FROM Account  LIMIT 1")
    );
    assert!(queries[0].starts_with("/services/data/v66.0/query "));
}
