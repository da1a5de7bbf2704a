//! `GET /api/types`: every registered credential type with its JSON Schema (as `weft schema
//! <type>` prints it), from which the page draws its forms, and for the authorization-code grant
//! the redirect URI to register with the authorization server. A new type in the registry shows up here with no
//! front-end change.

use axum::Json;
use axum::http::HeaderMap;
use serde_json::{Value, json};
use weft_credentials::Registry;
use weft_credentials::scheme::Grant;

use super::api_error::ApiError;
use crate::schemas::describe_type;

/// The handler.
pub async fn list(headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let registry = Registry::global().map_err(|error| ApiError::internal(error.to_string()))?;
    let redirect_uri = redirect_uri(&headers);
    let types: Vec<Value> = registry
        .types()
        .map(|credential_type| {
            let mut described = describe_type(credential_type);
            described["schema"] = (credential_type.schema)().as_value().clone();
            if credential_type
                .authenticate
                .grant()
                .is_some_and(Grant::may_use_browser)
            {
                described["redirectUri"] = json!(redirect_uri);
            }
            described
        })
        .collect();
    Ok(Json(json!({ "types": types })))
}

/// `http://<host>/callback`: where the authorization server sends the browser back, on the host the page was
/// opened with (the guard has checked it is one the server answers to).
pub fn redirect_uri(headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}/callback")
}
