//! The encryption key: where it comes from and how the cipher key is derived from it.
//!
//! As in n8n there are two sources: the `WEFT_ENCRYPTION_KEY` environment variable (any non-empty
//! string), or, when it is unset, the key file `<home>/encryption.key`, generated on first use as
//! the base64 text of 32 bytes from the operating system's RNG, created with mode 0600 and refused
//! when group or others may read it.
//!
//! Derivation: the 32-byte cipher key is the SHA-256 of the key string's bytes; for the key file,
//! its text without trailing whitespace. Both sources derive the same way, so a key file's text
//! works as `WEFT_ENCRYPTION_KEY` elsewhere (`WEFT_ENCRYPTION_KEY=$(cat encryption.key)`).
//! SHA-256 is not a password hash: the variable should hold a random string, e.g. from
//! `openssl rand -base64 32`, as the generated key file does.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::TryRngCore;
use rand::rngs::OsRng;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::cipher::Cipher;
use super::error::StoreError;
use super::home::WeftHome;
use super::private_fs::{read_private, write_new};

/// The environment variable that holds the encryption key.
pub const KEY_ENV: &str = "WEFT_ENCRYPTION_KEY";

/// Where the store's encryption key comes from. `Debug` never shows the key.
#[derive(Debug)]
pub enum KeySource {
    /// A key string, as `WEFT_ENCRYPTION_KEY` gives it.
    Passphrase(SecretString),
    /// The key file `<home>/encryption.key`, generated when a new store is created.
    KeyFile,
}

impl KeySource {
    /// `WEFT_ENCRYPTION_KEY` when set, else the key file. Set but empty (or not UTF-8) is an
    /// error, not a silent fallback to the key file.
    pub fn from_env() -> Result<Self, StoreError> {
        match std::env::var_os(KEY_ENV) {
            None => Ok(Self::KeyFile),
            Some(value) => match value.into_string() {
                Ok(value) if !value.is_empty() => Ok(Self::passphrase(value)),
                _ => Err(StoreError::InvalidKeyEnv),
            },
        }
    }

    /// A key string given directly, as if it were the value of `WEFT_ENCRYPTION_KEY`.
    pub fn passphrase(value: impl Into<String>) -> Self {
        Self::Passphrase(SecretString::from(value.into()))
    }

    /// The cipher for this key. A missing key file is generated only when `may_generate` (the
    /// store holds nothing encrypted yet); otherwise it is an error, since a new key could not
    /// open the store.
    pub(crate) fn load(
        &self,
        home: &WeftHome,
        may_generate: bool,
    ) -> Result<(Cipher, KeyOrigin), StoreError> {
        match self {
            Self::Passphrase(value) if value.expose_secret().is_empty() => {
                Err(StoreError::InvalidKeyEnv)
            }
            Self::Passphrase(value) => {
                Ok((derive(value.expose_secret().as_bytes()), KeyOrigin::Env))
            }
            Self::KeyFile => {
                let path = home.key_file();
                let text = read_key_file(home, may_generate)?;
                let key = text.trim_ascii_end();
                if key.is_empty() {
                    return Err(StoreError::KeyFileEmpty { path });
                }
                Ok((derive(key), KeyOrigin::File(path)))
            }
        }
    }
}

/// Where a key came from, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyOrigin {
    /// `WEFT_ENCRYPTION_KEY` (or a [`KeySource::Passphrase`] passed in its place).
    Env,
    /// The key file at this path.
    File(PathBuf),
}

impl fmt::Display for KeyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env => write!(f, "{KEY_ENV}"),
            Self::File(path) => write!(f, "the key in {}", path.display()),
        }
    }
}

/// The key file's contents, generating the file first when allowed.
fn read_key_file(home: &WeftHome, may_generate: bool) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let path = home.key_file();
    if let Some(text) = read_private(&path)? {
        return Ok(text);
    }
    if may_generate {
        write_new(&path, generate_key_text(&path)?.as_bytes())?;
        // Read back rather than use what was generated: a concurrent first run may have won.
        if let Some(text) = read_private(&path)? {
            return Ok(text);
        }
    }
    Err(StoreError::KeyFileMissing {
        database: home.database(),
        key_file: path,
    })
}

/// A new key file's text: 32 random bytes from the OS, base64, one line.
fn generate_key_text(path: &Path) -> Result<Zeroizing<String>, StoreError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    OsRng
        .try_fill_bytes(bytes.as_mut())
        .map_err(|err| StoreError::io("generate a key for", path)(std::io::Error::other(err)))?;
    let mut text = Zeroizing::new(String::new());
    STANDARD.encode_string(bytes.as_ref(), &mut text);
    text.push('\n');
    Ok(text)
}

/// The cipher keyed with SHA-256 of `secret`.
fn derive(secret: &[u8]) -> Cipher {
    let mut key = Zeroizing::new([0u8; 32]);
    Sha256::new()
        .chain_update(secret)
        .finalize_into(sha2::digest::Output::<Sha256>::from_mut_slice(key.as_mut()));
    Cipher::new(&key)
}
