//! Sealing values at rest: XChaCha20-Poly1305 with the stored row bound as associated data.
//!
//! A sealed blob is `version (1 byte) || nonce (24 bytes) || ciphertext and tag`. Version 1 is
//! the only one; a later format gets a new byte. The nonce is random per write (192 bits, so
//! random nonces never collide in practice). The associated data names the row the blob belongs
//! to ([`Binding`]), so a blob copied onto another row, or another kind of row, fails to open
//! instead of decrypting into the wrong place.

use std::fmt;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use rand::Rng;
use secrecy::zeroize::Zeroizing;
use serde_json::Value;

use super::error::StoreError;

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 24;

/// The row a sealed value belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Binding<'a> {
    /// The known plaintext that tells a right key from a wrong one.
    KeyCheck,
    /// A credential's data.
    Credential { id: &'a str, type_name: &'a str },
    /// The session obtained with a credential.
    Session { credential_id: &'a str },
}

impl Binding<'_> {
    /// The associated data: `credential:<id>:<type>`, `session:<credential id>` or
    /// `meta:key_check`. Ids never contain ':' (see `ids`), so the encoding is unambiguous.
    fn associated_data(&self) -> String {
        match self {
            Self::KeyCheck => "meta:key_check".to_owned(),
            Self::Credential { id, type_name } => format!("credential:{id}:{type_name}"),
            Self::Session { credential_id } => format!("session:{credential_id}"),
        }
    }

    /// How to get rid of a value of this kind that cannot be read.
    pub(crate) fn repair_hint(&self) -> &'static str {
        match self {
            Self::KeyCheck => {
                "move the store aside to start a new one, and add the credentials again"
            }
            Self::Credential { .. } => {
                "remove the credential with `weft credentials remove <id>` and add it again"
            }
            Self::Session { .. } => {
                "remove the credential with `weft credentials remove <id>` and add it again, which also drops its session"
            }
        }
    }
}

impl fmt::Display for Binding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyCheck => write!(f, "key check value"),
            Self::Credential { id, type_name } => write!(f, "credential {id} (type {type_name})"),
            Self::Session { credential_id } => write!(f, "session of credential {credential_id}"),
        }
    }
}

/// A sealed blob that does not open: wrong key, wrong row, or damaged.
#[derive(Debug)]
pub(crate) struct Undecryptable;

/// The store's cipher. Its key is zeroed on drop and never printed.
pub(crate) struct Cipher(XChaCha20Poly1305);

impl Cipher {
    /// A cipher with this 32-byte key.
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Self(XChaCha20Poly1305::new(Key::from_slice(key)))
    }

    /// Encrypts `plaintext` for the row `binding` under a fresh random nonce.
    pub(crate) fn seal(&self, plaintext: &[u8], binding: Binding<'_>) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::rng().random();
        let aad = binding.associated_data();
        let ciphertext = self
            .0
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 fails only for messages over 256 GiB");
        let mut blob = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        blob.push(FORMAT_V1);
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ciphertext);
        blob
    }

    /// Decrypts a blob made by [`Cipher::seal`] for the same `binding`.
    pub(crate) fn open(
        &self,
        blob: &[u8],
        binding: Binding<'_>,
    ) -> Result<Zeroizing<Vec<u8>>, Undecryptable> {
        let (&version, rest) = blob.split_first().ok_or(Undecryptable)?;
        if version != FORMAT_V1 || rest.len() < NONCE_LEN {
            return Err(Undecryptable);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let aad = binding.associated_data();
        self.0
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| Undecryptable)
    }

    /// Seals a JSON value for the row `binding`.
    pub(crate) fn seal_json(&self, value: &Value, binding: Binding<'_>) -> Vec<u8> {
        let plaintext = Zeroizing::new(value.to_string().into_bytes());
        self.seal(&plaintext, binding)
    }

    /// Opens a JSON value sealed for the row `binding`; any failure is [`StoreError::Corrupt`]
    /// (the key itself was checked when the store opened).
    pub(crate) fn open_json(&self, blob: &[u8], binding: Binding<'_>) -> Result<Value, StoreError> {
        self.open(blob, binding)
            .ok()
            .and_then(|plaintext| serde_json::from_slice(&plaintext).ok())
            .ok_or_else(|| StoreError::Corrupt {
                what: binding.to_string(),
                hint: binding.repair_hint(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDENTIAL: Binding<'static> = Binding::Credential {
        id: "abc",
        type_name: "t",
    };

    #[test]
    fn opens_what_it_sealed_for_the_same_row() {
        let cipher = Cipher::new(&[7; 32]);
        let blob = cipher.seal(b"hello", CREDENTIAL);
        assert_eq!(cipher.open(&blob, CREDENTIAL).unwrap().as_slice(), b"hello");
    }

    #[test]
    fn each_seal_uses_a_new_nonce() {
        let cipher = Cipher::new(&[7; 32]);
        assert_ne!(
            cipher.seal(b"hello", CREDENTIAL),
            cipher.seal(b"hello", CREDENTIAL)
        );
    }

    #[test]
    fn refuses_another_row_another_key_and_damage() {
        let cipher = Cipher::new(&[7; 32]);
        let blob = cipher.seal(b"hello", CREDENTIAL);
        let other_row = Binding::Credential {
            id: "abd",
            type_name: "t",
        };
        assert!(cipher.open(&blob, other_row).is_err());
        assert!(Cipher::new(&[8; 32]).open(&blob, CREDENTIAL).is_err());
        let mut flipped = blob.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(cipher.open(&flipped, CREDENTIAL).is_err());
        assert!(cipher.open(&blob[..10], CREDENTIAL).is_err());
        assert!(cipher.open(&[], CREDENTIAL).is_err());
    }
}
