//! Renewal locks: the cross-process half of "one token request per credential at a time".
//!
//! A process takes a credential's lock row before it asks the token endpoint for a session and
//! deletes it once the session is saved; meanwhile other processes wait and then read the saved
//! session instead of asking again (which matters when the server rotates refresh tokens: a
//! second refresh with the same token revokes them all). A lock row holds no SQLite lock while
//! the request runs, so the rest of the store stays writable. It names its holder and expires;
//! the holder extends it while its request runs, so a process that died holding it blocks the
//! others only until it expires. Locks are granted only for the credential as the caller loaded it
//! ([`CredentialRevision`]): a changed or removed credential gets no token request.

use std::time::Duration;

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::credentials::{CredentialRevision, ensure_revision};
use super::error::StoreError;

impl Store {
    /// Takes the renewal lock of credential `credential_id` for `holder` until `now_ms + lease`
    /// (Unix time in ms), if no other holder has it or its holder let it expire. True when taken.
    /// Fails when the credential is no longer stored at `revision`.
    pub fn try_lock_session(
        &self,
        credential_id: &str,
        revision: &CredentialRevision,
        holder: &str,
        now_ms: i64,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let expires_at = now_ms.saturating_add(millis(lease));
        self.write(|tx| {
            ensure_revision(tx, credential_id, revision)?;
            let taken = tx
                .prepare_cached(
                    "INSERT INTO session_locks (credential_id, holder, expires_at) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (credential_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                     WHERE session_locks.expires_at <= ?4 OR session_locks.holder = excluded.holder \
                     RETURNING 1",
                )?
                .query_row(params![credential_id, holder, expires_at, now_ms], |_| Ok(()))
                .optional()?;
            Ok(taken.is_some())
        })
    }

    /// Moves the expiry of `holder`'s lock on `credential_id` to `now_ms + lease`. False when
    /// `holder` no longer has it (it expired and another process took it, or the credential was
    /// removed).
    pub fn extend_session_lock(
        &self,
        credential_id: &str,
        holder: &str,
        now_ms: i64,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let expires_at = now_ms.saturating_add(millis(lease));
        self.write(|tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE session_locks SET expires_at = ?3 WHERE credential_id = ?1 AND holder = ?2",
                )?
                .execute(params![credential_id, holder, expires_at])?;
            Ok(changed > 0)
        })
    }

    /// Gives up `holder`'s lock on `credential_id` (nothing when it has it no longer).
    pub fn unlock_session(&self, credential_id: &str, holder: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "DELETE FROM session_locks WHERE credential_id = ?1 AND holder = ?2",
            )?
            .execute(params![credential_id, holder])?;
            Ok(())
        })
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
