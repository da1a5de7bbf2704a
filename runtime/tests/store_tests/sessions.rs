//! Sessions: round trip, compare-and-swap, races between processes, and lifetime with the
//! credential.

use std::sync::Barrier;
use std::thread;

use serde_json::{Value, json};
use tempfile::TempDir;
use weft_runtime::store::{SaveOutcome, StoreError, StoredSession};

use crate::{open, plain, raw, revision, save_session};

fn token(n: u32) -> Value {
    json!({ "access_token": format!("token-{n}"), "instance_url": "https://example.my.salesforce.com" })
}

fn saved(generation: u64) -> SaveOutcome {
    SaveOutcome::Saved { generation }
}

fn conflict(current: Option<(u64, Value)>) -> SaveOutcome {
    SaveOutcome::Conflict {
        current: current.map(|(generation, data)| StoredSession { generation, data }),
    }
}

#[test]
fn round_trips_and_survives_reopening() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    assert_eq!(store.load_session("s1").unwrap(), None);
    assert_eq!(
        save_session(&store, "s1", None, &token(1)).unwrap(),
        saved(1)
    );
    drop(store);

    let session = open(home.path()).load_session("s1").unwrap().unwrap();
    assert_eq!(session.generation, 1);
    assert_eq!(session.data, token(1));
    assert!(!format!("{session:?}").contains("token-1"));
}

#[test]
fn a_stale_generation_is_a_conflict_that_returns_the_current_session() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    assert_eq!(
        save_session(&store, "s1", None, &token(1)).unwrap(),
        saved(1)
    );
    assert_eq!(
        save_session(&store, "s1", None, &token(9)).unwrap(),
        conflict(Some((1, token(1))))
    );
    assert_eq!(
        save_session(&store, "s1", Some(1), &token(2)).unwrap(),
        saved(2)
    );
    assert_eq!(
        save_session(&store, "s1", Some(1), &token(9)).unwrap(),
        conflict(Some((2, token(2))))
    );
    assert_eq!(store.load_session("s1").unwrap().unwrap().data, token(2));
}

#[test]
fn a_deleted_session_never_matches_an_old_generation() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    save_session(&store, "s1", None, &token(1)).unwrap();
    assert!(store.delete_session("s1").unwrap());
    assert!(!store.delete_session("s1").unwrap());
    assert_eq!(store.load_session("s1").unwrap(), None);

    assert_eq!(
        save_session(&store, "s1", Some(1), &token(9)).unwrap(),
        conflict(None)
    );
    // Generations keep growing across the deletion.
    assert_eq!(
        save_session(&store, "s1", None, &token(2)).unwrap(),
        saved(3)
    );
    assert_eq!(
        save_session(&store, "s1", Some(1), &token(9)).unwrap(),
        conflict(Some((3, token(2))))
    );
}

#[test]
fn of_two_processes_saving_over_the_same_generation_exactly_one_wins() {
    const WRITERS: u32 = 4;
    const ROUNDS: u64 = 20;
    let home = TempDir::new().unwrap();
    let first = open(home.path());
    first.insert_credential(plain("s1")).unwrap();
    save_session(&first, "s1", None, &token(0)).unwrap();
    // One store (connection) per writer, as separate processes would have.
    let stores: Vec<_> = (0..WRITERS).map(|_| open(home.path())).collect();

    for round in 1..=ROUNDS {
        let barrier = Barrier::new(stores.len());
        let outcomes: Vec<SaveOutcome> = thread::scope(|scope| {
            let handles: Vec<_> = stores
                .iter()
                .zip(0..)
                .map(|(store, writer)| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        barrier.wait();
                        save_session(store, "s1", Some(round), &token(writer)).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });

        let winners: Vec<_> = outcomes
            .iter()
            .filter(|outcome| **outcome == saved(round + 1))
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {outcomes:?}");
        let current = first.load_session("s1").unwrap().unwrap();
        assert_eq!(current.generation, round + 1);
        for outcome in &outcomes {
            if let SaveOutcome::Conflict { current: seen } = outcome {
                assert_eq!(
                    seen.as_ref(),
                    Some(&current),
                    "losers see the winner's session"
                );
            }
        }
    }
}

#[test]
fn saving_for_an_unknown_credential_is_an_error() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    let revision = revision(&store, "s1");
    for expected in [None, Some(1)] {
        let err = store
            .save_session("nobody", &revision, expected, &token(1))
            .unwrap_err();
        assert!(matches!(err, StoreError::UnknownCredential { .. }), "{err}");
    }
}

#[test]
fn a_session_obtained_with_data_that_changed_or_went_meanwhile_is_not_saved() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    let loaded = revision(&store, "s1");
    // Changed while the token request ran: the same data written again is a change too.
    store.upsert_credential(plain("s1")).unwrap();
    for expected in [None, Some(1)] {
        let err = store
            .save_session("s1", &loaded, expected, &token(1))
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::CredentialChanged { id } if id == "s1"),
            "{err}"
        );
        assert!(err.to_string().contains("hint: run again"), "{err}");
    }
    assert_eq!(store.load_session("s1").unwrap(), None);

    // Removed and added again with the same id and data: still not the data that was loaded.
    assert!(store.remove_credential("s1").unwrap());
    let err = store
        .save_session("s1", &loaded, None, &token(1))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownCredential { .. }), "{err}");
    store.insert_credential(plain("s1")).unwrap();
    let err = store
        .save_session("s1", &loaded, None, &token(1))
        .unwrap_err();
    assert!(matches!(err, StoreError::CredentialChanged { .. }), "{err}");
    assert_eq!(
        save_session(&store, "s1", None, &token(2)).unwrap(),
        saved(1)
    );
}

#[test]
fn removing_the_credential_removes_its_session() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    save_session(&store, "s1", None, &token(1)).unwrap();
    assert!(store.remove_credential("s1").unwrap());

    let rows: u32 = raw(home.path())
        .query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    store.insert_credential(plain("s1")).unwrap();
    assert_eq!(store.load_session("s1").unwrap(), None);
}

#[test]
fn changing_the_credential_data_drops_its_session() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("s1")).unwrap();
    save_session(&store, "s1", None, &token(1)).unwrap();
    store
        .update_credential_data("s1", &json!({ "user": "other" }))
        .unwrap();
    assert_eq!(store.load_session("s1").unwrap(), None);

    save_session(&store, "s1", None, &token(2)).unwrap();
    store.upsert_credential(plain("s1")).unwrap();
    assert_eq!(store.load_session("s1").unwrap(), None);
}
