//! `weft credentials types|validate` and `weft schema`, run as a process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn weft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn types_lists_every_type_with_its_grant_as_a_table_and_as_json() {
    let expected = [
        ("httpBasicAuth", "Basic Auth", "Static"),
        ("httpBearerAuth", "Bearer Auth", "Static"),
        ("httpCustomAuth", "Custom Auth", "Static"),
        ("httpDigestAuth", "Digest Auth", "Static"),
        ("httpHeaderAuth", "Header Auth", "Static"),
        ("httpQueryAuth", "Query Auth", "Static"),
        ("imap", "IMAP", "Static"),
        ("oAuth2Api", "OAuth2 API", "ChosenByData"),
        (
            "salesforceClientCredentialsApi",
            "Salesforce Client Credentials API",
            "ClientCredentials",
        ),
        ("salesforceJwtApi", "Salesforce JWT API", "JwtBearer"),
        (
            "salesforceOAuth2Api",
            "Salesforce OAuth2 API",
            "AuthorizationCode",
        ),
        ("smtp", "SMTP", "Static"),
    ];
    let out = weft(&["credentials", "types"]);
    assert!(out.status.success());
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("NAME"));
    assert_eq!(lines.len(), expected.len() + 1, "{table}");
    for ((name, label, grant), line) in expected.iter().zip(&lines[1..]) {
        let cells: Vec<&str> = line.split("  ").filter(|cell| !cell.is_empty()).collect();
        let cells: Vec<&str> = cells.iter().map(|cell| cell.trim()).collect();
        assert_eq!(cells, [*name, *label, *grant], "{line}");
    }

    let out = weft(&["credentials", "types", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed: Vec<(&str, &str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["displayName"].as_str().unwrap(),
                t["grant"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = weft(&["schema", "salesforceJwtApi"]);
    assert!(out.status.success());
    let committed =
        std::fs::read_to_string(repo().join("schemas/credentials/salesforceJwtApi.schema.json"))
            .unwrap();
    assert_eq!(text(&out.stdout), committed);

    let out = weft(&["schema", "salesforceJwt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown credential type `salesforceJwt`"));
}

#[test]
fn validate_accepts_an_n8n_export_and_checks_each_row_by_its_type() {
    let out = weft(&[
        "credentials",
        "validate",
        "examples/credentials/n8n-export.json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 3);
    assert!(stdout.contains("valid salesforceJwtApi credential \"Salesforce JWT (sample)\""));
}

#[test]
fn validate_reports_every_problem_with_file_path_and_hint_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    let canary = "CANARY-s3cret-9f1";
    std::fs::write(
        &file,
        serde_json::json!([
            {"id": "a", "name": "ok", "type": "salesforceClientCredentialsApi",
             "data": {"url": "acme.my.salesforce.com", "clientId": "c", "clientSecret": canary}},
            {"id": "b", "name": "bad", "type": "salesforceJwtApi",
             "data": {"clientId": "c", "username": "", "privateKey": canary}},
            {"id": "c", "name": "encrypted", "type": "salesforceOAuth2Api", "data": "U2FsdGVkX1+abc"},
            {"id": "d", "name": "unknown", "type": "hubspotApi", "data": {}}
        ])
        .to_string(),
    )
    .unwrap();
    let out = weft(&["credentials", "validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let file_name = file.display().to_string();
    for expected in [
        format!("{file_name}: [1].data.username: must not be empty"),
        format!("{file_name}: [1].data.privateKey: is not a PEM private key"),
        format!(
            "{file_name}: [2].data: is encrypted\n  hint: re-export with `n8n export:credentials --decrypted`"
        ),
        format!("{file_name}: [3].type: unknown credential type `hubspotApi`"),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert_eq!(stderr.matches("  hint: ").count(), 4, "{stderr}");
    assert!(!stderr.contains(canary) && !text(&out.stdout).contains(canary));
}

#[test]
fn validate_with_type_checks_a_bare_data_object() {
    let out = weft(&[
        "credentials",
        "validate",
        "--type",
        "salesforceClientCredentialsApi",
        "examples/credentials/broken-client-credentials.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("clientId: must not be empty"), "{stderr}");
    assert!(stderr.contains("url: is a generic login host"), "{stderr}");

    let out = weft(&[
        "credentials",
        "validate",
        "examples/credentials/broken-client-credentials.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("pass --type <type>"));
}

#[test]
fn validate_names_the_line_of_broken_json_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.json");
    std::fs::write(&file, "{\n  \"clientId\": \"x\",\n  oops\n}").unwrap();
    let out = weft(&[
        "credentials",
        "validate",
        "--type",
        "salesforceJwtApi",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("broken.json: line 3, column 3: not valid JSON"));

    let out = weft(&["credentials", "validate", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read missing.json"));
}
