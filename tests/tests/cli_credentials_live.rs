//! `weft credentials test` and `connect`, run as processes against the fake Salesforce: each flow
//! authenticates, a second process logs in no more, connect completes through the fake's authorize
//! page, a revoked refresh token asks for a reconnect, and no secret reaches any output (logs at
//! trace level included) or the database file in plain text.

use std::process::{Command, Output};

use serde_json::{Value, json};
use tempfile::TempDir;
use weft_tests::{Connecting, FakeSalesforce, weft_binary};

const PRIVATE_KEY: &str = include_str!("../fixtures/keys/test-rsa-pkcs8.pem");
const CLIENT_SECRET: &str = "weft-test-secret";

struct Home {
    dir: TempDir,
    outputs: Vec<String>,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            outputs: Vec::new(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(weft_binary());
        command
            .args(args)
            .env("WEFT_HOME", self.dir.path())
            .env("WEFT_ENCRYPTION_KEY", "live-test-key")
            .env("WEFT_LOG", "trace");
        command
    }

    fn run(&mut self, args: &[&str]) -> Output {
        let output = self.command(args).output().unwrap();
        self.remember(&output);
        output
    }

    fn remember(&mut self, output: &Output) {
        self.outputs
            .push(String::from_utf8_lossy(&output.stdout).into_owned());
        self.outputs
            .push(String::from_utf8_lossy(&output.stderr).into_owned());
    }

    fn import(&mut self, rows: Value) {
        let file = self.dir.path().join("import.json");
        std::fs::write(&file, rows.to_string()).unwrap();
        let output = self.run(&["credentials", "import", file.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        std::fs::remove_file(file).unwrap();
    }

    /// Every secret in `secrets` is absent from every output so far and from the database files.
    fn assert_no_leak(&self, secrets: &[&str]) {
        let mut database = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("weft.db")
            {
                database.extend(std::fs::read(path).unwrap());
            }
        }
        for secret in secrets {
            assert!(secret.len() > 8, "a meaningful canary");
            for output in &self.outputs {
                assert!(
                    !output.contains(secret),
                    "secret leaked into output:\n{output}"
                );
            }
            assert!(
                !database
                    .windows(secret.len())
                    .any(|w| w == secret.as_bytes()),
                "secret in the database file in plain text"
            );
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn key_line() -> &'static str {
    PRIVATE_KEY.lines().nth(5).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_and_client_credentials_authenticate_once_across_processes() {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let mut home = Home::new();
    home.import(json!([
        {"id": "jwt1", "name": "jwt", "type": "salesforceJwtApi", "data": {
            "clientId": "weft-test-client", "username": "integration@example.com",
            "privateKey": PRIVATE_KEY, "myDomainUrl": fake.instance_url()}},
        {"id": "cc1", "name": "cc", "type": "salesforceClientCredentialsApi", "data": {
            "url": fake.instance_url(), "clientId": "weft-test-client", "clientSecret": CLIENT_SECRET}}
    ]));
    for (name, grant) in [
        ("jwt", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("cc", "client_credentials"),
    ] {
        for _ in 0..2 {
            let output = home.run(&["credentials", "test", name]);
            assert!(output.status.success(), "{}", text(&output.stderr));
            assert!(
                text(&output.stdout).contains("user integration@example.com"),
                "{}",
                text(&output.stdout)
            );
        }
        assert_eq!(
            fake.counters().token_requests.get(grant),
            Some(&1),
            "{name}"
        );
    }
    home.assert_no_leak(&[CLIENT_SECRET, key_line()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_completes_through_the_authorize_page_and_a_revoked_refresh_token_asks_for_a_reconnect()
 {
    let fake = FakeSalesforce::start_default().await.unwrap();
    let mut home = Home::new();
    home.import(
        json!([{"id": "oauth1", "name": "oauth", "type": "salesforceOAuth2Api", "data": {
        "clientId": "weft-test-client", "clientSecret": CLIENT_SECRET,
        "myDomainUrl": fake.login_url(), "scope": "api refresh_token openid"}}]),
    );

    let connect = Connecting::start(home.command(&Connecting::arguments("oauth")));
    let authorize_url = connect.authorize_url.clone();
    let browser = reqwest::Client::new();
    let page = browser.get(&authorize_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Allow Access?"));
    let authorize = url::Url::parse(&authorize_url).unwrap();
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    form.push(("username".into(), "integration@example.com".into()));
    form.push(("decision".into(), "approve".into()));
    let landed = browser
        .post(format!("{}/services/oauth2/authorize", fake.login_url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(landed.text().await.unwrap().contains("weft received"));
    let (output, printed) = connect.finish();
    home.outputs.push(printed.clone());
    home.remember(&output);
    assert!(output.status.success(), "{printed}");
    assert!(text(&output.stdout).contains("connected: credential \"oauth\""));
    assert_eq!(
        fake.counters().token_requests.get("authorization_code"),
        Some(&1)
    );

    let tested = home.run(&["credentials", "test", "oauth"]);
    assert!(tested.status.success(), "{}", text(&tested.stderr));

    let export = home
        .command(&["credentials", "export", "--decrypted", "oauth"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&export.stdout).unwrap();
    let tokens = &rows[0]["data"]["oauthTokenData"];
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
    let access_token = tokens["access_token"].as_str().unwrap().to_owned();
    assert!(fake.revoke_token(&refresh_token));

    let refused = home.run(&["credentials", "test", "oauth"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("needs to be reconnected"), "{stderr}");
    assert!(stderr.contains("weft credentials connect"), "{stderr}");
    assert_eq!(
        fake.counters().token_requests.get("refresh_token"),
        Some(&1)
    );
    home.assert_no_leak(&[CLIENT_SECRET, &refresh_token, &access_token]);
}
