//! The store: one embedded SQLite database holding credentials and sessions, encrypted at rest,
//! and the state of polling triggers with the runs they started.
//!
//! - Location: `<home>/weft.db`, where home is `$WEFT_HOME` or the user data directory plus
//!   `weft` ([`WeftHome`]); the directory is created with mode 0700.
//! - Encryption: every credential's data and every session is sealed with XChaCha20-Poly1305
//!   under a key from `WEFT_ENCRYPTION_KEY` or a generated key file ([`KeySource`]), with the
//!   row's identity as associated data. Names, types, ids and timestamps are stored in clear.
//! - A wrong key is refused when the store opens ([`StoreError::WrongKey`]).
//! - The schema is versioned and migrated on open ([`SCHEMA_VERSION`]).
//! - Data tables ([`weft_nodes::DataTables`]): n8n's tables of typed rows, in plain text.
//! - Renewal locks ([`Store::try_lock_session`]) let one process at a time ask a credential's
//!   token endpoint for a session.
//!
//! The API is synchronous (SQLite is): async callers use `spawn_blocking`. [`Store`] is
//! `Send + Sync`; share it with an `Arc`. Several processes may open the same file at once.

/// SQL for the current time as RFC 3339 text in UTC, with milliseconds, for use in `concat!`.
macro_rules! now_sql {
    () => {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    };
}

mod cipher;
mod connection;
mod credential_checks;
mod credentials;
mod data_tables;
mod error;
mod home;
mod ids;
mod key;
mod key_check;
mod migrations;
mod private_fs;
mod processed_data;
mod session_locks;
mod sessions;
mod triggers;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use credential_checks::CredentialCheck;
pub use credentials::{CredentialRevision, CredentialSummary, NewCredential, StoredCredential};
pub use error::StoreError;
pub use home::{HOME_ENV, WeftHome};
pub use key::{KEY_ENV, KeyOrigin, KeySource};
pub use migrations::SCHEMA_VERSION;
pub use sessions::{SaveOutcome, StoredSession};
pub use triggers::{ExecutionRecord, StoredExecution, TriggerSnapshot};

use cipher::Cipher;

/// The encrypted store. Open it once per process and share it.
pub struct Store {
    conn: Mutex<Connection>,
    cipher: Cipher,
    database: PathBuf,
}

impl Store {
    /// Opens the store in [`WeftHome::from_env`] with the key from [`KeySource::from_env`].
    pub fn open_default() -> Result<Self, StoreError> {
        Self::open(WeftHome::from_env()?.root())
    }

    /// Opens (creating if needed) the store in `home` with the key from [`KeySource::from_env`].
    pub fn open(home: &Path) -> Result<Self, StoreError> {
        Self::open_with_key(home, &KeySource::from_env()?)
    }

    /// Opens (creating if needed) the store in `home` with the key from `key`: creates the
    /// directory, migrates the schema and checks the key.
    pub fn open_with_key(home: &Path, key: &KeySource) -> Result<Self, StoreError> {
        let home = WeftHome::new(home);
        private_fs::create_dir(home.root())?;
        let database = home.database();
        let mut conn = connection::open(&database)?;
        migrations::migrate(&mut conn, &database)?;
        let cipher = key_check::unlock(&conn, &home, key)?;
        Ok(Self {
            conn: Mutex::new(conn),
            cipher,
            database,
        })
    }

    /// The database file.
    pub fn database(&self) -> &Path {
        &self.database
    }

    /// Runs `f` in a transaction that takes the write lock at once (waiting up to the busy
    /// timeout for another process), and commits when `f` succeeds.
    fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `work` with the store on tokio's blocking pool: SQLite calls wait for the disk and
    /// for other processes' locks, which an async task must not do on a runtime thread.
    pub async fn in_background<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&store))
            .await
            .unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()))
    }

    /// The connection. A panic while it was held leaves nothing half-done (an open transaction
    /// rolls back when dropped), so a poisoned lock is taken over.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("database", &self.database)
            .finish_non_exhaustive()
    }
}
