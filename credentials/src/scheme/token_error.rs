//! `TokenError`: a token endpoint's refusal, typed by its OAuth `error` code. What to change is
//! the credential type's to say (`ApiPolicy::token_error_hint`), since the same code means
//! different things at different providers.

use std::fmt;

/// The kind of a token-endpoint error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenErrorKind {
    /// `invalid_grant`: the user, assertion, code or refresh token was refused.
    InvalidGrant,
    /// `invalid_client_id`: the consumer key is unknown to the org.
    InvalidClientId,
    /// `invalid_client`: the consumer secret is wrong.
    InvalidClient,
    /// `app_not_found`: an External Client App is not installed, or the audience is a legacy host.
    AppNotFound,
    /// `unsupported_grant_type`: the flow is not enabled on the app.
    UnsupportedGrantType,
    /// `unauthorized_client`: the app may not use this flow.
    UnauthorizedClient,
    /// `redirect_uri_mismatch`: the callback URL is not the app's.
    RedirectUriMismatch,
    /// `invalid_request`: e.g. a PKCE verifier that does not match.
    InvalidRequest,
    /// `invalid_scope`.
    InvalidScope,
    /// A success response without an access token or instance URL.
    IncompleteResponse,
    /// A success response with a known field of the wrong JSON type, or an instance URL that is
    /// not an absolute http(s) URL.
    MalformedResponse,
    /// A body that is not an OAuth response (an HTML error page, ...).
    Unreadable,
    /// Any other `error` code.
    Other,
}

/// A token endpoint's refusal. Final unless [`TokenError::is_retryable`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TokenError {
    /// The error's kind.
    pub kind: TokenErrorKind,
    /// The HTTP status.
    pub status: u16,
    /// The OAuth `error` code as sent.
    pub error: String,
    /// The server's `error_description`.
    pub description: String,
}

impl TokenError {
    /// An error of a known kind.
    pub fn new(kind: TokenErrorKind, status: u16, error: &str, description: &str) -> Self {
        Self {
            kind,
            status,
            error: error.to_owned(),
            description: description.to_owned(),
        }
    }

    /// An error from an OAuth error body.
    pub fn from_oauth(status: u16, error: &str, description: &str) -> Self {
        let kind = match error {
            "invalid_grant" => TokenErrorKind::InvalidGrant,
            "invalid_client_id" => TokenErrorKind::InvalidClientId,
            "invalid_client" | "invalid_client_credentials" => TokenErrorKind::InvalidClient,
            "app_not_found" => TokenErrorKind::AppNotFound,
            "unsupported_grant_type" => TokenErrorKind::UnsupportedGrantType,
            "unauthorized_client" => TokenErrorKind::UnauthorizedClient,
            "redirect_uri_mismatch" => TokenErrorKind::RedirectUriMismatch,
            "invalid_request" => TokenErrorKind::InvalidRequest,
            "invalid_scope" => TokenErrorKind::InvalidScope,
            _ => TokenErrorKind::Other,
        };
        Self::new(kind, status, error, description)
    }

    /// True when trying again later may succeed: a server error, or Salesforce's "already being
    /// processed" answer to concurrent refreshes.
    pub fn is_retryable(&self) -> bool {
        self.status >= 500 || self.description.contains("already being processed")
    }

    /// True when only a new browser authorisation can fix it (revoked or expired refresh token).
    pub fn needs_reconnect(&self) -> bool {
        self.kind == TokenErrorKind::InvalidGrant
            && self.description.starts_with("expired access/refresh token")
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.needs_reconnect() {
            write!(f, "the credential needs to be reconnected: ")?;
        }
        write!(
            f,
            "token request refused (HTTP {}): {}",
            self.status, self.error
        )?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        Ok(())
    }
}
