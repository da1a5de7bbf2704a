//! The HTTP Request node with `authentication: predefinedCredentialType`, run by the real `weft`
//! binary against the fake Salesforce once per Salesforce credential type (JWT bearer, OAuth2 web
//! server flow, client credentials): the response comes back as the item, the fake saw a bearer
//! token on the API call, and each credential asked for a token exactly once.

use serde_json::{Value, json};
use weft_tests::fake::fingerprint;
use weft_tests::{
    FakeSalesforce, TEST_CLIENT_ID, TEST_CLIENT_SECRET, WeftHome, jwt_credential, oauth_token_data,
    one_node_workflow,
};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// An HTTP Request node (GET `url` with the credential `id` of `credential_type`).
fn http_request(credential_type: &str, id: &str, url: &str) -> Value {
    json!({"parameters": {
            "url": url,
            "authentication": "predefinedCredentialType",
            "nodeCredentialType": credential_type,
            "options": {}},
         "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "name": "HTTP Request",
         "credentials": {credential_type: {"id": id, "name": id}}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_request_authenticates_with_each_salesforce_credential_type() {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let instance = fake.instance_url().to_owned();
    let mut oauth = json!({
        "clientId": TEST_CLIENT_ID, "clientSecret": TEST_CLIENT_SECRET, "myDomainUrl": fake.login_url()});
    oauth["oauthTokenData"] = oauth_token_data(&fake).await;
    let oauth_token = oauth["oauthTokenData"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let home = WeftHome::new();
    home.import(&json!([
        jwt_credential(&instance),
        {"id": "oauth", "name": "oauth", "type": "salesforceOAuth2Api", "data": oauth},
        {"id": "cc", "name": "cc", "type": "salesforceClientCredentialsApi", "data": {
            "url": instance, "clientId": TEST_CLIENT_ID, "clientSecret": TEST_CLIENT_SECRET}}
    ]));

    let cases = [
        ("salesforceJwtApi", "jwt1", "/limits", JWT_BEARER),
        (
            "salesforceOAuth2Api",
            "oauth",
            "/query?q=SELECT+Id,Name+FROM+Account+LIMIT+2",
            "authorization_code",
        ),
        (
            "salesforceClientCredentialsApi",
            "cc",
            "/limits",
            "client_credentials",
        ),
    ];
    for (credential_type, id, resource, grant) in cases {
        let seen = fake.log().len();
        let url = format!("{instance}/services/data/v66.0{resource}");
        let run = home.run_workflow(&one_node_workflow(http_request(credential_type, id, &url)));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{credential_type}: {stderr}");

        let items: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(items.len(), 1, "{credential_type}: {items:?}");
        assert_eq!(items[0]["pairedItem"], json!({"item": 0}));
        let body = &items[0]["json"];
        if resource == "/limits" {
            assert!(
                body["DailyApiRequests"]["Max"].as_u64().unwrap() > 0,
                "{credential_type}: {body}"
            );
        } else {
            assert_eq!(body["totalSize"], 2, "{credential_type}: {body}");
            assert_eq!(body["records"].as_array().unwrap().len(), 2);
        }

        let calls: Vec<_> = fake
            .log()
            .into_iter()
            .skip(seen)
            .filter(|entry| entry.path.starts_with("/services/data/"))
            .collect();
        assert_eq!(calls.len(), 1, "{credential_type}: {calls:?}");
        let authorization = calls[0].header("authorization").unwrap_or_default();
        let token = authorization
            .strip_prefix("Bearer ")
            .unwrap_or_else(|| panic!("{credential_type}: {authorization:?}"));
        assert_eq!(token.len(), 8, "the log shows a fingerprint");
        if credential_type == "salesforceOAuth2Api" {
            assert_eq!(token, fingerprint(&oauth_token));
        }
        assert_eq!(
            fake.counters().token_requests.get(grant),
            Some(&1),
            "{credential_type}: one token request (the OAuth2 one was the connect)"
        );
    }
    let counters = fake.counters().token_requests;
    assert_eq!(
        counters.values().sum::<u64>(),
        3,
        "no refresh, no second login: {counters:?}"
    );
}
