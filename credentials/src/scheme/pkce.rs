//! PKCE (RFC 7636) with S256, and random `state` values.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// A PKCE verifier and its S256 challenge. The verifier is secret until the code exchange.
#[derive(Clone)]
pub struct Pkce {
    verifier: Secret,
}

impl Pkce {
    /// A fresh verifier: 32 random bytes, base64url (43 characters).
    pub fn generate() -> Self {
        Self::from_verifier(random_token())
    }

    /// A pair from a known verifier (tests, or a verifier kept across a callback).
    pub fn from_verifier(verifier: impl Into<String>) -> Self {
        Self {
            verifier: Secret::new(verifier),
        }
    }

    /// The verifier, sent with the code exchange.
    pub fn verifier(&self) -> &str {
        self.verifier.expose()
    }

    /// base64url(SHA-256(verifier)), no padding.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier().as_bytes()))
    }
}

impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce")
            .field("challenge", &self.challenge())
            .finish_non_exhaustive()
    }
}

/// 32 random bytes from the OS-seeded generator, base64url without padding.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_matches_rfc_7636_appendix_b() {
        let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            pkce.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_verifiers_are_distinct_and_of_legal_length() {
        let (a, b) = (Pkce::generate(), Pkce::generate());
        assert_ne!(a.verifier(), b.verifier());
        assert!((43..=128).contains(&a.verifier().len()));
        assert!(!format!("{a:?}").contains(a.verifier()));
    }
}
