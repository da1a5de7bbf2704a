//! `httpQueryAuth` (n8n's "Query Auth"): one query parameter, name and value from the credential.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::{Authenticate, DomainRestriction, Part, StaticAuth, Text};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::secret::Secret;

use super::{DOCUMENTATION_URL, declaration_errors, schema_of};

/// The data of an `httpQueryAuth` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpQueryAuthData {
    /// The parameter's name.
    #[serde(default)]
    #[schemars(title = "Name")]
    pub name: String,
    /// The parameter's value.
    #[serde(default)]
    #[schemars(title = "Value")]
    pub value: Secret,
    #[serde(flatten)]
    pub domains: DomainRestriction,
}

fn schema() -> schemars::Schema {
    schema_of::<HttpQueryAuthData>(&HTTP_QUERY_AUTH)
}

fn check(data: &Value) -> Vec<FieldError> {
    declaration_errors(&HTTP_QUERY_AUTH, data)
}

static QUERY: StaticAuth = StaticAuth {
    parts: &[Part::Query {
        name: Text::field("name"),
        value: Text::field("value"),
    }],
    api: None,
};

/// The `httpQueryAuth` credential type.
pub static HTTP_QUERY_AUTH: CredentialType = CredentialType {
    name: "httpQueryAuth",
    display_name: "Query Auth",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Static(&QUERY),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(HTTP_QUERY_AUTH);
