//! Tests of the encrypted store against real SQLite files in temporary directories.
//!
//! One test binary (`--test store_tests`) with a module per concern; the helpers below open stores
//! without touching the process environment.

mod at_rest;
mod credentials;
mod keys;
mod migrations;
mod processed_data;
mod session_locks;
mod sessions;

use std::path::Path;

use serde_json::{Value, json};
use weft_runtime::store::{
    CredentialRevision, KeySource, NewCredential, SaveOutcome, Store, StoreError,
};

/// The key string most tests use.
pub const KEY: &str = "correct horse battery staple";

/// Opens (creating) the store in `home` with [`KEY`].
pub fn open(home: &Path) -> Store {
    try_open(home).unwrap()
}

/// Opens (creating) the store in `home` with [`KEY`], for tests that expect an error.
pub fn try_open(home: &Path) -> Result<Store, StoreError> {
    Store::open_with_key(home, &KeySource::passphrase(KEY))
}

/// A credential of type `testApi` with the given id and name.
pub fn credential(id: Option<&str>, name: &str, data: Value) -> NewCredential {
    NewCredential {
        id: id.map(str::to_owned),
        name: name.to_owned(),
        type_name: "testApi".to_owned(),
        data,
    }
}

/// A credential with id and name `id` and some data.
pub fn plain(id: &str) -> NewCredential {
    credential(Some(id), id, json!({ "user": id }))
}

/// A raw connection to the store's database, for what the API does not allow.
pub fn raw(home: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(home.join("weft.db")).unwrap()
}

/// The revision credential `id` is stored at now.
pub fn revision(store: &Store, id: &str) -> CredentialRevision {
    store
        .credential_revision(id)
        .unwrap()
        .expect("the credential is stored")
}

/// Saves a session as a caller that loaded credential `id` just now.
pub fn save_session(
    store: &Store,
    id: &str,
    expected: Option<u64>,
    data: &Value,
) -> Result<SaveOutcome, StoreError> {
    store.save_session(id, &revision(store, id), expected, data)
}
