//! `ResolvedCredential`: a stored credential joined with its registered type.

use std::fmt;

use serde_json::Value;
use weft_credentials::scheme::{AuthScheme, SchemeError};
use weft_credentials::{CredentialType, Registry};

use crate::auth::AuthError;
use crate::store::{CredentialRevision, Store, StoredCredential};

/// A stored credential and its type: everything a session needs.
pub struct ResolvedCredential {
    /// The store id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The registered type.
    pub credential_type: &'static CredentialType,
    /// The decrypted data.
    pub data: Value,
    /// Which write of the stored row this is: a session is kept for this data only.
    pub revision: CredentialRevision,
}

impl ResolvedCredential {
    /// Loads `id_or_name` from the store and joins it with its registered type.
    pub fn load(store: &Store, id_or_name: &str) -> Result<Self, AuthError> {
        let stored = store
            .get_credential(id_or_name)?
            .ok_or_else(|| AuthError::UnknownCredential(id_or_name.to_owned()))?;
        Self::from_stored(stored, id_or_name)
    }

    /// Joins `stored` (looked up as `id_or_name`) with its registered type.
    pub fn from_stored(stored: StoredCredential, id_or_name: &str) -> Result<Self, AuthError> {
        let credential_type = Registry::global()
            .ok()
            .and_then(|registry| registry.get(&stored.summary.type_name))
            .ok_or_else(|| AuthError::UnknownCredential(id_or_name.to_owned()))?;
        Ok(Self {
            id: stored.summary.id,
            name: stored.summary.name,
            credential_type,
            data: stored.data,
            revision: stored.revision,
        })
    }
}

impl ResolvedCredential {
    /// The type's token flow; a static type has none, so asking for its session is an error.
    pub fn scheme(&self) -> Result<&'static dyn AuthScheme, AuthError> {
        self.credential_type
            .authenticate
            .token_scheme()
            .ok_or_else(|| AuthError::Scheme {
                credential: self.name.clone(),
                error: SchemeError::Unsupported("sessions (it authenticates with its fields)"),
            })
    }
}

impl fmt::Debug for ResolvedCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvedCredential")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("type", &self.credential_type.name)
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}
