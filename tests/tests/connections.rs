//! How `weft run` uses the network: a paged getAll against a fake Salesforce that gzips its
//! answers (as Salesforce does for clients that accept it) asks for gzip, decodes every page and
//! sends all its API calls over one kept-alive connection.

use serde_json::{Value, json};
use weft_tests::bench::workflows::{chain, no_op, salesforce, trigger};
use weft_tests::{FakeConfig, FakeSalesforce, WeftHome};

const RECORDS: u64 = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paged_get_all_accepts_gzip_and_reuses_one_connection() {
    let config = FakeConfig {
        gzip: true,
        ..FakeConfig::seeded_only(vec![("Account".into(), RECORDS)])
    };
    let fake = FakeSalesforce::start(config).await.unwrap();

    // The fake really compresses for a client that asks and does not decode.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let answer = raw
        .get(format!(
            "{}/services/data/v66.0/limits",
            fake.instance_url()
        ))
        .header("Accept-Encoding", "gzip")
        .bearer_auth(weft_tests::client_credentials_token(&fake).await)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["content-encoding"], "gzip");

    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    let workflow = chain(vec![
        trigger(),
        salesforce(
            "Salesforce",
            json!({"resource": "account", "operation": "getAll", "returnAll": true}),
        ),
        no_op("Done"),
    ]);
    fake.reset_log();
    let output = home.run_workflow(&workflow);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(items.len() as u64, RECORDS);
    assert_eq!(items[4_999]["json"]["Name"], "Account 005000");

    let queries: Vec<_> = fake
        .log()
        .into_iter()
        .filter(|entry| entry.path.contains("/query"))
        .collect();
    assert_eq!(queries.len(), 3, "pages of 2,000");
    for query in &queries {
        let accepted = query.header("accept-encoding").unwrap_or_default();
        assert!(accepted.contains("gzip"), "{accepted:?}");
    }
    let counters = fake.counters();
    // One connection for the token request (its own client), one for every API call.
    assert_eq!(counters.token_requests.values().sum::<u64>(), 1);
    assert_eq!(counters.connections, 2, "{counters:?}");
}
