//! The registry of credential types, built once from everything registered with `inventory`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::credential_type::{CredentialType, Registration};
use crate::field_error::FieldError;
use crate::schema::validate_against_schema;

/// Why the registry could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// Two registrations share one name.
    #[error(
        "credential type `{0}` is registered more than once (hint: each type needs a unique name; remove or rename one registration)"
    )]
    Duplicate(&'static str),
}

/// Credential types by name, in name order.
#[derive(Debug)]
pub struct Registry {
    types: BTreeMap<&'static str, &'static CredentialType>,
}

impl Registry {
    /// Builds a registry from the given types, rejecting duplicate names.
    pub fn build(
        types: impl IntoIterator<Item = &'static CredentialType>,
    ) -> Result<Self, RegistryError> {
        let mut by_name = BTreeMap::new();
        for credential_type in types {
            if by_name
                .insert(credential_type.name, credential_type)
                .is_some()
            {
                return Err(RegistryError::Duplicate(credential_type.name));
            }
        }
        Ok(Self { types: by_name })
    }

    /// The registry of every credential type linked into this program, built on first use.
    pub fn global() -> Result<&'static Registry, RegistryError> {
        static GLOBAL: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
        GLOBAL
            .get_or_init(|| {
                Registry::build(inventory::iter::<Registration>.into_iter().map(|r| r.0))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Every type, sorted by name.
    pub fn types(&self) -> impl Iterator<Item = &'static CredentialType> + '_ {
        self.types.values().copied()
    }

    /// The type with this exact name.
    pub fn get(&self, name: &str) -> Option<&'static CredentialType> {
        self.types.get(name).copied()
    }

    /// The type with this name, or a field error naming the known types.
    pub fn require(&self, name: &str) -> Result<&'static CredentialType, FieldError> {
        self.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.types.keys().copied().collect();
            FieldError::new(
                "type",
                format!("unknown credential type `{name}`"),
                format!("use one of: {}", known.join(", ")),
            )
        })
    }

    /// Validates `data` as a credential of type `name`: every problem at once.
    pub fn validate(&self, name: &str, data: &Value) -> Result<(), Vec<FieldError>> {
        self.require(name)
            .map_err(|error| vec![error])
            .and_then(|credential_type| validate(credential_type, data))
    }
}

/// Validates `data` against a credential type: the JSON Schema and the type's semantic checks.
/// Every problem is reported at once, one per field (a schema error hides a semantic one on the
/// same field).
pub fn validate(credential_type: &CredentialType, data: &Value) -> Result<(), Vec<FieldError>> {
    let mut errors = validate_against_schema(&(credential_type.schema)(), data);
    let semantic: Vec<FieldError> = (credential_type.check)(data)
        .into_iter()
        .filter(|error| !errors.iter().any(|known| known.path == error.path))
        .collect();
    errors.extend(semantic);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
