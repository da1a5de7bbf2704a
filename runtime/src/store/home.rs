//! `WeftHome`: the directory that holds the store, and the files in it.
//!
//! The directory is `$WEFT_HOME` when set, else the platform's user data directory plus `weft`
//! (`~/.local/share/weft` on Linux, `~/Library/Application Support/weft` on macOS,
//! `%APPDATA%\weft` on Windows). It holds `weft.db` (with SQLite's `-wal` and `-shm` beside it)
//! and, unless `WEFT_ENCRYPTION_KEY` is used, `encryption.key`.

use std::path::{Path, PathBuf};

use super::error::StoreError;

/// The environment variable that overrides the store's directory.
pub const HOME_ENV: &str = "WEFT_HOME";

/// The directory that holds weft's store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeftHome {
    root: PathBuf,
}

impl WeftHome {
    /// A home at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$WEFT_HOME` when set and not empty, else the user data directory plus `weft`.
    pub fn from_env() -> Result<Self, StoreError> {
        match std::env::var_os(HOME_ENV) {
            Some(root) if !root.is_empty() => Ok(Self::new(root)),
            _ => dirs::data_dir()
                .map(|data| Self::new(data.join("weft")))
                .ok_or(StoreError::NoHome),
        }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The SQLite database: `<home>/weft.db`.
    pub fn database(&self) -> PathBuf {
        self.root.join("weft.db")
    }

    /// The generated key file: `<home>/encryption.key`.
    pub fn key_file(&self) -> PathBuf {
        self.root.join("encryption.key")
    }
}
