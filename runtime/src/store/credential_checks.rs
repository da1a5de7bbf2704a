//! The outcome of the last test or connect of each credential (what `weft serve` lists). A new
//! check replaces the previous one; changing or removing the credential drops it.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::Store;
use super::error::StoreError;

/// The last check of a credential (as `weft serve`'s API lists it: `checked_at` is `at`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CredentialCheck {
    /// `test` or `connect`.
    pub action: String,
    /// Whether it worked.
    pub ok: bool,
    /// What happened (who the credential acts as, or the server's answer).
    pub message: String,
    /// What to change, when it failed.
    pub hint: Option<String>,
    /// When, in seconds since the Unix epoch.
    #[serde(rename = "at")]
    pub checked_at: u64,
}

impl CredentialCheck {
    /// A `test` or `connect` that worked, now.
    pub fn worked(action: &str, message: String) -> Self {
        Self::now(action, true, message, None)
    }

    /// A `test` or `connect` that failed, now, with what to change.
    pub fn failed(action: &str, message: String, hint: String) -> Self {
        Self::now(action, false, message, Some(hint))
    }

    fn now(action: &str, ok: bool, message: String, hint: Option<String>) -> Self {
        let checked_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        Self {
            action: action.to_owned(),
            ok,
            message,
            hint,
            checked_at,
        }
    }
}

impl Store {
    /// Records `check` as the last one of credential `id`.
    pub fn record_check(&self, id: &str, check: &CredentialCheck) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO credential_checks (credential_id, action, ok, message, hint, checked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (credential_id) DO UPDATE SET action = ?2, ok = ?3, message = ?4,
                 hint = ?5, checked_at = ?6",
                params![id, check.action, check.ok, check.message, check.hint, check.checked_at],
            )?;
            Ok(())
        })
    }

    /// The last check of credential `id`, if it had one since it was stored or last changed.
    pub fn last_check(&self, id: &str) -> Result<Option<CredentialCheck>, StoreError> {
        let check = self
            .conn()
            .query_row(
                "SELECT action, ok, message, hint, checked_at FROM credential_checks
                 WHERE credential_id = ?1",
                [id],
                |row| check_from(row, 0),
            )
            .optional()?;
        Ok(check)
    }
    /// The last check of every credential that has one, by credential id.
    pub fn last_checks(&self) -> Result<HashMap<String, CredentialCheck>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT credential_id, action, ok, message, hint, checked_at FROM credential_checks",
        )?;
        let checks = statement
            .query_map([], |row| Ok((row.get(0)?, check_from(row, 1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(checks)
    }
}

/// The check in the columns `action, ok, message, hint, checked_at` from `first` on.
fn check_from(row: &Row<'_>, first: usize) -> rusqlite::Result<CredentialCheck> {
    Ok(CredentialCheck {
        action: row.get(first)?,
        ok: row.get(first + 1)?,
        message: row.get(first + 2)?,
        hint: row.get(first + 3)?,
        checked_at: row.get(first + 4)?,
    })
}

/// Drops the last check of credential `id`.
pub(crate) fn forget(conn: &Connection, id: &str) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM credential_checks WHERE credential_id = ?1",
        [id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::{KeySource, NewCredential};

    #[test]
    fn the_last_check_replaces_the_previous_and_goes_with_a_change_or_removal() {
        let home = tempfile::tempdir().unwrap();
        let store = Store::open_with_key(home.path(), &KeySource::passphrase("checks")).unwrap();
        let new = || NewCredential {
            id: Some("cc".into()),
            name: "cc".into(),
            type_name: "httpHeaderAuth".into(),
            data: json!({"name": "X-Api-Key", "value": "b"}),
        };
        store.insert_credential(new()).unwrap();
        let check = |ok: bool, checked_at: u64| CredentialCheck {
            action: "test".into(),
            ok,
            message: format!("attempt at {checked_at}"),
            hint: (!ok).then(|| "check the client id".to_owned()),
            checked_at,
        };
        assert_eq!(store.last_check("cc").unwrap(), None);
        store.record_check("cc", &check(false, 1)).unwrap();
        store.record_check("cc", &check(true, 2)).unwrap();
        assert_eq!(store.last_check("cc").unwrap(), Some(check(true, 2)));
        assert_eq!(
            store.last_checks().unwrap(),
            HashMap::from([("cc".to_owned(), check(true, 2))])
        );

        store.update_credential_data("cc", &new().data).unwrap();
        assert_eq!(
            store.last_check("cc").unwrap(),
            None,
            "changed data: not tested yet"
        );
        store.record_check("cc", &check(true, 3)).unwrap();
        store.upsert_credential(new()).unwrap();
        assert_eq!(
            store.last_check("cc").unwrap(),
            None,
            "imported again: not tested yet"
        );
        store.record_check("cc", &check(true, 4)).unwrap();
        assert!(store.remove_credential("cc").unwrap());
        store.insert_credential(new()).unwrap();
        assert_eq!(
            store.last_check("cc").unwrap(),
            None,
            "a new credential of the same id"
        );
    }
}
