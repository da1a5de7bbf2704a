//! The interactive form of `weft credentials add` (no `--data`), run as a process whose stdin is
//! a pipe: answers are read line by line, prompts go to stderr, the id to stdout, and secrets
//! appear in neither.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};
use tempfile::TempDir;

const KEY_FILE: &str = "tests/fixtures/keys/test-rsa-pkcs8.pem";
const CANARY: &str = "CANARY-f0rm-5ecret-31";

/// A weft home in a temporary directory.
struct Home(TempDir);

impl Home {
    fn new() -> Self {
        Self(TempDir::new().unwrap())
    }

    /// Runs weft with `answers` (one per line) on stdin.
    fn weft(&self, args: &[&str], answers: &[&str]) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(args)
            .current_dir(repo())
            .env("WEFT_HOME", self.0.path())
            .env("WEFT_ENCRYPTION_KEY", "form-test-key")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = answers.join("\n");
        input.push('\n');
        // weft may stop reading early (a refused type, a form given up): ignore a closed pipe.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        child.wait_with_output().unwrap()
    }

    /// Runs the form and expects success; returns the printed id and the prompts.
    fn add(&self, args: &[&str], answers: &[&str]) -> (String, String) {
        let mut all = vec!["credentials", "add"];
        all.extend_from_slice(args);
        let out = self.weft(&all, answers);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let id = text(&out.stdout).trim().to_owned();
        assert!(!id.is_empty() && !id.contains(char::is_whitespace), "{id}");
        (id, stderr)
    }

    /// The stored credentials, through `export --decrypted -o`.
    fn exported(&self) -> Vec<Value> {
        let file = self.0.path().join("export.json");
        let out = self.weft(
            &[
                "credentials",
                "export",
                "--decrypted",
                "-o",
                file.to_str().unwrap(),
            ],
            &[],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let rows: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        rows.as_array().unwrap().clone()
    }

    /// The data of the only stored credential, after checking its id, name and type.
    fn stored(&self, id: &str, name: &str, type_name: &str) -> Value {
        let rows = self.exported();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["id"], id);
        assert_eq!(rows[0]["name"], name);
        assert_eq!(rows[0]["type"], type_name);
        rows[0]["data"].clone()
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The test key as stored: the file without its final line break.
fn pem() -> String {
    std::fs::read_to_string(repo().join(KEY_FILE))
        .unwrap()
        .trim_end()
        .to_owned()
}

/// A line from the middle of the test key, which must never be printed.
fn pem_line() -> String {
    pem().lines().nth(5).unwrap().to_owned()
}

fn assert_no_secret(out: &str) {
    assert!(!out.contains(CANARY), "a secret was printed:\n{out}");
    assert!(!out.contains(&pem_line()), "the key was printed:\n{out}");
}

/// The answer that reads the test key from its file. JWT fields are asked in the order the
/// schema declares them: environment, clientId, username, privateKey, myDomainUrl, (audience),
/// apiVersion.
const KEY_ANSWER: &str = "@tests/fixtures/keys/test-rsa-pkcs8.pem";

#[test]
fn jwt_form_asks_type_and_name_reads_the_key_file_and_stores_choices_and_defaults() {
    let home = Home::new();
    let (id, stderr) = home.add(
        &[],
        &[
            "salesforceJwtApi", // the type, by value
            "Form JWT",
            "2",                       // Environment Type: 2) Sandbox
            "jwt-client",              // Client ID
            "integration@example.com", // Username
            KEY_ANSWER,                // Private Key
            "",                        // My Domain URL: left empty, so no Audience
            "",                        // API Version: the default
        ],
    );
    for shown in [
        "Credential type (required)",
        "salesforceJwtApi - Salesforce JWT API",
        "Client ID (required)",
        "Consumer Key from Salesforce Connected App",
        "API Version [default: 66.0]",
        "Environment Type [default: 1) Production]",
        "  2) Sandbox - Sandboxes",
        "e.g. https://mycompany.my.salesforce.com",
    ] {
        assert!(stderr.contains(shown), "{shown:?} missing:\n{stderr}");
    }
    assert!(!stderr.contains("Audience"), "{stderr}");
    assert!(
        !stderr.contains("Access Token"),
        "hidden field asked:\n{stderr}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "terminal control codes:\n{stderr}"
    );
    assert_no_secret(&stderr);
    let data = home.stored(&id, "Form JWT", "salesforceJwtApi");
    assert_eq!(
        data,
        json!({
            "apiVersion": "66.0",
            "clientId": "jwt-client",
            "environment": "sandbox",
            "myDomainUrl": "",
            "privateKey": pem(),
            "username": "integration@example.com"
        })
    );
}

#[test]
fn an_empty_required_field_is_asked_again_with_the_reason() {
    let home = Home::new();
    let (id, stderr) = home.add(
        &["--type", "salesforceJwtApi", "--name", "Required"],
        &[
            "",
            "   ", // Client ID left empty
            "jwt-client",
            "integration@example.com",
            KEY_ANSWER,
            "",
            "",
        ],
    );
    assert_eq!(
        stderr
            .matches("Client ID is required: enter a value")
            .count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        home.stored(&id, "Required", "salesforceJwtApi")["clientId"],
        "jwt-client"
    );
}

#[test]
fn a_lightning_host_is_reported_and_only_that_field_is_asked_again() {
    let home = Home::new();
    let (id, stderr) = home.add(
        &[
            "--type",
            "salesforceJwtApi",
            "--name",
            "Corrected",
            "--id",
            "formJwt01",
        ],
        &[
            "",
            "jwt-client",
            "integration@example.com",
            KEY_ANSWER,
            "https://acme.lightning.force.com", // My Domain URL: refused after the form
            "",                                 // Audience
            "",                                 // API Version
            "https://acme.my.salesforce.com",   // My Domain URL again
        ],
    );
    assert_eq!(id, "formJwt01");
    assert!(
        stderr.contains(
            "My Domain URL (myDomainUrl): is a Lightning UI host, which does not serve the API\n  hint: use the My Domain URL instead"
        ),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("\nMy Domain URL (optional)").count(),
        2,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("\nClient ID (required)").count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("\nPrivate Key (required)").count(),
        1,
        "{stderr}"
    );
    assert_no_secret(&stderr);
    let data = home.stored(&id, "Corrected", "salesforceJwtApi");
    assert_eq!(data["myDomainUrl"], "https://acme.my.salesforce.com");
    assert_eq!(data["audience"], "");
    assert_eq!(data["privateKey"], pem());
}

#[test]
fn audience_is_asked_only_when_my_domain_is_set_and_a_pasted_pem_is_read_to_its_end() {
    let home = Home::new();
    let mut answers = vec!["production", "jwt-client", "integration@example.com"];
    let pem = pem();
    answers.extend(pem.lines());
    answers.extend([
        "https://acme.my.salesforce.com",
        "https://acme.my.site.com", // Audience, asked right after My Domain URL
        "59.0",
    ]);
    let (id, stderr) = home.add(
        &["--type", "salesforceJwtApi", "--name", "Audience"],
        &answers,
    );
    let audience = stderr.find("\nAudience (optional)").expect(&stderr);
    let my_domain = stderr.find("\nMy Domain URL (optional)").unwrap();
    let key = stderr.find("\nPrivate Key (required)").unwrap();
    let api_version = stderr.find("\nAPI Version [default: 66.0]").unwrap();
    assert!(
        key < my_domain && my_domain < audience && audience < api_version,
        "{stderr}"
    );
    assert_no_secret(&stderr);
    let data = home.stored(&id, "Audience", "salesforceJwtApi");
    assert_eq!(data["apiVersion"], "59.0");
    assert_eq!(data["environment"], "production");
    assert_eq!(data["audience"], "https://acme.my.site.com");
    assert_eq!(data["privateKey"], pem);
}

#[test]
fn a_secret_typed_into_the_form_is_stored_but_never_printed() {
    let home = Home::new();
    let (id, stderr) = home.add(
        &["--type", "salesforceClientCredentialsApi"],
        &[
            "Client credentials", // the name
            "acme.my.salesforce.com",
            "cc-client",
            CANARY,
            "basic",
            "",
        ],
    );
    assert!(stderr.contains("Client Secret (required)"), "{stderr}");
    assert_no_secret(&stderr);
    let data = home.stored(&id, "Client credentials", "salesforceClientCredentialsApi");
    assert_eq!(
        data,
        json!({
            "apiVersion": "66.0",
            "clientAuth": "basic",
            "clientId": "cc-client",
            "clientSecret": CANARY,
            "url": "acme.my.salesforce.com"
        })
    );
}

#[test]
fn the_form_gives_up_after_three_rounds_of_corrections_and_stores_nothing() {
    let home = Home::new();
    let lightning = "https://acme.lightning.force.com";
    let out = home.weft(
        &[
            "credentials",
            "add",
            "--type",
            "salesforceJwtApi",
            "--name",
            "x",
        ],
        &[
            "",
            "jwt-client",
            "someone",
            KEY_ANSWER,
            lightning,
            "",
            "",
            lightning,
            lightning,
            lightning,
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("is a Lightning UI host").count(),
        4,
        "{stderr}"
    );
    assert!(
        stderr.contains("still invalid after 3 corrections; nothing was stored"),
        "{stderr}"
    );
    assert!(text(&out.stdout).is_empty());
    assert!(home.exported().is_empty());
}

#[test]
fn input_that_ends_early_or_an_unknown_type_stores_nothing() {
    let home = Home::new();
    let out = home.weft(
        &[
            "credentials",
            "add",
            "--type",
            "salesforceJwtApi",
            "--name",
            "x",
        ],
        &["", "jwt-client"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the input ended before the form was complete"));
    let out = home.weft(
        &["credentials", "add", "--type", "nope", "--name", "x"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown credential type `nope`"));
    let out = home.weft(&["credentials", "add", "--data", KEY_FILE], &[]);
    assert_eq!(out.status.code(), Some(2), "--data needs --type and --name");
    assert!(home.exported().is_empty());
}

/// Runs weft with stdin fed by a thread that writes `chunk` until weft stops reading.
fn weft_with_endless_stdin(home: &Home, args: &[&str], chunk: &'static [u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .current_dir(repo())
        .env("WEFT_HOME", home.0.path())
        .env("WEFT_ENCRYPTION_KEY", "form-test-key")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || while stdin.write_all(chunk).is_ok() {});
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

#[test]
fn an_endless_stdin_ends_the_form_with_an_error_and_stores_nothing() {
    let home = Home::new();
    for (chunk, reason) in [
        (
            &b"y\n"[..],
            "Environment Type was refused 5 times; nothing was stored",
        ),
        (
            &[b'x'; 4096][..],
            "the answers on stdin are longer than 4 MiB in all; nothing was stored",
        ),
    ] {
        let out = weft_with_endless_stdin(
            &home,
            &[
                "credentials",
                "add",
                "--type",
                "salesforceJwtApi",
                "--name",
                "Endless",
            ],
            chunk,
        );
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(reason),
            "{}",
            &stderr[stderr.len().saturating_sub(400)..]
        );
    }
    let listed = home.weft(&["credentials", "list", "--json"], &[]);
    assert_eq!(text(&listed.stdout).trim(), "[]");
}

#[test]
fn an_endless_file_is_refused_past_its_limit() {
    let home = Home::new();
    for args in [
        &["credentials", "validate", "/dev/zero"][..],
        &["credentials", "import", "/dev/zero"],
        &["run", "/dev/zero"],
    ] {
        let out = home.weft(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("cannot read /dev/zero: longer than 64 MiB (weft reads no more)"),
            "{args:?}: {stderr}"
        );
    }
}
