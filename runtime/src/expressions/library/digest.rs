//! The digests of n8n's `.hash(algorithm)` (hex; `base64` is the text's Base64), and the Base64
//! of `.base64Encode()`/`.base64Decode()`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::Digest;

/// Why a digest could not be made, in n8n's words.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// The algorithm is not one n8n knows.
    #[error(
        "Unknown algorithm {0}. Available algorithms are: md5,sha1,sha224,sha256,sha384,sha512,sha3, and Base64."
    )]
    UnknownAlgorithm(String),
    /// `base64Decode` of text that is not Base64 of UTF-8.
    #[error("cannot decode Base64: the text is not Base64 of UTF-8 text")]
    NotBase64,
}

/// `text` digested by `algorithm` (lower case), or decoded when `algorithm` is `base64decode`.
pub fn digest(algorithm: &str, text: &str) -> Result<String, DigestError> {
    let bytes = text.as_bytes();
    Ok(match algorithm {
        "base64" => STANDARD.encode(bytes),
        "base64decode" => STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or(DigestError::NotBase64)?,
        "md5" => hex(&md5::Md5::digest(bytes)),
        "sha1" => hex(&sha1::Sha1::digest(bytes)),
        "sha224" => hex(&sha2::Sha224::digest(bytes)),
        "sha256" => hex(&sha2::Sha256::digest(bytes)),
        "sha384" => hex(&sha2::Sha384::digest(bytes)),
        "sha512" => hex(&sha2::Sha512::digest(bytes)),
        "sha3" => hex(&sha3::Sha3_512::digest(bytes)),
        other => return Err(DigestError::UnknownAlgorithm(other.to_owned())),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
