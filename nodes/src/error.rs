//! `NodeError`: a node's failure, shaped like n8n's `NodeApiError` and `NodeOperationError`
//! (message, description, httpCode, context such as `{ errorCode, fields }`, the underlying cause).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Which n8n error class a failure corresponds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A remote service answered with an error (`NodeApiError`).
    Api,
    /// The node could not do its work with what it was given (`NodeOperationError`).
    Operation,
    /// A parameter's expression failed (`ExpressionError`).
    Expression,
    /// User code (Code node) threw (`WrappedExecutionError`).
    Execution,
}

impl ErrorKind {
    /// n8n's class name.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Api => "NodeApiError",
            ErrorKind::Operation => "NodeOperationError",
            ErrorKind::Expression => "ExpressionError",
            ErrorKind::Execution => "WrappedExecutionError",
        }
    }
}

/// A node's failure. The message is what n8n shows first; `description` adds the service's own
/// words. Never carries a secret: nodes see no tokens, and the runtime's errors name credentials
/// by name only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "ErrorWire", from = "ErrorWire")]
pub struct NodeError {
    /// The n8n error class.
    pub kind: ErrorKind,
    /// The headline, e.g. `The resource you are requesting could not be found`.
    pub message: String,
    /// Details, e.g. the service's error message.
    pub description: Option<String>,
    /// The HTTP status (n8n writes it as a string, `"404"`).
    pub http_code: Option<u16>,
    /// Extra context, e.g. `{ "errorCode": "NOT_FOUND", "fields": null }`.
    pub context: Map<String, Value>,
    /// The underlying error's text, e.g. `404 - [{"message":…}]`.
    pub cause: Option<String>,
    /// The input item the failure belongs to, when it belongs to one.
    pub item_index: Option<usize>,
}

impl NodeError {
    /// A `NodeOperationError` with this message.
    pub fn operation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Operation, message.into())
    }

    /// A `NodeApiError` with this message.
    pub fn api(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Api, message.into())
    }

    /// An `ExpressionError` with this message.
    pub fn expression(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Expression, message.into())
    }

    /// A `WrappedExecutionError` (user code threw) with this message.
    pub fn execution(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Execution, message.into())
    }

    /// n8n's error for a parameter a node needs and does not have.
    pub fn missing_parameter(name: &str) -> Self {
        Self::operation(format!("Could not get parameter \"{name}\""))
    }

    fn new(kind: ErrorKind, message: String) -> Self {
        Self {
            kind,
            message,
            description: None,
            http_code: None,
            context: Map::new(),
            cause: None,
            item_index: None,
        }
    }

    /// With this description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// With this HTTP status.
    pub fn with_http_code(mut self, status: u16) -> Self {
        self.http_code = Some(status);
        self
    }

    /// With one more context entry.
    pub fn with_context(mut self, key: &str, value: Value) -> Self {
        self.context.insert(key.to_owned(), value);
        self
    }

    /// With the underlying error's text.
    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// Belonging to input item `index`.
    pub fn for_item(mut self, index: usize) -> Self {
        self.item_index = Some(index);
        self
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NodeError {}

/// The error object n8n attaches to an item: `{ message, name, description, context, cause }`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorWire {
    message: String,
    name: String,
    /// `null` for a `WrappedExecutionError` without one, as n8n writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_code: Option<String>,
    #[serde(default)]
    context: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cause: Option<CauseWire>,
}

#[derive(Serialize, Deserialize)]
struct CauseWire {
    name: String,
    message: String,
}

impl From<NodeError> for ErrorWire {
    fn from(error: NodeError) -> Self {
        Self {
            message: error.message,
            name: error.kind.name().to_owned(),
            description: match (error.description, error.kind) {
                (Some(description), _) => Some(Value::String(description)),
                (None, ErrorKind::Execution) => Some(Value::Null),
                (None, _) => None,
            },
            http_code: error.http_code.map(|status| status.to_string()),
            context: error.context,
            cause: error.cause.map(|message| CauseWire {
                name: "Error".to_owned(),
                message,
            }),
        }
    }
}

impl From<ErrorWire> for NodeError {
    fn from(wire: ErrorWire) -> Self {
        let kind = [ErrorKind::Api, ErrorKind::Expression, ErrorKind::Execution]
            .into_iter()
            .find(|kind| kind.name() == wire.name)
            .unwrap_or(ErrorKind::Operation);
        Self {
            description: wire
                .description
                .and_then(|description| description.as_str().map(str::to_owned)),
            http_code: wire.http_code.and_then(|status| status.parse().ok()),
            context: wire.context,
            cause: wire.cause.map(|cause| cause.message),
            ..Self::new(kind, wire.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_api_error_serialises_like_n8n_item_errors() {
        let error = NodeError::api("The resource you are requesting could not be found")
            .with_description("The requested resource does not exist")
            .with_context("errorCode", json!("NOT_FOUND"))
            .with_context("fields", Value::Null)
            .with_cause("404 - []");
        let wire = serde_json::to_value(&error).unwrap();
        assert_eq!(
            wire,
            json!({
                "message": "The resource you are requesting could not be found",
                "name": "NodeApiError",
                "description": "The requested resource does not exist",
                "context": { "errorCode": "NOT_FOUND", "fields": null },
                "cause": { "name": "Error", "message": "404 - []" }
            })
        );
        let back: NodeError = serde_json::from_value(wire).unwrap();
        assert_eq!(back, error);
    }
}
