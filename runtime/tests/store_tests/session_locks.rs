//! Renewal locks: one holder at a time, across connections as across processes; expiry and
//! extension; and no lock for a credential that changed or went.

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use serde_json::json;
use tempfile::TempDir;
use weft_runtime::store::StoreError;

use crate::{open, plain, raw, revision};

const LEASE: Duration = Duration::from_secs(10);
const NOW: i64 = 1_000_000;

#[test]
fn one_holder_at_a_time_until_it_unlocks() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("c1")).unwrap();
    let rev = revision(&store, "c1");
    assert!(store.try_lock_session("c1", &rev, "a", NOW, LEASE).unwrap());
    assert!(!store.try_lock_session("c1", &rev, "b", NOW, LEASE).unwrap());
    // Taking it again is harmless for the holder.
    assert!(store.try_lock_session("c1", &rev, "a", NOW, LEASE).unwrap());
    // Another holder's unlock does nothing.
    store.unlock_session("c1", "b").unwrap();
    assert!(!store.try_lock_session("c1", &rev, "b", NOW, LEASE).unwrap());
    store.unlock_session("c1", "a").unwrap();
    assert!(store.try_lock_session("c1", &rev, "b", NOW, LEASE).unwrap());

    // Locks are per credential.
    store.insert_credential(plain("c2")).unwrap();
    assert!(
        store
            .try_lock_session("c2", &revision(&store, "c2"), "a", NOW, LEASE)
            .unwrap()
    );
}

#[test]
fn an_expired_lock_is_taken_over_and_extending_keeps_it() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("c1")).unwrap();
    let rev = revision(&store, "c1");
    let lease_ms = LEASE.as_millis() as i64;
    assert!(store.try_lock_session("c1", &rev, "a", NOW, LEASE).unwrap());
    // Extended halfway through: still held after the first expiry.
    let later = NOW + lease_ms / 2;
    assert!(store.extend_session_lock("c1", "a", later, LEASE).unwrap());
    let after_first_expiry = NOW + lease_ms;
    assert!(
        !store
            .try_lock_session("c1", &rev, "b", after_first_expiry, LEASE)
            .unwrap()
    );
    // Not extended again (its process died): another holder takes it when it expires.
    let expired = later + lease_ms;
    assert!(
        store
            .try_lock_session("c1", &rev, "b", expired, LEASE)
            .unwrap()
    );
    assert!(
        !store
            .extend_session_lock("c1", "a", expired, LEASE)
            .unwrap()
    );
}

#[test]
fn of_several_processes_racing_for_the_lock_exactly_one_gets_it() {
    const PROCESSES: usize = 4;
    let home = TempDir::new().unwrap();
    let first = open(home.path());
    first.insert_credential(plain("c1")).unwrap();
    let rev = revision(&first, "c1");
    // One store (connection) per process.
    let stores: Vec<_> = (0..PROCESSES).map(|_| open(home.path())).collect();
    for round in 0..10 {
        let barrier = Barrier::new(PROCESSES);
        let taken: Vec<bool> = thread::scope(|scope| {
            let handles: Vec<_> = stores
                .iter()
                .enumerate()
                .map(|(process, store)| {
                    let (barrier, rev) = (&barrier, &rev);
                    scope.spawn(move || {
                        barrier.wait();
                        let holder = format!("{round}-{process}");
                        store
                            .try_lock_session("c1", rev, &holder, NOW, LEASE)
                            .unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            taken.iter().filter(|&&won| won).count(),
            1,
            "round {round}: {taken:?}"
        );
        let winner = taken.iter().position(|&won| won).unwrap();
        first
            .unlock_session("c1", &format!("{round}-{winner}"))
            .unwrap();
    }
}

#[test]
fn a_changed_or_removed_credential_gets_no_lock_and_removal_drops_the_lock() {
    let home = TempDir::new().unwrap();
    let store = open(home.path());
    store.insert_credential(plain("c1")).unwrap();
    let loaded = revision(&store, "c1");
    store
        .update_credential_data("c1", &json!({"user": "other"}))
        .unwrap();
    let err = store
        .try_lock_session("c1", &loaded, "a", NOW, LEASE)
        .unwrap_err();
    assert!(matches!(err, StoreError::CredentialChanged { .. }), "{err}");

    let current = revision(&store, "c1");
    assert!(
        store
            .try_lock_session("c1", &current, "a", NOW, LEASE)
            .unwrap()
    );
    assert!(store.remove_credential("c1").unwrap());
    let rows: u32 = raw(home.path())
        .query_row("SELECT count(*) FROM session_locks", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    let err = store
        .try_lock_session("c1", &current, "a", NOW, LEASE)
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownCredential { .. }), "{err}");
}
