//! Sessions: the token state obtained with a credential, encrypted, one per credential.
//!
//! Each session carries a generation that grows by one with every save and delete. Saving is a
//! compare-and-swap on it, so of two processes that refreshed the same session, only the first
//! one's result is kept and the other re-reads instead of overwriting (which matters when the
//! server rotates refresh tokens). A deleted session keeps its row with no data, so generations
//! never repeat. Data is sealed with `session:<credential id>` as associated data. A session is
//! saved only for the credential as the caller loaded it ([`CredentialRevision`]), so a session
//! obtained with data that changed meanwhile never becomes the new data's session.

use std::fmt;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::Store;
use super::cipher::Binding;
use super::credentials::{CredentialRevision, ensure_revision};
use super::error::StoreError;

/// A session with its generation. `Debug` does not print the data.
#[derive(Clone, PartialEq)]
pub struct StoredSession {
    /// Grows by one with every save and delete of this credential's session.
    pub generation: u64,
    /// The decrypted session.
    pub data: Value,
}

impl fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredSession")
            .field("generation", &self.generation)
            .field("data", &"<redacted>")
            .finish()
    }
}

/// The result of [`Store::save_session`].
#[derive(Clone, Debug, PartialEq)]
pub enum SaveOutcome {
    /// Saved; this is the session's new generation.
    Saved {
        /// The new generation.
        generation: u64,
    },
    /// Not saved: the session changed since it was read. Use `current` (if any) instead.
    Conflict {
        /// The session as it is now, `None` when there is none.
        current: Option<StoredSession>,
    },
}

impl Store {
    /// The session of this credential, if any.
    pub fn load_session(&self, credential_id: &str) -> Result<Option<StoredSession>, StoreError> {
        self.load_session_with(&self.conn(), credential_id)
    }

    /// Saves the session of this credential if it is still as the caller saw it:
    /// `expected_generation` is `None` when the caller saw no session, else the generation it
    /// loaded. Otherwise nothing is written and the current session is returned. The credential
    /// must still be stored at `revision` (the data the session was obtained with), else
    /// [`StoreError::CredentialChanged`] or [`StoreError::UnknownCredential`].
    pub fn save_session(
        &self,
        credential_id: &str,
        revision: &CredentialRevision,
        expected_generation: Option<u64>,
        data: &Value,
    ) -> Result<SaveOutcome, StoreError> {
        let blob = self
            .cipher
            .seal_json(data, Binding::Session { credential_id });
        self.write(|tx| {
            ensure_revision(tx, credential_id, revision)?;
            let saved: Option<u64> = match expected_generation {
                None => tx.query_row(
                    concat!(
                        "INSERT INTO sessions (credential_id, generation, data, updated_at) VALUES (?1, 1, ?2, ",
                        now_sql!(),
                        ") ON CONFLICT (credential_id) DO UPDATE SET generation = generation + 1, data = excluded.data, updated_at = excluded.updated_at WHERE data IS NULL RETURNING generation"
                    ),
                    params![credential_id, blob],
                    |row| row.get(0),
                ),
                Some(expected) => tx.query_row(
                    concat!(
                        "UPDATE sessions SET generation = generation + 1, data = ?2, updated_at = ",
                        now_sql!(),
                        " WHERE credential_id = ?1 AND generation = ?3 AND data IS NOT NULL RETURNING generation"
                    ),
                    params![credential_id, blob, expected],
                    |row| row.get(0),
                ),
            }
            .optional()?;
            Ok(match saved {
                Some(generation) => SaveOutcome::Saved { generation },
                None => SaveOutcome::Conflict {
                    current: self.load_session_with(tx, credential_id)?,
                },
            })
        })
    }

    /// Deletes the session of this credential, so the next use logs in again. False when there
    /// was none.
    pub fn delete_session(&self, credential_id: &str) -> Result<bool, StoreError> {
        self.write(|tx| invalidate(tx, credential_id))
    }

    fn load_session_with(
        &self,
        conn: &Connection,
        credential_id: &str,
    ) -> Result<Option<StoredSession>, StoreError> {
        let found = conn
            .prepare_cached(
                "SELECT generation, data FROM sessions WHERE credential_id = ?1 AND data IS NOT NULL",
            )?
            .query_row([credential_id], |row| {
                Ok((row.get::<_, u64>(0)?, row.get::<_, Vec<u8>>(1)?))
            })
            .optional()?;
        found
            .map(|(generation, blob)| {
                let data = self
                    .cipher
                    .open_json(&blob, Binding::Session { credential_id })?;
                Ok(StoredSession { generation, data })
            })
            .transpose()
    }
}

/// Deletes the session of `credential_id`, keeping the row (without data) so that its generation
/// keeps growing. True when there was a session.
pub(crate) fn invalidate(conn: &Connection, credential_id: &str) -> Result<bool, StoreError> {
    let changed = conn.execute(
        concat!(
            "UPDATE sessions SET data = NULL, generation = generation + 1, updated_at = ",
            now_sql!(),
            " WHERE credential_id = ?1 AND data IS NOT NULL"
        ),
        [credential_id],
    )?;
    Ok(changed > 0)
}
