//! `weft start` serving Webhook nodes, with the real binary and real HTTP: each response mode
//! (`onReceived`, `lastNode`, `responseNode` answered by Respond to Webhook), path parameters
//! behind the node's webhookId, n8n's 404 for a method the webhook does not take, a body over
//! the bound refused with 413 before any run, and Header Auth accepted and refused (the
//! credential's secret never in the log). `weft run` of a webhook workflow is pinned by the
//! fixture `runtime/tests/fixtures/workflows/webhook-respond.json`.

use serde_json::{Value, json};
use weft_tests::{WeftHome, WeftStart};

const SECRET: &str = "canary-webhook-secret-41";

fn node(name: &str, type_name: &str, version: f64, parameters: Value) -> Value {
    json!({"id": name, "name": name, "type": type_name, "typeVersion": version,
           "position": [0, 0], "parameters": parameters})
}

fn webhook(parameters: Value) -> Value {
    let mut webhook = node("Webhook", "n8n-nodes-base.webhook", 2.0, parameters);
    webhook["webhookId"] = json!("hook-id-1");
    webhook
}

/// Webhook → `next` (if any), as workflow `id`.
fn workflow(id: &str, webhook: Value, next: Option<Value>) -> Value {
    let mut nodes = vec![webhook];
    let mut connections = json!({});
    if let Some(next) = next {
        connections =
            json!({"Webhook": {"main": [[{"node": next["name"], "type": "main", "index": 0}]]}});
        nodes.push(next);
    }
    json!({"id": id, "name": id, "nodes": nodes, "connections": connections,
           "settings": {"executionOrder": "v1"}})
}

fn greet() -> Value {
    node(
        "Greet",
        "n8n-nodes-base.set",
        3.4,
        json!({"assignments": {"assignments": [
            {"id": "a", "name": "greeting", "value": "={{ 'hi ' + $json.body.name }}", "type": "string"},
            {"id": "b", "name": "mode", "value": "={{ $json.executionMode }}", "type": "string"}
        ]}, "options": {}}),
    )
}

/// `weft start` on `workflows`, once it serves.
async fn start(home: &WeftHome, workflows: &[Value]) -> WeftStart {
    WeftStart::serving(home, workflows, "/webhook").await
}

async fn text(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_response_mode_answers_as_n8n() {
    let home = WeftHome::new();
    let respond = node(
        "Respond",
        "n8n-nodes-base.respondToWebhook",
        1.1,
        json!({"respondWith": "json",
               "responseBody": "={{ JSON.stringify({who: $json.params.who, q: $json.query.q, url: $json.webhookUrl}) }}",
               "options": {"responseCode": 202, "responseHeaders": {"entries": [{"name": "X-Done", "value": "yes"}]}}}),
    );
    let started = start(
        &home,
        &[
            workflow("received", webhook(json!({"httpMethod": "POST", "path": "received", "options": {"responseCode": {"values": {"responseCode": 201}}}})), Some(greet())),
            workflow("last", webhook(json!({"httpMethod": "POST", "path": "last", "responseMode": "lastNode", "options": {}})), Some(greet())),
            workflow("all", webhook(json!({"httpMethod": "POST", "path": "all", "responseMode": "lastNode", "responseData": "allEntries", "options": {}})), Some(greet())),
            workflow("node", webhook(json!({"httpMethod": "GET", "path": "users/:who", "responseMode": "responseNode", "options": {}})), Some(respond)),
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let base = &started.base;
    let post = |path: &str| {
        http.post(format!("{base}/{path}"))
            .json(&json!({"name": "ann"}))
    };

    let (status, kind, body) = text(post("received").send().await.unwrap()).await;
    assert_eq!(
        (status, body.as_str()),
        (201, r#"{"message":"Workflow was started"}"#)
    );
    assert!(kind.starts_with("application/json"), "{kind}");

    let (status, _, body) = text(post("last").send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"greeting": "hi ann", "mode": "production"})
    );
    let (_, _, body) = text(post("all").send().await.unwrap()).await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!([{"greeting": "hi ann", "mode": "production"}])
    );

    let answered = http
        .get(format!("{base}/hook-id-1/users/bob?q=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.headers()["x-done"], "yes");
    let (status, _, body) = text(answered).await;
    assert_eq!(status, 202);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"who": "bob", "q": "1", "url": format!("{base}/hook-id-1/users/:who")})
    );

    let (status, _, body) = text(http.get(format!("{base}/last")).send().await.unwrap()).await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["message"],
        "This webhook is not registered for GET requests. Did you mean to make a POST request?"
    );
    let (status, _, _) = text(post("nowhere").send().await.unwrap()).await;
    assert_eq!(status, 404);

    let (status, _, body) = text(
        http.post(format!("{base}/last"))
            .header("content-type", "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{body}");

    let oversized = vec![b'a'; 16 * 1024 * 1024 + 1];
    let (status, _, body) = text(
        http.post(format!("{base}/last"))
            .header("content-type", "text/plain")
            .body(oversized)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    let log = std::fs::read_to_string(&started.log).unwrap();
    // One run of "last": the refused requests started none.
    let runs = log
        .lines()
        .filter(|line| line.contains("webhook run succeeded") && line.contains("workflow=last"))
        .count();
    assert_eq!(runs, 1, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_auth_lets_the_right_value_in_and_keeps_the_secret_out_of_the_log() {
    let home = WeftHome::new();
    home.import(
        &json!([{"id": "hdr1", "name": "hook key", "type": "httpHeaderAuth",
                         "data": {"name": "X-Hook-Key", "value": SECRET}}]),
    );
    let mut guarded = webhook(json!({"httpMethod": "POST", "path": "guarded",
                                     "authentication": "headerAuth", "responseMode": "lastNode", "options": {}}));
    guarded["credentials"] = json!({"httpHeaderAuth": {"id": "hdr1", "name": "hook key"}});
    let started = start(&home, &[workflow("guarded", guarded, Some(greet()))]).await;
    let http = reqwest::Client::new();
    let url = format!("{}/guarded", started.base);
    let call = |key: Option<&str>| {
        let request = http.post(&url).json(&json!({"name": "ann"}));
        match key {
            Some(key) => request.header("x-hook-key", key),
            None => request,
        }
    };
    let (status, _, body) = text(call(Some(SECRET)).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    for key in [None, Some("canary-webhook-secret-4"), Some("wrong")] {
        let (status, _, body) = text(call(key).send().await.unwrap()).await;
        assert_eq!(
            (status, body.as_str()),
            (403, "Authorization data is wrong!"),
            "{key:?}"
        );
    }
    let log = std::fs::read_to_string(&started.log).unwrap();
    assert!(log.contains("webhook request refused"), "{log}");
    assert!(!log.contains(SECRET), "the secret reached the log:\n{log}");
}
