//! Salesforce's OAuth endpoints, served on both hosts: token (JWT bearer, client credentials,
//! authorization code with PKCE, refresh token), authorize (HTML page with approve and deny),
//! revoke, introspect, userinfo and the identity URL.

mod authorize;
mod identity;
mod jwt;
mod revoke;
mod token;
pub mod tokens;

use super::state::Fake;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// The OAuth routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/services/oauth2/token", post(token::token))
        .route(
            "/services/oauth2/authorize",
            get(authorize::page).post(authorize::decide),
        )
        .route(
            "/services/oauth2/revoke",
            get(revoke::revoke).post(revoke::revoke),
        )
        .route("/services/oauth2/introspect", post(revoke::introspect))
        .route("/services/oauth2/userinfo", get(identity::userinfo))
        .route("/id/{org}/{user}", get(identity::identity))
}

/// An OAuth error: `error` and `error_description`.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError(pub StatusCode, pub &'static str, pub &'static str);

impl OAuthError {
    pub fn bad(error: &'static str, description: &'static str) -> Self {
        OAuthError(StatusCode::BAD_REQUEST, error, description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.1, "error_description": self.2});
        json_response(self.0, &body)
    }
}

/// A token-endpoint style JSON answer (`application/json;charset=UTF-8`, no caching).
pub fn json_response(status: StatusCode, body: &Json) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json;charset=UTF-8"),
            (
                header::CACHE_CONTROL,
                "no-cache,must-revalidate,max-age=0,no-store,private",
            ),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Parses an `application/x-www-form-urlencoded` body or query string.
pub fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The client credentials of a request: HTTP Basic or `client_id` / `client_secret` form fields.
/// Using both is refused (RFC 6749).
pub fn client_auth(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Option<String>, Option<String>), OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    let in_form = form.contains_key("client_secret");
    match basic {
        Some(_) if in_form => Err(OAuthError::bad(
            "invalid_client",
            "invalid client credentials",
        )),
        Some(pair) => {
            let (id, secret) = pair.split_once(':').unwrap_or((&pair, ""));
            let id = urlencoding::decode(id)
                .map(|s| s.into_owned())
                .unwrap_or_default();
            let secret = urlencoding::decode(secret)
                .map(|s| s.into_owned())
                .unwrap_or_default();
            Ok((Some(id), Some(secret)))
        }
        None => Ok((
            form.get("client_id").cloned(),
            form.get("client_secret").cloned(),
        )),
    }
}

/// The bearer token of a request (`Authorization: Bearer` or the legacy `OAuth` scheme).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth"))
        .then(|| token.trim())
}
