//! `httpHeaderAuth` (n8n's "Header Auth"): one header, name and value from the credential.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::{Authenticate, DomainRestriction, Part, StaticAuth, Text};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::secret::Secret;

use super::{DOCUMENTATION_URL, declaration_errors, header_name_errors, schema_of};

/// The data of an `httpHeaderAuth` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpHeaderAuthData {
    /// The header's name.
    #[serde(default)]
    #[schemars(
        title = "Name",
        description = "To send multiple headers, use a \"Custom Auth\" credential instead"
    )]
    pub name: String,
    /// The header's value.
    #[serde(default)]
    #[schemars(title = "Value")]
    pub value: Secret,
    #[serde(flatten)]
    pub domains: DomainRestriction,
}

fn schema() -> schemars::Schema {
    schema_of::<HttpHeaderAuthData>(&HTTP_HEADER_AUTH)
}

fn check(data: &Value) -> Vec<FieldError> {
    let mut errors = declaration_errors(&HTTP_HEADER_AUTH, data);
    errors.extend(header_name_errors(data, "name"));
    errors
}

static HEADER: StaticAuth = StaticAuth {
    parts: &[Part::Header {
        name: Text::field("name"),
        value: Text::field("value"),
    }],
    api: None,
};

/// The `httpHeaderAuth` credential type.
pub static HTTP_HEADER_AUTH: CredentialType = CredentialType {
    name: "httpHeaderAuth",
    display_name: "Header Auth",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Static(&HEADER),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(HTTP_HEADER_AUTH);
