//! weft's credential types: the declarative model, the compile-time registry, validation and the
//! pure logic of each authentication scheme.
//!
//! A credential type is one `static` [`CredentialType`] and one
//! [`register_credential_type!`] line; [`Registry::global`] finds every registered type. The
//! crate does no HTTP, touches no storage and reads the clock only through arguments.

mod api_policy;
pub mod authenticate;
mod credential_type;
mod field_error;
pub mod generic;
pub mod imap;
mod mail_server;
mod registry;
pub mod salesforce;
mod schema;
pub mod scheme;
mod secret;
pub mod smtp;

pub use api_policy::{
    ApiPolicy, DEFAULT_POLICY, DefaultPolicy, Identity, generic_token_error_hint,
};
pub use authenticate::Authenticate;
pub use credential_type::{CredentialType, Registration};
pub use field_error::FieldError;
pub use registry::{Registry, RegistryError, validate};
pub use schema::{Conditional, credential_schema, validate_against_schema};
pub use secret::{Secret, SecretValue};

#[doc(hidden)]
pub use inventory;
