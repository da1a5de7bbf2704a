//! `httpDigestAuth` (n8n's "Digest Auth"): HTTP Digest (RFC 7616), the answer to the server's
//! challenge computed from a user and a password.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authenticate::{Authenticate, DomainRestriction, Part, StaticAuth};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::secret::Secret;

use super::{DOCUMENTATION_URL, declaration_errors, schema_of};

/// The data of an `httpDigestAuth` credential.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpDigestAuthData {
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
    schema_of::<HttpDigestAuthData>(&HTTP_DIGEST_AUTH)
}

fn check(data: &Value) -> Vec<FieldError> {
    declaration_errors(&HTTP_DIGEST_AUTH, data)
}

static DIGEST: StaticAuth = StaticAuth {
    parts: &[Part::Digest {
        user: "user",
        password: "password",
    }],
    api: None,
};

/// The `httpDigestAuth` credential type.
pub static HTTP_DIGEST_AUTH: CredentialType = CredentialType {
    name: "httpDigestAuth",
    display_name: "Digest Auth",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Static(&DIGEST),
    policy: &crate::DEFAULT_POLICY,
};

crate::register_credential_type!(HTTP_DIGEST_AUTH);
