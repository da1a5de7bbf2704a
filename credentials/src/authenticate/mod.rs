//! How a credential type authenticates a request: [`Authenticate::Token`], a session obtained
//! from a token endpoint and applied as a bearer token (the Salesforce flows), or
//! [`Authenticate::Static`], headers, query parameters, body fields, HTTP Basic or the answer to
//! an HTTP Digest challenge filled straight from the credential's fields (n8n's `authenticate: { type: 'generic' }` and the
//! generic HTTP types), with no session, no token endpoint and no refresh.

mod domains;
mod static_auth;

pub use domains::{DomainError, DomainMode, DomainRestriction, DomainRule};
pub use static_auth::{DigestLogin, Part, StaticApi, StaticAuth, StaticAuthentication, Text};

use crate::scheme::{AuthScheme, Grant};

/// How a credential type authenticates.
#[derive(Clone, Copy)]
pub enum Authenticate {
    /// A session from a token flow; requests carry its access token.
    Token(&'static dyn AuthScheme),
    /// Values taken from the credential's fields, declared as data.
    Static(&'static StaticAuth),
}

impl Authenticate {
    /// The token flow's grant; `None` for static authentication.
    pub fn grant(&self) -> Option<Grant> {
        match self {
            Authenticate::Token(scheme) => Some(scheme.grant()),
            Authenticate::Static(_) => None,
        }
    }

    /// The token flow, if this is one.
    pub fn token_scheme(&self) -> Option<&'static dyn AuthScheme> {
        match self {
            Authenticate::Token(scheme) => Some(*scheme),
            Authenticate::Static(_) => None,
        }
    }

    /// What `weft credentials types` shows: the grant's name, or `Static`.
    pub fn label(&self) -> String {
        self.grant()
            .map_or_else(|| "Static".to_owned(), |grant| format!("{grant:?}"))
    }
}

impl std::fmt::Debug for Authenticate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}
