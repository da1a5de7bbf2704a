//! `AuthError`: why a session could not be had. Messages carry the server's words and a hint
//! (the credential type's, for a refused token request), never a secret.

use weft_credentials::scheme::{SchemeError, TokenError};

use crate::store::StoreError;

/// Why a credential could not give a session.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The token endpoint refused (final unless it said otherwise).
    #[error("credential \"{credential}\": {error} (hint: {hint})")]
    Token {
        /// The credential's name.
        credential: String,
        /// The token endpoint's answer.
        error: TokenError,
        /// What to change, in the type's words (`ApiPolicy::token_error_hint`).
        hint: &'static str,
    },
    /// The credential's data cannot build a request.
    #[error("credential \"{credential}\": {error}")]
    Scheme {
        /// The credential's name.
        credential: String,
        /// What is wrong.
        error: SchemeError,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The token endpoint could not be reached.
    #[error(
        "credential \"{credential}\": cannot reach the token endpoint {url}: {reason} (hint: check the network and the credential's host)"
    )]
    Unreachable {
        /// The credential's name.
        credential: String,
        /// The endpoint.
        url: String,
        /// The transport error.
        reason: String,
    },
    /// No credential with that id or name.
    #[error(
        "no stored credential \"{0}\" (hint: `weft credentials list` shows the stored ones; import or add it first)"
    )]
    UnknownCredential(String),
    /// Another process held the credential's renewal lock for longer than weft waits.
    #[error(
        "credential \"{credential}\": another weft process has been obtaining its session for over {waited_secs} s (hint: that process may still be waiting for the token endpoint; try again once it has finished, and check the network and the credential's host)"
    )]
    RenewalBusy {
        /// The credential's name.
        credential: String,
        /// How long this process waited.
        waited_secs: u64,
    },
}

impl AuthError {
    /// True when only a browser reconnect can fix it.
    pub fn needs_reconnect(&self) -> bool {
        match self {
            AuthError::Token { error, .. } => error.needs_reconnect(),
            AuthError::Scheme { error, .. } => matches!(error, SchemeError::NotConnected),
            _ => false,
        }
    }
}
