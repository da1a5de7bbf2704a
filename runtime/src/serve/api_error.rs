//! `ApiError`: every refusal of the API as a 4xx (or 500) with a JSON body
//! `{error, hint, problems?}`; `problems` lists field errors (`{path, message, hint}`) for the form
//! to show at their fields.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use weft_credentials::FieldError;

use crate::auth::Problem;
use crate::store::StoreError;

/// A refused API call.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    error: String,
    hint: String,
    problems: Vec<FieldError>,
}

impl ApiError {
    /// A refusal with this status, message and hint.
    pub fn new(status: StatusCode, error: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            status,
            error: error.into(),
            hint: hint.into(),
            problems: Vec::new(),
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(error: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, hint)
    }

    /// 422: the credential is invalid; each problem is shown at its field.
    pub fn invalid(problems: Vec<FieldError>) -> Self {
        Self {
            problems,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the credential is not valid",
                "fix the fields marked below, then save again",
            )
        }
    }

    /// 404: no credential with this id.
    pub fn unknown_credential(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("no stored credential \"{id}\""),
            "reload the page: the credential may have been removed",
        )
    }

    /// 500: something failed that the request could not have avoided.
    pub fn internal(error: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            error,
            "see the terminal running `weft serve`",
        )
    }

    /// A failed action (test, connect) that the request caused.
    pub fn problem(status: StatusCode, problem: Problem) -> Self {
        Self::new(status, problem.message, problem.hint)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        let status = match error {
            StoreError::UnknownCredential { .. } => StatusCode::NOT_FOUND,
            StoreError::AmbiguousName { .. }
            | StoreError::InvalidId { .. }
            | StoreError::DuplicateId { .. }
            | StoreError::DataNotObject { .. } => StatusCode::BAD_REQUEST,
            _ => {
                tracing::error!("store: {error}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        Self::problem(
            status,
            Problem::from_error(&error, "see the terminal running `weft serve`"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.error, "hint": self.hint});
        if !self.problems.is_empty() {
            body["problems"] = json!(self.problems);
        }
        (self.status, Json(body)).into_response()
    }
}
