//! `StoreError`: everything that can go wrong in the store, each message ending in what to do.
//!
//! No variant carries a secret, key material or decrypted data, so every error may be printed and
//! logged. Underlying causes (I/O, SQLite) are part of the message and deliberately not exposed as
//! `source()`, so a reporter that prints the chain does not print them twice.

use std::io;
use std::path::{Path, PathBuf};

use super::home::HOME_ENV;
use super::key::{KEY_ENV, KeyOrigin};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Neither `WEFT_HOME` nor a platform data directory is available.
    #[error(
        "cannot find a data directory for weft (hint: set {HOME_ENV} to the directory that should hold the store)"
    )]
    NoHome,

    /// A file-system operation failed.
    #[error(
        "cannot {action} {}: {cause} (hint: check that the path is on a writable disk and belongs to you, or set {HOME_ENV} to another directory)",
        path.display()
    )]
    Io {
        /// What weft was doing, e.g. "create the directory".
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        cause: io::Error,
    },

    /// SQLite failed.
    #[error(
        "database error: {cause} (hint: check that the store is a weft database on a writable disk; if another weft process holds it for long, wait for it to finish)"
    )]
    Database {
        /// SQLite's error.
        cause: rusqlite::Error,
    },

    /// The database was written by a newer weft.
    #[error(
        "the store {} has schema version {found}, but this weft knows versions up to {supported} (hint: upgrade weft, or point {HOME_ENV} at another directory)",
        database.display()
    )]
    SchemaTooNew {
        /// The database file.
        database: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The newest version this binary can migrate to.
        supported: u32,
    },

    /// `WEFT_ENCRYPTION_KEY` is set to the empty string or to bytes that are not UTF-8.
    #[error(
        "{KEY_ENV} is set but is empty or not UTF-8 (hint: set it to the key the store was created with, or unset it to use the key file)"
    )]
    InvalidKeyEnv,

    /// The key file can be read by other users.
    #[error(
        "the key file {} can be read by other users (mode {mode:03o}) (hint: run `chmod 600 {}` and try again)",
        path.display(),
        path.display()
    )]
    KeyFileTooOpen {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },

    /// The key file exists but holds no key.
    #[error(
        "the key file {} is empty (hint: restore it from a backup, or set {KEY_ENV} to the key the store was created with)",
        path.display()
    )]
    KeyFileEmpty {
        /// The key file.
        path: PathBuf,
    },

    /// The store holds encrypted data, `WEFT_ENCRYPTION_KEY` is unset and there is no key file.
    #[error(
        "{KEY_ENV} is not set and the key file {} does not exist, so the store {} cannot be decrypted (hint: set {KEY_ENV} to the key the store was created with, or restore the key file)",
        key_file.display(),
        database.display()
    )]
    KeyFileMissing {
        /// The database file.
        database: PathBuf,
        /// Where the key file should be.
        key_file: PathBuf,
    },

    /// The key given does not open this store.
    #[error(
        "{origin} does not match the key the store {} was created with (hint: {hint})",
        database.display()
    )]
    WrongKey {
        /// Where the rejected key came from.
        origin: KeyOrigin,
        /// The database file.
        database: PathBuf,
        /// What to do about it.
        hint: String,
    },

    /// The store holds encrypted rows but its key check is gone (changed outside weft).
    #[error(
        "the store {} holds encrypted credentials but its key check is missing, so weft cannot tell the right key from a wrong one (hint: restore {} from a backup, or move it aside to start a new store and add the credentials again)",
        database.display(),
        database.display()
    )]
    KeyCheckMissing {
        /// The database file.
        database: PathBuf,
    },

    /// A stored value does not decrypt or decode, although the key is right.
    #[error(
        "the stored {what} cannot be decrypted: it was changed outside weft or the file is damaged (hint: {hint})"
    )]
    Corrupt {
        /// The value, e.g. "credential abc (type x)".
        what: String,
        /// What to do about it.
        hint: &'static str,
    },

    /// Data a node kept across executions is not JSON (the store was changed outside weft).
    #[error(
        "the data kept across executions for workflow {workflow} ({context}) is not JSON: {cause} (hint: run the workflow's Remove Duplicates node with the operation clearDeduplicationHistory to forget it)"
    )]
    ProcessedData {
        /// The workflow's key (its id, else its name).
        workflow: String,
        /// Whose data: `n:<node id>` or the workflow's (empty).
        context: String,
        /// What the JSON parser said.
        cause: serde_json::Error,
    },

    /// A trigger's saved state is not JSON (the store was changed outside weft).
    #[error(
        "the saved state of trigger \"{node}\" of workflow {workflow} is not JSON: {cause} (hint: run `weft start --reset-state` with the workflow to forget it; the next poll takes a new baseline and emits nothing)"
    )]
    TriggerState {
        /// The workflow's key (its id, else its file).
        workflow: String,
        /// The trigger node.
        node: String,
        /// What the JSON parser said.
        cause: serde_json::Error,
    },

    /// A credential id that weft does not accept.
    #[error(
        "invalid credential id {id:?} (hint: use 1 to 64 ASCII letters, digits, '-' or '_', or leave the id out to get a generated one)"
    )]
    InvalidId {
        /// The rejected id.
        id: String,
    },

    /// Credential data must be a JSON object.
    #[error(
        "credential data must be a JSON object, not {found} (hint: pass the fields as {{\"field\": value, ...}})"
    )]
    DataNotObject {
        /// The JSON kind that was given, e.g. "an array".
        found: &'static str,
    },

    /// A credential with this id exists already.
    #[error(
        "a credential with id {id} exists already (hint: leave the id out to get a new one, or import to replace it)"
    )]
    DuplicateId {
        /// The id.
        id: String,
    },

    /// Several credentials carry the name used for a lookup.
    #[error(
        "several credentials are named {name:?}: {} (hint: use one of these ids instead of the name)",
        ids.join(", ")
    )]
    AmbiguousName {
        /// The name looked up.
        name: String,
        /// The ids of the credentials that carry it.
        ids: Vec<String>,
    },

    /// No credential has this id (or name).
    #[error(
        "no credential has the id {id:?} (hint: `weft credentials list` shows the stored credentials)"
    )]
    UnknownCredential {
        /// The id or name looked up.
        id: String,
    },

    /// The credential was changed (updated or imported over) after the caller loaded it.
    #[error(
        "the credential {id} was changed while it was in use, so a session for its old data was not kept (hint: run again; the next run uses the credential as stored now)"
    )]
    CredentialChanged {
        /// The credential's id.
        id: String,
    },
}

impl StoreError {
    /// An I/O error while doing `action` on `path`.
    pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Self {
        let path = path.to_path_buf();
        move |cause| Self::Io {
            action,
            path,
            cause,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(cause: rusqlite::Error) -> Self {
        Self::Database { cause }
    }
}
