//! The per-launch token: 32 random bytes as hex, made when `weft serve` starts and printed in the
//! page's address (after `#`, so it never travels in a request line, a log or a Referer). The page
//! keeps it in its tab's session storage and sends it as `Authorization: Bearer <token>`; a cookie
//! would reach every other server on 127.0.0.1, since cookies ignore the port.

use std::fmt;

use rand::RngCore;

/// The token. `Debug` does not print it.
pub struct LaunchToken(String);

impl LaunchToken {
    /// A new random token.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// The token's text, for the printed address.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether an `Authorization` header value is `Bearer <this token>`, compared in constant
    /// time.
    pub fn matches_header(&self, authorization: &str) -> bool {
        let Some(given) = authorization.strip_prefix("Bearer ") else {
            return false;
        };
        let expected = self.0.as_bytes();
        let given = given.trim().as_bytes();
        given.len() == expected.len()
            && given
                .iter()
                .zip(expected)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }
}

impl fmt::Debug for LaunchToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LaunchToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_its_own_bearer_token() {
        let token = LaunchToken::generate();
        assert_eq!(token.expose().len(), 64);
        assert!(token.matches_header(&format!("Bearer {}", token.expose())));
        assert!(!token.matches_header(token.expose()));
        assert!(!token.matches_header("Bearer 00"));
        assert!(!LaunchToken::generate().matches_header(&format!("Bearer {}", token.expose())));
        assert_eq!(format!("{token:?}"), "LaunchToken(<redacted>)");
    }
}
