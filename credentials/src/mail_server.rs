//! What the mail credential types (`smtp`, `imap`) share: they authenticate no HTTP request (the
//! runtime's mail clients read their data themselves), and their server's host is required.

use serde_json::Value;

use crate::authenticate::StaticAuth;
use crate::field_error::FieldError;
use crate::schema::str_field;

/// No HTTP request carries a mail server's login.
pub(crate) static NO_HTTP: StaticAuth = StaticAuth {
    parts: &[],
    api: None,
};

/// The problem of an empty or absent `host`; `hint` says what to give, with an example.
pub(crate) fn host_required(data: &Value, hint: &str) -> Vec<FieldError> {
    match str_field(data, "host") {
        Some(host) if !host.trim().is_empty() => Vec::new(),
        _ => vec![FieldError::new("host", "is empty", hint)],
    }
}
