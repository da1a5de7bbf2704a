//! The auth middleware against the fake Salesforce over real HTTP, with a real store: one token
//! request for many concurrent calls, one refresh after expiry, sessions reused across processes
//! (two `Connections` on one database), retries only where safe, and the bearer token kept to the
//! org's hosts.

use std::sync::Arc;

use serde_json::json;
use tempfile::TempDir;
use weft_runtime::auth::{AuthenticatedClient, Connections, RetryPolicy};
use weft_runtime::store::{KeySource, NewCredential, Store};
use weft_tests::FakeSalesforce;
use weft_tests::fake::{FaultKind, FaultRule};

const PRIVATE_KEY: &str = include_str!("../fixtures/keys/test-rsa-pkcs8.pem");

struct Harness {
    fake: FakeSalesforce,
    home: TempDir,
}

impl Harness {
    async fn start() -> Self {
        let fake = FakeSalesforce::start_default().await.unwrap();
        let home = tempfile::tempdir().unwrap();
        let store = self_store(&home);
        store
            .insert_credential(NewCredential {
                id: Some("jwtCred".into()),
                name: "JWT".into(),
                type_name: "salesforceJwtApi".into(),
                data: json!({
                    "clientId": "weft-test-client",
                    "username": "integration@example.com",
                    "privateKey": PRIVATE_KEY,
                    "myDomainUrl": fake.instance_url(),
                }),
            })
            .unwrap();
        store
            .insert_credential(NewCredential {
                id: Some("ccCred".into()),
                name: "Client credentials".into(),
                type_name: "salesforceClientCredentialsApi".into(),
                data: json!({
                    "url": fake.instance_url(),
                    "clientId": "weft-test-client",
                    "clientSecret": "weft-test-secret",
                }),
            })
            .unwrap();
        Self { fake, home }
    }

    /// A fresh `Connections` on the same database: what a second `weft` process has.
    fn connections(&self) -> Connections {
        let policy = RetryPolicy {
            base_delay: std::time::Duration::from_millis(5),
            ..RetryPolicy::default()
        };
        Connections::new(Arc::new(self_store(&self.home)), policy)
    }

    fn token_requests(&self) -> u64 {
        self.fake.counters().token_requests.values().sum()
    }
}

fn self_store(home: &TempDir) -> Store {
    Store::open_with_key(home.path(), &KeySource::passphrase("test-key")).unwrap()
}

async fn get(client: &AuthenticatedClient, path: &str) -> reqwest::Response {
    let base = client.api_base().await.unwrap().unwrap();
    client
        .http()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_cause_one_token_request() {
    let harness = Harness::start().await;
    let client = harness.connections().client("jwtCred").unwrap();
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { get(&client, "/limits").await.status().as_u16() })
    });
    for call in calls {
        assert_eq!(call.await.unwrap(), 200);
    }
    assert_eq!(harness.token_requests(), 1);
    assert_eq!(
        harness
            .fake
            .counters()
            .token_requests
            .keys()
            .collect::<Vec<_>>(),
        ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_is_renewed_once_and_every_request_succeeds() {
    let harness = Harness::start().await;
    let client = harness.connections().client("jwtCred").unwrap();
    assert_eq!(get(&client, "/limits").await.status(), 200);
    harness.fake.expire_all_sessions();
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { get(&client, "/limits").await.status().as_u16() })
    });
    for call in calls {
        assert_eq!(call.await.unwrap(), 200);
    }
    assert_eq!(harness.token_requests(), 2, "one mint, one renewal");
}

#[tokio::test]
async fn a_second_process_reuses_the_stored_session() {
    let harness = Harness::start().await;
    let first = harness.connections().client("ccCred").unwrap();
    assert_eq!(get(&first, "/limits").await.status(), 200);
    assert_eq!(harness.token_requests(), 1);
    let second = harness.connections().client("Client credentials").unwrap();
    assert_eq!(get(&second, "/limits").await.status(), 200);
    assert_eq!(
        harness.token_requests(),
        1,
        "no login in the second process"
    );
    assert_eq!(
        harness
            .fake
            .counters()
            .token_requests
            .keys()
            .collect::<Vec<_>>(),
        ["client_credentials"]
    );
}

#[tokio::test]
async fn a_daily_limit_is_final_and_a_get_503_is_retried() {
    let harness = Harness::start().await;
    let client = harness.connections().client("jwtCred").unwrap();
    harness.fake.inject(FaultRule {
        method: Some("GET".into()),
        path: "*/limits*".into(),
        count: 1,
        kind: FaultKind::DailyLimit,
    });
    let response = get(&client, "/limits").await;
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("REQUEST_LIMIT_EXCEEDED")
    );
    let limit_calls = || {
        harness
            .fake
            .log()
            .iter()
            .filter(|entry| entry.path.ends_with("/limits"))
            .count()
    };
    assert_eq!(limit_calls(), 1, "the daily quota is not retried");

    for kind in [FaultKind::ServiceUnavailable, FaultKind::ConcurrentLimit] {
        harness.fake.inject(FaultRule {
            method: Some("GET".into()),
            path: "*/limits*".into(),
            count: 1,
            kind,
        });
    }
    let before = limit_calls();
    assert_eq!(get(&client, "/limits").await.status(), 200);
    assert_eq!(
        limit_calls() - before,
        3,
        "a 503 and a concurrent-limit 403, then success"
    );
}

#[tokio::test]
async fn a_post_that_fails_with_503_is_not_replayed() {
    let harness = Harness::start().await;
    let client = harness.connections().client("jwtCred").unwrap();
    harness.fake.inject(FaultRule {
        method: Some("POST".into()),
        path: "*/sobjects/*".into(),
        count: 1,
        kind: FaultKind::ServiceUnavailable,
    });
    let base = client.api_base().await.unwrap().unwrap();
    let response = client
        .http()
        .post(format!("{base}/sobjects/Account"))
        .json(&json!({"Name": "Once"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let posts = harness
        .fake
        .log()
        .iter()
        .filter(|entry| entry.method == "POST" && entry.path.contains("/sobjects/"))
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn the_bearer_token_never_goes_to_another_host() {
    let harness = Harness::start().await;
    let other = FakeSalesforce::start_default().await.unwrap();
    let client = harness.connections().client("jwtCred").unwrap();
    assert_eq!(get(&client, "/limits").await.status(), 200);
    let response = client
        .http()
        .get(format!(
            "{}/services/data/v66.0/limits",
            other.instance_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        other
            .log()
            .iter()
            .all(|entry| entry.header("authorization").is_none()),
        "{:?}",
        other.log()
    );
    let to_org = harness.fake.log();
    assert!(
        to_org
            .iter()
            .filter(|entry| entry.path.ends_with("/limits"))
            .all(|entry| entry
                .header("authorization")
                .is_some_and(|v| v.starts_with("Bearer ")))
    );
}

/// Runs the web-server flow against the fake the way a browser would and returns n8n's
/// `oauthTokenData` for the result.
async fn connect_oauth2(fake: &FakeSalesforce, data: &serde_json::Value) -> serde_json::Value {
    use weft_credentials::Registry;
    use weft_credentials::scheme::{InstanceUrl, Pkce, parse_token_response};

    let scheme = Registry::global()
        .unwrap()
        .get("salesforceOAuth2Api")
        .unwrap()
        .authenticate
        .token_scheme()
        .unwrap();
    let redirect = url::Url::parse("http://127.0.0.1:9/callback").unwrap();
    let authorize = scheme
        .authorize(data, &redirect, Pkce::generate(), "s".into())
        .unwrap();
    let mut form: Vec<(String, String)> = authorize.url.query_pairs().into_owned().collect();
    form.push(("username".into(), "integration@example.com".into()));
    form.push(("decision".into(), "approve".into()));
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let redirected = browser
        .post(format!("{}/services/oauth2/authorize", fake.login_url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = url::Url::parse(redirected.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(key, _)| key == "code")
        .unwrap()
        .1
        .into_owned();
    let exchange = scheme
        .code_exchange(data, &code, &redirect, &authorize.pkce)
        .unwrap();
    let response = browser
        .post(exchange.url.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "authorization",
            exchange.authorization_header().unwrap().expose(),
        )
        .body(exchange.body())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let session = parse_token_response(
        status,
        &response.text().await.unwrap(),
        None,
        &InstanceUrl::REQUIRED,
    )
    .unwrap();
    serde_json::to_value(session).unwrap()
}

#[tokio::test]
async fn oauth2_refreshes_once_and_persists_a_rotated_refresh_token_before_using_it() {
    let config = weft_tests::FakeConfig {
        apps: vec![weft_tests::fake::ConnectedApp {
            refresh_token_rotation: true,
            ..Default::default()
        }],
        ..Default::default()
    };
    let fake = FakeSalesforce::start(config).await.unwrap();
    let mut data = json!({
        "clientId": "weft-test-client",
        "clientSecret": "weft-test-secret",
        "myDomainUrl": fake.login_url(),
    });
    data["oauthTokenData"] = connect_oauth2(&fake, &data).await;
    let home = tempfile::tempdir().unwrap();
    self_store(&home)
        .insert_credential(NewCredential {
            id: Some("oauth".into()),
            name: "OAuth2".into(),
            type_name: "salesforceOAuth2Api".into(),
            data,
        })
        .unwrap();
    let connections = || {
        Connections::new(Arc::new(self_store(&home)), RetryPolicy::default())
            .client("oauth")
            .unwrap()
    };

    let first = connections();
    assert_eq!(get(&first, "/limits").await.status(), 200);
    fake.expire_all_sessions();
    assert_eq!(get(&first, "/limits").await.status(), 200);
    assert_eq!(
        fake.counters().token_requests.get("refresh_token"),
        Some(&1)
    );
    assert_eq!(
        first.api_base().await.unwrap().unwrap().as_str(),
        format!("{}/services/data/v66.0", fake.instance_url()),
        "instance_url kept across the refresh"
    );

    // Rotation invalidated the first refresh token: a later process can renew only because the
    // rotated one was persisted.
    fake.expire_all_sessions();
    let second = connections();
    assert_eq!(get(&second, "/limits").await.status(), 200);
    assert_eq!(
        fake.counters().token_requests.get("refresh_token"),
        Some(&2)
    );
}
