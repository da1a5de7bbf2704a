//! `FieldError`: one problem with one field of credential data, with a hint.

use std::fmt;

use serde::Serialize;

/// One problem with credential data: where it is, what is wrong, and what to do about it.
///
/// Messages never contain the field's value, so an error about a secret cannot leak it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `privateKey` or `oauthTokenData.instance_url`; empty for the
    /// whole object.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to change.
    pub hint: String,
}

impl FieldError {
    /// A problem at `path`.
    pub fn new(
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The same problem, with its path placed under `prefix` (used when a credential is checked
    /// inside a larger document such as an n8n export).
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = match (prefix.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix}.{}", self.path),
        };
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(data)"
        } else {
            &self.path
        };
        write!(f, "{path}: {} (hint: {})", self.message, self.hint)
    }
}
