//! `ApiPolicy`: what a credential type says about the API it authenticates, so that the runtime's
//! middleware (the mechanism: retry, renew once and replay, test) needs no knowledge of any
//! provider. Which methods may be repeated, which answers are worth another attempt and which are
//! final, which mean "the session was refused, renew it once", who a successful test request
//! shows, and the hints for a failed test or a refused token request.
//!
//! Every method has a default suited to a generic HTTP API ([`DEFAULT_POLICY`]); a type overrides
//! only what its API does differently (`crate::salesforce::SALESFORCE_API`).

use serde_json::{Map, Value};

use crate::scheme::{TokenError, TokenErrorKind};

/// A credential type's policy for the runtime's middleware. Implementations are pure: they read
/// a status, a method or a body the runtime hands them.
pub trait ApiPolicy: Sync + 'static {
    /// Whether a request with this method (upper case, e.g. `GET`) may be sent again without
    /// changing the outcome, so that the runtime may retry it. Default: GET, HEAD, OPTIONS, PUT,
    /// DELETE (RFC 9110's idempotent methods), never POST or PATCH.
    fn is_idempotent(&self, method: &str) -> bool {
        matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
    }

    /// Whether [`is_retryable`](Self::is_retryable) and
    /// [`session_refused`](Self::session_refused) need the body of an answer with this status.
    /// The runtime reads (at most 16 KiB of) a body only then. Default: never.
    fn reads_body(&self, status: u16) -> bool {
        let _ = status;
        false
    }

    /// Whether an answer means "try again later": the runtime retries it (idempotent methods
    /// only, honouring `Retry-After`); any other answer is final and reaches the node untouched.
    /// `body` is empty unless [`reads_body`](Self::reads_body) asked for it. Default: 429 and 503.
    fn is_retryable(&self, status: u16, body: &str) -> bool {
        let _ = body;
        matches!(status, 429 | 503)
    }

    /// Whether an answer means the session's token was refused, so that the runtime renews the
    /// session once and replays the request once (token flows only). `body` as for
    /// [`is_retryable`](Self::is_retryable). Default: 401.
    fn session_refused(&self, status: u16, body: &str) -> bool {
        let _ = body;
        status == 401
    }

    /// Who the credential acts as, read from the JSON answer of a successful test request.
    /// `None` (the default, or an answer without what the type expects): the test shows only
    /// that the request succeeded.
    fn identity(&self, answer: &Value) -> Option<Identity> {
        let _ = answer;
        None
    }

    /// What to change when the test request answered `status` (not 2xx) even after a renewal.
    fn test_failure_hint(&self, status: u16) -> &'static str {
        match status {
            401 | 403 => {
                "the server refused the credential: check its fields (a key or token that is current, the right account)"
            }
            404 => "the server does not know the test request's path: check the credential's URL",
            _ => "the server could not answer: try again later",
        }
    }

    /// What to change when the token endpoint refused.
    fn token_error_hint(&self, error: &TokenError) -> &'static str {
        generic_token_error_hint(error)
    }
}

/// Who a successful test request shows: a line for people and the fields for programs (the
/// answer of `weft serve`'s Test).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// One line, e.g. `user ana@example.com (005…), org 00D…`. Plain text, no secret.
    pub summary: String,
    /// The same as named fields, e.g. `{"username": …}`.
    pub fields: Map<String, Value>,
}

/// The policy of a generic HTTP API: every default of [`ApiPolicy`].
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultPolicy;

impl ApiPolicy for DefaultPolicy {}

/// The policy of a type whose API has no rules of its own.
pub static DEFAULT_POLICY: DefaultPolicy = DefaultPolicy;

/// RFC 6749's token errors, told without any provider's words.
pub fn generic_token_error_hint(error: &TokenError) -> &'static str {
    if error.is_retryable() {
        return "the token endpoint is busy or unavailable: weft retries; if it persists, try again later";
    }
    match error.kind {
        TokenErrorKind::IncompleteResponse
        | TokenErrorKind::Unreadable
        | TokenErrorKind::MalformedResponse => {
            "the URL does not point at an OAuth token endpoint, or the scopes granted omit what the API needs: check the token URL and the scopes"
        }
        TokenErrorKind::InvalidGrant => {
            "the authorization server refused the grant: check the credential's fields, or connect it again"
        }
        TokenErrorKind::InvalidClientId | TokenErrorKind::InvalidClient => {
            "the client ID or client secret is wrong: copy them from the app's settings again"
        }
        TokenErrorKind::UnsupportedGrantType | TokenErrorKind::UnauthorizedClient => {
            "the app may not use this grant: enable it in the app's settings"
        }
        TokenErrorKind::RedirectUriMismatch => {
            "the callback URL must equal one of the app's redirect URLs exactly (scheme, host, port and path)"
        }
        TokenErrorKind::InvalidRequest => {
            "the request was malformed (for PKCE, the verifier did not match): connect again"
        }
        TokenErrorKind::InvalidScope => "request only scopes the app allows",
        TokenErrorKind::AppNotFound | TokenErrorKind::Other => {
            "check the app's OAuth settings and the credential's fields"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_retries_429_and_503_of_idempotent_methods_and_renews_on_401() {
        let policy = DefaultPolicy;
        for method in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"] {
            assert!(policy.is_idempotent(method), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT"] {
            assert!(!policy.is_idempotent(method), "{method}");
        }
        let retried: Vec<u16> = (100..600)
            .filter(|status| policy.is_retryable(*status, ""))
            .collect();
        assert_eq!(retried, [429, 503]);
        let refused: Vec<u16> = (100..600)
            .filter(|status| policy.session_refused(*status, "Bad_OAuth_Token"))
            .collect();
        assert_eq!(refused, [401]);
        assert!((100..600).all(|status| !policy.reads_body(status)));
        assert_eq!(policy.identity(&serde_json::json!({"user": "x"})), None);
    }
}
