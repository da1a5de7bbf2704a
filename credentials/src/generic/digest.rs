//! `httpDigestAuth` (n8n's "Digest Auth"): HTTP Digest (RFC 7616), the answer to the server's
//! challenge computed from a user and a password.

use serde_json::Value;

use crate::authenticate::{Authenticate, Part, StaticAuth};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;

use super::{DOCUMENTATION_URL, declaration_errors, schema_of};

/// The data of an `httpDigestAuth` credential: Basic Auth's fields, a user and a password (n8n
/// gives both types the same form).
pub type HttpDigestAuthData = super::basic::HttpBasicAuthData;

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
