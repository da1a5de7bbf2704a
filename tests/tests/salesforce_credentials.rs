//! The Salesforce node with each credential its `authentication` parameter selects, run by the real
//! `weft` against the fake Salesforce: `oAuth2` (n8n's default, so left out of the workflow as
//! n8n's editor leaves it out) with the `oauthTokenData` n8n stores, renewed through the refresh
//! token when Salesforce answers 401; `clientCredentials` (weft's addition); and a credential that
//! does not match `authentication`, refused before anything runs. `jwt` is what the fixture suite
//! (`salesforce_fixtures.rs`) runs with.

use serde_json::{Value, json};
use weft_tests::{FakeSalesforce, TEST_CLIENT_ID, TEST_CLIENT_SECRET, WeftHome, oauth_token_data};

/// Runs Manual Trigger → Salesforce (`parameters`, `credentials`) → No Op with `home`'s
/// credentials; the output, or the stderr of a failed run.
fn run(home: &WeftHome, parameters: Value, credentials: Value) -> Result<Vec<Value>, String> {
    home.run_node(
        json!({"parameters": parameters, "type": "n8n-nodes-base.salesforce",
                         "typeVersion": 1.1, "name": "Salesforce", "credentials": credentials}),
    )
}

/// An n8n `salesforceOAuth2Api` row with the token response of a completed connect.
async fn oauth2_credential(fake: &FakeSalesforce) -> Value {
    json!({"id": "oauth", "name": "oauth", "type": "salesforceOAuth2Api", "data": {
        "clientId": TEST_CLIENT_ID, "clientSecret": TEST_CLIENT_SECRET,
        "myDomainUrl": fake.login_url(), "oauthTokenData": oauth_token_data(fake).await}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth2_is_the_default_and_a_401_is_renewed_with_the_refresh_token() {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let home = WeftHome::new();
    home.import(&json!([oauth2_credential(&fake).await]));
    fake.revoke_access_tokens(); // the stored access token now gets 401

    let parameters = json!({"resource": "account", "operation": "getAll", "limit": 2,
                            "options": {"fields": "Id,Name"}});
    let credentials = json!({"salesforceOAuth2Api": {"id": "oauth", "name": "oauth"}});
    let items = run(&home, parameters, credentials).unwrap();

    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items.iter().all(|item| item["json"]["Id"].is_string()));
    let calls = fake.rest_calls();
    let statuses: Vec<u16> = calls.iter().map(|(_, _, status)| *status).collect();
    assert_eq!(
        statuses,
        [401, 200],
        "refused once, replayed once: {calls:?}"
    );
    assert_eq!(
        (&calls[0].0, &calls[0].1),
        (&calls[1].0, &calls[1].1),
        "the same query"
    );
    let tokens = fake.counters().token_requests;
    assert_eq!(tokens.get("refresh_token"), Some(&1), "{tokens:?}");
    assert_eq!(
        tokens.values().sum::<u64>(),
        2,
        "the connect, then one refresh: {tokens:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_credentials_are_selected_by_authentication() {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let home = WeftHome::new();
    home.import(
        &json!([{"id": "cc", "name": "cc", "type": "salesforceClientCredentialsApi",
        "data": {"url": fake.instance_url(), "clientId": TEST_CLIENT_ID,
                 "clientSecret": TEST_CLIENT_SECRET}}]),
    );

    let parameters = json!({"authentication": "clientCredentials", "resource": "contact",
                            "operation": "create", "lastname": "Through Client Credentials",
                            "additionalFields": {}});
    let credentials = json!({"salesforceClientCredentialsApi": {"id": "cc", "name": "cc"}});
    let items = run(&home, parameters, credentials).unwrap();

    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["json"]["success"], true, "{items:?}");
    assert!(items[0]["json"]["id"].as_str().unwrap().starts_with("003"));
    let calls = fake.rest_calls();
    assert_eq!(
        calls,
        [(
            "POST".into(),
            "/services/data/v66.0/sobjects/contact".into(),
            201
        )]
    );
    let tokens = fake.counters().token_requests;
    assert_eq!(tokens.get("client_credentials"), Some(&1), "{tokens:?}");
    assert_eq!(tokens.values().sum::<u64>(), 1, "{tokens:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_that_authentication_does_not_select_is_refused_before_running() {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let home = WeftHome::new();
    home.import(&json!([oauth2_credential(&fake).await]));
    let connect_only = fake.counters().token_requests.values().sum::<u64>();

    let parameters = json!({"authentication": "jwt", "resource": "account", "operation": "get",
                            "accountId": "001Fk0000000001IAA"});
    let credentials = json!({"salesforceOAuth2Api": {"id": "oauth", "name": "oauth"}});
    let stderr = run(&home, parameters, credentials).unwrap_err();

    assert!(stderr.contains("nodes[1]"), "{stderr}");
    assert!(stderr.contains("salesforceJwtApi"), "{stderr}");
    assert!(fake.rest_calls().is_empty());
    assert_eq!(
        fake.counters().token_requests.values().sum::<u64>(),
        connect_only
    );
}
