//! Versioned schema migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`: 0 for a new file, N once the first N
//! scripts of `MIGRATIONS` have run. Opening a store applies the missing scripts in order inside
//! one immediate (write-locking) transaction, so a crash leaves the old version intact and two
//! processes opening a new store do not both migrate. A file whose version is above
//! [`SCHEMA_VERSION`] was written by a newer weft and is refused. A released script is never
//! edited: a schema change is a new script appended to the list.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::error::StoreError;

/// The scripts, in order: script `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_credentials_and_sessions.sql"),
    include_str!("migrations/0002_trigger_state_and_executions.sql"),
    include_str!("migrations/0003_credential_checks.sql"),
    include_str!("migrations/0004_session_locks.sql"),
    include_str!("migrations/0005_processed_data.sql"),
    include_str!("migrations/0006_data_tables.sql"),
];

/// The schema version this weft creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database at `conn` (the file `database`) to [`SCHEMA_VERSION`].
pub(crate) fn migrate(conn: &mut Connection, database: &Path) -> Result<(), StoreError> {
    if check_version(conn, database)? == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the lock: another process may have migrated meanwhile.
    let found = check_version(&tx, database)?;
    for (version, script) in (1..).zip(MIGRATIONS).skip(found as usize) {
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()?;
    Ok(())
}

/// The file's schema version, refused when newer than this weft's.
fn check_version(conn: &Connection, database: &Path) -> Result<u32, StoreError> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            database: database.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}
