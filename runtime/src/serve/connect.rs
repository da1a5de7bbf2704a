//! "Connect" for the authorization-code grant, through this server:
//!
//! - `POST /api/credentials/{id}/connect` builds the authorise address (PKCE S256, a fresh
//!   `state`) with the redirect URI `http://<host>/callback`, keeps the connection waiting, and
//!   answers `{authorizeUrl, redirectUri}` for the page to send the browser there;
//! - `GET /callback` (no launch token: the authorization server's redirect cannot carry one; the one-time
//!   `state` stands for it) exchanges the code, stores the tokens and `instance_url` in the
//!   credential as `weft credentials connect` does, records the result and sends the browser back
//!   to the page.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{Value, json};
use url::Url;

use super::api_error::ApiError;
use super::state::AppState;
use super::types::redirect_uri;
use crate::auth::{PendingAuthorization, ResolvedCredential};
use crate::store::CredentialCheck;

/// `POST /api/credentials/{id}/connect`.
pub async fn start(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let credential = state
        .with_store(move |store| {
            ResolvedCredential::load(store, &id)
                .ok()
                .filter(|credential| credential.id == id)
                .ok_or_else(|| ApiError::unknown_credential(&id))
        })
        .await?;
    let redirect = Url::parse(&redirect_uri(&headers)).map_err(|_| {
        ApiError::bad_request(
            "the Host header is not a valid host",
            "open the address `weft serve` printed",
        )
    })?;
    let pending = PendingAuthorization::start(credential, redirect)
        .map_err(|problem| ApiError::problem(StatusCode::BAD_REQUEST, problem))?;
    let answer = json!({
        "authorizeUrl": pending.authorize_url().as_str(),
        "redirectUri": pending.redirect_uri().as_str(),
    });
    state.wait_for_callback(pending);
    Ok(Json(answer))
}

/// `GET /callback`: the authorization server's answer.
pub async fn callback(
    State(state): State<Arc<AppState>>,
    Query(answer): Query<HashMap<String, String>>,
) -> Response {
    let Some(pending) = answer.get("state").and_then(|key| state.take_pending(key)) else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<!DOCTYPE html><title>weft</title><p>This connection is unknown, expired or already complete. Go back to the weft page and press Connect again.</p>"),
        )
            .into_response();
    };
    let id = pending.credential().id.clone();
    let result = match pending.finish(&state.store, &answer).await {
        Ok(connected) => CredentialCheck::worked("connect", format!("connected: {connected}")),
        Err(problem) => CredentialCheck::failed("connect", problem.message, problem.hint),
    };
    state.record(&id, result).await;
    Redirect::to("/?connected").into_response()
}
