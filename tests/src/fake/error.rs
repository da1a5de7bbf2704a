//! REST error bodies: `[{"message": ..., "errorCode": ..., "fields"?: [...]}]` with an HTTP status,
//! and the per-record form used by sObject Collections (`statusCode` instead of `errorCode`).

use axum::http::StatusCode;
use serde_json::{Value as Json, json};

/// An error answered by the REST API.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Field names for field-level errors; `None` leaves the key out.
    pub fields: Option<Vec<String>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: None,
        }
    }

    /// A 400 error.
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A 400 error naming fields.
    pub fn field(code: &'static str, message: impl Into<String>, fields: Vec<String>) -> Self {
        ApiError {
            fields: Some(fields),
            ..Self::bad(code, message)
        }
    }

    /// 404 `NOT_FOUND`.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        )
    }

    /// 401 `INVALID_SESSION_ID`.
    pub fn invalid_session() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        )
    }

    /// The single entry of the REST error array.
    pub fn entry(&self) -> Json {
        let mut entry = json!({"message": self.message, "errorCode": self.code});
        if let Some(fields) = &self.fields {
            entry["fields"] = json!(fields);
        }
        entry
    }

    /// The per-record error of sObject Collections.
    pub fn record_entry(&self) -> Json {
        json!({"statusCode": self.code, "message": self.message,
               "fields": self.fields.clone().unwrap_or_default()})
    }

    /// The whole error body.
    pub fn body(&self) -> Json {
        Json::Array(vec![self.entry()])
    }
}
