//! `imap` (n8n's "IMAP"): the server and login that the Email Trigger (IMAP) reads mail with,
//! with n8n 2.41.1's fields and defaults. It authenticates no HTTP request: its static
//! declaration has no parts, and the runtime's IMAP client reads the data itself.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::Authenticate;
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::mail_server::{NO_HTTP, host_required};
use crate::schema::credential_schema;
use crate::secret::Secret;

/// The data of an `imap` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImapData {
    /// The user to log in as.
    #[serde(default)]
    #[schemars(title = "User")]
    pub user: String,
    /// The password.
    #[serde(default)]
    #[schemars(title = "Password")]
    pub password: Secret,
    /// The IMAP server's host name.
    #[serde(default)]
    #[schemars(title = "Host")]
    pub host: String,
    /// The IMAP server's port.
    #[serde(default = "default_port")]
    #[schemars(title = "Port")]
    pub port: u16,
    /// TLS from the first byte (IMAPS, usually port 993); off: plain text, no STARTTLS (as n8n).
    #[serde(default = "default_secure")]
    #[schemars(title = "SSL/TLS")]
    pub secure: bool,
    /// Whether to connect even if the server's certificate cannot be verified.
    #[serde(default)]
    #[schemars(title = "Allow Self-Signed Certificates")]
    pub allow_unauthorized_certs: bool,
}

fn default_port() -> u16 {
    993
}

fn default_secure() -> bool {
    true
}

fn schema() -> schemars::Schema {
    credential_schema::<ImapData>(IMAP.name, IMAP.display_name, &[])
}

fn check(data: &Value) -> Vec<FieldError> {
    host_required(
        data,
        "give the IMAP server's host name, e.g. imap.example.com",
    )
}

/// The `imap` credential type.
pub static IMAP: CredentialType = CredentialType {
    name: "imap",
    display_name: "IMAP",
    documentation_url: "docs/credentials/imap.md",
    schema,
    check,
    authenticate: Authenticate::Static(&NO_HTTP),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(IMAP);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn n8n_defaults_fill_absent_fields_and_an_empty_host_is_refused() {
        let data: ImapData =
            serde_json::from_value(json!({ "host": "mail.test", "password": "canary-pw" }))
                .unwrap();
        assert_eq!(
            (data.port, data.secure, data.allow_unauthorized_certs),
            (993, true, false)
        );
        assert!(check(&json!({ "host": "mail.test" })).is_empty());
        let errors = check(&json!({ "host": "", "password": "canary-pw" }));
        assert_eq!(errors.len(), 1);
        let shown = format!("{errors:?} {:?}", data.password);
        assert!(
            shown.contains("host") && !shown.contains("canary-pw"),
            "{shown}"
        );
    }
}
