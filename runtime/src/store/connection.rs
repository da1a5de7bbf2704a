//! Opening the SQLite connection with the settings the store relies on.
//!
//! WAL journaling lets readers and one writer work at once, and a busy timeout makes a second
//! `weft` process wait for a lock instead of failing; foreign keys are enforced so removing a
//! credential removes its session.

use std::io;
use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::error::StoreError;

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the database file at `path`.
pub(crate) fn open(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)
        .map_err(|cause| StoreError::io("open the database", path)(io::Error::other(cause)))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}
