//! `StoreCredentials`: the runtime's [`CredentialClients`]. A node's credential reference is
//! resolved against the store by id, falling back to a unique name of the right type; the store
//! is opened on the first request, so workflows without credentials need no key.
//!
//! The reference is resolved again for every client a node asks for (one indexed read, off the
//! async threads), so a long-running `weft start` uses a credential imported after it started,
//! uses a changed credential's new data with a new session, and stops using a removed one at the
//! next run: no token request, the node fails with the usual "no stored credential" problem.

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use reqwest_middleware::ClientWithMiddleware;
use weft_credentials::imap::IMAP;
use weft_credentials::smtp::SMTP;
use weft_nodes::{
    CredentialClients, CredentialRef, MailboxSession, NodeError, NodeHttp, OutgoingMail, SentMail,
};

use crate::auth::{
    AuthError, Connections, ResolvedCredential, RetryPolicy, unauthenticated_client,
};
use crate::store::{CredentialSummary, Store, StoreError};

/// Clients for stored credentials.
pub struct StoreCredentials {
    store: Option<Arc<Store>>,
    connected: OnceLock<Result<(Arc<Store>, Connections), String>>,
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

    fn connected(&self) -> Result<&(Arc<Store>, Connections), NodeError> {
        self.connected
            .get_or_init(|| {
                let store = match &self.store {
                    Some(store) => Arc::clone(store),
                    None => Arc::new(Store::open_default().map_err(|error| error.to_string())?),
                };
                let connections = Connections::new(Arc::clone(&store), RetryPolicy::default());
                Ok((store, connections))
            })
            .as_ref()
            .map_err(|error| {
                NodeError::operation(format!("The credential store cannot be opened: {error}"))
            })
    }
}

impl StoreCredentials {
    /// The decrypted data of the stored credential `reference` means, of type
    /// `credential_type`: for the runtime's own checks (a webhook's authentication), never for
    /// a node.
    pub async fn data(
        &self,
        credential_type: &str,
        reference: &CredentialRef,
    ) -> Result<serde_json::Value, NodeError> {
        let (store, _) = self.connected()?;
        let (id, name) = (reference.id.clone(), reference.name.clone());
        let candidates = store
            .in_background(move |store| store.credentials_matching(id.as_deref(), &name))
            .await
            .map_err(store_failed)?;
        let chosen = pick(&candidates, credential_type, reference).map_err(NodeError::operation)?;
        Ok(chosen.data.clone())
    }
}

#[async_trait]
impl CredentialClients for StoreCredentials {
    async fn client(
        &self,
        credential_type: &str,
        reference: &CredentialRef,
    ) -> Result<NodeHttp, NodeError> {
        let (store, connections) = self.connected()?;
        let (id, name) = (reference.id.clone(), reference.name.clone());
        let candidates = store
            .in_background(move |store| store.credentials_matching(id.as_deref(), &name))
            .await
            .map_err(store_failed)?;
        let chosen = match pick(&candidates, credential_type, reference) {
            Ok(chosen) => chosen.clone(),
            Err(problem) => {
                if let Some(id) = &reference.id {
                    connections.forget(id);
                }
                return Err(NodeError::operation(problem));
            }
        };
        let id = chosen.summary.id.clone();
        let credential = ResolvedCredential::from_stored(chosen, &id).map_err(auth_failed)?;
        let client = connections.client_for(credential).map_err(auth_failed)?;
        let api_base = client.api_base().await.map_err(auth_failed)?;
        Ok(NodeHttp {
            http: client.http().clone(),
            api_base,
        })
    }

    fn unauthenticated(&self) -> ClientWithMiddleware {
        let plain = self.plain.get_or_init(unauthenticated_client);
        plain.clone()
    }

    async fn send_mail(
        &self,
        reference: &CredentialRef,
        mail: &OutgoingMail,
    ) -> Result<SentMail, NodeError> {
        let data = self.data(SMTP.name, reference).await?;
        crate::mail::send(&data, mail).await.map_err(|error| {
            NodeError::operation(format!("Credential \"{}\": {error}", reference.name))
        })
    }

    async fn open_mailbox(
        &self,
        reference: &CredentialRef,
        mailbox: &str,
        allow_unauthorized_certs: Option<bool>,
    ) -> Result<Box<dyn MailboxSession>, NodeError> {
        let data = self.data(IMAP.name, reference).await?;
        crate::imap::open(&data, mailbox, allow_unauthorized_certs)
            .await
            .map_err(|error| {
                NodeError::operation(format!("Credential \"{}\": {error}", reference.name))
            })
    }
}

fn store_failed(error: StoreError) -> NodeError {
    NodeError::operation(format!("The credential store cannot be read: {error}"))
}

fn auth_failed(error: AuthError) -> NodeError {
    NodeError::operation(error.to_string())
}

/// The stored credential a reference means: the one with its id, else the only one of this type
/// with its name.
fn pick<'s, C: AsRef<CredentialSummary>>(
    candidates: &'s [C],
    credential_type: &str,
    reference: &CredentialRef,
) -> Result<&'s C, String> {
    let by_id = reference
        .id
        .as_deref()
        .and_then(|id| candidates.iter().find(|found| found.as_ref().id == id));
    if let Some(candidate) = by_id {
        let found = candidate.as_ref();
        return if found.type_name == credential_type {
            Ok(candidate)
        } else {
            Err(format!(
                "Credential \"{}\" ({}) is a {}, but the node needs a {credential_type} (hint: select a {credential_type} credential in the node)",
                found.name, found.id, found.type_name
            ))
        };
    }
    let named: Vec<&C> = candidates
        .iter()
        .filter(|found| {
            let found = found.as_ref();
            found.name == reference.name && found.type_name == credential_type
        })
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
            summary("a1", "Prod", "httpHeaderAuth"),
            summary("b2", "Prod", "httpBasicAuth"),
            summary("c3", "Twin", "httpHeaderAuth"),
            summary("d4", "Twin", "httpHeaderAuth"),
        ];
        let jwt = "httpHeaderAuth";
        assert_eq!(
            pick(&stored, jwt, &reference("a1", "other")).unwrap().id,
            "a1"
        );
        assert_eq!(
            pick(&stored, jwt, &reference("gone", "Prod")).unwrap().id,
            "a1"
        );
        let mismatch = pick(&stored, jwt, &reference("b2", "Prod")).unwrap_err();
        assert!(
            mismatch.starts_with(
                "Credential \"Prod\" (b2) is a httpBasicAuth, but the node needs a httpHeaderAuth"
            ),
            "{mismatch}"
        );
        let ambiguous = pick(&stored, jwt, &reference("gone", "Twin")).unwrap_err();
        assert!(
            ambiguous.starts_with("2 stored httpHeaderAuth credentials are named \"Twin\""),
            "{ambiguous}"
        );
        let missing = pick(&stored, jwt, &reference("gone", "Nope")).unwrap_err();
        assert!(
            missing.starts_with(
                "No stored httpHeaderAuth credential with id \"gone\" or name \"Nope\""
            ),
            "{missing}"
        );
    }
}
