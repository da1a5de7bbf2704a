//! `httpDigestAuth` through the HTTP Request node, run by the real `weft` binary against a Digest
//! server on 127.0.0.1 that checks the answer with a fixed nonce: the first request goes out
//! without credentials (as n8n's `sendImmediately: false`), the 401's challenge is answered once
//! (MD5 and SHA-256, `qop=auth`, the path with its query as `uri`), a wrong password ends after
//! that one replay, and the canary password reaches no output, trace log or store file.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use md5::Md5;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use weft_tests::{WeftHome, one_node_workflow};

const CANARY: &str = "canary-d1g3";
const USER: &str = "mufasa";
const REALM: &str = "weft-test@127.0.0.1";
const NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

fn password() -> String {
    format!("{CANARY}-Circle of Life")
}

/// The Authorization headers the server saw, in order (`None` for a request without one).
type Log = Arc<Mutex<Vec<Option<String>>>>;

fn hex_hash(algorithm: &str, text: &str) -> String {
    let bytes = match algorithm {
        "SHA-256" => Sha256::digest(text.as_bytes()).to_vec(),
        _ => Md5::digest(text.as_bytes()).to_vec(),
    };
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `key="value"` and `key=value` pairs of a Digest answer.
fn parameters(answer: &str) -> Vec<(String, String)> {
    answer
        .trim_start_matches("Digest ")
        .split(',')
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(key, value)| (key.to_owned(), value.trim_matches('"').to_owned()))
        .collect()
}

/// `/md5/...` challenges with MD5, `/sha256/...` with SHA-256; a correct answer gets
/// `{"authenticated": true, "user": …}`.
async fn digest_server(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> impl IntoResponse {
    let algorithm = if uri.path().starts_with("/sha256") {
        "SHA-256"
    } else {
        "MD5"
    };
    let answer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    log.lock().unwrap().push(answer.clone());
    let verified = answer.is_some_and(|answer| {
        let given = parameters(&answer);
        let get = |key: &str| {
            given
                .iter()
                .find(|(name, _)| name == key)
                .map_or("", |(_, value)| value.as_str())
        };
        let ha1 = hex_hash(algorithm, &format!("{USER}:{REALM}:{}", password()));
        let ha2 = hex_hash(algorithm, &format!("{method}:{uri}"));
        let expected = hex_hash(
            algorithm,
            &format!("{ha1}:{NONCE}:{}:{}:auth:{ha2}", get("nc"), get("cnonce")),
        );
        get("username") == USER
            && get("realm") == REALM
            && get("nonce") == NONCE
            && uri == get("uri")
            && get("qop") == "auth"
            && get("opaque") == OPAQUE
            && get("response") == expected
    });
    if verified {
        let body = json!({"authenticated": true, "user": USER, "algorithm": algorithm});
        let mut json = HeaderMap::new();
        json.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        return (StatusCode::OK, json, body.to_string());
    }
    let mut challenge = HeaderMap::new();
    challenge.insert(
        header::WWW_AUTHENTICATE,
        format!(
            r#"Digest realm="{REALM}", qop="auth", algorithm={algorithm}, nonce="{NONCE}", opaque="{OPAQUE}""#
        )
        .parse()
        .unwrap(),
    );
    (StatusCode::UNAUTHORIZED, challenge, String::new())
}

async fn start() -> (String, Log) {
    let log = Log::default();
    let app = Router::new()
        .fallback(digest_server)
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, log)
}

fn workflow(url: &str, credential_id: &str) -> Value {
    one_node_workflow(json!({
        "parameters": {"url": url, "authentication": "genericCredentialType",
                       "genericAuthType": "httpDigestAuth", "options": {}},
        "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "name": "HTTP Request",
        "credentials": {"httpDigestAuth": {"id": credential_id, "name": credential_id}}
    }))
}

fn assert_no_canary(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "{what} shows the canary password: {}",
        String::from_utf8_lossy(bytes)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_challenge_is_answered_once_with_md5_or_sha256_and_the_password_never_shows() {
    let (base, log) = start().await;
    let home = WeftHome::new().logging("trace");
    home.import(&json!([
        {"id": "dig", "name": "digest", "type": "httpDigestAuth",
         "data": {"user": USER, "password": password()}},
        {"id": "bad", "name": "wrong", "type": "httpDigestAuth",
         "data": {"user": USER, "password": format!("{CANARY}-wrong")}}
    ]));
    for (path, algorithm) in [
        ("/md5/things?page=2&q=a%20b", "MD5"),
        ("/sha256/things", "SHA-256"),
    ] {
        let before = log.lock().unwrap().len();
        let run = home.run_workflow(&workflow(&format!("{base}{path}"), "dig"));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{path}: {stderr}");
        assert_no_canary("stdout", &run.stdout);
        assert_no_canary("stderr", &run.stderr);
        let items: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(
            items[0]["json"],
            json!({"authenticated": true, "user": USER, "algorithm": algorithm})
        );
        let seen = log.lock().unwrap()[before..].to_vec();
        let [None, Some(answer)] = seen.as_slice() else {
            panic!("{path}: a request without credentials, then one answer: {seen:?}")
        };
        let given = parameters(answer);
        let value = |key: &str| {
            given
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
        };
        assert_eq!(value("algorithm").as_deref(), Some(algorithm), "{answer}");
        assert_eq!(value("nc").as_deref(), Some("00000001"), "{answer}");
        assert_eq!(value("qop").as_deref(), Some("auth"), "{answer}");
    }

    let before = log.lock().unwrap().len();
    let run = home.run_workflow(&workflow(&format!("{base}/md5/x"), "bad"));
    assert!(!run.status.success(), "a wrong password fails the node");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("401"), "{stderr}");
    assert_no_canary("stderr of the refused run", &run.stderr);
    assert_no_canary("stdout of the refused run", &run.stdout);
    assert_eq!(
        log.lock().unwrap().len() - before,
        2,
        "one answer to the challenge, never a loop"
    );

    for (name, bytes) in home.store_files() {
        assert_no_canary(&name, &bytes);
    }
}
