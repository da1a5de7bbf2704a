//! The `AuthScheme` trait: what the runtime asks of a credential type to get and renew a session.

use serde_json::Value;
use url::Url;

use crate::authenticate::DomainRule;
use crate::field_error::FieldError;
use crate::scheme::{InstanceUrl, Pkce, Session, TokenRequest};

/// Seconds since the Unix epoch, passed in by the caller so the logic never reads the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnixTime(pub u64);

/// How a scheme obtains its first session and renews it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// OAuth 2.0 JWT bearer: a signed assertion is exchanged for a token; renewal = a new assertion.
    JwtBearer,
    /// OAuth 2.0 client credentials: renewal = the same grant again.
    ClientCredentials,
    /// OAuth 2.0 authorization code with PKCE: a person connects once in a browser; renewal = the
    /// refresh-token grant.
    AuthorizationCode,
    /// The credential's data chooses one of the grants above (n8n's `oAuth2Api` and its
    /// `grantType`); [`AuthScheme::grant_for`] tells which.
    ChosenByData,
}

impl Grant {
    /// Whether a credential of this grant may be connected in a browser (`weft credentials
    /// connect`, `weft serve`'s Connect): the authorization-code grant, or a type whose data may
    /// choose it.
    pub fn may_use_browser(self) -> bool {
        matches!(self, Grant::AuthorizationCode | Grant::ChosenByData)
    }
}

/// Which requests may carry a session's bearer token: the runtime's pinning rule, with the hosts
/// coming from the type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenHosts {
    /// Only the session's instance origin and the token endpoint's origin (Salesforce: the org's
    /// hosts); requests elsewhere go out without the token.
    SessionOrigins,
    /// Every request the node makes with the credential, at the origin it names (a redirect to
    /// another origin does not carry it), if `DomainRule` allows the host; a refused host fails
    /// the request before it is sent (n8n's `allowedHttpRequestDomains`).
    EveryRequest(DomainRule),
}

/// Why a scheme could not build a request from the credential's data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SchemeError {
    /// The data is invalid (the same errors `validate` reports).
    #[error("the credential's data is invalid: {}", list(.0))]
    InvalidData(Vec<FieldError>),
    /// An authorization-code credential has no usable token yet, or its refresh token is gone.
    #[error(
        "the credential is not connected (hint: run `weft credentials connect <name>` to authorise it in a browser)"
    )]
    NotConnected,
    /// A session of a type whose API host comes from the token response names none.
    #[error(
        "the session names no instance URL (hint: test the credential again to obtain a new session)"
    )]
    MissingInstance,
    /// The scheme has no such step (e.g. a browser authorisation for a JWT credential).
    #[error("this credential type does not support {0}")]
    Unsupported(&'static str),
}

fn list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The browser step of the authorization-code flow.
#[derive(Debug)]
pub struct AuthorizeRequest {
    /// Where to send the user's browser.
    pub url: Url,
    /// The PKCE pair; the verifier goes into the code exchange.
    pub pkce: Pkce,
    /// The `state` value the callback must echo.
    pub state: String,
}

/// What the runtime asks of a credential type. Implementations are pure: they build requests and
/// read data; the runtime sends, caches and persists.
pub trait AuthScheme: Sync + 'static {
    /// The grant this scheme uses, or [`Grant::ChosenByData`].
    fn grant(&self) -> Grant;

    /// The grant a credential with `data` uses: [`AuthScheme::grant`] unless the data chooses.
    fn grant_for(&self, _data: &Value) -> Grant {
        self.grant()
    }

    /// The request that mints a session: the JWT assertion exchange or the client-credentials
    /// grant. For the authorization-code grant, the refresh-token grant using `previous`'s refresh
    /// token (or [`SchemeError::NotConnected`]).
    fn token_request(
        &self,
        data: &Value,
        previous: Option<&Session>,
        now: UnixTime,
    ) -> Result<TokenRequest, SchemeError>;

    /// A session stored inside the credential's data by n8n (a cached JWT token, an OAuth2
    /// `oauthTokenData`), used to seed the session cache so an imported credential does not log
    /// in again.
    fn stored_session(&self, data: &Value) -> Option<Session>;

    /// The base URL of the API for this session (e.g. `<instance_url>/services/data/v66.0`);
    /// `None` for a type whose nodes name whole URLs (a generic OAuth2 API).
    fn api_base(&self, data: &Value, session: &Session) -> Result<Option<Url>, SchemeError>;

    /// The request that tests the credential (e.g. OpenID Connect userinfo), for this session.
    fn test_url(&self, data: &Value, session: &Session) -> Result<Url, SchemeError>;

    /// The host that issues tokens for this credential (a bearer token may be sent there too).
    fn token_url(&self, data: &Value) -> Result<Url, SchemeError>;

    /// Whether sessions name their API host, and which one to assume when a token response has
    /// none (Salesforce client credentials: the My Domain the token came from).
    fn instance_url(&self, _data: &Value) -> InstanceUrl {
        InstanceUrl::REQUIRED
    }

    /// Which requests may carry the session's token.
    fn token_hosts(&self, _data: &Value) -> TokenHosts {
        TokenHosts::SessionOrigins
    }

    /// The browser authorisation of the authorization-code grant.
    fn authorize(
        &self,
        _data: &Value,
        _redirect_uri: &Url,
        _pkce: Pkce,
        _state: String,
    ) -> Result<AuthorizeRequest, SchemeError> {
        Err(SchemeError::Unsupported("browser authorisation"))
    }

    /// The code exchange of the authorization-code grant.
    fn code_exchange(
        &self,
        _data: &Value,
        _code: &str,
        _redirect_uri: &Url,
        _pkce: &Pkce,
    ) -> Result<TokenRequest, SchemeError> {
        Err(SchemeError::Unsupported("browser authorisation"))
    }
}
