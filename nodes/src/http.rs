//! HTTP (and mail) for nodes without building clients: the runtime implements [`CredentialClients`] and
//! hands a node a [`NodeHttp`] for the credential the workflow names. A node never sees a token.

use async_trait::async_trait;
use reqwest_middleware::ClientWithMiddleware;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::NodeError;
use crate::mail::{MailboxSession, OutgoingMail, SentMail};

/// A node's reference to a stored credential, as workflow JSON writes it:
/// `"credentials": { "<type>": { "id": "…", "name": "…" } }`, or in workflows from before n8n
/// gave credentials ids, `"credentials": { "<type>": "<name>" }` (n8n resolves that by name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WrittenCredentialRef")]
pub struct CredentialRef {
    /// The credential's id; the runtime resolves by id first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The credential's name; used when no credential has the id and the name is unique.
    #[serde(default)]
    pub name: String,
}

/// The two shapes n8n accepts for a credential reference.
#[derive(Deserialize)]
#[serde(untagged)]
enum WrittenCredentialRef {
    Name(String),
    IdAndName {
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        name: String,
    },
}

impl From<WrittenCredentialRef> for CredentialRef {
    fn from(written: WrittenCredentialRef) -> Self {
        match written {
            WrittenCredentialRef::Name(name) => Self { id: None, name },
            WrittenCredentialRef::IdAndName { id, name } => Self { id, name },
        }
    }
}

/// How many redirects one request may follow (n8n's `maxRedirects`); 0 makes the redirect
/// response the answer. A node sets it as a request extension
/// (`RequestBuilder::with_extension`); the runtime's clients follow redirects themselves, so
/// that no credential crosses to another origin, and without it follow up to 21, as n8n's HTTP
/// client does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxRedirects(pub usize);

impl Default for MaxRedirects {
    fn default() -> Self {
        Self(21)
    }
}

/// An authenticated client and the API base URL of its current session.
#[derive(Clone, Debug)]
pub struct NodeHttp {
    /// Requests to the service's hosts carry the credential's authentication.
    pub http: ClientWithMiddleware,
    /// The API base of a credential with a session, e.g.
    /// `https://acme.my.salesforce.com/services/data/v66.0`, or the one a static credential's
    /// type declares (`StaticAuth::api`); `None` for a static type that declares none (n8n's
    /// generic HTTP types), whose requests go wherever the node sends them.
    pub api_base: Option<Url>,
}

/// What the runtime gives nodes to reach services with their credentials: HTTP clients, and the
/// mail transport of an SMTP credential.
#[async_trait]
pub trait CredentialClients: Send + Sync {
    /// The client of the credential `reference` of type `credential_type`. Errors name the
    /// credential, never its data.
    async fn client(
        &self,
        credential_type: &str,
        reference: &CredentialRef,
    ) -> Result<NodeHttp, NodeError>;

    /// A client without authentication: redirects and tracing as for an authenticated one, no
    /// retries.
    fn unauthenticated(&self) -> ClientWithMiddleware;

    /// Sends `mail` through the SMTP server of the `smtp` credential `reference`; the server's
    /// answer. Errors name the credential and the server's refusal, never the credential's data.
    async fn send_mail(
        &self,
        reference: &CredentialRef,
        mail: &OutgoingMail,
    ) -> Result<SentMail, NodeError>;

    /// Connects to the IMAP server of the `imap` credential `reference`, logs in and selects
    /// `mailbox`. `allow_unauthorized_certs` overrides the credential's field (n8n's Email
    /// Trigger 1 option). Errors name the credential and the server's refusal, never the
    /// credential's data.
    async fn open_mailbox(
        &self,
        reference: &CredentialRef,
        mailbox: &str,
        allow_unauthorized_certs: Option<bool>,
    ) -> Result<Box<dyn MailboxSession>, NodeError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reference_is_an_id_and_name_or_an_older_workflow_s_name() {
        let read = |written| serde_json::from_value::<CredentialRef>(written).unwrap();
        assert_eq!(
            read(json!({ "id": "7", "name": "Sales" })),
            CredentialRef {
                id: Some("7".into()),
                name: "Sales".into()
            }
        );
        assert_eq!(
            read(json!({ "id": null, "name": "Sales" })),
            CredentialRef {
                id: None,
                name: "Sales".into()
            }
        );
        assert_eq!(
            read(json!("Sales")),
            CredentialRef {
                id: None,
                name: "Sales".into()
            }
        );
        assert!(serde_json::from_value::<CredentialRef>(json!(7)).is_err());
    }
}
