//! n8n's generic `oAuth2Api` through the HTTP Request node, run by the real `weft` binary against
//! an OAuth2 server on 127.0.0.1 started by the test: the token requests equal what n8n 2.41.1
//! sent for the same credentials (`tests/recorded/oauth2/requests.json`, recorded with real n8n),
//! a token is cached across runs, a 401 renews once and replays once, a rotated refresh token is
//! kept in the store, an imported n8n credential's `oauthTokenData` is used without a token
//! request, and the authorization code with PKCE connects through `weft credentials connect` and
//! `weft serve`'s Connect. Canary secrets (client secret, access and refresh tokens) reach no
//! output (`weft run`, `credentials list|export|test|connect`), trace log, page answer or store
//! file.

use std::collections::{BTreeMap, HashSet};
use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use weft_tests::serve::Serve;
use weft_tests::{Connecting, WeftHome, one_node_workflow};

/// Every secret of these tests contains it.
const CANARY: &str = "canary";

/// One request as the server saw it, in the recording's shape.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    method: String,
    path: String,
    authorization: Option<String>,
    content_type: Option<String>,
    body: String,
}

#[derive(Default)]
struct Server {
    log: Vec<Seen>,
    issued: u32,
    /// Access tokens the API accepts.
    valid: HashSet<String>,
    /// The one refresh token the token endpoint accepts.
    refresh: Option<String>,
    /// The PKCE challenge of the last authorisation.
    challenge: Option<String>,
    /// The API refuses every token.
    refuse: bool,
    /// Where `/api/away` redirects (another origin).
    away: String,
}

type Shared = Arc<Mutex<Server>>;

fn form(body: &str) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn answer(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn token(State(server): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    let mut server = server.lock().unwrap();
    server.log.push(seen("POST", "/token", &headers, &body));
    let fields = form(&body);
    server.issued += 1;
    let access = format!("{CANARY}-access-{}", server.issued);
    let mut response = json!({"access_token": access, "token_type": "Bearer", "expires_in": 3600});
    match fields.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some("refresh_token") => {
            if fields.get("refresh_token") != server.refresh.as_ref() {
                return answer(StatusCode::BAD_REQUEST, json!({"error": "invalid_grant"}));
            }
            let rotated = format!("{CANARY}-refresh-rotated-{}", server.issued);
            response["refresh_token"] = json!(rotated);
            server.refresh = Some(rotated);
        }
        Some("authorization_code") => {
            let verified = match (&server.challenge, fields.get("code_verifier")) {
                (Some(challenge), Some(verifier)) => {
                    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == *challenge
                }
                (None, None) => true,
                _ => false,
            };
            if fields.get("code").map(String::as_str) != Some("the-code") || !verified {
                return answer(StatusCode::BAD_REQUEST, json!({"error": "invalid_grant"}));
            }
            let refresh = format!("{CANARY}-refresh-connected");
            response["refresh_token"] = json!(refresh);
            server.refresh = Some(refresh);
        }
        _ => {
            return answer(
                StatusCode::BAD_REQUEST,
                json!({"error": "unsupported_grant_type"}),
            );
        }
    }
    server.valid.insert(access);
    answer(StatusCode::OK, response)
}

/// The provider's sign-in page, already approved: back to the redirect URI with a code.
async fn authorize(
    State(server): State<Shared>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    server.lock().unwrap().challenge = query.get("code_challenge").cloned();
    let mut back = url::Url::parse(&query["redirect_uri"]).unwrap();
    back.query_pairs_mut()
        .append_pair("code", "the-code")
        .append_pair("state", &query["state"]);
    Redirect::to(back.as_str()).into_response()
}

async fn api(State(server): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let mut server = server.lock().unwrap();
    server.log.push(seen("GET", uri.path(), &headers, ""));
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if uri.path() == "/landing" {
        return answer(StatusCode::OK, json!({"landed": true}));
    }
    if !server.refuse && bearer.is_some_and(|token| server.valid.contains(token)) {
        if uri.path() == "/api/away" {
            return Redirect::temporary(&server.away).into_response();
        }
        answer(StatusCode::OK, json!({"ok": true}))
    } else {
        answer(StatusCode::UNAUTHORIZED, json!({"error": "unauthorized"}))
    }
}

fn seen(method: &str, path: &str, headers: &HeaderMap, body: &str) -> Seen {
    let header = |name| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    Seen {
        method: method.to_owned(),
        path: path.to_owned(),
        authorization: header(header::AUTHORIZATION),
        content_type: header(header::CONTENT_TYPE),
        body: body.to_owned(),
    }
}

async fn start() -> (String, Shared) {
    let server = Shared::default();
    let app = Router::new()
        .route("/token", axum::routing::post(token))
        .route("/authorize", axum::routing::get(authorize))
        .fallback(api)
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, server)
}

/// n8n's recordings: each case's credential data (URLs on n8n's test port) and the requests.
fn recorded() -> Vec<Value> {
    let text = include_str!("../recorded/oauth2/requests.json");
    let recording: Value = serde_json::from_str(text).unwrap();
    recording["cases"].as_array().unwrap().clone()
}

fn recorded_case(name: &str) -> Value {
    recorded()
        .into_iter()
        .find(|case| case["name"] == name)
        .unwrap_or_else(|| panic!("no recorded case {name}"))
}

/// A recorded request in the shape the server logs (the URL's port is not part of it).
fn expected(request: &Value) -> Seen {
    let header = |name: &str| request["headers"][name].as_str().map(str::to_owned);
    Seen {
        method: request["method"].as_str().unwrap().to_owned(),
        path: request["path"].as_str().unwrap().to_owned(),
        authorization: header("authorization"),
        content_type: header("content-type"),
        body: request["body"].as_str().unwrap().to_owned(),
    }
}

/// The credential row of a recorded case, its URLs moved to `base`.
fn credential_row(id: &str, data: &Value, base: &str) -> Value {
    let data: Value =
        serde_json::from_str(&data.to_string().replace("http://127.0.0.1:18191", base)).unwrap();
    json!({"id": id, "name": id, "type": "oAuth2Api", "data": data})
}

/// A home whose every output is kept for the canary check.
struct Probe {
    home: WeftHome,
    outputs: Vec<String>,
}

impl Probe {
    fn new() -> Self {
        Self {
            home: WeftHome::new().logging("trace"),
            outputs: Vec::new(),
        }
    }

    fn keep(&mut self, output: &Output) {
        self.outputs
            .push(String::from_utf8_lossy(&output.stdout).into_owned());
        self.outputs
            .push(String::from_utf8_lossy(&output.stderr).into_owned());
    }

    fn weft(&mut self, args: &[&str]) -> Output {
        let output = self.home.weft(args);
        self.keep(&output);
        output
    }

    fn import(&mut self, rows: Value) {
        let file = self.home.path().join("import.json");
        std::fs::write(&file, rows.to_string()).unwrap();
        let output = self.weft(&["credentials", "import", &file.to_string_lossy()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        std::fs::remove_file(file).unwrap();
    }

    /// Runs HTTP Request (4.2, GET `<base>/api/items`) with credential `id`; its items.
    fn run(&mut self, base: &str, id: &str) -> Result<Vec<Value>, String> {
        self.run_url(&format!("{base}/api/items"), id)
    }

    /// Runs HTTP Request (4.2, GET `url`) with credential `id`; its items.
    fn run_url(&mut self, url: &str, id: &str) -> Result<Vec<Value>, String> {
        let node = json!({"name": "HTTP Request", "type": "n8n-nodes-base.httpRequest",
            "typeVersion": 4.2, "parameters": {"url": url,
            "authentication": "genericCredentialType", "genericAuthType": "oAuth2Api", "options": {}},
            "credentials": {"oAuth2Api": {"id": id, "name": id}}});
        let file = self.home.path().join("workflow.json");
        std::fs::write(&file, one_node_workflow(node).to_string()).unwrap();
        let output = self.weft(&["run", &file.to_string_lossy()]);
        if output.status.success() {
            Ok(serde_json::from_slice(&output.stdout).unwrap())
        } else {
            Err(text(&output.stderr))
        }
    }

    /// `weft credentials list`, `export` (not decrypted) and `test`, kept for the canary check.
    fn list_and_show(&mut self, id: &str) {
        for args in [
            vec!["credentials", "list"],
            vec!["credentials", "export", "--without-secrets", id],
        ] {
            let output = self.weft(&args);
            assert!(
                output.status.success(),
                "{args:?}: {}",
                text(&output.stderr)
            );
        }
        self.weft(&["credentials", "test", id]);
    }

    /// No output so far and no store file holds the canary.
    fn assert_no_canary(&self) {
        for output in &self.outputs {
            assert!(
                !output.contains(CANARY),
                "an output shows a secret: {output}"
            );
        }
        for (name, bytes) in self.home.store_files() {
            assert!(
                !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
                "{name} holds a secret"
            );
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn log_since(server: &Shared, from: usize) -> Vec<Seen> {
    server.lock().unwrap().log[from..].to_vec()
}

fn logged(server: &Shared) -> usize {
    server.lock().unwrap().log.len()
}

fn ok_items() -> Vec<Value> {
    vec![json!({"json": {"ok": true}, "pairedItem": {"item": 0}})]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_credentials_send_n8n_s_token_request_and_cache_the_token() {
    let (base, server) = start().await;
    let mut probe = Probe::new();
    for case in [
        "client-credentials-header",
        "client-credentials-body-additional",
    ] {
        let recording = recorded_case(case);
        probe.import(json!([credential_row(
            case,
            &recording["credential"],
            &base
        )]));
        server.lock().unwrap().issued = 0;
        let before = logged(&server);
        let items = probe.run(&base, case).unwrap();
        assert_eq!(items.len(), 1, "{case}: {items:?}");
        assert_eq!(items[0]["json"], json!({"ok": true}), "{case}");
        let want: Vec<Seen> = recording["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(expected)
            .collect();
        assert_eq!(log_since(&server, before), want, "{case}: n8n's requests");

        // A second run uses the stored token: no token request.
        let before = logged(&server);
        probe.run(&base, case).unwrap();
        let again = log_since(&server, before);
        assert_eq!(
            again
                .iter()
                .map(|seen| seen.path.as_str())
                .collect::<Vec<_>>(),
            ["/api/items"],
            "{case}"
        );
        probe.list_and_show(case);
    }
    probe.assert_no_canary();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_renewed_once_as_n8n_renews_it_and_a_rotated_refresh_token_is_kept() {
    let (base, server) = start().await;
    let mut probe = Probe::new();
    for case in [
        "client-credentials-stale-token-body",
        "authorization-code-refresh-header",
        "pkce-refresh-body",
    ] {
        let recording = recorded_case(case);
        probe.import(json!([credential_row(
            case,
            &recording["credential"],
            &base
        )]));
        {
            let mut server = server.lock().unwrap();
            server.issued = 0;
            server.refresh = Some(format!("{CANARY}-refresh-1"));
        }
        // The imported `oauthTokenData` is stale: 401, one token request, one replay.
        let before = logged(&server);
        let items = probe.run(&base, case).unwrap();
        assert_eq!(items[0]["json"], json!({"ok": true}), "{case}");
        let want: Vec<Seen> = recording["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(expected)
            .collect();
        assert_eq!(log_since(&server, before), want, "{case}: n8n's requests");

        // The token is revoked: the next run (a new process) renews once more, with the rotated
        // refresh token the previous process stored.
        server.lock().unwrap().valid.clear();
        let before = logged(&server);
        probe.run(&base, case).unwrap();
        let seen = log_since(&server, before);
        let paths: Vec<&str> = seen.iter().map(|seen| seen.path.as_str()).collect();
        assert_eq!(paths, ["/api/items", "/token", "/api/items"], "{case}");
        if case != "client-credentials-stale-token-body" {
            assert_eq!(
                form(&seen[1].body).get("refresh_token"),
                Some(&format!("{CANARY}-refresh-rotated-1")),
                "{case}: the rotated refresh token was kept"
            );
        }

        // An API that keeps refusing: one renewal, one replay, then n8n's error for the 401.
        server.lock().unwrap().refuse = true;
        let before = logged(&server);
        let error = probe.run(&base, case).unwrap_err();
        server.lock().unwrap().refuse = false;
        let paths: Vec<String> = log_since(&server, before)
            .into_iter()
            .map(|seen| seen.path)
            .collect();
        assert_eq!(
            paths,
            ["/api/items", "/token", "/api/items"],
            "{case}: {error}"
        );
        assert!(error.contains("401"), "{case}: {error}");
        probe.list_and_show(case);
    }
    probe.assert_no_canary();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_n8n_credential_with_a_valid_token_makes_no_token_request() {
    let (base, server) = start().await;
    let mut probe = Probe::new();
    let token = format!("{CANARY}-imported");
    server.lock().unwrap().valid.insert(token.clone());
    for (id, grant) in [
        ("imported-cc", "clientCredentials"),
        ("imported-code", "authorizationCode"),
    ] {
        probe.import(json!([{"id": id, "name": id, "type": "oAuth2Api", "data": {
            "grantType": grant, "authUrl": format!("{base}/authorize"),
            "accessTokenUrl": format!("{base}/token"), "clientId": "client-1",
            "clientSecret": format!("{CANARY}-secret"), "scope": "", "authentication": "header",
            "oauthTokenData": {"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                "refresh_token": format!("{CANARY}-refresh-x"), "n8n_expires_at": "1767225600000"}}}]));
        let before = logged(&server);
        assert_eq!(probe.run(&base, id).unwrap(), ok_items(), "{id}");
        let seen = log_since(&server, before);
        assert_eq!(seen.len(), 1, "{id}: {seen:?}");
        assert_eq!(seen[0].authorization, Some(format!("Bearer {token}")));
    }
    probe.assert_no_canary();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowed_domains_refuse_a_host_before_any_token_is_sent() {
    let (base, server) = start().await;
    let mut probe = Probe::new();
    probe.import(
        json!([{"id": "pinned", "name": "pinned", "type": "oAuth2Api", "data": {
        "grantType": "clientCredentials", "accessTokenUrl": format!("{base}/token"),
        "clientId": "client-1", "clientSecret": format!("{CANARY}-secret"),
        "allowedHttpRequestDomains": "domains", "allowedDomains": "api.example.com"}}]),
    );
    let before = logged(&server);
    let error = probe.run(&base, "pinned").unwrap_err();
    assert!(
        error.contains(
            "Domain not allowed: This credential is restricted from accessing 127.0.0.1:"
        ),
        "{error}"
    );
    assert_eq!(log_since(&server, before), [], "nothing was sent");
    probe.assert_no_canary();
}

/// The authorize URL's query as pairs, in order.
fn query_of(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// What n8n's authorize URL carries, in n8n's order, for a PKCE credential with
/// `authQueryParameters` `access_type=offline`.
fn assert_n8n_authorize_query(query: &[(String, String)], redirect: &str) {
    let names: Vec<&str> = query.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "access_type",
            "code_challenge",
            "code_challenge_method",
            "client_id",
            "redirect_uri",
            "response_type",
            "state",
            "scope"
        ]
    );
    let value = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap()
    };
    assert_eq!(value("access_type"), "offline");
    assert_eq!(value("code_challenge_method"), "S256");
    assert_eq!(value("code_challenge").len(), 43);
    assert_eq!(value("client_id"), "client-1");
    assert_eq!(value("redirect_uri"), redirect);
    assert_eq!(value("response_type"), "code");
    assert_eq!(value("scope"), "read write");
    assert!(value("state").len() >= 32);
}

fn pkce_row(id: &str, base: &str) -> Value {
    json!({"id": id, "name": id, "type": "oAuth2Api", "data": {
        "grantType": "pkce", "authUrl": format!("{base}/authorize"),
        "accessTokenUrl": format!("{base}/token"), "clientId": "client-1",
        "clientSecret": format!("{CANARY}-secret"), "scope": "read write",
        "authQueryParameters": "access_type=offline", "authentication": "body"}})
}

/// n8n's code exchange with body authentication and PKCE: the form's field names in order.
fn assert_n8n_code_exchange(exchange: &Seen, redirect: &str) {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(exchange.body.as_bytes())
        .into_owned()
        .collect();
    let names: Vec<&str> = pairs.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "code",
            "grant_type",
            "redirect_uri",
            "client_id",
            "code_verifier",
            "client_secret"
        ]
    );
    assert_eq!(pairs[1].1, "authorization_code");
    assert_eq!(pairs[2].1, redirect);
    assert_eq!(exchange.authorization, None);
    assert_eq!(
        exchange.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_connects_through_weft_credentials_connect() {
    let (base, server) = start().await;
    let mut probe = Probe::new();
    probe.import(json!([pkce_row("pkce", &base)]));
    let error = probe.run(&base, "pkce").unwrap_err();
    assert!(error.contains("weft credentials connect"), "{error}");

    let connect = Connecting::start(probe.home.command(&Connecting::arguments("pkce")));
    let authorize_url = connect.authorize_url.clone();
    let query = query_of(&authorize_url);
    let redirect = query
        .iter()
        .find(|(key, _)| key == "redirect_uri")
        .map(|(_, value)| value.clone())
        .unwrap();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
    assert_n8n_authorize_query(&query, &redirect);

    // The browser: the sign-in page sends it back to weft's callback.
    let before = logged(&server);
    let landed = reqwest::get(&authorize_url).await.unwrap();
    assert!(landed.text().await.unwrap().contains("weft received"));
    let (output, printed) = connect.finish();
    probe.outputs.push(printed.clone());
    probe.keep(&output);
    assert!(output.status.success(), "{printed}");
    assert!(
        text(&output.stdout).contains("connected: credential \"pkce\" obtained an access token"),
        "{}",
        text(&output.stdout)
    );
    let exchanges = log_since(&server, before);
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    assert_n8n_code_exchange(&exchanges[0], &redirect);

    // The stored token serves the workflow with no token request.
    let before = logged(&server);
    assert_eq!(probe.run(&base, "pkce").unwrap(), ok_items());
    assert_eq!(log_since(&server, before).len(), 1);

    // Revoked: the refresh-token grant with the connected refresh token, in the body.
    server.lock().unwrap().valid.clear();
    let before = logged(&server);
    assert_eq!(probe.run(&base, "pkce").unwrap(), ok_items());
    let seen = log_since(&server, before);
    assert_eq!(
        form(&seen[1].body),
        BTreeMap::from([
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            (
                "refresh_token".to_owned(),
                format!("{CANARY}-refresh-connected")
            ),
            ("client_id".to_owned(), "client-1".to_owned()),
            ("client_secret".to_owned(), format!("{CANARY}-secret")),
        ])
    );
    probe.list_and_show("pkce");
    probe.assert_no_canary();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_connects_through_weft_serve_and_connect_is_offered_only_for_browser_grants() {
    let (base, server) = start().await;
    let mut probe = Probe::new();
    probe.import(json!([
        pkce_row("pkce", &base),
        {"id": "cc", "name": "cc", "type": "oAuth2Api", "data": {
            "grantType": "clientCredentials", "accessTokenUrl": format!("{base}/token"),
            "clientId": "client-1", "clientSecret": format!("{CANARY}-secret")}}
    ]));
    let mut serve = Serve::start(&probe.home);
    let (status, listed) = serve
        .call(Method::GET, "/api/credentials", Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    let connect: BTreeMap<&str, bool> = listed["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap(),
                row["connect"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(connect, BTreeMap::from([("cc", false), ("pkce", true)]));
    let (status, refused) = serve
        .call(Method::POST, "/api/credentials/cc/connect", json!({}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");

    let (status, started) = serve
        .call(Method::POST, "/api/credentials/pkce/connect", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let authorize_url = started["authorizeUrl"].as_str().unwrap().to_owned();
    let redirect = format!("{}/callback", serve.origin);
    assert_eq!(started["redirectUri"], json!(redirect));
    assert_n8n_authorize_query(&query_of(&authorize_url), &redirect);

    let before = logged(&server);
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .unwrap();
    let landed = browser.get(&authorize_url).send().await.unwrap();
    assert!(
        landed.url().as_str().ends_with("/?connected"),
        "{}",
        landed.url()
    );
    let exchanges = log_since(&server, before);
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    assert_n8n_code_exchange(&exchanges[0], &redirect);

    let (_, listed) = serve
        .call(Method::GET, "/api/credentials", Value::Null)
        .await;
    let row = listed["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == "pkce")
        .unwrap()
        .clone();
    assert_eq!(row["lastResult"]["ok"], json!(true), "{row}");
    let (status, shown) = serve
        .call(Method::GET, "/api/credentials/pkce", Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["data"]["grantType"], json!("pkce"));
    serve.assert_no_leak(&[CANARY]);
    assert!(!serve.log().contains(CANARY), "{}", serve.log());
    drop(serve);

    let before = logged(&server);
    assert_eq!(probe.run(&base, "pkce").unwrap(), ok_items());
    assert_eq!(
        log_since(&server, before).len(),
        1,
        "the connected token is used"
    );
    probe.assert_no_canary();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_origin_does_not_carry_the_token() {
    let (base, server) = start().await;
    let (elsewhere, other) = start().await;
    server.lock().unwrap().away = format!("{elsewhere}/landing");
    let mut probe = Probe::new();
    let recording = recorded_case("client-credentials-header");
    probe.import(json!([credential_row(
        "cc",
        &recording["credential"],
        &base
    )]));
    let items = probe.run_url(&format!("{base}/api/away"), "cc").unwrap();
    assert_eq!(items[0]["json"], json!({"landed": true}));
    let landed = log_since(&other, 0);
    assert_eq!(landed.len(), 1, "{landed:?}");
    assert_eq!(landed[0].path, "/landing");
    assert_eq!(
        landed[0].authorization, None,
        "the token stayed at its origin"
    );
    let asked = log_since(&server, 0);
    assert!(
        asked
            .iter()
            .any(|seen| seen.path == "/api/away" && seen.authorization.is_some()),
        "{asked:?}"
    );
    probe.assert_no_canary();
}
