//! `POST /services/oauth2/token`: the four grants and their success bodies. Responses never carry
//! `expires_in`; grants that use the client secret add `issued_at` (epoch ms, a string) and
//! `signature` = base64(HMAC-SHA256(secret, id + issued_at)).

use super::tokens::Session;
use super::{OAuthError, client_auth, form, json_response, jwt};
use crate::fake::config::ConnectedApp;
use crate::fake::log::HostRole;
use crate::fake::server::Conn;
use crate::fake::state::Fake;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Scopes granted when a web-server flow asks for none.
const DEFAULT_SCOPE: &str = "refresh_token api id";

/// The token endpoint.
pub async fn token(
    State(fake): State<Arc<Fake>>,
    Extension(conn): Extension<Conn>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let params = if is_form { form(&body) } else { HashMap::new() };
    let grant = params.get("grant_type").map_or("none", String::as_str);
    *fake
        .counters
        .lock()
        .token_requests
        .entry(grant.to_string())
        .or_default() += 1;
    let result = match grant {
        JWT_BEARER => jwt_bearer(&fake, &params),
        "client_credentials" => client_credentials(&fake, conn.role, &headers, &params),
        "authorization_code" => authorization_code(&fake, &headers, &params),
        "refresh_token" => refresh(&fake, &headers, &params),
        _ => Err(OAuthError::bad(
            "unsupported_grant_type",
            "grant type not supported",
        )),
    };
    match result {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(e) => e.into_response(),
    }
}

fn jwt_bearer(fake: &Fake, params: &HashMap<String, String>) -> Result<Json, OAuthError> {
    let assertion = params.get("assertion").map_or("", String::as_str);
    let (client_id, username) = jwt::verify(fake, assertion)?;
    let (access, _) = issue(fake, &client_id, &username, "api", None);
    Ok(json!({
        "access_token": access, "scope": "api", "instance_url": fake.announced_instance_url(),
        "id": identity(fake, &username), "token_type": "Bearer",
    }))
}

/// Authenticates the app of a secret-based grant.
fn app<'a>(
    fake: &'a Fake,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    secret_required: bool,
) -> Result<&'a ConnectedApp, OAuthError> {
    let (id, secret) = client_auth(headers, params)?;
    let app = fake
        .config
        .app(id.as_deref().unwrap_or_default())
        .ok_or(OAuthError::bad(
            "invalid_client_id",
            "client identifier invalid",
        ))?;
    match secret {
        Some(s) if s == app.client_secret => Ok(app),
        None if !secret_required => Ok(app),
        _ => Err(OAuthError::bad(
            "invalid_client",
            "invalid client credentials",
        )),
    }
}

fn client_credentials(
    fake: &Fake,
    role: HostRole,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<Json, OAuthError> {
    if role != HostRole::Instance {
        return Err(OAuthError::bad(
            "invalid_grant",
            "request not supported on this domain",
        ));
    }
    let app = app(fake, headers, params, true)?;
    if !app.client_credentials_enabled {
        return Err(OAuthError::bad(
            "unsupported_grant_type",
            "grant type not supported",
        ));
    }
    let user = app
        .run_as
        .as_deref()
        .and_then(|u| fake.config.user(u))
        .ok_or(OAuthError::bad(
            "invalid_grant",
            "no client credentials user enabled",
        ))?;
    let (access, issued) = issue(fake, &app.client_id, &user.username, "api", None);
    Ok(signed(
        fake,
        app,
        &user.username,
        issued,
        json!({"access_token": access, "scope": "api", "token_format": "opaque"}),
    ))
}

fn authorization_code(
    fake: &Fake,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<Json, OAuthError> {
    let app = app(fake, headers, params, true)?;
    let code = params
        .get("code")
        .and_then(|c| fake.tokens.lock().take_code(c))
        .filter(|c| c.client_id == app.client_id && c.expires_ms > fake.now())
        .ok_or(OAuthError::bad(
            "invalid_grant",
            "expired authorization code",
        ))?;
    if params.get("redirect_uri") != Some(&code.redirect_uri) {
        return Err(OAuthError::bad(
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        ));
    }
    if let Some(challenge) = &code.challenge {
        let verifier = params
            .get("code_verifier")
            .ok_or(OAuthError::bad("invalid_grant", "invalid code verifier"))?;
        if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != *challenge {
            return Err(OAuthError::bad("invalid_request", "invalid code verifier"));
        }
    }
    let scope = if code.scope.is_empty() {
        DEFAULT_SCOPE.to_string()
    } else {
        code.scope.clone()
    };
    let wants_refresh = scope
        .split(' ')
        .any(|s| s == "refresh_token" || s == "offline_access");
    let refresh = wants_refresh.then(|| {
        fake.tokens
            .lock()
            .issue_refresh(&app.client_id, &code.username, &scope, None)
    });
    let (access, issued) = issue(
        fake,
        &app.client_id,
        &code.username,
        &scope,
        refresh.clone(),
    );
    let mut body = json!({"access_token": access, "scope": scope});
    if let Some(r) = refresh {
        body["refresh_token"] = r.into();
    }
    Ok(signed(fake, app, &code.username, issued, body))
}

fn refresh(
    fake: &Fake,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<Json, OAuthError> {
    let app = app(fake, headers, params, false)?;
    let expired = OAuthError::bad("invalid_grant", "expired access/refresh token");
    let presented = params.get("refresh_token").ok_or(expired.clone())?;
    let mut tokens = fake.tokens.lock();
    let grant = tokens
        .refresh_token(presented)
        .filter(|r| r.client_id == app.client_id && !r.revoked)
        .cloned()
        .ok_or(expired.clone())?;
    if grant.used {
        // Reuse of a rotated-away token: Salesforce revokes the whole family.
        tokens.revoke_family(grant.family);
        return Err(expired);
    }
    let fresh = app.refresh_token_rotation.then(|| {
        tokens.mark_used(presented);
        tokens.issue_refresh(
            &app.client_id,
            &grant.username,
            &grant.scope,
            Some(grant.family),
        )
    });
    drop(tokens);
    let parent = fresh.clone().unwrap_or_else(|| presented.clone());
    let (access, issued) = issue(
        fake,
        &app.client_id,
        &grant.username,
        &grant.scope,
        Some(parent),
    );
    let mut body = json!({"access_token": access, "scope": grant.scope});
    if let Some(r) = fresh {
        body["refresh_token"] = r.into();
    }
    Ok(signed(fake, app, &grant.username, issued, body))
}

/// Issues an access token; returns it and its issue time.
fn issue(
    fake: &Fake,
    client_id: &str,
    username: &str,
    scope: &str,
    refresh: Option<String>,
) -> (String, i64) {
    let now = fake.now();
    let lifetime = i64::try_from(fake.config.token_lifetime.as_millis()).unwrap_or(i64::MAX);
    let token = fake.tokens.lock().issue_access(Session {
        client_id: client_id.into(),
        username: username.into(),
        scope: scope.into(),
        issued_ms: now,
        expires_ms: now.saturating_add(lifetime),
        revoked: false,
        refresh,
    });
    (token, now)
}

fn identity(fake: &Fake, username: &str) -> String {
    fake.identity_url(&fake.user_id(username).unwrap_or_default())
}

/// Adds the common fields and the `signature` of secret-based grants.
fn signed(fake: &Fake, app: &ConnectedApp, username: &str, issued: i64, mut body: Json) -> Json {
    let id = identity(fake, username);
    let issued_at = issued.to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(app.client_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(id.as_bytes());
    mac.update(issued_at.as_bytes());
    body["signature"] = STANDARD.encode(mac.finalize().into_bytes()).into();
    body["instance_url"] = fake.announced_instance_url().into();
    body["id"] = id.into();
    body["token_type"] = "Bearer".into();
    body["issued_at"] = issued_at.into();
    body
}
