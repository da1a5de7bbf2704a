//! `weft start` with the real binary against the fake Salesforce: two trigger workflows (Account
//! created, Account updated) post every record they emit to a collector, while the test creates
//! and updates accounts through the REST API and kills weft with SIGKILL at several points,
//! restarting it each time. Then SIGTERM stops it cleanly.
//!
//! Checked: every account created after activation reached the collector, none twice unless a
//! kill fell between the two deliveries (the killed run was never committed); every update
//! reached it at least once; accounts that existed before activation never did; a bad schedule
//! or a non-polling workflow is refused before anything starts. A running `weft start` sees
//! credentials changed, removed and imported after it started, and survives a run that panics.
//! A Schedule Trigger fires on its rules next to them, each tick one recorded run.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::routing::post;
use parking_lot::Mutex;
use serde_json::{Value, json};
use weft_tests::{
    FakeConfig, FakeSalesforce, WeftHome, client_credentials_token, jwt_credential, weft_binary,
};

/// What the collector received, in order.
type Received = Arc<Mutex<Vec<Value>>>;

async fn collector() -> (String, Received) {
    let received = Received::default();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(
                |State(received): State<Received>, Json(body): Json<Value>| async move {
                    received.lock().push(body);
                    // A slow receiver keeps each run in flight long enough to be killed in the middle.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    Json(json!({"ok": true}))
                },
            ),
        )
        .with_state(Arc::clone(&received));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// A fake org with `count` accounts and nothing else.
async fn org_with_accounts(count: u64) -> FakeSalesforce {
    let config = FakeConfig {
        seeds: vec![("Account".into(), count)],
        default_seed: false,
        ..FakeConfig::default()
    };
    FakeSalesforce::start(config).await.unwrap()
}

/// A weft home with the fake's JWT credential, and a collector.
async fn weft_and_collector(fake: &FakeSalesforce) -> (WeftHome, String, Received) {
    let home = WeftHome::new();
    home.import_jwt(fake.instance_url());
    let (hook, received) = collector().await;
    (home, hook, received)
}

/// A trigger workflow that posts `{event, id, modified}` per record to `hook`.
fn workflow(id: &str, trigger_on: &str, hook: &str, cron: &str) -> Value {
    workflow_with(id, trigger_on, hook, cron, json!({}), "")
}

/// [`workflow`] with the trigger's `options` and more of each record in the body (`extra`,
/// JavaScript object entries such as `, "name": $json.Name`).
fn workflow_with(
    id: &str,
    trigger_on: &str,
    hook: &str,
    cron: &str,
    options: Value,
    extra: &str,
) -> Value {
    json!({
        "id": id,
        "name": format!("{trigger_on} to hook"),
        "nodes": [
            {"id": "1", "name": "Salesforce Trigger", "type": "n8n-nodes-base.salesforceTrigger",
             "typeVersion": 1, "position": [0, 0],
             "parameters": {"pollTimes": {"item": [{"mode": "custom", "cronExpression": cron}]},
                            "authentication": "jwt", "triggerOn": trigger_on, "options": options},
             "credentials": {"salesforceJwtApi": {"id": "jwt1", "name": "jwt"}}},
            {"id": "2", "name": "Hook", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2,
             "position": [200, 0],
             "parameters": {"url": hook, "method": "POST", "sendBody": true, "specifyBody": "json",
                            "jsonBody": format!("={{{{ {{ \"event\": \"{trigger_on}\", \"id\": $json.Id, \"modified\": $json.LastModifiedDate{extra} }} }}}}"),
                            "options": {}}}
        ],
        "connections": {"Salesforce Trigger": {"main": [[{"node": "Hook", "type": "main", "index": 0}]]}},
        "settings": {"executionOrder": "v1"}
    })
}

/// The REST API as a test user (client credentials of the fake's test app).
struct Rest {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Rest {
    async fn connect(fake: &FakeSalesforce) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!(
                "{}/services/data/v66.0/sobjects/Account",
                fake.instance_url()
            ),
            token: client_credentials_token(fake).await,
        }
    }

    /// Sends `request` with the token; the status and the JSON answer (null when empty).
    async fn call(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.bearer_auth(&self.token).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn create(&self, name: &str) -> String {
        let request = self.http.post(&self.base).json(&json!({"Name": name}));
        let (_, answer) = self.call(request).await;
        answer["id"].as_str().unwrap().to_owned()
    }

    /// Updates the account and returns its new LastModifiedDate.
    async fn update(&self, id: &str, name: &str) -> String {
        let url = format!("{}/{id}", self.base);
        let (status, _) = self
            .call(self.http.patch(&url).json(&json!({"Name": name})))
            .await;
        assert_eq!(status, 204);
        let (_, record) = self.call(self.http.get(&url)).await;
        record["LastModifiedDate"].as_str().unwrap().to_owned()
    }
}

/// `weft start` on the workflow files, its stderr in `log`.
fn start(home: &WeftHome, files: &[String], log: &std::path::Path) -> Child {
    start_with(&weft_binary(), home, files, log)
}

/// [`start`] with another binary that embeds weft's command line.
fn start_with(
    binary: &std::path::Path,
    home: &WeftHome,
    files: &[String],
    log: &std::path::Path,
) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(binary)
        .arg("start")
        .args(files)
        .args(["--min-poll-interval", "1"])
        .env("WEFT_HOME", home.path())
        .env("WEFT_ENCRYPTION_KEY", "k")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
}

/// Waits until `log` says `needle` `count` times.
async fn wait_for_log(log: &std::path::Path, needle: &str, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.matches(needle).count() >= count {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {count}× \"{needle}\" in:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triggers_survive_kills_without_losing_a_record_or_repeating_a_committed_one() {
    let fake = org_with_accounts(5).await;
    let (home, hook, received) = weft_and_collector(&fake).await;
    let mut files = Vec::new();
    for (id, event) in [
        ("wf-created", "accountCreated"),
        ("wf-updated", "accountUpdated"),
    ] {
        let file = home.path().join(format!("{id}.json"));
        std::fs::write(&file, workflow(id, event, &hook, "* * * * * *").to_string()).unwrap();
        files.push(file.to_string_lossy().into_owned());
    }
    let log = home.path().join("weft.log");
    let rest = Rest::connect(&fake).await;

    let mut weft = start(&home, &files, &log);
    let mut activations = 2;
    wait_for_log(&log, "active; polling on schedule", activations).await;

    let mut created = Vec::new();
    let mut updates = Vec::new();
    let mut kills = Vec::new();
    for round in 0..6 {
        for n in 0..4 {
            created.push(rest.create(&format!("Round {round} #{n}")).await);
        }
        // LastModifiedDate has whole seconds: an update in the creation's second is no update.
        fake.advance_clock(Duration::from_secs(2));
        for id in created.iter().rev().take(3).step_by(2) {
            let modified = rest.update(id, &format!("Updated in round {round}")).await;
            updates.push((id.clone(), modified));
        }
        // Kill in the middle of a run (right after its first delivery) on odd rounds, between
        // polls on rounds divisible by four, and not at all otherwise.
        if round % 2 == 1 {
            let before = received.lock().len();
            let deadline = Instant::now() + Duration::from_secs(10);
            while received.lock().len() == before {
                assert!(Instant::now() < deadline, "no delivery in round {round}");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        } else if round % 4 == 0 {
            tokio::time::sleep(Duration::from_millis(1500)).await;
        } else {
            continue;
        }
        weft.kill().unwrap();
        weft.wait().unwrap();
        // Let requests the killed process had already sent land before marking the kill.
        tokio::time::sleep(Duration::from_millis(150)).await;
        kills.push(received.lock().len());
        weft = start(&home, &files, &log);
        activations += 2;
        wait_for_log(&log, "active; polling on schedule", activations).await;
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    let everything_arrived = |received: &[Value]| {
        created
            .iter()
            .all(|id| received.iter().any(|body| body["id"] == id.as_str()))
            && updates.iter().all(|(id, at)| {
                received.iter().any(|body| {
                    body["event"] == "accountUpdated"
                        && body["id"] == id.as_str()
                        && body["modified"].as_str().unwrap_or_default() >= at.as_str()
                })
            })
    };
    while !everything_arrived(&received.lock()) {
        assert!(
            Instant::now() < deadline,
            "missing deliveries: {:#?}",
            received.lock()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let terminated = Command::new("kill")
        .args(["-TERM", &weft.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let status = weft.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );

    let received = received.lock().clone();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("stopping"), "{text}");
    let mut repeats = 0;
    for (index, body) in received.iter().enumerate() {
        let event = body["event"].as_str().unwrap();
        let id = body["id"].as_str().unwrap();
        if event == "accountCreated" {
            assert!(
                created.iter().any(|known| known == id),
                "a record from before activation fired: {body}"
            );
        }
        let repeated = received[..index].iter().position(|earlier| {
            earlier["event"] == body["event"]
                && earlier["id"] == body["id"]
                && (event == "accountCreated" || earlier["modified"] == body["modified"])
        });
        if let Some(first) = repeated {
            repeats += 1;
            assert!(
                kills.iter().any(|&kill| first < kill && kill <= index),
                "{body} was delivered twice with no kill in between (deliveries {first} and {index}, kills at {kills:?})"
            );
        }
    }
    assert!(
        repeats > 0,
        "a run killed after its first delivery was not run again after the restart: {received:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_hidden_fields_and_a_daily_limit_do_not_lose_records() {
    let fake = org_with_accounts(3).await;
    fake.set_field_hidden("Account.Type", true).unwrap();
    let (home, hook, received) = weft_and_collector(&fake).await;
    // Emit what exists since 2000 at the first poll, only records named "Keep%", with their
    // Name and Type (Type is hidden from the user).
    let options = json!({
        "startDate": "2000-01-01T00:00:00Z",
        "fields": "Id,Name,Type,LastModifiedDate",
        "conditionsUi": {"conditionValues": [{"field": "Name", "operation": "like", "value": "Keep%"}]}
    });
    let body = r#", "name": $json.Name, "type": $json.Type === undefined ? "absent" : $json.Type"#;
    let file = home.path().join("options.json");
    let workflow = workflow_with(
        "wf-options",
        "accountCreated",
        &hook,
        "* * * * * *",
        options,
        body,
    );
    std::fs::write(&file, workflow.to_string()).unwrap();
    let rest = Rest::connect(&fake).await;
    let kept = rest.create("Keep me").await;
    rest.create("Skip me").await;
    let log = home.path().join("weft.log");
    let files = [file.to_string_lossy().into_owned()];
    let mut weft = start(&home, &files, &log);
    wait_for_log(&log, "active; polling on schedule", 1).await;
    let first = received.lock().clone();
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(
        first[0],
        json!({"event": "accountCreated", "id": kept, "modified": first[0]["modified"], "name": "Keep me", "type": "absent"})
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("The field \"Type\" of Account is not visible"),
        "{text}"
    );

    // A daily limit: the poll fails, the position stays, and the next tick catches up.
    fake.inject(
        weft_tests::fake::FaultRule::parse("daily_limit GET /services/data/*/query* x1").unwrap(),
    );
    let later = rest.create("Keep me too").await;
    wait_for_log(&log, "poll failed", 1).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !received
        .lock()
        .iter()
        .any(|body| body["id"] == later.as_str())
    {
        assert!(
            Instant::now() < deadline,
            "{}",
            std::fs::read_to_string(&log).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("REQUEST_LIMIT_EXCEEDED") || text.contains("request limit"),
        "{text}"
    );
    weft.kill().unwrap();
    weft.wait().unwrap();
    assert_eq!(received.lock().len(), 2, "{:#?}", received.lock());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_state_stops_the_trigger_until_reset_state_starts_it_afresh() {
    let fake = org_with_accounts(2).await;
    let (home, hook, received) = weft_and_collector(&fake).await;
    let file = home.path().join("reset.json");
    let workflow = workflow("wf-reset", "accountCreated", &hook, "* * * * * *");
    std::fs::write(&file, workflow.to_string()).unwrap();
    let files = [file.to_string_lossy().into_owned()];
    let log = home.path().join("weft.log");
    let mut weft = start(&home, &files, &log);
    wait_for_log(&log, "active; polling on schedule", 1).await;
    weft.kill().unwrap();
    weft.wait().unwrap();

    // Changed outside weft: the cursor is no longer JSON.
    let database = rusqlite::Connection::open(home.path().join("weft.db")).unwrap();
    let damaged = database
        .execute(
            "UPDATE trigger_state SET state = '{\"weft\": ' WHERE workflow = 'wf-reset'",
            [],
        )
        .unwrap();
    assert_eq!(damaged, 1);
    drop(database);
    let status = start(&home, &files, &log).wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(status.code(), Some(1), "{text}");
    assert!(
        text.contains("trigger \"Salesforce Trigger\" of workflow wf-reset is not JSON"),
        "{text}"
    );
    assert!(
        text.contains("hint: run `weft start --reset-state`"),
        "{text}"
    );

    // Reset: a new baseline, so the existing records are not emitted; new ones are.
    let mut weft = Command::new(weft_binary())
        .args(["start", "--reset-state", "--min-poll-interval", "1"])
        .args(&files)
        .env("WEFT_HOME", home.path())
        .env("WEFT_ENCRYPTION_KEY", "k")
        .stdout(Stdio::null())
        .stderr(std::fs::OpenOptions::new().append(true).open(&log).unwrap())
        .spawn()
        .unwrap();
    wait_for_log(&log, "active; polling on schedule", 2).await;
    let created = Rest::connect(&fake).await.create("After the reset").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while received.lock().is_empty() {
        assert!(
            Instant::now() < deadline,
            "{}",
            std::fs::read_to_string(&log).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    weft.kill().unwrap();
    weft.wait().unwrap();
    let bodies = received.lock().clone();
    assert_eq!(bodies.len(), 1, "{bodies:#?}");
    assert_eq!(bodies[0]["id"], created.as_str());
}

/// Waits until `received` holds a delivery of record `id`.
async fn wait_for_delivery(received: &Received, id: &str, log: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !received.lock().iter().any(|body| body["id"] == id) {
        assert!(
            Instant::now() < deadline,
            "{id} was not delivered:\n{}",
            std::fs::read_to_string(log).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_start_sees_credentials_changed_removed_and_imported_after_it_started() {
    let fake = org_with_accounts(1).await;
    let (home, hook, received) = weft_and_collector(&fake).await;
    let file = home.path().join("wf-creds.json");
    let workflow = workflow("wf-creds", "accountCreated", &hook, "* * * * * *");
    std::fs::write(&file, workflow.to_string()).unwrap();
    let log = home.path().join("weft.log");
    let mut weft = start(&home, &[file.to_string_lossy().into_owned()], &log);
    wait_for_log(&log, "active; polling on schedule", 1).await;
    let rest = Rest::connect(&fake).await;

    // Changed: the next poll authenticates with the new data (a user who has not approved the
    // app), not with the session of the old data.
    let mut unapproved = jwt_credential(fake.instance_url());
    unapproved["data"]["username"] = json!("unapproved@example.com");
    home.import(&json!([unapproved]));
    wait_for_log(&log, "user hasn't approved this consumer", 1).await;

    // Changed back: polls work again and catch up on a record created meanwhile.
    let during_change = rest.create("Created while the credential was wrong").await;
    home.import_jwt(fake.instance_url());
    wait_for_delivery(&received, &during_change, &log).await;

    // Removed: the next polls fail at once with weft's problem, and nothing is sent to
    // Salesforce for it, neither a token request nor an API call.
    let removed = home.weft(&["credentials", "remove", "jwt1"]);
    assert!(
        removed.status.success(),
        "{}",
        String::from_utf8_lossy(&removed.stderr)
    );
    let missing = "No stored salesforceJwtApi credential with id \"jwt1\" or name \"jwt\"";
    let failures_before = std::fs::read_to_string(&log)
        .unwrap()
        .matches(missing)
        .count();
    wait_for_log(&log, missing, failures_before + 1).await;
    let before = fake.counters();
    wait_for_log(&log, missing, failures_before + 3).await;
    let after = fake.counters();
    assert_eq!(after.token_requests, before.token_requests);
    assert_eq!(after.api_calls, before.api_calls);

    // Imported again: the trigger goes on from where it stopped.
    let during_removal = rest.create("Created while the credential was gone").await;
    home.import_jwt(fake.instance_url());
    wait_for_delivery(&received, &during_removal, &log).await;
    assert!(weft.try_wait().unwrap().is_none(), "weft start stopped");
    weft.kill().unwrap();
    weft.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_panics_is_recorded_as_failed_and_start_goes_on() {
    let fake = org_with_accounts(1).await;
    let (home, hook, received) = weft_and_collector(&fake).await;
    // A trigger into the test-only Panic node, next to an ordinary trigger into the collector.
    let mut panicking = workflow("wf-panic", "accountCreated", "unused", "* * * * * *");
    panicking["nodes"][1] = json!({"id": "2", "name": "Panic", "type": "weft-test.panic",
                                   "typeVersion": 1, "position": [200, 0], "parameters": {}});
    panicking["connections"] =
        json!({"Salesforce Trigger": {"main": [[{"node": "Panic", "type": "main", "index": 0}]]}});
    let delivering = workflow("wf-hook", "accountCreated", &hook, "* * * * * *");
    let mut files = Vec::new();
    for (name, document) in [("panic.json", panicking), ("hook.json", delivering)] {
        let file = home.path().join(name);
        std::fs::write(&file, document.to_string()).unwrap();
        files.push(file.to_string_lossy().into_owned());
    }
    let log = home.path().join("weft.log");
    let with_panic_node = std::path::Path::new(env!("CARGO_BIN_EXE_weft-with-example"));
    let mut weft = start_with(with_panic_node, &home, &files, &log);
    wait_for_log(&log, "active; polling on schedule", 2).await;
    let rest = Rest::connect(&fake).await;

    // Each new record panics the one workflow's run and reaches the collector through the other.
    for round in 1..=2 {
        let id = rest.create(&format!("Record {round}")).await;
        wait_for_delivery(&received, &id, &log).await;
        wait_for_log(&log, "the run panicked", round).await;
        assert!(weft.try_wait().unwrap().is_none(), "weft start died");
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains(weft_tests::panic_node::PANIC_MESSAGE),
        "{text}"
    );

    let terminated = Command::new("kill")
        .args(["-TERM", &weft.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    assert_eq!(weft.wait().unwrap().code(), Some(0), "{text}");

    // Recorded as failed runs, each record once: the trigger moved past them.
    let database = rusqlite::Connection::open(home.path().join("weft.db")).unwrap();
    let failed: Vec<(String, u32, String)> = database
        .prepare(
            "SELECT status, items, error FROM executions WHERE workflow = 'wf-panic' ORDER BY id",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(failed.len(), 2, "{failed:?}");
    for (status, items, error) in &failed {
        assert_eq!((status.as_str(), *items), ("error", 1), "{error}");
        assert!(
            error.starts_with(&format!(
                "the run panicked: {}",
                weft_tests::panic_node::PANIC_MESSAGE
            )),
            "{error}"
        );
    }
}

/// Schedule Trigger (every `seconds` s, in `zone`) → No Op → a POST of the item to `hook`.
fn schedule_workflow(version: f64, seconds: u32, zone: &str, hook: &str) -> Value {
    json!({
        "id": "wf-schedule",
        "name": "Every second",
        "nodes": [
            {"id": "s1", "name": "Schedule Trigger", "type": "n8n-nodes-base.scheduleTrigger",
             "typeVersion": version, "position": [0, 0],
             "parameters": {"rule": {"interval": [{"field": "seconds", "secondsInterval": seconds}]}}},
            {"id": "s2", "name": "No Operation, do nothing", "type": "n8n-nodes-base.noOp",
             "typeVersion": 1, "position": [200, 0], "parameters": {}},
            {"id": "s3", "name": "Hook", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2,
             "position": [400, 0],
             "parameters": {"url": hook, "method": "POST", "sendBody": true, "specifyBody": "json",
                            "jsonBody": "={{ $json }}", "options": {}}}
        ],
        "connections": {
            "Schedule Trigger": {"main": [[{"node": "No Operation, do nothing", "type": "main", "index": 0}]]},
            "No Operation, do nothing": {"main": [[{"node": "Hook", "type": "main", "index": 0}]]}
        },
        "settings": {"executionOrder": "v1", "timezone": zone}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_trigger_fires_on_its_ticks_each_a_recorded_run() {
    let home = WeftHome::new();
    let (hook, received) = collector().await;
    let file = home.path().join("schedule.json");
    let document = schedule_workflow(1.2, 1, "Asia/Kolkata", &hook);
    std::fs::write(&file, document.to_string()).unwrap();
    let log = home.path().join("weft.log");
    // No --min-poll-interval: the poll-time floor does not apply to a Schedule Trigger.
    let mut weft = home
        .command(&["start", &file.to_string_lossy()])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    wait_for_log(&log, "active; polling on schedule", 1).await;
    wait_for_log(&log, "poll: run succeeded", 2).await;
    let terminated = Command::new("kill")
        .args(["-TERM", &weft.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(weft.wait().unwrap().code(), Some(0), "{text}");

    // Each run posted n8n's timestamp item for its tick: a whole second (no run at activation,
    // which would carry the moment's milliseconds), in the workflow's zone, one second apart.
    let items = received.lock().clone();
    assert!(items.len() >= 2, "{items:?}\n{text}");
    let mut previous: Option<chrono::DateTime<chrono::FixedOffset>> = None;
    for item in &items {
        let names: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = [
            "timestamp",
            "Readable date",
            "Readable time",
            "Day of week",
            "Year",
            "Month",
            "Day of month",
            "Hour",
            "Minute",
            "Second",
            "Timezone",
        ];
        expected.sort_unstable();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, expected, "{item}");
        let timestamp = item["timestamp"].as_str().unwrap();
        assert!(timestamp.ends_with(".000+05:30"), "{item}");
        let at = chrono::DateTime::parse_from_rfc3339(timestamp).unwrap();
        assert_eq!(item["Timezone"], "Asia/Kolkata (UTC+05:30)");
        assert_eq!(item["Second"], at.format("%S").to_string());
        assert_eq!(item["Hour"], at.format("%H").to_string());
        assert_eq!(item["Year"], at.format("%Y").to_string());
        assert_eq!(item["Day of week"], at.format("%A").to_string());
        assert_eq!(
            item["Readable time"],
            at.format("%-I:%M:%S %P").to_string(),
            "{item}"
        );
        if let Some(previous) = previous {
            assert!(at > previous, "ticks out of order: {items:?}");
        }
        previous = Some(at);
    }

    // Each tick is a successful run of one item in the store, as a polling trigger's.
    let database = rusqlite::Connection::open(home.path().join("weft.db")).unwrap();
    let runs: Vec<(String, String, u32)> = database
        .prepare(
            "SELECT node, status, items FROM executions WHERE workflow = 'wf-schedule' ORDER BY id",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(runs.len(), items.len(), "{runs:?}");
    for run in &runs {
        assert_eq!(
            run,
            &("Schedule Trigger".to_owned(), "success".to_owned(), 1)
        );
    }
}

#[test]
fn workflows_that_cannot_be_started_are_refused_before_anything_runs() {
    let home = WeftHome::new();
    let fast = home.path().join("fast.json");
    let hook = "http://127.0.0.1:9/hook";
    std::fs::write(
        &fast,
        workflow("wf", "accountCreated", hook, "* * * * * *").to_string(),
    )
    .unwrap();
    let manual = home.path().join("manual.json");
    std::fs::write(
        &manual,
        json!({
            "nodes": [{"id": "1", "name": "Start", "type": "n8n-nodes-base.manualTrigger",
                       "typeVersion": 1, "position": [0, 0], "parameters": {}}],
            "connections": {}
        })
        .to_string(),
    )
    .unwrap();
    let zero = home.path().join("zero.json");
    std::fs::write(&zero, schedule_workflow(1.3, 0, "UTC", hook).to_string()).unwrap();
    let output = home.weft(&[
        "start",
        &fast.to_string_lossy(),
        &manual.to_string_lossy(),
        &zero.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "zero.json: \"Schedule Trigger\": Invalid interval: Seconds must be in range 1-59"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("fast.json: the trigger's poll times: The polling interval is too short"),
        "{stderr}"
    );
    assert!(stderr.contains("--min-poll-interval"), "{stderr}");
    assert!(
        stderr.contains(
            "manual.json: \"Start\" (n8n-nodes-base.manualTrigger) is not a polling trigger"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was started"), "{stderr}");

    // A workflow whose first poll fails (its credential is not stored) does not start.
    let output = home.weft(&["start", &fast.to_string_lossy(), "--min-poll-interval", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("fast.json: the trigger's first poll failed, so the workflow did not start"),
        "{stderr}"
    );
}
