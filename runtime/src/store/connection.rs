//! Opening the SQLite connection with the settings the store relies on.
//!
//! WAL journaling lets readers and one writer work at once, and a busy timeout makes a second
//! `weft` process wait for a lock instead of failing; foreign keys are enforced so removing a
//! credential removes its session.

use std::io;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode};

use super::error::StoreError;

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The pause between attempts to switch a new database to WAL.
const RETRY_PAUSE: Duration = Duration::from_millis(10);

/// Opens (creating if needed) the database file at `path`.
pub(crate) fn open(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)
        .map_err(|cause| StoreError::io("open the database", path)(io::Error::other(cause)))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    enable_wal(&conn)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

/// Switches the database to WAL (recorded in the file, so this changes something only on a new
/// store). The switch takes an exclusive lock, and when several connections open a new file at
/// once SQLite reports the contention as busy without waiting (waiting could deadlock), so the
/// switch is retried until the busy timeout.
fn enable_wal(conn: &Connection) -> Result<(), StoreError> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        {
            Err(err)
                if err.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && Instant::now() < deadline =>
            {
                thread::sleep(RETRY_PAUSE);
            }
            result => return Ok(result.map(drop)?),
        }
    }
}
