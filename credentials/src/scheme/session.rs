//! `Session`: an access token and where to use it, parsed from a token response and merged with
//! the session it renews.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::scheme::token_error::{TokenError, TokenErrorKind};
use crate::secret::Secret;

/// An authenticated session. Serialises in the shape of the token response (what n8n keeps as
/// `oauthTokenData`), so a stored session can be exported back to n8n.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The bearer token.
    pub access_token: Secret,
    /// The org's API host; every API URL is built from it.
    pub instance_url: Url,
    /// The refresh token, for the authorization-code grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// The identity URL (on the login host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the token was issued, epoch milliseconds as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// Granted scopes, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Usually `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Every other field of the response (`signature`, `id_token`, `token_format`, ...), kept so
    /// the stored token data round-trips; treated as secret.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Session {
    /// A session of just a bearer token and its instance, as n8n caches one in a credential.
    pub fn new(access_token: Secret, instance_url: Url) -> Self {
        Self {
            access_token,
            instance_url,
            refresh_token: None,
            id: None,
            issued_at: None,
            scope: None,
            token_type: None,
            extra: Map::new(),
        }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("instance_url", &self.instance_url.as_str())
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("issued_at", &self.issued_at)
            .field("extra_fields", &self.extra.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<Secret>,
    instance_url: Option<String>,
    refresh_token: Option<Secret>,
    id: Option<String>,
    issued_at: Option<String>,
    scope: Option<String>,
    token_type: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: String,
}

/// Turns a token endpoint's answer into a session.
///
/// A success is merged over `previous` (the session being renewed) field by field: a response
/// without `refresh_token` keeps the old one, and `instance_url` comes from the latest response
/// that has one, else from `previous`, else from `fallback_instance_url`. A success that still
/// lacks an access token or an instance URL is an error, as is every error body, typed by its
/// OAuth `error` code.
pub fn parse_token_response(
    status: u16,
    body: &str,
    previous: Option<&Session>,
    fallback_instance_url: Option<&Url>,
) -> Result<Session, TokenError> {
    if !(200..300).contains(&status) {
        return Err(match serde_json::from_str::<ErrorResponse>(body) {
            Ok(error) => TokenError::from_oauth(status, &error.error, &error.error_description),
            Err(_) => TokenError::unreadable(status, body),
        });
    }
    let response: TokenResponse =
        serde_json::from_str(body).map_err(|_| TokenError::unreadable(status, body))?;
    let access_token = response
        .access_token
        .filter(|token| !token.is_empty())
        .ok_or_else(|| TokenError::incomplete(status, "access_token"))?;
    let instance_url = match response.instance_url.filter(|url| !url.is_empty()) {
        Some(text) => {
            Url::parse(&text).map_err(|_| TokenError::incomplete(status, "instance_url"))?
        }
        None => previous
            .map(|session| &session.instance_url)
            .or(fallback_instance_url)
            .cloned()
            .ok_or_else(|| TokenError::incomplete(status, "instance_url"))?,
    };
    let mut extra = previous
        .map(|session| session.extra.clone())
        .unwrap_or_default();
    extra.extend(response.extra.into_iter().filter(|(_, v)| !v.is_null()));
    let keep = |new: Option<String>, old: fn(&Session) -> &Option<String>| {
        new.or_else(|| previous.and_then(|session| old(session).clone()))
    };
    Ok(Session {
        access_token,
        instance_url,
        refresh_token: response
            .refresh_token
            .filter(|token| !token.is_empty())
            .or_else(|| previous.and_then(|session| session.refresh_token.clone())),
        id: keep(response.id, |s| &s.id),
        issued_at: keep(response.issued_at, |s| &s.issued_at),
        scope: keep(response.scope, |s| &s.scope),
        token_type: keep(response.token_type, |s| &s.token_type),
        extra,
    })
}

impl TokenError {
    fn incomplete(status: u16, field: &str) -> Self {
        TokenError::new(
            TokenErrorKind::IncompleteResponse,
            status,
            "incomplete_response",
            &format!("the token response has no `{field}`"),
        )
    }

    fn unreadable(status: u16, body: &str) -> Self {
        let excerpt: String = body.chars().take(120).collect();
        TokenError::new(
            TokenErrorKind::Unreadable,
            status,
            "unreadable_response",
            &format!(
                "the token endpoint answered HTTP {status} with a body that is not an OAuth response: {excerpt:?}"
            ),
        )
    }
}
