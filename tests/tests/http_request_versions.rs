//! HTTP Request typeVersions 1, 2, 3 and 4.2, run by the real `weft` binary against a recording
//! server on 127.0.0.1: per case, the exact request (method, path with query, `Accept`,
//! `Content-Type`, body) and the output items. Data-driven: one row per parameter shape.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use weft_tests::{WeftHome, one_node_workflow};

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    line: String,
    accept: String,
    content_type: String,
    body: String,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Records the request; `/array` answers a JSON array, `/mixed`, `/number`, `/null` and
/// `/bool` JSON that is not an object (or holds some), `/string` a JSON string, `/text` plain
/// text, `/missing` a 404 with a JSON message, anything else a JSON object.
async fn record(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let header_text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let content_type = header_text(header::CONTENT_TYPE);
    let content_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    log.lock().unwrap().push(Seen {
        line: format!("{method} {uri}"),
        accept: header_text(header::ACCEPT),
        content_type,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let json = [(header::CONTENT_TYPE, "application/json")];
    match uri.path() {
        "/array" => (StatusCode::OK, json, r#"[{"n":1},{"n":2}]"#).into_response(),
        "/mixed" => (StatusCode::OK, json, r#"[1,"a",null,{"x":1},[2]]"#).into_response(),
        "/number" => (StatusCode::OK, json, "42").into_response(),
        "/null" => (StatusCode::OK, json, "null").into_response(),
        "/bool" => (StatusCode::OK, json, "true").into_response(),
        "/string" => (StatusCode::OK, json, r#""hi""#).into_response(),
        "/text" => (StatusCode::OK, "hello").into_response(),
        "/missing" => (
            StatusCode::NOT_FOUND,
            json,
            r#"{"message":"no such thing"}"#,
        )
            .into_response(),
        _ => (StatusCode::OK, json, r#"{"ok":true}"#).into_response(),
    }
}

async fn start() -> (String, Log) {
    let log = Log::default();
    let app = Router::new().fallback(record).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, log)
}

const V1_JSON: &str = "application/json,text/*;q=0.99";
const V1_TEXT: &str =
    "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1";
const BROWSER: &str = "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7";

struct Case {
    name: &'static str,
    version: f64,
    /// Parameters; `URL/` in `url` stands for the server's base.
    parameters: Value,
    /// `METHOD path?query`, Accept, Content-Type, body.
    request: (&'static str, &'static str, &'static str, &'static str),
    items: Value,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "v1 GET defaults: one item whose json is the array",
            version: 1.0,
            parameters: json!({"url": "URL/array", "options": {}}),
            request: ("GET /array", V1_JSON, "", ""),
            items: json!([[{"n": 1}, {"n": 2}]]),
        },
        // The JSON bodies that are not objects, as n8n 2.41.1 output them (recorded): kept as
        // the item's `json`, except that `null` becomes `{}`.
        Case {
            name: "v1 a mixed array stays whole",
            version: 1.0,
            parameters: json!({"url": "URL/mixed", "options": {}}),
            request: ("GET /mixed", V1_JSON, "", ""),
            items: json!([[1, "a", null, {"x": 1}, [2]]]),
        },
        Case {
            name: "v2 a number body",
            version: 2.0,
            parameters: json!({"url": "URL/number", "options": {}}),
            request: ("GET /number", V1_JSON, "", ""),
            items: json!([42]),
        },
        Case {
            name: "v1 a null body is an empty item",
            version: 1.0,
            parameters: json!({"url": "URL/null", "options": {}}),
            request: ("GET /null", V1_JSON, "", ""),
            items: json!([{}]),
        },
        Case {
            name: "v4.2 a mixed array splits into items as they are, null as {}",
            version: 4.2,
            parameters: json!({"url": "URL/mixed", "options": {}}),
            request: ("GET /mixed", BROWSER, "", ""),
            items: json!([1, "a", {}, {"x": 1}, [2]]),
        },
        Case {
            name: "v4.2 a boolean body",
            version: 4.2,
            parameters: json!({"url": "URL/bool", "options": {}}),
            request: ("GET /bool", BROWSER, "", ""),
            items: json!([true]),
        },
        Case {
            name: "v1 splitIntoItems",
            version: 1.0,
            parameters: json!({"url": "URL/array", "options": {"splitIntoItems": true}}),
            request: ("GET /array", V1_JSON, "", ""),
            items: json!([{"n": 1}, {"n": 2}]),
        },
        Case {
            name: "v1 UI lists: repeated query names, lower-cased headers, JSON body",
            version: 1.0,
            parameters: json!({"url": "URL/obj", "requestMethod": "POST", "options": {},
                "queryParametersUi": {"parameter": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}, {"name": "b", "value": "x y"}]},
                "headerParametersUi": {"parameter": [{"name": "Accept", "value": "text/csv"}]},
                "bodyParametersUi": {"parameter": [{"name": "k", "value": "v"}]}}),
            request: (
                "POST /obj?a%5B%5D=1&a%5B%5D=2&b=x+y",
                "text/csv",
                "application/json",
                r#"{"k":"v"}"#,
            ),
            items: json!([{"ok": true}]),
        },
        Case {
            name: "v1 useQueryString repeats names",
            version: 1.0,
            parameters: json!({"url": "URL/obj", "options": {"useQueryString": true},
                "queryParametersUi": {"parameter": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}}),
            request: ("GET /obj?a=1&a=2", V1_JSON, "", ""),
            items: json!([{"ok": true}]),
        },
        Case {
            name: "v2 JSON parameters, form-urlencoded body",
            version: 2.0,
            parameters: json!({"url": "URL/obj", "requestMethod": "PUT", "jsonParameters": true,
                "options": {"bodyContentType": "form-urlencoded"},
                "queryParametersJson": "{\"q\": \"x\"}", "bodyParametersJson": "{\"a\": 1, \"b\": [\"x\"]}"}),
            request: (
                "PUT /obj?q=x",
                V1_JSON,
                "application/x-www-form-urlencoded",
                "a=1&b%5B0%5D=x",
            ),
            items: json!([{"ok": true}]),
        },
        Case {
            name: "v2 raw body with its MIME type, string response",
            version: 2.0,
            parameters: json!({"url": "URL/text", "requestMethod": "POST", "jsonParameters": true,
                "responseFormat": "string", "dataPropertyName": "page",
                "options": {"bodyContentType": "raw", "bodyContentCustomMimeType": "text/xml"},
                "bodyParametersJson": "<a/>"}),
            request: ("POST /text", V1_TEXT, "text/xml", "<a/>"),
            items: json!([{"page": "hello"}]),
        },
        Case {
            name: "v1 full response",
            version: 1.0,
            parameters: json!({"url": "URL/obj", "options": {"fullResponse": true}}),
            request: ("GET /obj", V1_JSON, "", ""),
            items: json!([{"body": {"ok": true}, "statusCode": 200, "statusMessage": "OK"}]),
        },
        Case {
            name: "v1 ignoreResponseCode",
            version: 1.0,
            parameters: json!({"url": "URL/missing", "options": {"ignoreResponseCode": true}}),
            request: ("GET /missing", V1_JSON, "", ""),
            items: json!([{"message": "no such thing"}]),
        },
        Case {
            name: "v3 splits arrays and sends the browser-like Accept",
            version: 3.0,
            parameters: json!({"url": "URL/array", "options": {}}),
            request: ("GET /array", BROWSER, "", ""),
            items: json!([{"n": 1}, {"n": 2}]),
        },
        Case {
            name: "v4.2 JSON body from fields",
            version: 4.2,
            parameters: json!({"url": "URL/obj", "method": "POST", "sendBody": true,
                "bodyParameters": {"parameters": [{"name": "a", "value": "b"}]}, "options": {}}),
            request: ("POST /obj", BROWSER, "application/json", r#"{"a":"b"}"#),
            items: json!([{"ok": true}]),
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_version_sends_n8ns_request_and_outputs_its_items() {
    let (base, log) = start().await;
    let home = WeftHome::new();
    for case in cases() {
        log.lock().unwrap().clear();
        let mut parameters = case.parameters;
        let url = parameters["url"].as_str().unwrap().replace("URL", &base);
        parameters["url"] = json!(url);
        let node = json!({"parameters": parameters, "type": "n8n-nodes-base.httpRequest",
            "typeVersion": case.version, "name": "HTTP Request"});
        let items = home
            .run_node(node)
            .unwrap_or_else(|error| panic!("{}: {error}", case.name));
        let mut json: Vec<Value> = items.iter().map(|item| item["json"].clone()).collect();
        for item in &mut json {
            if let Some(object) = item.as_object_mut() {
                object.remove("headers");
            }
        }
        assert_eq!(Value::Array(json), case.items, "{}", case.name);
        let (line, accept, content_type, body) = case.request;
        let seen = log.lock().unwrap().clone();
        assert_eq!(
            seen,
            vec![Seen {
                line: line.into(),
                accept: accept.into(),
                content_type: content_type.into(),
                body: body.into()
            }],
            "{}",
            case.name
        );
    }
}

/// n8n parses a JSON string body once more and fails on `"hi"`, naming the text format of the
/// typeVersion's editor (recorded with n8n 2.41.1).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_string_body_that_is_no_json_fails_as_n8n_fails() {
    let (base, _log) = start().await;
    let home = WeftHome::new();
    for (version, format) in [(1.0, "String"), (2.0, "String"), (4.2, "Text")] {
        let node = json!({"parameters": {"url": format!("{base}/string"), "options": {}},
            "type": "n8n-nodes-base.httpRequest", "typeVersion": version, "name": "HTTP Request"});
        let error = home.run_node(node).unwrap_err();
        let expected =
            format!("Response body is not valid JSON. Change \"Response Format\" to \"{format}\"");
        assert!(error.contains(&expected), "v{version}: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_is_n8ns_api_error_with_the_item_index_and_from_3_on_the_request() {
    let (base, _log) = start().await;
    let home = WeftHome::new();
    for (version, with_request) in [(1.0, false), (2.0, false), (3.0, true), (4.2, true)] {
        let node = json!({"parameters": {"url": format!("{base}/missing"), "options": {}},
            "type": "n8n-nodes-base.httpRequest", "typeVersion": version, "name": "HTTP Request"});
        let workflow = one_node_workflow(node);
        let file = home.path().join("workflow.json");
        std::fs::write(&file, workflow.to_string()).unwrap();
        let run = home.weft(&["run", "--raw-output", file.to_str().unwrap()]);
        assert!(!run.status.success(), "v{version}");
        let document: Value = serde_json::from_slice(&run.stdout).unwrap();
        let error = &document["error"];
        assert_eq!(
            error["message"],
            "The resource you are requesting could not be found"
        );
        assert_eq!(error["description"], "no such thing");
        assert_eq!(error["httpCode"], "404");
        assert_eq!(error["context"]["itemIndex"], 0, "v{version}: {error}");
        assert_eq!(
            error["context"]["request"].is_object(),
            with_request,
            "v{version}: {error}"
        );
        if with_request {
            let request = &error["context"]["request"];
            assert_eq!(request["method"], "GET");
            assert_eq!(request["headers"], json!({"accept": BROWSER}));
            assert_eq!(request["timeout"], 300_000.0);
            assert_eq!(request["followRedirect"], version >= 4.0);
        }
    }
}
