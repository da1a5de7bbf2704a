//! `httpBearerAuth` (n8n's "Bearer Auth"): `Authorization: Bearer <token>`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::{Authenticate, DomainRestriction, Part, StaticAuth, Text};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::secret::Secret;

use super::{DOCUMENTATION_URL, declaration_errors, schema_of};

/// The data of an `httpBearerAuth` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpBearerAuthData {
    /// The token.
    #[serde(default)]
    #[schemars(
        title = "Bearer Token",
        description = "This credential uses the \"Authorization\" header. To use a custom header, use a \"Header Auth\" credential instead"
    )]
    pub token: Secret,
    #[serde(flatten)]
    pub domains: DomainRestriction,
}

fn schema() -> schemars::Schema {
    schema_of::<HttpBearerAuthData>(&HTTP_BEARER_AUTH)
}

fn check(data: &Value) -> Vec<FieldError> {
    declaration_errors(&HTTP_BEARER_AUTH, data)
}

static BEARER: StaticAuth = StaticAuth {
    parts: &[Part::Header {
        name: Text::Literal("Authorization"),
        value: Text::prefixed("Bearer ", "token"),
    }],
    api: None,
};

/// The `httpBearerAuth` credential type.
pub static HTTP_BEARER_AUTH: CredentialType = CredentialType {
    name: "httpBearerAuth",
    display_name: "Bearer Auth",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Static(&BEARER),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(HTTP_BEARER_AUTH);
