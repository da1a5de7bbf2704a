//! The auth layer's renewal branches, run by the real `weft` against the fake Salesforce with the
//! JWT credential: an `InvalidSession` fault through the Salesforce node is renewed once and
//! replayed; a renewed session that is refused again ends in the error after one renewal (no
//! loop); a renewal that moves the instance URL moves the replayed request and later runs with it;
//! and userinfo's 403 `Bad_OAuth_Token` renews the session of `weft credentials test`.

use serde_json::{Value, json};
use weft_tests::fake::{FaultKind, FaultRule, HostRole};
use weft_tests::{FakeSalesforce, WeftHome};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// A Salesforce node listing two accounts through the `jwt` credential.
fn get_accounts() -> Value {
    json!({"parameters": {"authentication": "jwt", "resource": "account", "operation": "getAll",
                          "limit": 2, "options": {"fields": "Id,Name"}},
           "type": "n8n-nodes-base.salesforce", "typeVersion": 1.1, "name": "Salesforce",
           "credentials": {"salesforceJwtApi": {"id": "jwt1", "name": "jwt"}}})
}

/// A fake and a home whose JWT credential already holds a stored session (one token request).
async fn connected() -> (FakeSalesforce, WeftHome) {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    let tested = home.weft(&["credentials", "test", "jwt"]);
    assert!(
        tested.status.success(),
        "{}",
        String::from_utf8_lossy(&tested.stderr)
    );
    assert_eq!(jwt_logins(&fake), 1);
    fake.reset_log();
    (fake, home)
}

fn jwt_logins(fake: &FakeSalesforce) -> u64 {
    fake.counters()
        .token_requests
        .get(JWT_BEARER)
        .copied()
        .unwrap_or(0)
}

fn query_fault(count: u32) -> FaultRule {
    FaultRule {
        method: Some("GET".into()),
        path: "/services/data/*/query*".into(),
        count,
        kind: FaultKind::InvalidSession,
    }
}

fn statuses(fake: &FakeSalesforce) -> Vec<u16> {
    fake.rest_calls()
        .iter()
        .map(|(_, _, status)| *status)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_session_fault_through_a_node_is_renewed_once_and_replayed() {
    let (fake, home) = connected().await;
    fake.inject(query_fault(1));

    let items = home.run_node(get_accounts()).unwrap();

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(statuses(&fake), [401, 200], "{:?}", fake.rest_calls());
    assert_eq!(jwt_logins(&fake), 1, "one renewal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewed_session_refused_again_is_the_error_after_one_renewal() {
    let (fake, home) = connected().await;
    fake.inject(query_fault(3));

    let stderr = home.run_node(get_accounts()).unwrap_err();

    assert!(
        stderr.contains("Authorization failed - please check your credentials: Session expired"),
        "n8n's 401 error: {stderr}"
    );
    assert_eq!(
        statuses(&fake),
        [401, 401],
        "the request, one replay, no third try: {:?}",
        fake.rest_calls()
    );
    assert_eq!(jwt_logins(&fake), 1, "one renewal, not a loop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_that_moves_the_instance_moves_the_request_and_later_runs() {
    let (fake, home) = connected().await;
    let moved = fake.instance_alias_url();
    let moved_host = moved.trim_start_matches("http://").to_owned();
    fake.move_instance(&moved);
    fake.expire_all_sessions();

    let items = home.run_node(get_accounts()).unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    let again = home.run_node(get_accounts()).unwrap();
    assert_eq!(again.len(), 2, "{again:?}");

    let calls: Vec<(u16, String)> = fake
        .log()
        .into_iter()
        .filter(|entry| {
            entry.host == HostRole::Instance && entry.path.starts_with("/services/data/")
        })
        .map(|entry| (entry.status, entry.header("host").unwrap_or("?").to_owned()))
        .collect();
    let old_host = fake.instance_url().trim_start_matches("http://").to_owned();
    assert_eq!(
        calls,
        [
            (401, old_host),
            (200, moved_host.clone()),
            (200, moved_host)
        ],
        "refused on the old host, replayed on the new one, which the stored session keeps"
    );
    assert_eq!(jwt_logins(&fake), 1, "one renewal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn userinfo_bad_oauth_token_renews_the_session_of_a_credential_test() {
    let (fake, home) = connected().await;
    fake.expire_all_sessions();

    let tested = home.weft(&["credentials", "test", "jwt"]);

    let stdout = String::from_utf8_lossy(&tested.stdout);
    assert!(
        stdout.contains("works: user integration@example.com"),
        "{stdout}{}",
        String::from_utf8_lossy(&tested.stderr)
    );
    let userinfo: Vec<u16> = fake
        .log()
        .iter()
        .filter(|entry| entry.path == "/services/oauth2/userinfo")
        .map(|entry| entry.status)
        .collect();
    assert_eq!(userinfo, [403, 200], "Bad_OAuth_Token, then the replay");
    assert_eq!(jwt_logins(&fake), 1, "one renewal");
}
