//! HTTP Request's pagination (`options.pagination`), run by the real `weft` binary against a
//! paging server on 127.0.0.1: per mode and completion rule, the exact requests sent page by page
//! and the output items; the page limit, n8n's identical-page stop and weft's bound on pages.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use weft_tests::{WeftHome, one_node_workflow};

type Log = Arc<Mutex<Vec<String>>>;

/// The number after `name=` in the query (or the JSON body), 0 when absent.
fn number(uri: &Uri, body: &str, name: &str) -> u64 {
    let from_query = uri.query().unwrap_or_default().split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.parse().ok()).flatten()
    });
    let from_body = || {
        serde_json::from_str::<Value>(body)
            .ok()?
            .get(name)?
            .as_u64()
    };
    from_query.or_else(from_body).unwrap_or(0)
}

/// Records `METHOD /path?query [x-page] body` and answers page by page:
/// `/items?page=N` three pages of two, then `[]`; `/cursor?after=K` an object with the next
/// page's absolute URL until K is 2; `/status?page=N` a 404 at page 3; `/forever?page=N` a
/// new page every time; `/same` the same page every time.
async fn serve(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let body = String::from_utf8_lossy(&body).into_owned();
    let page_header = headers
        .get("x-page")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    log.lock().unwrap().push(
        format!("{method} {uri} {page_header} {body}")
            .trim_end()
            .to_owned(),
    );
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let json = [(header::CONTENT_TYPE, "application/json")];
    let page = number(&uri, &body, "page");
    let answer = match uri.path() {
        "/items" if (1..=3).contains(&page) => {
            json!([{"id": page * 10 + 1}, {"id": page * 10 + 2}])
        }
        "/items" => json!([]),
        "/cursor" => {
            let after = number(&uri, &body, "after");
            let next = (after < 2).then(|| format!("http://{host}/cursor?after={}", after + 1));
            json!({"items": [after], "next": next})
        }
        "/status" if page >= 3 => {
            return (
                StatusCode::NOT_FOUND,
                json,
                r#"{"message":"done"}"#.to_owned(),
            )
                .into_response();
        }
        "/same" => json!({"same": true}),
        _ => json!([{"page": page}]),
    };
    (StatusCode::OK, json, answer.to_string()).into_response()
}

async fn start() -> (String, Log) {
    let log = Log::default();
    let app = Router::new().fallback(serve).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, log)
}

fn node(version: f64, parameters: Value) -> Value {
    json!({"parameters": parameters, "type": "n8n-nodes-base.httpRequest",
        "typeVersion": version, "name": "HTTP Request"})
}

struct Case {
    name: &'static str,
    version: f64,
    parameters: Value,
    requests: Vec<&'static str>,
    items: Value,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a query parameter from $pageCount until the response is empty",
            version: 4.2,
            parameters: json!({"url": "URL/items", "options": {"pagination": {"pagination": {
                "parameters": {"parameters": [{"name": "page", "value": "={{ $pageCount + 1 }}"}]}
            }}}}),
            requests: vec![
                "GET /items?page=1 -",
                "GET /items?page=2 -",
                "GET /items?page=3 -",
                "GET /items?page=4 -",
            ],
            items: json!([{"id": 11}, {"id": 12}, {"id": 21}, {"id": 22}, {"id": 31}, {"id": 32}]),
        },
        Case {
            name: "the next URL from the response until an expression says complete",
            version: 4.3,
            parameters: json!({"url": "URL/cursor", "options": {"pagination": {"pagination": {
                "paginationMode": "responseContainsNextURL",
                "nextURL": "={{ $response.body.next }}",
                "paginationCompleteWhen": "other",
                "completeExpression": "={{ !$response.body.next }}"
            }}}}),
            requests: vec![
                "GET /cursor -",
                "GET /cursor?after=1 -",
                "GET /cursor?after=2 -",
            ],
            items: json!([
                {"items": [0], "next": "NEXT1"},
                {"items": [1], "next": "NEXT2"},
                {"items": [2], "next": null}
            ]),
        },
        Case {
            name: "a status code completes, and that last page is output too",
            version: 4.1,
            parameters: json!({"url": "URL/status", "options": {"pagination": {"pagination": {
                "parameters": {"parameters": [{"name": "page", "value": "={{ $pageCount + 1 }}"}]},
                "paginationCompleteWhen": "receiveSpecificStatusCodes",
                "statusCodesWhenComplete": "404, 410"
            }}}}),
            requests: vec![
                "GET /status?page=1 -",
                "GET /status?page=2 -",
                "GET /status?page=3 -",
            ],
            items: json!([{"page": 1}, {"page": 2}, {"message": "done"}]),
        },
        Case {
            name: "header and body parameters with a page limit",
            version: 4.0,
            parameters: json!({"method": "POST", "url": "URL/forever", "sendBody": true,
            "bodyParameters": {"parameters": [{"name": "kind", "value": "x"}]},
            "options": {"pagination": {"pagination": {
                "parameters": {"parameters": [
                    {"type": "body", "name": "page", "value": "={{ $pageCount * 2 }}"},
                    {"type": "headers", "name": "x-page", "value": "={{ $request.method }}{{ $pageCount }}"}
                ]},
                "limitPagesFetched": true,
                "maxRequests": 3
            }}}}),
            requests: vec![
                r#"POST /forever POST0 {"kind":"x","page":0}"#,
                r#"POST /forever POST1 {"kind":"x","page":2}"#,
                r#"POST /forever POST2 {"kind":"x","page":4}"#,
            ],
            items: json!([{"page": 0}, {"page": 2}, {"page": 4}]),
        },
        Case {
            name: "mode off is one plain request",
            version: 4.2,
            parameters: json!({"url": "URL/items?page=1", "options": {"pagination": {"pagination": {
                "paginationMode": "off"
            }}}}),
            requests: vec!["GET /items?page=1 -"],
            items: json!([{"id": 11}, {"id": 12}]),
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_mode_sends_its_pages_and_outputs_every_pages_items() {
    let (base, log) = start().await;
    let home = WeftHome::new();
    for case in cases() {
        log.lock().unwrap().clear();
        let mut parameters = case.parameters;
        parameters["url"] = json!(parameters["url"].as_str().unwrap().replace("URL", &base));
        let items = home
            .run_node(node(case.version, parameters))
            .unwrap_or_else(|error| panic!("{}: {error}", case.name));
        let json: Vec<Value> = items.iter().map(|item| item["json"].clone()).collect();
        let expected = case
            .items
            .to_string()
            .replace("NEXT", &format!("{base}/cursor?after="));
        let expected: Value = serde_json::from_str(&expected).unwrap();
        assert_eq!(Value::Array(json), expected, "{}", case.name);
        assert_eq!(*log.lock().unwrap(), case.requests, "{}", case.name);
    }
}

/// Runs `parameters` and returns the error of the failed run.
fn failure(home: &WeftHome, parameters: Value) -> Value {
    let workflow = one_node_workflow(node(4.2, parameters));
    let file = home.path().join("workflow.json");
    std::fs::write(&file, workflow.to_string()).unwrap();
    let run = home.weft(&["run", "--raw-output", file.to_str().unwrap()]);
    assert!(!run.status.success());
    let document: Value = serde_json::from_slice(&run.stdout).unwrap();
    document["error"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_page_again_and_again_stops_with_n8ns_error() {
    let (base, log) = start().await;
    let home = WeftHome::new();
    let error = failure(
        &home,
        json!({"url": format!("{base}/same"), "options": {"pagination": {"pagination": {
            "parameters": {"parameters": [{"name": "page", "value": "={{ $pageCount }}"}]}
        }}}}),
    );
    assert_eq!(
        error["message"],
        "The returned response was identical 5x, so requests got stopped"
    );
    assert_eq!(
        error["description"],
        "Check if \"Pagination Completed When\" has been configured correctly."
    );
    // With a Content-Length, the first page sets the length and the next four compare.
    assert_eq!(log.lock().unwrap().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unlimited_pagination_that_never_completes_stops_at_weft_bound() {
    let (base, log) = start().await;
    let home = WeftHome::new();
    let error = failure(
        &home,
        json!({"url": format!("{base}/forever"), "options": {"pagination": {"pagination": {
            "parameters": {"parameters": [{"name": "page", "value": "={{ $pageCount }}"}]}
        }}}}),
    );
    assert_eq!(
        error["message"],
        "Pagination stopped after 10000 pages without completing"
    );
    assert!(
        error["description"]
            .as_str()
            .unwrap()
            .contains("'Limit Pages Fetched'"),
        "{error}"
    );
    assert_eq!(log.lock().unwrap().len(), 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incomplete_settings_fail_with_n8ns_messages() {
    let (base, log) = start().await;
    let home = WeftHome::new();
    let error = failure(
        &home,
        json!({"url": format!("{base}/items"), "options": {"pagination": {"pagination": {}}}}),
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("At least one entry with 'Name' and 'Value' filled"),
        "{error}"
    );
    let error = failure(
        &home,
        json!({"url": format!("{base}/items"), "options": {"pagination": {"pagination": {
            "paginationMode": "responseContainsNextURL",
            "nextURL": "={{ 'not a url ' + $pageCount }}"
        }}}}),
    );
    assert_eq!(error["message"], "'not a url 0' is not a valid URL.");
    assert!(log.lock().unwrap().is_empty());
}
