//! Stored credentials: id, name and type in clear, the data (a JSON object) encrypted.
//!
//! The data is sealed with `credential:<id>:<type>` as associated data. Changing a credential's
//! data (update, or an import that replaces it) drops its session, since a session obtained with
//! the old data may belong to another user or org. Each write has a [`CredentialRevision`], so a
//! long-running process can tell that the row it loaded has changed or gone.

use std::fmt;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::cipher::Binding;
use super::error::StoreError;
use super::{Store, credential_checks, ids, sessions};

/// The columns read into a [`CredentialSummary`], in [`summary_from_row`]'s order.
macro_rules! summary_columns {
    () => {
        "id, name, type, created_at, updated_at"
    };
}

/// The insert shared by [`Store::insert_credential`] and [`Store::upsert_credential`].
macro_rules! insert_credential_sql {
    ($on_conflict:literal) => {
        concat!(
            "INSERT INTO credentials (id, name, type, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ",
            now_sql!(),
            ", ",
            now_sql!(),
            ") ",
            $on_conflict,
            " RETURNING ",
            summary_columns!()
        )
    };
}

/// The upsert of [`Store::upsert_credential`] and [`Store::upsert_credentials`]: an import keeps
/// ids, so a row with a known id replaces that credential (keeping its creation time).
const UPSERT_SQL: &str = insert_credential_sql!(
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, data = excluded.data, updated_at = excluded.updated_at"
);

/// A credential to store. `Debug` does not print the data.
#[derive(Clone)]
pub struct NewCredential {
    /// Its id; `None` generates a 16-character alphanumeric one, as n8n does.
    pub id: Option<String>,
    /// Its display name. Names need not be unique, but only a unique one works for lookups.
    pub name: String,
    /// The credential type's name, e.g. `httpHeaderAuth`.
    pub type_name: String,
    /// The fields, a JSON object (n8n's `data`).
    pub data: Value,
}

/// What can be shown about a credential: everything but its data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSummary {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The credential type's name.
    #[serde(rename = "type")]
    pub type_name: String,
    /// When it was added, RFC 3339 in UTC.
    pub created_at: String,
    /// When it last changed, RFC 3339 in UTC.
    pub updated_at: String,
}

/// A credential with its decrypted data. `Debug` does not print the data.
#[derive(Clone, PartialEq)]
pub struct StoredCredential {
    /// Id, name, type and timestamps.
    pub summary: CredentialSummary,
    /// The decrypted fields.
    pub data: Value,
    /// Which write of the row this is.
    pub revision: CredentialRevision,
}

impl AsRef<CredentialSummary> for CredentialSummary {
    fn as_ref(&self) -> &CredentialSummary {
        self
    }
}

impl AsRef<CredentialSummary> for StoredCredential {
    fn as_ref(&self) -> &CredentialSummary {
        &self.summary
    }
}

/// Which write of a credential row a reader saw: the SHA-256 of the sealed data. Every write
/// (an update, an import over it, or a new row after a removal) seals with a fresh random nonce,
/// so it gets a new revision even within one millisecond or with the same data, unlike
/// `updated_at`. Comparing revisions costs one indexed read and no decryption.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CredentialRevision([u8; 32]);

impl CredentialRevision {
    fn of_sealed(blob: &[u8]) -> Self {
        Self(Sha256::digest(blob).into())
    }
}

/// The first 8 hex digits, enough to tell revisions apart in a log.
impl fmt::Debug for CredentialRevision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CredentialRevision(")?;
        for byte in &self.0[..4] {
            write!(f, "{byte:02x}")?;
        }
        write!(f, ")")
    }
}

impl fmt::Debug for NewCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCredential")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("type_name", &self.type_name)
            .field("data", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for StoredCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredCredential")
            .field("summary", &self.summary)
            .field("data", &"<redacted>")
            .field("revision", &self.revision)
            .finish()
    }
}

impl Store {
    /// Adds a credential. An id that exists already is [`StoreError::DuplicateId`].
    pub fn insert_credential(&self, new: NewCredential) -> Result<CredentialSummary, StoreError> {
        self.write_credential(new, insert_credential_sql!(""))
    }

    /// Adds a credential, or replaces the one with the same id (as an import does, keeping ids),
    /// keeping its creation time and dropping its session.
    pub fn upsert_credential(&self, new: NewCredential) -> Result<CredentialSummary, StoreError> {
        self.write_credential(new, UPSERT_SQL)
    }

    /// [`Store::upsert_credential`] for several credentials in one transaction: all are stored or
    /// none is (an invalid id or a failed write leaves the store as it was), so an import never
    /// stops halfway.
    pub fn upsert_credentials(
        &self,
        new: Vec<NewCredential>,
    ) -> Result<Vec<CredentialSummary>, StoreError> {
        self.write_credentials(new, UPSERT_SQL)
    }

    /// The credential with this id, else the one with this name. A name that several credentials
    /// carry is [`StoreError::AmbiguousName`].
    pub fn get_credential(&self, id_or_name: &str) -> Result<Option<StoredCredential>, StoreError> {
        let conn = self.conn();
        let Some(id) = resolve(&conn, id_or_name)? else {
            return Ok(None);
        };
        let found = conn
            .prepare_cached(concat!(
                "SELECT ",
                summary_columns!(),
                ", data FROM credentials WHERE id = ?1"
            ))?
            .query_row([id], |row| {
                Ok((summary_from_row(row)?, row.get::<_, Vec<u8>>(5)?))
            })
            .optional()?;
        found
            .map(|(summary, blob)| self.open_credential(summary, &blob))
            .transpose()
    }

    /// The credentials a node's reference may mean: the one with id `id`, and those named
    /// `name` (one indexed read; the caller picks).
    pub fn credentials_matching(
        &self,
        id: Option<&str>,
        name: &str,
    ) -> Result<Vec<StoredCredential>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(concat!(
            "SELECT ",
            summary_columns!(),
            ", data FROM credentials WHERE id = ?1 OR name = ?2 ORDER BY name, id"
        ))?;
        let rows = statement
            .query_map(params![id, name], |row| {
                Ok((summary_from_row(row)?, row.get::<_, Vec<u8>>(5)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(summary, blob)| self.open_credential(summary, &blob))
            .collect()
    }

    /// The revision of the credential with this id, `None` when there is none.
    pub fn credential_revision(&self, id: &str) -> Result<Option<CredentialRevision>, StoreError> {
        revision(&self.conn(), id)
    }

    /// Every credential, by name then id, without data.
    pub fn list_credentials(&self) -> Result<Vec<CredentialSummary>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM credentials ORDER BY name, id"
        ))?;
        let summaries = statement
            .query_map([], summary_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(summaries)
    }

    /// Replaces the data of the credential with this id, and drops its session and last check.
    pub fn update_credential_data(
        &self,
        id: &str,
        data: &Value,
    ) -> Result<CredentialSummary, StoreError> {
        ensure_object(data)?;
        self.write(|tx| {
            let type_name: String = tx
                .query_row("SELECT type FROM credentials WHERE id = ?1", [id], |row| {
                    row.get(0)
                })
                .optional()?
                .ok_or_else(|| StoreError::UnknownCredential { id: id.to_owned() })?;
            let blob = self.cipher.seal_json(
                data,
                Binding::Credential {
                    id,
                    type_name: &type_name,
                },
            );
            let summary = tx.query_row(
                concat!(
                    "UPDATE credentials SET data = ?2, updated_at = ",
                    now_sql!(),
                    " WHERE id = ?1 RETURNING ",
                    summary_columns!()
                ),
                params![id, blob],
                summary_from_row,
            )?;
            data_changed(tx, id)?;
            Ok(summary)
        })
    }

    fn open_credential(
        &self,
        summary: CredentialSummary,
        blob: &[u8],
    ) -> Result<StoredCredential, StoreError> {
        let data = self.cipher.open_json(blob, binding(&summary))?;
        Ok(StoredCredential {
            summary,
            data,
            revision: CredentialRevision::of_sealed(blob),
        })
    }

    /// Removes the credential with this id (else with this unique name) and its session. False
    /// when there was none.
    pub fn remove_credential(&self, id_or_name: &str) -> Result<bool, StoreError> {
        self.write(|tx| match resolve(tx, id_or_name)? {
            Some(id) => Ok(tx.execute("DELETE FROM credentials WHERE id = ?1", [id])? > 0),
            None => Ok(false),
        })
    }

    /// Inserts with `sql` (see `insert_credential_sql!`), then drops any session of the id.
    fn write_credential(
        &self,
        new: NewCredential,
        sql: &str,
    ) -> Result<CredentialSummary, StoreError> {
        let mut written = self.write_credentials(vec![new], sql)?;
        Ok(written.remove(0))
    }

    /// Inserts each credential with `sql` in one transaction, dropping any session of its id.
    fn write_credentials(
        &self,
        new: Vec<NewCredential>,
        sql: &str,
    ) -> Result<Vec<CredentialSummary>, StoreError> {
        let sealed = new
            .into_iter()
            .map(|new| {
                let id = ids::id_or_new(new.id)?;
                ensure_object(&new.data)?;
                let blob = self.cipher.seal_json(
                    &new.data,
                    Binding::Credential {
                        id: &id,
                        type_name: &new.type_name,
                    },
                );
                Ok((id, new.name, new.type_name, blob))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(|tx| {
            sealed
                .iter()
                .map(|(id, name, type_name, blob)| {
                    let summary = tx
                        .query_row(sql, params![id, name, type_name, blob], summary_from_row)
                        .map_err(|err| match err.sqlite_error() {
                            Some(e)
                                if e.extended_code
                                    == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
                            {
                                StoreError::DuplicateId { id: id.clone() }
                            }
                            _ => err.into(),
                        })?;
                    data_changed(tx, id)?;
                    Ok(summary)
                })
                .collect()
        })
    }
}

/// The revision of the credential with this id, `None` when there is none.
fn revision(conn: &Connection, id: &str) -> Result<Option<CredentialRevision>, StoreError> {
    let blob: Option<Vec<u8>> = conn
        .prepare_cached("SELECT data FROM credentials WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?;
    Ok(blob.as_deref().map(CredentialRevision::of_sealed))
}

/// Fails unless the credential `id` is stored at `expected`: a session or lock taken for it must
/// belong to the data the caller loaded, not to data changed or removed meanwhile.
pub(crate) fn ensure_revision(
    conn: &Connection,
    id: &str,
    expected: &CredentialRevision,
) -> Result<(), StoreError> {
    match revision(conn, id)? {
        Some(found) if found == *expected => Ok(()),
        Some(_) => Err(StoreError::CredentialChanged { id: id.to_owned() }),
        None => Err(StoreError::UnknownCredential { id: id.to_owned() }),
    }
}

/// The id of the credential with id `id_or_name`, else of the only one named so.
fn resolve(conn: &Connection, id_or_name: &str) -> Result<Option<String>, StoreError> {
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM credentials WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC, id",
        )?
        .query_map([id_or_name], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    match ids.as_slice() {
        [] => Ok(None),
        [first, ..] if first == id_or_name => Ok(Some(first.clone())),
        [only] => Ok(Some(only.clone())),
        _ => Err(StoreError::AmbiguousName {
            name: id_or_name.to_owned(),
            ids,
        }),
    }
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<CredentialSummary> {
    Ok(CredentialSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        type_name: row.get(2)?,
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

fn binding(summary: &CredentialSummary) -> Binding<'_> {
    Binding::Credential {
        id: &summary.id,
        type_name: &summary.type_name,
    }
}

fn ensure_object(data: &Value) -> Result<(), StoreError> {
    let found = match data {
        Value::Object(_) => return Ok(()),
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
    };
    Err(StoreError::DataNotObject { found })
}

/// What goes when a credential's data changes: its session and its last check (both were made
/// with the old data).
fn data_changed(tx: &Connection, id: &str) -> Result<(), StoreError> {
    sessions::invalidate(tx, id)?;
    credential_checks::forget(tx, id)
}
