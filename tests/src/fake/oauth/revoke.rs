//! Token revocation and introspection.

use super::{OAuthError, client_auth, form, json_response};
use crate::fake::state::Fake;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

/// `POST` (form) or `GET` (query) `/services/oauth2/revoke`, parameter `token`.
pub async fn revoke(
    State(fake): State<Arc<Fake>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params = form(&body);
    params.extend(form(query.unwrap_or_default().as_bytes()));
    let known = params
        .get("token")
        .is_some_and(|t| fake.tokens.lock().revoke(t));
    if known {
        StatusCode::OK.into_response()
    } else {
        OAuthError::bad("unsupported_token_type", "this token type is not supported")
            .into_response()
    }
}

/// `POST /services/oauth2/introspect`: RFC 7662 style answers for the app's own tokens.
pub async fn introspect(
    State(fake): State<Arc<Fake>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = form(&body);
    let app = match client_auth(&headers, &params) {
        Ok((Some(id), Some(secret))) => fake.config.app(&id).filter(|a| a.client_secret == secret),
        Ok(_) => None,
        Err(e) => return e.into_response(),
    };
    let Some(app) = app else {
        return OAuthError(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "invalid client credentials",
        )
        .into_response();
    };
    let token = params.get("token").map_or("", String::as_str);
    let now = fake.now();
    let tokens = fake.tokens.lock();
    let sub = |username: &str| fake.identity_url(&fake.user_id(username).unwrap_or_default());
    let body = if let Some(s) = tokens
        .any_session(token)
        .filter(|s| s.client_id == app.client_id)
    {
        let active = tokens.session(token, now).is_some();
        if active {
            json!({"active": true, "scope": s.scope, "client_id": s.client_id, "username": s.username,
                   "sub": sub(&s.username), "token_type": "access_token", "exp": s.expires_ms / 1000,
                   "iat": s.issued_ms / 1000, "nbf": s.issued_ms / 1000})
        } else {
            json!({"active": false})
        }
    } else if let Some(r) = tokens
        .refresh_token(token)
        .filter(|r| r.client_id == app.client_id && !r.revoked && !r.used)
    {
        json!({"active": true, "scope": r.scope, "client_id": r.client_id, "username": r.username,
               "sub": sub(&r.username), "token_type": "refresh_token"})
    } else {
        json!({"active": false})
    };
    json_response(StatusCode::OK, &body)
}
