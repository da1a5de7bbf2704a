//! `weft start` serving n8n Form Triggers at `/form/<path>`, with the real binary and real HTTP:
//! the page of every field type with the workflow's texts escaped and its HTML cleaned, a
//! multipart submission with a file and a URL-encoded one turned into n8n's item (read back
//! through a Respond to Webhook node), a submission missing a required field refused with 400
//! and no run, and the answers of each response mode (the submitted page, a redirect, after the
//! run). The wild workflow's empty field `{}` is checked by the wild-workflows snapshot.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use weft_tests::{WeftHome, WeftStart};

fn node(name: &str, type_name: &str, version: f64, parameters: Value) -> Value {
    json!({"id": name, "name": name, "type": type_name, "typeVersion": version,
           "position": [0, 0], "parameters": parameters})
}

/// A form at typeVersion `version` → `next` (if any).
fn workflow(id: &str, version: f64, parameters: Value, next: Option<Value>) -> Value {
    let mut form = node("Form", "n8n-nodes-base.formTrigger", version, parameters);
    form["webhookId"] = json!(format!("id-{id}"));
    let mut nodes = vec![form];
    let mut connections = json!({});
    if let Some(next) = next {
        connections =
            json!({"Form": {"main": [[{"node": next["name"], "type": "main", "index": 0}]]}});
        nodes.push(next);
    }
    json!({"id": id, "name": id, "nodes": nodes, "connections": connections,
           "settings": {"executionOrder": "v1", "timezone": "Europe/Paris"}})
}

/// Every field type, with texts that need escaping.
fn fields() -> Value {
    let options = json!({"values": [{"option": "A & B"}, {"option": "<C>"}]});
    json!({"values": [
        {"fieldLabel": "<i>Name</i>", "requiredField": true, "placeholder": "\"quoted\""},
        {"fieldLabel": "Age", "fieldType": "number"},
        {"fieldLabel": "Mail", "fieldType": "email"},
        {"fieldLabel": "Secret", "fieldType": "password"},
        {"fieldLabel": "Day", "fieldType": "date"},
        {"fieldLabel": "About", "fieldType": "textarea"},
        {"fieldLabel": "Pick", "fieldType": "dropdown", "fieldOptions": options},
        {"fieldLabel": "Many", "fieldType": "checkbox", "fieldOptions": options},
        {"fieldLabel": "One", "fieldType": "radio", "fieldOptions": options},
        {"fieldLabel": "Your CV", "fieldType": "file", "multipleFiles": false},
        {"fieldType": "hiddenField", "fieldName": "source", "fieldValue": "web"},
        {"fieldType": "html", "html": "<p onclick=\"x()\">Hi<script>alert(1)</script></p>"},
        {}
    ]})
}

/// Answers with the item the form made: its JSON and the names of its files.
fn echo() -> Value {
    node(
        "Echo",
        "n8n-nodes-base.respondToWebhook",
        1.1,
        json!({"respondWith": "json",
               "responseBody": "={{ JSON.stringify({json: $json, files: Object.keys($input.first().binary || {})}) }}",
               "options": {}}),
    )
}

/// `weft start` on `workflows`, once it serves.
async fn start(home: &WeftHome, workflows: &[Value]) -> WeftStart {
    WeftStart::serving(home, workflows, "/form").await
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_page_shows_every_field_with_the_workflows_texts_escaped() {
    let home = WeftHome::new();
    let parameters = json!({"formTitle": "<Ask & \"Tell\">", "path": "ask",
        "formDescription": "Line one\\nline <b>two</b><script>alert(1)</script><img src=x onerror=alert(2)>",
        "formFields": fields(), "responseMode": "responseNode", "options": {"buttonLabel": "Send <it>"}});
    let started = start(&home, &[workflow("page", 2.1, parameters, Some(echo()))]).await;
    let response = no_redirects()
        .get(format!("{}/ask?source=ad", started.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    let page = response.text().await.unwrap();
    for expected in [
        "<title>&lt;Ask&#32;&amp;&#32;&quot;Tell&quot;&gt;</title>",
        "Line one\nline <b>two</b>",
        "&lt;i&gt;Name&lt;&#47;i&gt;",
        "placeholder=\"&quot;quoted&quot;\"",
        "type=\"number\"",
        "type=\"email\"",
        "type=\"password\"",
        "type=\"date\"",
        "<textarea id=\"field-5\" name=\"field-5\"",
        "<select id=\"field-6\" name=\"field-6\">",
        "<option value=\"A&#32;&amp;&#32;B\">A&#32;&amp;&#32;B</option>",
        "<option value=\"&lt;C&gt;\">&lt;C&gt;</option>",
        "type=\"checkbox\" id=\"option0_field-7\" name=\"field-7\"",
        "type=\"radio\" id=\"option1_field-8\" name=\"field-8\"",
        "type=\"file\" id=\"field-9\" name=\"field-9\"",
        // The query string fills a field by its key, as n8n does.
        "<input type=\"hidden\" name=\"field-10\" value=\"ad\">",
        "<p>Hi</p>",
        "enctype=\"multipart/form-data\"",
        "Send&#32;&lt;it&gt;</button>",
        "Form automated with",
    ] {
        assert!(page.contains(expected), "{expected} not in {page}");
    }
    for absent in ["<script", "onerror", "onclick", "alert(", "<it>"] {
        assert!(!page.contains(absent), "{absent} in {page}");
    }
    let unknown = no_redirects()
        .get(format!("{}/nowhere", started.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_become_n8ns_item_or_are_refused_without_a_run() {
    let home = WeftHome::new();
    let parameters = json!({"formTitle": "Ask", "path": "ask", "formFields": fields(),
        "responseMode": "responseNode", "options": {}});
    let started = start(&home, &[workflow("submit", 2.1, parameters, Some(echo()))]).await;
    let http = no_redirects();
    let url = format!("{}/ask", started.base);

    let file = reqwest::multipart::Part::bytes(b"my cv".to_vec())
        .file_name("cv.txt")
        .mime_str("text/plain")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("field-0", "  Ada  ")
        .text("field-1", "36")
        .text("field-2", "ada@example.com")
        .text("field-3", "s3cret")
        .text("field-4", "1815-12-10")
        .text("field-5", "Maths\n")
        .text("field-6", "A & B")
        .text("field-7", "A & B")
        .text("field-7", "<C>")
        .text("field-8", "<C>")
        .part("field-9", file)
        .text("field-10", "web")
        .text("field-12", "last");
    let answer = http.post(&url).multipart(form).send().await.unwrap();
    let log = || std::fs::read_to_string(&started.log).unwrap();
    assert_eq!(answer.status(), 200, "{}", log());
    let body: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    let item = &body["json"];
    let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "<i>Name</i>",
            "Age",
            "Mail",
            "Secret",
            "Day",
            "About",
            "Pick",
            "Many",
            "One",
            "Your CV",
            "source",
            "",
            "submittedAt",
            "formMode"
        ]
    );
    assert_eq!(item["<i>Name</i>"], "Ada");
    assert_eq!(item["Age"], 36);
    assert_eq!(item["About"], "Maths\n");
    assert_eq!(item["Many"], json!(["A & B", "<C>"]));
    assert_eq!(item["One"], "<C>");
    assert_eq!(
        item["Your CV"],
        json!({"filename": "cv.txt", "mimetype": "text/plain", "size": 5})
    );
    assert_eq!(item["source"], "web");
    assert_eq!(item[""], "last");
    assert_eq!(item["formMode"], "production");
    let submitted = item["submittedAt"].as_str().unwrap();
    assert!(
        submitted.ends_with("+01:00") || submitted.ends_with("+02:00"),
        "{submitted}"
    );
    assert_eq!(body["files"], json!(["Your_CV"]));

    let answer = http
        .post(format!("{url}?ref=mail"))
        .form(&[
            ("field-0", "Bob"),
            ("field-1", "2.5"),
            ("field-7", "[\"<C>\"]"),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    assert_eq!(body["json"]["<i>Name</i>"], "Bob");
    assert_eq!(body["json"]["Age"], 2.5);
    assert_eq!(body["json"]["Many"], json!(["<C>"]));
    assert_eq!(body["json"]["Mail"], Value::Null);
    assert_eq!(body["json"]["formQueryParameters"], json!({"ref": "mail"}));

    let runs_before = std::fs::read_to_string(&started.log)
        .unwrap()
        .matches("webhook run succeeded")
        .count();
    let refused = http
        .post(&url)
        .form(&[("field-1", "ten"), ("field-6", "Z")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let page = refused.text().await.unwrap();
    for problem in [
        "&lt;i&gt;Name&lt;&#47;i&gt;</strong>: This&#32;field&#32;is&#32;required",
        "<strong>Age</strong>: Enter&#32;a&#32;number",
        "<strong>Pick</strong>: Choose&#32;one&#32;of&#32;the&#32;listed&#32;options",
    ] {
        assert!(page.contains(problem), "{problem} not in {page}");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = std::fs::read_to_string(&started.log).unwrap();
    assert_eq!(
        log.matches("webhook run succeeded").count(),
        runs_before,
        "{log}"
    );
    assert!(
        !log.contains("s3cret"),
        "a submitted password reached the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_response_mode_answers_the_submission() {
    let home = WeftHome::new();
    let one_field = json!({"values": [{"fieldLabel": "Name"}]});
    let started = start(
        &home,
        &[
            workflow("received", 2.2, json!({"formTitle": "Thanks", "formFields": one_field, "options": {}}), None),
            workflow("text", 2.2, json!({"formTitle": "T", "formFields": one_field, "options": {"path": "text",
                "appendAttribution": false,
                "respondWithOptions": {"values": {"respondWith": "text", "formSubmittedText": "Got <it>"}}}}), None),
            workflow("redirect", 2.2, json!({"formTitle": "R", "formFields": one_field, "options": {"path": "go",
                "respondWithOptions": {"values": {"respondWith": "redirect", "redirectUrl": "https://example.com/done"}}}}), None),
            workflow("last", 2.2, json!({"formTitle": "L", "formFields": one_field, "responseMode": "lastNode",
                "options": {"path": "last"}}), Some(node("Wait", "n8n-nodes-base.wait", 1.1, json!({"amount": 0.3})))),
            workflow("v1", 1.0, json!({"path": "old", "formTitle": "Old", "formFields": one_field, "options": {}}), None),
        ],
    )
    .await;
    let http = no_redirects();
    let submit = |path: &str| {
        http.post(format!("{}/{path}", started.base))
            .form(&[("field-0", "Ada")])
            .send()
    };

    let page = submit("id-received").await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("<h1>Thanks</h1>")
            && page.contains("Your&#32;response&#32;has&#32;been&#32;recorded"),
        "{page}"
    );

    let page = submit("text").await.unwrap().text().await.unwrap();
    assert!(page.contains("Got&#32;&lt;it&gt;"), "{page}");
    assert!(!page.contains("Form automated with"), "{page}");

    let redirect = submit("go").await.unwrap();
    assert_eq!(redirect.status(), 303);
    assert_eq!(redirect.headers()["location"], "https://example.com/done");

    let waited = Instant::now();
    let page = submit("last").await.unwrap();
    assert!(
        waited.elapsed() >= Duration::from_millis(250),
        "answered before the run ended"
    );
    assert_eq!(page.status(), 200);

    let old = http
        .get(format!("{}/old/n8n-form", started.base))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 200);
}
