//! A token endpoint that answers with a canary access token in a body weft cannot use (valid JSON
//! of the wrong shape, truncated JSON, an HTML page, JSON without `error`, a body over the 64 KiB
//! weft reads), or a userinfo endpoint
//! that echoes the bearer token back: the canary reaches no surface. Each variant gets a token
//! server of its own on 127.0.0.1 and a fresh home, and every surface is driven at
//! `WEFT_LOG=trace`: `weft credentials test`, `weft run` (items and `--raw-output`) with an HTTP
//! Request node on the credential, `weft start` with a Salesforce Trigger (its first poll),
//! `weft serve`'s list and Test (answers and log), and the store's files (`credential_checks`
//! rows included). The harmless variants real servers send (a numeric `issued_at`, a scope list)
//! are accepted, the others are described by field, JSON type or shape.

use std::process::Output;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use weft_tests::serve::Serve;
use weft_tests::{WeftHome, jwt_credential, one_node_workflow};

/// The access token every variant's token endpoint hands out.
const CANARY: &str = "00Dcanary!AQ.canary-access-token-7c41e9";

/// What userinfo answers once a token was accepted.
#[derive(Clone, Copy)]
enum Userinfo {
    /// The user, as Salesforce answers.
    User,
    /// HTTP 400 with the request's Authorization header in a JSON body.
    EchoTheBearer,
}

/// One way of answering, and what weft must say about it.
struct Variant {
    name: &'static str,
    token_status: u16,
    /// The token endpoint's body; `{url}` is replaced by the server's address.
    token_body: String,
    userinfo: Userinfo,
    /// `Ok` when `weft credentials test` must work; else words its error must hold.
    outcome: Result<(), &'static str>,
}

fn variants() -> Vec<Variant> {
    let success = |extra: &str| {
        format!(
            r#"{{"access_token":"{CANARY}","instance_url":"{{url}}","id":"{{url}}/id/00D/005","token_type":"Bearer"{extra}}}"#
        )
    };
    let whole = success("");
    let variant = |name, token_status, token_body, outcome| Variant {
        name,
        token_status,
        token_body,
        userinfo: Userinfo::User,
        outcome,
    };
    vec![
        variant(
            "a numeric issued_at",
            200,
            success(r#","issued_at":1767225600000"#),
            Ok(()),
        ),
        variant(
            "a scope list",
            200,
            success(r#","scope":["api","id","openid"]"#),
            Ok(()),
        ),
        variant(
            "instance_url a number",
            200,
            format!(r#"{{"access_token":"{CANARY}","instance_url":5}}"#),
            Err("`instance_url` is a JSON number, not a string"),
        ),
        variant(
            "issued_at an object",
            200,
            success(&format!(r#","issued_at":{{"at":"{CANARY}"}}"#)),
            Err("`issued_at` is a JSON object, not a string or a number"),
        ),
        variant(
            "truncated JSON",
            200,
            whole[..whole.len() - 20].to_owned(),
            Err("JSON that ends early (line 1, column"),
        ),
        variant(
            "an HTML page",
            500,
            format!("<html><body><pre>{CANARY}</pre></body></html>"),
            Err("with an HTML page, not an OAuth response"),
        ),
        variant(
            "JSON without error",
            400,
            format!(r#"{{"message":"refused","access_token":"{CANARY}"}}"#),
            Err("JSON without an `error` code"),
        ),
        variant(
            "a body over 64 KiB",
            200,
            format!(
                r#"{{"access_token":"{CANARY}","padding":"{}"}}"#,
                "x".repeat(70 * 1024)
            ),
            Err("with a body over 64 KiB, not an OAuth response"),
        ),
        Variant {
            userinfo: Userinfo::EchoTheBearer,
            ..variant(
                "userinfo echoes the bearer",
                200,
                success(""),
                Err("answered HTTP 400 with a JSON object without an error code"),
            )
        },
    ]
}

/// Starts the variant's token and userinfo endpoints; every other path is a Salesforce 404.
async fn token_server(variant: &Variant) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let token_status = StatusCode::from_u16(variant.token_status).unwrap();
    let token_body = Arc::new(variant.token_body.replace("{url}", &url));
    let userinfo = variant.userinfo;
    let app = axum::Router::new()
        .route(
            "/services/oauth2/token",
            post(move || async move { json_answer(token_status, token_body.to_string()) }),
        )
        .route(
            "/services/oauth2/userinfo",
            get(move |headers: HeaderMap| async move {
                match userinfo {
                    Userinfo::User => json_answer(
                        StatusCode::OK,
                        json!({"preferred_username": "canary-test@example.com",
                               "user_id": "005000000000001", "organization_id": "00D000000000001"})
                        .to_string(),
                    ),
                    Userinfo::EchoTheBearer => {
                        let bearer = headers
                            .get(header::AUTHORIZATION)
                            .and_then(|value| value.to_str().ok())
                            .unwrap_or_default();
                        json_answer(
                            StatusCode::BAD_REQUEST,
                            json!({"you_sent": bearer}).to_string(),
                        )
                    }
                }
            }),
        )
        .fallback(|| async {
            json_answer(
                StatusCode::NOT_FOUND,
                r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#
                    .to_owned(),
            )
        });
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn json_answer(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Every text a variant's run produced, for the leak check.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn output(&mut self, output: &Output) -> (String, String) {
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        self.0.push(stdout.clone());
        self.0.push(stderr.clone());
        (stdout, stderr)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canary_token_from_a_malformed_token_response_reaches_no_surface() {
    for variant in variants() {
        let url = token_server(&variant).await;
        let home = WeftHome::new().logging("trace");
        home.import(&json!([jwt_credential(&url)]));
        let mut seen = Seen::default();
        let name = variant.name;

        let (stdout, stderr) = seen.output(&home.weft(&["credentials", "test", "jwt"]));
        match variant.outcome {
            Ok(()) => assert!(
                stdout.contains("works: user canary-test@example.com"),
                "{name}: {stdout}{stderr}"
            ),
            Err(words) => assert!(stderr.contains(words), "{name}: {stderr}"),
        }

        let workflow = home.path().join("http.json");
        let node = json!({"parameters": {"url": format!("{url}/services/data/v66.0/limits"),
                "authentication": "predefinedCredentialType",
                "nodeCredentialType": "salesforceJwtApi", "options": {}},
            "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "name": "HTTP Request",
            "credentials": {"salesforceJwtApi": {"id": "jwt1", "name": "jwt"}}});
        std::fs::write(&workflow, one_node_workflow(node).to_string()).unwrap();
        let workflow = workflow.to_string_lossy().into_owned();
        for args in [
            vec!["run", &workflow],
            vec!["run", "--raw-output", &workflow],
        ] {
            let run = home.weft(&args);
            let (stdout, stderr) = seen.output(&run);
            assert_eq!(run.status.code(), Some(1), "{name}: the API answers 404");
            if let (Err(words), Userinfo::User) = (variant.outcome, variant.userinfo) {
                let said = stdout + &stderr;
                assert!(
                    said.contains(words),
                    "{name}: the token error is told: {said}"
                );
            }
        }

        seen.output(&start_trigger(&home, &url));

        let mut serve = Serve::start(&home);
        let (_, tested) = serve
            .call(
                reqwest::Method::POST,
                "/api/credentials/jwt1/test",
                Value::Null,
            )
            .await;
        let (_, listed) = serve
            .call(reqwest::Method::GET, "/api/credentials", Value::Null)
            .await;
        let last = &listed["credentials"][0]["lastResult"];
        match variant.outcome {
            Ok(()) => assert_eq!((&tested["ok"], &last["ok"]), (&json!(true), &json!(true))),
            Err(words) => {
                assert_eq!(tested["ok"], false, "{name}: {tested}");
                let error = tested["error"].as_str().unwrap();
                assert!(error.contains(words), "{name}: {tested}");
                let listed_message = last["message"].as_str().unwrap();
                assert!(listed_message.contains(words), "{name}: {listed}");
            }
        }
        serve.assert_no_leak(&[CANARY]);
        seen.0.push(serve.log());
        drop(serve);

        for text in &seen.0 {
            assert!(!text.contains(CANARY), "{name}: the canary leaked:\n{text}");
        }
        assert!(
            seen.0.iter().any(|text| text.contains("TRACE")),
            "{name}: the binaries logged at trace level"
        );
        assert_no_canary_in_the_store(&home, name);
    }
}

/// `weft start` on a Salesforce Trigger over the credential. Its first poll fails (on the token,
/// or on the server's 404), so weft exits; the output is its log.
fn start_trigger(home: &WeftHome, url: &str) -> Output {
    let trigger = home.path().join("trigger.json");
    let workflow = json!({"id": "canary", "name": "canary trigger", "nodes": [
            {"id": "1", "name": "Salesforce Trigger", "type": "n8n-nodes-base.salesforceTrigger",
             "typeVersion": 1, "position": [0, 0],
             "parameters": {"pollTimes": {"item": [{"mode": "everyMinute"}]},
                            "authentication": "jwt", "triggerOn": "accountCreated"},
             "credentials": {"salesforceJwtApi": {"id": "jwt1", "name": "jwt"}}}],
        "connections": {}, "settings": {"executionOrder": "v1"}});
    std::fs::write(&trigger, workflow.to_string()).unwrap();
    let mut child = home
        .command(&["start", &trigger.to_string_lossy()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("weft start against {url} did not stop after its first poll failed");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("first poll failed"), "{stderr}");
    output
}

/// No file of the store (database, WAL, shared memory) holds the canary in plain text.
fn assert_no_canary_in_the_store(home: &WeftHome, name: &str) {
    for (file, bytes) in home.store_files() {
        assert!(
            !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
            "{name}: the canary is in {file} in plain text"
        );
    }
}
