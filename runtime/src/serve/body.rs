//! Reading a JSON request body with messages a person can act on: a body over the limit is 413, a
//! body that is not JSON is 400 naming the line and column, a wrong shape is 400 naming the field.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use super::api_error::ApiError;

/// The largest request body accepted; a credential's data, a private key included, is a few KiB.
pub const MAX_BODY: usize = 64 * 1024;

/// The body, parsed as `T`.
pub fn json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().starts_with("application/json"));
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON",
            "send Content-Type: application/json",
        ));
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {} KiB", MAX_BODY / 1024),
                "a credential's data is a few KiB: check what is being sent",
            )
        } else {
            ApiError::bad_request("the body could not be read", "send the request again")
        }
    })?;
    let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = match error.path().to_string() {
            root if root == "." => "the body".to_owned(),
            path => path,
        };
        let inner = error.into_inner();
        if inner.is_data() {
            ApiError::bad_request(
                format!("{path}: {}", shape_message(&inner)),
                "send the fields the API describes (see the page's requests)",
            )
        } else {
            ApiError::bad_request(
                format!(
                    "the body is not valid JSON (line {}, column {})",
                    inner.line(),
                    inner.column()
                ),
                "send a JSON object",
            )
        }
    })
}

/// serde's message without the position (which the path replaces) and without the value it saw
/// (which may be a secret).
fn shape_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(message, _)| message);
    match text.split_once(", expected ") {
        Some((_, expected)) => format!("has the wrong type or value (expected {expected})"),
        None => text.to_owned(),
    }
}
