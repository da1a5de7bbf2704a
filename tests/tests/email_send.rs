//! Send Email (`n8n-nodes-base.emailSend`) run by the real `weft` binary against an SMTP sink on
//! 127.0.0.1 written here (greeting, EHLO with AUTH, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT):
//! the envelope, headers and body the server received, the output item n8n's node gives, a
//! refused recipient as a clear failure, and the canary password in no output and no store file.

use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use weft_tests::{WeftHome, one_node_workflow};

/// The credential's password.
const CANARY: &str = "canary-smtp-5e1d";

/// One SMTP session as the sink saw it.
#[derive(Clone, Debug, Default)]
struct Session {
    ehlo: String,
    /// The decoded `\0user\0password` of AUTH PLAIN, or `user`/`password` of AUTH LOGIN.
    login: Vec<String>,
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
}

type Sessions = Arc<Mutex<Vec<Session>>>;

fn decode(text: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Serves one SMTP session; recipients at `refused.test` get a permanent 550.
async fn serve(stream: tokio::net::TcpStream, sessions: Sessions) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut session = Session::default();
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let answer: String = if upper.starts_with("EHLO") {
            session.ehlo = line.clone();
            "250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME".into()
        } else if let Some(initial) = upper.strip_prefix("AUTH PLAIN") {
            let initial = line[line.len() - initial.len()..].trim().to_owned();
            let response = if initial.is_empty() {
                write.write_all(b"334 \r\n").await?;
                lines.next_line().await?.unwrap_or_default()
            } else {
                initial
            };
            session.login.push(decode(&response));
            "235 2.7.0 Authentication successful".into()
        } else if upper.starts_with("AUTH LOGIN") {
            for prompt in ["334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n"] {
                write.write_all(prompt.as_bytes()).await?;
                let response = lines.next_line().await?.unwrap_or_default();
                session.login.push(decode(&response));
            }
            "235 2.7.0 Authentication successful".into()
        } else if upper.starts_with("MAIL FROM:") {
            session.mail_from = line["MAIL FROM:".len()..].to_owned();
            "250 2.1.0 Ok".into()
        } else if upper.starts_with("RCPT TO:") {
            let recipient = line["RCPT TO:".len()..].to_owned();
            if recipient.contains("@refused.test") {
                "550 5.1.1 No such user here".into()
            } else {
                session.rcpt_to.push(recipient);
                "250 2.1.5 Ok".into()
            }
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            while let Some(data_line) = lines.next_line().await? {
                if data_line == "." {
                    break;
                }
                session.data.push_str(&data_line);
                session.data.push('\n');
            }
            "250 2.0.0 Ok: queued as SINK1".into()
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            break;
        } else if upper == "RSET" || upper == "NOOP" {
            "250 2.0.0 Ok".into()
        } else {
            "502 5.5.2 Command not recognized".into()
        };
        write.write_all(format!("{answer}\r\n").as_bytes()).await?;
    }
    sessions.lock().unwrap().push(session);
    Ok(())
}

async fn start_sink() -> (u16, Sessions) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sessions = Sessions::default();
    let recorded = sessions.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(serve(stream, recorded.clone()));
        }
    });
    (port, sessions)
}

/// A Send Email node of `version` with `parameters`.
fn email_node(version: f64, parameters: Value) -> Value {
    json!({"parameters": parameters, "type": "n8n-nodes-base.emailSend", "typeVersion": version,
           "name": "Send Email", "credentials": {"smtp": {"id": "smtp1", "name": "SMTP account"}}})
}

fn assert_no_canary(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "{what} shows the canary password: {}",
        String::from_utf8_lossy(bytes)
    );
}

/// Runs `workflow`; its stdout and stderr, checked for the canary.
fn run(home: &WeftHome, workflow: &Value) -> std::process::Output {
    let output = home.run_workflow(workflow);
    assert_no_canary("stdout", &output.stdout);
    assert_no_canary("stderr", &output.stderr);
    output
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_what_n8n_sends_outputs_the_server_answer_and_never_shows_the_password() {
    let (port, sessions) = start_sink().await;
    let home = WeftHome::new().logging("trace");
    home.import(
        &json!([{"id": "smtp1", "name": "SMTP account", "type": "smtp",
        "data": {"user": "mailer", "password": CANARY, "host": "127.0.0.1", "port": port,
                 "secure": false, "disableStartTls": false, "hostName": "weft.client.test"}}]),
    );

    // 2.1, both formats, every address option: the attribution goes to the HTML.
    let both = run(
        &home,
        &one_node_workflow(email_node(
            2.1,
            json!({"fromEmail": "Weft Test <from@example.test>",
                   "toEmail": "a@example.test, B Person <b@example.test>",
                   "subject": "=Report {{ 1 + 1 }}", "emailFormat": "both",
                   "text": "plain body", "html": "<p>html body</p>",
                   "options": {"ccEmail": "c@example.test", "bccEmail": "hidden@example.test",
                               "replyTo": "reply@example.test"}}),
        )),
    );
    assert!(
        both.status.success(),
        "{}",
        String::from_utf8_lossy(&both.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&both.stdout).unwrap();
    let session = sessions
        .lock()
        .unwrap()
        .pop()
        .expect("the sink saw a session");
    assert_eq!(session.ehlo, "EHLO weft.client.test");
    let login = session.login.join("|");
    assert!(
        login == format!("\0mailer\0{CANARY}") || login == format!("mailer|{CANARY}"),
        "{login:?}"
    );
    assert_eq!(session.mail_from, "<from@example.test>");
    let recipients = [
        "a@example.test",
        "b@example.test",
        "c@example.test",
        "hidden@example.test",
    ];
    let mut rcpt_to = session.rcpt_to.clone();
    rcpt_to.sort();
    assert_eq!(rcpt_to, recipients.map(|address| format!("<{address}>")));
    let data = &session.data;
    for header in [
        "From: \"Weft Test\" <from@example.test>",
        "To: a@example.test, \"B Person\" <b@example.test>",
        "Cc: c@example.test",
        "Reply-To: reply@example.test",
        "Subject: Report 2",
        "Content-Type: multipart/alternative;",
    ] {
        assert!(data.contains(header), "no `{header}` in:\n{data}");
    }
    assert!(!data.contains("Bcc:"), "{data}");
    assert!(
        data.contains("plain body") && data.contains("<p>html body</p>"),
        "{data}"
    );
    assert!(data.contains("Content-Type: text/plain") && data.contains("Content-Type: text/html"));

    let [item] = items.as_slice() else {
        panic!("one item: {items:?}");
    };
    assert_eq!(item["pairedItem"], json!({"item": 0}));
    let item = &item["json"];
    let message_id = item["messageId"]
        .as_str()
        .unwrap_or_else(|| panic!("{item}"));
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@example.test>"),
        "{message_id}"
    );
    assert!(
        data.contains(&format!("Message-ID: {message_id}")),
        "{data}"
    );
    let mut accepted: Vec<String> = serde_json::from_value(item["accepted"].clone()).unwrap();
    accepted.sort();
    assert_eq!(accepted, recipients);
    assert_eq!(item["rejected"], json!([]));
    let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "accepted",
            "rejected",
            "messageSize",
            "response",
            "envelope",
            "messageId"
        ]
    );
    assert!(item["messageSize"].as_u64().unwrap() > data.len() as u64 / 2);
    assert_eq!(item["response"], "250 2.0.0 Ok: queued as SINK1");
    assert_eq!(item["envelope"]["from"], "from@example.test");
    assert_eq!(item["envelope"]["to"], item["accepted"]);

    // 2.1 text: n8n's attribution ends the text.
    let text = run(
        &home,
        &one_node_workflow(email_node(
            2.1,
            json!({"fromEmail": "from@example.test", "toEmail": "a@example.test",
                   "subject": "Plain", "emailFormat": "text", "text": "Hello"}),
        )),
    );
    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let session = sessions.lock().unwrap().pop().unwrap();
    assert!(
        session
            .data
            .contains("Hello\n\n---\nThis email was sent automatically with n8n\nhttps://n8n.io"),
        "{}",
        session.data
    );

    // Binary properties: `attachments` embedded with their name as Content-ID, `fileAttachments`
    // attached; an item without binary data sends none (as n8n).
    let with_files = json!({
        "name": "attachments",
        "nodes": [
            {"parameters": {}, "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
             "position": [0, 0], "name": "Trigger"},
            {"parameters": {"jsCode": "return [{json: {}, binary: {\
                logo: {data: 'iVBORw0KGgo=', mimeType: 'image/png', fileName: 'logo.png'},\
                report: {data: 'aGVsbG8gcmVwb3J0', mimeType: 'text/csv', fileName: 'report.csv'}}}];"},
             "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [200, 0], "name": "Files"},
            email_node(2.1, json!({"fromEmail": "from@example.test", "toEmail": "a@example.test",
                "subject": "Files", "html": "<img src=\"cid:logo\">",
                "options": {"attachments": "logo", "fileAttachments": " report ",
                            "appendAttribution": false}}))
        ],
        "connections": {
            "Trigger": {"main": [[{"node": "Files", "type": "main", "index": 0}]]},
            "Files": {"main": [[{"node": "Send Email", "type": "main", "index": 0}]]}
        }
    });
    let files = run(&home, &with_files);
    assert!(
        files.status.success(),
        "{}",
        String::from_utf8_lossy(&files.stderr)
    );
    let data = sessions.lock().unwrap().pop().unwrap().data;
    for expected in [
        "Content-Type: multipart/mixed;",
        "Content-Type: multipart/related;",
        "Content-ID: <logo>",
        "Content-Disposition: inline; filename=\"logo.png\"",
        "Content-Type: image/png",
        "iVBORw0KGgo=",
        "Content-Disposition: attachment; filename=\"report.csv\"",
        "Content-Type: text/csv",
        "hello report",
        "<img src=\"cid:logo\">",
    ] {
        assert!(data.contains(expected), "no `{expected}` in:\n{data}");
    }
    assert!(!data.contains("sent automatically"), "{data}");

    // A recipient the server refuses fails the run, naming the server's answer.
    let refused = run(
        &home,
        &one_node_workflow(email_node(
            2.0,
            json!({"fromEmail": "from@example.test", "toEmail": "nobody@refused.test",
                   "subject": "x", "text": "x"}),
        )),
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!("127.0.0.1:{port} did not take the email"))
            && stderr.contains("No such user here"),
        "{stderr}"
    );

    // `weft credentials test` connects and logs in, as n8n's credential test does.
    let tested = home.weft(&["credentials", "test", "smtp1"]);
    assert_no_canary(
        "credentials test",
        &[tested.stdout.as_slice(), &tested.stderr].concat(),
    );
    assert!(
        tested.status.success(),
        "{}",
        String::from_utf8_lossy(&tested.stderr)
    );
    assert!(
        String::from_utf8_lossy(&tested.stdout).contains(&format!(
            "works: the SMTP server 127.0.0.1:{port} took the connection"
        )),
        "{}",
        String::from_utf8_lossy(&tested.stdout)
    );
    let login = sessions.lock().unwrap().pop().unwrap().login.join("|");
    assert!(login.contains(CANARY), "the test logged in: {login:?}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    home.import(&json!([{"id": "smtp2", "name": "Nowhere", "type": "smtp",
        "data": {"user": "mailer", "password": CANARY, "host": "127.0.0.1",
                 "port": closed_port, "secure": false}}]));
    let unreachable = home.weft(&["credentials", "test", "smtp2"]);
    let stderr = String::from_utf8_lossy(&unreachable.stderr);
    assert_no_canary("credentials test", &unreachable.stderr);
    assert!(!unreachable.status.success());
    assert!(
        stderr.contains(&format!(
            "the SMTP server 127.0.0.1:{closed_port} cannot be used"
        )) && stderr.contains("check the host, port"),
        "{stderr}"
    );

    for (name, bytes) in home.store_files() {
        assert_no_canary(&name, &bytes);
    }
}
