//! Helpers shared by the fake's integration tests: start a fake, a plain HTTP client, signed JWT
//! assertions, tokens, and requests to the instance and the admin API.

#![allow(dead_code)] // each test crate uses a different subset

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};
use weft_tests::fake::{FakeConfig, FakeSalesforce};

pub const CLIENT_ID: &str = weft_tests::TEST_CLIENT_ID;
pub const SECRET: &str = weft_tests::TEST_CLIENT_SECRET;
pub const USER: &str = "integration@example.com";
pub const V: &str = "/services/data/v66.0";
pub const TEST_KEY: &str = weft_tests::TEST_PRIVATE_KEY;
pub const OTHER_KEY: &str = include_str!("../../fixtures/keys/other-rsa-pkcs8.pem");
pub const JWT_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub async fn start() -> FakeSalesforce {
    FakeSalesforce::start(FakeConfig::default())
        .await
        .expect("fake starts")
}

pub async fn start_with(config: FakeConfig) -> FakeSalesforce {
    FakeSalesforce::start(config).await.expect("fake starts")
}

/// A client that never follows redirects and ignores proxies.
pub fn http() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// A signed JWT bearer assertion.
pub fn assertion(iss: &str, sub: &str, aud: &str, exp: u64, key_pem: &str) -> String {
    let claims = json!({"iss": iss, "sub": sub, "aud": aud, "exp": exp});
    let key = EncodingKey::from_rsa_pem(key_pem.as_bytes()).expect("test key parses");
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).expect("signs")
}

/// POSTs a form to `url`; returns status and JSON body.
pub async fn post_form(url: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = http().post(url).form(form).send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A JWT bearer token request against `host` with audience `aud`.
pub async fn jwt_token(host: &str, aud: &str) -> (StatusCode, Value) {
    let jwt = assertion(CLIENT_ID, USER, aud, now_secs() + 180, TEST_KEY);
    post_form(
        &format!("{host}/services/oauth2/token"),
        &[("grant_type", JWT_GRANT), ("assertion", &jwt)],
    )
    .await
}

/// An access token from the client-credentials grant on My Domain.
pub async fn token(fake: &FakeSalesforce) -> String {
    let (status, body) = post_form(
        &format!("{}/services/oauth2/token", fake.instance_url()),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

/// A request to `path` on the instance with the bearer `token`, to finish and [`send`].
pub fn instance_request(
    fake: &FakeSalesforce,
    token: &str,
    method: Method,
    path: &str,
) -> RequestBuilder {
    http()
        .request(method, format!("{}{path}", fake.instance_url()))
        .bearer_auth(token)
}

/// A request to `path` under the fake's admin API (`/__admin`).
pub fn admin_request(fake: &FakeSalesforce, method: Method, path: &str) -> RequestBuilder {
    http().request(method, format!("{}{path}", fake.admin_url()))
}

/// Sends a request; panics when nothing answers.
pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the fake answers")
}

/// Sends a request and reads its JSON answer.
pub async fn send_json(request: RequestBuilder) -> Value {
    send(request).await.json().await.expect("a JSON answer")
}

/// A REST call on the instance: status, headers and JSON body (`Null` when empty or not JSON).
pub async fn call(
    fake: &FakeSalesforce,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = instance_request(fake, token, method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = send(request).await;
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

pub async fn get(fake: &FakeSalesforce, token: &str, path: &str) -> (StatusCode, Value) {
    let (status, _, body) = call(fake, token, Method::GET, path, None).await;
    (status, body)
}

/// The first error code of a REST error array.
pub fn code(body: &Value) -> &str {
    body[0]["errorCode"].as_str().unwrap_or_default()
}

/// A query, URL-encoded like `encodeURIComponent`.
pub fn query_path(soql: &str) -> String {
    format!("{V}/query?q={}", urlencoding::encode(soql))
}
