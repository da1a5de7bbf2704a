//! The declarative credential-type model and its registration macro.

use schemars::Schema;
use serde_json::Value;

use crate::api_policy::ApiPolicy;
use crate::authenticate::Authenticate;
use crate::field_error::FieldError;

/// A credential type: its n8n name, its form (a JSON Schema), its semantic checks and how it
/// authenticates. Registered once with [`register_credential_type!`](crate::register_credential_type).
pub struct CredentialType {
    /// The n8n type name, e.g. `salesforceJwtApi`. Exact and case-sensitive.
    pub name: &'static str,
    /// The label n8n shows, e.g. `Salesforce JWT API`.
    pub display_name: &'static str,
    /// Where a user learns how to set it up.
    pub documentation_url: &'static str,
    /// The JSON Schema of the credential's data (draft 2020-12).
    pub schema: fn() -> Schema,
    /// Checks the schema cannot express (a PEM that parses, a host that is allowed, ...). Reads
    /// the data leniently: a field that is absent or of the wrong type is the schema's concern.
    pub check: fn(&Value) -> Vec<FieldError>,
    /// How a request is authenticated: a token flow's session, or values from the fields.
    pub authenticate: Authenticate,
    /// How its API answers: what the runtime may retry, what means "renew the session", who a
    /// test shows, which hints to give. [`DEFAULT_POLICY`](crate::DEFAULT_POLICY) for a generic
    /// HTTP API.
    pub policy: &'static dyn ApiPolicy,
}

impl std::fmt::Debug for CredentialType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialType")
            .field("name", &self.name)
            .field("authenticate", &self.authenticate)
            .finish_non_exhaustive()
    }
}

/// What `inventory` collects: a pointer to a registered credential type.
pub struct Registration(pub &'static CredentialType);

inventory::collect!(Registration);

/// Registers a credential type with weft's compile-time registry.
///
/// ```ignore
/// pub static MY_TYPE: CredentialType = CredentialType { name: "myApi", .. };
/// weft_credentials::register_credential_type!(MY_TYPE);
/// ```
#[macro_export]
macro_rules! register_credential_type {
    ($credential_type:path) => {
        $crate::inventory::submit! {
            $crate::Registration(&$credential_type)
        }
    };
}
