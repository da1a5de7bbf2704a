//! Credentials: round trip, ids, names, upsert, removal and redaction.

use serde_json::json;
use tempfile::TempDir;
use weft_runtime::store::StoreError;

use crate::{credential, open, plain, revision};

#[test]
fn round_trips_data_and_keeps_n8n_ids() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    let data = json!({ "clientId": "3MVG9", "privateKey": "-----BEGIN PRIVATE KEY-----\n..." });
    let summary = store
        .insert_credential(credential(Some("sfGoldenJwt00001"), "Golden", data.clone()))
        .unwrap();
    assert_eq!(summary.id, "sfGoldenJwt00001");
    assert_eq!(summary.name, "Golden");
    assert_eq!(summary.type_name, "testApi");
    assert_eq!(summary.created_at, summary.updated_at);
    assert_rfc3339(&summary.created_at);

    let stored = store.get_credential("sfGoldenJwt00001").unwrap().unwrap();
    assert_eq!(stored.summary, summary);
    assert_eq!(stored.data, data);
    assert_eq!(store.list_credentials().unwrap(), vec![summary]);
}

#[test]
fn generates_an_n8n_style_id_when_none_is_given() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    let summary = store
        .insert_credential(credential(None, "New", json!({})))
        .unwrap();
    assert_eq!(summary.id.len(), 16);
    assert!(summary.id.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(store.get_credential(&summary.id).unwrap().is_some());
}

#[test]
fn refuses_a_duplicate_id_a_bad_id_and_data_that_is_not_an_object() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("a1")).unwrap();

    let err = store.insert_credential(plain("a1")).unwrap_err();
    assert!(
        matches!(&err, StoreError::DuplicateId { id } if id == "a1"),
        "{err}"
    );
    assert!(err.to_string().contains("hint:"), "{err}");

    let err = store
        .insert_credential(credential(Some("a:1"), "x", json!({})))
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidId { .. }), "{err}");

    let err = store
        .insert_credential(credential(None, "x", json!(["not", "an", "object"])))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DataNotObject { found: "an array" }),
        "{err}"
    );
    assert_eq!(store.list_credentials().unwrap().len(), 1);
}

#[test]
fn finds_by_id_first_then_by_unique_name() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store
        .insert_credential(credential(Some("p1"), "Prod", json!({})))
        .unwrap();
    // Named like p1's id: the id wins.
    store
        .insert_credential(credential(Some("x1"), "p1", json!({})))
        .unwrap();

    assert_eq!(id_of(&store, "Prod"), Some("p1".to_owned()));
    assert_eq!(id_of(&store, "p1"), Some("p1".to_owned()));
    assert_eq!(id_of(&store, "x1"), Some("x1".to_owned()));
    assert_eq!(id_of(&store, "nobody"), None);
}

#[test]
fn an_ambiguous_name_lists_the_ids() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    for id in ["p2", "p1"] {
        store
            .insert_credential(credential(Some(id), "Prod", json!({})))
            .unwrap();
    }
    for err in [
        store.get_credential("Prod").unwrap_err(),
        store.remove_credential("Prod").unwrap_err(),
    ] {
        assert!(
            matches!(&err, StoreError::AmbiguousName { name, ids } if name == "Prod" && ids == &["p1", "p2"]),
            "{err}"
        );
        assert!(err.to_string().contains("p1, p2"), "{err}");
    }
    assert_eq!(store.list_credentials().unwrap().len(), 2);
    assert_eq!(id_of(&store, "p2"), Some("p2".to_owned()));
}

#[test]
fn upsert_replaces_by_id_and_keeps_the_creation_time() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    let first = store.insert_credential(plain("imp00001")).unwrap();
    let replaced = store
        .upsert_credential(credential(Some("imp00001"), "Renamed", json!({ "v": 2 })))
        .unwrap();
    assert_eq!(replaced.id, "imp00001");
    assert_eq!(replaced.name, "Renamed");
    assert_eq!(replaced.created_at, first.created_at);
    assert_eq!(
        store.get_credential("imp00001").unwrap().unwrap().data,
        json!({ "v": 2 })
    );
    let added = store.upsert_credential(plain("imp00002")).unwrap();
    assert_eq!(added.id, "imp00002");
    assert_eq!(store.list_credentials().unwrap().len(), 2);
}

#[test]
fn updates_data_of_a_known_id_only() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("u1")).unwrap();
    store
        .update_credential_data("u1", &json!({ "user": "changed" }))
        .unwrap();
    assert_eq!(
        store.get_credential("u1").unwrap().unwrap().data,
        json!({ "user": "changed" })
    );
    let err = store.update_credential_data("u2", &json!({})).unwrap_err();
    assert!(matches!(err, StoreError::UnknownCredential { .. }), "{err}");
}

#[test]
fn every_write_gives_a_new_revision_and_reads_keep_it() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("r1")).unwrap();
    let first = revision(&store, "r1");
    assert_eq!(revision(&store, "r1"), first, "a read changes nothing");
    let stored = store.get_credential("r1").unwrap().unwrap();
    assert_eq!(stored.revision, first);

    // The same data written again, within the same millisecond, is a new revision.
    store.upsert_credential(plain("r1")).unwrap();
    let rewritten = revision(&store, "r1");
    assert_ne!(rewritten, first);
    store
        .update_credential_data("r1", &json!({ "user": "r1" }))
        .unwrap();
    let updated = revision(&store, "r1");
    assert_ne!(updated, rewritten);

    // Removed: no revision; added again with the same id and data: a revision never seen.
    assert!(store.remove_credential("r1").unwrap());
    assert_eq!(store.credential_revision("r1").unwrap(), None);
    store.insert_credential(plain("r1")).unwrap();
    let again = revision(&store, "r1");
    assert!(![first, rewritten, updated].contains(&again));
    assert!(!format!("{again:?}").contains("r1"));
}

#[test]
fn credentials_matching_a_reference_are_read_by_id_or_name() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store
        .insert_credential(credential(Some("a1"), "Prod", json!({"n": 1})))
        .unwrap();
    store
        .insert_credential(credential(Some("b2"), "Prod", json!({"n": 2})))
        .unwrap();
    store
        .insert_credential(credential(Some("c3"), "Other", json!({"n": 3})))
        .unwrap();
    let ids = |id: Option<&str>, name: &str| -> Vec<(String, serde_json::Value)> {
        store
            .credentials_matching(id, name)
            .unwrap()
            .into_iter()
            .map(|found| (found.summary.id, found.data))
            .collect()
    };
    assert_eq!(
        ids(Some("c3"), "Prod"),
        [
            ("c3".into(), json!({"n": 3})),
            ("a1".into(), json!({"n": 1})),
            ("b2".into(), json!({"n": 2}))
        ]
    );
    assert_eq!(ids(None, "Other"), [("c3".into(), json!({"n": 3}))]);
    assert!(ids(Some("gone"), "Nobody").is_empty());
}

#[test]
fn removes_by_id_or_name() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("r1")).unwrap();
    store
        .insert_credential(credential(Some("r2"), "Second", json!({})))
        .unwrap();
    assert!(store.remove_credential("r1").unwrap());
    assert!(store.remove_credential("Second").unwrap());
    assert!(!store.remove_credential("r1").unwrap());
    assert!(store.list_credentials().unwrap().is_empty());
}

#[test]
fn debug_output_and_summaries_never_show_data() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    let new = credential(Some("d1"), "Debug", json!({ "password": "hunter2-canary" }));
    assert!(!format!("{new:?}").contains("hunter2-canary"));
    store.insert_credential(new).unwrap();
    let stored = store.get_credential("d1").unwrap().unwrap();
    assert!(!format!("{stored:?}").contains("hunter2-canary"));
    let listed = serde_json::to_value(store.list_credentials().unwrap()).unwrap();
    assert_eq!(
        listed[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "name", "type", "createdAt", "updatedAt"]
    );
}

fn id_of(store: &weft_runtime::store::Store, id_or_name: &str) -> Option<String> {
    store
        .get_credential(id_or_name)
        .unwrap()
        .map(|found| found.summary.id)
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ`.
fn assert_rfc3339(text: &str) {
    let bytes = text.as_bytes();
    assert_eq!(bytes.len(), 24, "{text}");
    for (i, b) in bytes.iter().enumerate() {
        let expected_digit = !matches!(i, 4 | 7 | 10 | 13 | 16 | 19 | 23);
        assert_eq!(b.is_ascii_digit(), expected_digit, "{text}");
    }
    assert_eq!(
        [
            bytes[4], bytes[7], bytes[10], bytes[13], bytes[16], bytes[19], bytes[23]
        ],
        *b"--T::.Z"
    );
}
