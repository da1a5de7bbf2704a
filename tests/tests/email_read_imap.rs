//! Email Trigger (IMAP) (`n8n-nodes-base.emailReadImap`) run by the real `weft` binary against
//! the fake IMAP server on 127.0.0.1 (`weft_tests::FakeImap`): `weft run` in each format with
//! attachments as binaries, Mark as Read observed on the server, n8n's error for rules that are
//! not JSON, a refused login that names the server and never the password, `weft credentials
//! test`, and `weft start`, which emits only what arrives after activation and marks it read
//! after the run.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use weft_tests::{FakeImap, WeftHome, weft_binary};

/// The credential's password.
const CANARY: &str = "canary-imap-9c4f";

const PLAIN: &str = "From: Ann Example <ann@example.test>\r\nTo: bob@example.test\r\nSubject: Plain hello\r\nDate: Tue, 19 Aug 2025 10:00:00 +0000\r\nMessage-ID: <plain@example.test>\r\n\r\nHello Bob,\r\nsee you.\r\n";

const HTML: &str = "From: ann@example.test\r\nTo: bob@example.test\r\nSubject: =?UTF-8?B?SFRNTCDinJM=?=\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello <b>Bob</b></p>\r\n";

const WITH_FILE: &str = "From: ann@example.test\r\nTo: bob@example.test\r\nSubject: Contract\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe contract is attached.\r\n--b1\r\nContent-Type: application/pdf; name=\"contract.pdf\"\r\nContent-Disposition: attachment; filename=\"contract.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n";

fn assert_no_canary(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "{what} shows the canary password: {}",
        String::from_utf8_lossy(bytes)
    );
}

fn credential(id: &str, port: u16, password: &str) -> Value {
    json!({"id": id, "name": format!("IMAP {id}"), "type": "imap",
           "data": {"user": "bob", "password": password, "host": "127.0.0.1", "port": port,
                    "secure": false, "allowUnauthorizedCerts": false}})
}

/// An Email Trigger (typeVersion 2.2 unless `parameters` name `@version`) → No Op workflow.
fn workflow(version: f64, credential_id: &str, parameters: Value) -> Value {
    json!({
        "id": "imapFlow1",
        "name": "Email trigger",
        "nodes": [
            {"parameters": parameters, "type": "n8n-nodes-base.emailReadImap",
             "typeVersion": version, "position": [0, 0], "id": "imap-node",
             "name": "Email Trigger (IMAP)",
             "credentials": {"imap": {"id": credential_id, "name": format!("IMAP {credential_id}")}}},
            {"parameters": {}, "type": "n8n-nodes-base.noOp", "typeVersion": 1,
             "position": [220, 0], "name": "No Operation, do nothing"}
        ],
        "connections": {
            "Email Trigger (IMAP)": {"main": [[{"node": "No Operation, do nothing", "type": "main", "index": 0}]]}
        }
    })
}

/// `weft run` of `workflow`: its items, or its stderr; never the canary anywhere.
fn run(home: &WeftHome, workflow: &Value) -> Result<Vec<Value>, String> {
    let output = home.run_workflow(workflow);
    assert_no_canary("stdout", &output.stdout);
    assert_no_canary("stderr", &output.stderr);
    if output.status.success() {
        Ok(serde_json::from_slice(&output.stdout).expect("weft run prints JSON items"))
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weft_run_reads_each_format_and_marks_read_as_asked() {
    let fake = FakeImap::start("bob", CANARY).await;
    let home = WeftHome::new().logging("trace");
    home.import(&json!([credential("imap1", fake.port, CANARY)]));
    let plain = fake.deliver(PLAIN);
    let html = fake.deliver(HTML);
    let with_file = fake.deliver(WITH_FILE);

    // simple, attachments downloaded, nothing marked.
    let items = run(
        &home,
        &workflow(
            2.2,
            "imap1",
            json!({"postProcessAction": "nothing", "downloadAttachments": true,
                   "dataPropertyAttachmentsPrefixName": "file_"}),
        ),
    )
    .unwrap();
    assert_eq!(items.len(), 3, "{items:#?}");
    assert_eq!(
        items[0]["json"],
        json!({"textHtml": "", "textPlain": "Hello Bob,\r\nsee you.\r\n",
               "from": "Ann Example <ann@example.test>", "to": "bob@example.test",
               "subject": "Plain hello", "date": "Tue, 19 Aug 2025 10:00:00 +0000",
               "metadata": {"message-id": "<plain@example.test>"}, "attributes": {"uid": plain}})
    );
    assert_eq!(items[1]["json"]["subject"], "HTML ✓");
    assert_eq!(items[1]["json"]["textHtml"], "<p>Hello <b>Bob</b></p>\r\n");
    assert_eq!(
        items[1]["json"]["metadata"]["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(items[1].get("binary").is_none());
    let file = &items[2]["binary"]["file_0"];
    assert_eq!(
        (&file["fileName"], &file["mimeType"], &file["data"]),
        (
            &json!("contract.pdf"),
            &json!("application/pdf"),
            &json!("JVBERi0xLjQK")
        )
    );
    assert_eq!(items[2]["json"]["textPlain"], "The contract is attached.");
    assert!(
        ![plain, html, with_file]
            .iter()
            .any(|uid| fake.is_seen(*uid))
    );

    // raw: the body after the header.
    let raw = run(
        &home,
        &workflow(
            2.2,
            "imap1",
            json!({"postProcessAction": "nothing", "format": "raw"}),
        ),
    )
    .unwrap();
    assert_eq!(raw[0]["json"], json!({"raw": "Hello Bob,\r\nsee you.\r\n"}));

    // resolved, marked read (the default action): all three are \Seen afterwards.
    let resolved = run(
        &home,
        &workflow(2.2, "imap1", json!({"format": "resolved"})),
    )
    .unwrap();
    assert_eq!(resolved.len(), 3);
    let first = &resolved[0]["json"];
    assert_eq!(first["subject"], "Plain hello");
    assert_eq!(first["text"], "Hello Bob,\r\nsee you.\r\n");
    assert_eq!(first["date"], "2025-08-19T10:00:00.000Z");
    assert_eq!(
        first["from"]["value"],
        json!([{"address": "ann@example.test", "name": "Ann Example"}])
    );
    assert_eq!(first["messageId"], "<plain@example.test>");
    assert_eq!(first["html"], false);
    assert_eq!(first["headers"]["subject"], "Subject: Plain hello");
    assert_eq!(resolved[1]["json"]["html"], "<p>Hello <b>Bob</b></p>\r\n");
    assert_eq!(
        resolved[2]["binary"]["attachment_0"]["fileName"],
        "contract.pdf"
    );
    assert!(
        [plain, html, with_file]
            .iter()
            .all(|uid| fake.is_seen(*uid))
    );
    let stores: Vec<String> = fake
        .commands()
        .into_iter()
        .filter(|c| c.contains("STORE"))
        .collect();
    assert_eq!(
        stores,
        [format!(
            "UID STORE {plain},{html},{with_file} +FLAGS (\\Seen)"
        )]
    );

    // The default rules (UNSEEN) now find nothing; Custom Email Rules can widen them.
    let none = run(&home, &workflow(2.2, "imap1", json!({}))).unwrap();
    assert!(none.is_empty(), "{none:#?}");
    let seen = run(
        &home,
        &workflow(
            2.2,
            "imap1",
            json!({"postProcessAction": "nothing",
            "options": {"customEmailConfig": "[\"SEEN\", [\"SUBJECT\", \"contract\"]]"}}),
        ),
    )
    .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["json"]["attributes"]["uid"], with_file);

    // Rules that are not JSON (the wild workflow's address) fail with n8n's error.
    let bad = run(
        &home,
        &workflow(
            2.0,
            "imap1",
            json!({"options": {"customEmailConfig": "contractreview@company.com"}}),
        ),
    )
    .unwrap_err();
    assert!(
        bad.contains("Custom email config is not valid JSON."),
        "{bad}"
    );
    assert!(bad.contains("customEmailConfig"), "{bad}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_names_the_server_never_the_password_and_credentials_test_connects() {
    let fake = FakeImap::start("bob", "the-right-one").await;
    let home = WeftHome::new().logging("trace");
    home.import(&json!([
        credential("wrong", fake.port, CANARY),
        credential("right", fake.port, "the-right-one")
    ]));
    let refused = run(&home, &workflow(2.2, "wrong", json!({}))).unwrap_err();
    assert!(
        refused.contains(&format!(
            "the IMAP server 127.0.0.1:{} cannot be used",
            fake.port
        )) && refused.contains("Invalid credentials"),
        "{refused}"
    );

    let tested = home.weft(&["credentials", "test", "right"]);
    let stdout = String::from_utf8_lossy(&tested.stdout);
    assert!(
        tested.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&tested.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "works: the IMAP server 127.0.0.1:{} took the connection and the login",
            fake.port
        )),
        "{stdout}"
    );
    let failed = home.weft(&["credentials", "test", "wrong"]);
    assert!(!failed.status.success());
    assert_no_canary("stdout", &failed.stdout);
    assert_no_canary("stderr", &failed.stderr);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("the login was refused"), "{stderr}");
    assert!(
        fake.commands().contains(&"LIST \"\" *".to_owned()),
        "{:?}",
        fake.commands()
    );
    for file in std::fs::read_dir(home.path()).unwrap() {
        let path = file.unwrap().path();
        if path.is_file() && !path.ends_with("credentials.json") {
            assert_no_canary(&path.display().to_string(), &std::fs::read(&path).unwrap());
        }
    }
}

/// Waits until `log` says `needle` `count` times.
async fn wait_for_log(log: &std::path::Path, needle: &str, count: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.matches(needle).count() >= count {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "no {count}× \"{needle}\" in:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn start(home: &WeftHome, file: &std::path::Path, log: &std::path::Path) -> Child {
    Command::new(weft_binary())
        .args(["start", &file.to_string_lossy(), "--min-poll-interval", "1"])
        .env("WEFT_HOME", home.path())
        .env("WEFT_ENCRYPTION_KEY", "k")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weft_start_emits_what_arrives_after_activation_once_and_marks_it_read_after_the_run() {
    let fake = FakeImap::start("bob", CANARY).await;
    let home = WeftHome::new();
    home.import(&json!([credential("imap1", fake.port, CANARY)]));
    let before = fake.deliver(PLAIN);
    let every_second = json!({"item": [{"mode": "custom", "cronExpression": "* * * * * *"}]});
    let file = home.path().join("trigger.json");
    let flow = workflow(
        2.2,
        "imap1",
        json!({"pollTimes": every_second, "postProcessAction": "read"}),
    );
    std::fs::write(&file, flow.to_string()).unwrap();
    let log = home.path().join("start.log");
    let mut weft = start(&home, &file, &log);
    wait_for_log(&log, "active; polling on schedule", 1).await;
    wait_for_log(&log, "poll: no new records", 2).await;
    let arrived = fake.deliver(WITH_FILE);
    let text = wait_for_log(&log, "poll: run succeeded", 1).await;
    assert!(text.contains("records=1"), "{text}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !fake.is_seen(arrived) {
        assert!(
            Instant::now() < deadline,
            "UID {arrived} was not marked read: {:?}",
            fake.commands()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The email from before the activation is neither emitted nor touched, as in n8n.
    assert!(!fake.is_seen(before));
    // Later polls find nothing new: the email is not emitted twice.
    let polls = std::fs::read_to_string(&log)
        .unwrap()
        .matches("poll: no new records")
        .count();
    let text = wait_for_log(&log, "poll: no new records", polls + 2).await;
    assert_eq!(text.matches("poll: run succeeded").count(), 1, "{text}");
    weft.kill().unwrap();
    weft.wait().unwrap();
    assert_no_canary("log", text.as_bytes());
}
