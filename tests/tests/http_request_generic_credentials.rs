//! The HTTP Request node with n8n's generic credential types (`genericCredentialType` with
//! `genericAuthType`, and typeVersion 1's `basicAuth`/`headerAuth`/`queryAuth`), run by the real
//! `weft` binary against a recording server on 127.0.0.1: per type, the exact request (request
//! line with the query in order, the authentication header, the body), and canary secrets absent
//! from every output (`weft run`, `--raw-output`, trace logs, `weft credentials list|test`) and
//! from the store's files.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use base64::Engine;
use serde_json::{Value, json};
use weft_tests::{WeftHome, one_node_workflow};

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    line: String,
    headers: HeaderMap,
    body: String,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Records the request; `/missing` answers 404, `/redirect/<status>?to=<url>` redirects to
/// `<url>` with that status, `/hops/<n>` redirects to `/hops/<n - 1>` down to `/hops/0`,
/// anything else answers `{"ok":true}`.
async fn record(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    log.lock().unwrap().push(Seen {
        line: format!("{method} {uri}"),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    if let Some(status) = uri.path().strip_prefix("/redirect/") {
        let query = uri.query().unwrap_or_default();
        let to = query.split('&').find_map(|pair| pair.strip_prefix("to="));
        let to = to.unwrap_or_default().to_owned();
        let status = StatusCode::from_bytes(status.as_bytes()).unwrap();
        return (status, [(header::LOCATION, to)], "").into_response();
    }
    if let Some(left) = uri
        .path()
        .strip_prefix("/hops/")
        .and_then(|n| n.parse::<u32>().ok())
        && left > 0
    {
        let to = format!("/hops/{}", left - 1);
        return (StatusCode::FOUND, [(header::LOCATION, to)], "").into_response();
    }
    let json = [(header::CONTENT_TYPE, "application/json")];
    match uri.path() {
        "/missing" => (
            StatusCode::NOT_FOUND,
            json,
            r#"{"message":"no such thing"}"#,
        ),
        _ => (StatusCode::OK, json, r#"{"ok":true}"#),
    }
    .into_response()
}

async fn start() -> (String, Log) {
    let log = Log::default();
    let app = Router::new().fallback(record).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, log)
}

/// Every secret below contains it.
const CANARY: &str = "canary-7f3a";

/// The stored credentials, one per type (n8n's export rows).
fn credentials() -> Value {
    json!([
        {"id": "hdr", "name": "header", "type": "httpHeaderAuth",
         "data": {"name": "X-Api-Key", "value": format!("{CANARY}-header")}},
        {"id": "bas", "name": "basic", "type": "httpBasicAuth",
         "data": {"user": "aladdin", "password": format!("{CANARY}-basic")}},
        {"id": "qry", "name": "query", "type": "httpQueryAuth",
         "data": {"name": "api_key", "value": format!("{CANARY} q/+&")}},
        {"id": "brr", "name": "bearer", "type": "httpBearerAuth",
         "data": {"token": format!("{CANARY}-bearer")}},
        {"id": "cst", "name": "custom", "type": "httpCustomAuth",
         "data": {"json": format!(
            r#"{{"headers": {{"X-Custom": "{CANARY}-h", "X-Number": 7}}, "qs": {{"c": "{CANARY}-q"}}, "body": {{"k": "{CANARY}-b", "n": {{"deep": true}}}}}}"#)}},
        {"id": "dom", "name": "restricted", "type": "httpHeaderAuth",
         "data": {"name": "X-Api-Key", "value": format!("{CANARY}-restricted"),
                  "allowedHttpRequestDomains": "domains", "allowedDomains": "api.example.com, *.example.org"}}
    ])
}

/// An HTTP Request node of `version` with `parameters` (`URL/` in `url` is the server's base)
/// and the credential `id` of `credential_type`.
fn node(version: f64, parameters: &Value, credential_type: &str, id: &str, base: &str) -> Value {
    let mut parameters = parameters.clone();
    let url = parameters["url"]
        .as_str()
        .unwrap()
        .replace("URL/", &format!("{base}/"));
    parameters["url"] = json!(url);
    json!({"parameters": parameters, "type": "n8n-nodes-base.httpRequest",
           "typeVersion": version, "name": "HTTP Request",
           "credentials": {credential_type: {"id": id, "name": id}}})
}

fn generic(auth_type: &str, mut parameters: Value) -> Value {
    parameters["authentication"] = json!("genericCredentialType");
    parameters["genericAuthType"] = json!(auth_type);
    parameters
}

struct Case {
    name: &'static str,
    version: f64,
    credential_type: &'static str,
    id: &'static str,
    parameters: Value,
    /// `METHOD path?query` as the server saw it.
    line: String,
    /// Headers the request must carry (lower-case names).
    headers: Vec<(&'static str, String)>,
    /// The body, when the request has one.
    body: &'static str,
}

fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn cases() -> Vec<Case> {
    let node_query =
        |pairs: Value| json!({"sendQuery": true, "queryParameters": {"parameters": pairs}});
    let with = |mut base: Value, extra: Value| {
        for (key, value) in extra.as_object().unwrap() {
            base[key] = value.clone();
        }
        base
    };
    let query_value = "canary-7f3a+q%2F%2B%26";
    vec![
        Case {
            name: "header auth replaces the node's header of the same name (any case)",
            version: 4.2,
            credential_type: "httpHeaderAuth",
            id: "hdr",
            parameters: generic(
                "httpHeaderAuth",
                with(
                    json!({"url": "URL/a?u=1", "options": {}, "sendHeaders": true,
                       "headerParameters": {"parameters": [{"name": "x-api-key", "value": "node"}, {"name": "x-other", "value": "kept"}]}}),
                    node_query(json!([{"name": "q", "value": "1"}])),
                ),
            ),
            line: "GET /a?u=1&q=1".into(),
            headers: vec![
                ("x-api-key", format!("{CANARY}-header")),
                ("x-other", "kept".into()),
            ],
            body: "",
        },
        Case {
            name: "basic auth replaces the node's Authorization header",
            version: 4.2,
            credential_type: "httpBasicAuth",
            id: "bas",
            parameters: generic(
                "httpBasicAuth",
                json!({"url": "URL/b", "options": {}, "sendHeaders": true,
                "headerParameters": {"parameters": [{"name": "Authorization", "value": "node"}]}}),
            ),
            line: "GET /b".into(),
            headers: vec![(
                "authorization",
                basic("aladdin", &format!("{CANARY}-basic")),
            )],
            body: "",
        },
        Case {
            name: "query auth goes after the node's parameters",
            version: 4.2,
            credential_type: "httpQueryAuth",
            id: "qry",
            parameters: generic(
                "httpQueryAuth",
                with(
                    json!({"url": "URL/c", "options": {}}),
                    node_query(json!([{"name": "q", "value": "1"}, {"name": "r", "value": "x y"}])),
                ),
            ),
            line: format!("GET /c?q=1&r=x+y&api_key={query_value}"),
            headers: vec![],
            body: "",
        },
        Case {
            name: "query auth replaces the node's parameter of the same name in place",
            version: 3.0,
            credential_type: "httpQueryAuth",
            id: "qry",
            parameters: generic(
                "httpQueryAuth",
                with(
                    json!({"url": "URL/c", "options": {}}),
                    node_query(
                        json!([{"name": "api_key", "value": "node"}, {"name": "q", "value": "1"}]),
                    ),
                ),
            ),
            line: format!("GET /c?api_key={query_value}&q=1"),
            headers: vec![],
            body: "",
        },
        Case {
            name: "bearer auth",
            version: 4.3,
            credential_type: "httpBearerAuth",
            id: "brr",
            parameters: generic("httpBearerAuth", json!({"url": "URL/d", "options": {}})),
            line: "GET /d".into(),
            headers: vec![("authorization", format!("Bearer {CANARY}-bearer"))],
            body: "",
        },
        Case {
            name: "custom auth merges headers, qs and body into the node's",
            version: 4.2,
            credential_type: "httpCustomAuth",
            id: "cst",
            parameters: generic(
                "httpCustomAuth",
                with(
                    json!({"url": "URL/e", "method": "POST", "options": {}, "sendBody": true,
                       "specifyBody": "json", "jsonBody": "{\"a\": 1, \"k\": \"node\"}"}),
                    node_query(json!([{"name": "q", "value": "1"}])),
                ),
            ),
            line: "POST /e?q=1&c=canary-7f3a-q".into(),
            headers: vec![
                ("x-custom", format!("{CANARY}-h")),
                ("x-number", "7".into()),
                ("content-type", "application/json".into()),
            ],
            body: r#"{"a":1,"k":"canary-7f3a-b","n":{"deep":true}}"#,
        },
        Case {
            name: "custom auth gives a GET without a body a JSON body, as n8n does",
            version: 4.2,
            credential_type: "httpCustomAuth",
            id: "cst",
            parameters: generic("httpCustomAuth", json!({"url": "URL/f", "options": {}})),
            line: "GET /f?c=canary-7f3a-q".into(),
            headers: vec![("content-type", "application/json".into())],
            body: r#"{"k":"canary-7f3a-b","n":{"deep":true}}"#,
        },
        Case {
            name: "v1 basicAuth",
            version: 1.0,
            credential_type: "httpBasicAuth",
            id: "bas",
            parameters: json!({"url": "URL/g", "authentication": "basicAuth", "options": {}}),
            line: "GET /g".into(),
            headers: vec![(
                "authorization",
                basic("aladdin", &format!("{CANARY}-basic")),
            )],
            body: "",
        },
        Case {
            name: "v1 headerAuth",
            version: 1.0,
            credential_type: "httpHeaderAuth",
            id: "hdr",
            parameters: json!({"url": "URL/h", "authentication": "headerAuth", "options": {}}),
            line: "GET /h".into(),
            headers: vec![("x-api-key", format!("{CANARY}-header"))],
            body: "",
        },
        Case {
            name: "v1 queryAuth after the node's query parameters",
            version: 1.0,
            credential_type: "httpQueryAuth",
            id: "qry",
            parameters: json!({"url": "URL/i", "authentication": "queryAuth", "options": {},
                "queryParametersUi": {"parameter": [{"name": "q", "value": "1"}]}}),
            line: format!("GET /i?q=1&api_key={query_value}"),
            headers: vec![],
            body: "",
        },
    ]
}

/// No output and no store file holds the canary.
fn assert_no_canary(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "{what} shows a canary secret: {}",
        String::from_utf8_lossy(bytes)
    );
}

fn assert_no_canary_in_the_store(home: &WeftHome) {
    for (name, bytes) in home.store_files() {
        assert_no_canary(&name, &bytes);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_generic_type_sends_exactly_what_n8n_sends_and_no_output_shows_its_secret() {
    let (base, log) = start().await;
    let home = WeftHome::new().logging("trace");
    home.import(&credentials());
    let workflow_file = home.path().join("workflow.json");
    let workflow_path = workflow_file.to_string_lossy().into_owned();

    for case in cases() {
        let workflow = one_node_workflow(node(
            case.version,
            &case.parameters,
            case.credential_type,
            case.id,
            &base,
        ));
        std::fs::write(&workflow_file, workflow.to_string()).unwrap();
        for args in [
            vec!["run", &workflow_path],
            vec!["run", "--raw-output", &workflow_path],
        ] {
            let seen_before = log.lock().unwrap().len();
            let run = home.weft(&args);
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(run.status.success(), "{}: {stderr}", case.name);
            assert_no_canary(&format!("{}: stdout of {args:?}", case.name), &run.stdout);
            assert_no_canary(&format!("{}: stderr of {args:?}", case.name), &run.stderr);

            let seen: Vec<Seen> = log.lock().unwrap()[seen_before..].to_vec();
            let [request] = seen.as_slice() else {
                panic!("{}: one request, got {seen:?}", case.name)
            };
            assert_eq!(request.line, case.line, "{}", case.name);
            for (name, value) in &case.headers {
                let all: Vec<&str> = request
                    .headers
                    .get_all(*name)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .collect();
                assert_eq!(all, [value.as_str()], "{}: header {name}", case.name);
            }
            assert_eq!(request.body, case.body, "{}", case.name);
        }
        if case.version >= 4.0 {
            let items: Vec<Value> = {
                let run = home.weft(&["run", &workflow_path]);
                serde_json::from_slice(&run.stdout).unwrap()
            };
            assert_eq!(items[0]["json"], json!({"ok": true}), "{}", case.name);
        }
    }
    assert_no_canary_in_the_store(&home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_request_and_a_refused_domain_show_no_secret() {
    let (base, log) = start().await;
    let home = WeftHome::new().logging("trace");
    home.import(&credentials());

    let cases = [
        ("httpCustomAuth", "cst", "URL/missing", "404"),
        (
            "httpHeaderAuth",
            "dom",
            "URL/x",
            "Domain not allowed: This credential is restricted from accessing 127.0.0.1:",
        ),
        // No answer at all: reqwest's error names the URL, which by then carries the
        // credential's query parameter.
        (
            "httpQueryAuth",
            "qry",
            "http://127.0.0.1:9/x",
            "The service refused the connection",
        ),
    ];
    for (credential_type, id, url, told) in cases {
        let parameters = generic(credential_type, json!({"url": url, "options": {}}));
        let workflow = one_node_workflow(node(4.2, &parameters, credential_type, id, &base));
        let seen_before = log.lock().unwrap().len();
        for raw in [false, true] {
            let file = home.path().join("failing.json");
            std::fs::write(&file, workflow.to_string()).unwrap();
            let file = file.to_string_lossy().into_owned();
            let mut args = vec!["run"];
            if raw {
                args.push("--raw-output");
            }
            args.push(&file);
            let run = home.weft(&args);
            assert_eq!(run.status.code(), Some(1), "{id}");
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            );
            assert!(said.contains(told), "{id}: {said}");
            assert_no_canary(id, said.as_bytes());
        }
        let sent = log.lock().unwrap().len() - seen_before;
        assert_eq!(sent, if id == "cst" { 2 } else { 0 }, "{id}: requests sent");
    }
    assert_no_canary_in_the_store(&home);
}

/// A redirect takes a request to another origin (another port of 127.0.0.1): the credential and
/// the node's own `Authorization` stay behind, while a redirect within the origin keeps them
/// (and passes the credential's rules again). reqwest's own redirects kept custom headers such as
/// `X-Api-Key` and, on 307/308, Custom Auth's body fields.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_origin_carries_no_credential() {
    let (base, log) = start().await;
    let (elsewhere, elsewhere_log) = start().await;
    let home = WeftHome::new().logging("trace");
    home.import(&credentials());
    let workflow_file = home.path().join("workflow.json");
    let workflow_path = workflow_file.to_string_lossy().into_owned();
    let node_authorization = json!({"sendHeaders": true, "headerParameters": {"parameters":
        [{"name": "Authorization", "value": format!("{CANARY}-typed")}]}});
    let cases = [
        ("httpHeaderAuth", "hdr", "GET", "307", "x-api-key"),
        ("httpHeaderAuth", "hdr", "POST", "303", "x-api-key"),
        ("httpBearerAuth", "brr", "GET", "302", "authorization"),
        ("httpCustomAuth", "cst", "POST", "308", "x-custom"),
        ("httpQueryAuth", "qry", "GET", "301", "authorization"),
    ];
    for (credential_type, id, method, status, credential_header) in cases {
        for (target, same_origin) in [(&elsewhere, false), (&base, true)] {
            let to = format!("{target}/landing");
            let mut parameters = generic(
                credential_type,
                json!({"url": format!("URL/redirect/{status}?to={to}"), "method": method,
                       "options": {}, "sendBody": method == "POST", "specifyBody": "json",
                       "jsonBody": "{\"a\": 1}"}),
            );
            if credential_type == "httpQueryAuth" {
                parameters["sendHeaders"] = node_authorization["sendHeaders"].clone();
                parameters["headerParameters"] = node_authorization["headerParameters"].clone();
            }
            let workflow = one_node_workflow(node(4.2, &parameters, credential_type, id, &base));
            std::fs::write(&workflow_file, workflow.to_string()).unwrap();
            let before = (
                log.lock().unwrap().len(),
                elsewhere_log.lock().unwrap().len(),
            );
            let run = home.weft(&["run", &workflow_path]);
            let what = format!("{credential_type} {method} {status} same origin: {same_origin}");
            assert!(
                run.status.success(),
                "{what}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            assert_no_canary(&what, &run.stdout);
            assert_no_canary(&what, &run.stderr);

            let first = log.lock().unwrap()[before.0].clone();
            assert!(
                first.line.starts_with(&format!("{method} /redirect/")),
                "{what}: {first:?}"
            );
            let landing = if same_origin {
                log.lock().unwrap()[before.0 + 1..].to_vec()
            } else {
                elsewhere_log.lock().unwrap()[before.1..].to_vec()
            };
            let [landing] = landing.as_slice() else {
                panic!("{what}: one request at the target, got {landing:?}")
            };
            let redirected_method = if matches!(status, "307" | "308") {
                method
            } else {
                "GET"
            };
            assert!(
                landing
                    .line
                    .starts_with(&format!("{redirected_method} /landing")),
                "{what}: {landing:?}"
            );
            let carried = |seen: &Seen| {
                format!("{} {:?} {}", seen.line, seen.headers, seen.body).contains(CANARY)
            };
            assert!(
                carried(&first),
                "{what}: the first request is authenticated"
            );
            assert_eq!(carried(landing), same_origin, "{what}: {landing:?}");
            if !same_origin {
                assert!(
                    landing.headers.get(credential_header).is_none(),
                    "{what}: {landing:?}"
                );
            }
        }
    }
}

/// Which redirects HTTP Request follows, per typeVersion and options, as n8n's request options
/// and HTTP client decide: typeVersion 1's GET/HEAD-only default and `followAllRedirects`, 3's
/// none unless `options.redirect` turns them on, 4's all unless it turns them off, and
/// `maxRedirects`. A redirect not followed is the answer (a 302, so the
/// node fails).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_request_follows_redirects_as_each_type_version_does() {
    let (base, log) = start().await;
    let home = WeftHome::new();
    let workflow_file = home.path().join("workflow.json");
    let workflow_path = workflow_file.to_string_lossy().into_owned();
    let redirect = |follow: Value, max: Value| json!({"redirect": {"redirect": {"followRedirects": follow, "maxRedirects": max}}});
    let cases = [
        (4.2, "GET", json!({}), 3, Some(3)),
        (4.2, "POST", json!({}), 1, Some(1)),
        (
            4.2,
            "GET",
            json!({"redirect": {"redirect": {}}}),
            1,
            Some(1),
        ),
        (
            3.0,
            "GET",
            json!({"redirect": {"redirect": {}}}),
            1,
            Some(0),
        ),
        (4.2, "GET", redirect(json!(false), json!(21)), 1, Some(0)),
        (4.2, "GET", redirect(json!(true), json!(2)), 2, Some(2)),
        (4.2, "GET", redirect(json!(true), json!(2)), 3, None),
        (3.0, "GET", json!({}), 1, Some(0)),
        (3.0, "GET", redirect(json!(true), json!(21)), 1, Some(1)),
        (1.0, "GET", json!({}), 1, Some(1)),
        (1.0, "POST", json!({}), 1, Some(0)),
        (1.0, "POST", json!({"followAllRedirects": true}), 1, Some(1)),
        (1.0, "GET", json!({"followRedirect": false}), 1, Some(0)),
    ];
    for (version, method, options, hops, followed) in cases {
        let method_parameter = if version < 2.0 {
            "requestMethod"
        } else {
            "method"
        };
        let parameters = json!({"url": format!("{base}/hops/{hops}"), method_parameter: method,
                                "options": options});
        let workflow = one_node_workflow(json!({"parameters": parameters, "name": "HTTP Request",
            "type": "n8n-nodes-base.httpRequest", "typeVersion": version}));
        std::fs::write(&workflow_file, workflow.to_string()).unwrap();
        let before = log.lock().unwrap().len();
        let run = home.weft(&["run", &workflow_path]);
        let what = format!("v{version} {method} {options} over {hops} redirects");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let sent = log.lock().unwrap().len() - before;
        match followed {
            Some(followed) => {
                assert_eq!(sent, followed + 1, "{what}: requests sent");
                assert_eq!(run.status.success(), followed == hops, "{what}: {stderr}");
            }
            None => {
                assert_eq!(run.status.code(), Some(1), "{what}");
                let said = format!("{}{stderr}", String::from_utf8_lossy(&run.stdout));
                assert!(
                    said.contains("Maximum number of redirects exceeded"),
                    "{what}: {said}"
                );
            }
        }
    }
}

#[test]
fn credentials_add_list_and_test_work_for_static_types_without_a_server() {
    let home = WeftHome::new();
    let data = home.path().join("bearer.json");
    std::fs::write(
        &data,
        json!({"token": format!("{CANARY}-added")}).to_string(),
    )
    .unwrap();
    let data = data.to_string_lossy().into_owned();
    let added = home.weft(&[
        "credentials",
        "add",
        "--type",
        "httpBearerAuth",
        "--name",
        "api",
        "--data",
        &data,
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    home.import(&credentials());

    let listed = home.weft(&["credentials", "list"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    for name in [
        "api",
        "header",
        "basic",
        "query",
        "bearer",
        "custom",
        "restricted",
    ] {
        assert!(text.contains(name), "{name} listed: {text}");
    }
    assert_no_canary("list", &listed.stdout);

    for name in ["api", "header", "custom"] {
        let tested = home.weft(&["credentials", "test", name]);
        let stdout = String::from_utf8_lossy(&tested.stdout);
        assert!(
            tested.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&tested.stderr)
        );
        assert!(
            stdout.contains("is valid as data; it was not tested against a server"),
            "{name}: {stdout}"
        );
        assert_no_canary(name, &tested.stdout);
        assert_no_canary(name, &tested.stderr);
    }

    // Custom Auth JSON that does not parse is refused at import, naming the field only.
    let bad = json!([{"id": "bad", "name": "bad", "type": "httpCustomAuth",
                      "data": {"json": format!("{{\"headers\": {{\"k\": \"{CANARY}\"}}")}}]);
    let file = home.path().join("bad.json");
    std::fs::write(&file, bad.to_string()).unwrap();
    let refused = home.weft(&["credentials", "import", &file.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("data.json: is not valid JSON"), "{stderr}");
    assert_no_canary("import", &refused.stderr);
    assert_no_canary_in_the_store(&home);
}
