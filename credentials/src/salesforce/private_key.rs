//! The JWT signing key: a PEM as users paste it (PKCS#8 or PKCS#1, literal `\n`s, lost line
//! breaks) normalised and checked to be a usable RSA key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

/// Why a private key cannot sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrivateKeyError {
    /// No PEM block.
    #[error("is not a PEM private key")]
    NotPem,
    /// An encrypted PKCS#8 or PKCS#1 key.
    #[error("is encrypted with a passphrase")]
    Encrypted,
    /// A public key or certificate was pasted instead.
    #[error("is a public key or certificate, not a private key")]
    NotPrivate,
    /// A PEM that is not an RSA private key (EC keys cannot sign RS256).
    #[error("is not an RSA private key")]
    NotRsa,
}

impl PrivateKeyError {
    /// What the user should do.
    pub fn hint(self) -> &'static str {
        match self {
            PrivateKeyError::NotPem => {
                "paste the whole PEM, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----"
            }
            PrivateKeyError::Encrypted => {
                "remove the passphrase: openssl pkey -in key.pem -out key-plain.pem (weft stores it encrypted)"
            }
            PrivateKeyError::NotPrivate => {
                "paste the private key; the certificate belongs in the Salesforce app"
            }
            PrivateKeyError::NotRsa => {
                "Salesforce's JWT flow needs an RSA key of 2048 bits or more: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"
            }
        }
    }
}

/// Normalises `pem` and returns a key that has been proven to sign RS256.
pub fn signing_key(pem: &str) -> Result<EncodingKey, PrivateKeyError> {
    let normalised = normalise_pem(pem)?;
    let key =
        EncodingKey::from_rsa_pem(normalised.as_bytes()).map_err(|_| PrivateKeyError::NotRsa)?;
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &serde_json::json!({}), &key)
        .map_err(|_| PrivateKeyError::NotRsa)?;
    Ok(key)
}

/// Rebuilds a PEM from its label and base64 body: literal `\n` escapes, spaces and lost line
/// breaks are repaired, and the body is re-wrapped at 64 columns.
fn normalise_pem(pem: &str) -> Result<String, PrivateKeyError> {
    let text = pem.replace("\\r\\n", "\n").replace("\\n", "\n");
    let begin = text.find("-----BEGIN ").ok_or(PrivateKeyError::NotPem)?;
    let after_begin = &text[begin + "-----BEGIN ".len()..];
    let label_end = after_begin.find("-----").ok_or(PrivateKeyError::NotPem)?;
    let label = after_begin[..label_end].trim().to_owned();
    let body_and_rest = &after_begin[label_end + "-----".len()..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_and_rest
        .find(&end_marker)
        .ok_or(PrivateKeyError::NotPem)?;
    let body = &body_and_rest[..body_end];
    match label.as_str() {
        "PRIVATE KEY" | "RSA PRIVATE KEY" => {}
        "ENCRYPTED PRIVATE KEY" => return Err(PrivateKeyError::Encrypted),
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => return Err(PrivateKeyError::NotPrivate),
        "EC PRIVATE KEY" => return Err(PrivateKeyError::NotRsa),
        _ => return Err(PrivateKeyError::NotPem),
    }
    if body.contains("Proc-Type:") || body.contains("DEK-Info:") {
        return Err(PrivateKeyError::Encrypted);
    }
    let base64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if base64.is_empty() || STANDARD.decode(&base64).is_err() {
        return Err(PrivateKeyError::NotPem);
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in base64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).map_err(|_| PrivateKeyError::NotPem)?);
        out.push('\n');
    }
    out.push_str(&end_marker);
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS8: &str = include_str!("../../../tests/fixtures/keys/test-rsa-pkcs8.pem");
    const PKCS1: &str = include_str!("../../../tests/fixtures/keys/test-rsa-pkcs1.pem");

    #[test]
    fn accepts_pkcs8_pkcs1_escaped_and_unwrapped_keys() {
        assert!(signing_key(PKCS8).is_ok());
        assert!(signing_key(PKCS1).is_ok());
        assert!(signing_key(&PKCS8.replace('\n', "\\n")).is_ok());
        let one_line = PKCS8.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        assert!(signing_key(&one_line).is_ok());
        let no_breaks: String = PKCS1.split('\n').collect();
        assert!(signing_key(&no_breaks).is_ok());
    }

    #[test]
    fn refuses_encrypted_public_ec_and_garbage() {
        let cases = [
            (
                include_str!("../../../tests/fixtures/keys/test-rsa-encrypted.pem"),
                PrivateKeyError::Encrypted,
            ),
            (
                include_str!("../../../tests/fixtures/keys/test-rsa-public.pem"),
                PrivateKeyError::NotPrivate,
            ),
            (
                include_str!("../../../tests/fixtures/keys/test-rsa-cert.pem"),
                PrivateKeyError::NotPrivate,
            ),
            (
                include_str!("../../../tests/fixtures/keys/test-ec-pkcs8.pem"),
                PrivateKeyError::NotRsa,
            ),
            ("not a key", PrivateKeyError::NotPem),
            (
                "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----",
                PrivateKeyError::NotPem,
            ),
        ];
        for (pem, expected) in cases {
            assert_eq!(signing_key(pem).err(), Some(expected));
        }
    }
}
