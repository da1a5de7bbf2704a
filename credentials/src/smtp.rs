//! `smtp` (n8n's "SMTP"): the server, login and TLS mode that the Send Email node sends through,
//! with n8n 2.41.1's fields and defaults. It authenticates no HTTP request: its static declaration
//! has no parts, and the runtime's mail transport reads the data itself.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::Authenticate;
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::mail_server::{NO_HTTP, host_required};
use crate::schema::credential_schema;
use crate::secret::Secret;

/// The data of an `smtp` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmtpData {
    /// The user to log in as; with an empty user and password no login is attempted.
    #[serde(default)]
    #[schemars(title = "User")]
    pub user: String,
    /// The password.
    #[serde(default)]
    #[schemars(title = "Password")]
    pub password: Secret,
    /// The SMTP server's host name.
    #[serde(default)]
    #[schemars(title = "Host")]
    pub host: String,
    /// The SMTP server's port.
    #[serde(default = "default_port")]
    #[schemars(title = "Port")]
    pub port: u16,
    /// TLS from the first byte (SMTPS, usually port 465); off: plain, upgraded with STARTTLS.
    #[serde(default = "default_secure")]
    #[schemars(title = "SSL/TLS")]
    pub secure: bool,
    /// Without SSL/TLS, never upgrade with STARTTLS even when the server offers it.
    #[serde(default)]
    #[schemars(title = "Disable STARTTLS")]
    pub disable_start_tls: bool,
    /// The client's name in EHLO; empty: the machine's host name.
    #[serde(default)]
    #[schemars(title = "Client Host Name")]
    pub host_name: String,
}

fn default_port() -> u16 {
    465
}

fn default_secure() -> bool {
    true
}

fn schema() -> schemars::Schema {
    credential_schema::<SmtpData>(SMTP.name, SMTP.display_name, &[])
}

fn check(data: &Value) -> Vec<FieldError> {
    host_required(
        data,
        "give the SMTP server's host name, e.g. smtp.example.com",
    )
}

/// The `smtp` credential type.
pub static SMTP: CredentialType = CredentialType {
    name: "smtp",
    display_name: "SMTP",
    documentation_url: "docs/credentials/smtp.md",
    schema,
    check,
    authenticate: Authenticate::Static(&NO_HTTP),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(SMTP);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn n8n_defaults_fill_absent_fields_and_an_empty_host_is_refused() {
        let data: SmtpData = serde_json::from_value(json!({ "host": "mail.test" })).unwrap();
        assert_eq!(
            (data.port, data.secure, data.disable_start_tls),
            (465, true, false)
        );
        assert!(check(&json!({ "host": "mail.test" })).is_empty());
        let errors = check(&json!({ "host": " ", "password": "canary-pw" }));
        assert_eq!(errors.len(), 1);
        let shown = format!("{errors:?}");
        assert!(
            shown.contains("host") && !shown.contains("canary-pw"),
            "{shown}"
        );
    }
}
