//! What can go wrong evaluating a condition: n8n's `FilterError` texts (type validation) and the
//! errors of its legacy conditions.

use thiserror::Error;

use crate::error::NodeError;

/// A condition that cannot be evaluated for an item.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConditionError {
    /// A side is not of the operator's type (n8n's `FilterError`).
    #[error("{message}")]
    WrongType {
        /// n8n's message, e.g. `Wrong type: '94105' is a string but was expecting a number
        /// [condition 0, item 0]`.
        message: String,
        /// n8n's description (HTML in strict mode).
        description: String,
    },
    /// The regular expression does not compile.
    #[error("Invalid regular expression: {pattern}: {reason}")]
    Regex {
        /// The pattern as `/source/flags`.
        pattern: String,
        /// Why it does not compile.
        reason: String,
    },
    /// A legacy dateTime condition got something that is not a date.
    #[error("The value \"{0}\" is not a valid DateTime.")]
    InvalidDateTime(String),
    /// A legacy string operation got something other than a string as its first value.
    #[error("value1.{0} is not a function")]
    NotText(String),
    /// A legacy condition names an operation that does not exist.
    #[error("The operation \"{0}\" is not known")]
    UnknownOperation(String),
}

impl From<ConditionError> for NodeError {
    fn from(error: ConditionError) -> Self {
        let description = match &error {
            ConditionError::WrongType { description, .. } => Some(description.clone()),
            ConditionError::UnknownOperation(_) => Some(
                "Choose one of the operations the condition's type offers in the editor".to_owned(),
            ),
            _ => None,
        };
        let node_error = NodeError::operation(error.to_string());
        match description {
            Some(description) => node_error.with_description(description),
            None => node_error,
        }
    }
}
