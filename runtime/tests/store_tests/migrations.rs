//! Schema versions: migration of a new file and refusal of a newer one.

use tempfile::TempDir;
use weft_runtime::store::{SCHEMA_VERSION, StoreError};

use crate::{open, plain, raw, try_open};

fn user_version(conn: &rusqlite::Connection) -> u32 {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

#[test]
fn a_new_store_reaches_the_latest_version_in_wal_mode() {
    let home = TempDir::new().unwrap();
    open(home.path()).insert_credential(plain("m1")).unwrap();
    let conn = raw(home.path());
    assert_eq!(user_version(&conn), SCHEMA_VERSION);
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(journal, "wal");

    // Opening again leaves the version and the data alone.
    assert!(open(home.path()).get_credential("m1").unwrap().is_some());
    assert_eq!(user_version(&conn), SCHEMA_VERSION);
}

#[test]
fn a_store_from_a_newer_weft_is_refused() {
    let home = TempDir::new().unwrap();
    drop(open(home.path()));
    raw(home.path())
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();

    let err = try_open(home.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found, supported, .. } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("hint: upgrade weft"), "{err}");
}
