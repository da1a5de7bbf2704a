//! n8n's generic HTTP credential types (`genericAuth` in n8n): Header, Basic, Digest, Query,
//! Bearer and Custom Auth, with n8n 2.41.1's names, fields and defaults plus the two domain-restriction
//! fields n8n adds to each. Each authenticates statically (see [`crate::authenticate`]); the
//! generic OAuth2 type `oAuth2Api` (`oauth2`, `oauth2_flow`) with a token flow.

mod basic;
mod bearer;
mod custom;
mod digest;
mod header;
mod oauth2;
mod oauth2_flow;
mod query;

pub use basic::{HTTP_BASIC_AUTH, HttpBasicAuthData};
pub use bearer::{HTTP_BEARER_AUTH, HttpBearerAuthData};
pub use custom::{HTTP_CUSTOM_AUTH, HttpCustomAuthData};
pub use digest::{HTTP_DIGEST_AUTH, HttpDigestAuthData};
pub use header::{HTTP_HEADER_AUTH, HttpHeaderAuthData};
pub use oauth2::{
    ClientAuthentication, OAUTH2_API, OAuth2ApiData, OAuth2GrantType, OAuth2TokenData,
};
pub use query::{HTTP_QUERY_AUTH, HttpQueryAuthData};

use schemars::JsonSchema;
use serde_json::Value;

use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::schema::{Conditional, credential_schema, str_field};

/// The setup guide, relative to the repository root.
const DOCUMENTATION_URL: &str = "docs/credentials/http.md";

/// `allowedDomains` is drawn only in `domains` mode, as n8n's form shows it.
const DOMAIN_FIELDS: &[Conditional] = &[Conditional {
    field: "allowedDomains",
    when: "allowedHttpRequestDomains",
    equals: &["domains"],
}];

/// The schema of a generic type's data struct `T`.
fn schema_of<T: JsonSchema>(credential_type: &CredentialType) -> schemars::Schema {
    credential_schema::<T>(
        credential_type.name,
        credential_type.display_name,
        DOMAIN_FIELDS,
    )
}

/// The static declaration's own checks (Custom Auth JSON), for a type's `check`.
fn declaration_errors(credential_type: &CredentialType, data: &Value) -> Vec<FieldError> {
    match credential_type.authenticate {
        crate::Authenticate::Static(declaration) => declaration.check(data),
        crate::Authenticate::Token(_) => Vec::new(),
    }
}

/// A header name field that is not an HTTP token (RFC 9110), which no request could carry.
fn header_name_errors(data: &Value, field: &str) -> Option<FieldError> {
    let name = str_field(data, field)?;
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !name.is_empty() && name.chars().all(is_token_char) {
        return None;
    }
    Some(FieldError::new(
        field,
        "is not a valid HTTP header name",
        "use letters, digits and - only, e.g. X-API-Key",
    ))
}
