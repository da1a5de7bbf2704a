//! `StoreCredentials`: the runtime's [`CredentialClients`]. A node's credential reference is
//! resolved against the store by id, falling back to a unique name of the right type; the store
//! is opened on the first request, so workflows without credentials need no key.

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use reqwest_middleware::ClientWithMiddleware;
use weft_nodes::{CredentialClients, CredentialRef, NodeError, NodeHttp};

use crate::auth::{Connections, RetryPolicy};
use crate::store::{CredentialSummary, Store};

/// Clients for stored credentials.
pub struct StoreCredentials {
    store: Option<Arc<Store>>,
    connected: OnceLock<Result<(Connections, Vec<CredentialSummary>), String>>,
    /// Built on first use: building a client loads the system's root certificates.
    plain: OnceLock<ClientWithMiddleware>,
}

impl StoreCredentials {
    /// Credentials from the default store (`$WEFT_HOME`, `WEFT_ENCRYPTION_KEY`).
    pub fn from_default_store() -> Self {
        Self {
            store: None,
            connected: OnceLock::new(),
            plain: OnceLock::new(),
        }
    }

    /// Credentials from an open store (shared with the rest of a long-running process).
    pub fn with_store(store: Arc<Store>) -> Self {
        Self {
            store: Some(store),
            ..Self::from_default_store()
        }
    }

    fn connected(&self) -> Result<&(Connections, Vec<CredentialSummary>), NodeError> {
        self.connected
            .get_or_init(|| {
                let store = match &self.store {
                    Some(store) => Arc::clone(store),
                    None => Arc::new(Store::open_default().map_err(|error| error.to_string())?),
                };
                let summaries = store
                    .list_credentials()
                    .map_err(|error| error.to_string())?;
                Ok((Connections::new(store, RetryPolicy::default()), summaries))
            })
            .as_ref()
            .map_err(|error| {
                NodeError::operation(format!("The credential store cannot be opened: {error}"))
            })
    }
}

#[async_trait]
impl CredentialClients for StoreCredentials {
    async fn client(
        &self,
        credential_type: &str,
        reference: &CredentialRef,
    ) -> Result<NodeHttp, NodeError> {
        let (connections, summaries) = self.connected()?;
        let stored = pick(summaries, credential_type, reference).map_err(NodeError::operation)?;
        let failed = |error: crate::auth::AuthError| NodeError::operation(error.to_string());
        let client = connections.client(&stored.id).map_err(failed)?;
        let api_base = client.api_base().await.map_err(failed)?;
        Ok(NodeHttp {
            http: client.http().clone(),
            api_base,
        })
    }

    fn unauthenticated(&self) -> ClientWithMiddleware {
        let plain = self.plain.get_or_init(|| reqwest::Client::new().into());
        plain.clone()
    }
}

/// The stored credential a reference means: the one with its id, else the only one of this type
/// with its name.
fn pick<'s>(
    summaries: &'s [CredentialSummary],
    credential_type: &str,
    reference: &CredentialRef,
) -> Result<&'s CredentialSummary, String> {
    let by_id = reference
        .id
        .as_deref()
        .and_then(|id| summaries.iter().find(|summary| summary.id == id));
    if let Some(found) = by_id {
        return if found.type_name == credential_type {
            Ok(found)
        } else {
            Err(format!(
                "Credential \"{}\" ({}) is a {}, but the node needs a {credential_type} (hint: select a {credential_type} credential in the node)",
                found.name, found.id, found.type_name
            ))
        };
    }
    let named: Vec<&CredentialSummary> = summaries
        .iter()
        .filter(|summary| summary.name == reference.name && summary.type_name == credential_type)
        .collect();
    match named.as_slice() {
        [only] => Ok(only),
        [] => Err(format!(
            "No stored {credential_type} credential with id \"{}\" or name \"{}\" (hint: `weft credentials import` the n8n export, which keeps ids and names; `weft credentials list` shows what is stored)",
            reference.id.as_deref().unwrap_or(""),
            reference.name
        )),
        _ => Err(format!(
            "{} stored {credential_type} credentials are named \"{}\" and none has id \"{}\" (hint: reference the credential by its id)",
            named.len(),
            reference.name,
            reference.id.as_deref().unwrap_or("")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, name: &str, type_name: &str) -> CredentialSummary {
        CredentialSummary {
            id: id.into(),
            name: name.into(),
            type_name: type_name.into(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn reference(id: &str, name: &str) -> CredentialRef {
        CredentialRef {
            id: Some(id.into()),
            name: name.into(),
        }
    }

    #[test]
    fn ids_win_and_unique_names_are_the_fallback() {
        let stored = [
            summary("a1", "Prod", "salesforceJwtApi"),
            summary("b2", "Prod", "salesforceOAuth2Api"),
            summary("c3", "Twin", "salesforceJwtApi"),
            summary("d4", "Twin", "salesforceJwtApi"),
        ];
        let jwt = "salesforceJwtApi";
        assert_eq!(
            pick(&stored, jwt, &reference("a1", "other")).unwrap().id,
            "a1"
        );
        assert_eq!(
            pick(&stored, jwt, &reference("gone", "Prod")).unwrap().id,
            "a1"
        );
        let mismatch = pick(&stored, jwt, &reference("b2", "Prod")).unwrap_err();
        assert!(mismatch.starts_with("Credential \"Prod\" (b2) is a salesforceOAuth2Api, but the node needs a salesforceJwtApi"), "{mismatch}");
        let ambiguous = pick(&stored, jwt, &reference("gone", "Twin")).unwrap_err();
        assert!(
            ambiguous.starts_with("2 stored salesforceJwtApi credentials are named \"Twin\""),
            "{ambiguous}"
        );
        let missing = pick(&stored, jwt, &reference("gone", "Nope")).unwrap_err();
        assert!(
            missing.starts_with(
                "No stored salesforceJwtApi credential with id \"gone\" or name \"Nope\""
            ),
            "{missing}"
        );
    }
}
