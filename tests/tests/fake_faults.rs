//! Fault injection over real HTTP: every fault kind, rule matching and counts, the admin API, and
//! the `fake-salesforce` binary with its ready line and `--fault` flag.

mod fake_support;

use fake_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use weft_tests::fake::{FaultKind, FaultRule};

fn rule(kind: FaultKind) -> FaultRule {
    FaultRule {
        path: "/services/data/*".into(),
        ..FaultRule::any(kind)
    }
}

async fn limits(fake: &weft_tests::FakeSalesforce, token: &str) -> reqwest::Response {
    http()
        .get(format!("{}{V}/limits", fake.instance_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn error_faults_answer_like_salesforce() {
    let fake = start().await;
    let access = token(&fake).await;
    let cases = [
        (
            FaultKind::InvalidSession,
            401,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        ),
        (
            FaultKind::DailyLimit,
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        ),
        (
            FaultKind::ConcurrentLimit,
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentPerOrgLongTxn Limit exceeded.",
        ),
        (
            FaultKind::ServiceUnavailable,
            503,
            "SERVER_UNAVAILABLE",
            "Server Unavailable",
        ),
        (
            FaultKind::UnableToLockRow,
            400,
            "UNABLE_TO_LOCK_ROW",
            "unable to obtain exclusive access to this record or 1 records",
        ),
    ];
    for (kind, status, code, message) in cases {
        fake.inject(rule(kind));
        let response = limits(&fake, &access).await;
        assert_eq!(response.status().as_u16(), status);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, json!([{"message": message, "errorCode": code}]));
        // One request only: the next one is served.
        assert_eq!(limits(&fake, &access).await.status(), StatusCode::OK);
    }
    fake.inject(rule(FaultKind::TooManyRequests {
        retry_after: Some(7),
    }));
    let response = limits(&fake, &access).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
    fake.inject(rule(FaultKind::TooManyRequests { retry_after: None }));
    let response = limits(&fake, &access).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("retry-after").is_none());
    fake.inject(rule(FaultKind::HtmlError));
    let response = limits(&fake, &access).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("<html>"));
    fake.inject(rule(FaultKind::NoRoute));
    assert_eq!(limits(&fake, &access).await.status().as_u16(), 420);
    let faulted: Vec<_> = fake.log().into_iter().filter_map(|e| e.fault).collect();
    assert_eq!(faulted.len(), 9);
    assert_eq!(faulted[0], "invalid_session");
}

#[tokio::test]
async fn broken_bodies_delays_and_dropped_connections() {
    let fake = start().await;
    let access = token(&fake).await;
    fake.inject(rule(FaultKind::TruncatedJson));
    let response = limits(&fake, &access).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.starts_with('{') && serde_json::from_str::<Value>(&text).is_err());
    fake.inject(rule(FaultKind::InvalidJson));
    let text = limits(&fake, &access).await.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err());

    fake.inject(rule(FaultKind::Delay { ms: 300 }));
    let started = Instant::now();
    assert_eq!(limits(&fake, &access).await.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    fake.inject(rule(FaultKind::DropConnection));
    let dropped = http()
        .get(format!("{}{V}/limits", fake.instance_url()))
        .bearer_auth(&access)
        .send()
        .await;
    assert!(dropped.is_err(), "{dropped:?}");
    assert_eq!(limits(&fake, &access).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn rules_match_method_path_and_count() {
    let fake = start().await;
    let access = token(&fake).await;
    fake.inject(FaultRule::parse("service_unavailable POST /services/oauth2/token x2").unwrap());
    assert_eq!(limits(&fake, &access).await.status(), StatusCode::OK);
    let url = format!("{}/services/oauth2/token", fake.instance_url());
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
    ];
    assert_eq!(
        post_form(&url, &form).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        post_form(&url, &form).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(post_form(&url, &form).await.0, StatusCode::OK);

    // Over the admin API: add, list, clear.
    let admin = fake.admin_url();
    let added = http()
        .post(format!("{admin}/faults"))
        .body(r#"{"method":"GET","path":"/services/data/*/limits","count":3,"kind":"daily_limit"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    assert_eq!(limits(&fake, &access).await.status(), StatusCode::FORBIDDEN);
    let listed: Value = http()
        .get(format!("{admin}/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["count"], 2);
    assert_eq!(listed[0]["kind"], "daily_limit");
    http()
        .delete(format!("{admin}/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(limits(&fake, &access).await.status(), StatusCode::OK);
    let bad = http()
        .post(format!("{admin}/faults"))
        .body("{\"kind\":\"nope\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // Revocation over the admin API.
    let revoked = http()
        .post(format!("{admin}/sessions/revoke"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        limits(&fake, &access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let counters: Value = http()
        .get(format!("{admin}/counters"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Requests answered by a fault never reach the token endpoint, so they are not counted.
    assert_eq!(counters["token_requests"]["client_credentials"], 2);
}

/// A `fake-salesforce` process, killed on drop.
struct Binary(std::process::Child);

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_its_urls_and_takes_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-salesforce"))
        .args([
            "--seed",
            "Account=3000",
            "--token-lifetime",
            "600",
            "--no-default-seed",
        ])
        .args(["--fault", "daily_limit GET /services/data/*/limits x1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().unwrap();
    let process = Binary(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let ready: Value = serde_json::from_str(&line).expect("one JSON line");
    let instance = ready["instance_url"].as_str().unwrap();
    assert_eq!(ready["admin_url"], format!("{instance}/__admin"));
    assert!(
        ready["login_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    let (status, body) = post_form(
        &format!("{instance}/services/oauth2/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let access = body["access_token"].as_str().unwrap();
    let get = |path: String| {
        http()
            .get(format!("{instance}{path}"))
            .bearer_auth(access)
            .send()
    };
    assert_eq!(
        get(format!("{V}/limits")).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let page: Value = get(query_path("SELECT COUNT() FROM Account"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["totalSize"], 3000);
    drop(process);
}
