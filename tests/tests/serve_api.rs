//! `weft serve`'s API, run as a process (`weft serve --no-open --port 0`) against the fake
//! Salesforce: calls need the launch token and the page's own origin and host, bad input gets a
//! clear 4xx with a JSON `{error, hint}`, secrets never come back, an edit keeps the stored
//! secret, Test reports the user or Salesforce's answer (and later launches still list it), and
//! SIGTERM stops the server cleanly.

use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN};
use serde_json::{Value, json};
use weft_tests::serve::Serve;
use weft_tests::{FakeSalesforce, WeftHome};

const CLIENT_SECRET: &str = "weft-test-secret";
const OTHER_SECRET: &str = "canary-other-secret-9d2f";

fn assert_refusal(status: StatusCode, body: &Value, expected: StatusCode, words: &str) {
    assert_eq!(status, expected, "{body}");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.contains(words), "{body}");
    assert!(
        !body["hint"].as_str().unwrap_or_default().is_empty(),
        "{body}"
    );
}

#[tokio::test]
async fn api_calls_need_the_launch_token_the_page_origin_and_its_host() {
    let home = WeftHome::new();
    let mut serve = Serve::start(&home);
    let url = format!("{}/api/credentials", serve.origin);

    let without = serve.http.get(&url);
    let (status, body) = serve.send(without).await;
    assert_refusal(status, &body, StatusCode::UNAUTHORIZED, "launch token");
    let wrong = serve.http.get(&url).header(AUTHORIZATION, "Bearer 0000");
    let (status, _) = serve.send(wrong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = serve
        .call(reqwest::Method::GET, "/api/credentials", Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"credentials": []}));

    let new = json!({"type": "salesforceJwtApi", "name": "x", "data": {}});
    let foreign = serve
        .http
        .post(&url)
        .header(AUTHORIZATION, format!("Bearer {}", serve.token))
        .header(ORIGIN, "http://evil.example")
        .json(&new);
    let (status, body) = serve.send(foreign).await;
    assert_refusal(status, &body, StatusCode::FORBIDDEN, "another origin");
    let no_origin = serve
        .http
        .post(&url)
        .header(AUTHORIZATION, format!("Bearer {}", serve.token))
        .json(&new);
    let (status, _) = serve.send(no_origin).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a state-changing call needs Origin"
    );
    let cross_site = serve
        .request(reqwest::Method::GET, "/api/credentials")
        .header("sec-fetch-site", "cross-site");
    let (status, _) = serve.send(cross_site).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let port = serve.origin.rsplit(':').next().unwrap().to_owned();
    let rebound = serve
        .request(reqwest::Method::GET, "/api/credentials")
        .header(HOST, format!("evil.example:{port}"));
    let (status, body) = serve.send(rebound).await;
    assert_refusal(status, &body, StatusCode::MISDIRECTED_REQUEST, "host name");

    let page = serve.http.get(&serve.origin).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(page.text().await.unwrap().contains("<div id=\"root\">"));
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_with_a_message_and_a_hint() {
    let home = WeftHome::new();
    let mut serve = Serve::start(&home);
    let post = |serve: &Serve| serve.request(reqwest::Method::POST, "/api/credentials");

    let huge = post(&serve)
        .header(CONTENT_TYPE, "application/json")
        // Just over the 64 KiB limit: a far larger body races the early 413 (the server may
        // close the connection while the client still writes).
        .body(vec![b' '; 70 * 1024]);
    let (status, body) = serve.send(huge).await;
    assert_refusal(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "larger than");

    let malformed = post(&serve)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"type\": ");
    let (status, body) = serve.send(malformed).await;
    assert_refusal(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "not valid JSON (line 1",
    );

    let not_json = post(&serve).body("type=x");
    let (status, body) = serve.send(not_json).await;
    assert_refusal(
        status,
        &body,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "must be JSON",
    );

    let shape = json!({"type": "salesforceJwtApi", "name": "x", "data": "secret-in-a-string"});
    let (status, body) = serve
        .call(reqwest::Method::POST, "/api/credentials", shape)
        .await;
    assert_refusal(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "data: has the wrong type",
    );
    assert!(!body.to_string().contains("secret-in-a-string"), "{body}");

    let unknown = json!({"type": "salesforceNope", "name": "x", "data": {}});
    let (status, body) = serve
        .call(reqwest::Method::POST, "/api/credentials", unknown)
        .await;
    assert_refusal(status, &body, StatusCode::NOT_FOUND, "salesforceNope");

    let (status, body) = serve
        .call(
            reqwest::Method::POST,
            "/api/credentials/nope/test",
            Value::Null,
        )
        .await;
    assert_refusal(status, &body, StatusCode::NOT_FOUND, "no stored credential");
    let (status, body) = serve
        .call(reqwest::Method::GET, "/api/nothing", Value::Null)
        .await;
    assert_refusal(status, &body, StatusCode::NOT_FOUND, "no API call");
    let (status, body) = serve
        .call(reqwest::Method::PATCH, "/api/credentials", json!({}))
        .await;
    assert_refusal(status, &body, StatusCode::METHOD_NOT_ALLOWED, "method");

    let invalid = json!({"type": "salesforceClientCredentialsApi", "name": " ", "data": {
        "url": "https://acme.lightning.force.com", "clientId": "c", "clientSecret": OTHER_SECRET}});
    let (status, body) = serve
        .call(reqwest::Method::POST, "/api/credentials", invalid)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems = body["problems"].as_array().unwrap();
    let at = |path: &str| problems.iter().find(|p| p["path"] == path).cloned();
    assert_eq!(at("name").unwrap()["message"], "is required");
    let url = at("data.url").expect("the URL's problem at its field");
    assert!(
        url["message"].as_str().unwrap().contains("Lightning"),
        "{url}"
    );
    assert!(url["hint"].as_str().unwrap().contains("My Domain"), "{url}");
    serve.assert_no_leak(&[OTHER_SECRET]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_write_only_an_edit_keeps_them_and_test_reports_the_user() {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let home = WeftHome::new();
    let mut serve = Serve::start(&home);
    let new = json!({"type": "salesforceClientCredentialsApi", "name": "cc", "data": {
        "url": fake.instance_url(), "clientId": "weft-test-client", "clientSecret": CLIENT_SECRET}});
    let (status, created) = serve
        .call(reqwest::Method::POST, "/api/credentials", new)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/credentials/{id}");

    let (_, shown) = serve.call(reqwest::Method::GET, &path, Value::Null).await;
    assert_eq!(shown["data"]["clientId"], "weft-test-client");
    assert_eq!(shown["data"].get("clientSecret"), None, "{shown}");
    assert_eq!(shown["storedSecrets"], json!(["clientSecret"]));

    let renamed = json!({"name": "cc2", "data": {
        "url": fake.instance_url(), "clientId": "weft-test-client", "clientSecret": ""}});
    let (status, body) = serve.call(reqwest::Method::PUT, &path, renamed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "cc2");
    let (_, tested) = serve
        .call(reqwest::Method::POST, &format!("{path}/test"), Value::Null)
        .await;
    assert_eq!(tested["ok"], true, "the kept secret still works: {tested}");
    assert_eq!(tested["user"]["username"], "integration@example.com");
    let (_, listed) = serve
        .call(reqwest::Method::GET, "/api/credentials", Value::Null)
        .await;
    let last = &listed["credentials"][0]["lastResult"];
    assert_eq!(last["ok"], true, "{listed}");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("works: user integration@example.com")
    );

    // The result is kept in the store: a later launch lists it too.
    let bodies = std::mem::take(&mut serve.bodies);
    drop(serve);
    let mut serve = Serve::start(&home);
    serve.bodies = bodies;
    let (_, relisted) = serve
        .call(reqwest::Method::GET, "/api/credentials", Value::Null)
        .await;
    assert_eq!(
        relisted["credentials"][0]["lastResult"], *last,
        "{relisted}"
    );

    let replaced = json!({"name": "cc2", "data": {"clientId": "no-such-client", "clientSecret": OTHER_SECRET}});
    let (status, _) = serve.call(reqwest::Method::PUT, &path, replaced).await;
    assert_eq!(status, StatusCode::OK);
    let (_, refused) = serve
        .call(reqwest::Method::POST, &format!("{path}/test"), Value::Null)
        .await;
    assert_eq!(refused["ok"], false, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("invalid_client_id"),
        "{refused}"
    );
    assert!(
        refused["hint"].as_str().unwrap().contains("Client ID"),
        "{refused}"
    );

    let exported = home.weft(&["credentials", "export", "--decrypted", "cc2"]);
    let rows: Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(
        rows[0]["data"]["clientSecret"], OTHER_SECRET,
        "the new secret is stored"
    );
    assert_eq!(
        rows[0]["data"]["url"],
        fake.instance_url(),
        "unsent fields are kept"
    );

    let (status, _) = serve
        .call(reqwest::Method::DELETE, &path, Value::Null)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    serve.assert_no_leak(&[CLIENT_SECRET, OTHER_SECRET]);
}

#[tokio::test]
async fn connect_answers_the_authorise_address_and_only_for_the_authorization_code_grant() {
    let home = WeftHome::new();
    home.import_jwt("https://acme.my.salesforce.com");
    let mut serve = Serve::start(&home);
    let (status, body) = serve
        .call(
            reqwest::Method::POST,
            "/api/credentials/jwt1/connect",
            Value::Null,
        )
        .await;
    assert_refusal(status, &body, StatusCode::BAD_REQUEST, "needs no browser");

    let oauth = json!({"type": "salesforceOAuth2Api", "name": "oauth", "data": {
        "clientId": "weft-test-client", "clientSecret": CLIENT_SECRET}});
    let (_, created) = serve
        .call(reqwest::Method::POST, "/api/credentials", oauth)
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, body) = serve
        .call(
            reqwest::Method::POST,
            &format!("/api/credentials/{id}/connect"),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["redirectUri"], format!("{}/callback", serve.origin));
    let authorize = url::Url::parse(body["authorizeUrl"].as_str().unwrap()).unwrap();
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["redirect_uri"], format!("{}/callback", serve.origin));

    // Whoever sends the browser back chooses `error` and `error_description`: the recorded check
    // quotes a code only, and the description as one clean line.
    let mut callback = url::Url::parse(&format!("{}/callback", serve.origin)).unwrap();
    callback
        .query_pairs_mut()
        .append_pair("state", &query["state"])
        .append_pair("error", "<b>forged</b>\nweft: all good")
        .append_pair(
            "error_description",
            "denied\u{1b}[2J\nweft: connected\u{202e}",
        );
    let landed = serve.http.get(callback).send().await.unwrap();
    assert_eq!(landed.status(), StatusCode::OK);
    let (_, listed) = serve
        .call(reqwest::Method::GET, "/api/credentials", Value::Null)
        .await;
    let connect = listed["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|credential| credential["id"] == id.as_str())
        .unwrap();
    let message = connect["lastResult"]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "the authorization server did not authorise the connection: an error that is not an OAuth code: denied [2J weft: connected",
        "{listed}"
    );

    let stray = serve
        .http
        .get(format!("{}/callback?code=x&state=unknown", serve.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), StatusCode::BAD_REQUEST);
    serve.assert_no_leak(&[CLIENT_SECRET]);
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    let home = WeftHome::new();
    let mut serve = Serve::start(&home);
    let killed = Command::new("kill")
        .args(["-TERM", &serve.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = serve.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
