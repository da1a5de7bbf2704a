//! `httpBasicAuth` (n8n's "Basic Auth"): `Authorization: Basic base64(user:password)`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::{Authenticate, DomainRestriction, Part, StaticAuth};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::secret::Secret;

use super::{DOCUMENTATION_URL, declaration_errors, schema_of};

/// The data of an `httpBasicAuth` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpBasicAuthData {
    /// The user name.
    #[serde(default)]
    #[schemars(title = "User")]
    pub user: String,
    /// The password.
    #[serde(default)]
    #[schemars(title = "Password")]
    pub password: Secret,
    #[serde(flatten)]
    pub domains: DomainRestriction,
}

fn schema() -> schemars::Schema {
    schema_of::<HttpBasicAuthData>(&HTTP_BASIC_AUTH)
}

fn check(data: &Value) -> Vec<FieldError> {
    declaration_errors(&HTTP_BASIC_AUTH, data)
}

static BASIC: StaticAuth = StaticAuth {
    parts: &[Part::Basic {
        user: "user",
        password: "password",
    }],
    api: None,
};

/// The `httpBasicAuth` credential type.
pub static HTTP_BASIC_AUTH: CredentialType = CredentialType {
    name: "httpBasicAuth",
    display_name: "Basic Auth",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Static(&BASIC),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(HTTP_BASIC_AUTH);
