//! HTTP Request's file responses, run by the real `weft` binary against a server on 127.0.0.1:
//! per typeVersion and response shape, the binary property's metadata as n8n 2.41.1 recorded it
//! for the same downloads from a local server (file name from `Content-Disposition` or the
//! URL, `directory` only when redirects are followed, `setFilename` from typeVersion 3 on), its
//! content, and the item's JSON (the input's, or the full response's status and headers).

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use weft_tests::WeftHome;

/// The start of a PNG (only its length and type show).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
const TEXT: &str = "hello from weft\nsecond line\n";

/// `/pic.png` and `/` a PNG, `/notes.txt` text, `/download` a CSV with a Content-Disposition
/// name, `/export…` a CSV, `/moved` a redirect to `/pic.png`.
async fn serve(uri: Uri) -> Response {
    let typed = |content_type: &'static str, body: Vec<u8>| {
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    match uri.path() {
        "/" | "/pic.png" => typed("image/png", PNG.to_vec()),
        "/notes.txt" => typed("text/plain", TEXT.into()),
        "/download" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"report.csv\"",
                ),
            ],
            "id,name\n1,a\n",
        )
            .into_response(),
        "/moved" => (StatusCode::FOUND, [(header::LOCATION, "/pic.png")]).into_response(),
        path if path.starts_with("/export") => typed("text/csv", b"a,b\n".to_vec()),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().fallback(serve);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

struct Case {
    name: &'static str,
    version: f64,
    /// Parameters; `URL` stands for the server's base.
    parameters: Value,
    /// The binary property's name.
    property: &'static str,
    /// Its metadata as n8n recorded it (`URL` for the base), without `data`.
    metadata: Value,
    /// Its content.
    content: &'static [u8],
}

fn file_option(response: Value) -> Value {
    json!({"response": {"response": response}})
}

fn cases() -> Vec<Case> {
    let png = |extra: Value| {
        let mut metadata = json!({"mimeType": "image/png", "fileType": "image",
            "fileExtension": "png", "fileSize": format!("{} B", PNG.len()), "bytes": PNG.len()});
        metadata
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        metadata
    };
    vec![
        Case {
            name: "4.2: named after the URL, the URL as directory",
            version: 4.2,
            parameters: json!({"url": "URL/pic.png", "options": file_option(json!({"responseFormat": "file"}))}),
            property: "data",
            metadata: png(json!({"directory": "URL/pic.png", "fileName": "pic.png"})),
            content: PNG,
        },
        Case {
            name: "4.2: autodetect reads an image as a file",
            version: 4.2,
            parameters: json!({"url": "URL/pic.png", "options": {}}),
            property: "data",
            metadata: png(json!({"directory": "URL/pic.png", "fileName": "pic.png"})),
            content: PNG,
        },
        Case {
            name: "4.2: a redirect's target names the file",
            version: 4.2,
            parameters: json!({"url": "URL/moved", "options": file_option(json!({"responseFormat": "file"}))}),
            property: "data",
            metadata: png(json!({"directory": "URL/pic.png", "fileName": "pic.png"})),
            content: PNG,
        },
        Case {
            name: "4.2: Content-Disposition's name and Content-Type without its charset",
            version: 4.2,
            parameters: json!({"url": "URL/download?id=1", "options": file_option(json!({"responseFormat": "file"}))}),
            property: "data",
            metadata: json!({"mimeType": "text/csv", "fileType": "text", "fileExtension": "csv",
                "directory": "URL/download?id=1", "fileName": "report.csv", "fileSize": "12 B", "bytes": 12}),
            content: b"id,name\n1,a\n",
        },
        Case {
            name: "4.2: the node's query shows in the directory, not in the name",
            version: 4.2,
            parameters: json!({"url": "URL/export", "sendQuery": true,
                "queryParameters": {"parameters": [{"name": "q", "value": "1"}]},
                "options": file_option(json!({"responseFormat": "file"}))}),
            property: "data",
            metadata: json!({"mimeType": "text/csv", "fileType": "text", "fileExtension": "csv",
                "directory": "URL/export?q=1", "fileName": "export", "fileSize": "4 B", "bytes": 4}),
            content: b"a,b\n",
        },
        Case {
            name: "4.2 without redirects: the request's path and query name it, no directory",
            version: 4.2,
            parameters: json!({"url": "URL/export?x=1", "options": {
                "response": {"response": {"responseFormat": "file"}},
                "redirect": {"redirect": {"followRedirects": false}}}}),
            property: "data",
            metadata: json!({"mimeType": "text/csv", "fileType": "text", "fileExtension": "csv",
                "fileName": "export?x=1", "fileSize": "4 B", "bytes": 4}),
            content: b"a,b\n",
        },
        Case {
            name: "3 (no redirects): the extension after the last dot, query and all",
            version: 3.0,
            parameters: json!({"url": "URL/export.csv?x=1", "options": file_option(json!({"responseFormat": "file"}))}),
            property: "data",
            metadata: json!({"mimeType": "text/csv", "fileType": "text", "fileExtension": "csv?x=1",
                "fileName": "export.csv?x=1", "fileSize": "4 B", "bytes": 4}),
            content: b"a,b\n",
        },
        Case {
            name: "4.3: an unnamed file is named after the output field",
            version: 4.3,
            parameters: json!({"url": "URL/", "options": file_option(json!({"responseFormat": "file", "outputPropertyName": "img"}))}),
            property: "img",
            metadata: png(json!({"fileName": "img.png"})),
            content: PNG,
        },
        Case {
            name: "2: dataPropertyName",
            version: 2.0,
            parameters: json!({"url": "URL/pic.png", "responseFormat": "file", "dataPropertyName": "img", "options": {}}),
            property: "img",
            metadata: png(json!({"directory": "URL/pic.png", "fileName": "pic.png"})),
            content: PNG,
        },
        Case {
            name: "1: an unnamed file stays unnamed",
            version: 1.0,
            parameters: json!({"url": "URL/", "responseFormat": "file", "options": {}}),
            property: "data",
            metadata: png(json!({})),
            content: PNG,
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_responses_become_binary_properties_as_n8n_makes_them() {
    let base = start().await;
    let home = WeftHome::new();
    for case in cases() {
        let mut parameters = case.parameters;
        let url = parameters["url"].as_str().unwrap().replace("URL", &base);
        parameters["url"] = json!(url);
        let node = json!({"parameters": parameters, "type": "n8n-nodes-base.httpRequest",
            "typeVersion": case.version, "name": "HTTP Request"});
        let items = home
            .run_node(node)
            .unwrap_or_else(|error| panic!("{}: {error}", case.name));
        let [item] = items.as_slice() else {
            panic!("{}: {items:?}", case.name)
        };
        assert_eq!(item["json"], json!({}), "{}: the input's JSON", case.name);
        let mut binary = item["binary"][case.property].clone();
        let data = binary
            .as_object_mut()
            .and_then(|binary| binary.remove("data"))
            .unwrap_or_else(|| panic!("{}: {item}", case.name));
        assert_eq!(
            STANDARD.decode(data.as_str().unwrap()).unwrap(),
            case.content,
            "{}",
            case.name
        );
        let expected: Value =
            serde_json::from_str(&case.metadata.to_string().replace("URL", &base)).unwrap();
        assert_eq!(binary, expected, "{}", case.name);
    }
}

/// A full response puts status and headers into the JSON (no `body`), in typeVersion 1 as in 4.2;
/// a second download keeps the first one's binary property.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_responses_and_input_files_are_kept_beside_the_download() {
    let base = start().await;
    let home = WeftHome::new();
    let download = |name: &str, version: f64, parameters: Value| {
        json!({"parameters": parameters, "type": "n8n-nodes-base.httpRequest",
            "typeVersion": version, "name": name, "position": [0, 0]})
    };
    let workflow = json!({
        "name": "two downloads",
        "nodes": [
            {"parameters": {}, "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
             "position": [0, 0], "name": "Start"},
            download("Picture", 1.0, json!({"url": format!("{base}/pic.png"),
                "responseFormat": "file", "dataPropertyName": "picture", "options": {}})),
            download("Notes", 4.2, json!({"url": format!("{base}/notes.txt"), "options":
                file_option(json!({"responseFormat": "file", "fullResponse": true, "outputPropertyName": "doc"}))})),
        ],
        "connections": {
            "Start": {"main": [[{"node": "Picture", "type": "main", "index": 0}]]},
            "Picture": {"main": [[{"node": "Notes", "type": "main", "index": 0}]]}
        },
        "settings": {"executionOrder": "v1"}
    });
    let run = home.run_workflow(&workflow);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();
    let [item] = items.as_slice() else {
        panic!("{items:?}")
    };
    let json = &item["json"];
    assert_eq!(
        json.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["headers", "statusCode", "statusMessage"],
        "{json}"
    );
    assert_eq!(
        (&json["statusCode"], &json["statusMessage"]),
        (&json!(200), &json!("OK"))
    );
    assert_eq!(json["headers"]["content-type"], "text/plain");
    let binary = item["binary"].as_object().unwrap();
    assert_eq!(binary.keys().collect::<Vec<_>>(), ["doc", "picture"]);
    assert_eq!(binary["picture"]["fileName"], "pic.png");
    assert_eq!(binary["doc"]["fileName"], "notes.txt");
    assert_eq!(binary["doc"]["mimeType"], "text/plain");
    assert_eq!(
        STANDARD
            .decode(binary["doc"]["data"].as_str().unwrap())
            .unwrap(),
        TEXT.as_bytes()
    );
}
