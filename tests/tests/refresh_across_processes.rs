//! One refresh per credential across processes: several `weft credentials test` processes start
//! at once against the fake Salesforce with refresh-token rotation on and an expired session.
//! Exactly one refresh request reaches the token endpoint and every process succeeds (a second
//! refresh with the rotated-away token would fail with `invalid_grant` and revoke the whole token
//! family). Run with a prompt token endpoint and with a slow one, which keeps the other processes
//! waiting while the winner's request is in flight.

use std::process::Output;

use serde_json::json;
use weft_tests::fake::{ConnectedApp, FaultRule};
use weft_tests::{
    FakeConfig, FakeSalesforce, TEST_CLIENT_ID, TEST_CLIENT_SECRET, WeftHome, oauth_token_data,
};

const PROCESSES: usize = 4;

/// Starts `weft credentials test oauth` `PROCESSES` times at once and waits for all.
fn test_concurrently(home: &WeftHome) -> Vec<Output> {
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            home.command(&["credentials", "test", "oauth"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("weft starts")
        })
        .collect();
    children
        .into_iter()
        .map(|child| child.wait_with_output().expect("weft finishes"))
        .collect()
}

fn refreshes(fake: &FakeSalesforce) -> u64 {
    fake.counters()
        .token_requests
        .get("refresh_token")
        .copied()
        .unwrap_or_default()
}

fn assert_all_succeeded(outputs: &[Output], round: &str) {
    for output in outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{round}: {stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("works: user integration@example.com"),
            "{round}: {stdout}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_processes_send_one_refresh_of_a_rotating_token_and_all_succeed() {
    let config = FakeConfig {
        apps: vec![ConnectedApp {
            refresh_token_rotation: true,
            ..ConnectedApp::default()
        }],
        ..FakeConfig::default()
    };
    let fake = FakeSalesforce::start(config).await.unwrap();
    let home = WeftHome::new();
    home.import(
        &json!([{"id": "oauth", "name": "oauth", "type": "salesforceOAuth2Api", "data": {
        "clientId": TEST_CLIENT_ID, "clientSecret": TEST_CLIENT_SECRET,
        "myDomainUrl": fake.login_url(), "oauthTokenData": oauth_token_data(&fake).await}}]),
    );

    // Round 1: the session n8n stored has expired; the token endpoint answers at once.
    fake.expire_all_sessions();
    let outputs = test_concurrently(&home);
    assert_all_succeeded(&outputs, "prompt token endpoint");
    assert_eq!(refreshes(&fake), 1, "prompt token endpoint");

    // Round 2: the session saved in round 1 has expired, and the token endpoint is slow.
    fake.expire_all_sessions();
    fake.inject(FaultRule::parse("delay:1500 POST /services/oauth2/token x1").unwrap());
    let outputs = test_concurrently(&home);
    assert_all_succeeded(&outputs, "slow token endpoint");
    assert_eq!(refreshes(&fake), 2, "slow token endpoint");

    // The token family is intact: a later process uses the saved session without a refresh.
    let later = home.weft(&["credentials", "test", "oauth"]);
    assert!(
        later.status.success(),
        "{}",
        String::from_utf8_lossy(&later.stderr)
    );
    assert_eq!(refreshes(&fake), 2);
}
