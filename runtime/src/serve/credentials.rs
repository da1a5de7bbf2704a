//! `/api/credentials`: list, read, add, edit and remove stored credentials.
//!
//! Reads never carry a secret: the list has no data at all, and one credential's data is its
//! public part (the fields its schema describes and does not mark secret) plus the names of the
//! secrets it holds. Adding and editing validate with the same code as `weft credentials
//! validate` and store encrypted as the CLI does; an edit keeps each stored secret unless a new
//! value is sent.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use weft_credentials::scheme::Grant;
use weft_credentials::{CredentialType, FieldError, Registry};

use super::api_error::ApiError;
use super::body;
use super::state::AppState;
use crate::secret_fields::{merge_edit, public_fields, stored_secrets};
use crate::store::{CredentialCheck, CredentialSummary, NewCredential, StoredCredential};

/// `POST /api/credentials`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRequest {
    #[serde(rename = "type")]
    type_name: String,
    name: String,
    data: Map<String, Value>,
}

/// `PUT /api/credentials/{id}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditRequest {
    name: String,
    data: Map<String, Value>,
}

/// `GET /api/credentials`: id, name, type, timestamps and last result of each.
pub async fn list(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let (summaries, mut checks) = state
        .with_store(|store| {
            let summaries = store
                .list_credentials()?
                .into_iter()
                .map(|summary| {
                    let connect = connectable(&summary, || {
                        store
                            .get_credential(&summary.id)
                            .ok()
                            .flatten()
                            .map(|stored| stored.data)
                    });
                    (summary, connect)
                })
                .collect::<Vec<_>>();
            Ok((summaries, store.last_checks()?))
        })
        .await?;
    let credentials: Vec<Value> = summaries
        .iter()
        .map(|(summary, connect)| {
            let mut shown = listed(summary, checks.remove(&summary.id));
            shown["connect"] = json!(connect);
            shown
        })
        .collect();
    Ok(Json(json!({ "credentials": credentials })))
}

/// `GET /api/credentials/{id}`: the summary, the public data and the names of stored secrets.
pub async fn read(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let stored = load(&state, id).await?;
    let credential_type = require_type(&stored.summary.type_name)?;
    let schema = (credential_type.schema)().as_value().clone();
    let check = state.last_check(&stored.summary.id).await?;
    let mut shown = listed(&stored.summary, check);
    shown["connect"] = json!(connectable(&stored.summary, || Some(stored.data.clone())));
    shown["data"] = public_fields(&schema, &stored.data);
    shown["storedSecrets"] = json!(stored_secrets(&schema, &stored.data));
    Ok(Json(shown))
}

/// `POST /api/credentials`: validates and stores a new credential.
pub async fn add(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request: NewRequest = body::json(&headers, body)?;
    let credential_type = require_type(&request.type_name)?;
    let data = Value::Object(request.data);
    check(credential_type, &request.name, &data)?;
    let new = NewCredential {
        id: None,
        name: request.name.trim().to_owned(),
        type_name: credential_type.name.to_owned(),
        data,
    };
    let summary = state
        .with_store(move |store| Ok(store.insert_credential(new)?))
        .await?;
    // A new credential has not been tested yet.
    Ok((StatusCode::CREATED, Json(listed(&summary, None))))
}

/// `PUT /api/credentials/{id}`: validates and stores an edit, keeping stored secrets left empty.
pub async fn edit(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let request: EditRequest = body::json(&headers, body)?;
    let stored = load(&state, id).await?;
    let credential_type = require_type(&stored.summary.type_name)?;
    let schema = (credential_type.schema)().as_value().clone();
    let data = merge_edit(&schema, &stored.data, &request.data);
    check(credential_type, &request.name, &data)?;
    let edited = NewCredential {
        id: Some(stored.summary.id),
        name: request.name.trim().to_owned(),
        type_name: stored.summary.type_name,
        data,
    };
    let summary = state
        .with_store(move |store| Ok(store.upsert_credential(edited)?))
        .await?;
    // The store drops the last check with a change of data: the edit is untested.
    Ok(Json(listed(&summary, None)))
}

/// `DELETE /api/credentials/{id}`: removes the credential and its session.
pub async fn remove(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let missing = id.clone();
    let removed = state
        .with_store(move |store| Ok(store.remove_credential(&id)?))
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::unknown_credential(&missing))
    }
}

/// The stored credential `id` (by id only: names are for people).
pub async fn load(state: &AppState, id: String) -> Result<StoredCredential, ApiError> {
    state
        .with_store(move |store| match store.get_credential(&id)? {
            Some(stored) if stored.summary.id == id => Ok(stored),
            _ => Err(ApiError::unknown_credential(&id)),
        })
        .await
}

/// A credential as the page lists it: its summary and its last test or connect result.
fn listed(summary: &CredentialSummary, check: Option<CredentialCheck>) -> Value {
    let mut shown = json!(summary);
    shown["lastResult"] = json!(check);
    shown
}

/// Whether the page offers Connect for a credential: its type's grant is the authorization code,
/// or its data chooses that grant (`data` is read only then).
fn connectable(summary: &CredentialSummary, data: impl FnOnce() -> Option<Value>) -> bool {
    let Some(scheme) = Registry::global()
        .ok()
        .and_then(|registry| registry.get(&summary.type_name))
        .and_then(|credential_type| credential_type.authenticate.token_scheme())
    else {
        return false;
    };
    match scheme.grant() {
        Grant::AuthorizationCode => true,
        Grant::ChosenByData => {
            data().is_some_and(|data| scheme.grant_for(&data) == Grant::AuthorizationCode)
        }
        Grant::JwtBearer | Grant::ClientCredentials => false,
    }
}

fn require_type(type_name: &str) -> Result<&'static CredentialType, ApiError> {
    let registry = Registry::global().map_err(|error| ApiError::internal(error.to_string()))?;
    registry
        .require(type_name)
        .map_err(|error| ApiError::new(StatusCode::NOT_FOUND, error.message, error.hint))
}

/// Every problem of the name and data: the data by `weft credentials validate`'s own check.
fn check(credential_type: &CredentialType, name: &str, data: &Value) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if name.trim().is_empty() {
        problems.push(FieldError::new(
            "name",
            "is required",
            "give the credential a name that workflows can refer to",
        ));
    }
    if let Err(errors) = weft_credentials::validate(credential_type, data) {
        problems.extend(errors.into_iter().map(|error| error.under("data")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(problems))
    }
}
