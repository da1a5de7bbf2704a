//! The Salesforce node run by the real `weft` binary against the fake Salesforce: a query streamed
//! across pages, and many items written through one composite call, each record's result or
//! error back on its own item.

use std::path::Path;

use serde_json::{Value, json};
use weft_tests::{FakeConfig, FakeSalesforce, WeftHome};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_items_are_written_in_one_composite_call_with_per_item_results() {
    let config = FakeConfig {
        seeds: vec![("Account".into(), 5)],
        default_seed: false,
        page_size: 2,
        ..FakeConfig::default()
    };
    let fake = FakeSalesforce::start(config).await.unwrap();
    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    let workflow =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workflows/accounts-to-contacts.json");
    let run = home.weft(&["run", workflow.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let items: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(items.len(), 5);
    for (index, item) in items.iter().enumerate() {
        assert_eq!(item["pairedItem"], json!({"item": index}));
        if index == 1 {
            assert_eq!(
                item["json"]["errorCode"], "REQUIRED_FIELD_MISSING",
                "{item}"
            );
            assert_eq!(item["json"]["httpCode"], "400");
            assert_eq!(
                item["json"]["error"],
                "Bad request - please check your parameters"
            );
        } else {
            assert_eq!(item["json"]["success"], true, "{item}");
            assert!(item["json"]["id"].as_str().unwrap().starts_with("003"));
        }
    }
    let log = fake.log();
    let calls: Vec<String> = log
        .iter()
        .filter(|entry| entry.path.starts_with("/services/data/"))
        .map(|entry| format!("{} {}", entry.method, entry.path))
        .collect();
    let expected = [
        "GET /services/data/v66.0/query",
        "GET /services/data/v66.0/query/01g",
        "GET /services/data/v66.0/query/01g",
        "POST /services/data/v66.0/composite/sobjects",
    ];
    assert_eq!(
        calls.len(),
        expected.len(),
        "three query pages, then one collection call: {calls:?}"
    );
    for (call, prefix) in calls.iter().zip(expected) {
        assert!(
            call.starts_with(prefix),
            "{call} should start with {prefix}"
        );
    }
    assert_eq!(fake.counters().token_requests.values().sum::<u64>(), 1);
}
