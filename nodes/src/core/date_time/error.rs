//! Why an input date could not be read, with n8n's messages.

use thiserror::Error;

use crate::error::NodeError;

/// An input date the node cannot use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DateError {
    /// typeVersion 2: the text is no date moment or the `fromFormat` recognizes.
    #[error("Invalid date format")]
    Invalid,
    /// typeVersion 2: the value is neither a number nor text (n8n fails calling a string
    /// method on it).
    #[error("date.includes is not a function")]
    NotText,
    /// typeVersion 1 `format`: moment does not recognize the input.
    #[error("The date input format could not be recognized. Please set the \"From Format\" field")]
    Unrecognized,
    /// typeVersion 1 `calculate`: JavaScript's `Date` does not read the input.
    #[error("Unrecognized date input. Please specify a format in the \"From Format\" field.")]
    NoDefaultFormat,
    /// typeVersion 1 `calculate`: the input does not match the `fromFormat`.
    #[error("Date input cannot be parsed. Please recheck the value and the \"From Format\" field.")]
    FormatMismatch,
}

impl DateError {
    /// The node error n8n reports (its message only, as n8n's has no description).
    pub fn into_node_error(self) -> NodeError {
        NodeError::operation(self.to_string())
    }
}
