//! The three Salesforce credential types, with n8n's names and fields.

mod api_policy;
mod api_version;
mod client_credentials;
pub(crate) mod common;
mod environment;
pub(crate) mod hosts;
mod jwt;
mod oauth2;
mod private_key;

pub use api_policy::{SALESFORCE_API, SalesforceApi};
pub use api_version::{ApiVersion, DEFAULT_API_VERSION};
pub use client_credentials::{SALESFORCE_CLIENT_CREDENTIALS, SalesforceClientCredentialsData};
pub use environment::Environment;
pub use jwt::{SALESFORCE_JWT, SalesforceJwtData, jwt_assertion};
pub use oauth2::{SALESFORCE_OAUTH2, SalesforceOAuth2Data};
pub use private_key::{PrivateKeyError, signing_key};

/// The setup guide, relative to the repository root.
const DOCUMENTATION_URL: &str = "docs/credentials/salesforce.md";
