//! `weft credentials import|add|list|export|remove` against a real store, run as a process with
//! `WEFT_HOME` in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use tempfile::TempDir;

const SAMPLE: &str = "examples/credentials/n8n-export.json";
const SAMPLE_IDS: [&str; 3] = ["weftSampleJwt001", "weftSampleOAuth01", "weftSampleCc00001"];
const CANARY: &str = "CANARY-st0re-5ecret-77";

/// A weft home with its key.
struct Home {
    dir: TempDir,
    key: &'static str,
}

impl Home {
    fn new() -> Self {
        Self::with_key("test-key-one")
    }

    fn with_key(key: &'static str) -> Self {
        Self {
            dir: TempDir::new().unwrap(),
            key,
        }
    }

    fn weft(&self, args: &[&str]) -> Output {
        self.weft_with_key(self.key, args)
    }

    fn weft_with_key(&self, key: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(args)
            .current_dir(repo())
            .env("WEFT_HOME", self.dir.path())
            .env("WEFT_ENCRYPTION_KEY", key)
            .output()
            .unwrap()
    }

    /// Runs weft and expects success.
    fn ok(&self, args: &[&str]) -> Output {
        let out = self.weft(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        out
    }

    fn file(&self, name: &str, content: &Value) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content.to_string()).unwrap();
        path
    }

    fn listed_ids(&self) -> Vec<String> {
        let list: Value =
            serde_json::from_slice(&self.ok(&["credentials", "list", "--json"]).stdout).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The rows of an export without the timestamps, which differ between stores.
fn without_times(export: &Value) -> Value {
    let mut rows = export.clone();
    for row in rows.as_array_mut().unwrap() {
        let row = row.as_object_mut().unwrap();
        row.remove("createdAt").unwrap();
        row.remove("updatedAt").unwrap();
    }
    rows
}

/// An OAuth2 credential with a canary in every secret, including n8n's undescribed `id_token`.
fn oauth_row(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Connected OAuth2",
        "type": "salesforceOAuth2Api",
        "data": {
            "clientId": "public-client-id",
            "clientSecret": format!("{CANARY}-client"),
            "oauthTokenData": {
                "access_token": format!("{CANARY}-access"),
                "refresh_token": format!("{CANARY}-refresh"),
                "id_token": format!("{CANARY}-id"),
                "instance_url": "https://acme.my.salesforce.com",
                "token_type": "Bearer"
            }
        },
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-01T00:00:00.000Z",
        "isManaged": false
    })
}

#[test]
fn import_keeps_n8n_ids_and_names_and_list_shows_no_data() {
    let home = Home::new();
    let out = home.ok(&["credentials", "import", SAMPLE]);
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "imported weftSampleJwt001 salesforceJwtApi \"Salesforce JWT (sample)\"",
            "imported weftSampleOAuth01 salesforceOAuth2Api \"Salesforce OAuth2 (sample)\"",
            "imported weftSampleCc00001 salesforceClientCredentialsApi \"Salesforce client credentials (sample)\"",
        ]
    );

    let table = text(&home.ok(&["credentials", "list"]).stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].ends_with("UPDATED"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("weftSampleJwt001") && lines[1].contains("Salesforce JWT (sample)")
    );
    assert!(!table.contains("weft-test-secret") && !table.contains("PRIVATE KEY"));

    let list: Value =
        serde_json::from_slice(&home.ok(&["credentials", "list", "--json"]).stdout).unwrap();
    for credential in list.as_array().unwrap() {
        let mut keys: Vec<&String> = credential.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["createdAt", "id", "name", "type", "updatedAt"]);
    }

    // Importing again replaces by id instead of duplicating.
    home.ok(&["credentials", "import", SAMPLE]);
    let mut ids = home.listed_ids();
    ids.sort();
    let mut expected = SAMPLE_IDS.to_vec();
    expected.sort();
    assert_eq!(ids, expected);
}

#[test]
fn import_of_a_file_with_any_problem_stores_nothing_and_reports_every_problem() {
    let home = Home::new();
    let mut bad_row = oauth_row("second");
    bad_row["data"]["clientId"] = json!("={{ $secrets.vault.clientId }}");
    let file = home.file(
        "mixed.json",
        &json!([
            oauth_row("first"),
            bad_row,
            {"id": "third", "name": "encrypted", "type": "salesforceJwtApi", "data": "U2FsdGVkX1+abc"},
            {"name": "no id", "type": "salesforceOAuth2Api", "data": {"clientId": "c", "clientSecret": "s"}},
            oauth_row("first")
        ]),
    );
    let out = home.weft(&["credentials", "import", path(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let name = file.display().to_string();
    for expected in [
        format!("{name}: [1].data.clientId: "),
        format!(
            "{name}: [2].data: is encrypted\n  hint: re-export with `n8n export:credentials --decrypted`"
        ),
        format!("{name}: [3].id: is required"),
        format!("{name}: [4].id: repeats the id of [0]"),
        "nothing was imported".to_owned(),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains(CANARY));
    assert!(home.listed_ids().is_empty());

    // An id the store refuses, found only when storing, still stores nothing of the file.
    let file = home.file(
        "bad-id.json",
        &json!([oauth_row("fine"), oauth_row("not:valid")]),
    );
    let out = home.weft(&["credentials", "import", path(&file)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("invalid credential id \"not:valid\" (hint: "));
    assert!(home.listed_ids().is_empty());

    // A bare data object has no id: import points to `add`.
    let file = home.file("bare.json", &oauth_row("x")["data"]);
    let out = home.weft(&[
        "credentials",
        "import",
        "--type",
        "salesforceOAuth2Api",
        path(&file),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("weft credentials add --type"));
}

#[test]
fn export_decrypted_round_trips_through_a_fresh_store() {
    let first = Home::new();
    first.ok(&["credentials", "import", SAMPLE]);
    let file = first.dir.path().join("export.json");
    let out = first.ok(&[
        "credentials",
        "export",
        "--decrypted",
        "--output",
        path(&file),
    ]);
    assert_eq!(text(&out.stdout).lines().count(), 3);
    assert!(text(&out.stdout).contains("exported weftSampleJwt001 salesforceJwtApi"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join(SAMPLE)).unwrap()).unwrap();
    let row = &exported[0];
    assert_eq!(row["isManaged"], false);
    assert!(row["createdAt"].as_str().unwrap().ends_with('Z'));
    let by_id = |rows: &Value, id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    for id in SAMPLE_IDS {
        let (ours, theirs) = (by_id(&exported, id), by_id(&sample, id));
        for key in ["name", "type", "data"] {
            assert_eq!(ours[key], theirs[key], "{id} {key}");
        }
    }

    let second = Home::with_key("another-key");
    second.ok(&["credentials", "import", path(&file)]);
    let again: Value =
        serde_json::from_slice(&second.ok(&["credentials", "export", "--decrypted"]).stdout)
            .unwrap();
    assert_eq!(without_times(&again), without_times(&exported));

    // Selecting by id or name, each once.
    let one: Value = serde_json::from_slice(
        &second
            .ok(&[
                "credentials",
                "export",
                "--decrypted",
                "weftSampleOAuth01",
                "Salesforce OAuth2 (sample)",
            ])
            .stdout,
    )
    .unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    let out = second.weft(&["credentials", "export", "--decrypted", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no credential has the id \"nope\""));
    assert!(out.stdout.is_empty());
}

#[test]
fn export_without_the_decrypted_flag_refuses_or_drops_every_secret() {
    let home = Home::new();
    let file = home.file("oauth.json", &json!([oauth_row("oauthConnected01")]));
    home.ok(&["credentials", "import", path(&file)]);

    let out = home.weft(&["credentials", "export"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot be imported again") && stderr.contains("hint: pass --decrypted"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    let out = home.ok(&["credentials", "export", "--without-secrets"]);
    let exported: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        exported[0]["data"],
        json!({
            "clientId": "public-client-id",
            "oauthTokenData": {"instance_url": "https://acme.my.salesforce.com"}
        })
    );
    assert!(!text(&out.stdout).contains(CANARY));

    // Such an export cannot be imported back: validation says what is missing.
    let partial = home.file("partial.json", &exported);
    let out = home.weft(&["credentials", "import", path(&partial)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[0].data.clientSecret: is required"));
}

#[test]
fn add_stores_one_data_object_and_prints_its_id() {
    let home = Home::new();
    let data = home.file("data.json", &oauth_row("unused")["data"]);
    let out = home.ok(&[
        "credentials",
        "add",
        "--type",
        "salesforceOAuth2Api",
        "--name",
        "Added",
        "--data",
        path(&data),
    ]);
    let id = text(&out.stdout).trim().to_owned();
    assert_eq!(id.len(), 16);
    assert_eq!(home.listed_ids(), [id]);

    let args = [
        "credentials",
        "add",
        "--type",
        "salesforceOAuth2Api",
        "--name",
        "Mine",
        "--data",
        path(&data),
        "--id",
        "myOwnId",
    ];
    assert_eq!(text(&home.ok(&args).stdout), "myOwnId\n");
    let out = home.weft(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("a credential with id myOwnId exists already (hint: "));

    let out = home.weft(&[
        "credentials",
        "add",
        "--type",
        "salesforceJwtApi",
        "--name",
        "x",
        "--data",
        SAMPLE,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(
        "is a credential export, not a data object\n  hint: use `weft credentials import"
    ));

    let out = home.weft(&[
        "credentials",
        "add",
        "--type",
        "salesforceJwtApi",
        "--name",
        "x",
        "--data",
        path(&data),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("username: is required"));
    assert_eq!(home.listed_ids().len(), 2);
}

#[test]
fn remove_deletes_by_id_or_name_and_explains_a_miss() {
    let home = Home::new();
    home.ok(&["credentials", "import", SAMPLE]);
    assert_eq!(
        text(
            &home
                .ok(&["credentials", "remove", "weftSampleJwt001"])
                .stdout
        ),
        "removed weftSampleJwt001\n"
    );
    home.ok(&["credentials", "remove", "Salesforce OAuth2 (sample)"]);
    assert_eq!(home.listed_ids(), ["weftSampleCc00001"]);

    let out = home.weft(&["credentials", "remove", "weftSampleJwt001"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("hint: `weft credentials list` shows the stored credentials")
    );
}

#[test]
fn a_wrong_key_is_a_store_error_with_a_hint() {
    let home = Home::new();
    home.ok(&["credentials", "import", SAMPLE]);
    for args in [
        &["credentials", "list"][..],
        &["credentials", "export", "--decrypted"],
        &["credentials", "import", SAMPLE],
        &["credentials", "remove", "weftSampleJwt001"],
    ] {
        let out = home.weft_with_key("not-the-key", args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("WEFT_ENCRYPTION_KEY does not match the key")
                && stderr.contains("(hint: "),
            "{stderr}"
        );
        assert!(!stderr.contains("not-the-key") && out.stdout.is_empty());
    }
    assert_eq!(home.listed_ids().len(), 3);
}

#[test]
fn a_canary_secret_never_reaches_any_output_or_the_database_file() {
    let home = Home::new();
    let file = home.file("oauth.json", &json!(oauth_row("canaryOAuth00001")));
    let data = home.file("data.json", &oauth_row("unused")["data"]);
    let mut outputs = vec![
        home.ok(&["credentials", "import", path(&file)]),
        home.ok(&[
            "credentials",
            "add",
            "--type",
            "salesforceOAuth2Api",
            "--name",
            "Added",
            "--data",
            path(&data),
        ]),
        home.ok(&["credentials", "list"]),
        home.ok(&["credentials", "list", "--json"]),
        home.ok(&["credentials", "export", "--without-secrets"]),
        home.weft(&["credentials", "export"]),
        home.weft_with_key("wrong", &["credentials", "export", "--decrypted"]),
    ];
    let decrypted = home.ok(&["credentials", "export", "--decrypted", "canaryOAuth00001"]);
    assert!(
        text(&decrypted.stdout).contains(CANARY),
        "the explicit decrypted export holds the data"
    );
    assert!(decrypted.stderr.is_empty());

    for entry in std::fs::read_dir(home.dir.path()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("weft.db") {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
                "{name} holds the canary in clear"
            );
        }
    }
    outputs.push(home.ok(&["credentials", "remove", "canaryOAuth00001"]));
    for out in &outputs {
        assert!(!text(&out.stdout).contains(CANARY) && !text(&out.stderr).contains(CANARY));
    }
}

#[test]
fn a_store_whose_key_check_was_deleted_is_refused_for_every_key() {
    let home = Home::new();
    home.ok(&["credentials", "import", SAMPLE]);
    let database = home.dir.path().join("weft.db");
    let deleted = rusqlite::Connection::open(&database)
        .unwrap()
        .execute("DELETE FROM meta WHERE key = 'key_check'", [])
        .unwrap();
    assert_eq!(deleted, 1);
    for key in ["any-other-key", home.key] {
        let out = home.weft_with_key(key, &["credentials", "list"]);
        assert_eq!(out.status.code(), Some(2), "key {key}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("its key check is missing") && stderr.contains("(hint: restore"),
            "{stderr}"
        );
    }
    let checks: i64 = rusqlite::Connection::open(&database)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM meta WHERE key = 'key_check'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(checks, 0, "no key check was written under a guessed key");
}

#[test]
fn names_with_control_characters_are_printed_escaped() {
    let home = Home::new();
    let mut row = oauth_row("forgedName000001");
    row["name"] = json!("ok\nimported evil salesforceJwtApi \"x\"\u{1b}[2J");
    let file = home.file("forged.json", &json!([row]));
    let imported = text(&home.ok(&["credentials", "import", path(&file)]).stdout);
    assert_eq!(
        imported,
        "imported forgedName000001 salesforceOAuth2Api \"ok\\nimported evil salesforceJwtApi \"x\"\\u{1b}[2J\"\n"
    );
    let listed = text(&home.ok(&["credentials", "list"]).stdout);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.contains("ok\\nimported evil") && !listed.contains('\u{1b}'),
        "{listed}"
    );
    let json: Value =
        serde_json::from_slice(&home.ok(&["credentials", "list", "--json"]).stdout).unwrap();
    assert_eq!(
        json[0]["name"], row["name"],
        "JSON output keeps the name as stored"
    );
}
