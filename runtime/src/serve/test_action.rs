//! `POST /api/credentials/{id}/test`: the type's test request, as `weft credentials test` runs it.
//! Answers `{ok: true, user}` with who the credential acts as (the fields the type reads from the
//! answer), `{ok: true, message}` when there is no such answer, or `{ok: false, error, hint}`
//! with the server's answer; either way `test_credential` keeps it as the credential's last check.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::credentials::load;
use super::state::AppState;
use crate::auth::{Tested, test_credential};

/// The handler.
pub async fn test(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let stored = load(&state, id).await?;
    let id = stored.summary.id;
    let answer = match test_credential(Arc::clone(&state.store), &id).await {
        Ok(Tested::Works {
            identity: Some(identity),
            ..
        }) => json!({"ok": true, "user": identity.fields}),
        Ok(tested) => json!({"ok": true, "message": tested.to_string()}),
        Err(problem) => json!({"ok": false, "error": problem.message, "hint": problem.hint}),
    };
    Ok(Json(answer))
}
