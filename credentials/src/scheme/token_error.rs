//! `TokenError`: a token endpoint's refusal, typed by its OAuth `error` code, with a hint that
//! says what to change in Salesforce.

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
    /// Salesforce's `error_description`.
    pub description: String,
}

/// Hints keyed by (`error`, start of `error_description`); the first match wins, and an empty
/// description prefix matches any description.
const HINTS: &[(&str, &str, &str)] = &[
    (
        "invalid_grant",
        "user hasn't approved this consumer",
        "pre-authorise the user: in the app's policies set Permitted Users to \"Admin approved users are pre-authorized\" and assign the user's profile or a permission set to the app",
    ),
    (
        "invalid_grant",
        "audience is invalid",
        "the JWT audience is not accepted by this org: set My Domain URL to the org's My Domain (https://<domain>.my.salesforce.com), or pick the right environment (sandboxes use test.salesforce.com)",
    ),
    (
        "invalid_grant",
        "invalid assertion",
        "the assertion's signature did not verify: upload the certificate that matches this private key to the app, and check the Client ID and username",
    ),
    (
        "invalid_grant",
        "expired authorization code",
        "the JWT assertion or authorisation code expired: check this machine's clock, or run `weft credentials connect` again",
    ),
    (
        "invalid_grant",
        "login rate exceeded",
        "Salesforce caps logins per user and hour: wait, and make sure no other tool logs in as this user in a loop (weft reuses its sessions)",
    ),
    (
        "invalid_grant",
        "inactive user",
        "activate the user in Setup > Users",
    ),
    (
        "invalid_grant",
        "user is locked",
        "unlock or unfreeze the user in Setup > Users",
    ),
    (
        "invalid_grant",
        "inactive organization",
        "the org is inactive or expired: use an active org",
    ),
    (
        "invalid_grant",
        "request not supported on this domain",
        "client credentials only work on your My Domain, e.g. https://acme.my.salesforce.com",
    ),
    (
        "invalid_grant",
        "no client credentials user enabled",
        "choose a Run As user in the app's Client Credentials Flow settings",
    ),
    (
        "invalid_grant",
        "expired access/refresh token",
        "the refresh token was revoked or expired: run `weft credentials connect <name>` to reconnect",
    ),
    (
        "invalid_grant",
        "no valid scopes",
        "give the app at least the `api` OAuth scope",
    ),
    (
        "invalid_grant",
        "",
        "Salesforce refused the grant: check the app's OAuth policies, the user, and the Client ID",
    ),
    (
        "invalid_client_id",
        "",
        "the Client ID (Consumer Key) is not known to this org: copy it from the app's consumer details, and check the environment or My Domain URL",
    ),
    (
        "invalid_client_credentials",
        "",
        "the Client Secret is wrong: copy the Consumer Secret from the app's consumer details again",
    ),
    (
        "invalid_client",
        "",
        "the Client Secret is wrong: copy the Consumer Secret from the app's consumer details again",
    ),
    (
        "app_not_found",
        "",
        "the External Client App is not installed in this org, or the audience is a legacy login host: set My Domain URL to the org's My Domain",
    ),
    (
        "unsupported_grant_type",
        "",
        "the flow is not enabled on the app: enable it in the app's OAuth settings (JWT bearer needs a certificate; client credentials needs a Run As user)",
    ),
    (
        "unauthorized_client",
        "",
        "the app may not use this flow: enable it in the app's OAuth settings",
    ),
    (
        "redirect_uri_mismatch",
        "",
        "the callback URL must equal one of the app's Callback URLs exactly (scheme, host, port and path)",
    ),
    (
        "invalid_request",
        "refresh_token scope is required",
        "add the refresh_token (offline_access) scope to the app, install it in the org and pre-authorise the user's profile or permission set",
    ),
    (
        "invalid_request",
        "",
        "the request was malformed (for PKCE, the verifier did not match): run `weft credentials connect` again",
    ),
    (
        "invalid_scope",
        "",
        "request only scopes the app allows (`api refresh_token` is enough for weft)",
    ),
];

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

    /// What to change, in Salesforce or in the credential.
    pub fn hint(&self) -> &'static str {
        if self.is_retryable() {
            return "Salesforce is busy or unavailable: weft retries; if it persists, check https://status.salesforce.com";
        }
        match self.kind {
            TokenErrorKind::IncompleteResponse => {
                "the token endpoint is not a Salesforce token endpoint, or the app's scopes omit `api`: check the URL and the app's OAuth scopes"
            }
            TokenErrorKind::Unreadable | TokenErrorKind::MalformedResponse => {
                "the URL does not point at a Salesforce token endpoint: check My Domain URL / environment"
            }
            _ => HINTS
                .iter()
                .find(|(error, prefix, _)| {
                    *error == self.error && self.description.starts_with(prefix)
                })
                .map_or(
                    "check the app's OAuth settings and the credential's fields",
                    |(_, _, hint)| hint,
                ),
        }
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
        write!(f, " (hint: {})", self.hint())
    }
}
