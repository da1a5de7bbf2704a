//! `httpCustomAuth` (n8n's "Custom Auth"): JSON text whose `headers`, `qs` and `body` objects are
//! merged into every request.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::{Authenticate, DomainRestriction, Part, StaticAuth};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::secret::Secret;

use super::{DOCUMENTATION_URL, declaration_errors, schema_of};

/// The data of an `httpCustomAuth` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpCustomAuthData {
    /// The JSON text (every leaf may be a secret, so all of it is one).
    #[schemars(
        title = "JSON",
        description = "Use json to specify authentication values for headers, body and qs.",
        extend(
            "x-multiline" = true,
            "x-rows" = 6,
            "x-placeholder" = "{ \"headers\": { \"key\" : \"value\" }, \"body\": { \"key\": \"value\" }, \"qs\": { \"key\": \"value\" } }"
        )
    )]
    pub json: Secret,
    #[serde(flatten)]
    pub domains: DomainRestriction,
}

fn schema() -> schemars::Schema {
    schema_of::<HttpCustomAuthData>(&HTTP_CUSTOM_AUTH)
}

fn check(data: &Value) -> Vec<FieldError> {
    declaration_errors(&HTTP_CUSTOM_AUTH, data)
}

static CUSTOM: StaticAuth = StaticAuth {
    parts: &[Part::Json { field: "json" }],
    api: None,
};

/// The `httpCustomAuth` credential type.
pub static HTTP_CUSTOM_AUTH: CredentialType = CredentialType {
    name: "httpCustomAuth",
    display_name: "Custom Auth",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Static(&CUSTOM),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(HTTP_CUSTOM_AUTH);
