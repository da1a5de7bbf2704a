//! What the database file holds: no plaintext secret, and blobs bound to their rows.

use std::fs;
use std::path::Path;

use serde_json::json;
use tempfile::TempDir;
use weft_runtime::store::StoreError;

use crate::{credential, open, plain, raw, save_session};

const CANARY: &str = "canary-6f1e9a52-secret";
const SESSION_CANARY: &str = "canary-session-0d3b77-token";

/// Whether `needle` occurs in `weft.db` or its write-ahead log.
fn on_disk(home: &Path, needle: &str) -> bool {
    ["weft.db", "weft.db-wal"].iter().any(|file| {
        fs::read(home.join(file)).is_ok_and(|bytes| {
            bytes
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
        })
    })
}

#[test]
fn the_files_hold_no_secret_in_plain_text() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store
        .insert_credential(credential(
            Some("c1"),
            "Visible Name",
            json!({ "privateKey": CANARY }),
        ))
        .unwrap();
    save_session(
        &store,
        "c1",
        None,
        &json!({ "access_token": SESSION_CANARY }),
    )
    .unwrap();
    store
        .update_credential_data("c1", &json!({ "privateKey": CANARY, "v": 2 }))
        .unwrap();
    save_session(
        &store,
        "c1",
        None,
        &json!({ "access_token": SESSION_CANARY }),
    )
    .unwrap();

    // While open, the rows are in the write-ahead log; after closing, in the main file.
    assert_no_secret_on_disk(home.path());
    drop(store);
    assert_no_secret_on_disk(home.path());
}

fn assert_no_secret_on_disk(home: &Path) {
    // The scan finds what is stored in clear, so its silence about the secrets means something.
    assert!(on_disk(home, "Visible Name"));
    assert!(!on_disk(home, CANARY));
    assert!(!on_disk(home, SESSION_CANARY));
}

#[test]
fn a_credential_blob_moved_to_another_row_does_not_decrypt() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("c1")).unwrap();
    store.insert_credential(plain("c2")).unwrap();
    raw(home.path())
        .execute(
            "UPDATE credentials SET data = (SELECT data FROM credentials WHERE id = 'c1') WHERE id = 'c2'",
            [],
        )
        .unwrap();
    let err = store.get_credential("c2").unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("credential c2"), "{err}");
    assert!(!err.to_string().contains("\"user\""), "{err}");

    // The type is bound too.
    raw(home.path())
        .execute(
            "UPDATE credentials SET type = 'otherApi' WHERE id = 'c1'",
            [],
        )
        .unwrap();
    let err = store.get_credential("c1").unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
}

#[test]
fn a_session_blob_moved_to_another_credential_does_not_decrypt() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    for id in ["c1", "c2"] {
        store.insert_credential(plain(id)).unwrap();
        save_session(&store, id, None, &json!({ "access_token": id })).unwrap();
    }
    raw(home.path())
        .execute(
            "UPDATE sessions SET data = (SELECT data FROM sessions WHERE credential_id = 'c1') WHERE credential_id = 'c2'",
            [],
        )
        .unwrap();
    let err = store.load_session("c2").unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(store.load_session("c1").unwrap().is_some());
}
